"""list[Output] -> output/, atomically: readers and hosts never see a half-written site.

The new site is assembled in a staging folder beside ``output/``: files whose bytes are
unchanged are hard-linked from the current output (so their mtimes stay), the rest are
written fresh. Then staging and output are swapped in one step (``renameat2`` with
``RENAME_EXCHANGE`` on Linux; two renames elsewhere) and the old tree is deleted. If
nothing changed at all, nothing is touched. A build killed at any point leaves the
previous ``output/`` complete; its leftover staging folder is removed by the next build.

Casebook never destroys what it did not write. The output folder carries a marker file
(:data:`MARKER`); a build refuses an existing folder that lacks it and holds anything
(:func:`claim`) unless told to adopt it. Files matching the ``keep:`` patterns
(:class:`Keep`; by default dotfiles such as ``.git`` and ``.nojekyll``, and ``CNAME``) are
never listed, replaced or removed: a swap carries them into the new tree (hard links), so
``output/`` can be a GitHub Pages checkout. One build at a time writes an output folder
(:func:`lock_output`); staging folders carry the output's exact name and their owner's
process id, and only those of dead owners are removed.

An output folder that is a mount point (a Docker volume, a tmpfs; a bind mount too) cannot
be renamed: its staging folder is made inside it and its *contents* are swapped, each
top-level file and folder atomically (:func:`_swap_contents`). An output folder that is a
symbolic link is followed, as Hugo follows its ``publishDir``: the build writes into the
link's target, beside which it stages, and the link stays. An output folder that cannot be
written (a read-only mount, ``chattr +i``, no permission) is an error before anything is
rendered (:func:`lock_output`).

A first build (no ``output/`` yet) has nothing to compare with: the processes that render
the pages write them into the staging folder themselves (:func:`new_tree`), which is then
renamed into place, so no process holds the whole site's bytes.

Exception, for incremental builds: when only a few files change (at most ``IN_PLACE_MAX``
files or ``IN_PLACE_SHARE`` of the site), those files are replaced in place, all or nothing:
every new file is written under a temporary name first, then all are renamed into place
(the replaced ones linked aside, so any failure puts them back). A full disk leaves the
previous site complete. A reader sees each page old or new, never half-written, but may
briefly see a new page next to an old list. Linking 15,000 unchanged files into a staging
folder and deleting the old tree would cost seconds for a one-page edit.

If such a build also changes the search index (a body edit with search on), only
``search-index/`` is staged (:class:`_InPlace`), in this order:

1. a staging folder (the same as a swap's, beside the output or inside a mount point)
   gets hard links to every current index file, and ``finish`` brings that copy up to date
   (it replaces the files it changes, never rewrites one: the published index's files
   never change) and checks it whole;
2. each changed page is written beside its target under a temporary name, the file it
   replaces linked aside;
3. with SIGINT, SIGTERM and SIGHUP held: the new index folder is exchanged with the old
   one (one ``renameat2``; a rename if there was none), then each temporary is renamed
   over its page and removed files are moved aside;
4. the staging folder (now holding the old index) and the aside files are deleted.

Why this is safe: a failure or Ctrl-C at steps 1-3 takes back what step 3 did (exchange
back, rename back) and deletes the temporaries and the staging folder: the previous site,
byte for byte. A signal during step 3 waits until it is done. A build killed outright
(SIGKILL, power) before step 3 leaves the previous site and a staging folder and
temporaries that the next build removes; within step 3 (a few renames), a whole index,
old or new, beside pages each old or new, which the next build completes. The index goes
first because the next build judges the two differently: it finds an index the cache's
state does not describe and makes it again whole, whereas a page already published looks
unchanged to it, so an index left behind that page would never be brought up to date. A
reader never sees a page without an index, nor half of one: the folder is replaced in one
step, and its files are named by their content (see :mod:`casebook.searchindex`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .errors import CasebookError
from .model import Output
from .searchindex import FOLDER

STAGING_PREFIX = ".casebook-staging-"  # + owner's pid + "-" + the output folder's name
LOCK_PREFIX = ".casebook-lock-"  # + the output folder's name, beside it (inside a mount point)
PROBE_PREFIX = ".casebook-probe-"  # + pid: the file that proves the output folder writable
TEMP_SUFFIX = ".casebook-tmp"  # an in-place update's new file, before it is renamed into place
OLD_SUFFIX = ".casebook-old"  # an in-place update's replaced file, until the update is complete
# In the root of every output folder casebook builds: the folder is casebook's to manage.
MARKER = ".casebook-site"
MARKER_TEXT = (b'{"generator": "casebook", "note": "casebook builds this folder: every build replaces or '
               b'removes each file in it except those matching keep: in site.yaml"}\n')
DEFAULT_KEEP = (".*", "CNAME")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

# The step that makes the derived files (the search index): ``finish(into, pages)`` writes
# ``into/search-index/``, replacing (never rewriting) any file already there, and reads the
# case pages this build did not render from the tree ``pages``.
Finish = Callable[[Path, Path], None]


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    changed_paths: frozenset[str] = frozenset()  # written or removed
    in_place: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


# An update of at most this many files (or this share of the site) is applied in place,
# each file atomically (write a temporary file, rename it over the old one), instead of
# staging and swapping the whole tree: linking 15,000 unchanged files into a staging
# folder and deleting the old tree costs seconds on a disk, for a one-page edit.
IN_PLACE_MAX = 200
IN_PLACE_SHARE = 0.02


def _safe_target(root: Path, rel: str) -> Path:
    """Refuse any output path that would land outside the output folder."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or any(p in ("", ".", "..") for p in rel.split("/")):
        raise CasebookError(f"refusing to write {rel!r}: output paths must stay inside the output folder")
    return root / rel


