"""Real-browser tests of the default theme: headless Debian Chromium driven by Playwright.

A session fixture builds the sample site under a sub-path (``/showcase/``) into a temporary
folder and serves it from an in-process ``http.server`` on 127.0.0.1, so every test also
proves that links, assets, ``cases.json`` and the search index work under a sub-path ``base_url``.

Locally, a missing Chromium / Java / ``node_modules`` skips the affected tests with the
reason; with ``CI=true`` it fails them instead (a CI run must never pass by skipping).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ..chromium import serve
from .support import (
    PUBLIC_BASE,
    ROOT,
    SCREENSHOTS,
    SUBPATH,
    new_context,
    sample,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: real-browser theme tests (Chromium + Playwright; slow-ish)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


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


@pytest.fixture(scope="session")
def pick(site_dir: Path) -> dict:
    """Which sample pages and facet values the tests use (see support.sample)."""
    return sample(site_dir)


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/showcase/`` served in-process (loopback only)."""
    with serve(site_root) as root:
        yield f"{root}{SUBPATH}/"


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


