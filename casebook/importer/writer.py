"""Render an imported article as Markdown with YAML front-matter, and write it safely.

Output must be byte-identical on every re-import (no clock, no dict-order
surprises), and an editor's hand edits must never be overwritten by accident:
:func:`write_safely` refuses to replace a file whose content differs unless
``force`` is given. An article with photos (``--images``) is a page bundle,
``<slug>/index.md`` with its pictures beside it (:func:`write_article`).
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from .. import schema
from ..errors import CasebookError
from .passes import Removal
from .structure import Block

#: A sub-case's keys, in the schema's order (the article's come from ``schema.in_schema_order``).
CASE_KEYS = tuple(f.name for f in schema.CASE_FIELDS)

#: libyaml's emitter when PyYAML has it (10x faster); both emit the same text for
#: these options, so output does not depend on which one a machine has.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: Characters that would start Markdown syntax at the beginning of a paragraph: a heading,
#: quote, list item, thematic break (``---``, ``* * *``), ``~~~`` fence, or definition (``: …``).
_BLOCK_START = re.compile(r"^(\d+)?([#>]|[-+*.)](?=\s)|[-*_](?=(?:\s*[-*_]){2,}\s*$)|~(?=~~)|[:~](?=\s))")
#: Text the renderer would read as markup anywhere in a line: raw HTML, comments and
#: autolinks (``<`` before a letter, ``/``, ``!`` or ``?``), entities (``&lt;``), code spans,
#: and a backslash that would escape the next character. ``*`` and ``_`` runs are left.
_INLINE = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)|`|\\(?=[!-/:-@[-`{-~])")
#: A bracket pair that makes a link, image, reference or footnote (``[x](…)``, ``[x]: …``,
#: ``[x][y]``, ``[^1]``): only then are the paragraph's ``[`` escaped.
_LINK = re.compile(r"\]\s*[(\[:]|\[\^")


def front_matter(values: dict[str, Any]) -> str:
    """YAML between ``---`` lines, keys in schema order, empty values left out."""
    ordered = {k: v for k, v in schema.in_schema_order(values).items() if v not in (None, "", [], {})}
    if "cases" in ordered:
        ordered["cases"] = [{k: c[k] for k in CASE_KEYS if c.get(k)} for c in ordered["cases"]]
    body = yaml.dump(ordered, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)
    return f"---\n{body}---\n"


def markdown(blocks: Sequence[Block]) -> str:
    """Body blocks as Markdown: ``##`` headings (with ``{#anchor}``), italic captions,
    ``![caption](file)`` photos."""
    out = []
    for block in blocks:
        if block.kind == "image":
            caption = escape_inline(block.text).replace("[", r"\[").replace("]", r"\]")
            out.append(f"![{caption}]({block.picture})")
        elif block.kind == "heading":
            out.append(f"## {escape_inline(block.text)}" + (f" {{#{block.anchor}}}" if block.anchor else ""))
        elif block.kind == "caption":
            out.append("*" + escape_inline(block.text).replace("*", r"\*") + "*")
        else:
            text = escape_inline(block.text)
            out.append(_BLOCK_START.sub(lambda m: (m.group(1) or "") + "\\" + m.group(2), text))
    return "\n\n".join(out) + "\n"


def escape_inline(text: str) -> str:
    """Article text as Markdown that renders as the same text: what the renderer would take
    for HTML, a comment, an entity, a code span or a link gets a backslash (the article's
    words then show literally instead of vanishing or becoming markup)."""
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    return text.replace("[", r"\[") if _LINK.search(text) else text


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


def write_article(out_dir: Path, slug: str, markdown: str, pictures: dict[str, bytes], force: bool) -> str:
    """Write one article: ``<slug>.md``, or the bundle ``<slug>/index.md`` with its
    ``pictures`` (file name -> bytes) when it has some or a bundle of it is already there
    (an editor's bundle is updated in place, never doubled by a ``<slug>.md`` beside it).

    The text is written first, so a bundle whose ``index.md`` an editor changed gets no
    new pictures either; a plain ``<slug>.md`` becomes a bundle only with ``force`` (it
    is then removed, or the site would have the case twice). Returns what
    :func:`write_safely` says of the text.
    """
    plain, bundle = out_dir / f"{slug}.md", out_dir / slug / "index.md"
    if not pictures and not bundle.exists():
        return write_safely(plain, markdown, force, base=out_dir)
    if plain.exists() and not force:
        raise CasebookError("exists as a single file; use --force to replace it with a bundle "
                            f"({slug}/index.md and its pictures)", plain)
    status = write_safely(bundle, markdown, force, base=out_dir)
    for name, data in sorted(pictures.items()):
        write_safely(bundle.parent / name, data, force, base=out_dir)
    if plain.exists():
        plain.unlink()
    return status


def write_safely(path: Path, content: str | bytes, force: bool, base: Path | None = None) -> str:
    """Write ``content`` unless a different file is already there; say what happened.

    Returns ``"created"``, ``"updated"`` or ``"unchanged"``. Writes go through a
    temporary file and an atomic rename, so an interrupted import leaves no half file.

    Nothing planted in the output folder redirects a write: the temporary file is
    created new (``O_EXCL``, a random name, never through a symbolic link), the file
    is opened and replaced relative to its folder's handle, and a target that is a
    symbolic link or not a regular file is refused, as is a symbolic link among the
    folders below ``base`` (``content/.import`` linked elsewhere).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    _make_folders(path.parent, base)
    # The folder's handle: what is read and renamed stays in the folder checked above.
    below_base = base is not None and path.parent != base
    try:
        flags = os.O_RDONLY | _O_DIRECTORY | (_O_NOFOLLOW if below_base else 0)
        folder = os.open(path.parent, flags) if _DIR_FD else -1
    except OSError as exc:
        raise CasebookError(f"cannot write here: {exc.strerror}", path.parent) from None
    try:
        existing = _read_existing(path, folder)
        if existing is not None:
            if existing == data:
                return "unchanged"
            if not force:
                raise CasebookError("exists with different content (edited by hand?); use --force to replace it", path)
        _replace(path, folder, data)
        return "updated" if existing is not None else "created"
    finally:
        if folder >= 0:
            os.close(folder)


_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FD = os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd


def _make_folders(folder: Path, base: Path | None) -> None:
    """Create ``folder``; below ``base`` none of its folders may be a symbolic link."""
    folder.mkdir(parents=True, exist_ok=True)
    if base is None:
        return
    for part in [folder, *folder.parents]:
        if part == base or base not in part.parents:
            break
        if part.is_symlink():
            raise CasebookError("is a symbolic link; not writing through it (remove it and import again)", part)


def _read_existing(path: Path, folder: int) -> bytes | None:
    """The bytes of the file already at ``path``; None when there is none."""
    try:
        info = os.stat(path.name, dir_fd=folder, follow_symlinks=False) if _DIR_FD else os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CasebookError(f"cannot read: {exc.strerror}", path) from None
    if stat.S_ISLNK(info.st_mode):
        raise CasebookError("is a symbolic link; not writing through it (remove it and import again)", path)
    if not stat.S_ISREG(info.st_mode):
        raise CasebookError("exists and is not a regular file; not replaced", path)
    flags = os.O_RDONLY | _O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path.name, flags, dir_fd=folder) if _DIR_FD else os.open(path, flags)
    except OSError as exc:
        raise CasebookError(f"cannot read: {exc.strerror}", path) from None
    with os.fdopen(fd, "rb") as file:
        return file.read()


def _replace(path: Path, folder: int, data: bytes) -> None:
    """Write ``data`` to a new temporary file beside ``path`` and rename it over ``path``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666, dir_fd=folder) if _DIR_FD else os.open(path.parent / tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise CasebookError(f"cannot write: {exc.strerror}", path) from None
    else:
        raise CasebookError("cannot create a temporary file beside it", path)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        if _DIR_FD:
            os.replace(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        else:
            os.replace(path.parent / tmp, path)
    except BaseException as exc:
        try:
            if _DIR_FD:
                os.unlink(tmp, dir_fd=folder)
            else:
                (path.parent / tmp).unlink()
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise CasebookError(f"cannot write: {exc.strerror}", path) from None
        raise
