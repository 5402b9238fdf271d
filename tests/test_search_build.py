"""The build writes the search index (issue 15): as a stage on the tree being published,
updated only where case pages changed, and answering every query as a clean build's does.

An incremental index differs from a clean one in its bytes (an edited case gets a new
document id, the old one is tombstoned), so the two are compared by what they answer
(:mod:`tests.search_reader`, the search page's algorithm): the same proven results for
each case's title, place and practices, and for a few fixed queries."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from casebook import searchindex
from casebook.config import load_config
from casebook.pipeline import build
from casebook.write import STAGING_PREFIX

from .conftest import ROOT, tree
from .search_reader import search

sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus

FIXED = ("养老服务", "網格員", "议事协商", "社区", "村")
INDEX = searchindex.FOLDER + "/"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    gen_corpus.generate(tmp_path / "content", 40)
    for name in ("data", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    assert "search: true" in (tmp_path / "site.yaml").read_text("utf-8")
    return tmp_path


def _meta(output: Path) -> dict:
    return json.loads((output / INDEX / "meta.json").read_text("utf-8"))


def _queries(output: Path) -> list[str]:
    """Each case's title (its first eight characters), place and practices, and FIXED."""
    found = set(FIXED)
    for path in (output / INDEX / "d").glob("*.json"):
        record = json.loads(path.read_text("utf-8"))
        found.update([record["t"][:8], record["p"].split(" · ")[-1], *record["k"]])
    return sorted(q for q in found if q)


def _answers(output: Path, queries: list[str]) -> dict[str, list[str]]:
    return {q: sorted(search(output, q, limit=10_000)) for q in queries}


