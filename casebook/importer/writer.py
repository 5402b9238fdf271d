"""Render an imported article as Markdown with YAML front-matter, and write it safely.

Output must be byte-identical on every re-import (no clock, no dict-order
surprises), and an editor's hand edits must never be overwritten by accident:
:func:`write_safely` refuses to replace a file whose content differs unless
``force`` is given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from ..errors import CasebookError
from .passes import Removal
from .structure import Block

#: Front-matter keys in the order the build's schema lists them.
FRONT_MATTER_KEYS = (
    "title", "province", "practices", "slug", "date", "city", "county", "place", "source",
    "source_url", "authors", "summary", "tags", "figures", "cases", "draft",
)
CASE_KEYS = ("name", "province", "city", "county", "anchor", "practices")

#: libyaml's emitter when PyYAML has it (10x faster); both emit the same text for
#: these options, so output does not depend on which one a machine has.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: Characters that would start Markdown syntax at the beginning of a paragraph.
_BLOCK_START = re.compile(r"^(\d+)?([#>]|[-+*.)](?=\s))")


def front_matter(values: dict[str, Any]) -> str:
    """YAML between ``---`` lines, keys in schema order, empty values left out."""
    unknown = set(values) - set(FRONT_MATTER_KEYS)
    if unknown:
        raise ValueError(f"not front-matter keys: {sorted(unknown)}")
    ordered = {k: values[k] for k in FRONT_MATTER_KEYS if values.get(k) not in (None, "", [], {})}
    if "cases" in ordered:
        ordered["cases"] = [{k: c[k] for k in CASE_KEYS if c.get(k)} for c in ordered["cases"]]
    body = yaml.dump(ordered, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)
    return f"---\n{body}---\n"


def markdown(blocks: Sequence[Block]) -> str:
    """Body blocks as Markdown: ``##`` headings (with ``{#anchor}``), italic captions."""
    out = []
    for block in blocks:
        if block.kind == "heading":
            out.append(f"## {block.text}" + (f" {{#{block.anchor}}}" if block.anchor else ""))
        elif block.kind == "caption":
            out.append("*" + block.text.replace("*", r"\*") + "*")
        else:
            out.append(_BLOCK_START.sub(lambda m: (m.group(1) or "") + "\\" + m.group(2), block.text))
    return "\n\n".join(out) + "\n"


def report(source_name: str, applied: Iterable[str], removed: Iterable[Removal], html: bool = False) -> str:
    """The ``.removed.txt`` report: every removed line with the pass that removed it.

    A ``~`` marks a fragment removed from a line that was otherwise kept; ``→``
    shows what a repaired fragment became (characters missing on the right of the
    arrow were unrecoverable and dropped).
    """
    lines = [
        f"# Removed by the casebook importer from {source_name}",
        f"# Passes that changed the text: {', '.join(applied) or 'none'}",
    ]
    if html:
        lines.append("# HTML page: only the main text (per trafilatura) was imported; "
                     "navigation, sidebars and comments are not listed here")
    lines += [
        f"[{r.pass_name}] {'' if r.whole_line else '~ '}{r.text}" + (f" → {r.replacement}" if r.replacement else "")
        for r in removed
    ]
    return "\n".join(lines) + "\n"


def write_safely(path: Path, content: str, force: bool) -> str:
    """Write ``content`` unless a different file is already there; say what happened.

    Returns ``"created"``, ``"updated"`` or ``"unchanged"``. Writes go through a
    temporary file and an atomic rename, so an interrupted import leaves no half file.
    """
    data = content.encode("utf-8")
    if path.exists():
        if path.read_bytes() == data:
            return "unchanged"
        if not force:
            raise CasebookError("exists with different content (edited by hand?); use --force to replace it", path)
    status = "updated" if path.exists() else "created"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return status
