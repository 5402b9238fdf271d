"""Incremental builds are byte-identical to clean full builds, and touch only what changed.

An 80-case corpus from ``bench/gen_corpus.py`` is built once with the cache (the site is
shared by the tests of this module, each touching its own case); then each kind of
change is applied and the incremental result is compared, file by file, with a clean
build (no cache, fresh folder) of the same sources.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook import lastbuild
from casebook.config import load_config
from casebook.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus  # noqa: E402


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("site")
    gen_corpus.generate(base / "content", 80)
    for name in ("data", "themes"):
        shutil.copytree(ROOT / name, base / name)
    (base / "site.yaml").write_text(
        (ROOT / "site.yaml").read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    return base


def _incremental(site: Path):
    return build(load_config(site / "site.yaml"))


def _assert_same_as_clean(site: Path) -> None:
    clean = load_config(site / "site.yaml", {"output_dir": "clean-output"})
    shutil.rmtree(clean.output_dir, ignore_errors=True)
    build(clean, use_cache=False)
    assert _tree(site / "output") == _tree(clean.output_dir)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _changed_files(site: Path, change) -> set[str]:  # type: ignore[no-untyped-def]
    _incremental(site)
    before = _mtimes(site / "output")
    change()
    built, report = _incremental(site)
    after = _mtimes(site / "output")
    _assert_same_as_clean(site)
    return {p for p in after if before.get(p) != after[p]} | (before.keys() - after.keys())


def test_nothing_changed_touches_nothing(site: Path) -> None:
    _incremental(site)
    before = _mtimes(site / "output")
    built, report = _incremental(site)
    assert report.written == 0 and report.removed == 0
    assert built.rendered == [] and built.reparsed == 0
    assert _mtimes(site / "output") == before


def test_nothing_changed_imports_no_renderer(site: Path) -> None:
    """A build with nothing to do stops before Jinja2, Python-Markdown and Pygments are
    imported (a third of a second at 10,000 cases): the slow check and the sealed one."""
    _incremental(site)
    time.sleep(0.2)  # inputs written just before a build (this module's other tests, or the
    _incremental(site)  # fixture if this test runs first) are not vouched for by it: once more
    probe = ("import sys; from casebook.cli import main; status = main(['--config', sys.argv[1], '-q', 'build']); "
             "print(sorted(m for m in ('jinja2', 'markdown', 'pygments') if m in sys.modules)); sys.exit(status)")
    for _ in range(2):
        time.sleep(0.2)  # the output's stats settle: the first build seals them, the second uses the seal
        run = subprocess.run([sys.executable, "-c", probe, str(site / "site.yaml")], capture_output=True, text=True,
                             check=True)
        assert run.stdout.strip() == "[]", run.stdout + run.stderr


@pytest.mark.parametrize("change", ["edited", "added", "added deep", "removed", "folder removed"])
def test_a_sealed_output_still_shows_every_change(site: Path, change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a nothing-changed build has sealed the output folder (one digest of every
    folder's and file's stat), the next one does not list it; any file edited, added or
    removed since, however deep, still makes the build repair the folder."""
    output = site / "output"
    for _ in range(2):
        time.sleep(0.2)
        _incremental(site)
    with monkeypatch.context() as patch:  # sealed: the folders are not even listed
        patch.setattr(lastbuild, "list_tree", lambda *a, **k: pytest.fail("listed a sealed output folder"))
        built, report = _incremental(site)
    assert not report.changed and built.kept
    page = output / "cases" / "shanxi-00004" / "index.html"
    if change == "edited":
        page.write_bytes(page.read_bytes() + b" ")
    elif change == "added":
        (output / "extra.html").write_text("extra", "utf-8")
    elif change == "added deep":
        (output / "provinces" / "shanxi" / "extra.html").write_text("extra", "utf-8")
    elif change == "removed":
        page.unlink()
    else:
        shutil.rmtree(page.parent)
    built, report = _incremental(site)
    assert report.changed
    _assert_same_as_clean(site)


