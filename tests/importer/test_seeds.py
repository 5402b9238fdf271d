"""The five real seed articles: place, title, practices, cases, nothing lost, no debris."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.importer.convert import Context, Imported, convert
from casebook.importer.fetch import read

from .conftest import DATA, assert_orphan_captions, front_and_body, load_yaml, place_of

SEEDS = load_yaml("seeds.yaml")
#: Debris no output may contain: mojibake, half entities, tag fragments, pinyin.
DEBRIS = re.compile(r"\?[!,;:]|\?ldquo|\?rdquo|&[a-z]+;|/p>|<\s*/?\s*(p|img|br|div)\b|\([a-zü\u00e0-\u01dc]{1,6}\)|\?")
#: Boilerplate kinds from the issue, as words that never belong to an article body.
BOILERPLATE = ("首页 >", "责任编辑", "版权所有", "Copyright", "ICP", "特别声明", "Notice:", "快照",
               "相关推荐", "资料图", "本文转自", "来源：", "关键词")


def _core(text: str) -> str:
    """Letters and digits only: sentence survival must not hinge on punctuation width."""
    return "".join(re.findall(r"[\w]", text))


@pytest.fixture(scope="module")
def imported(ctx: Context, seed_files: dict[str, Path]) -> dict[str, Imported]:
    return {key: convert(read(str(path)), ctx) for key, path in seed_files.items()}


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_place(case: dict, imported: dict[str, Imported]) -> None:
    front, _ = front_and_body(imported[case["seed"]].markdown)
    assert place_of(front) == place_of(case)


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_title_source_authors_date(case: dict, imported: dict[str, Imported]) -> None:
    front, body = front_and_body(imported[case["seed"]].markdown)
    if "title" in case:
        assert front["title"] == case["title"]
    for part in case.get("title_contains", []):
        assert part in front["title"]
    assert front.get("source") == case.get("source")
    assert front.get("authors", []) == case.get("authors", [])
    assert front.get("date") == case["date"]
    if case.get("headline", True):
        assert front["title"] not in body  # the headline is not repeated in the body
    else:  # no headline: a title from the lead sentence, short, not a list of practice names
        assert len(front["title"]) <= 40 and front["title"] in body.replace("*", "")


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_practices_and_cases(case: dict, imported: dict[str, Imported]) -> None:
    front, body = front_and_body(imported[case["seed"]].markdown)
    assert 1 <= len(front["practices"]) <= 3
    assert front["practices"][0] == case["practices_first"]
    assert set(case["practices_include"]) <= set(front["practices"])
    cases = front.get("cases", [])
    assert [c["name"] for c in cases] == case["cases"]
    for entry, county in zip(cases, case.get("case_counties", [c["county"] for c in cases]), strict=True):
        assert entry["county"] == county and entry["province"] == case["province"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["anchor"])
        assert f"{{#{entry['anchor']}}}" in body
        assert 1 <= len(entry["practices"]) <= 3


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_every_body_sentence_survives(case: dict, imported: dict[str, Imported]) -> None:
    _, body = front_and_body(imported[case["seed"]].markdown)
    have = _core(body)
    lines = (DATA / "sentences" / f"{case['seed']}.txt").read_text("utf-8").splitlines()
    sentences = [s for s in lines if s and not s.startswith("#")]
    assert sentences
    for sentence in sentences:
        for lost, written in (case.get("known_losses") or {}).items():
            sentence = sentence.replace(lost, written)
        assert _core(sentence) in have, sentence


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_no_debris_or_boilerplate(case: dict, imported: dict[str, Imported]) -> None:
    result = imported[case["seed"]]
    front, body = front_and_body(result.markdown)
    for word in BOILERPLATE + tuple(case["must_drop"]):
        assert word not in body, word
    assert not DEBRIS.search(body), DEBRIS.search(body)
    assert not re.search(r"[\u4e00-\u9fff][,:;!?][\u4e00-\u9fff]", body)  # ASCII punctuation in Chinese
    assert "區" not in body and "黨" not in body  # Simplified throughout


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_headings_and_captions(case: dict, imported: dict[str, Imported]) -> None:
    _, body = front_and_body(imported[case["seed"]].markdown)
    headings = [re.sub(r" \{#[a-z0-9-]+\}$", "", h) for h in re.findall(r"^## (.+)$", body, re.M)]
    for heading in case.get("headings", []):
        assert heading in headings
    captions = re.findall(r"^\*(.+)\*$", body, re.M)
    assert captions == case.get("captions", [])
    assert_orphan_captions(case, imported[case["seed"]])


@pytest.mark.parametrize("case", SEEDS, ids=[c["seed"] for c in SEEDS])
def test_removed_lines_are_reported(case: dict, imported: dict[str, Imported]) -> None:
    result = imported[case["seed"]]
    lines = [line for line in result.report.splitlines() if not line.startswith("#")]
    assert all(re.match(r"^\[[a-z_]+\] ", line) for line in lines)
    assert sum(1 for line in lines if not line.split("] ", 1)[1].startswith("~ ")) == result.lines_removed
    assert result.lines_removed >= 1


def test_seed_figures(imported: dict[str, Imported]) -> None:
    front, _ = front_and_body(imported["002"].markdown)
    assert {"value": "18个", "label": "综合网格"} in front["figures"]
    for result in imported.values():
        front, _ = front_and_body(result.markdown)
        assert len(front.get("figures", [])) <= 6
        assert len(front.get("summary", "")) <= 120


def test_output_passes_the_build_schema(imported: dict[str, Imported], tmp_path: Path) -> None:
    """Every imported seed loads through the core's front-matter validator."""
    load = pytest.importorskip("casebook.load")
    from casebook.taxonomy import load_practices

    from .conftest import PRACTICES

    vocab = load_practices(PRACTICES)
    for result in imported.values():
        file = tmp_path / f"{result.slug}.md"
        file.write_text(result.markdown, "utf-8")
        article = load.read_article(file, file.name, vocab)
        assert article.slug == result.slug
