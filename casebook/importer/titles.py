"""Headlines: site names, channel suffixes and column prefixes off; the page's own headline chosen.

A page states its headline several times: in ``<title>`` (with the site and
channel glued on: ``标题--健康·生活--人民网``, ``标题_新闻中心_苏州新闻网``), in
``og:title`` (often with a column prefix: ``社区视界｜标题``), in ``<h1>`` (which on
some sites is the logo) and in government ``ArticleTitle`` meta tags. The rules
here work on the *shape* of a title, never on a list of sites:

- a title is split at separators (``_`` ``-`` ``--`` ``|`` ``｜`` ``丨`` and spaced
  dashes); the headline is the longest segment, the others are labels;
- a trailing segment goes when it is short and reads as a site or channel (ends in
  网, 频道, 日报, 政府..., holds a domain, or repeats the page's site name), and so
  does every short label between the headline and such a site segment;
- a leading segment goes when it is short, has no sentence punctuation and reads as
  a column (视界, 观察, 专栏...; ``【…】``) or repeats the site name;
- a series label after a pipe goes when it ends in a number or names a series
  (``星级党群服务中心展播3``, ``系列报道之二``);
- among the candidates the one that agrees with the most others, once cleaned, is
  the headline; a candidate that is the site's name (a logo) never is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .boilerplate import strip_link_spam
from .hanzi import HAN
from .settings import setting

#: A site or channel label is at most this long; a column prefix at most ``PREFIX_MAX``.
SUFFIX_MAX = setting("html", "title_suffix_max")
PREFIX_MAX = setting("html", "title_prefix_max")
#: What is left of a headline once labels are cut must be at least this long.
HEADLINE_MIN = setting("html", "headline_min")

#: Separators between a headline and its labels. A bare hyphen only between
#: non-digits (``2023-2024`` is a range), long dashes only when spaced.
_SEPARATOR = re.compile(r"\s*(?:--+|_+|[|｜丨]|\s[-—–]\s|(?<=[^\d\s])-(?=[^\d\s]))\s*")
_PIPES = "|｜丨"
#: Words a site or channel name ends with; the weak ones (中心, 新闻...) end ordinary
#: phrases too, so they count only after ``_`` or a dash, never after a pipe.
_SITE_END = re.compile(
    r"(网|网站|官网|频道|日报|晚报|早报|时报|商报|报|电视台|台|客户端|政府|订阅|融媒|传媒|杂志|APP|App|app)$"
)
_SITE_END_WEAK = re.compile(r"(中心|新闻|资讯|在线|门户|号|平台|社|发布)$")
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|cc|tv)\b", re.I)
#: Words a column, series or rubric label ends with (社区视界, 基层观察, 展播).
_COLUMN_WORD = (
    r"视界|视点|视角|观察|观点|专栏|专题|系列|栏目|聚焦|关注|纵深|深读|速递|快讯|直击|时评|微评|"
    r"调查|一线|故事|访谈|头条|要闻|动态|播报|展播|巡礼|掠影|集锦|传真"
)
_COLUMN = re.compile(rf"({_COLUMN_WORD})$")
#: A series label: ends in a number (展播3, 之二, （三）, 第5期) or names the series.
_SERIES = re.compile(
    r"(?:\d+|之[一二三四五六七八九十]+|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十\d]+[期篇集讲季])$"
    rf"|(?:{_COLUMN_WORD})$"
)
#: Sentence punctuation and quotes: a label has none, a headline may.
_SENTENCE_MARKS = re.compile(r"[，。！？：；“”‘’「」《》,!?:;\"]")
#: ``【社区观察】标题`` and ``[专题]标题``.
_BRACKET_PREFIX = re.compile(r"^\s*[【\[]([^】\]]{1,12})[】\]]\s*")


def _label_like(segment: str, limit: int) -> bool:
    return 0 < len(segment) <= limit and not _SENTENCE_MARKS.search(segment)


def is_site_name(segment: str, sites: Iterable[str] = (), weak: bool = True) -> bool:
    """A short label naming a site or channel, or one of the page's own site names.

    ``weak``: also take the endings that ordinary phrases share (中心, 新闻, 号...).
    """
    segment = segment.strip()
    if not _label_like(segment, SUFFIX_MAX) or len(segment) < 2:
        return False
    if any(site and (segment in site or site in segment) for site in sites):
        return True
    return bool(_SITE_END.search(segment) or _DOMAIN.search(segment) or (weak and _SITE_END_WEAK.search(segment)))


def is_column_label(segment: str, sites: Iterable[str] = ()) -> bool:
    """A column or rubric label in front of a headline (社区视界, 基层观察)."""
    segment = segment.strip()
    return _label_like(segment, PREFIX_MAX) and bool(
        _COLUMN.search(segment) or any(site and segment == site for site in sites)
    )


def is_series_label(segment: str) -> bool:
    """A series label after a headline: ends in a number or names the series (…展播3)."""
    segment = segment.strip()
    return _label_like(segment, SUFFIX_MAX) and bool(re.search(f"[{HAN}]", segment)) and bool(_SERIES.search(segment))


def _segments(title: str) -> tuple[list[str], list[str]]:
    """The title's segments and the separators between them."""
    parts = _SEPARATOR.split(title)
    return [p.strip() for p in parts], _SEPARATOR.findall(title)


