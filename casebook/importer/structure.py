"""Cleaned lines -> title and blocks (paragraphs, headings, captions).

An editor reads scraped text line by line: a headline at the top is the title, a
``▲`` line (as marked by :func:`casebook.importer.credits.mark_captions`) is a
caption, a photo's line (``--images``, :data:`~casebook.importer.lines.PICTURE`) is an
``image`` block that takes the caption right below it (or right above it) as its own,
everything else is a paragraph, except section headings. A heading is a
matter of *shape in context*, not of the line alone: a short line without closing
punctuation (:func:`is_heading_line`) is a heading only when

1. it is not one of a run of ``run_min`` or more such lines in a row (a list,
   a menu, or the verse-like short lines of a WeChat post);
2. a paragraph follows it (photos and captions in between are fine): the last line, or
   a short line before another short line, heads nothing;
3. and it is recognisably a heading: numbered as a chapter (``一、`` ``（二）``),
   opening with a place and a colon (``嵩阳社区：…``), or, after the article's lead,
   written over two lines (``筑牢组织体系`` / ``让“真心”汇聚``) or heading a section
   of at least ``section_min`` characters. A line ending in a modal particle
   (``一起来看看吧``, ``开张啦``) talks to the reader, and a line opening with a list
   marker (``1、`` ``①`` ``●``) is an item: either is a heading only beside another
   heading of the same kind (a parallel set).

These rules live here, apart from the cleaning passes, because they produce
structure rather than text. Their thresholds are ``[structure]`` in ``settings.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .credits import CAPTION_MARK
from .hanzi import HAN
from .lines import PICTURE
from .settings import setting
from .titles import clean_title, is_site_name

#: A heading is at most this long; longer unpunctuated lines are paragraphs.
HEADING_MAX = setting("structure", "heading_max")
#: A top line this short without closing punctuation reads as a headline.
TITLE_MAX = setting("structure", "title_max")
#: This many heading-shaped lines in a row are a list, verse or menu, not headings.
RUN_MIN = setting("structure", "run_min")
#: A heading that is neither numbered, placed nor two-line heads this much paragraph text.
SECTION_MIN = setting("structure", "section_min")
#: Marks that end a sentence, or leave it open; neither ends a heading.
_CLOSING = "。！？；，、…：:!?;,.)）"
_TITLE_CLOSING = "。，、；：:;,.…"
#: Modal particles (and perfective 了) ending a line that talks to the reader.
_PARTICLES = "吧啊呀啦呢哦嘛哟噢咯喽哇嘞了"
#: A letter or Han character: a line of only digits, dates or marks (2024, ★★★) heads nothing.
_WORDS = re.compile(r"[^\W\d_]")
#: ``【人民网】…`` site prefix on a headline.
_SITE_PREFIX = re.compile(r"^【([^】]{2,12})】\s*")
#: ``编者按：``-style labels that introduce the next paragraph.
_LABEL = re.compile(rf"^[{HAN}]{{2,6}}[:：]$")
#: Section numbering before a heading: 一、 （二） 3. 之一：
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十百\d]+[)）、.．]|之[一二三四五六七八九十]+[：:])\s*")
#: Chapter numbering in Chinese numerals (一、 （二） 第三部分): a heading on its own.
_CHAPTER = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、]|第[一二三四五六七八九十]+[章节部分篇][、：:\s]?)")
#: A list item's marker: 1. 1、 (1) ① · - ● and other bullets.
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.、．)）]|[（(]\d{1,2}[)）]|[\u2460-\u2473\u2776-\u277f]|[·•●○◆◇■□▪▶►\-–—*+])")
#: A place segment: what a case heading opens with (``嵩阳社区``, ``红塔区高仓街道党群服务中心``).
PLACE_SEGMENT = re.compile(
    rf"^[{HAN}]{{2,18}}?(社区|村|街道|镇|乡|县|区|市|旗|党群服务中心|服务中心|服务站|驿站|小区)$"
)


@dataclass(frozen=True)
class Block:
    """One unit of the article body."""

    kind: str  # "para", "heading", "caption" or "image" (its text is its caption)
    text: str
    anchor: str | None = None
    picture: str | None = None  # an image's page index, then (convert) its file name


@dataclass(frozen=True)
class Structure:
    title: str | None
    source: str | None
    blocks: tuple[Block, ...]
    repeats: tuple[str, ...] = ()  # body lines dropped because they repeat the title


def is_heading_line(line: str) -> bool:
    """Shape only: short, no closing punctuation, no sentence inside (context decides the rest)."""
    return (
        0 < len(line) <= HEADING_MAX
        and line[-1] not in _CLOSING
        and not re.search(r"[。！？!?]", line)
        and not line.startswith(CAPTION_MARK)
        and _WORDS.search(line) is not None
    )


def _is_figure(line: str) -> bool:
    """A caption or a photo: what may stand between a heading and its paragraph."""
    return line.startswith(CAPTION_MARK) or PICTURE.match(line) is not None


def place_segment(heading: str) -> str | None:
    """The place a heading opens with, if it opens with one."""
    head = re.split(r"[：:]", _NUMBERING.sub("", heading), maxsplit=1)[0].strip()
    return head if PLACE_SEGMENT.match(head) else None


def parse(text: str, known_title: str | None = None) -> Structure:
    """Split cleaned text into a title and body blocks.

    ``known_title`` comes from HTML metadata; a body line repeating it is dropped.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    source = None
    title = (clean_title(known_title) or None) if known_title else None
    if len(lines) > 2 and _SITE_PREFIX.fullmatch(lines[0]) and is_site_name(lines[0][1:-1], weak=False):
        source, lines = lines[0][1:-1], lines[1:]  # 【人民网】 alone above the headline
    if lines:
        prefix = _SITE_PREFIX.match(lines[0])
        first = lines[0][prefix.end():] if prefix else lines[0]
        if title is None and len(lines) > 1 and _is_title_line(first):
            title = clean_title(first) or None
            if title:
                source = prefix.group(1) if prefix else source
                lines = lines[1:]
    repeats: list[str] = []
    if title:
        for line in [line for line in lines if title in line]:
            if clean_title(_SITE_PREFIX.sub("", line)) == title:
                repeats.append(line)
                lines.remove(line)
    return Structure(title, source, tuple(_blocks(lines)), tuple(repeats))


