"""The body-edit lane (:mod:`casebook.bodylane`): a rebuild after only Markdown bodies
changed gives a clean build's bytes, manifest and broken links, and is taken only then.

Each test edits its own cases of an 80-case corpus (plus the sample's page bundle), builds
with the cache and compares with a cold build of a copy of the same sources.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import time
from pathlib import Path

import pytest

from casebook.cache import BuildCache
from casebook.config import Config, load_config
from casebook.errors import CasebookErrors
from casebook.lastbuild import Built, build

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus  # noqa: E402

BUNDLE = "zhejiang-qingshi"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("site")
    gen_corpus.generate(base / "content", 80)
    shutil.copytree(ROOT / "content" / BUNDLE, base / "content" / BUNDLE)
    for name in ("data", "themes"):
        shutil.copytree(ROOT / name, base / name)
    (base / "site.yaml").write_text(
        (ROOT / "site.yaml").read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    time.sleep(0.2)  # the theme's stats settle: a build cannot record the lane on unsettled ones
    _build(base)
    return base


def _config(site: Path, **changes: object) -> Config:
    return dataclasses.replace(load_config(site / "site.yaml"), **changes)


def _build(site: Path, **changes: object) -> Built:
    return build(_config(site, **changes))[0]


def _lane(built: Built) -> bool:
    return "lane" in built.timings


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _manifest(config: Config) -> dict[str, tuple[str, int]]:
    with BuildCache(config.root, config.output_dir) as cache:
        return {path: (key, size) for path, (key, size, _mtime) in cache.pages().items()}


def _assert_as_clean(site: Path, built: Built, tmp_path: Path) -> None:
    """The output, manifest and broken links a cold build (with the cache) of the same sources
    makes (the site is left as that build made it)."""
    config = _config(site)
    tree, manifest = _tree(config.output_dir), _manifest(config)
    shutil.rmtree(config.output_dir)
    shutil.rmtree(site / ".casebook-cache")
    clean = _build(site)
    assert tree == _tree(config.output_dir)
    assert manifest == _manifest(config)
    assert built.broken == clean.broken and built.leftovers == clean.leftovers
    time.sleep(0.2)  # its stats settle: the next build's lane can trust them


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _append(site: Path, name: str, text: str) -> None:
    path = site / "content" / name
    path.write_text(path.read_text("utf-8") + f"\n{text}\n", "utf-8")


def test_body_edit_of_a_case_in_the_site_feed(site: Path, tmp_path: Path) -> None:
    _append(site, "liaoning-00040.md", "最新的一段正文。")  # the newest case (the corpus is seeded)
    built = _build(site)
    assert _lane(built)
    assert set(built.rendered) >= {"cases/liaoning-00040/index.html", "feed.xml"}
    assert all(p == "cases/liaoning-00040/index.html" or p.endswith("feed.xml") for p in built.rendered)
    _assert_as_clean(site, built, tmp_path)


def test_body_edit_of_a_case_not_in_the_site_feed(site: Path, tmp_path: Path) -> None:
    feed = (site / "output" / "feed.xml").read_text("utf-8")
    slug = next(p.stem for p in sorted((site / "content").glob("*.md")) if f"/{p.stem}/" not in feed)
    _append(site, f"{slug}.md", "又一段正文。")
    built = _build(site)
    assert _lane(built) and "feed.xml" not in built.rendered
    assert f"cases/{slug}/index.html" in built.rendered
    _assert_as_clean(site, built, tmp_path)


def test_two_bodies_edited_at_once(site: Path, tmp_path: Path) -> None:
    _append(site, "jiangxi-00048.md", "第一处。")
    _append(site, "ningxia-00064.md", "第二处。")
    built = _build(site)
    assert _lane(built)
    assert {"cases/jiangxi-00048/index.html", "cases/ningxia-00064/index.html"} <= set(built.rendered)
    _assert_as_clean(site, built, tmp_path)


def test_an_anchor_another_case_links_to_is_renamed(site: Path, tmp_path: Path) -> None:
    """The linking body did not change, yet its link breaks: a warning, and with
    ``--strict`` an error before anything is written."""
    _append(site, "hunan-00018.md", "## 目标一节 {#target-x}\n\n正文。")
    _append(site, "hainan-00021.md", "见[另一案例](/cases/hunan-00018/#target-x)。")
    time.sleep(0.2)  # settled stats: the next build sees no change to the linking file
    built = _build(site)
    assert _lane(built) and built.broken == []
    _edit(site / "content" / "hunan-00018.md", "{#target-x}", "{#target-y}")
    with pytest.raises(CasebookErrors, match="target-x"):
        _build(site, strict=True)
    assert b"target-y" not in (site / "output" / "cases" / "hunan-00018" / "index.html").read_bytes()
    built = _build(site)
    assert _lane(built) and [(b.source, b.link) for b in built.broken] == [
        ("content/hainan-00021.md", "/cases/hunan-00018/#target-x")]
    _assert_as_clean(site, built, tmp_path)


def test_an_edit_that_breaks_a_link(site: Path, tmp_path: Path) -> None:
    _append(site, "guangxi-00020.md", "见[不存在的案例](/cases/no-such-case/)。")
    built = _build(site)
    assert _lane(built) and "content/guangxi-00020.md" in {b.source for b in built.broken}
    _assert_as_clean(site, built, tmp_path)


def test_a_page_edited_by_hand_takes_the_normal_build(site: Path, tmp_path: Path) -> None:
    page = site / "output" / "provinces" / "index.html"
    page.write_text(page.read_text("utf-8").replace("</main>", "<p>手改</p></main>"), "utf-8")
    _append(site, "hebei-00003.md", "又加一段。")
    built = _build(site)
    assert not _lane(built) and "provinces/index.html" in built.rendered
    _assert_as_clean(site, built, tmp_path)


def test_a_front_matter_edit_takes_the_normal_build(site: Path, tmp_path: Path) -> None:
    path = site / "content" / "shanxi-00004.md"
    _edit(path, "title: ", "title: 改过的")
    _append(site, "shanxi-00004.md", "又一段。")
    built = _build(site)
    assert not _lane(built)
    _assert_as_clean(site, built, tmp_path)


def test_body_edit_of_a_page_bundle(site: Path, tmp_path: Path) -> None:
    _append(site, f"{BUNDLE}/index.md", "包里的新段落。")
    built = _build(site)
    assert _lane(built) and f"cases/{BUNDLE}/index.html" in built.rendered
    _assert_as_clean(site, built, tmp_path)


def test_a_changed_picture_takes_the_normal_build(site: Path, tmp_path: Path) -> None:
    folder = site / "content" / BUNDLE
    shutil.copy(folder / "garden.jpg", folder / "hall.jpg")
    _append(site, f"{BUNDLE}/index.md", "换了一张图。")
    built = _build(site)
    assert not _lane(built)
    _assert_as_clean(site, built, tmp_path)


def test_an_edit_after_a_build_without_the_cache(site: Path, tmp_path: Path) -> None:
    """A build without the cache changed the output behind the cache's back: the next body
    edit takes the normal build."""
    _append(site, "zhejiang-00011.md", "无缓存的一次。")
    build(_config(site), use_cache=False)
    _append(site, "fujian-00013.md", "无缓存之后。")
    built = _build(site)
    assert not _lane(built)
    _assert_as_clean(site, built, tmp_path)
