"""Articles -> :class:`Site`: grouped by every configured taxonomy, sorted, cross-linked.

One loop serves every taxonomy (``site.yaml``'s ``taxonomies:``): each article and each
sub-case is filed under the terms its values name. A sub-case is listed under its own
terms (its province, practices, city) unless the whole article is already listed there.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

from . import urls
from .errors import CasebookError, CasebookErrors
from .model import Article, Entry, Group, Grouped, Site, SubCase
from .taxonomy import (
    DEFAULT_TAXONOMIES,
    Taxonomy,
    Term,
    Vocabulary,
    found_vocabulary,
    load_vocabulary,
    shown_name,
)


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Dated cases newest first, then undated ones; ties broken by title and slug."""
    ordered = sorted(articles, key=lambda a: (a.title, a.slug))
    return sorted(ordered, key=lambda a: a.date or "", reverse=True)


@dataclasses.dataclass(frozen=True)
class _Terms:
    """A taxonomy's terms as grouping needs them, and where each case is filed.

    A filing key is the term's slug, or "parent/slug" in a nested taxonomy (where slugs
    repeat across parents). Keys are worked out once per case and taxonomy (a nested
    taxonomy reuses its parent's), so grouping 10,000 cases by four taxonomies costs
    about as much as grouping them by two did before."""

    vocabulary: Vocabulary
    order: tuple[tuple[str, Term | None, Term], ...]  # (filing key, parent term, term), listing order
    keys: list[tuple[str, ...]]  # each article's filing keys, in the articles' order
    sub_keys: dict[int, list[tuple[str, ...]]]  # by article position: each of its sub-cases' keys


def _as_tuple(value: Any) -> tuple[Any, ...]:
    """A field's value as a tuple: ``()`` for none, one value, or the values of a list field."""
    return value if type(value) is tuple else () if value is None else (value,)


def _held(key: str, articles: Sequence[Article]) -> tuple[list[Any], dict[int, list[Any]]]:
    """Each article's value of ``key`` (None, a value or a tuple, as the field holds it),
    and by article position each of its sub-cases' (none when sub-cases lack the field:
    they have no ``year``, no ``tags``). Read by C-level ``attrgetter``: grouping reads
    every case once per taxonomy."""
    get = operator.attrgetter(key)
    subs = {i: list(map(get, a.cases)) for i, a in enumerate(articles) if a.cases} \
        if key in {f.name for f in dataclasses.fields(SubCase)} else {}
    return list(map(get, articles)), subs


def _terms(vocabulary: Vocabulary, key: str, articles: Sequence[Article], key_of: Callable[[Any], str]) -> _Terms:
    """A taxonomy whose terms are not nested: each case filed under ``key_of`` each of its values."""
    def keys(value: Any) -> tuple[str, ...]:
        if type(value) is not tuple:
            return () if value is None else (key_of(value),)
        found = tuple(map(key_of, value))
        return found if len(found) < 2 or len(set(found)) == len(found) else tuple(dict.fromkeys(found))  # tags: [a, a]
    own, subs = _held(key, articles)
    return _Terms(vocabulary, tuple((t.slug, None, t) for t in vocabulary.terms), list(map(keys, own)),
                  {i: list(map(keys, values)) for i, values in subs.items()})


def _fixed_terms(taxonomy: Taxonomy, vocabulary: Vocabulary, articles: Sequence[Article]) -> _Terms:
    """Province and practices: the loader already resolved the values to terms."""
    return _terms(vocabulary, taxonomy.key, articles, operator.attrgetter("slug"))


