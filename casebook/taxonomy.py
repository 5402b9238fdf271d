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

import yaml

from .errors import CasebookError, CasebookErrors

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# libyaml when PyYAML has it: every build reads both vocabularies, and the pure-Python
# parser takes most of 0.1 s over them.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def _line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _read_terms(text: str, path: str, kind: str, required: tuple[str, ...]) -> Vocabulary:
    """Parse and validate a YAML list of terms, reporting every problem with its line."""
    loader = _Loader(text)
    try:
        return _terms(loader, path, kind, required)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CasebookError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path,
                            mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def _terms(loader: yaml.SafeLoader, path: str, kind: str, required: tuple[str, ...]) -> Vocabulary:
    root = loader.get_single_node()
    if not isinstance(root, yaml.SequenceNode):
        raise CasebookError(f"a {kind} vocabulary must be a YAML list", path, 1)
    errors: list[CasebookError] = []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    allowed = {"name", "slug", "description", "short", "en", "code", "tile", "keywords"}
    for node in root.value:
        line = _line_of(node)
        item = loader.construct_document(node) if isinstance(node, yaml.MappingNode) else None
        if not isinstance(item, dict):
            errors.append(CasebookError(f"each {kind} must be a mapping", path, line))
            continue
        for key in sorted(set(item) - allowed):
            errors.append(CasebookError(f"unknown key {key!r} in {kind}", path, line))
        missing = [k for k in required if not item.get(k)]
        if missing:
            errors.append(CasebookError(f"{kind} is missing {', '.join(missing)}", path, line))
            continue
        slug, name = str(item["slug"]), str(item["name"])
        if not SLUG_RE.match(slug):
            errors.append(CasebookError(f"slug {slug!r} must be lowercase ASCII [a-z0-9-]", path, line))
        for key in (slug, name):
            if key in seen:
                errors.append(CasebookError(f"{key!r} is listed twice (first on line {seen[key]})", path, line))
            seen[key] = line
        tile = item.get("tile")
        terms.append(Term(
            slug=slug, name=name,
            description=str(item.get("description", "")),
            short=str(item.get("short", "")), en=str(item.get("en", "")),
            code=str(item.get("code", "")),
            tile=(int(tile[0]), int(tile[1])) if tile else None,
            keywords=tuple(str(k) for k in item.get("keywords") or ()),
        ))
    if errors:
        raise CasebookErrors(errors)
    return Vocabulary(kind, tuple(terms))


@cache
def load_provinces() -> Vocabulary:
    """The 34 provincial-level divisions, in GB/T 2260 code order."""
    text = resources.files("casebook").joinpath("data/provinces.yaml").read_text("utf-8")
    return _read_terms(text, "casebook/data/provinces.yaml", "province", ("name", "slug", "short", "tile"))


def load_practices(path: Path) -> Vocabulary:
    """The editable practice-type vocabulary (default ``data/practices.yaml``)."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise CasebookError(f"cannot read practice vocabulary: {exc.strerror}", path) from None
    except UnicodeDecodeError:
        raise CasebookError("practice vocabulary is not UTF-8", path) from None
    return _read_terms(text, str(path), "practice", ("name", "slug", "description", "keywords"))
