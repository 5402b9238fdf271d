"""Taxonomies as data: what a taxonomy is (:class:`Taxonomy`, an entry of ``site.yaml``'s
``taxonomies:``) and its terms (a :class:`Vocabulary` of :class:`Term`).

A taxonomy's terms come from a vocabulary file (the practice types, an editable YAML file
named in ``site.yaml``), from the province table that ships with the package (it is fixed
by law), or from the values the cases hold (:func:`found_vocabulary`: cities, years, tags),
slugged by pinyin. Reading the ``taxonomies:`` setting is :mod:`casebook.taxonomies`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from . import safeyaml
from .errors import CasebookError, CasebookErrors, did_you_mean
from .pinyin import slug_words

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Term:
    """One entry of a taxonomy: a province or a practice type."""

    slug: str
    name: str
    description: str = ""
    short: str = ""
    en: str = ""
    code: str = ""
    tile: tuple[int, int] | None = None
    keywords: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Vocabulary:
    """An ordered taxonomy with lookups by Chinese name and by slug."""

    kind: str  # what a term is called in messages: "province", "practice", "city"…
    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.terms})
        object.__setattr__(self, "_by_slug", {t.slug: t for t in self.terms})

    def by_name(self, name: str) -> Term | None:
        return self._by_name.get(name)  # type: ignore[attr-defined]

    def by_slug(self, slug: str) -> Term | None:
        return self._by_slug.get(slug)  # type: ignore[attr-defined]

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.terms]


_TEXT_KEYS = ("name", "slug", "description", "short", "en", "code")
_ALLOWED = (*_TEXT_KEYS, "tile", "keywords")


def _read_terms(text: str, path: str, kind: str, required: tuple[str, ...]) -> Vocabulary:
    """Parse and validate a YAML list of terms, reporting every problem with its line."""
    data, lines = safeyaml.load(text, path)
    if not isinstance(data, list):
        raise CasebookError(f"a {kind} vocabulary must be a YAML list", path, 1)
    errors: list[CasebookError] = []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        if not isinstance(item, dict):
            errors.append(CasebookError(f"each {kind} must be a mapping", path, line))
            continue
        problems = [CasebookError(f"unknown key {key!r} in {kind}{did_you_mean(str(key), _ALLOWED)}", path,
                                  lines.get((i, key), line))
                    for key in item if key not in _ALLOWED]
        missing = [k for k in required if item.get(k) in (None, "", [])]
        if missing:
            problems.append(CasebookError(f"{kind} is missing {', '.join(missing)}", path, line))
        fields: dict[str, str] = {}
        for key in _TEXT_KEYS:
            value = item.get(key)
            if value is None:
                fields[key] = ""
            elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
                fields[key] = str(value)
            else:
                problems.append(CasebookError(f"{key} must be text, not {_kind(value)}", path,
                                              lines.get((i, key), line)))
        tile = _tile(item.get("tile"))
        if tile is False:
            problems.append(CasebookError(f"tile must be [row, column], two whole numbers, not {item['tile']!r}",
                                          path, lines.get((i, "tile"), line)))
        keywords = _words(item.get("keywords"))
        if keywords is None:
            problems.append(CasebookError("keywords must be a list of words", path, lines.get((i, "keywords"), line)))
        if problems:
            errors.extend(problems)
            continue
        slug, name = fields["slug"], fields["name"]
        if not SLUG_RE.match(slug):
            errors.append(CasebookError(f"slug {slug!r} must be lowercase ASCII [a-z0-9-]", path, line))
        for key in (slug, name):
            if key in seen:
                errors.append(CasebookError(f"{key!r} is listed twice (first on line {seen[key]})", path, line))
            seen[key] = line
        terms.append(Term(slug=slug, name=name, description=fields["description"], short=fields["short"],
                          en=fields["en"], code=fields["code"], tile=tile or None, keywords=keywords or ()))
    if errors:
        raise CasebookErrors(errors)
    return Vocabulary(kind, tuple(terms))


def _kind(value: object) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), type(value).__name__)


def _tile(value: object) -> tuple[int, int] | None | Literal[False]:
    """``[row, col]`` as a pair of ints; None when absent; False when malformed."""
    if value is None:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1000 for v in value)):
        return (value[0], value[1])
    return False


def _words(value: object) -> tuple[str, ...] | None:
    """Keywords: a list of text (a single text is a one-word list); None when malformed."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(w, (str, int)) and not isinstance(w, bool) for w in items):
        return None
    words = tuple(str(w) for w in items)
    return words if all(w.strip() for w in words) else None


@cache
def load_provinces() -> Vocabulary:
    """The 34 provincial-level divisions, in GB/T 2260 code order."""
    text = resources.files("casebook").joinpath("data/provinces.yaml").read_text("utf-8")
    return _read_terms(text, "casebook/data/provinces.yaml", "province", ("name", "slug", "short", "tile"))


