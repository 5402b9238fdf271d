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
from typing import TYPE_CHECKING

from . import safeyaml
from .config import THEME_NAME_RE, missing_theme
from .errors import CasebookError

if TYPE_CHECKING:  # imported where used: the nothing-changed check resolves the theme, nothing more
    import jinja2

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
    where: tuple[Path | None, int | None] = (None, None)  # the theme.yaml line naming ``current``
    while current is not None:
        if not THEME_NAME_RE.match(current):
            raise CasebookError(f"theme name {current!r} must be lowercase letters, digits, '-' or '_'", *where)
        folder = themes_dir / current
        if not folder.is_dir():
            raise CasebookError(missing_theme(current, themes_dir), *where)
        if folder in chain:
            names = " -> ".join(p.name for p in chain) + f" -> {current}"
            raise CasebookError(f"themes extend each other in a cycle: {names}", *where)
        chain.append(folder)
        current, where = _parent(folder / "theme.yaml")
    return Theme(name, tuple(chain))


def _parent(meta_file: Path) -> tuple[str | None, tuple[Path | None, int | None]]:
    """The theme a ``theme.yaml`` extends (None if none), and where it says so. Read as
    ``site.yaml`` is (:mod:`casebook.safeyaml`): the same limits and line-numbered errors."""
    if not meta_file.exists():
        return None, (None, None)
    meta, lines = safeyaml.load(safeyaml.read_text(meta_file, "theme settings", 1024 * 1024), str(meta_file))
    if meta is None:
        return None, (None, None)
    if not isinstance(meta, dict):
        raise CasebookError("theme settings must be a YAML mapping, e.g. 'extends: default'", meta_file, 1)
    parent = meta.get("extends")
    where = (meta_file, lines.get(("extends",)))
    if parent is None or parent == "":
        return None, where
    if not isinstance(parent, str):
        raise CasebookError(f"extends must name a theme folder, e.g. 'extends: default', not {parent!r}", *where)
    return parent, where


def environment(theme: Theme, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja environment over the chain: autoescaped, strict about undefined names.

    Each build makes its own environment (``serve`` too), so a template cannot change
    under one: ``auto_reload`` is off, which spares a ``stat`` of every template a page
    uses (four for a case page) on each of the site's 14,000 pages. It has the filters of
    :mod:`casebook.filters`; imported templates' macros and the filters over shared data
    cache their output (:mod:`casebook.memo`); ``bytecode_cache`` keeps compiled
    templates between builds."""
    import jinja2

    from .filters import FILTERS, SHARED
    from .memo import MemoTemplate, memoize
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        jinja2.PrefixLoader({
            d.name: jinja2.FileSystemLoader(str(d / "templates")) for d in theme.chain
        }),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=bytecode_cache,
    )
    env.template_class = MemoTemplate
    env.filters.update({name: memoize(f) if name in SHARED else f for name, f in FILTERS.items()})
    return env


def template_error(exc: Exception, name: str) -> CasebookError:
    """Turn a Jinja failure into an error naming the template file and line."""
    import jinja2
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return CasebookError(f"template syntax error: {exc.message}", exc.filename or exc.name or name, exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return CasebookError(f"template {exc.name!r} not found (needed by {name})")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    if frames:
        return CasebookError(f"template error: {exc}", frames[-1].filename, frames[-1].lineno)
    return CasebookError(f"template error in {name}: {exc}")
