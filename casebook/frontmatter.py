"""Split a case file into YAML front-matter and Markdown body, keeping line numbers.

YAML's implicit date parsing is switched off: ``date: 2024-13-40`` must reach our
validator as text (and get a clear message), not crash inside PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .errors import CasebookError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader without the timestamp resolver."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


Path_ = tuple[Any, ...]  # a key path into the front-matter: ("cases", 0, "province")


@dataclass(frozen=True)
class Parsed:
    meta: dict[str, Any]
    lines: dict[Path_, int]  # 1-based line of each key / list item in the file
    body: str
    body_line: int


def _walk(node: yaml.Node, offset: int, prefix: Path_, out: dict[Path_, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, key.value)
            out[path] = key.start_mark.line + offset
            _walk(value, offset, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = (*prefix, i)
            out[path] = item.start_mark.line + offset
            _walk(item, offset, path, out)


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
    yaml_text = text[4:end + 1]
    body_start = end + 5
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise CasebookError(f"invalid YAML in front-matter: {problem}", path,
                            mark.line + 2 if mark else 2) from None
    finally:
        loader.dispose()
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CasebookError("front-matter must be a YAML mapping of keys to values", path, 2)
    lines: dict[Path_, int] = {}
    _walk(node, 2, (), lines)
    return Parsed(meta, lines, text[body_start:], body_line)