def _working(rel: str) -> bool:
    """casebook's own files in the output folder's root: the marker, and a mount point's
    lock, staging folders and write probe. Never listed as the site's files, never kept."""
    return rel == MARKER or rel.startswith((STAGING_PREFIX, LOCK_PREFIX, PROBE_PREFIX))


def _leftover(rel: str) -> bool:
    """A temporary file an in-place update left when it was killed: the site's to remove,
    never a user's to keep (its name starts with a dot, as ``keep: .*`` matches)."""
    return rel.endswith((TEMP_SUFFIX, OLD_SUFFIX))


def _glob(pattern: str) -> str:
    """A shell-style pattern as a regular expression: ``*`` and ``?`` never cross a ``/``."""
    return "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern)


class Keep:
    """The ``keep:`` patterns: paths in the output folder that casebook never removes.

    A pattern without ``/`` matches a file or folder name at any depth (``.*``: every
    dotfile, ``.git`` with all it holds); one with ``/`` matches a path from the output
    folder's root (``/CNAME`` only there, ``docs/*.pdf``). ``*`` and ``?`` stay within
    one name. The marker file is casebook's own and never kept."""

    def __init__(self, patterns: Iterable[str] = DEFAULT_KEEP):
        self.patterns = tuple(patterns)
        names = [_glob(p) for p in self.patterns if "/" not in p]
        paths = [_glob(p.strip("/")) for p in self.patterns if "/" in p]
        parts = []
        if names:
            parts.append(f"(?:^|/)(?:{'|'.join(names)})(?:/|$)")
        if paths:
            parts.append(f"^(?:{'|'.join(paths)})(?:/|$)")
        self._regex = re.compile("|".join(parts)) if parts else None

    def __call__(self, rel: str) -> bool:
        return self._regex is not None and not _working(rel) and not _leftover(rel) \
            and self._regex.search(rel) is not None

    def check_outputs(self, paths: Iterable[str]) -> None:
        """Refuse patterns that match a file casebook writes: it could not both write and keep it."""
        if self._regex is None:
            return
        for rel in paths:
            if self(rel):
                pattern = next(p for p in self.patterns if Keep((p,))(rel))
                raise CasebookError(f"keep: pattern {pattern!r} matches {rel!r}, a file casebook writes; "
                                    "keep: is for files casebook did not write (narrow the pattern)")


NOTHING_KEPT = Keep(())


# What a folder held when it was last listed: (its mtime, or None if it must be listed
# again; its files; its subfolders; the names in it matching ``keep:``, not listed further).
# Keyed by the folder's path relative to the root ("" is the root itself).
Folder = tuple["int | None", tuple[str, ...], tuple[str, ...], tuple[str, ...]]
Snapshot = dict[str, Folder]