def _named_terms(taxonomy: Taxonomy, articles: Sequence[Article], words: dict[str, str]) -> _Terms:
    """Terms named by text values: those of a vocabulary file (every value must be one of
    them: each case naming another is an error), or those found."""
    own, subs = _held(taxonomy.key, articles)
    named = {(i, v) for i, value in enumerate(own) for v in _as_tuple(value)} | \
        {(i, v) for i, values in subs.items() for value in values for v in _as_tuple(value)}
    if taxonomy.vocabulary is None:
        vocabulary = found_vocabulary(taxonomy.key, (v for _, v in named), words=words)
    else:
        vocabulary = load_vocabulary(taxonomy.vocabulary, taxonomy.key)
        known = set(vocabulary.names)
        unknown = [CasebookError(f"{taxonomy.key} {v!r} is not in the vocabulary {taxonomy.vocabulary}",
                                 articles[i].path) for i, v in sorted(named) if v not in known]
        if unknown:
            raise CasebookErrors(unknown)
    slugs = {t.name: t.slug for t in vocabulary.terms}
    if taxonomy.vocabulary is None:  # found terms are named as pages show them (2025年)
        slugs = {v: slugs[shown_name(taxonomy.key, v)] for _, v in named}
    return _terms(vocabulary, taxonomy.key, articles, slugs.__getitem__)


def _nested_terms(taxonomy: Taxonomy, articles: Sequence[Article], parent: _Terms, words: dict[str, str]) -> _Terms:
    """A taxonomy within another (cities within provinces): its terms are found per parent
    term, so a slug is unique within its parent and never ``page`` (the parent's pager)."""
    def pairs(above: tuple[str, ...], value: Any) -> tuple[tuple[str, Any], ...]:
        return tuple([(p, v) for p in above for v in _as_tuple(value)])
    held, held_subs = _held(taxonomy.key, articles)
    own = list(map(pairs, parent.keys, held))
    subs = {i: list(map(pairs, parent.sub_keys[i], values)) for i, values in held_subs.items()}
    names: dict[str, set[str]] = defaultdict(set)
    for row in (*own, *(row for rows in subs.values() for row in rows)):
        for above, name in row:
            names[above].add(name)
    found = {above: found_vocabulary(taxonomy.key, n, frozenset({urls.PAGE}), words) for above, n in names.items()}
    key = {(above, t.name): f"{above}/{t.slug}" for above, vocab in found.items() for t in vocab.terms}
    order = tuple((f"{above}/{t.slug}", parent_term, t) for above, _, parent_term in parent.order
                  for t in (found[above].terms if above in found else ()))
    return _Terms(Vocabulary(taxonomy.key, tuple(t for _, _, t in order)), order,
                  [tuple([key[p] for p in row]) for row in own],
                  {i: [tuple([key[p] for p in row]) for row in rows] for i, rows in subs.items()})


def _file(kind: str, articles: Sequence[Article], wholes: Sequence[Entry],
          terms: _Terms) -> tuple[tuple[Group, ...], tuple[tuple[int, ...], ...]]:
    """The groups of one taxonomy: every term with its entries, in ``articles``' order;
    and each article's own groups (see :attr:`Grouped.own`). ``wholes`` are the articles'
    own entries, shared by every taxonomy."""
    filed: dict[str, list[Entry]] = {key: [] for key, _, _ in terms.order}
    sub_keys = terms.sub_keys
    for i, (art, whole, own) in enumerate(zip(articles, wholes, terms.keys)):
        for key in own:
            filed[key].append(whole)
        if i in sub_keys:
            for sub, keys in zip(art.cases, sub_keys[i]):
                for key in keys:
                    if key not in own:
                        filed[key].append(Entry(art, sub))
    kept = [(key, parent, term) for key, parent, term in terms.order if filed[key]]
    position = {key: i for i, (key, _, _) in enumerate(kept)}
    return (tuple(Group(kind, term, tuple(filed[key]), parent) for key, parent, term in kept),
            tuple([tuple([position[key] for key in own]) for own in terms.keys]))