def clean_title(title: str, sites: Sequence[str] = ()) -> str:
    """The headline without site/channel suffixes, column prefixes, series labels or spam words.

    ``sites`` are the page's own site names (``og:site_name``…), when known.
    """
    title = re.sub(r"\s+", " ", title).strip()
    bracket = _BRACKET_PREFIX.match(title)
    if bracket and len(title) - bracket.end() >= HEADLINE_MIN and _label_like(bracket.group(1), PREFIX_MAX):
        title = title[bracket.end():]
    parts, seps = _segments(title)
    if len(parts) > 1:
        title = _headline_segment(parts, seps, sites)
    return strip_link_spam(title) or title


def _headline_segment(parts: list[str], seps: list[str], sites: Sequence[str]) -> str:
    """Cut labels off both ends of a split title; join what remains as written."""
    lo, hi = 0, len(parts)  # parts[lo:hi] is the headline
    # Trailing: a site segment, and short channel labels between the headline and it
    # written with the same separator (标题_新闻中心_苏州新闻网, 标题--健康·生活--人民网).
    site_sep = None
    while hi - lo > 1:
        tail, sep = parts[hi - 1], seps[hi - 2].strip()
        piped = sep in _PIPES
        if is_site_name(tail, sites, weak=not piped):
            site_sep = site_sep or sep
        elif site_sep and sep == site_sep and not piped and _label_like(tail, PREFIX_MAX):
            pass
        elif piped and is_series_label(tail):
            pass
        else:
            break
        hi -= 1
    # Leading: a column label (or the site's name) before the headline.
    while hi - lo > 1 and (is_column_label(parts[lo], sites) or is_site_name(parts[lo], sites, weak=False)):
        lo += 1
    kept = parts[lo] + "".join(seps[i - 1] + parts[i] for i in range(lo + 1, hi))
    if len(kept) < HEADLINE_MIN:
        return "".join(p + (seps[i] if i < len(seps) else "") for i, p in enumerate(parts)).strip()
    return kept


def _agrees(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= HEADLINE_MIN and (a in b or b in a))


def choose_headline(candidates: Sequence[tuple[str, str]], sites: Sequence[str] = ()) -> str | None:
    """The page's own headline among ``(kind, text)`` candidates, cleaned.

    Candidates come strongest first (``h1``, ``og:title``, ``meta``, ``trafilatura``,
    ``title``; ``heading`` for title-classed elements, which count only when another
    candidate agrees). A candidate that is the site's name (a logo ``<h1>``) is out;
    the one most others agree with wins, ties going to the earlier one.
    """
    cleaned: list[tuple[str, str]] = []
    for kind, text in candidates:
        if not text or not text.strip():
            continue
        title = clean_title(text, sites)
        if len(title) < HEADLINE_MIN or any(site and title in site for site in sites):
            continue  # the site's name: a logo, not a headline
        cleaned.append((kind, title))
    best, best_votes = None, -1
    for i, (kind, title) in enumerate(cleaned):
        votes = sum(1 for j, (_, other) in enumerate(cleaned) if j != i and _agrees(title, other))
        if kind == "heading" and votes == 0:
            continue
        if votes > best_votes:
            best, best_votes = title, votes
    return best
