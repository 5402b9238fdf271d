"""Child processes die with the build: pool workers (rendering, indexing) must not outlive it as
orphans, even when the build is killed with ``kill -9`` (which runs no clean-up).

On Linux the kernel does it: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` in the child asks for
SIGKILL when the parent dies, and the request survives ``exec``. Elsewhere this is a
no-op (the pool's workers still notice a dead parent when their queue breaks).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

PR_SET_PDEATHSIG = 1


@cache
def _prctl() -> Any:
    """libc's ``prctl``, loaded in the parent (a forked child should not import or load)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: only builds that start a child pay for it

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def pool_options() -> dict[str, Any]:
    """``ProcessPoolExecutor`` options whose initializer makes each worker die with this process."""
    _prctl()  # loaded here, in the parent
    return {"initializer": die_with_parent, "initargs": (os.getpid(),)}


def die_with_parent(parent: int) -> None:
    """In a freshly forked child of ``parent``: be killed when ``parent`` dies."""
    prctl = _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl: no signal would come
        os._exit(1)


def preexec() -> Callable[[], None] | None:
    """A ``preexec_fn`` for :mod:`subprocess` that makes the child die with this process
    (None where there is nothing to do). It only calls what is already loaded: it runs
    between ``fork`` and ``exec``, where another thread may hold the import lock."""
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()
    kill = signal.SIGKILL

    def run() -> None:
        prctl(PR_SET_PDEATHSIG, kill, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
    return run