def _grouped(taxonomies: Sequence[Taxonomy], articles: Sequence[Article], fixed: Mapping[str, Vocabulary],
             words: dict[str, str]) -> tuple[Grouped, ...]:
    """Every taxonomy grouped, in ``taxonomies``' order (a nested one after its parent's
    terms are known); ``words``: see :func:`casebook.taxonomy.found_vocabulary`."""
    terms: dict[str, _Terms] = {}
    for taxonomy in sorted(taxonomies, key=lambda t: t.within is not None):
        if taxonomy.within is not None:
            terms[taxonomy.key] = _nested_terms(taxonomy, articles, terms[taxonomy.within], words)
        elif taxonomy.key in fixed:
            terms[taxonomy.key] = _fixed_terms(taxonomy, fixed[taxonomy.key], articles)
        else:
            terms[taxonomy.key] = _named_terms(taxonomy, articles, words)
    wholes = [Entry(a) for a in articles]
    return tuple(Grouped(t, terms[t.key].vocabulary, *_file(t.key, articles, wholes, terms[t.key])) for t in taxonomies)


def cross_counts(site: Site, group: Group) -> dict[Taxonomy, list[tuple[Group, int]]]:
    """For a term's page: each other taxonomy's groups that share cases with ``group``,
    with the number of distinct cases they share, in that taxonomy's order (no entry for
    a taxonomy sharing none). Counted through ``group``'s own cases (each one's groups
    are looked up), so a taxonomy of thousands of tags costs no more than one of ten."""
    out: dict[Taxonomy, list[tuple[Group, int]]] = {}
    for other in site.taxonomies:
        if other.taxonomy.name == group.kind:
            continue
        # chain/map/repeat: the lookups run in C (a practice's page counts thousands of cases)
        counts = Counter(chain.from_iterable(map(other.by_article.get, group.article_slugs, repeat(()))))
        if counts:
            out[other.taxonomy] = [(other.groups[i], counts[i]) for i in sorted(counts)]
    return out


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
        prov, city = _province(art), art.city
        entry = (rank, art, prov, city, pset)
        for sub in subsets(pset):
            index[("*", sub)].append(entry)
            index[(prov, sub)].append(entry)
            if city:
                index[(prov, city, sub)].append(entry)
    related: dict[str, tuple[Article, ...]] = {}
    for art, pset in zip(articles, psets):
        prov, city = _province(art), art.city
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


def _province(art: Article) -> str:
    """The province slug of a shown article (only a draft lacks one, and a draft lacking
    one is never shown)."""
    return art.province.slug if art.province else ""


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
        h.update(f"{a.slug}|{_province(a)}|{a.city}|{','.join(p.slug for p in a.practices)}\n".encode())
    return h.hexdigest()


def group(articles: list[Article], provinces: Vocabulary, practices: Vocabulary,
          related_limit: int = 4, related_slugs: dict[str, tuple[str, ...]] | None = None,
          taxonomies: Sequence[Taxonomy] = DEFAULT_TAXONOMIES, words: dict[str, str] | None = None) -> Site:
    """Sort, group and cross-link the loaded articles. ``related_slugs`` is a result of
    :func:`_related` saved by an earlier build with the same :func:`related_signature`;
    ``taxonomies`` is :attr:`Config.taxonomies` (province and practices take the
    vocabularies given, the others read their file or find their terms in the cases);
    ``words`` are term slugs worked out by earlier builds (:func:`casebook.taxonomy.found_vocabulary`)."""
    ordered = newest_first(articles)
    by_slug = {a.slug: a for a in ordered}
    neighbours = {
        a.slug: (ordered[i + 1] if i + 1 < len(ordered) else None, ordered[i - 1] if i > 0 else None)
        for i, a in enumerate(ordered)
    }
    return Site(
        articles=tuple(ordered),
        taxonomies=_grouped(taxonomies, ordered, {"province": provinces, "practices": practices},
                            {} if words is None else words),
        related=(_related(ordered, related_limit) if related_slugs is None else
                 {a.slug: tuple(by_slug[s] for s in related_slugs[a.slug]) for a in ordered}),
        neighbours=neighbours,
    )
