"""list[Output] -> output/, atomically: readers and hosts never see a half-written site.

The new site is assembled in a staging folder beside ``output/``: files whose bytes are
unchanged are hard-linked from the current output (so their mtimes stay), the rest are
written fresh. Then staging and output are swapped in one step (``renameat2`` with
``RENAME_EXCHANGE`` on Linux; two renames elsewhere) and the old tree is deleted. If
nothing changed at all, nothing is touched. A build killed at any point leaves the
previous ``output/`` complete; its leftover staging folder is removed by the next build.

A first build (no ``output/`` yet) has nothing to compare with: the processes that render
the pages write them into the staging folder themselves (:func:`new_tree`), which is then
renamed into place, so no process holds the whole site's bytes.

Exception, for incremental builds: when only a few files change (at most ``IN_PLACE_MAX``
files or ``IN_PLACE_SHARE`` of the site) and the search index need not be rebuilt, those
files are replaced in place, each atomically (temporary file + rename): a reader sees each
page old or new, never half-written, but may briefly see a new page next to an old list.
Linking 15,000 unchanged files into a staging folder and deleting the old tree would cost
seconds for a one-page edit.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import CasebookError
from .model import Output

STAGING_PREFIX = ".casebook-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


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


# What a folder held when it was last listed: (its mtime, or None if it must be listed
# again; its files; its subfolders). Keyed by the folder's path relative to the root ("" is
# the root itself).
Folder = tuple["int | None", tuple[str, ...], tuple[str, ...]]
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


def list_tree(root: Path, known: Snapshot | None = None) -> tuple[set[str], Snapshot]:
    """Every file under ``root`` (relative paths; symlinked folders are not followed) and
    a snapshot for the next call.

    With the snapshot of an earlier call, a folder whose mtime is unchanged is not listed
    again: creating, removing or renaming an entry changes its folder's mtime, so one
    ``stat`` a folder proves what it holds (an edited file's content is the caller's
    business: it compares each file's own size and mtime). For 15,000 pages, each in its
    own folder, that is a few times cheaper than walking the tree."""
    files: set[str] = set()
    snapshot: Snapshot = {}
    if root.is_dir():
        _list_folder(str(root), "", known or {}, files, snapshot, time.time_ns())
    return files, snapshot


def _list_folder(path: str, rel: str, known: Snapshot, files: set[str], snapshot: Snapshot,
                 now: int) -> None:
    try:
        mtime = os.stat(path).st_mtime_ns  # before listing: a change after it shows next time
    except OSError:
        return
    seen = known.get(rel)
    if seen is None or seen[0] is None or seen[0] != mtime:
        try:
            seen = _scan_folder(path, mtime if _settled(mtime, now) else None)
        except OSError:  # vanished or unreadable: nothing in it to manage
            return
    snapshot[rel] = seen
    prefix = rel + "/" if rel else ""
    files.update(prefix + name for name in seen[1])
    for name in seen[2]:
        _list_folder(f"{path}/{name}", prefix + name, known, files, snapshot, now)


def _scan_folder(path: str, mtime: int | None) -> Folder:
    names: list[str] = []
    folders: list[str] = []
    with os.scandir(path) as it:
        for entry in it:
            if not entry.is_dir():
                names.append(entry.name)
            elif not entry.is_symlink():
                folders.append(entry.name)
    return mtime, tuple(names), tuple(folders)


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


def clean_stale_staging(output_dir: Path) -> None:
    for stale in output_dir.parent.glob(f"{STAGING_PREFIX}{output_dir.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def new_tree(output_dir: Path) -> Path | None:
    """A staging folder for a site whose output folder does not exist yet (a first build,
    a CI checkout): nothing there to compare with or keep, so the processes that render the
    pages write them straight into it (:func:`write_new`) and :func:`publish_new` renames it
    into place. No process ever holds the whole site's bytes (254 MB at 10,000 cases)."""
    output_dir = output_dir.absolute()
    if os.path.lexists(output_dir):
        return None
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(output_dir)
    return _staging_folder(output_dir)


def _staging_folder(output_dir: Path) -> Path:
    """A new, empty staging folder beside ``output_dir`` (named so that
    :func:`clean_stale_staging` finds it if this build is killed)."""
    staging = output_dir.parent / f"{STAGING_PREFIX}{output_dir.name}-{os.getpid()}"
    staging.mkdir()
    return staging


def write_new(staging: Path, rel: str, data: bytes) -> tuple[int, int]:
    """Write one file of a new tree; its (size, mtime), which renaming the tree keeps, so
    the build's manifest needs no second ``stat`` of every file."""
    target = _safe_target(staging, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
        f.flush()  # a small file is still in the buffer: its size and mtime come with the write
        st = os.fstat(f.fileno())
    return st.st_size, st.st_mtime_ns


def publish_new(staging: Path, output_dir: Path, written: list[str],
                finish: Callable[[Path], None] | None = None) -> WriteReport:
    """Run ``finish`` on the complete tree (the search index), then rename it to ``output_dir``."""
    if finish is not None:
        finish(staging)
    os.rename(staging, output_dir.absolute())
    return WriteReport(len(written), 0, 0, frozenset(written))


def write_site(outputs: Iterable[Output], output_dir: Path,
               finish: Callable[[Path], None] | None = None, *,
               keep: Iterable[str] = (), reindex: Callable[[set[str]], bool] | None = None,
               existing: set[str] | None = None) -> WriteReport:
    """Make ``output_dir`` hold exactly ``outputs`` plus ``keep``; ``finish`` runs on the
    new tree before it is published (e.g. to build the search index) and only when
    something changed (and, if ``reindex`` is given, only when ``reindex(changed paths)``
    says so; otherwise the previous ``finish`` files are kept).

    ``keep`` lists files the caller knows are already in ``output_dir`` with the right
    bytes (an incremental build checked their keys and stat): they are not read.
    ``existing`` is every file now in ``output_dir``, if the caller listed them already
    (:func:`list_tree`); otherwise the tree is walked.
    """
    output_dir = output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(output_dir)
    outputs = list(outputs)
    wanted = {o.path: o for o in outputs}
    kept = set(keep) - wanted.keys()
    if existing is None:
        existing = list_tree(output_dir)[0]
    missing = kept - existing
    if missing:
        raise CasebookError(f"internal error: {len(missing)} kept files are missing, e.g. {sorted(missing)[0]}")
    unchanged = {rel for rel, o in wanted.items() if rel in existing and _same(output_dir / rel, o.data)}
    derived = _derived(existing)
    managed_extra = existing - wanted.keys() - kept - derived
    total = len(wanted) + len(kept)
    changed = (wanted.keys() - unchanged) | managed_extra
    if not changed and output_dir.is_dir() and (finish is not None) == bool(derived):
        return WriteReport(0, total, 0)
    run_finish = finish is not None and (reindex is None or not derived or reindex(changed))
    small = len(changed) <= max(IN_PLACE_MAX, IN_PLACE_SHARE * total)
    if output_dir.is_dir() and small and not run_finish:
        _update_in_place(output_dir, [wanted[p] for p in sorted(wanted.keys() - unchanged)], managed_extra,
                         derived if finish is None else set())
        return WriteReport(len(wanted) - len(unchanged), len(unchanged) + len(kept), len(managed_extra),
                           frozenset(changed), in_place=True)
    staging = _staging_folder(output_dir)
    made: set[str] = set()
    try:
        carry = sorted(unchanged | kept | (derived if finish is not None and not run_finish else set()))
        for rel in carry:
            target = _safe_target(staging, rel)
            _mkdirs(target.parent, made)
            os.link(output_dir / rel, target)
        for rel in sorted(wanted.keys() - unchanged):
            target = _safe_target(staging, rel)
            _mkdirs(target.parent, made)
            target.write_bytes(wanted[rel].data)
        if run_finish:
            finish(staging)  # type: ignore[misc]
        if output_dir.is_dir():
            _exchange(staging, output_dir)
            shutil.rmtree(staging)
        else:
            os.rename(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(len(wanted) - len(unchanged), len(unchanged) + len(kept), len(managed_extra),
                       frozenset(changed))


def _mkdirs(folder: Path, made: set[str]) -> None:
    key = str(folder)
    if key not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(key)


def _update_in_place(output_dir: Path, changed: list[Output], removed: set[str], derived: set[str]) -> None:
    """Replace a few files, each atomically: a reader sees the old or the new file, never half."""
    for out in changed:
        target = _safe_target(output_dir, out.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.casebook-tmp")
        try:
            tmp.write_bytes(out.data)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    for rel in sorted(removed | derived):
        (output_dir / rel).unlink(missing_ok=True)
    for rel in sorted(removed | derived, key=lambda r: -r.count("/")):
        folder = (output_dir / rel).parent
        while folder != output_dir:
            try:
                folder.rmdir()  # only if now empty
            except OSError:
                break
            folder = folder.parent


def _derived(existing: set[str]) -> set[str]:
    """Files made by the ``finish`` step (the search index), not listed as outputs."""
    return {rel for rel in existing if rel.startswith("pagefind/")}
