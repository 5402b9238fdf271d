"""Labelled articles written for these tests: other provinces, other sites' furniture,
and clean negatives that must come through unchanged (tests/data/importer/noisy.yaml)."""

from __future__ import annotations

import re

import pytest

from casebook.importer.convert import Context, convert
from casebook.importer.fetch import read

from .conftest import DATA, assert_orphan_captions, front_and_body, load_yaml, place_of

CASES = load_yaml("noisy.yaml")


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_noisy_article(case: dict, ctx: Context) -> None:
    result = convert(read(str(DATA / case["file"])), ctx)
    front, body = front_and_body(result.markdown)
    assert place_of(front) == place_of(case)
    assert set(case["practices_include"]) <= set(front["practices"])
    for key in ("title", "date", "source", "authors"):
        if key in case:
            assert front.get(key) == case[key], key
    for sentence in case.get("keep", []):
        assert sentence in body
    for word in case.get("drop", []):
        assert word not in body, word
    if "captions" in case:
        assert re.findall(r"^\*(.+)\*$", body, re.M) == case["captions"]
    assert_orphan_captions(case, result)


@pytest.mark.parametrize("case", [c for c in CASES if c.get("unchanged")], ids=lambda c: c["file"])
def test_clean_article_comes_through_unchanged(case: dict, ctx: Context) -> None:
    raw = (DATA / case["file"]).read_text("utf-8").splitlines()
    result = convert(read(str(DATA / case["file"])), ctx)
    front, body = front_and_body(result.markdown)
    assert front["title"] == raw[0]
    assert body.strip().split("\n\n") == raw[1:]
    assert result.lines_removed == 0
    assert set(result.applied) <= {"normalise_lines"}  # at most the final newline
