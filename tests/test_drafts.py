"""Drafts that may be incomplete, reported by ``build`` and ``check``; a summary that only
repeats the body's first paragraph is not shown twice, and a case without summary gets an
excerpt on its cards (never a lead on its own page)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from casebook.config import load_config
from casebook.errors import CasebookErrors
from casebook.load import excerpt, first_paragraph, repeats
from casebook.pipeline import build

from .conftest import ROOT, tree, write_case

#: The sample site's cases: plain files and page bundles.
SAMPLE = len([*(ROOT / "content").glob("*.md"), *(ROOT / "content").glob("*/index.md")])
COMPLETE_DRAFT = "title: 完整草稿\nprovince: 河南省\npractices: [养老服务]\ndraft: true"
OPEN_DRAFT = "title: 未定草稿\nslug: open-draft\ndraft: true"  # as the importer writes one it could not place


@pytest.fixture
def site(project: Path) -> Path:
    """The sample site (without search) plus a complete draft and a draft lacking its
    province and practices."""
    config = project / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    write_case(project, "complete-draft", COMPLETE_DRAFT)
    write_case(project, "open-draft", OPEN_DRAFT)
    return project


def _cases(project: Path, output: str = "output") -> set[str]:
    return {p.parent.name for p in (project / output / "cases").glob("*/index.html")}


def test_build_skips_drafts_and_says_how_many(site: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(site, "build")
    assert code == 0, err
    assert "2 drafts skipped (use --drafts to include them)\n" in out
    assert out.index("drafts skipped") < out.index(f"built {SAMPLE} cases")
    assert "content/open-draft.md" not in out  # which ones: only with -v
    assert not {"complete-draft", "open-draft"} & _cases(site)
    assert "open-draft" not in (site / "output/cases.json").read_text("utf-8")

    code, out, _ = run_cli(site, "-v", "build")  # unchanged: the report comes from the cache
    assert code == 0
    assert "2 drafts skipped (use --drafts to include them)\n" in out
    assert "  draft content/complete-draft.md\n" in out
    assert "  draft content/open-draft.md: lacks province, practices\n" in out

    assert run_cli(site, "-q", "build")[1] == ""


def test_build_with_drafts_shows_complete_ones_and_names_the_rest(site: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(site, "build", "--drafts")
    assert code == 0, err
    assert "1 incomplete draft not shown:\n  content/open-draft.md: lacks province, practices\n" in out
    assert f"built {SAMPLE + 1} cases" in out
    assert "complete-draft" in _cases(site) and "open-draft" not in _cases(site)
    assert "/cases/complete-draft/" in (site / "output/provinces/henan/index.html").read_text("utf-8")


def test_check_lists_what_each_draft_lacks(site: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    write_case(site, "blank-draft", "title: ' '\nprovince:\npractices: []\ndraft: true\n"
               "cases:\n  - {name: 甲社区, province: 河南省, anchor: jia}")
    code, out, err = run_cli(site, "check")
    assert code == 0, err
    drafts = [line for line in out.splitlines() if ": draft" in line]
    assert drafts == ["content/blank-draft.md: draft, lacks title, province, practices",
                      "content/complete-draft.md: draft, complete",
                      "content/open-draft.md: draft, lacks province, practices"]
    assert "0 problems" in out


def test_what_a_draft_has_is_still_checked_and_a_case_must_be_complete(site: Path) -> None:
    write_case(site, "bad-draft", "title: 草稿\nprovince: 云南\ndraft: true")
    write_case(site, "no-province", "title: 缺省份\npractices: [养老服务]")
    write_case(site, "not-really", "title: 草稿？\npractices: [养老服务]\ndraft: 'yes'")
    with pytest.raises(CasebookErrors) as info:
        build(load_config(site / "site.yaml"))
    message = str(info.value)
    assert "content/bad-draft.md:3: unknown province '云南' (did you mean '云南省'?)" in message
    assert "content/no-province.md:1: missing required key 'province'" in message
    assert "content/not-really.md:1: missing required key 'province'" in message
    assert "content/not-really.md:4: draft must be true or false" in message
    assert "open-draft" not in message and "complete-draft" not in message


def test_a_draft_that_gains_its_province_appears_on_the_next_build(site: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(site, "build", "--drafts")[0] == 0
    draft = site / "content/open-draft.md"
    draft.write_text(draft.read_text("utf-8").replace("draft: true", "province: 河南省\npractices: [养老服务]\ndraft: true"),
                     "utf-8")
    code, out, _ = run_cli(site, "build", "--drafts")
    assert code == 0
    assert "incomplete" not in out and f"built {SAMPLE + 2} cases" in out
    assert "open-draft" in _cases(site)
    assert "/cases/open-draft/" in (site / "output/provinces/henan/index.html").read_text("utf-8")
    _assert_same_as_clean(site, drafts=True)

    draft.write_text(draft.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    code, out, _ = run_cli(site, "build")  # published: in a build without drafts too
    assert code == 0 and "1 draft skipped" in out and f"built {SAMPLE + 1} cases" in out
    assert "open-draft" in _cases(site) and "complete-draft" not in _cases(site)
    _assert_same_as_clean(site, drafts=False)


def _assert_same_as_clean(project: Path, drafts: bool) -> None:
    clean = load_config(project / "site.yaml", {"output_dir": "clean-output", "drafts": drafts})
    shutil.rmtree(clean.output_dir, ignore_errors=True)
    build(clean, use_cache=False)
    assert tree(project / "output") == tree(clean.output_dir)


# -- the lead and the excerpt ----------------------------------------------------------------------

FIRST = "近年来，某街道以党建引领基层治理，探索出“小区议事会”的做法。居民的事由居民商量着办。"


def test_a_summary_repeating_the_first_paragraph_is_shown_once(project: Path) -> None:
    front = "province: 河南省\npractices: [养老服务]\n"
    body = f"*社区议事会现场。*\n\n{FIRST}\n\n## 做法\n\n第二段。\n"
    write_case(project, "same", f"title: 重复\n{front}summary: 近年来，某街道以党建引领基层治理，探索出“小区议事会”的做法…", body)
    write_case(project, "other", f"title: 不重复\n{front}summary: 编辑另写的导语。", body)
    out = project / "output"
    build(load_config(project / "site.yaml", {"search": False}))
    same = (out / "cases/same/index.html").read_text("utf-8")
    article = same[same.index("<article"):same.index("</article>")]
    assert 'class="lead"' not in article
    assert article.count("近年来，某街道以党建引领基层治理") == 1
    assert 'name="description" content="近年来，某街道以党建引领基层治理，探索出“小区议事会”的做法…"' in same
    other = (out / "cases/other/index.html").read_text("utf-8")
    assert '<p class="lead">编辑另写的导语。</p>' in other
    cards = (out / "cases/index.html").read_text("utf-8")
    assert '<p class="summary">近年来，某街道以党建引领基层治理，探索出“小区议事会”的做法…</p>' in cards
    assert '<p class="summary">编辑另写的导语。</p>' in cards


def test_without_summary_cards_show_an_excerpt_and_the_case_page_no_lead(project: Path) -> None:
    long_para = FIRST + "他们把议事会开到楼栋里，" * 12 + "问题当场解决。"
    write_case(project, "bare", "title: 无摘要\nprovince: 河南省\npractices: [养老服务]",
               f"## 小标题\n\n![现场](/img/a.jpg)\n\n{long_para}\n\n第二段。\n")
    out = project / "output"
    build(load_config(project / "site.yaml", {"search": False}))
    page = (out / "cases/bare/index.html").read_text("utf-8")
    assert 'class="lead"' not in page
    expected = FIRST + "他们把议事会开到楼栋里，" * 5 + "他们把议事会开到楼栋里…"  # 115 characters
    assert len(expected) <= 120
    assert f'<meta name="description" content="{expected}">' in page
    for listing in ("cases/index.html", "provinces/henan/index.html", "practices/elderly-care/index.html"):
        assert f'<p class="summary">{expected}</p>' in (out / listing).read_text("utf-8")
    assert f'"summary":"{expected}"' in (out / "cases.json").read_text("utf-8")


def test_an_edited_first_paragraph_updates_the_cards_incrementally(site: Path) -> None:
    write_case(site, "bare", "title: 无摘要\nprovince: 河南省\npractices: [养老服务]", "旧的第一段。\n\n第二段。\n")
    build(load_config(site / "site.yaml"))
    write_case(site, "bare", "title: 无摘要\nprovince: 河南省\npractices: [养老服务]", "改过的新第一段。\n\n第二段。\n")
    build(load_config(site / "site.yaml"))
    assert '<p class="summary">改过的新第一段。</p>' in (site / "output/cases/index.html").read_text("utf-8")
    _assert_same_as_clean(site, drafts=False)


@pytest.mark.parametrize("body,expected", [
    ("正文第一段。\n第二行。\n\n第二段。", "正文第一段。第二行。"),
    ("## 标题 {#a}\n正文在标题下。", "正文在标题下。"),
    ("*▲图片说明。*\n\n![图](x.jpg)\n\n正文。", "正文。"),
    ("**编者按：**这是*编者*的[话](https://x.org/)[^1]。\n\n[^1]: 注。", "编者按：这是编者的话。"),
    ("```\n代码\n\n还是代码\n```\n\n- 列表\n\n> 引文\n\n| a | b |\n|---|---|\n\n---\n\n正文 &amp; more", "正文 & more"),
    ("标题\n===\n\n术语\n: 定义\n\n\\# 不是标题", "# 不是标题"),
    ("## 只有标题\n", ""),
])
def test_first_paragraph(body: str, expected: str) -> None:
    assert first_paragraph(body) == expected


def test_excerpt_is_cut_at_a_sentence_or_phrase_end() -> None:
    assert excerpt("短段落。") == "短段落。"
    sentences = "第一句话说得比较长一些。" * 20
    assert excerpt(sentences) == "第一句话说得比较长一些。" * 9
    phrases = "一个分句，" * 40
    assert excerpt(phrases) == "一个分句，" * 22 + "一个分句…"
    assert excerpt("无标点" * 60) == ("无标点" * 60)[:119] + "…"
    assert all(len(excerpt(t)) <= 120 for t in (sentences, phrases))


@pytest.mark.parametrize("summary,repeated", [
    (FIRST, True),
    ("近年来，某街道以党建引领基层治理。", True),  # a prefix, ending its sentence early
    ("近年来，某街道以党建引领基层治理，探索出…", True),
    ("近年来， 某街道以**党建引领**基层治理", True),
    ("某街道以党建引领基层治理", False),  # not the start
    ("近年来，某县", False),
    ("", False),
])
def test_repeats(summary: str, repeated: bool) -> None:
    assert repeats(summary, FIRST) is repeated
    assert repeats(summary, "编者按：" + FIRST) is repeated
    assert not repeats(summary, "")


def test_excerpt_keeps_no_markup() -> None:
    assert re.search(r"[*_`<>\[\]]", first_paragraph("**粗** _斜_ `码` <b>标</b> [链](u)")) is None