def _is_title_line(line: str) -> bool:
    """Like a heading, but a headline may end in ！ or ？ (社区食堂开张啦！); it holds no 。."""
    return (
        0 < len(line) <= TITLE_MAX
        and line[-1] not in _TITLE_CLOSING
        and "。" not in line
        and not _is_figure(line)
        and _WORDS.search(line) is not None
    )


def _blocks(lines: list[str]) -> list[Block]:
    """Turn lines into blocks: captions, headings chosen in context, labelled paragraphs."""
    headings = _headings(lines)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i in headings:
            end = headings[i]
            if end - i == 2:
                joiner = "：" if place_segment(line) == line else " "
                line = line + joiner + lines[i + 1]
            blocks.append(Block("heading", line))
            i = end
            continue
        if picture := PICTURE.match(line):
            blocks.append(Block("image", "", picture=picture.group(1)))
        elif line.startswith(CAPTION_MARK) and line[len(CAPTION_MARK):].strip():
            blocks.append(Block("caption", line[len(CAPTION_MARK):].strip()))
        elif _LABEL.match(line) and i + 1 < len(lines) and _takes_label(lines, i + 1, headings):
            label = line.rstrip(":：") + "："
            blocks.append(Block("para", f"**{label}**{lines[i + 1]}"))
            i += 1
        else:
            blocks.append(Block("para", line))
        i += 1
    return _captioned(blocks)