def test_body_edit_rewrites_only_its_page_and_feeds(site: Path) -> None:
    case = site / "content" / "beijing-00001.md"
    changed = _changed_files(site, lambda: _edit(case, "## ", "## 新增小节\n\n新增的一段正文。\n\n## "))
    assert "cases/beijing-00001/index.html" in changed
    # Only the case page and feeds that carry its full text may change: not lists or other cases.
    assert all(p == "cases/beijing-00001/index.html" or p.endswith(".xml") for p in changed), changed
    assert len(changed) <= 6, changed


def test_province_edit(site: Path) -> None:
    case = site / "content" / "tianjin-00002.md"
    changed = _changed_files(site, lambda: _edit(case, "province: 天津市", "province: 北京市"))
    assert "cases/tianjin-00002/index.html" in changed
    assert len(changed) < 150, len(changed)  # its lists, feeds, related pages; not the whole site


def test_template_change_rerenders_only_pages_using_it(site: Path) -> None:
    tpl = site / "themes" / "default" / "templates" / "search.html"
    changed = _changed_files(site, lambda: tpl.write_text(tpl.read_text("utf-8").replace(
        "{% block main %}", "{% block main %}<!-- changed -->", 1), "utf-8"))
    assert changed == {"search/index.html"}


def test_case_template_change(site: Path) -> None:
    tpl = site / "themes" / "default" / "templates" / "case.html"
    changed = _changed_files(site, lambda: tpl.write_text(tpl.read_text("utf-8").replace(
        "{% block main %}", "{% block main %}<!-- changed -->", 1), "utf-8"))
    assert changed and all(p.startswith("cases/") and p.count("/") == 2 for p in changed)


def test_add_case(site: Path) -> None:
    src = site / "content" / "beijing-00001.md"

    def add() -> None:
        text = src.read_text("utf-8").replace("slug: beijing-00001", "slug: beijing-99999")
        (site / "content" / "beijing-99999.md").write_text(text, "utf-8")
    changed = _changed_files(site, add)
    assert "cases/beijing-99999/index.html" in changed
    _assert_few_case_pages(changed)


def test_delete_case(site: Path) -> None:
    changed = _changed_files(site, lambda: (site / "content" / "hebei-00003.md").unlink())
    assert "cases/hebei-00003/index.html" in changed
    assert not (site / "output" / "cases" / "hebei-00003").exists()
    _assert_few_case_pages(changed)


def _assert_few_case_pages(changed: set[str]) -> None:
    """Adding or deleting a case changes its neighbours' and related cases' pages, not
    every case page (no page but the lists shows the site's counts)."""
    cases = {p for p in changed if p.startswith("cases/") and p.count("/") == 2}
    assert len(cases) <= 10, sorted(cases)


def test_config_change(site: Path) -> None:
    cfg = site / "site.yaml"
    _changed_files(site, lambda: _edit(cfg, "per_page: 12", "per_page: 10"))
    _changed_files(site, lambda: _edit(cfg, "per_page: 10", "per_page: 12"))


def test_vocabulary_change(site: Path) -> None:
    vocab = site / "data" / "practices.yaml"
    _changed_files(site, lambda: _edit(vocab, "description: 以网格为单元", "description: 以网格为基本单元"))


def test_asset_change(site: Path) -> None:
    css = site / "themes" / "default" / "static" / "style.css"
    _changed_files(site, lambda: css.write_text(css.read_text("utf-8") + "\n/* changed */\n", "utf-8"))


def test_touch_without_change_rewrites_nothing(site: Path) -> None:
    changed = _changed_files(site, lambda: os.utime(site / "content" / "shanxi-00004.md"))
    assert changed == set()


def test_output_edited_by_hand_is_repaired(site: Path) -> None:
    _incremental(site)
    page = site / "output" / "cases" / "neimenggu-00005" / "index.html"
    page.write_text("tampered", "utf-8")
    _incremental(site)
    _assert_same_as_clean(site)


def test_broken_cache_is_ignored(site: Path) -> None:
    _incremental(site)
    for db in (site / ".casebook-cache").rglob("cache.sqlite"):
        db.write_bytes(b"not a database")
    _edit(site / "content" / "beijing-00001.md", "## ", "## 另一节\n\n## ")
    _incremental(site)
    _assert_same_as_clean(site)


