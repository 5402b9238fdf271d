"""Split a case file into YAML front-matter and Markdown body, keeping line numbers.

The YAML is read by :mod:`casebook.safeyaml`: no anchors, aliases or deep nesting, no
duplicate keys, and no implicit dates (``date: 2024-13-40`` must reach our validator as
text and get a clear message).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import safeyaml
from .errors import CasebookError
from .safeyaml import Path_

__all__ = ["MAX_FRONT_MATTER", "Parsed", "Path_", "parse"]

MAX_FRONT_MATTER = 256 * 1024  # characters; a case's front-matter is ~1 KB


@dataclass(frozen=True)
class Parsed:
    meta: dict[str, Any]
    lines: dict[Path_, int]  # 1-based line of each key / list item in the file
    body: str
    body_line: int


def parse(text: str, path: str) -> Parsed:
    """Parse ``---\\nYAML\\n---\\nbody``; ``text`` has LF line endings and no BOM."""
    if not text.strip():
        raise CasebookError("file is empty (a case needs front-matter between '---' lines)", path, 1)
    if not text.startswith("---\n"):
        raise CasebookError("no front-matter: the file must start with a '---' line", path, 1)
    end = text.find("\n---\n", 3)
    if end == -1:
        end = text.find("\n---", 3) if text.endswith("\n---") else -1
    if end == -1:
        raise CasebookError("front-matter is not closed by a '---' line", path, 1)
    if end > MAX_FRONT_MATTER:
        raise CasebookError(f"front-matter is {end // 1024} KB; it may be at most {MAX_FRONT_MATTER // 1024} KB",
                            path, 1)
    yaml_text = text[4:end + 1]
    body_start = end + 5
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    meta, lines = safeyaml.load(yaml_text, path, 2, "YAML in front-matter")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        hint = safeyaml.bad_colon_hint(yaml_text.split("\n", 1)[0]) if isinstance(meta, str) else None
        raise CasebookError(f"invalid YAML in front-matter: {hint}" if hint else
                            "front-matter must be a YAML mapping of keys to values", path, 2)
    return Parsed(meta, lines, text[body_start:], body_line)
