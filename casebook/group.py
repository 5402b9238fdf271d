"""Articles -> :class:`Site`: grouped by province and practice, sorted, cross-linked.

One code path serves both taxonomies. A sub-case is listed under its own province and
practices, unless the whole article is already listed there.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
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

    Ties go to the newer case (its place in ``articles``). Only cases sharing something
    score at all. Instead of scoring every pair, the best are found level by level: for a
    score ``s = 2k + p`` (``k`` shared practices, ``p`` the province/city bonus) the
    candidates are the cases holding exactly that shared practice set ``T`` (an inverted
    index keyed by every practice subset of each case), merged in rank order, so each
    case looks at a few dozen others rather than thousands.
    """
    psets = [frozenset(p.slug for p in a.practices) for a in articles]
    subsets = functools.cache(_subsets)  # thousands of cases share a few hundred practice sets
    # (scope, practice subset) -> cases in rank order, each with what scoring it reads;
    # scope is "*", province, or province+city.
    index: dict[tuple, list[tuple[int, Article, str, str | None, frozenset[str]]]] = defaultdict(list)
    for rank, (art, pset) in enumerate(zip(articles, psets)):
        prov, city = art.province.slug, art.city
        entry = (rank, art, prov, city, pset)
        for sub in subsets(pset):
            index[("*", sub)].append(entry)
            index[(prov, sub)].append(entry)
            if city:
                index[(prov, city, sub)].append(entry)
    related: dict[str, tuple[Article, ...]] = {}
    for art, pset in zip(articles, psets):
        prov, city = art.province.slug, art.city
        by_size: dict[int, list[frozenset[str]]] = defaultdict(list)
        for sub in subsets(pset):
            by_size[len(sub)].append(sub)
        chosen: list[Article] = []
        top = 2 * len(pset) + (2 if city else 1)
        for score in range(top, 0, -1):
            if len(chosen) >= limit:
                break
            lists = []
            for p in (2, 1, 0):
                k, rest = divmod(score - p, 2)
                if rest or k < 0 or k > len(pset) or (p == 2 and not city):
                    continue
                for sub in by_size[k]:
                    if p == 2:
                        key: tuple = (prov, city, sub)
                    elif p == 1:
                        key = (prov, sub)
                    else:
                        key = ("*", sub)
                    lists.append((index.get(key, ()), k, p))
            found: list[tuple[int, Article]] = []
            need = limit - len(chosen)
            for cands, k, p in lists:
                n = 0
                for rank, other, oprov, ocity, opset in cands:
                    if other is art or len(pset & opset) != k:
                        continue
                    bonus = 0 if oprov != prov else 2 if city and ocity == city else 1
                    if bonus != p:
                        continue
                    found.append((rank, other))
                    n += 1
                    if n >= need:  # each list is in rank order: later ones cannot make the cut
                        break
            found.sort(key=lambda x: x[0])
            chosen.extend(o for _, o in found[:need])
        related[art.slug] = tuple(chosen)
    return related


def _subsets(items: frozenset[str]) -> list[frozenset[str]]:
    """Every subset of ``items``, including the empty one."""
    out: list[frozenset[str]] = [frozenset()]
    for item in sorted(items):
        out += [s | {item} for s in out]
    return out


def related_signature(ordered: list[Article], limit: int) -> str:
    """Hash of everything :func:`_related` looks at, to reuse its result across builds."""
    h = hashlib.sha1(str(limit).encode())
    for a in ordered:
        h.update(f"{a.slug}|{a.province.slug}|{a.city}|{','.join(p.slug for p in a.practices)}\n".encode())
    return h.hexdigest()


def group(articles: list[Article], provinces: Vocabulary, practices: Vocabulary,
          related_limit: int = 4, related_slugs: dict[str, tuple[str, ...]] | None = None) -> Site:
    """Sort, group and cross-link the loaded articles. ``related_slugs`` is a result of
    :func:`_related` saved by an earlier build with the same :func:`related_signature`."""
    ordered = newest_first(articles)
    by_slug = {a.slug: a for a in ordered}
    neighbours = {
        a.slug: (ordered[i + 1] if i + 1 < len(ordered) else None, ordered[i - 1] if i > 0 else None)
        for i, a in enumerate(ordered)
    }
    return Site(
        articles=tuple(ordered),
        provinces=_groups("province", provinces, ordered, lambda a: (a.province,), lambda s: (s.province,)),
        practices=_groups("practice", practices, ordered, lambda a: a.practices, lambda s: s.practices),
        related=(_related(ordered, related_limit) if related_slugs is None else
                 {a.slug: tuple(by_slug[s] for s in related_slugs[a.slug]) for a in ordered}),
        neighbours=neighbours,
    )
