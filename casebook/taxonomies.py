"""``site.yaml``'s ``taxonomies:`` setting: read and checked into :class:`Taxonomy` entries.

Each entry names the front-matter ``key`` its terms come from, the URL ``path`` of its
pages and the ``label`` they show; ``vocabulary`` names a term list file, ``within``
nests its pages under another taxonomy's term pages (cities under their province). Every
problem is reported with its line, all at once, like the rest of ``site.yaml``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from . import urls
from .errors import CasebookError, did_you_mean
from .model import Article
from .taxonomy import DEFAULT_TAXONOMIES, SLUG_RE, Taxonomy

ENTRY_KEYS = ("key", "path", "label", "vocabulary", "within")
#: Taxonomies the theme links every case to: a site must keep them.
REQUIRED = ("province", "practices")
#: Keys whose terms are not a vocabulary file's: the packaged province table, the years found.
_NO_VOCABULARY = {"province": "provinces come from the table shipped with casebook",
                  "year": "years are those of the cases' dates"}
Lines = dict[tuple[Any, ...], int]


def groupable_keys() -> tuple[str, ...]:
    """The keys a taxonomy can group by: the case fields holding text or terms (whichever
    the schema has), and ``year``, the year of ``date``."""
    kinds = {"str | None", "tuple[str, ...]", "Term | None", "tuple[Term, ...]"}
    return (*(f.name for f in dataclasses.fields(Article) if f.type in kinds), "year")


def read_taxonomies(value: Any, lines: Lines, path: Path, practices_file: Path,
                    errors: list[CasebookError]) -> tuple[Taxonomy, ...]:
    """The ``taxonomies:`` list of ``site.yaml`` (``value``; None when absent: the default
    two), problems appended to ``errors``. ``lines`` are the file's, by key path."""
    if value is None:
        return DEFAULT_TAXONOMIES
    line = lines.get(("taxonomies",))
    if not isinstance(value, list) or not value:
        errors.append(CasebookError("taxonomies must be a list of entries such as "
                                    "{key: province, path: provinces, label: 省份}", path, line))
        return DEFAULT_TAXONOMIES
    reader = _Reader(lines, path, practices_file, errors)
    found = [t for i, item in enumerate(value) if (t := reader.entry(i, item)) is not None]
    reader.check_all(found, line)
    return tuple(found)


class _Reader:
    """Checks entries one by one, remembering the lines of the keys and paths seen."""

    def __init__(self, lines: Lines, path: Path, practices_file: Path, errors: list[CasebookError]):
        self.lines, self.path, self.practices_file, self.errors = lines, path, practices_file, errors
        self.key_lines: dict[str, int] = {}
        self.path_lines: dict[str, tuple[str, int]] = {}
        self.within_lines: dict[str, int] = {}

    def line(self, i: int, key: str | None = None) -> int | None:
        return self.lines.get(("taxonomies", i, key) if key else ("taxonomies", i),
                              self.lines.get(("taxonomies", i)))

    def fail(self, message: str, i: int, key: str | None = None) -> None:
        self.errors.append(CasebookError(message, self.path, self.line(i, key)))

    def entry(self, i: int, item: Any) -> Taxonomy | None:
        if not isinstance(item, dict):
            self.fail("each taxonomy must be a mapping such as {key: tags, path: tags, label: 标签}", i)
            return None
        failed = len(self.errors)
        for name in item:
            if name not in ENTRY_KEYS:
                self.fail(f"unknown taxonomy setting {name!r}{did_you_mean(str(name), ENTRY_KEYS)}", i, name)
        text = {name: self.text(i, item, name) for name in ENTRY_KEYS}
        key, within = text["key"], text["within"]
        for name in ("key", "label") + (() if within else ("path",)):
            if name not in item:
                self.fail(f"a taxonomy needs {name}", i)
        if key:
            self.check_key(i, key)
        vocabulary = self.vocabulary(i, key, text["vocabulary"]) if text["vocabulary"] else None
        if within:
            self.within_lines[key] = self.line(i, "within") or 0
            if text["vocabulary"]:
                self.fail(f"{key} within {within} takes no vocabulary: its terms are found under each {within}",
                          i, "vocabulary")
            if text["path"]:
                self.fail(f"{key} pages live under its {within} pages ({within}'s path/<{within}>/<{key}>/): "
                          "drop path", i, "path")
        elif text["path"]:
            self.check_path(i, key, text["path"])
        if len(self.errors) > failed:
            return None
        return Taxonomy(key=key, path=text["path"], label=text["label"], vocabulary=vocabulary, within=within or None)

    def text(self, i: int, item: dict[str, Any], name: str) -> str:
        value = item.get(name)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{name} must be text, not {value!r}", i, name)
            return ""
        return value.strip()

    def check_key(self, i: int, key: str) -> None:
        keys = groupable_keys()
        if key not in keys:
            self.fail(f"key {key!r} is not a case field to group by{did_you_mean(key, keys)} "
                      f"(one of {', '.join(keys)})", i, "key")
        elif key in self.key_lines:
            self.fail(f"taxonomy {key!r} is listed twice (first on line {self.key_lines[key]})", i, "key")
        self.key_lines.setdefault(key, self.line(i, "key") or 0)

    def check_path(self, i: int, key: str, path: str) -> None:
        if not SLUG_RE.match(path):
            self.fail(f"path {path!r} must be one URL segment of lowercase ASCII letters, digits and '-'", i, "path")
        elif path in urls.BUILT_IN:
            self.fail(f"path {path!r} is casebook's own (/{path}/): choose another", i, "path")
        elif path in self.path_lines:
            other, line = self.path_lines[path]
            self.fail(f"path {path!r} is already taxonomy {other!r}'s (line {line})", i, "path")
        self.path_lines.setdefault(path, (key, self.line(i, "path") or 0))

    def vocabulary(self, i: int, key: str, name: str) -> Path | None:
        file = (self.path.parent / name).resolve()
        if key in _NO_VOCABULARY:
            self.fail(f"{key} takes no vocabulary: {_NO_VOCABULARY[key]}", i, "vocabulary")
        elif key == "practices" and file != self.practices_file.resolve():
            self.fail(f"the practice vocabulary is practices_file ({self.practices_file}): "
                      "set it there, or drop vocabulary here", i, "vocabulary")
        elif not file.is_file():
            self.fail(f"vocabulary file {name!r} not found ({file})", i, "vocabulary")
        else:
            return file
        return None

    def check_all(self, found: list[Taxonomy], line: int | None) -> None:
        """What only the whole list tells: the required taxonomies, and where each nested one goes."""
        missing = [k for k in REQUIRED if k not in self.key_lines]
        if missing:
            self.errors.append(CasebookError(f"taxonomies must list {' and '.join(missing)}: the theme links "
                                             "every case to its province and practice pages", self.path, line))
        by_key = {t.key: t for t in found}
        for i, taxonomy in enumerate(found):
            if taxonomy.within is None:
                continue
            parent = by_key.get(taxonomy.within)
            where = self.within_lines[taxonomy.key]
            if parent is None or parent is taxonomy:
                problem = f"within {taxonomy.within!r} must name another listed taxonomy" + did_you_mean(
                    taxonomy.within, [k for k in by_key if k != taxonomy.key])
            elif parent.within is not None:
                problem = f"within {taxonomy.within!r}: that taxonomy is itself nested (one level only)"
            else:
                found[i] = dataclasses.replace(taxonomy, path=parent.path)
                continue
            self.errors.append(CasebookError(problem, self.path, where))