# A folder modified this recently (ns) may change again within the same timestamp tick,
# so its mtime does not prove its entries. Ticks are as coarse as 2 s on some filesystems
# (FAT; whole seconds elsewhere), whose mtimes have no sub-second part; a filesystem with
# nanosecond mtimes (ext4, btrfs, xfs, tmpfs) ticks with the kernel clock, every few ms.
RACY_NS = 2_000_000_000
FINE_RACY_NS = 100_000_000


def _settled(mtime: int, now: int) -> bool:
    """Whether no change in the same timestamp tick as ``mtime`` can still happen."""
    return mtime < now - (FINE_RACY_NS if mtime % 1_000_000_000 else RACY_NS)


def list_tree(root: Path, known: Snapshot | None = None, keep: Keep = NOTHING_KEPT) -> tuple[set[str], Snapshot]:
    """Every file under ``root`` (relative paths; symlinked folders are not followed; the
    marker file and whatever ``keep`` matches are left out) and a snapshot for the next
    call, made with the same ``keep``.

    With the snapshot of an earlier call, a folder whose mtime is unchanged is not listed
    again: creating, removing or renaming an entry changes its folder's mtime, so one
    ``stat`` a folder proves what it holds (an edited file's content is the caller's
    business: it compares each file's own size and mtime). For 15,000 pages, each in its
    own folder, that is a few times cheaper than walking the tree."""
    files: set[str] = set()
    snapshot: Snapshot = {}
    if root.is_dir():
        _list_folders(str(root), known or {}, files, snapshot, time.time_ns(), keep)
    return files, snapshot


def kept_entries(snapshot: Snapshot) -> list[str]:
    """The files and folders ``keep:`` matched in a listing (the topmost ones)."""
    return sorted((f"{rel}/{name}" if rel else name) for rel, folder in snapshot.items() for name in folder[3])


def _list_folders(root: str, known: Snapshot, files: set[str], snapshot: Snapshot, now: int, keep: Keep) -> None:
    """Walk the tree from ``root``, one ``stat`` per folder and a listing only of folders
    whose mtime changed. A loop, not recursion: at 10,000 cases it runs 16,000 times in
    every build's first step."""
    stat = os.stat
    todo = [(root, "")]
    while todo:
        path, rel = todo.pop()
        try:
            mtime = stat(path).st_mtime_ns  # before listing: a change after it shows next time
        except OSError:
            continue
        seen = known.get(rel)
        if seen is None or seen[0] != mtime:
            try:
                seen = scan_folder(path, rel, mtime if _settled(mtime, now) else None, keep)
            except OSError:  # vanished or unreadable: nothing in it to manage
                continue
        snapshot[rel] = seen
        prefix = rel + "/" if rel else ""
        if seen[1]:
            files.update([prefix + name for name in seen[1]])
        todo.extend((f"{path}/{name}", prefix + name) for name in seen[2])


