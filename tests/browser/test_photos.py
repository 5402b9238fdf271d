"""The sample case with photos (issue 16) in the browser: image bytes before scrolling, no
layout shift, axe, screenshots at 320 and 390 px (light and dark), and Lighthouse."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess

import pytest

from ..chromium import CHROMIUM, serve
from .support import ARTIFACTS, AXE_JS, PUBLIC_BASE, ROOT, SUBPATH, new_context, require, settle
from .test_quality import AXE_TAGS

CASE = "cases/zhejiang-qingshi/"
IMAGE_BUDGET = 400_000  # bytes of images before the reader scrolls, at 390 px


def test_photo_page_images_before_scrolling_and_no_layout_shift(browser, base_url):
    ctx = new_context(browser, base_url)
    page = ctx.new_page()
    images: dict[str, int] = {}
    page.on("response", lambda r: r.request.resource_type == "image" and images.__setitem__(r.url, len(r.body())))
    page.add_init_script("""window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    page.goto(CASE)
    settle(page)
    page.wait_for_load_state("networkidle")
    photos = {u: n for u, n in images.items() if "/photos/" in u}
    print("images before scrolling:", len(photos), sum(photos.values()), "bytes")
    assert page.locator("figure.photo").count() == 10
    assert photos and sum(images.values()) <= IMAGE_BUDGET, images
    assert all(u.endswith(".webp") for u in photos), photos  # the browser picks WebP
    assert page.evaluate("window.__cls") == 0
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_photo_page_axe_and_screenshots(browser, base_url, screenshots, scheme):
    require(AXE_JS.is_file(), f"{AXE_JS} missing (npm ci)")
    for width in (320, 390):
        ctx = new_context(browser, base_url, width=width, scheme=scheme)
        page = ctx.new_page()
        page.goto(CASE)
        settle(page)
        # Every picture loaded (lazy ones scrolled into view), then the whole page shot.
        page.evaluate("async () => { for (const i of document.images) { i.loading = 'eager'; await i.decode()"
                      ".catch(() => {}); } }")
        page.screenshot(path=str(screenshots / f"photos-{width}-{scheme}.png"), full_page=True)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        assert not result["violations"], json.dumps(result["violations"], ensure_ascii=False)[:2000]
        widths = page.evaluate("[...document.querySelectorAll('figure.photo img')].map(i => i.getBoundingClientRect()"
                               ".width)")
        assert all(w == width for w in widths), widths  # full width on a phone
        ctx.close()


def test_a_tap_opens_the_full_size_picture_without_script(browser, base_url):
    ctx = new_context(browser, base_url, js=False)
    page = ctx.new_page()
    page.goto(CASE)
    href = page.locator("figure.photo a").nth(1).get_attribute("href")
    response = page.goto(href)
    assert response is not None and response.ok and response.headers["content-type"] == "image/jpeg"
    ctx.close()


@pytest.mark.parametrize("theme", ["default", "compact"])
def test_a_card_cover_fills_its_card_and_no_more(browser, tmp_path, theme):
    """The cover on a card bleeds over the card's padding to its border, whatever padding and
    corner radius the theme gives cards (the compact theme's are smaller)."""
    from casebook.config import load_config
    from casebook.pipeline import build

    settings = {"output_dir": str(tmp_path / SUBPATH), "base_url": PUBLIC_BASE, "theme": theme, "search": False}
    build(load_config(ROOT / "site.yaml", settings), use_cache=False)
    with serve(tmp_path) as root:
        ctx = new_context(browser, f"{root}{SUBPATH}/")
        page = ctx.new_page()
        page.goto("provinces/zhejiang/")
        fit = page.evaluate("""() => { const card = document.querySelector('li.card:has(picture)'),
            img = card.querySelector('img'), c = card.getBoundingClientRect(), i = img.getBoundingClientRect(),
            border = parseFloat(getComputedStyle(card).borderTopWidth);
            return {sides: [i.left - c.left, c.right - i.right, i.top - c.top].map(v => v - border),
                    radius: [getComputedStyle(card).borderTopLeftRadius, getComputedStyle(img).borderTopLeftRadius]}; }""")
        ctx.close()
    assert all(abs(v) < 0.5 for v in fit["sides"]), fit
    assert fit["radius"][0] == fit["radius"][1], fit


def _lighthouse_bench():
    """``bench/lighthouse.py``: one definition of the Lighthouse command and its budgets."""
    spec = importlib.util.spec_from_file_location("lighthouse_bench", ROOT / "bench" / "lighthouse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Lighthouse runs until one meets the performance budget: its score is timing-based, and a
#: loaded machine (2 cores, shared) only ever lowers it; what the photos decide (image
#: sizes and formats, lazy loading, the cover's priority, CLS) is asserted on every run.
LIGHTHOUSE_RUNS = 3
#: Audits the pictures' markup passes whatever the machine's load.
PHOTO_AUDITS = ("lcp-lazy-loaded", "prioritize-lcp-image", "uses-responsive-images", "modern-image-formats",
                "unsized-images", "offscreen-images", "uses-optimized-images")


@pytest.mark.timing
def test_photo_page_lighthouse_budget(base_url):
    """The issue's budget on the case with ten photos: Lighthouse mobile performance ≥ 0.95,
    CLS 0, and the other categories' budgets (about 15 s a run)."""
    bench = _lighthouse_bench()
    require(bench.LIGHTHOUSE.exists(), f"{bench.LIGHTHOUSE} missing (npm ci)")
    require(CHROMIUM.exists(), f"{CHROMIUM} missing")
    out = ARTIFACTS / "lighthouse" / "test-photos.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    scores: list[float] = []
    for _ in range(LIGHTHOUSE_RUNS):
        out.unlink(missing_ok=True)
        proc = subprocess.Popen(bench.command(base_url + CASE, out), env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # Lighthouse and the Chromium it started
            proc.communicate()
            raise
        assert proc.returncode == 0 and out.exists(), err[-2000:]
        report = json.loads(out.read_text("utf-8"))
        audits, categories = report["audits"], report["categories"]
        assert audits["cumulative-layout-shift"]["numericValue"] == 0
        for name in PHOTO_AUDITS:
            assert audits[name]["score"] in (None, 1), (name, audits[name].get("details"))
        for name, budget in bench.BUDGETS.items():
            if name != "performance":
                assert categories[name]["score"] >= budget, name
        scores.append(categories["performance"]["score"])
        if scores[-1] >= bench.BUDGETS["performance"]:
            break
    print("Lighthouse performance of the photo page:", scores)
    assert max(scores) >= bench.BUDGETS["performance"], (scores, os.getloadavg())
