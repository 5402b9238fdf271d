"""Invalid content: each mistake gets a clear ``file:line: message``, all at once,
exit status 1, and the previous output/ is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.config import load_config
from casebook.errors import CasebookError, CasebookErrors
from casebook.pipeline import build

from .conftest import tree, write_case

GOOD = "title: 好案例\nprovince: 河南省\npractices: [养老服务]"

# (file name, file text, expected "path:line: message" fragment)
CASES = [
    ("no-title", "---\nprovince: 河南省\npractices: [养老服务]\n---\n正文\n",
     "content/no-title.md:1: missing required key 'title'"),
    ("bad-province", "---\ntitle: x\nprovince: 云南\npractices: [养老服务]\n---\n",
     "content/bad-province.md:3: unknown province '云南' (did you mean '云南省'?)"),
    ("bad-practice", "---\ntitle: x\nprovince: 河南省\npractices:\n  - 养老服务\n  - 养老服\n---\n",
     "content/bad-practice.md:6: unknown practice '养老服' (did you mean '养老服务'?)"),
    ("bad-date", "---\ntitle: x\ndate: 2024-13-40\nprovince: 河南省\npractices: [养老服务]\n---\n",
     "content/bad-date.md:3: date '2024-13-40' is not a date (use YYYY-MM-DD or YYYY-MM)"),
    ("bad-slug", "---\ntitle: x\nslug: Bad Slug\nprovince: 河南省\npractices: [养老服务]\n---\n",
     "content/bad-slug.md:3: slug 'Bad Slug' must be lowercase ASCII"),
    ("unknown-key", "---\ntitle: x\nprovince: 河南省\npractices: [养老服务]\nsumary: y\n---\n",
     "content/unknown-key.md:5: unknown key 'sumary' (did you mean 'summary'?)"),
    ("yaml-syntax", "---\ntitle: x\nprovince: [河南省\npractices: [养老服务]\n---\n",
     "content/yaml-syntax.md:4: invalid YAML in front-matter"),
    ("bad-url", "---\ntitle: x\nprovince: 河南省\npractices: [养老服务]\nsource_url: javascript:alert(1)\n---\n",
     "content/bad-url.md:5: source_url 'javascript:alert(1)' must be an http:// or https:// URL"),
    ("no-front", "只有正文，没有元数据。\n", "content/no-front.md:1: no front-matter"),
    ("empty", "", "content/empty.md:1: file is empty"),
    ("bad-case", ("---\ntitle: x\nprovince: 河南省\npractices: [养老服务]\ncases:\n  - name: 甲\n    province: 河南省\n"
                  "    anchor: ../../x\n---\n"), "content/bad-case.md:8: anchor '../../x' must be ASCII"),
    ("Not_A_Slug", "---\ntitle: x\nprovince: 河南省\npractices: [养老服务]\n---\n",
     "content/Not_A_Slug.md:1: file name 'Not_A_Slug' is not a usable URL slug"),
]


def _errors(project: Path) -> str:
    with pytest.raises(CasebookError) as info:
        build(load_config(project / "site.yaml", {"search": False}))
    return str(info.value)


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_with_file_and_line(project: Path, name: str, text: str, expected: str) -> None:
    (project / "content" / f"{name}.md").write_text(text, "utf-8")
    assert expected in _errors(project)


def test_non_utf8_file_names_the_line_of_the_bad_byte(project: Path) -> None:
    (project / "content/gbk.md").write_bytes(("---\ntitle: 标题\n").encode() + "省份: 河南\n".encode("gbk"))
    assert "content/gbk.md:3: file is not UTF-8 text" in _errors(project)


def test_duplicate_slugs_name_both_files(project: Path) -> None:
    write_case(project, "one", GOOD + "\nslug: same")
    write_case(project, "two", GOOD + "\nslug: same")
    message = _errors(project)
    assert "content/two.md:5: slug 'same' is already used by content/one.md" in message
    assert "content/one.md" not in message.replace("used by content/one.md", "")


def test_a_duplicate_slug_blames_the_later_file_in_path_order_at_its_slug_line(project: Path) -> None:
    """A file in a subfolder is listed after the folder's own files, but ``a/x.md`` comes
    before ``b.md`` in path order: ``b.md`` is the copy, blamed at its ``title:`` line
    when its slug is its file name."""
    (project / "content/a").mkdir()
    (project / "content/a/x.md").write_text(f"---\nslug: b\n{GOOD}\n---\n正文。\n", "utf-8")
    write_case(project, "b", "province: 河南省\ntitle: 乙\npractices: [养老服务]")
    message = _errors(project)
    assert message == ("content/b.md:3: slug 'b' is already used by content/a/x.md: two cases cannot share "
                       "a URL (change one 'slug:', or rename a file)")


def test_practices_written_as_one_text_is_shown_as_a_list(project: Path) -> None:
    write_case(project, "joined", "title: x\nprovince: 河南省\npractices: 养老服务，志愿服务")
    message = _errors(project)
    assert ("content/joined.md:4: practices '养老服务，志愿服务' looks like several practices written as one "
            "text: write a YAML list, practices: [养老服务, 志愿服务]") in message
    assert "did you mean" not in message


def test_empty_practices_are_empty_not_missing(project: Path) -> None:
    write_case(project, "none", "title: x\nprovince: 河南省\npractices: []")
    message = _errors(project)
    assert "content/none.md:4: practices is empty: list at least one practice, e.g. [党群服务阵地, " in message
    assert "missing" not in message


def test_all_errors_across_all_files_are_reported_together(project: Path) -> None:
    for name, text, _ in CASES:
        (project / "content" / f"{name}.md").write_text(text, "utf-8")
    with pytest.raises(CasebookErrors) as info:
        build(load_config(project / "site.yaml", {"search": False}))
    message = str(info.value)
    for _, _, expected in CASES:
        assert expected in message
    assert len(info.value.errors) >= len(CASES)


def test_bom_and_crlf_files_build_like_any_other(project: Path) -> None:
    text = "---\r\ntitle: 换行测试\r\nprovince: 河南省\r\npractices: [养老服务]\r\n---\r\n\r\n正文。\r\n"
    (project / "content/crlf.md").write_bytes(b"\xef\xbb\xbf" + text.encode())
    build(load_config(project / "site.yaml", {"search": False}))
    assert "换行测试" in (project / "output/cases/crlf/index.html").read_text()


def test_a_failed_build_leaves_previous_output_intact(project: Path, run_cli) -> None:
    assert run_cli(project, "build")[0] == 0
    before = tree(project / "output")
    (project / "content/bad.md").write_text(CASES[1][1], "utf-8")
    code, _, err = run_cli(project, "build")
    assert code == 1
    assert "content/bad.md:3: unknown province" in err and "nothing was written" in err
    assert tree(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".casebook-staging")]


def test_config_errors_name_the_setting_and_line(project: Path, run_cli) -> None:
    site = project / "site.yaml"
    kept = [line for line in site.read_text("utf-8").splitlines(keepends=True) if not line.startswith("base_url:")]
    site.write_text("".join(kept) + "per_pag: 3\nbase_url: ftp://x/\n", "utf-8")
    code, _, err = run_cli(project, "build")
    assert code == 1
    lines = site.read_text("utf-8").splitlines()
    assert f"site.yaml:{len(lines) - 1}: unknown setting 'per_pag' (did you mean 'per_page'?)" in err
    assert f"site.yaml:{len(lines)}: base_url 'ftp://x/' must be an absolute http(s) URL" in err


def test_output_folder_may_not_nest_with_content(project: Path) -> None:
    with pytest.raises(CasebookError, match="must not nest"):
        load_config(project / "site.yaml", {"output_dir": "content/out"})
