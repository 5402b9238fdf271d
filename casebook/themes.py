"""Theme chain -> one Jinja environment and one merged static folder.

``themes/<name>/theme.yaml`` may say ``extends: <parent>``. Templates resolve child
first, then parent; ``{% extends "default/base.html" %}`` reaches a named theme's
own copy, so a child can extend its parent's namesake (as Pelican's ``!theme/``).
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .errors import CasebookError

THEME_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# An id written literally in a template: an attribute ``id="x"`` or a macro argument ``id='x'``.
_LITERAL_ID_RE = re.compile(r"""\bid\s*=\s*(?:"([^"{}\s]+)"|'([^'{}\s]+)')""")


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its chain of folders, child first."""

    name: str
    chain: tuple[Path, ...]

    @property
    def template_dirs(self) -> list[Path]:
        return [d / "templates" for d in self.chain if (d / "templates").is_dir()]

    def template_sources(self) -> list[tuple[str, str]]:
        """(path, text) of every template file of the chain, parents' overridden ones too
        (``{% extends "default/base.html" %}`` reaches them)."""
        return [(str(f), f.read_text("utf-8", "replace")) for folder in self.template_dirs
                for f in sorted(folder.rglob("*")) if f.is_file()]

    def element_ids(self) -> frozenset[str]:
        """The element ids the theme's templates write literally: a body may not take them
        (:func:`casebook.markup.protect_ids`), or it could hijack the theme's scripts and links."""
        return frozenset(a or b for _, text in self.template_sources() for a, b in _LITERAL_ID_RE.findall(text))

    def static_files(self) -> dict[str, Path]:
        """Static files by relative path; a child's file replaces its parent's."""
        files: dict[str, Path] = {}
        for folder in reversed(self.chain):
            static = folder / "static"
            if static.is_dir():
                for f in sorted(static.rglob("*")):
                    if f.is_file() and not f.is_symlink():
                        files[f.relative_to(static).as_posix()] = f
        return files


def resolve(themes_dir: Path, name: str) -> Theme:
    """Follow ``extends`` from ``name`` to the root theme, refusing cycles and odd names."""
    chain: list[Path] = []
    current: str | None = name
    while current is not None:
        if not THEME_NAME_RE.match(current):
            raise CasebookError(f"theme name {current!r} must be lowercase letters, digits, '-' or '_'")
        folder = themes_dir / current
        if not folder.is_dir():
            raise CasebookError(f"theme {current!r} not found in {themes_dir}")
        if folder in chain:
            names = " -> ".join(p.name for p in chain) + f" -> {current}"
            raise CasebookError(f"themes extend each other in a cycle: {names}")
        chain.append(folder)
        meta_file = folder / "theme.yaml"
        meta: dict[str, Any] = {}
        if meta_file.exists():
            try:
                meta = yaml.safe_load(meta_file.read_text("utf-8")) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise CasebookError(f"invalid YAML: {exc}", meta_file, mark.line + 1 if mark else None) from None
            if not isinstance(meta, dict):
                raise CasebookError("theme.yaml must be a mapping", meta_file, 1)
        parent = meta.get("extends")
        current = str(parent) if parent else None
    return Theme(name, tuple(chain))


def environment(theme: Theme) -> jinja2.Environment:
    """A Jinja environment over the chain: autoescaped, strict about undefined names.

    Each build makes its own environment (``serve`` too), so a template cannot change
    under one: ``auto_reload`` is off, which spares a ``stat`` of every template a page
    uses (four for a case page) on each of the site's 14,000 pages."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        jinja2.PrefixLoader({
            d.name: jinja2.FileSystemLoader(str(d / "templates")) for d in theme.chain
        }),
    ])
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def template_error(exc: Exception, name: str) -> CasebookError:
    """Turn a Jinja failure into an error naming the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return CasebookError(f"template syntax error: {exc.message}", exc.filename or exc.name or name, exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return CasebookError(f"template {exc.name!r} not found (needed by {name})")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    if frames:
        return CasebookError(f"template error: {exc}", frames[-1].filename, frames[-1].lineno)
    return CasebookError(f"template error in {name}: {exc}")
