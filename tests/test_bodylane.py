"""The body-edit lane (:mod:`casebook.bodylane`): a rebuild after only Markdown bodies
changed gives a clean build's bytes, manifest and broken links, and is taken only then.

Each test edits its own cases of an 80-case corpus (plus the sample's page bundle), builds
with the cache and compares with a cold build of a copy of the same sources.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from casebook import bodylane, lastbuild, searchindex, searchstage
from casebook.cache import BuildCache
from casebook.config import Config, load_config
from casebook.errors import CasebookErrors
from casebook.lastbuild import Built, build
from casebook.write import Keep, list_tree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus  # noqa: E402

from .search_reader import search  # noqa: E402

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


# -- with search on: the lane brings the search index up to date (issue 15) -------------------------

INDEX = searchindex.FOLDER + "/"
SEARCHED = "hubei-00017.md"


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    """Two built copies of a 30-case site with search on: one for the lane, one for the
    normal build, which must agree to the byte and on the cache's index state."""
    sites = (tmp_path / "lane", tmp_path / "normal")
    for base in sites:
        gen_corpus.generate(base / "content", 30)
        for name in ("data", "themes"):
            shutil.copytree(ROOT / name, base / name)
        shutil.copy(ROOT / "site.yaml", base / "site.yaml")
    assert "search: true" in (ROOT / "site.yaml").read_text("utf-8")
    time.sleep(0.2)  # settled stats (see site)
    for base in sites:
        _build(base)
    time.sleep(0.2)
    return sites


def _index_state(site: Path) -> searchindex.State | None:
    config = _config(site)
    with BuildCache(config.root, config.output_dir) as cache:
        return cache.get(searchstage.RECORD)


