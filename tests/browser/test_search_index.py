"""The search page on casebook's own index (casebook/searchindex.py) in a real mobile browser:
the query set over the sample site (bench/search_queries.yaml, exact-phrase expectations),
excerpts, the sub-path, offline, and the reader's cost on a larger generated index with
the CPU throttled four times (bench/SEARCH.md has the 10,000-case figures)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from casebook import searchindex

from ..chromium import serve
from .support import ROOT, SUBPATH, new_context

QUERIES = yaml.safe_load((ROOT / "bench/search_queries.yaml").read_text("utf-8"))["sample"]
WAIT = "document.querySelector('#search-status').textContent.match(/找到|没有/)"


@pytest.fixture(scope="module")
def indexed(site_dir: Path) -> Path:
    """The sample site with casebook's index in it (conftest writes it after the build)."""
    assert (site_dir / searchindex.FOLDER / "meta.json").is_file()
    return site_dir


def _search(page, q: str) -> list[str]:
    page.goto("search/")
    page.fill("#q", q)
    page.press("#q", "Enter")
    page.wait_for_function(WAIT)
    return page.eval_on_selector_all("#results .result h2 a", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("item", QUERIES, ids=[q["q"] for q in QUERIES])
def test_query_set_finds_every_expected_case(indexed, mobile, item):
    page = mobile.new_page()
    hrefs = _search(page, item["q"])
    assert all(h.startswith(f"/{SUBPATH}/cases/") for h in hrefs), hrefs
    assert sorted(urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs) == sorted(item["expect"])
    if not item["expect"]:
        assert "没有找到" in page.inner_text("#search-status")
        return
    runs = searchindex._RUN.findall(searchindex.fold(item["q"]))
    marks = page.eval_on_selector_all("#results .result mark", "els => els.map(e => e.textContent)")
    assert marks and all(searchindex.fold(m) in runs for m in marks), marks
    assert f"找到 {len(item['expect'])} 篇" in page.inner_text("#search-status")


def test_excerpt_is_whole_clauses_without_chip_text(indexed, mobile):
    page = mobile.new_page()
    _search(page, "网格员")
    excerpts = page.eval_on_selector_all("#results .result > p:not(.meta)", "els => els.map(e => e.textContent)")
    assert len(excerpts) == 5
    for text in excerpts:
        body = text.strip("…")
        assert "网格员" in body and "\n" not in body
        assert "实践类型" not in text and "复制链接" not in text
        # starts at a sentence or clause start, or at the paragraph's start (no "…")
        assert not text.startswith("…") or body[:1] not in "，。、；"
    sub = page.locator("#results .subs a").first
    if sub.count():
        assert "#" in sub.get_attribute("href")


def test_traditional_query_marks_the_simplified_text(indexed, mobile):
    page = mobile.new_page()
    _search(page, "網格員")
    assert page.locator("#results mark").first.inner_text() == "网格员"


def test_offline_after_the_page_loaded(indexed, mobile):
    """Every file comes from the site (the fixture asserts nothing else was requested), and
    a missing index says so instead of failing silently."""
    page = mobile.new_page()
    page.goto("search/")
    page.route("**/search-index/meta.json", lambda route: route.abort())
    page.fill("#q", "养老")
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('加载失败')")


def _generated_pages(n: int) -> list[searchindex.Page]:
    """Pages with the generator's text (bench/gen_corpus.py, seeded): Markdown body as text."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from gen_corpus import _case

    provinces = yaml.safe_load((ROOT / "casebook/data/provinces.yaml").read_text("utf-8"))
    practices = [p["name"] for p in yaml.safe_load((ROOT / "data/practices.yaml").read_text("utf-8"))]
    pages = []
    for i in range(n):
        meta, body = _case(random.Random(f"5:{i}"), i, provinces, practices)
        place = " · ".join((meta["province"], meta["city"], meta["county"], meta["place"]))
        pages.append(searchindex.Page(f"cases/{meta['slug']}/", meta["title"], place, body,
                                      tuple(meta["practices"])))
    return pages


@pytest.fixture(scope="module")
def large_site(indexed: Path, tmp_path_factory: pytest.TempPathFactory):
    """The sample's search page over an index of 2,000 generated cases, served under /showcase/."""
    root = tmp_path_factory.mktemp("large")
    site = root / SUBPATH
    (site / "search").mkdir(parents=True)
    shutil.copy(indexed / "search" / "index.html", site / "search" / "index.html")
    shutil.copytree(indexed / "assets", site / "assets")
    searchindex.index_pages(_generated_pages(2000), site, jobs=2)
    with serve(root) as origin:
        yield f"{origin}{SUBPATH}/"


@pytest.mark.timing
@pytest.mark.parametrize("q", ["网格员", "議事協商", "坚持以人民为中心的发展思想", "涿州市 网格", "村"])
def test_reader_cost_with_cpu_throttled(browser, large_site, q):
    ctx = new_context(browser, large_site)
    page = ctx.new_page()
    page.goto("search/")
    page.wait_for_load_state("load")
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
    ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.fill("#q", q)
    page.press("#q", "Enter")
    page.wait_for_function(WAIT)
    compute = page.evaluate("""() => {
      const at = n => performance.getEntriesByName(n)[0].startTime;
      return (at("search-docs-out") - at("search-index-in")) + (at("search-done") - at("search-docs-in"));
    }""")
    ctx.close()
    assert len(sizes) <= 20 and sum(sizes) <= 300 * 1024, (len(sizes), sum(sizes))
    assert compute <= 300, compute
