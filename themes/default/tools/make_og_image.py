#!/usr/bin/env python3
"""Render themes/default/static/og.png (1200×630), the default Open Graph / Twitter preview image.

Text-free on purpose (the site title is configurable): the theme's mark over a tile-grid map of
China's 34 provincial-level divisions. Run with the project's Python and Debian Chromium:

    python themes/default/tools/make_og_image.py
"""

from __future__ import annotations

from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = HERE.parent / "static" / "og.png"


def page_html() -> str:
    provinces = yaml.safe_load((ROOT / "casebook" / "data" / "provinces.yaml").read_text("utf-8"))
    hot = {"yunnan": 4, "guizhou": 2, "anhui": 3, "shaanxi": 2, "zhejiang": 1, "sichuan": 1, "shandong": 1}
    colours = ["#e9e4da", "#f6d5cf", "#eba195", "#c9463b", "#8f1a13"]
    cells = "".join(
        f'<div style="grid-row:{p["tile"][0] + 1};grid-column:{p["tile"][1] + 1};border-radius:10px;'
        f'background:{colours[hot.get(p["slug"], 0)]}"></div>' for p in provinces)
    return f"""<!DOCTYPE html><html><body style="margin:0;width:1200px;height:630px;
      background:linear-gradient(160deg,#fbeee9,#f7f5f0 70%);display:flex;align-items:center;
      justify-content:center;gap:90px">
      <div style="width:260px;height:260px;border-radius:64px;background:#a8231b;display:flex;flex-direction:column;
        justify-content:center;gap:34px;padding:0 62px;box-sizing:border-box">
        <i style="display:block;height:22px;border-radius:11px;background:#fff"></i>
        <i style="display:block;height:22px;border-radius:11px;background:#fff"></i>
        <i style="display:block;height:22px;width:62%;border-radius:11px;background:#fff"></i></div>
      <div style="display:grid;grid-template-columns:repeat(7,58px);grid-template-rows:repeat(8,58px);gap:6px">
        {cells}</div></body></html>"""


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(page_html())
        page.screenshot(path=str(OUT))
        browser.close()
    print(OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