def scan_folder(path: str, rel: str, mtime: int | None, keep: Keep) -> Folder:
    """What the folder at ``path`` (``rel`` under the root) holds, as :data:`Folder`, with
    ``mtime`` (the caller's stat of it, taken before: None if too recent to prove anything)."""
    names: list[str] = []
    folders: list[str] = []
    kept: list[str] = []
    prefix = rel + "/" if rel else ""
    with os.scandir(path) as it:
        for entry in it:
            if not prefix and _working(entry.name):
                continue
            if keep(prefix + entry.name):
                kept.append(entry.name)
            elif not entry.is_dir():
                names.append(entry.name)
            elif not entry.is_symlink():
                folders.append(entry.name)
    return mtime, tuple(names), tuple(folders), tuple(kept)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories."""
    if sys.platform.startswith("linux"):
        import ctypes  # here: only a swap needs it, not a small in-place update

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
            if rc == 0:
                return
    # Portable fallback: the window between the renames is tiny but not zero.
    aside = a.with_name(a.name + ".old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_REASONS = {errno.EROFS: "the file system is read-only",
            errno.EPERM: "the system does not permit it (an immutable folder? see lsattr -d)",
            errno.EACCES: "permission denied", errno.ENOTDIR: "a part of the path is a file, not a folder",
            errno.ELOOP: "a symbolic link loop"}


def _reason(exc: OSError) -> str:
    """What an OS error means for a build, in words a user can act on."""
    if exc.errno in _FULL:
        return "disk full"
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _failure(exc: OSError, what: Path | str, outcome: str) -> CasebookError:
    """A write that failed, as one sentence: why, where, and what became of the site
    (``disk full while writing …: the previous site is unchanged``)."""
    return CasebookError(f"{_reason(exc)} while writing {what}: {outcome}")


def _unwritable(output_dir: Path, exc: OSError) -> CasebookError:
    where = f" ({exc.filename})" if exc.filename else ""
    return CasebookError(f"cannot build into {output_dir}: {_reason(exc)}{where}; nothing was changed. "
                         "Make it writable, or choose another --output")


def check_writable(output_dir: Path) -> None:
    """Prove that the output folder can be written before anything is rendered or removed:
    a read-only mount, an immutable folder or a missing permission is one clear error,
    not a failure halfway through publishing. Called once the build knows it has work: a
    build with nothing to do writes nothing, and its probe would touch the folder."""
    folder = _real(output_dir)
    if not folder.is_dir():
        return
    probe = folder / f"{PROBE_PREFIX}{os.getpid()}"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600))
        os.unlink(probe)
    except OSError as exc:
        exc.filename = None  # the probe's name would only puzzle
        raise _unwritable(folder, exc) from None


def _real(output_dir: Path) -> Path:
    """The folder a build writes: ``output_dir`` with symbolic links followed. A linked
    output folder is followed as Hugo follows a linked ``publishDir``: the build writes
    (and stages) at the link's target, creating a dangling link's target, and the link
    stays a link. A link loop is an error."""
    path = output_dir.absolute()
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return Path(os.path.realpath(path))
    except OSError as exc:
        raise CasebookError(f"output folder {path} cannot be used: {_reason(exc)}") from None


def _mount_point(folder: Path) -> bool:
    """Whether ``folder`` is a mount point (a Docker volume, a tmpfs, a bind mount): it
    cannot be renamed (``EBUSY``) nor linked or renamed across (``EXDEV``), so its staging
    folder goes inside it. ``os.path.ismount`` misses a bind mount within one file system;
    Linux lists every mount point in ``/proc/self/mountinfo`` (octal escapes for spaces)."""
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", "rb") as f:
            lines = f.read().splitlines()
    except OSError:
        return False
    want = os.fsencode(folder)
    for line in lines:
        fields = line.split(b" ")
        if len(fields) > 4 and re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), fields[4]) == want:
            return True
    return False


def _staging_pattern(output_dir: Path) -> re.Pattern[str]:
    """Names of this output folder's staging folders, and nobody else's (``site`` must not
    match ``site-2``'s): the prefix, the owner's pid, the exact name, ``.old`` while a
    portable swap runs."""
    return re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-" + re.escape(output_dir.name) + r"(?:\.old)?")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def clean_stale_staging(output_dir: Path) -> None:
    """Remove the staging folders that builds of ``output_dir`` left when they were killed
    (beside it, or inside it if it is a mount point): only this output folder's, and only
    those whose process is gone."""
    output_dir = _real(output_dir)
    pattern = _staging_pattern(output_dir)
    for folder in (output_dir.parent, output_dir):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            match = pattern.fullmatch(name)
            if match and int(match[1]) != os.getpid() and not _alive(int(match[1])):
                shutil.rmtree(folder / name, ignore_errors=True)


@contextlib.contextmanager
def lock_output(output_dir: Path) -> Iterator[None]:
    """Hold the output folder for one build: a second build of the same folder (another
    terminal, another checkout) stops with a clear message instead of publishing a mix.
    The lock is a file beside the folder (a lock inside it would be swapped away), inside
    a mount point (never swapped; its parent may not be writable). A symbolic link's
    target is locked, so two links to one folder share the lock. A folder for the output
    folder that cannot be made, or a lock that cannot be written, is an error here (the
    output folder's own writability is :func:`check_writable`'s)."""
    output_dir = _real(output_dir)
    inside = output_dir.is_dir() and _mount_point(output_dir)
    folder = output_dir if inside else output_dir.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(output_dir, exc) from None
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    try:
        fd = os.open(folder / f"{LOCK_PREFIX}{output_dir.name}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise _unwritable(output_dir, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise CasebookError(f"another casebook build is writing {output_dir}"
                                + (f" (process {owner})" if owner.isdigit() else "")
                                + "; wait for it to finish, or build into another --output") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _first_foreign(output_dir: Path, keep: Keep) -> str | None:
    """A file or link in ``output_dir`` that ``keep`` does not protect, if there is one."""
    for dirpath, dirnames, filenames in os.walk(output_dir):
        rel = os.path.relpath(dirpath, output_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            if not keep(prefix + name) and not _working(prefix + name):
                return prefix + name
        for name in sorted(dirnames):
            if not keep(prefix + name) and os.path.islink(os.path.join(dirpath, name)):
                return prefix + name
        dirnames[:] = sorted(d for d in dirnames if not keep(prefix + d) and not _working(prefix + d))
    return None


def _built_here(output_dir: Path, manifest: Mapping[str, tuple[str, int, int]]) -> bool:
    """Whether the last build's record (path -> key, size, mtime) fits files in the folder:
    an output folder built before casebook marked its folders."""
    for rel, (_key, size, mtime) in list(manifest.items())[:20]:
        try:
            st = os.stat(output_dir / rel)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) == (size, mtime):
            return True
    return False


def claim(output_dir: Path, keep: Keep, adopt: bool = False,
          manifest: Mapping[str, tuple[str, int, int]] | None = None) -> None:
    """Refuse to build into an existing folder casebook did not make.

    Allowed: no folder yet; a folder carrying the marker; one holding nothing but files
    ``keep`` protects (a fresh GitHub Pages checkout: ``.git``, ``CNAME``); with ``adopt``,
    any folder; one whose files match the last build's ``manifest`` (built by a casebook
    that did not mark its folders yet). An adopted folder gets its marker at once."""
    output_dir = _real(output_dir)
    if not os.path.lexists(output_dir):
        return
    if not output_dir.is_dir():
        raise CasebookError(f"output folder {output_dir} is a file, not a folder; choose another --output")
    if (output_dir / MARKER).is_file():
        return
    foreign = _first_foreign(output_dir, keep)
    if foreign is None:
        return
    if not (adopt or (manifest and _built_here(output_dir, manifest))):
        raise CasebookError(
            f"output folder {output_dir} already holds files casebook did not write (e.g. {foreign}); a build "
            "replaces or removes every file in its output folder except those matching keep: in site.yaml. "
            "Build into a new or empty folder, or pass --adopt to hand this one to casebook")
    _ensure_marker(output_dir)


def _ensure_marker(folder: Path) -> None:
    marker = folder / MARKER
    if not marker.is_file() or marker.is_symlink():
        tmp = folder / f".{MARKER}{TEMP_SUFFIX}"
        try:
            _write_file(tmp, MARKER_TEXT)
            os.replace(tmp, marker)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _failure(exc, marker, "the previous site is unchanged") from None


def new_tree(output_dir: Path) -> Path | None:
    """A staging folder for a site whose output folder does not exist yet (a first build,
    a CI checkout): nothing there to compare with or keep, so the processes that render the
    pages write them straight into it (:func:`write_new`) and :func:`publish_new` renames it
    into place. No process ever holds the whole site's bytes (254 MB at 10,000 cases)."""
    output_dir = _real(output_dir)
    if os.path.lexists(output_dir):
        return None
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(output_dir)
    return _staging_folder(output_dir)