def _normal_build(site: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    with monkeypatch.context() as patched:
        patched.setattr(bodylane, "run", lambda *_args: None)
        built = _build(site)
    assert not _lane(built)
    return built


def _answers(output: Path, queries: list[str]) -> dict[str, list[str]]:
    return {q: sorted(search(output, q, limit=1_000)) for q in queries}


def test_body_edits_with_search_on_update_the_index_as_the_normal_build(
        twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Two body edits (a phrase added, then replaced): the lane's output, index included, is
    the normal build's byte for byte, and so is the index state it records; the index
    answers as a clean build's (its bytes differ: the edited page got a new document id)."""
    lane, normal = twins
    slug = SEARCHED.removesuffix(".md")
    for old, new in (("", "琅琊山下新建的邻里食堂每天供应午餐。"), ("邻里食堂", "百年书院")):
        for site in twins:
            if old:
                _edit(site / "content" / SEARCHED, old, new)
            else:
                _append(site, SEARCHED, new)
        built = _build(lane)
        assert _lane(built) and "search" in built.timings
        assert built.rendered and all(p == f"cases/{slug}/index.html" or p.endswith("feed.xml")
                                      for p in built.rendered)
        _normal_build(normal, monkeypatch)
        assert _tree(lane / "output") == _tree(normal / "output")
        assert _index_state(lane) == _index_state(normal) is not None
    output = lane / "output"
    assert search(output, "百年书院") == [f"cases/{slug}/"] and search(output, "邻里食堂") == []
    clean = _config(lane, output_dir=tmp_path / "clean")
    build(clean, use_cache=False)
    pages, clean_pages = _tree(output), _tree(clean.output_dir)
    assert {p: d for p, d in pages.items() if not p.startswith(INDEX)} == \
        {p: d for p, d in clean_pages.items() if not p.startswith(INDEX)}
    assert pages.keys() != clean_pages.keys()  # the lane's index has tombstones: compared by its answers
    queries = ["百年书院", "邻里食堂", "养老服务", "社区", *(json.loads(d)["t"][:6] for p, d in clean_pages.items()
                                                     if p.startswith(INDEX + "d/"))]
    assert _answers(output, queries) == _answers(clean.output_dir, queries)


def test_without_the_index_state_a_body_edit_takes_the_normal_build(twins: tuple[Path, Path]) -> None:
    """The lane updates only an index the cache records: without it (an emptied cache
    keeps no lane record either; here only the index's is gone) the normal build makes
    the index anew and records it, and the next body edit takes the lane."""
    site = twins[0]
    config = _config(site)
    assert _index_state(site) is not None
    with BuildCache(config.root, config.output_dir) as cache:
        cache.put(searchstage.RECORD, None)
    _append(site, SEARCHED, "又加一段。")
    built = _build(site)
    assert not _lane(built) and "search" in built.timings
    assert json.loads((site / "output" / INDEX / "meta.json").read_bytes())["dead"] == []  # made anew
    assert _index_state(site) is not None
    time.sleep(0.2)
    _append(site, SEARCHED, "琅琊山下新建的邻里食堂每天供应午餐。")
    assert _lane(_build(site))
    assert search(site / "output", "邻里食堂") == [f"cases/{SEARCHED.removesuffix('.md')}/"]


def _sealed(site: Path) -> None:
    """Leave the output sealed: a nothing-changed build, once its stats have settled."""
    time.sleep(0.2)
    assert not _build(site).rendered
    with BuildCache(site, _config(site).output_dir) as cache:
        assert cache.get(lastbuild.SEAL) is not None


def test_a_body_edit_to_a_sealed_output_neither_lists_it_nor_reads_the_manifest(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seal a nothing-changed build left proves the output as the last build left it
    after its inputs changed too: the lane takes its files from the seal, not from a listing
    of the output folder and the manifest."""
    _sealed(site)
    _append(site, "gansu-00028.md", "封存之后的一段正文。")
    with monkeypatch.context() as patch:
        patch.setattr(lastbuild, "list_tree", lambda *a, **k: pytest.fail("listed a sealed output folder"))
        patch.setattr(BuildCache, "pages", lambda self: pytest.fail("read the manifest of a sealed output"))
        built = _build(site)
    assert _lane(built) and "cases/gansu-00028/index.html" in built.rendered
    _assert_as_clean(site, built, tmp_path)


@pytest.mark.parametrize("change", ["edited", "removed", "stray"])
def test_a_sealed_output_changed_by_hand_then_a_body_edit(site: Path, tmp_path: Path, change: str) -> None:
    """A page edited or removed by hand, or a file added, after the output was sealed: the
    seal no longer holds, and the body edit that follows takes the normal build, which
    restores the output exactly as a clean build makes it."""
    _sealed(site)
    page = site / "output" / "cases" / "yunnan-00025" / "index.html"
    if change == "edited":
        page.write_text(page.read_text("utf-8").replace("</main>", "<p>手改</p></main>"), "utf-8")
    elif change == "removed":
        page.unlink()
    else:
        (page.parent / "stray.html").write_text("stray", "utf-8")
    _append(site, "chongqing-00022.md", "手改之后的一段正文。")
    built = _build(site)
    assert not _lane(built)
    _assert_as_clean(site, built, tmp_path)


def test_a_body_edit_leaves_the_output_sealed(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lane seals what it found sealed, its own files left to be checked by their bytes:
    the nothing-changed build right after it lists nothing, and makes the seal whole once
    the new stats have settled."""
    _sealed(site)
    _append(site, "hunan-00052.md", "封存之后又一段正文。")
    time.sleep(0.2)  # the edit's stat settles: the lane's build records a signature to seal under
    assert _lane(_build(site))
    config = _config(site)
    with BuildCache(site, config.output_dir) as cache:
        assert cache.get(lastbuild.SEAL)["fresh"]
    with monkeypatch.context() as patch:
        patch.setattr(lastbuild, "list_tree", lambda *a, **k: pytest.fail("listed a sealed output folder"))
        time.sleep(0.2)
        built = _build(site)
    assert not built.rendered and built.kept
    with BuildCache(site, config.output_dir) as cache:
        assert cache.get(lastbuild.SEAL)["fresh"] == {}
    _assert_as_clean(site, built, tmp_path)



@pytest.mark.parametrize("change", ["same size and mtime", "stray beside it"])
def test_a_page_the_lane_wrote_changed_at_once(site: Path, tmp_path: Path, change: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A page the lane just wrote, changed by hand within the same timestamp tick (here: its
    size and mtime set back) or given a stray neighbour: its stats proved nothing when the
    lane sealed the output, so the next check compares its bytes and its folder's entries,
    and the seal does not vouch for it (the check lists the folder, as without a seal)."""
    _sealed(site)
    _append(site, "fujian-00047.md", "写完即改的一段正文。")
    time.sleep(0.2)  # the edit's stat settles: the lane's build records a signature to seal under
    assert _lane(_build(site))
    config = _config(site)
    page = site / "output" / "cases" / "fujian-00047" / "index.html"
    written = page.read_bytes()
    if change == "same size and mtime":
        st = page.stat()
        page.write_bytes(written.replace("写完即改".encode(), "手工改过".encode()))
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert page.stat().st_size == st.st_size
    else:
        (page.parent / "stray.html").write_text("stray", "utf-8")
    listed: list[Path] = []
    with monkeypatch.context() as patch, BuildCache(site, config.output_dir) as cache:
        patch.setattr(lastbuild, "list_tree", lambda root, *a, **k: listed.append(root) or list_tree(root, *a, **k))
        last = lastbuild.last_build(config, cache, Keep(config.keep), False)
    assert listed and not last.sealed
    if change == "stray beside it":
        assert last.unchanged is None
    page.write_bytes(written)  # (a normal build trusts a page's size and mtime: it would keep the edit)
    _assert_as_clean(site, _build(site), tmp_path)


def test_a_lane_with_search_interrupted_at_each_step_leaves_the_old_site(
        twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C at any step of the lane's write (the index staged, pages replaced in place)
    takes back all it did, the cache's records included: the next build takes the lane
    again, until one finishes with the normal build's bytes and index state."""
    from casebook.write import STAGING_PREFIX

    from .test_interrupt import _build_in_child, _published

    lane, normal = twins
    old = _tree(lane / "output")
    for site in twins:
        _append(site, SEARCHED, "琅琊山下新建的邻里食堂每天供应午餐。")
    monkeypatch.setattr("casebook.pipeline.rebuild", lambda *_args: pytest.fail("not the lane"))  # (children too)
    for step in range(1, 200):
        if _build_in_child(lane, step, kill=False) == "built":
            break
        assert _published(lane / "output") == old, f"step {step}: not the old site"
        assert not [p for p in lane.iterdir() if p.name.startswith(STAGING_PREFIX)]
    else:
        pytest.fail("the lane never finished")
    assert step > 5
    monkeypatch.undo()
    _normal_build(normal, monkeypatch)
    assert _tree(lane / "output") == _tree(normal / "output")
    assert _index_state(lane) == _index_state(normal) is not None