def test_missing_cached_bodies_are_rendered_again(site: Path) -> None:
    import sqlite3

    _incremental(site)
    for db in (site / ".casebook-cache").rglob("cache.sqlite"):
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM bodies")
    tpl = site / "themes" / "default" / "templates" / "case.html"
    _edit(tpl, "{% block main %}", "{% block main %}<!-- bodies gone -->")
    _incremental(site)
    _assert_same_as_clean(site)


def test_macro_reading_groups_makes_its_callers_depend_on_them(site: Path) -> None:
    """case.html does not call the tile map; once it does, a province change must reach every case page."""
    tpl = site / "themes" / "default" / "templates" / "case.html"
    text = tpl.read_text("utf-8")
    head, rest = text.split("\n", 1)
    tpl.write_text(head + '\n{% from "_macros.html" import tile_map %}\n'
                   + rest.replace("{% block main %}", "{% block main %}{{ tile_map('case-map') }}", 1), "utf-8")
    _incremental(site)
    case = site / "content" / "jilin-00007.md"
    changed = _changed_files(site, lambda: _edit(case, "province: 吉林省", "province: 辽宁省"))
    assert sum(p.startswith("cases/") and p.count("/") == 2 for p in changed) > 50


def _backdate_folders(root: Path) -> None:
    """Make every folder's mtime old enough to be trusted (see ``write.RACY_NS``), as on a
    site built a while ago: the next build lists only folders whose mtime changed."""
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(1_000_000_000, 1_000_000_000))


def test_stray_files_are_removed_without_walking_the_tree(site: Path) -> None:
    _incremental(site)
    output = site / "output"
    _backdate_folders(output)
    _incremental(site)  # records each folder's (now trusted) mtime and entries
    (output / "cases" / "beijing-00001" / "notes.txt").write_text("an editor's file", "utf-8")
    (output / "stray.html").write_text("stray", "utf-8")
    (output / "junk" / "deep").mkdir(parents=True)
    (output / "junk" / "deep" / "x.html").write_text("x", "utf-8")
    built, report = _incremental(site)
    assert report.removed == 3
    _assert_same_as_clean(site)


def test_body_edit_with_a_stray_file(site: Path) -> None:
    _incremental(site)
    _backdate_folders(site / "output")
    _incremental(site)
    stray = site / "output" / "cases" / "hubei-00017" / "old.html"

    def change() -> None:
        stray.write_text("stray", "utf-8")
        _edit(site / "content" / "beijing-00001.md", "## ", "## 又一节\n\n正文。\n\n## ")
    changed = _changed_files(site, change)
    assert not stray.exists()
    assert all(p == "cases/beijing-00001/index.html" or p.endswith(".xml") for p in changed), changed


