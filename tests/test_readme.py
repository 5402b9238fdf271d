"""tests/README.md's results table states counts; recompute them so it cannot go stale."""

from __future__ import annotations

import re

import yaml

from .conftest import ROOT
from .security.test_xss import PAYLOADS, _payload_case
from .test_validation import CASES

TABLE = (ROOT / "tests/README.md").read_text("utf-8")


def test_payload_count_and_injection_points() -> None:
    assert f"| {len(PAYLOADS)} payloads" in TABLE
    meta = yaml.safe_load(_payload_case(0, "PAYLOAD").split("---\n")[1])

    def leaves(value: object) -> list[str]:
        if isinstance(value, dict):
            return [x for v in value.values() for x in leaves(v)]
        if isinstance(value, list):
            return [x for v in value for x in leaves(v)]
        return [str(value)]
    carrying = sum("PAYLOAD" in leaf for leaf in leaves(meta))
    assert f"{carrying} front-matter fields" in TABLE


def test_invalid_content_count() -> None:
    assert f"| {len(CASES)} front-matter mistakes" in TABLE


def test_fault_and_fuzz_counts() -> None:
    interrupt = (ROOT / "tests/test_interrupt.py").read_text("utf-8")
    kills = int(re.search(r"for attempt in range\((\d+)\)", interrupt)[1])
    assert f"| {kills} builds of 300 cases killed" in TABLE
    robustness = (ROOT / "tests/test_robustness.py").read_text("utf-8")
    examples = sum(int(n) for n in re.findall(r"max_examples=(\d+)", robustness))
    assert f"| {examples} generated files per run" in TABLE
    prop = (ROOT / "tests/test_import_property.py").read_text("utf-8")
    articles, junk, text, html = (int(n) for n in re.findall(r"max_examples=(\d+)", prop))
    assert f"| {articles} generated articles" in TABLE and f"{junk} arbitrary byte strings" in TABLE
    assert f"{text} random line structures as text and {html} as HTML" in TABLE
