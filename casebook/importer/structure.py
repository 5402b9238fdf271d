"""Cleaned lines -> title and blocks (paragraphs, headings, captions).

An editor reads scraped text line by line: a short line without closing
punctuation is a heading, a headline at the top is the title, a ``▲`` line (as
marked by :func:`casebook.importer.boilerplate.mark_captions`) is a caption,
everything else is a paragraph. These rules live here, apart from the cleaning
passes, because they produce structure rather than text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .credits import CAPTION_MARK
from .hanzi import HAN
from .titles import clean_title

#: A heading is at most this long; longer unpunctuated lines are paragraphs.
HEADING_MAX = 32
#: A top line this short without closing punctuation reads as a headline.
TITLE_MAX = 60
#: Marks that end a sentence, or leave it open; neither ends a heading.
_CLOSING = "。！？；，、…：:!?;,.)）"
_TITLE_CLOSING = "。，、；：:;,.…"
#: ``【人民网】…`` site prefix on a headline.
_SITE_PREFIX = re.compile(r"^【([^】]{2,12})】\s*")
#: ``编者按：``-style labels that introduce the next paragraph.
_LABEL = re.compile(rf"^[{HAN}]{{2,6}}[:：]$")
#: Section numbering before a heading: 一、 （二） 3. 之一：
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十百\d]+[)）、.．]|之[一二三四五六七八九十]+[：:])\s*")
#: A place segment: what a case heading opens with (``嵩阳社区``, ``红塔区高仓街道党群服务中心``).
PLACE_SEGMENT = re.compile(
    rf"^[{HAN}]{{2,18}}?(社区|村|街道|镇|乡|县|区|市|旗|党群服务中心|服务中心|服务站|驿站|小区)$"
)


@dataclass(frozen=True)
class Block:
    """One unit of the article body."""

    kind: str  # "para", "heading" or "caption"
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Structure:
    title: str | None
    source: str | None
    blocks: tuple[Block, ...]
    repeats: tuple[str, ...] = ()  # body lines dropped because they repeat the title


def is_heading_line(line: str) -> bool:
    """Short, no closing punctuation, no sentence inside: a section heading."""
    return (
        len(line) <= HEADING_MAX
        and line[-1] not in _CLOSING
        and not re.search(r"[。！？!?]", line)
        and not line.startswith(CAPTION_MARK)
        and not re.match(r"^\d+[.、]?$", line)
    )


def place_segment(heading: str) -> str | None:
    """The place a heading opens with, if it opens with one."""
    head = re.split(r"[：:]", _NUMBERING.sub("", heading), maxsplit=1)[0].strip()
    return head if PLACE_SEGMENT.match(head) else None


def parse(text: str, known_title: str | None = None) -> Structure:
    """Split cleaned text into a title and body blocks.

    ``known_title`` comes from HTML metadata; a body line repeating it is dropped.
    """
    lines = [line for line in text.split("\n") if line]
    source = None
    title = clean_title(known_title) if known_title else None
    if lines:
        prefix = _SITE_PREFIX.match(lines[0])
        first = lines[0][prefix.end():] if prefix else lines[0]
        if title is None and len(lines) > 1 and _is_title_line(first):
            title = clean_title(first)
            source = prefix.group(1) if prefix else None
            lines = lines[1:]
    repeats: list[str] = []
    if title:
        for line in [line for line in lines if title in line]:
            if clean_title(_SITE_PREFIX.sub("", line)) == title:
                repeats.append(line)
                lines.remove(line)
    return Structure(title, source, tuple(_blocks(lines)), tuple(repeats))


def _is_title_line(line: str) -> bool:
    """Like a heading, but a headline may end in ！ or ？ (社区食堂开张啦！)."""
    return len(line) <= TITLE_MAX and line[-1] not in _TITLE_CLOSING and not line.startswith(CAPTION_MARK)


def _blocks(lines: list[str]) -> list[Block]:
    """Turn lines into blocks: captions, merged two-line headings, labelled paragraphs."""
    blocks: list[Block] = []
    label = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(CAPTION_MARK):
            blocks.append(Block("caption", line[len(CAPTION_MARK):].strip()))
        elif _LABEL.match(line) and i + 1 < len(lines):
            label = line.rstrip(":：") + "："
        elif is_heading_line(line) and i + 1 < len(lines):
            nxt = lines[i + 1]
            if is_heading_line(nxt) and i + 2 < len(lines) and not is_heading_line(lines[i + 2]):
                joiner = "：" if place_segment(line) == line else " "
                line, i = line + joiner + nxt, i + 1
            blocks.append(Block("heading", line))
        else:
            blocks.append(Block("para", f"**{label}**{line}" if label else line))
            label = ""
        i += 1
    return blocks


def with_anchor(block: Block, anchor: str) -> Block:
    return replace(block, anchor=anchor)
