"""Shared pieces of the browser suite (paths, launch flags, page list, contexts)."""

from __future__ import annotations

import http.server
import os
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM") or os.environ.get("CHROMIUM") or "/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SUBPATH = "showcase"
PUBLIC_BASE = f"https://cases.example.org/{SUBPATH}/"  # canonical/OG host: never requested
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
MOBILE = {"width": 390, "height": 844}
PIXEL_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: object) -> None:
        pass


def require(ok: bool, reason: str) -> None:
    """Skip locally, fail under CI=true: the browser suite must really run in CI."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)



class Visits:
    """Every request a context made, to assert that nothing left 127.0.0.1."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign: list[str] = []
        self.failed: list[str] = []

    def on_request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.origin):
            self.foreign.append(url)



def new_context(browser, base_url: str, *, width: int = 390, height: int = 844, scheme: str = "light",
                js: bool = True, **extra):
    origin = base_url.split(f"/{SUBPATH}/")[0] + "/"
    ctx = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=2, is_mobile=True, has_touch=True,
        user_agent=PIXEL_UA, locale="zh-CN", color_scheme=scheme, java_script_enabled=js,
        base_url=base_url, **extra)
    visits = Visits(origin)
    ctx.on("request", visits.on_request)
    ctx.visits = visits  # type: ignore[attr-defined]
    return ctx



def settle(page) -> None:
    """Loaded, fonts ready, and the facet script done (it swaps links for buttons)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    if page.locator("#facets").count() and page.evaluate("document.documentElement.classList.contains('js')"):
        page.wait_for_selector("#facets.is-ready")
    if "?q=" in page.url:
        page.wait_for_selector("#results li, #search-status:has-text('没有')")


# Page types of the sample site, relative to the base URL.
PAGES = {
    "home": "",
    "cases": "cases/",
    "case": "cases/anhui-chuzhou-langya/",
    "case-multi": "cases/yunnan-yuxi-star-centers-3/",
    "province": "provinces/yunnan/",
    "practice": "practices/elderly-care/",
    "provinces": "provinces/",
    "practices": "practices/",
    "search": "search/",
    "404": "404.html",
}
AXE_PAGES = ["home", "case", "province", "practice", "cases", "search"]
