"""YAML for user-written files (front-matter, ``site.yaml``, the practice vocabulary),
read so that no input can crash, hang or exhaust the build.

PyYAML's own composer is unsafe on hostile input: it recurses once per nesting level (a
``RecursionError`` at ~1,000 levels; libyaml's Cython composer overflows the C stack and
segfaults at ~30,000), follows aliases into cycles (``tags: &r [*r]``) and lets a few
hundred bytes of nested aliases ("billion laughs") expand to billions of nodes. So
:func:`load` builds the data itself from the parser's event stream, with an explicit stack:

- anchors, aliases and merge keys are refused (case metadata never needs them);
- nesting deeper than :data:`MAX_DEPTH` is refused at the event that goes too deep, so the
  parser never reads further (libyaml's scanner is quadratic in flow nesting: 30,000
  ``[`` take 5 s);
- a number longer than :data:`MAX_NUMBER_CHARS` is refused (Python refuses to convert
  integers of more than 4,300 digits, and such a value is never a real figure);
- a key given twice is refused, naming both lines (PyYAML silently keeps the last);
- only the core tags (text, number, boolean, null, list, mapping) are accepted;
- only one document.

Syntax errors come back as :class:`CasebookError` at the right line, with a hint for the
commonest mistakes: a full-width colon after a key (``city：嘉兴市``), a ``: `` inside an
unquoted value, and a tab. Everything is linear in the input's size, so the 5 MB limit on
a file bounds the time. The same implicit types as PyYAML's ``SafeLoader`` apply, except
that timestamps stay text (``date: 2024-13-40`` must reach the validator as text).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)

from .errors import CasebookError

MAX_DEPTH = 20  # lists and mappings inside each other; a case's front-matter uses 3
MAX_NUMBER_CHARS = 100  # an integer or float written with more characters is refused

Path_ = tuple[Any, ...]  # a key path into the data: ("cases", 0, "province")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _MERGE = (_T + t for t in ("str", "int", "float", "bool", "null", "merge"))
_SEQ, _MAP = _T + "seq", _T + "map"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader (libyaml's when PyYAML has it) without the timestamp resolver."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _T + "timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers
_WILDCARD = _RESOLVERS.get(None, [])
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # scalars only: it keeps no state for them
_SCALAR_CONSTRUCTORS = {tag: yaml.SafeLoader.yaml_constructors[tag] for tag in (_STR, _INT, _FLOAT, _BOOL, _NULL)}
_NO_KEY = object()


class _Frame:
    """An open list or mapping on the composer's stack."""

    __slots__ = ("value", "path", "is_map", "line", "key", "key_lines", "index")

    def __init__(self, value: Any, path: Path_, is_map: bool, line: int):
        self.value = value
        self.path = path
        self.is_map = is_map
        self.line = line  # where it starts
        self.key: Any = _NO_KEY  # a mapping's key waiting for its value
        self.key_lines: dict[Any, int] = {}  # each key's line, to report a duplicate
        self.index = 0  # a list's next item

    def child_path(self) -> Path_:
        return (*self.path, self.key if self.is_map else self.index)


