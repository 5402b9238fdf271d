"""Jinja filters available to every theme (registered by the renderer).

They derive display values from the template context (groups, entries, terms), so a
theme never needs a new context variable from the core for counts, tile maps or JSON-LD.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup


def cn_date(date: str | None) -> str:
    """``2025-04-22`` -> ``2025年4月22日``; ``2025-04`` -> ``2025年4月``."""
    if not date:
        return ""
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, ("年", "月", "日")))


def keep_bar(title: str) -> str:
    """Glue a title's separator bar (``｜`` or ``|``) to the word before it (U+2060 WORD JOINER),
    so "致美好｜星级…" never wraps with the bar starting a line."""
    return re.sub(r"\s*([|｜])", "\u2060\\1", title) if title else title


def article_count(entries: Iterable[Any]) -> int:
    """Distinct articles among entries (a multi-place article with two matching sub-cases counts once).

    This is the number the faceted filter on ``/cases/`` shows, so both agree.
    """
    return len({e.article.slug for e in entries})


def term_counts(groups: Iterable[Any]) -> dict[str, int]:
    """``{term slug: distinct article count}`` for a tuple of :class:`Group`."""
    return {g.term.slug: len(g.article_slugs) for g in groups}


def by_count(groups: Iterable[Any]) -> list[Any]:
    """Groups with the most articles first; ties keep their vocabulary order."""
    return sorted(groups, key=lambda g: -len(g.article_slugs))


def shade(n: int, most: int, levels: int = 4) -> int:
    """Shade level 0..levels of a count against the largest one (0 only for no cases)."""
    if n <= 0 or most <= 0:
        return 0
    return max(1, min(levels, math.ceil(n * levels / most)))


def tiles(terms: Iterable[Any], groups: Iterable[Any]) -> list[dict[str, Any]]:
    """The tile-grid map: one cell per province that has a ``tile``, with count and shade."""
    counts = term_counts(groups)
    most = max(counts.values(), default=0)
    cells = []
    for t in terms:
        if not t.tile:
            continue
        n = counts.get(t.slug, 0)
        cells.append({"term": t, "row": t.tile[0], "col": t.tile[1], "count": n,
                      "level": shade(n, most), "label": t.short or t.name})
    return cells


def _clean(value: Any) -> Any:
    """``value`` without empty entries in its mappings (at any depth). Plain values are
    tested first: a page's JSON-LD is mostly strings, and ``isinstance(x, Mapping)`` (an
    abstract class) costs more than the rest of the test."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items() if not _empty(v)}
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple)) and not value)


def json_ld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block: readable Chinese, empty keys dropped,
    and ``<``, ``>``, ``&`` escaped so the text can never close the script element."""
    text = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


FILTERS: dict[str, Callable[..., Any]] = {
    "cn_date": cn_date,
    "keep_bar": keep_bar,
    "article_count": article_count,
    "term_counts": term_counts,
    "by_count": by_count,
    "shade": shade,
    "tiles": tiles,
    "json_ld": json_ld,
}

# Filters that are pure functions of the build's shared, immutable data (groups, terms):
# every list page asks for the same counts of the same groups, so the renderer computes
# them once a build (:func:`casebook.memo.memoize`).
SHARED = frozenset({"article_count", "term_counts", "by_count", "tiles"})
