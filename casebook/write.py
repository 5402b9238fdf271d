"""list[Output] -> output/, atomically: readers and hosts never see a half-written site.

The new site is assembled in a staging folder beside ``output/``: files whose bytes are
unchanged are hard-linked from the current output (so their mtimes stay), the rest are
written fresh. Then staging and output are swapped in one step (``renameat2`` with
``RENAME_EXCHANGE`` on Linux; two renames elsewhere) and the old tree is deleted. If
nothing changed at all, nothing is touched. A build killed at any point leaves the
previous ``output/`` complete; its leftover staging folder is removed by the next build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
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

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _safe_target(root: Path, rel: str) -> Path:
    """Refuse any output path that would land outside the output folder."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or any(p in ("", ".", "..") for p in rel.split("/")):
        raise CasebookError(f"refusing to write {rel!r}: output paths must stay inside the output folder")
    return root / rel


def _existing_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories."""
    if sys.platform.startswith("linux"):
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


def write_site(outputs: Iterable[Output], output_dir: Path,
               finish: Callable[[Path], None] | None = None) -> WriteReport:
    """Make ``output_dir`` hold exactly ``outputs``; ``finish`` runs on the staging
    folder before the swap (e.g. to build the search index) and only when something changed."""
    output_dir = output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(output_dir)
    outputs = list(outputs)
    wanted = {o.path: o for o in outputs}
    existing = _existing_files(output_dir)
    unchanged = {rel for rel, o in wanted.items() if rel in existing and _same(output_dir / rel, o.data)}
    managed_extra = existing - wanted.keys() - _derived(existing)
    if len(unchanged) == len(wanted) and not managed_extra and output_dir.is_dir():
        return WriteReport(0, len(unchanged), 0)
    staging = output_dir.parent / f"{STAGING_PREFIX}{output_dir.name}-{os.getpid()}"
    staging.mkdir()
    try:
        for rel, out in wanted.items():
            target = _safe_target(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in unchanged:
                os.link(output_dir / rel, target)
            else:
                target.write_bytes(out.data)
        if finish is not None:
            finish(staging)
        if output_dir.is_dir():
            _exchange(staging, output_dir)
            shutil.rmtree(staging)
        else:
            os.rename(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(len(wanted) - len(unchanged), len(unchanged), len(managed_extra))


def _derived(existing: set[str]) -> set[str]:
    """Files made by the ``finish`` step (the search index), not listed as outputs."""
    return {rel for rel in existing if rel.startswith("pagefind/")}
