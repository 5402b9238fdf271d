"""The sample case with photos (issue 16) in the browser: image bytes before scrolling, no
layout shift, axe, and screenshots at 320 and 390 px (light and dark)."""

from __future__ import annotations

import json

import pytest

from .support import AXE_JS, new_context, require, settle
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