def load(text: str, path: str, first_line: int = 1, what: str = "YAML") -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML document; return its data and the 1-based line of every key and list
    item (by key path). ``first_line`` is the file line of ``text``'s first line; a syntax
    error is reported as "invalid ``what``: …".

    Raises :class:`CasebookError` naming ``path`` and the line for anything unsafe or invalid.
    """
    loader = _Loader(text)
    try:
        return _compose(loader, path, first_line)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, path, first_line, what) from None
    except RecursionError:  # not expected: nothing below recurses more than MAX_DEPTH deep
        raise CasebookError("YAML is nested too deeply", path, first_line) from None
    finally:
        loader.dispose()


def _compose(loader: Any, path: str, first_line: int) -> tuple[Any, dict[Path_, int]]:
    get = loader.get_event
    get()  # StreamStart
    event = get()
    if isinstance(event, StreamEndEvent):
        return None, {}
    lines: dict[Path_, int] = {}
    stack: list[_Frame] = []
    root: Any = None
    event = get()  # the first node of the document
    while True:
        cls = type(event)
        line = event.start_mark.line + first_line
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            done = stack.pop()
            value: Any = done.value
            line = done.line
        else:
            if event.anchor is not None or cls is AliasEvent:
                name = event.anchor
                mark = f"'*{name}'" if cls is AliasEvent else f"'&{name}'"
                raise CasebookError(f"YAML anchors and aliases ({mark}) are not allowed here: write the value out",
                                    path, line)
            if cls is ScalarEvent:
                value = _scalar(event, path, line)
            else:
                is_map = cls is MappingStartEvent
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    raise CasebookError(f"YAML tag {event.tag!r} is not allowed here", path, line)
                if len(stack) >= MAX_DEPTH:
                    raise CasebookError(f"YAML is nested more than {MAX_DEPTH} levels deep", path, line)
                frame = _Frame({} if is_map else [], stack[-1].child_path() if stack else (), is_map, line)
                stack.append(frame)
                event = get()
                continue
        if not stack:
            root = value
            break
        top = stack[-1]
        if top.is_map:
            if top.key is _NO_KEY:
                if cls is not ScalarEvent:
                    raise CasebookError("a key must be a name, not a list or mapping", path, line)
                if event.tag is None and event.implicit[0] and value == "<<":
                    raise CasebookError("YAML merge keys ('<<') are not allowed here", path, line)
                first = top.key_lines.get(value)  # a scalar: always hashable
                if first is not None:
                    raise CasebookError(f"key {value!r} is given twice (first on line {first}): remove one",
                                        path, line)
                top.key_lines[value] = line
                top.key = value
                lines[(*top.path, value)] = line
            else:
                top.value[top.key] = value
                top.key = _NO_KEY
        else:
            lines[(*top.path, top.index)] = line
            top.value.append(value)
            top.index += 1
        event = get()
    event = get()
    if not isinstance(event, DocumentEndEvent):  # pragma: no cover - the parser guarantees it
        raise CasebookError("unexpected YAML after the document", path, event.start_mark.line + first_line)
    event = get()
    if not isinstance(event, StreamEndEvent):
        raise CasebookError("a second YAML document ('---' or '...' line) is not allowed here", path,
                            event.start_mark.line + first_line)
    return root, lines


def _scalar(event: ScalarEvent, path: str, line: int) -> Any:
    value: str = event.value
    tag = event.tag
    if tag is None and event.implicit[0]:  # plain: a number, boolean or null, or text
        for tag_, rx in _RESOLVERS.get(value[0] if value else "", ()) or _WILDCARD:
            if rx.match(value):
                tag = tag_
                break
        else:
            return value
    elif tag is None or tag == "!" or tag == _STR:
        return value
    if tag == _MERGE:
        return value  # '<<' as a value is text; as a key the caller refuses it
    constructor = _SCALAR_CONSTRUCTORS.get(tag)
    if constructor is None:
        raise CasebookError(f"YAML tag {tag!r} is not allowed here", path, line)
    if tag in (_INT, _FLOAT) and len(value) > MAX_NUMBER_CHARS:
        raise CasebookError(f"a number of {len(value)} characters is too long: put it in quotes if it is text",
                            path, line)
    try:
        return constructor(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except Exception:  # noqa: BLE001 - PyYAML's constructors fail in several ways on odd text ("!!int ''")
        raise CasebookError(f"{value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}", path, line) from None


# -- reading a file safely ------------------------------------------------------------------------

def read_bytes(path: str | Path, shown: str | Path, limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them, as a :class:`CasebookError`
    naming ``shown`` on failure. Opened without blocking and checked with ``fstat``, so a
    named pipe or a device (``x.md`` made with ``mkfifo``) is refused instead of hanging."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            _check_regular(os.stat(path).st_mode, shown)
        except OSError:
            pass
        raise CasebookError(f"cannot read file: {exc.strerror}", shown) from None
    with open(fd, "rb") as f:
        _check_regular(os.fstat(fd).st_mode, shown)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise CasebookError(f"file is over {limit // 1024 // 1024} MB; at most {limit // 1024 // 1024} MB allowed",
                            shown)
    return data


def _check_regular(mode: int, shown: str | Path) -> None:
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device")
        raise CasebookError(f"{kind}, not a regular file", shown)


def decode(data: bytes, shown: str | Path) -> str:
    """UTF-8 text (a BOM is dropped), or a :class:`CasebookError` at the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CasebookError("file is not UTF-8 text (save it as UTF-8)", shown, line) from None


def read_text(path: Path, what: str, limit: int = 5 * 1024 * 1024) -> str:
    """A small UTF-8 settings file (``site.yaml``, a vocabulary), errors naming ``what``."""
    try:
        return decode(read_bytes(path, path, limit), path)
    except CasebookError as exc:
        raise CasebookError(f"{what}: {exc.message}", exc.path, exc.line) from None


# -- syntax errors, explained --------------------------------------------------------------------

_BAD_COLON_RE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*(：\s*|:(?=[^\s]))(.*)$")
_KEY_RE = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"][^:#]*?)\s*:(?:\s|$)")


def bad_colon_hint(line_text: str) -> str | None:
    """A hint when a line looks like ``key：value`` or ``key:value`` (not a YAML key)."""
    m = _BAD_COLON_RE.match(line_text)
    if not m:
        return None
    key, sep, rest = m[1], m[2], m[3].strip()
    what = "a full-width colon '：'" if sep.startswith("：") else "no space after ':'"
    return f"'{line_text.strip()}' has {what}: write '{key}: {rest}' (an ASCII colon and a space)"


def _syntax_error(exc: yaml.YAMLError, text: str, path: str, first_line: int, what: str) -> CasebookError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    lines = text.split("\n")
    row = min(mark.line, len(lines) - 1) if mark else 0
    # A key written "city：嘉兴市" is read as text, and YAML notices only on a later line.
    for i in range(row, max(row - 3, -1), -1):
        hint = bad_colon_hint(lines[i])
        if hint:
            return CasebookError(f"invalid {what}: {hint}", path, i + first_line)
    here = lines[row] if mark else ""
    col = mark.column if mark else 0
    if "\t" in here[: col + 1]:
        return CasebookError(f"invalid {what}: a tab character (column {here.index(chr(9)) + 1}); "
                             "YAML is indented with spaces only: replace the tab with spaces", path, row + first_line)
    if problem.startswith("mapping values are not allowed"):
        key = _KEY_RE.match(here)
        name = f"the value of '{key[1]}'" if key else "a value"
        return CasebookError(f"invalid {what}: {name} contains ': ' (column {col + 1}), which YAML reads as another "
                             "key: put the whole value in quotes ('…')", path, row + first_line)
    return CasebookError(f"invalid {what}: {problem}", path, row + first_line)