def test_body_edit_plans_only_the_pages_showing_that_body(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the front-matter of other cases is unchanged: every other page keeps its last
    key without being fingerprinted (keys.Previous), and the result is still identical."""
    from casebook.keys import Keys
    from casebook.plan import Page

    fingerprinted: list[str] = []
    compute = Keys._compute

    def spy(self: Keys, item: object) -> str:
        if isinstance(item, Page):
            fingerprinted.append(item.url)
        return compute(self, item)  # type: ignore[arg-type]
    _incremental(site)
    _edit(site / "content" / "guangxi-00020.md", "## ", "## 加一节\n\n## ")
    with monkeypatch.context() as patch:
        patch.setattr(Keys, "_compute", spy)
        built, _report = _incremental(site)
    assert fingerprinted == ["cases/guangxi-00020/"]
    assert "cases/guangxi-00020/index.html" in set(built.rendered)
    _assert_same_as_clean(site)


def test_body_edit_of_the_newest_case_rewrites_the_site_feed(site: Path) -> None:
    newest = site / "content" / "liaoning-00040.md"  # the corpus is seeded: this is the newest case
    changed = _changed_files(site, lambda: _edit(newest, "## ", "## 最新一节\n\n最新的正文。\n\n## "))
    assert {"cases/liaoning-00040/index.html", "feed.xml"} <= changed
    assert all(p == "cases/liaoning-00040/index.html" or p.endswith(".xml") for p in changed), changed


def test_two_bodies_edited_at_once(site: Path) -> None:
    def edit_both() -> None:
        _edit(site / "content" / "jiangxi-00048.md", "## ", "## 第一处\n\n## ")
        _edit(site / "content" / "ningxia-00064.md", "## ", "## 第二处\n\n## ")
    changed = _changed_files(site, edit_both)
    assert {"cases/jiangxi-00048/index.html", "cases/ningxia-00064/index.html"} <= changed
    assert all(p.startswith(("cases/jiangxi-00048/", "cases/ningxia-00064/")) or p.endswith(".xml")
               for p in changed), changed


def test_body_edit_breaking_a_sub_case_anchor_is_an_error(site: Path) -> None:
    from casebook.errors import CasebookErrors

    case = site / "content" / "anhui-00012.md"
    _incremental(site)
    _edit(case, "{#site-1}", "{#renamed}")
    with pytest.raises(CasebookErrors) as err:
        _incremental(site)
    assert [str(e) for e in err.value.errors] == [
        "content/anhui-00012.md:1: sub-case " + repr(_subcase_name(case, "site-1"))
        + ": anchor 'site-1' matches no heading (write the heading as '## … {#site-1}')"]
    _edit(case, "{#renamed}", "{#site-1}")
    _incremental(site)
    _assert_same_as_clean(site)


def _subcase_name(case: Path, anchor: str) -> str:
    import yaml

    meta = yaml.safe_load(case.read_text("utf-8").split("---\n")[1])
    return next(c["name"] for c in meta["cases"] if c["anchor"] == anchor)


def test_first_build_keys_computed_by_workers_match_a_rebuilds(site: Path, tmp_path: Path) -> None:
    """A first build's page keys are computed by the render workers (for the manifest); a
    rebuild computes them in the coordinating process. They must agree, or a rebuild after
    a one-page template change would render every page again."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", "clean-output", ".casebook-cache"))
    config = load_config(copy / "site.yaml")
    first, _ = build(config, workers=2)
    assert len(first.rendered) > 64  # enough pages for the worker processes
    tpl = copy / "themes" / "default" / "templates" / "search.html"
    _edit(tpl, "{% block main %}", "{% block main %}<!-- changed -->")
    again, _ = build(config, workers=2)
    assert again.rendered == ["search/index.html"]
    _assert_same_as_clean(copy)


def test_body_edit_plans_only_the_files_showing_that_body(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same front-matter, settings and theme as the last build: plan.body_plan plans the
    case page and the feeds that carry the body, not the whole site (plan_site), and the
    case template's key prefix is the last build's: no template is analysed (keys.Previous)."""
    import casebook.keys
    import casebook.pipeline

    _incremental(site)
    _edit(site / "content" / "hunan-00018.md", "## ", "## 加一节\n\n## ")
    with monkeypatch.context() as patch:
        patch.setattr(casebook.pipeline, "plan_site", lambda *a: pytest.fail("the whole site was planned"))
        patch.setattr(casebook.keys, "template_deps", lambda *a: pytest.fail("a template was analysed"))
        built, _report = _incremental(site)
    assert "cases/hunan-00018/index.html" in built.rendered
    assert all(p == "cases/hunan-00018/index.html" or p.endswith(".xml") for p in built.rendered), built.rendered
    _assert_same_as_clean(site)


def test_a_page_edited_by_hand_is_made_again_with_a_body_edit(site: Path) -> None:
    """A body edit plans only that body's files when every other file is as the last build
    left it; a file edited by hand makes the build plan the whole site and restore it."""
    _incremental(site)
    page = site / "output" / "provinces" / "index.html"
    page.write_text(page.read_text("utf-8").replace("</main>", "<p>手改</p></main>"), "utf-8")
    _edit(site / "content" / "hainan-00021.md", "## ", "## 又加一节\n\n## ")
    built, _report = _incremental(site)
    assert "provinces/index.html" in built.rendered
    _assert_same_as_clean(site)
