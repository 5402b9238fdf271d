"""Line-level helpers shared by the boilerplate and credit passes.

Scraped text reaches these passes one paragraph per line; most rules look at one
line and its neighbours, so the shapes they share (what a sentence, a date, a
photo line looks like) live here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .settings import setting

Lines = list[str]

#: A line of running text is at least this long.
PROSE_MIN = setting("furniture", "prose_min")
#: A date with an optional time, as pages print them.
TIMESTAMP = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
SENTENCE = re.compile(r"[。！？!?]")
DATE = re.compile(TIMESTAMP)
#: A Markdown image line, as trafilatura writes the photos of an HTML page.
IMAGE = re.compile(r"^!\[[^\]\n]*\]\([^)\n]*\)$")
#: A photo kept with ``--images`` (:mod:`casebook.importer.pictures`): an image line of its
#: own shape, which no pass removes, numbered by the image's place in the page.
PICTURE = re.compile(r"^!\[\]\(#picture-(\d+)\)$")


def picture_line(index: int) -> str:
    """The line that stands for the page's ``index``-th image, kept, until it is written."""
    return f"![](#picture-{index})"


def keep(text: str, drop: Callable[[int, Lines], bool]) -> str:
    """Apply a line predicate, given each line's index and all lines for context; a kept
    photo's line is never dropped (what the passes take for furniture is text)."""
    lines = text.split("\n")
    return "\n".join(line for i, line in enumerate(lines) if PICTURE.match(line) or not drop(i, lines))


def cut_tail(text: str, start: Callable[[Lines], int | None]) -> str:
    """Drop everything from the line ``start`` returns to the end."""
    lines = text.split("\n")
    index = start(lines)
    return text if index is None else "\n".join(lines[:index])


def is_prose(line: str) -> bool:
    """A line of running text: long enough and with a sentence mark (it marks the article's span)."""
    return len(line) >= PROSE_MIN and bool(SENTENCE.search(line))


def short_plain(line: str, limit: int) -> bool:
    """Short and without sentence punctuation: the shape of page furniture."""
    return len(line) <= limit and not SENTENCE.search(line)
