"""Progress of long work: a bar on a terminal, quiet line-oriented logs elsewhere.

:func:`for_terminal` picks the form: a rich progress bar when stderr is a TTY and ``CI``
is not set; otherwise one line when a stage starts and one when it ends (``-v``), so CI
logs and pipes stay readable; nothing with ``-q``. Stages with fewer than
``BAR_MIN`` items show no bar at all (an incremental build of one page should not flash).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

BAR_MIN = 200

STAGES = {"parse": "读取与解析案例 (parse)", "render": "生成页面 (render)"}


class Progress:
    """No-op base: ``start(stage, total)``, ``advance(n)``, ``done()``, ``note(text)``."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.stage = ""

    def start(self, stage: str, total: int) -> None:
        self.stage, self.total, self.count = stage, total, 0

    def advance(self, n: int) -> None:
        self.count += n

    def done(self) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def silent() -> Progress:
    return Progress()


class LineProgress(Progress):
    """Line-oriented: for CI and pipes. ``verbose`` also prints each stage's start and time."""

    def __init__(self, stream: TextIO, verbose: bool = False):
        super().__init__()
        self.stream = stream
        self.verbose = verbose
        self._t0 = 0.0

    def start(self, stage: str, total: int) -> None:
        super().start(stage, total)
        self._t0 = time.perf_counter()

    def done(self) -> None:
        if self.verbose or self.total >= BAR_MIN:
            took = time.perf_counter() - self._t0
            print(f"{self.stage}: {self.count}/{self.total} in {took:.2f}s", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class BarProgress(Progress):
    """A rich progress bar on stderr (transient: it disappears when the stage ends).

    rich is imported when the first bar or note is shown: an incremental build, whose
    stages are all under ``BAR_MIN`` items, does not pay its import time (~50 ms)."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self._stream = stream
        self._rich: Any = None
        self._task: Any = None

    def _bars(self) -> Any:
        if self._rich is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(file=self._stream), transient=True)
        return self._rich

    def start(self, stage: str, total: int) -> None:
        super().start(stage, total)
        if total >= BAR_MIN:
            bars = self._bars()
            if self._task is None:
                bars.start()
            self._task = bars.add_task(STAGES.get(stage, stage), total=total)

    def advance(self, n: int) -> None:
        super().advance(n)
        if self._task is not None:
            self._rich.update(self._task, completed=self.count)

    def done(self) -> None:
        if self._task is not None:
            self._rich.remove_task(self._task)
            self._task = None
            self._rich.stop()

    def note(self, text: str) -> None:
        self._bars().console.print(text, markup=False, highlight=False)

    def close(self) -> None:
        self.done()


def for_terminal(quiet: bool = False, verbose: bool = False, stream: TextIO | None = None) -> Progress:
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    if stream.isatty() and not ci and os.environ.get("TERM") != "dumb":
        return BarProgress(stream)
    return LineProgress(stream, verbose)
