"""Real-browser tests of the default theme: headless Debian Chromium driven by Playwright.

A session fixture builds the sample site under a sub-path (``/showcase/``) into a temporary
folder and serves it from an in-process ``http.server`` on 127.0.0.1, so every test also
proves that links, assets, ``cases.json`` and Pagefind work under a sub-path ``base_url``.

Locally, a missing Chromium / Java / ``node_modules`` skips the affected tests with the
reason; with ``CI=true`` it fails them instead (a CI run must never pass by skipping).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium"))
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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: real-browser theme tests (Chromium + Playwright; slow-ish)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def require(ok: bool, reason: str) -> None:
    """Skip locally, fail under CI=true: the browser suite must really run in CI."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built sample site: ``<root>/showcase/`` holds the output (base_url has that sub-path)."""
    from casebook.config import load_config
    from casebook.pipeline import build

    root = tmp_path_factory.mktemp("site")
    config = load_config(ROOT / "site.yaml", {"output_dir": str(root / SUBPATH), "base_url": PUBLIC_BASE})
    build(config)
    assert (root / SUBPATH / "index.html").is_file()
    return root


@pytest.fixture(scope="session")
def site_dir(site_root: Path) -> Path:
    return site_root / SUBPATH


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/showcase/`` served in-process (loopback only)."""
    handler = functools.partial(_QuietHandler, directory=str(site_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed (pip install playwright; never `playwright install`)")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


class Visits:
    """Every request a context made, to assert that nothing left 127.0.0.1."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign: list[str] = []
        self.failed: list[str] = []

    def on_request(self, request) -> None:  # noqa: ANN001 - playwright type
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


@pytest.fixture
def mobile(browser, base_url: str):
    """A 390×844 mobile context (Pixel 7 user agent, touch, zh-CN), light scheme."""
    ctx = new_context(browser, base_url)
    yield ctx
    foreign = ctx.visits.foreign
    ctx.close()
    assert not foreign, f"requests to other origins: {foreign}"


@pytest.fixture
def make_context(browser, base_url: str):
    """Factory for contexts with other widths / schemes / JS off; all checked for foreign requests."""
    made = []

    def make(**kw):
        ctx = new_context(browser, base_url, **kw)
        made.append(ctx)
        return ctx

    yield make
    foreign = [u for c in made for u in c.visits.foreign]
    for c in made:
        c.close()
    assert not foreign, f"requests to other origins: {foreign}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


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
