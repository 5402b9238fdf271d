"""Progress output: a bar on a terminal, line logs in CI or pipes, nothing with -q; a summary line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from casebook.progress import BarProgress, LineProgress, Progress, for_terminal


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_bar_ci_and_pipes_get_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert isinstance(for_terminal(stream=_Tty()), BarProgress)
    assert isinstance(for_terminal(stream=io.StringIO()), LineProgress)
    monkeypatch.setenv("CI", "true")
    assert isinstance(for_terminal(stream=_Tty()), LineProgress)
    assert type(for_terminal(quiet=True, stream=_Tty())) is Progress


def test_line_progress_is_quiet_for_small_stages_and_reports_big_ones() -> None:
    out = io.StringIO()
    p = LineProgress(out)
    p.start("parse", 3)
    p.advance(3)
    p.done()
    assert out.getvalue() == ""
    p.start("render", 500)
    p.advance(500)
    p.done()
    assert re.fullmatch(r"render: 500/500 in \d+\.\d\ds\n", out.getvalue())


def test_bar_progress_runs_and_cleans_up() -> None:
    out = _Tty()
    p = BarProgress(out)
    p.start("render", 300)
    for _ in range(3):
        p.advance(100)
    p.done()
    p.note("indexing search…")
    p.close()
    assert "indexing search" in out.getvalue()


def test_build_prints_summary_and_is_silent_with_q(project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cfg = project / "site.yaml"
    # a public base_url: the localhost one earns a warning, which -q still prints (on stderr)
    cfg.write_text(cfg.read_text("utf-8").replace("search: true", "search: false")
                   .replace("base_url: http://localhost:8000/", "base_url: https://example.org/showcase/"), "utf-8")
    monkeypatch.setenv("CI", "true")
    code, out, err = run_cli(project, "build")
    assert code == 0
    assert re.search(r"built \d+ cases: \d+ files written, 0 unchanged, 0 removed in \d+\.\d\ds", out), out
    code, out, err = run_cli(project, "-v", "build")
    assert code == 0 and "0 files written" in out and "stages: " in out
    code, out, err = run_cli(project, "-q", "build")
    assert code == 0 and out == "" and err == ""
