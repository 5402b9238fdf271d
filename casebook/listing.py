"""The case files of a content folder, each with its stat: what the nothing-changed check
(:mod:`casebook.lastbuild`) compares with the last build and the loader
(:mod:`casebook.load`) reads. Only the standard library: the check runs before the build
knows it has work, so it must not pay for Markdown, Jinja2 or Pygments."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import CasebookError, CasebookErrors

FileStat = tuple[int, int, int, int]  # (size, mtime_ns, ctime_ns, inode): see cache.source_stat


def content_files(content_dir: Path, project_root: Path) -> list[tuple[str, str, FileStat | None]]:
    """Every ``*.md`` under ``content_dir`` (sorted, a folder's files before its subfolders),
    skipping hidden and ``_`` files and folders, with its path, its path relative to the
    project (for messages) and its (size, mtime) (None if it cannot be stat'ed).

    A symlink that leads outside ``content_dir`` is refused: content must not pull in
    arbitrary files from the machine that builds the site. Symlinked folders are not
    followed. A name that is not valid UTF-8 (files unzipped from a GBK archive) and a
    symlink loop are errors too; all of them are reported together.
    ``os.scandir`` gives each entry's type without a system call, so listing
    10,000 files costs one ``stat`` each (their size and mtime tell the cache what changed).
    """
    if not content_dir.is_dir():
        what = "is not a folder" if content_dir.exists() else "does not exist"
        raise CasebookError(f"content folder {content_dir} {what}")
    base = content_dir.resolve()
    try:
        rel_root = str(content_dir.relative_to(project_root))
    except ValueError:
        rel_root = str(content_dir)
    found: list[tuple[str, str, FileStat | None]] = []
    errors: list[CasebookError] = []
    _scan(str(content_dir), rel_root, base, found, errors)
    if errors:
        raise CasebookErrors(errors)
    return found


def bundle_stat(index: str, stat: FileStat) -> FileStat:
    """A page bundle's stat: its ``index.md``'s size and inode, with the newest mtime and
    ctime of it, its folders and its other files. A picture changed, added, removed or
    renamed changes a ctime (the kernel sets it on every change, and a folder's on every
    entry added or removed), so the "nothing changed" check and the cache see it."""
    folders, files = bundle_paths(index)
    mtime, ctime = stat[1], stat[2]
    for path in (os.path.dirname(index), *folders, *files):
        try:
            st = os.stat(path)
        except OSError:
            continue
        mtime, ctime = max(mtime, st.st_mtime_ns), max(ctime, st.st_ctime_ns)
    return stat[0], mtime, ctime, stat[3]


def _bad_name(name: str, is_dir: bool) -> str | None:
    """None for a name that is valid UTF-8, else the message for it: ``os`` gives
    undecodable bytes as surrogates, which no URL, cache key or message can hold."""
    guess = not_utf8(name)
    return None if guess is None else f"{'folder' if is_dir else 'file'} name is not valid UTF-8{guess}: rename it"


def not_utf8(text: str) -> str | None:
    """None for text that is valid UTF-8; else what to say after "is not valid UTF-8": its
    reading as GBK, if it has one (a name or argument from a Chinese Windows machine or a
    GBK terminal reaches Python as undecodable bytes, held as surrogates)."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    try:
        return f" (as GBK it reads {os.fsencode(text).decode('gb18030')})"
    except UnicodeDecodeError:
        return ""


def _printable(name: str) -> str:
    """A name that is not valid UTF-8, its bytes beyond ASCII shown as ``\\xd5``."""
    return os.fsencode(name).decode("ascii", "backslashreplace")


def _scan(folder: str, rel_folder: str, base: Path, found: list[tuple[str, str, FileStat | None]],
          errors: list[CasebookError]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:  # an unreadable subfolder is skipped, as os.walk would
        return
    subfolders = []
    for entry in entries:
        if entry.name.startswith((".", "_")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:  # a symlink loop (ELOOP): reported below if it is named *.md
            is_dir = False
        if not is_dir and not entry.name.endswith(".md"):
            continue
        bad_name = None if entry.name.isascii() else _bad_name(entry.name, is_dir)
        if bad_name:
            errors.append(CasebookError(bad_name, os.path.join(rel_folder, _printable(entry.name))))
            continue
        if is_dir:
            if not entry.is_symlink():
                subfolders.append(entry)
            continue
        rel = f"{rel_folder}/{entry.name}"  # os.path.join's checks cost a tenth of the listing
        if entry.is_symlink():
            try:
                real = Path(entry.path).resolve(strict=True)
            except FileNotFoundError:
                real = Path(entry.path).resolve()
            except (OSError, RuntimeError):  # a loop: ELOOP, or RuntimeError on Python < 3.13
                errors.append(CasebookError("symlink loop: the link leads back to itself", rel))
                continue
            if base not in real.parents:
                errors.append(CasebookError(f"symlink points outside the content folder (to {real})", rel))
                continue
        try:
            st = entry.stat()
            stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            found.append((entry.path, rel, bundle_stat(entry.path, stat) if entry.name == "index.md" else stat))
        except OSError:
            found.append((entry.path, rel, None))
    for entry in subfolders:
        _scan(entry.path, os.path.join(rel_folder, entry.name), base, found, errors)


def bundle_paths(index: str) -> tuple[list[str], list[str]]:
    """The subfolders and the files of the page bundle ``index`` (``…/index.md``) besides
    itself and other ``.md`` files, sorted, hidden and ``_`` names skipped: what a change
    to tells the build to read the case again."""
    folders: list[str] = []
    files: list[str] = []
    folder = os.path.dirname(index)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        folders.extend(os.path.join(dirpath, d) for d in dirnames)
        files.extend(os.path.join(dirpath, name) for name in sorted(filenames)
                     if not name.startswith((".", "_")) and not name.endswith(".md"))
    return folders, files