def _captioned(blocks: list[Block]) -> list[Block]:
    """Each photo with its caption: the caption block right below it, else right above it."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "image":
            if i + 1 < len(blocks) and blocks[i + 1].kind == "caption":
                block = replace(block, text=blocks[i + 1].text)
                i += 1
            elif out and out[-1].kind == "caption":
                block = replace(block, text=out.pop().text)
        out.append(block)
        i += 1
    return out


def _takes_label(lines: list[str], i: int, headings: dict[int, int]) -> bool:
    """A label (``编者按：``) joins the next line only when that line is a paragraph."""
    return i not in headings and not _is_figure(lines[i]) and not _LABEL.match(lines[i])


def _is_paragraph(line: str) -> bool:
    return not is_heading_line(line) and not _is_figure(line) and bool(re.search(r"\w", line))


def _followed_by_paragraph(lines: list[str], i: int) -> bool:
    """The first line from ``i`` on that is not a caption or a photo is a paragraph."""
    while i < len(lines) and _is_figure(lines[i]):
        i += 1
    return i < len(lines) and _is_paragraph(lines[i])


def _is_item(line: str) -> bool:
    """Opens with a list marker or section numbering (1、 ① ● 一、)."""
    return bool(_LIST_ITEM.match(line) or _NUMBERING.match(line))


def _pairs(first: str, second: str) -> bool:
    """Two short lines that read as one heading: the second continues the first."""
    return not any(line[-1] in _PARTICLES for line in (first, second)) and not (
        _is_item(second) or _LIST_ITEM.match(first)
    )


def _candidates(lines: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each heading-shaped line or two-line pair that a paragraph follows,
    outside runs of :data:`RUN_MIN` or more heading-shaped lines."""
    found = []
    i = 0
    while i < len(lines):
        if not is_heading_line(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and is_heading_line(lines[j]):
            j += 1
        if j - i == 2 and all(_CHAPTER.match(line) for line in lines[i:j]):
            if _followed_by_paragraph(lines, j):  # 一、总体要求 above （一）指导思想
                found += [(i, i + 1), (i + 1, j)]
        elif j - i == 2 and not _pairs(lines[i], lines[i + 1]) and all(map(_is_item, lines[i:j])):
            pass  # a list of two items
        elif j - i < RUN_MIN and _followed_by_paragraph(lines, j):
            found.append((i, j) if j - i == 2 and _pairs(lines[i], lines[i + 1]) else (j - 1, j))
        i = j
    return found


def _headings(lines: list[str]) -> dict[int, int]:
    """The headings among the candidates, by context: ``{start: end}`` of each."""
    candidates = _candidates(lines)
    if not candidates:
        return {}
    first_para = next((k for k, line in enumerate(lines) if _is_paragraph(line)), len(lines))
    ends = [start for start, _ in candidates[1:]] + [len(lines)]
    kept: dict[int, int] = {}
    #: Substantial and after the lead, but only headings in a parallel set: lines that talk to
    #: the reader (…开张啦, …上门啦) and lines that open with a list marker (1、 ①).
    needs_sibling: dict[str, list[int]] = {"talking": [], "listed": []}
    for (start, end), stop in zip(candidates, ends, strict=True):
        text = lines[start]
        section = sum(len(line) for line in lines[end:stop] if _is_paragraph(line))
        after_lead = first_para < start
        placed = end - start == 1 and (segment := place_segment(text)) is not None and segment != text
        if _CHAPTER.match(text) or placed or (after_lead and end - start == 2):
            kept[start] = end
        elif after_lead and section >= SECTION_MIN:
            if text[-1] in _PARTICLES:
                needs_sibling["talking"].append(start)
            elif _LIST_ITEM.match(text):
                needs_sibling["listed"].append(start)
            else:
                kept[start] = end
    for starts in needs_sibling.values():
        if len(starts) >= 2:
            kept.update({start: start + 1 for start in starts})
    return kept


def with_anchor(block: Block, anchor: str) -> Block:
    return replace(block, anchor=anchor)
