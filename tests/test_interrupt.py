"""A build killed at any point (SIGINT, SIGTERM, SIGKILL) leaves output/ complete:
either exactly the previous site or exactly the new one, never a mix."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT, tree, write_case

BUILD = ("import sys; from pathlib import Path; from casebook.config import load_config; "
         "from casebook.pipeline import build; build(load_config(Path(sys.argv[1]), {'search': False}))")
PROVINCES = ["河南省", "四川省", "云南省", "浙江省"]


def _corpus(project: Path, n: int, version: str) -> None:
    for i in range(n):
        body = "\n\n".join(f"## 第{k}节\n\n第{k}段正文，版本{version}。" * 3 for k in range(4))
        write_case(project, f"case-{i:04d}", f"title: 案例{i}（{version}）\nprovince: {PROVINCES[i % 4]}\n"
                                              f"practices: [养老服务, 志愿服务]\ndate: '2023-{i % 12 + 1:02d}-01'", body)


def _build(project: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BUILD, str(project / "site.yaml")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_builds_leave_the_previous_or_the_new_site(project: Path) -> None:
    _corpus(project, 300, "旧")
    assert _build(project).wait() == 0
    old = tree(project / "output")
    _corpus(project, 300, "新")
    started = time.monotonic()
    proc = _build(project)
    assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    full = time.monotonic() - started
    new = tree(project / "output")
    assert new != old
    rng = random.Random(20261123)
    outcomes = []
    for attempt in range(9):
        # put the old site back, then interrupt a build of the new one
        _corpus(project, 300, "旧")
        assert _build(project).wait() == 0 and tree(project / "output") == old
        _corpus(project, 300, "新")
        sig = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)[attempt % 3]
        proc = _build(project)
        time.sleep(rng.uniform(0.05, full * 1.1))
        proc.send_signal(sig)
        proc.wait()
        now = tree(project / "output")
        assert now in (old, new), f"mixed output after {sig.name}"
        outcomes.append(now == new)
    assert not all(outcomes), "no interruption landed before the swap: the test proved nothing"
    # the next build cleans up whatever an interrupted one left behind
    assert _build(project).wait() == 0
    assert tree(project / "output") == new
    assert not [p for p in project.iterdir() if p.name.startswith(".casebook-staging")]


def test_killed_first_builds_leave_no_output_or_the_whole_site(project: Path) -> None:
    """A first build (no output/ yet) has its pages written into a staging folder by the
    rendering processes themselves; killed, it leaves no output/ at all or the whole site."""
    _corpus(project, 300, "新")
    assert _build(project).wait() == 0
    whole = tree(project / "output")
    full = 0.0
    rng = random.Random(20261124)
    outcomes = []
    for attempt in range(4):
        shutil.rmtree(project / "output", ignore_errors=True)
        shutil.rmtree(project / ".casebook-cache", ignore_errors=True)
        started = time.monotonic()
        proc = _build(project)
        time.sleep(rng.uniform(0.05, full * 1.1) if full else 0.5)
        proc.send_signal((signal.SIGKILL, signal.SIGTERM)[attempt % 2])
        proc.wait()
        full = full or time.monotonic() - started
        landed = (project / "output").exists()
        assert not landed or tree(project / "output") == whole, "a partial first build was published"
        outcomes.append(landed)
    assert not all(outcomes), "no interruption landed before the rename: the test proved nothing"
    assert _build(project).wait() == 0 and tree(project / "output") == whole
    assert not [p for p in project.iterdir() if p.name.startswith(".casebook-staging")]
