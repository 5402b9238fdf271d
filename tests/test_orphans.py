"""``kill -9`` of a build leaves no process behind: its pool workers (parsing, rendering,
indexing search) die with it (issue 14, item 6). Linux only: the kernel's parent-death
signal does it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook import searchindex
from casebook.write import STAGING_PREFIX

from .conftest import ROOT, tree
from .test_interrupt import _corpus

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")

BUILD = ("import sys; from pathlib import Path; from casebook.config import load_config; "
         "from casebook.pipeline import build; build(load_config(Path(sys.argv[1]), {'search': sys.argv[2] == 'on'}))")


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a live process, None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0], fields[19]


def _children(pid: int) -> dict[int, str]:
    """Live children of ``pid``: pid -> start time (so a reused pid is not mistaken for one)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None and st[0] == pid and st[1] != "Z":
                found[int(entry)] = st[2]
    return found


def _alive(pid: int, started: str) -> bool:
    st = _stat(pid)
    return st is not None and st[2] == started and st[1] != "Z"


def _exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def _kill_and_check(proc: subprocess.Popen, children: dict[int, str]) -> None:
    """Kill the build; within a second (a worker caught as it starts has more work than
    that left) none of its children may be alive."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline and any(_alive(p, s) for p, s in children.items()):
        time.sleep(0.05)
    left = [p for p, s in children.items() if _alive(p, s)]
    for pid in left:  # do not leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} processes outlived the killed build: {[_exe(p) for p in left]}"


def _start(project: Path, search: str) -> subprocess.Popen:
    env = {**os.environ, "CASEBOOK_JOBS": "2"}
    return subprocess.Popen([sys.executable, "-c", BUILD, str(project / "site.yaml"), search], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(proc: subprocess.Popen, want, timeout: float = 120) -> dict[int, str]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        if want(kids):
            return kids
        time.sleep(0.01)
    pytest.fail("the build finished before it had the children this test kills it with: "
                + (proc.stderr.read().decode()[-2000:] if proc.stderr else ""))


def test_kill_9_leaves_no_pool_worker(project: Path) -> None:
    _corpus(project, 300, "新")
    proc = _start(project, "off")
    kids = _wait_for(proc, lambda kids: len(kids) >= 2)  # the parse or render pool's workers
    time.sleep(0.2)
    kids.update(_children(proc.pid))
    _kill_and_check(proc, kids)


def test_kill_9_while_indexing_leaves_no_process_and_the_old_site(project: Path) -> None:
    """Killed while its workers index every case again (all 300 bodies edited): no worker
    outlives it, and the published site is the old one, index included."""
    _corpus(project, 300, "旧")
    assert _start(project, "on").wait() == 0
    before = tree(project / "output")
    _corpus(project, 300, "新")
    proc = _start(project, "on")
    docs = project / f"{STAGING_PREFIX}{proc.pid}-output" / searchindex.FOLDER / "d"

    def indexing(kids: dict[int, str]) -> bool:
        """The render pool is gone, the staged index was cleared and is being written again."""
        try:
            return bool(kids) and len(os.listdir(docs)) < 300
        except OSError:
            return False
    _kill_and_check(proc, _wait_for(proc, indexing))
    assert tree(project / "output") == before
