"""Behaviour in a real mobile browser: facets, tile map, search, dark mode, copy link, print, JS off."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from casebook.load import first_paragraph, repeats

from .support import ARTIFACTS, PUBLIC_BASE, ROOT, SUBPATH, sample_case

#: The sample cases by slug: plain files and page bundles.
SAMPLE = {p.stem: p for p in (ROOT / "content").glob("*.md")} | {
    p.parent.name: p for p in (ROOT / "content").glob("*/index.md")}


def _cases(site_dir: Path) -> list[dict]:
    return json.loads((site_dir / "cases.json").read_text("utf-8"))


def _slug(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def _shown(page) -> list[str]:
    return [_slug(h) for h in page.eval_on_selector_all(
        "#filtered .card-title a", "els => els.map(e => e.getAttribute('href'))")]


# ---------- faceted browsing ----------

def test_facet_chips_filter_and_url_round_trips(mobile, pick):
    rows, prov, prac = pick["rows"], pick["province"], pick["practice"]
    page = mobile.new_page()
    page.goto("cases/")
    chip = page.locator(f'[data-facet="province"] button.chip[data-value="{prov}"]')
    chip.click()
    assert chip.get_attribute("aria-pressed") == "true"
    assert parse_qs(urlsplit(page.url).query) == {"province": [prov]}
    want = sorted(_slug(r["url"]) for r in rows if prov in r["province"])
    assert sorted(_shown(page)) == want and want
    assert page.locator("#all-cases").is_hidden()

    page.locator(f'[data-facet="practice"] button.chip[data-value="{prac}"]').click()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"province": [prov], "practice": [prac]}
    want = sorted(_slug(r["url"]) for r in rows if prov in r["province"] and prac in r["practice"])
    assert sorted(_shown(page)) == want and want
    assert f"{len(want)} 篇" in page.locator("#facet-count").inner_text()
    # Counts per facet follow the other facets' selection.
    for other_prov in {p for r in rows for p in r["province"]} - {prov}:
        n = page.locator(f'[data-facet="province"] button.chip[data-value="{other_prov}"] .chip-n').inner_text()
        assert int(n) == sum(1 for r in rows if other_prov in r["province"] and prac in r["practice"])

    # The URL is shareable: a fresh page restores the same filter.
    shared = page.url
    other = mobile.new_page()
    other.goto(shared)
    other.wait_for_selector("#filtered:not([hidden]) .card")
    assert sorted(_shown(other)) == want
    assert other.locator(f'button.chip[data-value="{prac}"]').get_attribute("aria-pressed") == "true"

    # Clicking the active chip again drops it; "clear" restores the full list.
    other.locator(f'button.chip[data-value="{prac}"]').click()
    assert parse_qs(urlsplit(other.url).query) == {"province": [prov]}
    other.locator("#facet-clear").click()
    assert urlsplit(other.url).query == ""
    assert other.locator("#all-cases").is_visible() and other.locator("#filtered").is_hidden()


def test_year_facet_from_dates(mobile, site_dir):
    if not any(r["year"] for r in _cases(site_dir)):
        pytest.skip("no sample case has a date")
    years = sorted({r["year"] for r in _cases(site_dir) if r["year"]})
    page = mobile.new_page()
    page.goto("cases/?year=" + years[0])
    page.wait_for_selector("#filtered:not([hidden]) .card")
    assert sorted(_shown(page)) == sorted(_slug(r["url"]) for r in _cases(site_dir) if r["year"] == years[0])


def test_facets_without_javascript_are_links(make_context, pick):
    page = make_context(js=False).new_page()
    page.goto("cases/")
    hrefs = page.eval_on_selector_all('[data-facet="province"] a.chip', "els => els.map(e => e.getAttribute('href'))")
    assert f"/{SUBPATH}/provinces/{pick['province']}/" in hrefs
    assert page.locator(f'[data-facet="practice"] a.chip[href$="/practices/{pick["practice"]}/"]').count() == 1
    assert page.locator("#all-cases .card").count() >= 1
    for year in {r["year"] for r in pick["rows"] if r["year"]}:  # the year facet leads to the year pages
        assert page.locator(f'[data-facet="year"] a.chip[href$="/years/{year}/"]').count() == 1
    assert page.locator("#theme-toggle").is_hidden()  # JS-only controls stay out of the way


# ---------- tile map ----------

def test_tile_map_links_provinces_with_cases(mobile, site_dir, pick):
    rows = _cases(site_dir)
    with_cases = {p for r in rows for p in r["province"]}
    for path in ("", "provinces/"):
        page = mobile.new_page()
        page.goto(path)
        tiles = page.locator(".tilemap > li.tile")
        assert tiles.count() == 34
        linked = page.eval_on_selector_all(".tilemap a", "els => els.map(e => e.getAttribute('href'))")
        assert sorted(_slug(h) for h in linked) == sorted(with_cases)
        assert page.locator(".map-table tbody tr").count() == 34
        page.close()
    page = mobile.new_page()
    page.goto("")
    prov = pick["province"]
    tile = page.locator(f'.tilemap a[href$="/provinces/{prov}/"]')
    name = tile.get_attribute("title").split("：")[0]
    box = tile.bounding_box()
    tile.click()
    page.wait_for_url(re.compile(f"/provinces/{prov}/$"))
    assert page.locator("h1").inner_text() == name
    assert box["width"] >= 44 and box["height"] >= 44


def test_subcases_link_to_their_section(mobile, pick):
    assert pick["sub_practice"], "the sample should have a sub-case filed under a practice its article lacks"
    page = mobile.new_page()
    page.goto(f"practices/{pick['sub_practice']}/")
    sub = page.locator(".card-sub .card-title a").first
    href = sub.get_attribute("href")
    assert "#" in href
    sub.click()
    page.wait_for_url(re.compile("#"))
    anchor = href.split("#", 1)[1]
    assert page.locator(f"h2#{anchor}").is_visible()
    assert page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 200


# ---------- search ----------

@pytest.mark.parametrize("term", ["养老", "网格"])
def test_search_finds_seed_cases(mobile, term):
    expected = sorted(slug for slug, path in SAMPLE.items() if term in path.read_text("utf-8"))
    assert expected
    page = mobile.new_page()
    page.goto("search/")
    page.fill("#q", term)
    page.press("#q", "Enter")
    page.wait_for_selector("#results .result")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')")
    hrefs = page.eval_on_selector_all("#results .result h2 a", "els => els.map(e => e.getAttribute('href'))")
    assert all(h.startswith(f"/{SUBPATH}/cases/") for h in hrefs), hrefs
    assert sorted(_slug(h) for h in hrefs) == expected
    assert page.locator("#results mark").first.inner_text() == term
    assert parse_qs(urlsplit(page.url).query) == {"q": [term]}
    # The result opens the case, under the sub-path.
    page.locator("#results .result h2 a").first.click()
    page.wait_for_url(re.compile(f"/{SUBPATH}/cases/"))
    assert page.locator("article.case h1").is_visible()


def test_search_query_in_url_and_home_box(mobile):
    page = mobile.new_page()
    page.goto("")
    page.fill("#home-q", "网格")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector("#results .result")
    assert page.input_value("#q") == "网格"


# ---------- dark mode ----------

def _bg(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_toggle_persists(make_context, pick):
    ctx = make_context(scheme="light")
    page = ctx.new_page()
    page.goto("")
    light = _bg(page)
    toggle = page.locator("#theme-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    dark = _bg(page)
    assert dark != light
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _bg(page) == dark
    other = ctx.new_page()
    other.goto(pick["pages"]["case"])
    assert _bg(other) == dark and other.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    other.locator("#theme-toggle").click()
    other.reload()
    assert _bg(other) == light


def test_dark_mode_follows_system_preference(make_context):
    page = make_context(scheme="dark").new_page()
    page.goto("")
    assert page.evaluate("document.documentElement.dataset.theme") is None
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    lum = page.evaluate("""() => { const m = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                           return (m[0] + m[1] + m[2]) / 3; }""")
    assert lum < 60


def test_no_flash_script_runs_before_first_paint(make_context):
    """The stored choice is applied by the inline head script, before the stylesheet paints anything."""
    ctx = make_context(scheme="light")
    ctx.add_init_script("try { localStorage.setItem('theme', 'dark'); } catch (e) {}")
    page = ctx.new_page()
    page.route(re.compile(r"site\.[0-9a-f]+\.js$"), lambda route: route.abort())  # theme JS never loads
    page.goto("")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _bg(page) != "rgb(247, 245, 240)"


# ---------- case page ----------

def test_case_page_meta_and_copy_link(make_context, base_url, pick, site_dir):
    from casebook.taxonomy import load_provinces

    slug = pick["case"]
    meta, body = sample_case(slug)
    ctx = make_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.split(f"/{SUBPATH}/")[0])
    page = ctx.new_page()
    page.goto(f"cases/{slug}/")
    description = page.get_attribute('meta[name="description"]', "content")
    if meta.get("summary"):
        assert description == meta["summary"]
        # the lead shows the summary, unless it only repeats the first paragraph
        shown = 0 if repeats(meta["summary"], first_paragraph(body)) else 1
        assert page.locator("p.lead").count() == shown
        if shown:
            assert page.locator("p.lead").inner_text() == meta["summary"]
    assert page.get_attribute('meta[property="og:description"]', "content") == description
    assert page.get_attribute('meta[property="og:type"]', "content") == "article"
    assert page.get_attribute('meta[name="twitter:card"]', "content") == "summary"
    image = page.get_attribute('meta[property="og:image"]', "content")
    assert image.startswith(PUBLIC_BASE + "assets/og.") and image.endswith(".png")
    assert (site_dir / image.removeprefix(PUBLIC_BASE)).is_file()
    canonical = page.get_attribute('link[rel="canonical"]', "href")
    assert page.get_attribute('meta[property="og:url"]', "content") == canonical
    assert canonical.endswith(f"/{SUBPATH}/cases/{slug}/")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Article" and data["headline"] == meta["title"]
    if meta.get("authors"):
        assert data["author"][0] == {"@type": "Person", "name": meta["authors"][0]}
    assert page.locator(".figures li").count() == len(meta.get("figures") or [])
    assert page.locator(".practices a.chip").count() == len(meta["practices"])
    province = load_provinces().by_name(meta["province"])
    assert page.locator(".crumbs a").nth(1).get_attribute("href").endswith(f"/provinces/{province.slug}/")
    if meta.get("source"):
        assert meta["source"] in page.locator(".source").inner_text()
    page.locator("#copy-link").click()
    page.wait_for_function("document.getElementById('announce').textContent.includes('已复制')")
    assert page.evaluate("navigator.clipboard.readText()") == canonical


def test_case_readable_without_javascript(make_context, pick):
    page = make_context(js=False).new_page()
    page.goto(pick["pages"]["case-multi"])
    assert page.locator("article.case h1").is_visible()
    assert page.locator(".prose p").first.is_visible()
    assert len(page.locator(".prose").inner_text()) > 500
    assert page.locator("#copy-link").is_hidden()


def test_print_is_a_clean_article_with_source(mobile, pick):
    page = mobile.new_page()
    page.goto(pick["pages"]["case"])
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".related", "#copy-link", ".neighbours"):
        if page.locator(hidden).count():
            assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator(".source").is_visible()
    assert page.locator(".source .print-only").is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "case-print.pdf"), format="A4")  # look at it: a clean article with its source


# ---------- Content-Security-Policy ----------

def test_theme_runs_under_the_content_security_policy(make_context, pick):
    """Under the policy every page carries (casebook.csp: script-src 'self' + hashes, no
    WebAssembly nor eval; style-src 'self'), nothing is blocked: colour toggle, facets, copy
    link and search (casebook's own index, plain JavaScript) all work."""
    ctx = make_context(bypass_csp=False)
    ctx.add_init_script("""window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    page = ctx.new_page()
    blocked = []
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))

    page.goto("")
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    page.locator("#theme-toggle").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    violations = page.evaluate("window.__csp")

    page.goto(f"cases/?province={pick['province']}")
    page.wait_for_selector("#filtered:not([hidden]) .card")
    violations += page.evaluate("window.__csp")

    page.goto("search/?q=养老")
    page.wait_for_selector("#results .result")
    violations += page.evaluate("window.__csp")

    page.goto(pick["pages"]["case"])
    assert page.locator("#copy-link").is_visible()
    violations += page.evaluate("window.__csp")
    assert not violations and not blocked, (violations, blocked)
