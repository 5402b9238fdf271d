"""Worker processes: reading case files and rendering pages, in parallel, in chunks.

A :class:`Task` is a function of an index range (``task(lo, hi)``) over data the build
already holds: the case files to read, the planned files to render. Workers are forked
and given the task by the pool's initializer: under ``fork`` its arguments are inherited,
not pickled, so the build's state (10,000 articles, the renderer, the plan) costs nothing
to hand over, and each chunk sent is two integers. Workers die with the build, even when
it is killed with ``kill -9`` (:mod:`casebook.children`).

Where ``fork`` is missing, or for fewer than :data:`PARALLEL_MIN` items, the task runs in
this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Self

from . import children
from .progress import Progress

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

PARALLEL_MIN = 64  # fewer items than this are cheaper to handle in this process
Task = Callable[[int, int], list[Any]]


def default_jobs() -> int:
    """``$CASEBOOK_JOBS``, else the cores this process may use."""
    env = os.environ.get("CASEBOOK_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class _Assigned:
    """The task of this worker process: set by the pool's initializer in the worker (the
    build's process never sets it), read by :func:`_run_chunk`."""

    task: Task | None = None


def _start_worker(die: Callable[..., None], die_args: tuple[Any, ...], task: Task) -> None:
    die(*die_args)  # the build's death kills this worker (children.pool_options)
    _Assigned.task = task


def _run_chunk(lo: int, hi: int) -> list[Any]:
    assert _Assigned.task is not None, "not a worker process"
    return _Assigned.task(lo, hi)


def chunks(n: int, workers: int, target: int) -> Iterator[tuple[int, int]]:
    """Index ranges: about ``target`` items each, at least 4 chunks a worker for balance."""
    size = max(1, min(target, -(-n // (workers * 4))))
    for lo in range(0, n, size):
        yield lo, min(n, lo + size)


class Run:
    """``task`` over ``range(n)``, started: in ``workers`` forked processes when there are
    many items, else in this process when :meth:`results` is called. Between the two,
    this process is free for other work (the build saves its cache meanwhile). Items that
each take long (a picture to encode) may set a lower ``parallel_min``."""

    def __init__(self, task: Task, n: int, workers: int, chunk: int, parallel_min: int = PARALLEL_MIN):
        self.task = task
        self.n = n
        self._pool = _fork_pool(workers, task) if n >= parallel_min else None
        self._futures: list[tuple[Future[list[Any]], int]] = []
        if self._pool is not None:
            self._futures = [(self._pool.submit(_run_chunk, lo, hi), hi - lo) for lo, hi in chunks(n, workers, chunk)]

    def results(self, progress: Progress) -> list[Any]:
        """Every item's result, in order."""
        out: list[Any] = []
        try:
            if self._pool is None:
                for i in range(self.n):
                    out.extend(self.task(i, i + 1))
                    progress.advance(1)
            for future, size in self._futures:
                out.extend(future.result())
                progress.advance(size)
        finally:
            self.close()
        return out

    def close(self) -> None:
        """Stop the workers (pending chunks are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fork_pool(workers: int, task: Task) -> ProcessPoolExecutor | None:
    import multiprocessing  # here: a small incremental build needs no pool, nor the import time
    from concurrent.futures import ProcessPoolExecutor

    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    dies = children.pool_options()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(dies["initializer"], dies["initargs"], task))
