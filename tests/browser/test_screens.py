"""Mobile screenshots of every page type (light and dark, 390 and 320 px) and layout budgets."""

from __future__ import annotations

import pytest

from .support import PAGES, new_context

WIDTHS = (320, 360, 390)


def _settle(page) -> None:
    """Loaded, fonts ready, and the facet script done (it swaps links for buttons)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    if page.locator("#facets").count() and page.evaluate("document.documentElement.classList.contains('js')"):
        page.wait_for_selector("#facets.is-ready")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser, base_url, screenshots, scheme):
    """Full-page screenshots at 390 px (and 320 px light) into test-artifacts/screenshots/."""
    widths = (390, 320) if scheme == "light" else (390,)
    for width in widths:
        ctx = new_context(browser, base_url, width=width, scheme=scheme)
        page = ctx.new_page()
        for name, path in PAGES.items():
            page.goto(path + ("?q=养老" if name == "search" else ""))
            _settle(page)
            if name == "search":
                page.wait_for_selector("#results li", timeout=10_000)
            page.screenshot(path=str(screenshots / f"{name}-{width}-{scheme}.png"), full_page=True)
        assert not ctx.visits.foreign, ctx.visits.foreign
        ctx.close()


OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !(r.right > w + 0.5 || r.left < -0.5) || el.closest('.visually-hidden, .skip, [hidden]')) continue;
    // Content of a horizontal scroller (the facet chip rows) may extend past the edge; the scroller may not.
    let scroller = null;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) { scroller = p; break; }
    }
    if (scroller) {
      const s = scroller.getBoundingClientRect();
      if (s.right <= w + 0.5 && s.left >= -0.5) continue;
    }
    {
      bad.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: w, bad: bad.slice(0, 8)};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(browser, base_url, width):
    ctx = new_context(browser, base_url, width=width)
    page = ctx.new_page()
    problems = {}
    for name, path in PAGES.items():
        page.goto(path)
        _settle(page)
        if name == "cases":  # also with the filtered list shown
            page.goto(path + "?province=yunnan")
            page.wait_for_selector("#filtered:not([hidden]) li")
        result = page.evaluate(OVERFLOW_JS)
        if result["scroll"] > result["width"] or result["bad"]:
            problems[name] = result
    ctx.close()
    assert not problems, problems


TAP_JS = """() => {
  const small = [];
  const inline = el => el.tagName === 'A' && el.closest('.prose p, .prose li, .lede, .source p:not(:has(.source-link)), .footer p, .site-footer p, .notfound p.lede');
  for (const el of document.querySelectorAll('a[href], button, input, summary, select, textarea')) {
    if (el.closest('[hidden], .visually-hidden') || el.classList.contains('skip')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (inline(el)) continue;
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5) small.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
  }
  return small;
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_tap_targets_at_least_44px(browser, base_url, width):
    """Every link, button and field is at least 44×44 px (inline links inside running text excepted)."""
    ctx = new_context(browser, base_url, width=width)
    page = ctx.new_page()
    problems = {}
    for name, path in PAGES.items():
        page.goto(path)
        _settle(page)
        for d in page.query_selector_all("details"):
            d.evaluate("d => d.open = true")
        small = page.evaluate(TAP_JS)
        if small:
            problems[name] = small
    ctx.close()
    assert not problems, problems
