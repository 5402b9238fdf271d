"""Provinces and practice types: taxonomies as data, on one code path.

Both are lists of :class:`Term`; the province table ships with the package (it is fixed
by law), the practice vocabulary is an editable YAML file named in ``site.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from . import safeyaml
from .errors import CasebookError, CasebookErrors, did_you_mean

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

    kind: str  # "province" or "practice": used in messages and URLs
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
    """The editable practice-type vocabulary (default ``data/practices.yaml``)."""
    text = safeyaml.read_text(path, "practice vocabulary")
    return _read_terms(text, str(path), "practice", ("name", "slug", "description", "keywords"))
