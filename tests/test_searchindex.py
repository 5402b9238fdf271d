"""casebook.searchindex: analysis, the files it writes, incremental updates, and the query
semantics (through tests/search_reader.py, which reads the files as search.js does)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
import yaml

from casebook import searchindex
from casebook.searchindex import Page, index_pages, page_from_html

from .search_reader import chosen_terms, query_terms, search, shard_terms

ROOT = Path(__file__).resolve().parents[1]


def page(n: int, text: str, title: str = "", place: str = "", terms: tuple[str, ...] = ()) -> Page:
    return Page(f"cases/c{n}/", title or f"案例{n}", place, text, terms)


# ---------- analysis ----------

def test_tokens_are_han_bigrams_and_characters_and_latin_words():
    counts = searchindex.tokens("网格员走访，网格 app 2024")
    assert counts["网格"] == 2 and counts["格员"] == 1 and counts["员走"] == 1
    assert counts["网"] == 2 and counts["访"] == 1
    assert counts["app"] == 1 and counts["2024"] == 1
    assert "访网" not in counts  # no pair across punctuation
    assert not any("，" in t or " " in t for t in counts)


def test_fold_maps_traditional_full_width_and_case_one_for_one():
    text = "網格員議事協商ＡＢＣ１２３Mixed（全角）"
    folded = searchindex.fold(text)
    assert folded == "网格员议事协商abc123mixed（全角）"
    assert len(folded) == len(text)


def test_fold_leaves_simplified_text_as_it_is():
    text = "社区党群服务中心：小事不出网格。"
    assert searchindex.fold(text) is text


def test_query_runs_cover_and_joins():
    runs, cover, joins = query_terms("坚持以人民为中心 APP")
    assert runs == ["坚持以人民为中心", "app"]
    assert cover == ["坚持", "以人", "民为", "中心", "app"]
    assert joins == ["持以", "人民", "为中"]
    assert query_terms("黨群服務")[1:] == (["党群", "服务"], ["群服"])
    assert query_terms("村")[1:] == (["村"], [])
    assert query_terms("网格员")[1:] == (["网格", "格员"], [])


def test_joins_are_added_only_within_the_shard_budget():
    one_file_each = chosen_terms("坚持以人民为中心的发展思想", lambda term: term)[1]
    assert len(one_file_each) == 7 and set(query_terms("坚持以人民为中心的发展思想")[1]) <= set(one_file_each)
    assert len(chosen_terms("坚持以人民为中心的发展思想", lambda term: "same")[1]) == 12


# ---------- pages from HTML ----------

CASE_HTML = """<!doctype html><html lang="zh-CN"><body><header><nav>首页 搜索</nav></header><main>
<article class="case" data-search-body>
  <nav class="crumbs"><ol><li>省份</li><li>安徽省</li></ol></nav>
  <h1 data-search-meta="title">滁州市琅琊街道：深化党建引领</h1>
  <p class="meta" data-search-meta="place:安徽省 · 滁州市">2024年</p>
  <div class="practices" data-terms="网格化治理、养老服务">
    <h2 data-search-ignore>实践类型</h2>
    <div data-search-ignore><ul class="chips"><li><a>网格化治理</a></li><li><a>养老服务</a></li></ul></div>
  </div>
  <ul class="figures"><li><strong>12个</strong> <span>自治小组</span></li><li><strong>3支</strong> <span>志愿队</span></li></ul>
  <div class="prose"><p>近年来，琅琊街道以提升居民
幸福指数为宗旨，推广 smart
city 经验。</p>
<h2 id="zuzhi">强化组织领导</h2><p>凤凰社区处在主城区。</p></div>
  <p class="print-only">本页网址：http://example.org/</p>
