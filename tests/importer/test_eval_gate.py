"""The evaluation gate: the importer's scores on the labelled corpus in ``bench/eval/``
must not fall below the issue's targets (as trafilatura's ``tests/eval_gate.py``).

``bench/eval_import.py`` prints the full table; this test runs the same scorer and
fails when a change makes any set worse than its floor, so a rule that helps one page
and hurts others is caught before it lands. The ``holdout`` set was never used to
tune the passes; ``holdout2`` was written afterwards by someone who never saw the
code or the other sets, and was scored once before any fix (``bench/RESULTS.md``). Both
were inspected after their first score, so they are regression sets now; what stands
in for unseen pages is that first score.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from casebook.importer.credits import CAPTION_MAX

from .conftest import REPO

#: Sentences that cannot come back without guessing: bytes the damage destroyed and
#: that the article does not repeat (lost-high-bit GBK, UTF-8 read as GBK). Any loss
#: beyond these is a pass removing article text.
UNRECOVERABLE = {"dev": 15, "holdout": 13, "holdout2": 6}
#: Share of headlines (and HTML dates) right: the issue asks 27 of 28 of HTML pages;
#: scraped text often lost its headline among the furniture, so its floor is lower.
TITLE_FLOORS = {"html": 0.95, "text": 0.8}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_import", REPO / "bench" / "eval_import.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_import"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def outcomes(ctx) -> dict[str, list]:
    scorer = _scorer()
    cases = scorer.load_cases(scorer.SETS)
    assert len(cases) >= 50, "the labelled corpus is missing"
    by_set: dict[str, list] = {}
    for case in cases:
        by_set.setdefault(case.set, []).append((case, scorer.run_case(case, ctx)))
    return by_set


@pytest.mark.parametrize("name", list(UNRECOVERABLE))
def test_every_page_gives_a_file_with_its_place(outcomes, name: str) -> None:
    pairs = outcomes[name]
    assert all(o.written for _, o in pairs), [o.error for _, o in pairs if not o.written]
    right = sum(o.right["province"] for _, o in pairs)
    assert right / len(pairs) >= 0.95


@pytest.mark.parametrize("name", list(UNRECOVERABLE))
def test_junk_left_and_text_lost(outcomes, name: str) -> None:
    outs = [o for _, o in outcomes[name]]
    for kind in ("text", "html"):  # as the issue measures: each kind of input on its own
        of_kind = [o for o in outs if o.kind == kind]
        left = sum(len(o.junk_left) for o in of_kind)
        assert left / sum(o.junk_total for o in of_kind) <= 0.10, [(o.name, o.junk_left) for o in of_kind if o.junk_left]
    lost = [(o.name, s) for o in outs for s in o.sentences_lost]
    assert len(lost) <= UNRECOVERABLE[name], lost
    # A caption goes to the report only when its picture is gone (issue 16): never more of
    # them than the page has pictures, and each one a caption's length, not a paragraph's.
    assert all(len(o.captions_moved) <= o.pictures for o in outs if o.kind == "html")
    assert all(len(s) <= CAPTION_MAX for o in outs for s in o.captions_moved), [o.captions_moved for o in outs]
    assert not [m for o in outs for m in o.mojibake_left]


@pytest.mark.parametrize("name", list(UNRECOVERABLE))
def test_title_date_and_practices(outcomes, name: str) -> None:
    pairs = outcomes[name]
    for kind, floor in TITLE_FLOORS.items():
        titled = [o for case, o in pairs if case.labels.get("title") and o.kind == kind]
        assert sum(o.right["title"] for o in titled) / len(titled) >= floor, kind
    html = [o for _, o in pairs if o.kind == "html"]
    assert sum(o.right["date"] for o in html) / len(html) >= TITLE_FLOORS["html"]
    tp = sum(o.practices_tp for _, o in pairs)
    precision = tp / sum(o.practices_got for _, o in pairs)
    recall = tp / sum(o.practices_expected for _, o in pairs)
    assert 2 * precision * recall / (precision + recall) >= 0.8
