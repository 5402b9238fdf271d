"""Full-text search: Pagefind indexes the built pages (extended build: it segments Chinese).

It runs on the staging folder before the swap, so a published site never has pages
without their index. Only elements marked ``data-pagefind-body`` (case pages) are indexed.
Pagefind's exit status alone does not prove the index whole (on a full disk it reported
success with ``pagefind.js``, the wasm and ``pagefind-entry.json`` at 0 bytes), so every
file its entry and metadata name is checked before the index may be published.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

from . import children
from .errors import CasebookError

SIGNATURE = b"pagefind_dcd"  # every file Pagefind gzips starts with it, once decompressed


def index(site_dir: Path) -> None:
    """Write ``pagefind/`` into ``site_dir``, checked complete (:func:`check_index`).
    Pagefind dies with the build, even if the build is killed with ``kill -9`` (its Python
    launcher ``exec``s the binary, which keeps the parent-death signal; see
    :mod:`casebook.children`)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=1800, preexec_fn=children.preexec())
    except FileNotFoundError:
        raise CasebookError("search indexing needs Pagefind: pip install -r requirements.txt") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise CasebookError("search indexing failed: " + (detail[-1] if detail else f"exit {proc.returncode}"))
    check_index(site_dir / "pagefind")


def check_index(folder: Path) -> None:
    """Refuse a search index that is not whole: a file of it empty, ``pagefind-entry.json``
    unreadable, or a file that a language's metadata names (the wasm, each page's fragment,
    each index chunk and filter) missing or not a complete gzip stream. The caller then
    publishes nothing: the previous site stays."""
    problem = _empty_file(folder) or _entry_problem(folder)
    if problem:
        raise CasebookError(f"search index incomplete: {problem}; the site was not published "
                            "(is the disk full?)")


def _empty_file(folder: Path) -> str | None:
    if not (folder / "pagefind.js").is_file():
        return "pagefind/pagefind.js is missing"
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.getsize(path) == 0:
                return f"pagefind/{os.path.relpath(path, folder)} is empty"
    return None


def _entry_problem(folder: Path) -> str | None:
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_bytes())
        languages = entry["languages"]
        for info in languages.values():
            _read_packed(folder / f"wasm.{info['wasm'] or 'unknown'}.pagefind")
            meta = _decode(_read_packed(folder / f"pagefind.{info['hash']}.pf_meta"))
            for rel in _named_files(meta):
                _read_packed(folder / rel)
    except _Missing as exc:
        return str(exc)
    except (OSError, ValueError, LookupError, TypeError, AttributeError) as exc:
        return f"pagefind/pagefind-entry.json or the metadata it names is unreadable ({type(exc).__name__}: {exc})"
    return None


class _Missing(ValueError):
    """A file the index names that is absent or damaged."""


def _read_packed(path: Path) -> bytes:
    """A gzipped Pagefind file, whole (gzip's trailer holds a length and checksum)."""
    try:
        data = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise _Missing(f"pagefind/{path.name} is missing") from None
    except (OSError, EOFError, zlib.error):
        raise _Missing(f"pagefind/{path.name} is truncated or damaged") from None
    if not data.startswith(SIGNATURE):
        raise _Missing(f"pagefind/{path.name} is not a Pagefind file")
    return data[len(SIGNATURE):]


def _named_files(meta: object) -> list[str]:
    """The files a language's metadata names: ``[version, pages [hash, words], index chunks
    [from, to, hash], filters [name, hash], ...]`` (Pagefind 1.x)."""
    if not isinstance(meta, list) or len(meta) < 4:
        raise _Missing("the search metadata is not Pagefind's")
    return ([f"fragment/{page[0]}.pf_fragment" for page in meta[1]]
            + [f"index/{chunk[2]}.pf_index" for chunk in meta[2]]
            + [f"filter/{item[1]}.pf_filter" for item in meta[3]])


def _decode(data: bytes) -> object:
    value, end = _cbor(data, 0)
    if end != len(data):
        raise _Missing("the search metadata has trailing bytes")
    return value


def _cbor(data: bytes, at: int) -> tuple[object, int]:
    """One CBOR item (RFC 8949; definite lengths, as Pagefind writes) and where it ends."""
    if at >= len(data):
        raise _Missing("the search metadata is truncated")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise _Missing("the search metadata is not Pagefind's")
    if major in (2, 3):
        chunk = data[at:at + value]
        if len(chunk) < value:
            raise _Missing("the search metadata is truncated")
        return (chunk.decode() if major == 3 else chunk), at + value
    if major in (4, 5):
        items = []
        for _ in range(value * (major - 3)):  # a map's keys and values, in turn
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 6:  # a tag: its content
        return _cbor(data, at)
    return (-1 - value if major == 1 else value), at
