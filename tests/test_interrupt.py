"""A build killed at any point (SIGINT, SIGTERM, SIGKILL) leaves output/ complete:
either exactly the previous site or exactly the new one, never a mix."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casebook import searchindex, write
from casebook.config import load_config
from casebook.pipeline import build

from .conftest import ROOT, tree, write_case
from .search_reader import search

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
    sites = {"旧": old, "新": new}
    rng = random.Random(20261123)
    outcomes = []
    for attempt in range(9):
        # interrupt a build towards the other site, from whatever the last interrupted build
        # left (output and cache): each attempt also starts from an interrupted build's remains
        now = tree(project / "output")
        assert now in (old, new)
        before, after = ("旧", "新") if now == old else ("新", "旧")
        _corpus(project, 300, after)
        sig = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)[attempt % 3]
        proc = _build(project)
        time.sleep(rng.uniform(0.05, full * 1.1))
        proc.send_signal(sig)
        proc.wait()
        now = tree(project / "output")
        assert now in (sites[before], sites[after]), f"mixed output after {sig.name}"
        outcomes.append(now == sites[after])
    assert not all(outcomes), "no interruption landed before the swap: the test proved nothing"
    _corpus(project, 300, "新")
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


# -- a small update with search on: the index staged alone, the pages replaced in place ----------

def _edit_body(project: Path) -> None:
    """A body edit that leaves the case's summary alone: its page and feeds change, and the index."""
    case = project / "content" / "anhui-langya-a2627c.md"
    text = case.read_text("utf-8")
    assert "\n## " in text
    case.write_text(text.replace("\n## ", "\n## 新增一节\n\n琅琊山下新建的邻里食堂每天供应午餐。\n\n## ", 1), "utf-8")


def _step_at(project: Path, step: int, kill: bool) -> None:
    """Interrupt the ``step``-th step of writing the output (writing, linking, renaming or
    exchanging a file or folder in it or in its staging folder): by Ctrl-C's exception or
    by SIGKILL. Patches this process: call it only in a child."""
    count = [0]

    def stepped(real: Callable[..., Any]) -> Callable[..., Any]:
        def step_then(*args: Any, **kwargs: Any) -> Any:
            if any(str(a).startswith(str(project / "output")) or write.STAGING_PREFIX in str(a) for a in args):
                count[0] += 1
                if count[0] == step:
                    if kill:
                        os.kill(os.getpid(), signal.SIGKILL)
                    raise KeyboardInterrupt
            return real(*args, **kwargs)
        return step_then
    for module, name in ((write, "_carry"), (write, "_write_file"), (write, "_link_or_copy"), (write, "_exchange"),
                         (searchindex, "write_atomic"), (os, "replace"), (os, "rename")):
        setattr(module, name, stepped(getattr(module, name)))


def _build_in_child(project: Path, step: int, kill: bool) -> str:
    """How a build of ``project`` interrupted at ``step`` ended: "built" (it had fewer
    steps), "interrupted" (Ctrl-C's exception went up), "killed"."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 2
        try:
            _step_at(project, step, kill)
            build(load_config(project / "site.yaml", {"search": True}), workers=1)
            status = 0
        except KeyboardInterrupt:
            status = 1
        finally:
            os._exit(status)
    _pid, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return "killed"
    return {0: "built", 1: "interrupted"}[os.WEXITSTATUS(status)]


def _restore(snapshot: Path, project: Path) -> None:
    shutil.rmtree(project)
    shutil.copytree(snapshot, project, symlinks=True)


def _published(output: Path) -> dict[str, bytes]:
    """The site as readers see it: without an in-place update's temporary files."""
    return {p: d for p, d in tree(output).items() if not p.endswith((write.TEMP_SUFFIX, write.OLD_SUFFIX))}


@pytest.mark.parametrize("kill", [False, True], ids=["ctrl-c", "sigkill"])
def test_a_body_edit_with_search_interrupted_at_each_step_leaves_the_old_or_the_new_site(
        project: Path, tmp_path_factory: pytest.TempPathFactory, kill: bool) -> None:
    """The update stages the index alone and replaces the pages in place. Interrupted by
    Ctrl-C at any step, it takes back all it did: the old site, byte for byte. Killed, it
    leaves a whole index (old or new) beside pages each old or new, and the next build
    completes the new site and removes the staging folder."""
    config = load_config(project / "site.yaml", {"search": True})
    build(config, workers=1)
    output = project / "output"
    old = tree(output)
    snapshot = tmp_path_factory.mktemp("snapshot") / "project"
    shutil.copytree(project, snapshot, symlinks=True)
    _edit_body(project)
    _built, report = build(config, workers=1)
    assert report.in_place and searchindex.FOLDER + "/meta.json" in old
    new = tree(output)
    index = searchindex.FOLDER + "/"
    outcomes = set()
    for step in range(1, 200):
        _restore(snapshot, project)
        _edit_body(project)
        outcome = _build_in_child(project, step, kill)
        if outcome == "built":
            break
        outcomes.add(outcome)
        now = _published(output)
        if not kill:
            assert now == old, f"step {step}: not the old site"
            assert not [p for p in project.iterdir() if p.name.startswith(write.STAGING_PREFIX)]
            continue
        searchindex.check_index(output / searchindex.FOLDER)
        assert {p: d for p, d in now.items() if p.startswith(index)} in (
            {p: d for p, d in site.items() if p.startswith(index)} for site in (old, new)), f"step {step}: mixed index"
        assert all(now.get(p) in (old.get(p), new.get(p)) for p in now.keys() | old.keys() | new.keys()), step
        build(config, workers=1)
        assert {p: d for p, d in tree(output).items() if not p.startswith(index)} == \
            {p: d for p, d in new.items() if not p.startswith(index)}
        assert search(output, "邻里食堂") == ["cases/anhui-langya-a2627c/"]
        assert not [p for p in project.iterdir() if p.name.startswith(write.STAGING_PREFIX)]
    else:
        pytest.fail("the update never finished")
    assert step > 10 and outcomes == {"killed" if kill else "interrupted"}
