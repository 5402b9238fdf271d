"""Each cleaning pass on its labelled cases (tests/data/importer/pass_cases.yaml)."""

from __future__ import annotations

import pytest

from casebook.importer.passes import OPTIONAL, PASSES, clean

from .conftest import load_yaml

CASES = load_yaml("pass_cases.yaml")
BY_NAME = {p.name: p for p in PASSES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['pass']}: {c['label']}" for c in CASES])
def test_pass_case(case: dict) -> None:
    step = BY_NAME[case["pass"]]
    expected = case.get("out", case["in"])
    assert step.func(case["in"]) == expected


@pytest.mark.parametrize("case", CASES, ids=[f"{c['pass']}: {c['label']}" for c in CASES])
def test_pass_is_idempotent(case: dict) -> None:
    step = BY_NAME[case["pass"]]
    once = step.func(case["in"])
    assert step.func(once) == once


def test_every_pass_has_cases_and_a_negative() -> None:
    covered = {c["pass"] for c in CASES}
    negatives = {c["pass"] for c in CASES if "out" not in c}
    named = {p.name for p in PASSES} - {"normalise_lines"}
    assert named <= covered, named - covered
    # passes that rewrite prose must prove they leave ordinary prose alone
    for name in ("repair_gbk_mojibake", "strip_pinyin_annotations", "fullwidth_punctuation",
                 "link_spam", "bylines", "photo_credits", "header_meta", "mark_captions"):
        assert name in negatives, name


def test_registry_is_ordered_and_documented() -> None:
    names = [p.name for p in PASSES]
    assert len(names) == len(set(names))
    assert names.index("repair_gbk_mojibake") < names.index("strip_pinyin_annotations")
    assert names.index("strip_pinyin_annotations") < names.index("traditional_to_simplified")
    assert names.index("mark_captions") < names.index("photo_credits")
    assert names[-1] == "fullwidth_punctuation"
    assert all(p.doc for p in PASSES)
    assert set(OPTIONAL.values()) <= set(names)


def test_clean_records_applied_passes_and_removed_lines() -> None:
    result = clean("首页 > 新闻 > 正文\n社區(qū)治理取得成效。\n责任编辑:郭新星")
    assert result.text == "社区治理取得成效。"
    assert result.applied == ("strip_pinyin_annotations", "traditional_to_simplified",
                              "editor_lines", "breadcrumbs")
    assert [(r.pass_name, r.text, r.whole_line) for r in result.removed] == [
        ("editor_lines", "责任编辑:郭新星", True),
        ("breadcrumbs", "首页 > 新闻 > 正文", True),
    ]


def test_clean_skips_optional_pass() -> None:
    assert clean("黨建引領", skip=frozenset({"traditional_to_simplified"})).text == "黨建引領"


def test_normalise_lines() -> None:
    assert BY_NAME["normalise_lines"].func("\ufeff 第一段\u3000\r\n\r\n\t第二段 \n") == "第一段\n第二段"
