"""Shared fixtures: a throwaway copy of the project (site.yaml, data, themes, content)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--timing", choices=("with", "without", "only"), default="with",
                     help="tests marked `timing` (scores a loaded machine lowers): run them with the rest "
                          "(default), leave them out, or run only them; scripts/test.sh runs them alone "
                          "after the parallel run")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--timing``: the parallel run leaves the `timing` tests out, a second run of one
    process takes only them, on a machine no other test is loading."""
    mode = config.getoption("--timing")
    if mode == "with":
        return
    keep = [item for item in items if (item.get_closest_marker("timing") is not None) == (mode == "only")]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def copy_site(root: Path) -> Path:
    """Copy the repository's site (site.yaml, data, themes, content) into ``root``."""
    for name in ("data", "themes", "content"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns(".import"))
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    return root


@pytest.fixture(scope="session")
def sample_photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's photos, encoded once by a build of the sample: a hundred tests build
    it, and encoding its ten photos takes longer than the rest of such a build."""
    from casebook.cache import cache_dir
    from casebook.config import load_config
    from casebook.images import PHOTO_STORE
    from casebook.pipeline import build

    root = copy_site(tmp_path_factory.mktemp("photos"))
    build(load_config(root / "site.yaml", {"search": False}))
    return cache_dir(root, root / "output") / PHOTO_STORE


@pytest.fixture
def project(tmp_path: Path, sample_photos: Path) -> Path:
    """A copy of the repository's site, safe to edit and build, with the sample's photos
    already in the build cache of its output folder (their names are their content's hash)."""
    from casebook.cache import cache_dir
    from casebook.images import PHOTO_STORE

    copy_site(tmp_path)
    shutil.copytree(sample_photos, cache_dir(tmp_path, tmp_path / "output") / PHOTO_STORE)
    return tmp_path


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``build.py`` in-process; returns (exit status, stdout, stderr)."""
    from casebook.cli import main

    def run(project: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--config", str(project / "site.yaml"), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session: Playwright's sync API allows one
    instance per process, so every browser test (theme, security) shares it."""
    from .chromium import ARGS, CHROMIUM, require
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def write_case(project: Path, name: str, front: str, body: str = "正文。\n") -> Path:
    """Write ``content/<name>.md`` with the given front-matter text."""
    path = project / "content" / f"{name}.md"
    path.write_text(f"---\n{front.strip()}\n---\n\n{body}", "utf-8")
    return path


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
