"""Mobile screenshots of every page type (light and dark, 390 and 320 px) and layout budgets."""

from __future__ import annotations

import pytest

from .support import new_context
from .support import settle as _settle

WIDTHS = (320, 360, 390)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser, base_url, screenshots, scheme, pick):
    """Full-page screenshots at 390 px (and 320 px light) into test-artifacts/screenshots/."""
    widths = (390, 320) if scheme == "light" else (390,)
    for width in widths:
        ctx = new_context(browser, base_url, width=width, scheme=scheme)
        page = ctx.new_page()
        for name, path in pick["pages"].items():
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
def test_no_horizontal_overflow(browser, base_url, width, pick):
    ctx = new_context(browser, base_url, width=width)
    page = ctx.new_page()
    problems = {}
    for name, path in pick["pages"].items():
        page.goto(path)
        _settle(page)
        if name == "cases":  # also with the filtered list shown
            page.goto(path + "?province=" + pick["province"])
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
def test_tap_targets_at_least_44px(browser, base_url, width, pick):
    """Every link, button and field is at least 44×44 px (inline links inside running text excepted)."""
    ctx = new_context(browser, base_url, width=width)
    page = ctx.new_page()
    problems = {}
    for name, path in pick["pages"].items():
        page.goto(path)
        _settle(page)
        for d in page.query_selector_all("details"):
            d.evaluate("d => d.open = true")
        small = page.evaluate(TAP_JS)
        if small:
            problems[name] = small
    ctx.close()
    assert not problems, problems


LONG = "Averyveryverylongunbrokenwordthatwouldwidenaphonescreen" * 2
HOSTILE_CASE = f"""---
title: 超长标题测试{LONG}——没有标点的很长很长很长很长很长很长很长很长很长很长很长很长的中文标题
slug: zz-hostile-layout
province: 河南省
city: 郑州市{LONG}
place: https://example.org/{LONG}
practices: [养老服务, 网格化治理, 议事协商, 志愿服务, 集体经济, 矛盾调解]
summary: {LONG}{LONG}
figures:
- {{value: "1234567890123456789人次", label: "{LONG}"}}
cases:
- {{name: "跨省文中案例{LONG}", province: 四川省, anchor: sub, practices: [托育与儿童关爱]}}
---

正文{LONG}。

## 文中案例 {{#sub}}

| 表头{LONG} | 数值 |
|---|---|
| {LONG} | 1 |

```python
print("{LONG}{LONG}")
```
"""


def test_hostile_content_never_widens_the_page(browser, tmp_path):
    """Long unbroken strings, a cross-province sub-case, tables and code: still no overflow at 320 px."""
    import shutil

    from casebook.config import load_config
    from casebook.pipeline import build

    from ..chromium import serve
    from .support import ROOT

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "zz-hostile-layout.md").write_text(HOSTILE_CASE, "utf-8")
    out = tmp_path / "out"
    build(load_config(ROOT / "site.yaml", {"content_dir": str(content), "output_dir": str(out), "search": False}))
    with serve(out) as base:
        ctx = new_context(browser, f"{base}showcase/", width=320)
        page = ctx.new_page()
        problems = {}
        for path in ("cases/zz-hostile-layout/", "cases/", "provinces/sichuan/", "provinces/henan/",
                     "practices/childcare/", "practices/elderly-care/", ""):
            page.goto(base + path)
            _settle(page)
            result = page.evaluate(OVERFLOW_JS)
            if result["scroll"] > result["width"] or result["bad"]:
                problems[path] = result
        page.goto(base + "cases/zz-hostile-layout/")  # code highlighting CSS: loaded without blocking render
        assert page.evaluate("document.querySelector('link.js-deferred-css').media") == "all"
        assert page.locator(".highlight").count() >= 1
        page.goto(base + "provinces/sichuan/")  # the cross-province sub-case links to its section
        assert page.locator('.card-sub a[href$="/cases/zz-hostile-layout/#sub"]').count() == 1
        ctx.close()
    assert not problems, problems
