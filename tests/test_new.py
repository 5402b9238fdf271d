"""``build.py new`` (issue 14, items 8 and 17): it validates like ``build``, writes a draft
with a readable slug, and its placeholder text is flagged until the editor replaces it."""

from __future__ import annotations

import os
from pathlib import Path

from .conftest import write_case


def _new(run_cli, project: Path, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    return run_cli(project, "new", *args)  # type: ignore[no-any-return]


def test_new_writes_a_draft_without_inventing_practices(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _new(run_cli, project, "新案例", "--province", "云南省", "--county", "嵩明县")
    assert code == 0, err
    text = (project / "content/songming-xinanli.md").read_text("utf-8")
    assert "practices: []\n" in text and "党群服务阵地" not in text
    assert text.rstrip().endswith("在这里写成效与数据。") and "\ndraft: true\n---\n" in text
    assert "as a draft" in out and "remove 'draft: true'" in out


def test_new_validates_every_value_like_build(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    before = sorted(os.listdir(project / "content"))
    code, _, err = _new(run_cli, project, "新案例", "--province", "四川省", "--date", "2023/3/5",
                        "--practice", "养老服", "--practice", "议事协商", "--practice", "不存在")
    assert code == 1
    assert "--date: date '2023/3/5' is not a date (use YYYY-MM-DD or YYYY-MM)" in err
    assert "--practice: unknown practice '养老服' (did you mean '养老服务'?)" in err
    assert "--practice: unknown practice '不存在'" in err
    assert "--slug" not in err and sorted(os.listdir(project / "content")) == before
    assert "title is empty" in _new(run_cli, project, " ", "--province", "四川省")[2]


def test_new_makes_readable_unique_slugs(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    title = "嵩明县嵩阳街道：党群服务阵地打通为民服务“最后一米”"
    assert _new(run_cli, project, title, "--province", "云南省", "--city", "昆明市", "--county", "嵩明县")[0] == 0
    assert _new(run_cli, project, title, "--province", "云南省", "--county", "嵩明县")[0] == 0
    assert _new(run_cli, project, "Smart Grid Pilot", "--province", "云南省")[0] == 0
    content = project / "content"
    for name in ("songming-dangqunfuwu.md", "songming-dangqunfuwu-2.md", "yunnan-smart-grid-pilot.md"):
        assert (content / name).exists(), sorted(os.listdir(content))


def test_new_refuses_a_title_that_is_not_utf8(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    gbk_title = os.fsdecode("新案例".encode("gbk"))  # what sys.argv holds after a GBK terminal
    code, _, err = _new(run_cli, project, gbk_title, "--province", "四川省")
    assert code == 1 and "title is not valid UTF-8 (as GBK it reads 新案例)" in err
    assert "Traceback" not in err


def test_new_with_content_naming_a_file(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (project / "notes.txt").write_text("x", "utf-8")
    code, _, err = _new(run_cli, project, "新案例", "--province", "四川省", "--content", str(project / "notes.txt"))
    assert code == 1 and "notes.txt: is not a folder: --content must name the folder of case files" in err


def test_placeholders_are_check_problems_and_build_warnings(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert _new(run_cli, project, "新案例", "--province", "云南省", "--county", "嵩明县",
                "--practice", "议事协商")[0] == 0
    case = project / "content/songming-xinanli.md"
    code, out, err = run_cli(project, "check")
    assert code == 0 and "content/songming-xinanli.md: draft, complete" in out, err  # a draft may keep them
    case.write_text(case.read_text("utf-8").replace("draft: true\n", "").replace("在这里写具体做法。", "具体做法。"),
                    "utf-8")
    code, out, err = run_cli(project, "check")
    message = "placeholder text from 'build.py new' is still here: write the case in its place"
    assert code == 1
    assert [line for line in err.splitlines() if message in line] == [
        f"content/songming-xinanli.md:{n}: {message}" for n in (8, 13, 21)]
    code, _, err = run_cli(project, "build")
    assert code == 0 and f"content/songming-xinanli.md:13: warning: {message}" in err
    code, _, err = run_cli(project, "build")  # nothing changed: still said
    assert code == 0 and f"content/songming-xinanli.md:13: warning: {message}" in err
    assert (project / "output/provinces/yunnan/index.html").exists()


def test_written_cases_are_not_mistaken_for_placeholders(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    write_case(project, "real", "title: 真案例\nprovince: 河南省\npractices: [养老服务]\nsummary: 一句话概括。",
               "## 背景\n\n在这里，居民写下了案例的背景。\n")
    code, _, err = run_cli(project, "check")
    assert code == 0, err
