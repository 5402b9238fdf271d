"""Full-text search: Pagefind indexes the built pages (extended build: it segments Chinese).

It runs on the staging folder before the swap, so a published site never has pages
without their index. Only elements marked ``data-pagefind-body`` (case pages) are indexed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import children
from .errors import CasebookError


def index(site_dir: Path) -> None:
    """Write ``pagefind/`` into ``site_dir``. Pagefind dies with the build, even if the
    build is killed with ``kill -9`` (its Python launcher ``exec``s the binary, which
    keeps the parent-death signal; see :mod:`casebook.children`)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, preexec_fn=children.preexec())
    except FileNotFoundError:
        raise CasebookError("search indexing needs Pagefind: pip install -r requirements.txt") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise CasebookError("search indexing failed: " + (detail[-1] if detail else f"exit {proc.returncode}"))