</article><section class="related"><h3>相关案例：别的社区</h3></section></main></body></html>"""


def test_page_from_html_takes_the_body_without_ignored_parts():
    p = page_from_html(CASE_HTML, "cases/x/")
    assert p.title == "滁州市琅琊街道：深化党建引领"
    assert p.place == "安徽省 · 滁州市"
    assert p.terms == ("网格化治理", "养老服务")
    lines = p.text.split("\n")
    assert lines[:2] == ["12个 自治小组", "3支 志愿队"]  # each figure on its own line, no chip text
    assert "近年来，琅琊街道以提升居民幸福指数为宗旨，推广 smart city 经验。" in lines
    for absent in ("实践类型", "本页网址", "别的社区", "省份", "2024年", "深化党建引领"):
        assert absent not in p.text
    offset, anchor, heading = p.headings[0]
    assert (anchor, heading) == ("zuzhi", "强化组织领导")
    assert p.text[offset:offset + len(heading)] == heading


# ---------- the index and its queries ----------

@pytest.fixture
def site(tmp_path: Path) -> Path:
    return tmp_path / "site"


def corpus() -> list[Page]:
    return [
        page(1, "社区开展网格员走访，推动养老服务。", place="安徽省 · 滁州市"),
        page(2, "网格化管理覆盖全区；员工培训。", title="网格化"),  # 网格 and 格员 apart: not 网格员
        page(3, "老年大学开课，幸福食堂供餐。", terms=("养老服务",)),
        page(4, "Smart City 平台上线，居民扫码议事。"),
        page(5, "村民议事会每月召开。"),
    ]


def test_query_semantics_phrase_proof_traditional_multiword_and_latin(site: Path):
    index_pages(corpus(), site)
    assert search(site, "网格员") == ["cases/c1/"]  # c2 holds both bigrams, not the phrase
    assert search(site, "網格員") == ["cases/c1/"]
    assert search(site, "养老服务") == ["cases/c3/", "cases/c1/"] or search(site, "养老服务") == ["cases/c1/", "cases/c3/"]
    assert search(site, "滁州 养老") == ["cases/c1/"]  # place and body, both required
    assert search(site, "smart") == ["cases/c4/"] and search(site, "ＳＭＡＲＴ") == ["cases/c4/"]
    assert search(site, "村") == ["cases/c5/"]
    assert search(site, "议事") == ["cases/c4/", "cases/c5/"] or search(site, "议事") == ["cases/c5/", "cases/c4/"]
    assert search(site, "火星") == [] and search(site, "，。") == []


def test_title_hits_rank_first(site: Path):
    pages = [page(n, "网格巡查。" * 3) for n in range(1, 6)] + [page(9, "巡查。", title="网格治理")]
    index_pages(pages, site)
    assert search(site, "网格")[0] == "cases/c9/"


def test_files_written(site: Path):
    state = index_pages(corpus(), site)
    folder = site / searchindex.FOLDER
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    assert meta["docs"] == 5 and meta["dead"] == []
    assert sorted(os.listdir(folder / "d")) == [f"{i}.json" for i in range(5)]
    assert {f"{name}.bin" for _, name in meta["shards"]} == set(os.listdir(folder / "s"))
    record = json.loads((folder / "d" / "0.json").read_text("utf-8"))
    assert record["u"] == "cases/c1/" and record["x"] == corpus()[0].text
    assert "網" in meta["fold"][0] and meta["fold"][1][meta["fold"][0].index("網")] == "网"
    assert state.docs["cases/c1/"][0] == 0


def test_shards_are_bounded_and_ordered_as_javascript_compares(site: Path, monkeypatch):
    monkeypatch.setattr(searchindex, "SHARD_BYTES", 300)
    pages = [page(n, f"第{n}号社区开展议事协商和网格走访，𠀀字也收录。" * 3) for n in range(60)]
    index_pages(pages, site)
    folder = site / searchindex.FOLDER
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    assert len(meta["shards"]) > 5
    bounds = [b for b, _ in meta["shards"]]
    assert bounds == sorted(bounds, key=searchindex.utf16) and bounds[0] == ""
    for first, name in meta["shards"]:
        terms = shard_terms((folder / "s" / f"{name}.bin").read_bytes())
        biggest = max(len(data) for _, data in terms.values())
        assert sum(len(t.encode()) + len(d) + 4 for t, (_, d) in terms.items()) <= 300 + biggest + 16
        assert all(searchindex.utf16(t) >= searchindex.utf16(first) for t in terms)
    assert search(site, "𠀀字") and search(site, "第7号")  # astral characters sort like UTF-16


def test_postings_round_trip_large_gaps():
    flat = [3, 10, 200, 7, 70000, 255]
    assert searchindex.decode(searchindex.encode_list(flat)) == [(3, 10), (200, 7), (70000, 255)]
    assert searchindex.decode(searchindex.encode_list([1, 5, 2, 6])) == [(1, 5), (2, 6)]


# ---------- incremental ----------

def test_edit_add_delete_update_only_what_changed(site: Path):
    pages = corpus()
    state = index_pages(pages, site)
    folder = site / searchindex.FOLDER
    untouched = (folder / "d" / "2.json").stat().st_ino
    state = pickle.loads(pickle.dumps(state))  # as the build's cache keeps it
    pages[0] = page(1, "社区开展敲门行动。", place="安徽省 · 滁州市")
    pages.append(page(6, "骑手驿站建成。"))
    del pages[4]
    state = index_pages(pages, site, state)
    assert search(site, "网格员") == [] and search(site, "敲门行动") == ["cases/c1/"]
    assert search(site, "骑手驿站") == ["cases/c6/"] and search(site, "村民") == []
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    assert meta["dead"] == [0, 4] and meta["docs"] == 5
    assert not (folder / "d" / "0.json").exists() and not (folder / "d" / "4.json").exists()
    assert (folder / "d" / "2.json").stat().st_ino == untouched  # unchanged pages are not rewritten
    assert state.docs["cases/c1/"][0] == 5 and state.docs["cases/c6/"][0] == 6


def test_unchanged_pages_rewrite_nothing(site: Path):
    state = index_pages(corpus(), site)
    before = {p: p.stat().st_mtime_ns for p in (site / searchindex.FOLDER).rglob("*.bin")}
    state = index_pages(corpus(), site, state)
    assert {p: p.stat().st_mtime_ns for p in (site / searchindex.FOLDER).rglob("*.bin")} == before


def test_state_of_another_folder_means_a_full_index(tmp_path: Path):
    state = index_pages(corpus(), tmp_path / "a")
    fresh = index_pages(corpus()[:2], tmp_path / "b", state)  # b/ has no index: state not used
    assert fresh.next_id == 2 and not fresh.dead
    assert search(tmp_path / "b", "网格员") == ["cases/c1/"]


def test_many_tombstones_compact_the_index(site: Path, monkeypatch):
    monkeypatch.setattr(searchindex, "DEAD_SHARE", 0.0)
    state = index_pages(corpus(), site)
    for n in range(21):
        edited = [page(1, f"第{n}次修改，网格员走访。"), *corpus()[1:]]
        state = index_pages(edited, site, state)
    assert len(state.dead) == 0 and state.next_id == 5  # the 21st change re-indexed everything
    assert sorted(os.listdir(site / searchindex.FOLDER / "d")) == [f"{i}.json" for i in range(5)]
    assert search(site, "第20次修改") == ["cases/c1/"]


def test_parallel_cold_index_equals_serial(tmp_path: Path):
    pages = [page(n, f"第{n}号社区开展议事协商，网格员{n % 7}组走访。") for n in range(450)]
    serial = index_pages(pages, tmp_path / "one", jobs=1)
    parallel = index_pages(pages, tmp_path / "two", jobs=2)
    assert serial.postings == parallel.postings and serial.df == parallel.df
    assert search(tmp_path / "two", "第123号") == ["cases/c123/"]


# ---------- the query set over the sample content ----------

def test_sample_query_set_oracle_and_recall(tmp_path: Path):
    """The frozen expectations are the exact-phrase scan of the sample, and the index finds
    every one of them in its top 10 (recall@10 = 1)."""
    from casebook.config import load_config
    from casebook.pipeline import build

    site = tmp_path / "site"
    build(load_config(ROOT / "site.yaml", {"output_dir": str(site), "search": False}), use_cache=False)
    searchindex.index_site(site)
    pages = [searchindex.read_html(site / u / "index.html", u) for u in searchindex.site_pages(site)]
    texts = {p.url: searchindex.fold("\n".join((p.title, p.place, "、".join(p.terms), p.text))) for p in pages}
    items = yaml.safe_load((ROOT / "bench/search_queries.yaml").read_text("utf-8"))["sample"]
    assert len(items) >= 20
    for item in items:
        runs = query_terms(item["q"])[0]
        scan = sorted(u.split("/")[1] for u, t in texts.items() if all(r in t for r in runs))
        assert scan == sorted(item["expect"]), item["q"]
        assert sorted(u.split("/")[1] for u in search(site, item["q"])) == scan, item["q"]
