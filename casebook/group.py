"""Articles -> :class:`Site`: grouped by province and practice, sorted, cross-linked.

One code path serves both taxonomies. A sub-case is listed under its own province and
practices, unless the whole article is already listed there.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from .model import Article, Entry, Group, Site
from .taxonomy import Term, Vocabulary


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Dated cases newest first, then undated ones; ties broken by title and slug."""
    ordered = sorted(articles, key=lambda a: (a.title, a.slug))
    return sorted(ordered, key=lambda a: a.date or "", reverse=True)


def _groups(kind: str, vocab: Vocabulary, articles: list[Article],
            terms_of: Callable[[Article], tuple[Term, ...]],
            sub_terms_of: Callable[..., tuple[Term, ...]]) -> tuple[Group, ...]:
    filed: dict[str, list[Entry]] = defaultdict(list)
    for art in articles:
        own = {t.slug for t in terms_of(art)}
        for t in terms_of(art):
            filed[t.slug].append(Entry(art))
        for sub in art.cases:
            for t in sub_terms_of(sub):
                if t.slug not in own:
                    filed[t.slug].append(Entry(art, sub))
    return tuple(Group(kind, t, tuple(filed[t.slug])) for t in vocab.terms if filed[t.slug])


def _related(articles: list[Article], limit: int) -> dict[str, tuple[Article, ...]]:
    """Rank other cases by shared practices (2 each), same province (1) and same city (1).

    Candidates come from inverted indexes, so a case is only scored against cases it
    shares something with; ties go to the newer case, then the slug.
    """
    rank = {a.slug: i for i, a in enumerate(articles)}
    by_practice: dict[str, list[Article]] = defaultdict(list)
    by_province: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        for p in art.practices:
            by_practice[p.slug].append(art)
        by_province[art.province.slug].append(art)
    related: dict[str, tuple[Article, ...]] = {}
    for art in articles:
        score: Counter[str] = Counter()
        for p in art.practices:
            for other in by_practice[p.slug]:
                score[other.slug] += 2
        for other in by_province[art.province.slug]:
            score[other.slug] += 1 + (1 if art.city and other.city == art.city else 0)
        score.pop(art.slug, None)
        best = sorted(score, key=lambda s: (-score[s], rank[s]))[:limit]
        related[art.slug] = tuple(articles[rank[s]] for s in best)
    return related


def group(articles: list[Article], provinces: Vocabulary, practices: Vocabulary,
          related_limit: int = 4) -> Site:
    """Sort, group and cross-link the loaded articles."""
    ordered = newest_first(articles)
    neighbours = {
        a.slug: (ordered[i + 1] if i + 1 < len(ordered) else None, ordered[i - 1] if i > 0 else None)
        for i, a in enumerate(ordered)
    }
    return Site(
        articles=tuple(ordered),
        provinces=_groups("province", provinces, ordered, lambda a: (a.province,), lambda s: (s.province,)),
        practices=_groups("practice", practices, ordered, lambda a: a.practices, lambda s: s.practices),
        related=_related(ordered, related_limit),
        neighbours=neighbours,
    )