def _assert_same_as_clean(site: Path) -> None:
    """Every file but the index byte for byte as a clean build's; the index answering alike."""
    clean = load_config(site / "site.yaml", {"output_dir": "clean-output"})
    shutil.rmtree(clean.output_dir, ignore_errors=True)
    build(clean, use_cache=False)
    output = site / "output"
    pages, clean_pages = tree(output), tree(clean.output_dir)
    assert {p: d for p, d in pages.items() if not p.startswith(INDEX)} == \
        {p: d for p, d in clean_pages.items() if not p.startswith(INDEX)}
    queries = _queries(clean.output_dir)
    assert len(queries) > 40
    assert _answers(output, queries) == _answers(clean.output_dir, queries)
    assert _meta(output)["docs"] == _meta(clean.output_dir)["docs"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _body_line(path: Path) -> str:
    """A paragraph line of the case's body (not front-matter, not a heading)."""
    body = path.read_text("utf-8").split("\n---\n", 1)[1]
    return next(line for line in body.splitlines() if len(line) > 30 and line[0] not in "#>-|*0123456789`")


def test_edits_additions_and_deletions_update_the_index_as_a_clean_build(site: Path) -> None:
    config = load_config(site / "site.yaml")
    build(config)
    _assert_same_as_clean(site)
    cases = sorted((site / "content").glob("*.md"))

    line = _body_line(cases[3])
    _edit(cases[3], line, "琅琊山下新建的邻里食堂每天供应午餐。" + line)
    build(config)
    assert _meta(site / "output")["dead"] != []  # appended and tombstoned, not indexed from scratch
    assert search(site / "output", "邻里食堂") != []
    _assert_same_as_clean(site)

    # Adding or deleting a case renders every case page again (neighbours, counts), yet
    # only the added case is indexed, and only the deleted one tombstoned.
    ids = _ids(site / "output")
    shutil.copy(cases[5], site / "content" / "added.md")
    _edit(site / "content" / "added.md", "slug: ", "slug: added-")
    _edit(site / "content" / "added.md", "title: ", "title: 新增案例")
    build(config)
    assert _ids(site / "output") == (ids[0] + 1, ids[1])
    _assert_same_as_clean(site)

    cases[7].unlink()
    build(config)
    assert _ids(site / "output") == (ids[0] + 1, ids[1] + 1)
    _assert_same_as_clean(site)


def _slug(case: Path) -> str:
    return next(line[6:].strip() for line in case.read_text("utf-8").splitlines() if line.startswith("slug: "))


def _stats(output: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and mtime: a file replaced or rewritten changes one of them."""
    return {p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in output.rglob("*") if p.is_file()}


def test_a_body_edit_rewrites_its_pages_alone_and_swaps_in_the_index(site: Path) -> None:
    """With search on, a body edit replaces the case page and the feeds carrying it in
    place and swaps in a search index made beside the old one, instead of staging and
    swapping the whole site: every other file keeps its inode and mtime."""
    config = load_config(site / "site.yaml")
    build(config)
    output = site / "output"
    before = _stats(output)
    case, other = sorted((site / "content").glob("*.md"))[3:5]
    line = _body_line(case)
    _edit(case, line, "琅琊山下新建的邻里食堂每天供应午餐。" + line)
    _built, report = build(config)
    after = _stats(output)
    rewritten = {p for p in after.keys() | before.keys() if after.get(p) != before.get(p) and not p.startswith(INDEX)}
    page = f"cases/{_slug(case)}/index.html"
    assert report.in_place and rewritten == report.changed_paths
    assert page in rewritten and all(p == page or p.endswith("feed.xml") for p in rewritten), rewritten
    for unrelated in (f"cases/{_slug(other)}/index.html", "index.html", "cases/index.html"):
        assert after[unrelated] == before[unrelated]
    assert {p for p in after if p.startswith(INDEX)} != {p for p in before if p.startswith(INDEX)}
    assert search(output, "邻里食堂") == [f"cases/{_slug(case)}/"]
    assert not [p for p in site.iterdir() if p.name.startswith(STAGING_PREFIX)]
    _assert_same_as_clean(site)


def _ids(output: Path) -> tuple[int, int]:
    """Document ids given so far, and how many of them are tombstoned."""
    meta = _meta(output)
    return meta["docs"] + len(meta["dead"]), len(meta["dead"])


def _index_files(output: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (output / INDEX).rglob("*") if p.is_file()}


def test_a_build_that_changes_no_case_page_leaves_the_index_untouched(site: Path) -> None:
    config = load_config(site / "site.yaml")
    build(config)
    before = _index_files(site / "output")
    _edit(site / "themes" / "default" / "templates" / "search.html", "{% block main %}", "{% block main %}<!-- x -->")
    built, report = build(config)
    assert built.rendered == ["search/index.html"] and report.changed
    assert "search" not in built.timings
    assert _index_files(site / "output") == before


def test_without_the_cache_the_index_is_built_from_scratch(site: Path) -> None:
    config = load_config(site / "site.yaml")
    build(config)
    case = min((site / "content").glob("*.md"))
    line = _body_line(case)
    _edit(case, line, line + "新增一句。")
    build(config)
    assert _meta(site / "output")["dead"] != []
    build(config, use_cache=False)
    meta = _meta(site / "output")
    assert meta["dead"] == []
    assert sorted(int(p.stem) for p in (site / "output" / INDEX / "d").glob("*.json")) == list(range(meta["docs"]))
    _assert_same_as_clean(site)


def test_an_emptied_cache_makes_the_index_from_scratch_once(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new casebook version empties the cache over a built site: the build that finds no
    page changed still makes the index anew and records it, so the next edit updates it
    instead of making it from scratch again."""
    config = load_config(site / "site.yaml")
    build(config)
    shutil.rmtree(site / ".casebook-cache")
    made: list[bool] = []
    update = searchindex.update
    monkeypatch.setattr(searchindex, "update", lambda into, prints, read, previous, workers:
                        made.append(previous is None) or update(into, prints, read, previous, workers))
    build(config)
    assert made == [True]
    case = min((site / "content").glob("*.md"))
    line = _body_line(case)
    _edit(case, line, line + "新增一句。")
    build(config)
    assert made == [True, False]
    _assert_same_as_clean(site)


def test_search_off_removes_the_index(site: Path) -> None:
    build(load_config(site / "site.yaml"))
    assert (site / "output" / INDEX / "meta.json").is_file()
    build(load_config(site / "site.yaml", {"search": False}))
    assert not (site / "output" / INDEX).exists()