def load_practices(path: Path) -> Vocabulary:
    """The editable practice-type vocabulary (default ``data/practices.yaml``): the
    importer finds practices by their keywords, the practice pages show descriptions."""
    return load_vocabulary(path, "practice", ("name", "slug", "description", "keywords"))


def load_vocabulary(path: Path, kind: str, required: tuple[str, ...] = ("name", "slug")) -> Vocabulary:
    """A taxonomy's term list file (``vocabulary:`` in ``site.yaml``), every problem with its line."""
    return _read_terms(safeyaml.read_text(path, f"{kind} vocabulary"), str(path), kind, required)


@dataclass(frozen=True)
class Taxonomy:
    """One way of grouping the cases: an entry of ``site.yaml``'s ``taxonomies:``.

    Its name is its ``key`` (:attr:`casebook.model.Group.kind`). A nested taxonomy
    (``within``) has its term pages under its parent's (a city's under its province's),
    so its ``path`` is the parent's and its terms are unique within a parent term only.
    """

    key: str  # the front-matter field its terms come from; "year" is the year of ``date``
    path: str  # URL segment: terms at <path>/<slug>/, nested ones at <path>/<parent>/<slug>/
    label: str  # the shown name, e.g. 省份
    vocabulary: Path | None = None  # a term list file; None: the province table, or the values found
    within: str | None = None  # the key of the taxonomy whose term pages hold this one's

    @property
    def name(self) -> str:
        return self.key


#: Without a ``taxonomies:`` setting: today's two, so an existing site keeps building.
DEFAULT_TAXONOMIES = (Taxonomy("province", "provinces", "省份"), Taxonomy("practices", "practices", "实践类型"))

#: Found values whose slug may drop an administrative suffix (玉溪市 -> yuxi) when the
#: shortened slug stays unique among its neighbours (海东市 and 海东地区 keep theirs whole).
_SHORTENED = {"city": re.compile(r"(?<=.)(?:自治州|地区|市|州|盟)$")}
#: Term listings in an order other than their slugs': years newest first.
_NEWEST_FIRST = frozenset({"year"})
#: Found terms named otherwise than their value (slugged from the value): a year's page is 2025年.
_SHOWN = {"year": "{}年"}


def shown_name(kind: str, value: str) -> str:
    """The name a found term of ``kind`` has on pages: its value, or the year ``2025`` as ``2025年``."""
    return _SHOWN[kind].format(value) if kind in _SHOWN else value


def found_vocabulary(kind: str, names: Iterable[str], reserved: frozenset[str] = frozenset(),
                     words: dict[str, str] | None = None) -> Vocabulary:
    """The terms of a taxonomy without a vocabulary file: the distinct values the cases
    hold. Slugs are pinyin (:func:`casebook.pinyin.slug_words`); a slug two names share
    goes to the name first in code-point order, the next gets ``-2`` and so on, so the same
    values give the same URLs in every build. ``reserved`` slugs are never given (``page``
    under a parent term's pages, where the pager lives). ``words`` holds the pinyin slugs
    of names worked out before and takes the new ones: a build keeps it in its cache, since
    a name the place table lacks (北京, 香港) costs loading pypinyin, 0.3 s."""
    ordered = sorted(set(names))
    slugs = _unique(ordered, _wanted_slugs(kind, ordered, {} if words is None else words), reserved)
    terms = [Term(slug=slugs[n], name=shown_name(kind, n)) for n in ordered]
    if kind in _NEWEST_FIRST:
        terms.reverse()
    else:
        terms.sort(key=lambda t: t.slug)
    return Vocabulary(kind, tuple(terms))


def _wanted_slugs(kind: str, names: list[str], words: dict[str, str]) -> dict[str, str]:
    """Each name's slug before collisions are settled (suffixes shortened where they may be)."""
    shorten = _SHORTENED.get(kind)
    wanted = {n: _slug(shorten.sub("", n) if shorten else n, words) for n in names}
    if shorten:
        shared = {s for s, k in Counter(wanted.values()).items() if k > 1}
        wanted = {n: _slug(n, words) if s in shared else s for n, s in wanted.items()}
    return wanted


def _slug(name: str, words: dict[str, str]) -> str:
    """The pinyin slug of a name (remembered in ``words``); a name of punctuation alone
    gets a hash of itself."""
    slug = words.get(name)
    if slug is None:
        slug = words[name] = slug_words(name) or "t-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return slug


def _unique(names: list[str], wanted: dict[str, str], reserved: frozenset[str]) -> dict[str, str]:
    used = set(reserved)
    slugs: dict[str, str] = {}
    for name in names:
        slug, n = wanted[name], 2
        while slug in used:
            slug, n = f"{wanted[name]}-{n}", n + 1
        used.add(slug)
        slugs[name] = slug
    return slugs