def _staging_folder(output_dir: Path, inside: bool = False) -> Path:
    """A new, empty staging folder beside ``output_dir`` (``inside`` it for a mount point),
    named so that :func:`clean_stale_staging` finds it if this build is killed."""
    staging = (output_dir if inside else output_dir.parent) / f"{STAGING_PREFIX}{os.getpid()}-{output_dir.name}"
    shutil.rmtree(staging, ignore_errors=True)  # this process's own, from an earlier failed call
    staging.mkdir()
    return staging


def write_new(staging: Path, rel: str, data: bytes) -> tuple[int, int]:
    """Write one file of a new tree; its (size, mtime), which renaming the tree keeps, so
    the build's manifest needs no second ``stat`` of every file."""
    target = _safe_target(staging, rel)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        st = _write_file(target, data)
    except OSError as exc:
        raise _failure(exc, target, "nothing was published") from None
    return st.st_size, st.st_mtime_ns


def _write_file(path: Path, data: bytes) -> os.stat_result:
    """Write all of ``data`` to ``path`` (never through a planted symbolic link) and return
    its stat. A full disk raises here, at ``write`` or at ``close``, before anything that
    holds these bytes is published."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return st


def publish_new(staging: Path, output_dir: Path, written: list[str], finish: Finish | None = None) -> WriteReport:
    """Run ``finish`` on the complete tree (the search index), then rename it to ``output_dir``."""
    try:
        if finish is not None:
            finish(staging, staging)
        _ensure_marker(staging)
        os.rename(staging, _real(output_dir))
    except OSError as exc:
        raise _failure(exc, staging, "nothing was published") from None
    return WriteReport(len(written), 0, 0, frozenset(written))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _carry(src: Path, dst: Path) -> None:
    """Put a kept file or folder of the current output into the staging tree without
    copying its bytes (hard links) or following its links."""
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
    elif src.is_dir():
        shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(str(src), str(dst))


def write_site(outputs: Iterable[Output], output_dir: Path, finish: Finish | None = None, *,
               keep: Iterable[str] = (), reindex: Callable[[set[str]], bool] | None = None,
               existing: set[str] | None = None, protect: Keep | None = None,
               kept: Iterable[str] | None = None) -> WriteReport:
    """Make ``output_dir`` hold exactly ``outputs`` plus ``keep``, plus whatever ``protect``
    (the ``keep:`` patterns; by default :data:`DEFAULT_KEEP`) matches, untouched; ``finish``
    (:data:`Finish`) runs on the new tree, or for a small update on a staging folder that
    holds the index alone, before it is published (e.g. to build the search index): when
    something changed or, if ``reindex`` is given, when ``reindex(changed paths)`` says so,
    even if nothing changed (otherwise the previous ``finish`` files are kept).

    ``keep`` lists files the caller knows are already in ``output_dir`` with the right
    bytes (an incremental build checked their keys and stat): they are not read.
    ``existing`` is every file now in ``output_dir``, if the caller listed them already
    (:func:`list_tree` with ``protect``), and ``kept`` what that listing found protected
    (:func:`kept_entries`); otherwise the tree is walked.
    """
    output_dir = _real(output_dir)
    protect = Keep() if protect is None else protect
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(output_dir)
    outputs = list(outputs)
    wanted = {o.path: o for o in outputs}
    for rel in wanted:
        _safe_target(output_dir, rel)
    protect.check_outputs(wanted)
    unchanged_kept = set(keep) - wanted.keys()
    if existing is None or kept is None:
        existing, snapshot = list_tree(output_dir, keep=protect)
        kept = kept_entries(snapshot)
    missing = unchanged_kept - existing
    if missing:
        raise CasebookError(f"internal error: {len(missing)} kept files are missing, e.g. {min(missing)}")
    unchanged = {rel for rel, o in wanted.items() if rel in existing and _same(output_dir / rel, o.data)}
    derived = _derived(existing)
    managed_extra = existing - wanted.keys() - unchanged_kept - derived
    total = len(wanted) + len(unchanged_kept)
    changed = (wanted.keys() - unchanged) | managed_extra
    asked = finish is not None and reindex is not None and reindex(changed)
    if not changed and not asked and output_dir.is_dir() and (finish is not None) == bool(derived):
        _ensure_marker(output_dir)
        return WriteReport(0, total, 0)
    run_finish = finish is not None and (reindex is None or not derived or asked)
    small = len(changed) <= max(IN_PLACE_MAX, IN_PLACE_SHARE * total)
    if output_dir.is_dir() and small and (not run_finish or _swappable(output_dir / FOLDER)):
        _ensure_marker(output_dir)
        _update_in_place(output_dir, [wanted[p] for p in sorted(wanted.keys() - unchanged)],
                         managed_extra | (derived if finish is None else set()), finish if run_finish else None)
        return WriteReport(len(wanted) - len(unchanged), len(unchanged) + len(unchanged_kept), len(managed_extra),
                           frozenset(changed), in_place=True)
    inside = output_dir.is_dir() and _mount_point(output_dir)
    staging = _staging_folder(output_dir, inside)
    made: set[str] = set()
    try:
        # ``finish`` updates its files by replacing them (the search index: see casebook.searchindex),
        # so it starts from the current ones, linked: the current site never sees them change.
        carry = sorted(unchanged | unchanged_kept | (derived if finish is not None else set()))
        for rel in carry:
            target = _safe_target(staging, rel)
            _mkdirs(target.parent, made)
            os.link(output_dir / rel, target)
        for rel in sorted(wanted.keys() - unchanged):
            target = _safe_target(staging, rel)
            _mkdirs(target.parent, made)
            _write_file(target, wanted[rel].data)
        for rel in kept:  # the user's files (.git, CNAME): never removed, never read
            if inside and "/" not in rel:
                continue  # only a mount point's contents are swapped: its own kept entries stay put
            target = _safe_target(staging, rel)
            _mkdirs(target.parent, made)
            _carry(output_dir / rel, target)
        if run_finish:
            finish(staging, staging)  # type: ignore[misc]
        _ensure_marker(staging)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _failure(exc, f"the new site for {output_dir}", "the previous site is unchanged") from None
        raise
    _publish(staging, output_dir, inside, protect)
    return WriteReport(len(wanted) - len(unchanged), len(unchanged) + len(unchanged_kept), len(managed_extra),
                       frozenset(changed))


def _mkdirs(folder: Path, made: set[str]) -> None:
    key = str(folder)
    if key not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(key)


def _publish(staging: Path, output_dir: Path, inside: bool, protect: Keep) -> None:
    """Put the complete staging tree in place (one atomic exchange or rename; a mount
    point's contents entry by entry), then remove the old tree it now holds."""
    try:
        if inside:
            _swap_contents(staging, output_dir, protect)
        elif output_dir.is_dir():
            _exchange(staging, output_dir)
        else:
            os.rename(staging, output_dir)
    except OSError as exc:
        outcome = ("the site may mix old and new top-level folders: build again" if inside
                   else "the previous site is unchanged")
        raise _failure(exc, output_dir, outcome) from None
    finally:
        _remove_staging(staging)


def _remove_staging(staging: Path) -> None:
    """A staging folder and the ``.old`` one a portable swap (:func:`_exchange`) may leave."""
    for folder in (staging, staging.with_name(staging.name + ".old")):
        shutil.rmtree(folder, ignore_errors=True)


def _swap_contents(staging: Path, output_dir: Path, protect: Keep) -> None:
    """Publish a staging folder made inside a mount point, which cannot itself be swapped:
    each of its entries replaces the output folder's of that name atomically (a folder by
    exchange, a file by rename), and what the new site no longer has is moved out. What
    was replaced ends up in the staging folder or its ``.old`` sibling. Not atomic as a
    whole: a reader (or a build killed here) may see new and old top-level folders for
    the few milliseconds this takes."""
    trash = staging.with_name(staging.name + ".old")
    trash.mkdir(exist_ok=True)
    new = set(os.listdir(staging))
    for name in sorted(new):
        src, dst = staging / name, output_dir / name
        if _plain_dir(src) and _plain_dir(dst):
            _exchange(src, dst)
        elif _plain_dir(src) or _plain_dir(dst):  # a file became a folder or the other way round
            if os.path.lexists(dst):
                os.rename(dst, trash / name)
            os.rename(src, dst)
        else:
            os.replace(src, dst)
    for name in os.listdir(output_dir):
        if name not in new and not _working(name) and not protect(name):
            os.rename(output_dir / name, trash / name)


def _plain_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


class _InPlace:
    """An in-place update, all or nothing. First the new search index, if there is one, is
    made in a staging folder (:meth:`stage_index`), every new file is written under a
    temporary name beside its target and every file it replaces is hard-linked aside, so
    a full disk fails before anything is published; then (:meth:`publish`) the index is
    swapped in, the temporaries are renamed over their targets and removed files moved
    aside (renames need no space). Any failure undoes the renames and removes the
    temporaries and the staging folder: the previous site is left complete."""

    def __init__(self, root: Path):
        self.root = root
        self.current: Path = root  # the file being written, for the error message
        self.folders: list[Path] = []  # made for new files; removed again on failure
        self.staged: list[tuple[Path, Path, Path | None]] = []  # (temporary file, target, old version)
        self.aside: list[Path] = []  # replaced or removed files' old versions
        self.undo: list[Callable[[], None]] = []  # how to take back each published step
        self.staging: Path | None = None  # the new index's folder; after the swap, the old index's

    def stage_index(self, finish: Finish) -> None:
        """Make the new ``search-index/`` in a staging folder beside the output folder
        (inside a mount point), starting from hard links to the current index's files:
        ``finish`` replaces the files it changes, never rewrites them, so the published
        index never sees a change; it reads unchanged case pages from the output folder."""
        self.staging = _staging_folder(self.root, _mount_point(self.root))
        self.current = self.staging / FOLDER
        if (self.root / FOLDER).is_dir():
            _carry(self.root / FOLDER, self.staging / FOLDER)
        finish(self.staging, self.root)

    def stage(self, rel: str, data: bytes) -> None:
        target = _safe_target(self.root, rel)
        self.current = target
        self._make_folders(target.parent)
        tmp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
        old = self._aside(target) if os.path.lexists(target) else None
        self.staged.append((tmp, target, old))
        _write_file(tmp, data)
        if old is not None:
            _link_or_copy(str(target), str(old))

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while folder != self.root and not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.folders.append(path)

    def _aside(self, path: Path) -> Path:
        old = path.with_name(f".{path.name}{OLD_SUFFIX}")
        old.unlink(missing_ok=True)  # a killed update's
        self.aside.append(old)
        return old

    def publish(self, removed: Iterable[str]) -> None:
        """The index first, then the pages (why: the module's docstring)."""
        with _signals_held():
            if self.staging is not None:
                self._swap_index(self.staging / FOLDER, self.root / FOLDER)
            for tmp, target, old in self.staged:
                self.current = target
                os.replace(tmp, target)
                self.undo.append(partial(target.unlink) if old is None else partial(os.replace, old, target))
            reused = {path for tmp, _target, old in self.staged for path in (tmp, old)}
            for rel in sorted(removed):
                path = self.root / rel
                if path in reused:  # a killed update's temporary file, which this one wrote again
                    continue
                self.current = path
                old = self._aside(path)
                os.rename(path, old)
                self.undo.append(partial(os.rename, old, path))

    def _swap_index(self, new: Path, current: Path) -> None:
        """One atomic exchange (a rename if the site had no index): the staging folder then
        holds the old index, and exchanging again takes the step back."""
        self.current = current
        if os.path.lexists(current):
            _exchange(new, current)
            self.undo.append(partial(_exchange, new, current))
        else:
            os.rename(new, current)
            self.undo.append(partial(os.rename, current, new))

    def roll_back(self) -> None:
        for step in reversed(self.undo):
            with contextlib.suppress(OSError):
                step()
        for path in [tmp for tmp, _target, _old in self.staged] + self.aside:
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._drop_staging()

    def finish(self, removed: Iterable[str]) -> None:
        """Delete the old versions (the old index too) and the folders the removed files leave empty."""
        self._drop_staging()
        for old in self.aside:
            old.unlink(missing_ok=True)
        for rel in sorted(removed, key=lambda r: -r.count("/")):
            folder = (self.root / rel).parent
            while folder != self.root:
                try:
                    folder.rmdir()  # only if now empty
                except OSError:
                    break
                folder = folder.parent

    def _drop_staging(self) -> None:
        if self.staging is not None:
            _remove_staging(self.staging)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP while an update is published (a few renames): an
    interrupted build publishes all of it, or (Ctrl-C: the interrupt is raised right after)
    takes all of it back. Only SIGKILL or a power cut can land in between."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # not POSIX
        yield
        return
    before = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, before)


def _swappable(folder: Path) -> bool:
    """Whether the search index can be replaced by exchanging folders: it is one, or absent."""
    return not os.path.lexists(folder) or _plain_dir(folder)


def _update_in_place(output_dir: Path, changed: list[Output], removed: set[str], finish: Finish | None = None) -> None:
    """Replace and remove a few files and, with ``finish``, the search index, all or
    nothing (:class:`_InPlace`); each file atomically: a reader sees the old or the new
    file, never half of one, and the old or the new index, never half of one."""
    update = _InPlace(output_dir)
    try:
        if finish is not None:
            update.stage_index(finish)
        for out in changed:
            update.stage(out.path, out.data)
        update.publish(removed)
    except BaseException as exc:
        update.roll_back()
        if isinstance(exc, OSError):
            raise _failure(exc, update.current, "the previous site is unchanged") from None
        raise
    update.finish(removed)


def _derived(existing: set[str]) -> set[str]:
    """Files made by the ``finish`` step (the search index), not listed as outputs."""
    return {rel for rel in existing if rel.startswith(f"{FOLDER}/")}
