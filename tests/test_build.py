"""The showcase build on the sample content: pages, grouping, links, feeds, determinism."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from casebook.check import check_files
from casebook.config import load_config
from casebook.pipeline import build
from casebook.taxonomy import load_practices, load_provinces

from .conftest import ROOT, tree, write_case

ATOM = "{http://www.w3.org/2005/Atom}"


def sample_meta() -> dict[str, dict]:
    """Front-matter of every sample case, read independently of the loader."""
    out = {}
    for path in sorted([*(ROOT / "content").glob("*.md"), *(ROOT / "content").glob("*/index.md")]):
        meta = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
        out[meta.get("slug", path.stem)] = meta
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("site") / "output"
    build(load_config(ROOT / "site.yaml", {"output_dir": str(out), "search": False}))
    return tree(out)


def html(site: dict[str, bytes], path: str) -> str:
    return site[path].decode("utf-8")


def test_every_case_province_and_practice_gets_its_page(site: dict[str, bytes]) -> None:
    metas = sample_meta()
    assert len(metas) >= 5
    provinces = {t.name: t.slug for t in load_provinces().terms}
    practices = {t.name: t.slug for t in load_practices(ROOT / "data/practices.yaml").terms}
    for slug, meta in metas.items():
        page = html(site, f"cases/{slug}/index.html")
        assert f"<h1>{meta['title']}</h1>" in page.replace("&#34;", '"') or meta["title"] in page
        prov_page = html(site, f"provinces/{provinces[meta['province']]}/index.html")
        assert f"/cases/{slug}/" in prov_page
        for practice in meta["practices"]:
            assert f"/cases/{slug}/" in html(site, f"practices/{practices[practice]}/index.html")
        assert f"/cases/{slug}/" in html(site, "cases/index.html")
    used = {provinces[m["province"]] for m in metas.values()}
    built = {p.split("/")[1] for p in site if re.fullmatch(r"provinces/[a-z]+/index\.html", p)}
    assert built == used | {provinces[c["province"]] for m in metas.values() for c in m.get("cases", [])}


def test_sub_cases_are_listed_under_their_own_practices(site: dict[str, bytes]) -> None:
    practices = {t.name: t.slug for t in load_practices(ROOT / "data/practices.yaml").terms}
    checked = 0
    for slug, meta in sample_meta().items():
        for sub in meta.get("cases", []):
            for practice in sub.get("practices", []):
                if practice not in meta["practices"]:
                    page = html(site, f"practices/{practices[practice]}/index.html")
                    assert f"/cases/{slug}/#{sub['anchor']}" in page
                    checked += 1
            assert f'id="{sub["anchor"]}"' in html(site, f"cases/{slug}/index.html")
    assert checked, "the sample content should have a sub-case filed under a practice its article lacks"


def test_no_broken_links_at_root_and_under_a_sub_path(tmp_path: Path) -> None:
    for base in ("https://example.org/", "https://user.github.io/showcase/"):
        out = tmp_path / base.split("/")[2] / "output"
        build(load_config(ROOT / "site.yaml", {"output_dir": str(out), "base_url": base, "search": False}))
        files = tree(out)
        assert check_files(files, base) == []
        prefix = "/showcase/" if "showcase" in base else "/"
        index = files["index.html"].decode()
        links = re.findall(r'(?:href|src)="(/[^"]*)"', index)
        assert links and all(link.startswith(prefix) for link in links)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    trees = []
    for n in (1, 2):
        out = tmp_path / f"o{n}"
        build(load_config(ROOT / "site.yaml", {"output_dir": str(out), "search": False}))
        trees.append(tree(out))
    assert trees[0] == trees[1]


def test_atom_feeds_are_well_formed_with_required_elements(site: dict[str, bytes]) -> None:
    feeds = [p for p in site if p.endswith("feed.xml")]
    assert "feed.xml" in feeds and any(p.startswith("provinces/") for p in feeds) \
        and any(p.startswith("practices/") for p in feeds)
    for path in feeds:
        root = ET.fromstring(site[path])
        assert root.tag == f"{ATOM}feed"
        for child in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{child}") is not None, (path, child)
        assert root.find(f"{ATOM}link[@rel='self']") is not None
        entries = root.findall(f"{ATOM}entry")
        assert entries, path
        for entry in entries:
            for child in ("id", "title", "updated", "link", "content"):
                assert entry.find(f"{ATOM}{child}") is not None, (path, child)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.find(f"{ATOM}updated").text)


def test_sitemap_robots_and_404(site: dict[str, bytes]) -> None:
    sm = ET.fromstring(site["sitemap.xml"])
    locs = {e.text for e in sm.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    base = load_config(ROOT / "site.yaml").base_url
    assert base in locs and all(loc.startswith(base) for loc in locs)
    assert {f"{base}cases/{slug}/" for slug in sample_meta()} <= locs
    assert not any("404" in loc for loc in locs)
    assert "Sitemap: " + base + "sitemap.xml" in site["robots.txt"].decode()
    assert "页面不存在" in html(site, "404.html")


def test_assets_have_content_hashed_names(site: dict[str, bytes]) -> None:
    assets = [p for p in site if p.startswith("assets/")]
    assert assets
    import hashlib
    for path in assets:
        digest = re.search(r"\.([0-9a-f]{10})\.[a-z]+$", path)
        assert digest, path
        if not path.endswith(".css"):
            assert hashlib.sha256(site[path]).hexdigest()[:10] == digest[1]


def test_pagination(project: Path) -> None:
    for i in range(15):
        write_case(project, f"extra-{i:02d}", f"title: 测试案例{i}\nprovince: 河南省\npractices: [养老服务]\n"
                                                f"date: '2020-01-{i + 1:02d}'")
    out = project / "output"
    build(load_config(project / "site.yaml", {"search": False}))
    files = tree(out)
    assert "provinces/henan/page/2/index.html" in files
    assert "cases/page/2/index.html" in files
    page2 = files["provinces/henan/page/2/index.html"].decode()
    assert 'rel="prev"' in page2 and "/provinces/henan/" in page2
    assert check_files(files, load_config(project / "site.yaml").base_url) == []


def test_markdown_features_and_sanitising(project: Path) -> None:
    body = (
        "## 第一节\n\n| 项目 | 数量 |\n|---|--:|\n| 网格 | 18 |\n\n"
        "```python\nprint('网格')\n```\n\n注释[^1]\n\n[^1]: 脚注内容\n\n"
        "<script>alert(1)</script>\n\n[坏链接](javascript:alert(2)) <img src=x onerror=alert(3)>\n"
    )
    write_case(project, "md-features", "title: 功能测试\nprovince: 河南省\npractices: [养老服务]", body)
    build(load_config(project / "site.yaml", {"search": False}))
    page = (project / "output/cases/md-features/index.html").read_text()
    assert '<h2 id="第一节">' in page
    assert "<table>" in page and 'class="align-right"' in page
    assert '<div class="highlight">' in page and '<span class="nb">print</span>' in page
    assert 'class="footnote"' in page
    assert "alert(1)" not in page and "javascript:" not in page and "onerror" not in page


def test_drafts_are_built_only_with_the_flag(project: Path, run_cli) -> None:
    write_case(project, "draft-case", "title: 草稿\nprovince: 河南省\npractices: [养老服务]\ndraft: true")
    assert run_cli(project, "build")[0] == 0
    assert not (project / "output/cases/draft-case").exists()
    assert run_cli(project, "build", "--drafts")[0] == 0
    assert (project / "output/cases/draft-case/index.html").exists()


def test_theme_inheritance_uses_child_and_parent_templates(project: Path, run_cli) -> None:
    code, _, err = run_cli(project, "build", "--theme", "compact")
    assert code == 0, err
    page = (project / "output/index.html").read_text()
    assert re.search(r'/assets/compact\.[0-9a-f]{10}\.css', page)  # child's own asset
    assert "最新案例" in page  # parent's index.html


def test_template_error_names_template_file_and_line(project: Path, run_cli) -> None:
    theme = project / "themes/broken"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("extends: default\n")
    (theme / "templates/404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n")
    code, _, err = run_cli(project, "build", "--theme", "broken")
    assert code == 1
    assert re.search(r"themes/broken/templates/404\.html:3: template syntax error", err), err
    (theme / "templates/404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ nope.attr }}\n{% endblock %}\n")
    code, _, err = run_cli(project, "build", "--theme", "broken")
    assert code == 1 and re.search(r"templates/404\.html:3: template error: 'nope' is undefined", err), err


def test_theme_cycle_and_bad_name_are_errors(project: Path, run_cli) -> None:
    for name, parent in (("a", "b"), ("b", "a")):
        (project / "themes" / name).mkdir()
        (project / "themes" / name / "theme.yaml").write_text(f"extends: {parent}\n")
    assert "cycle" in run_cli(project, "build", "--theme", "a")[2]
    assert "theme name" in run_cli(project, "build", "--theme", "../etc")[2]


def test_new_scaffolds_a_case_that_builds(project: Path, run_cli) -> None:
    code, out, err = run_cli(project, "new", "新案例", "--province", "四川省", "--county", "郫都区",
                             "--practice", "议事协商", "--slug", "sichuan-pidu")
    assert code == 0, err
    assert (project / "content/sichuan-pidu.md").exists()
    assert run_cli(project, "new", "新案例", "--province", "四川省", "--slug", "sichuan-pidu")[0] == 1
    assert "did you mean '四川省'" in run_cli(project, "new", "x", "--province", "四川")[2]
    case = project / "content/sichuan-pidu.md"
    case.write_text(case.read_text("utf-8").replace("draft: true\n", ""), "utf-8")  # every new case is a draft
    assert run_cli(project, "build")[0] == 0
    assert (project / "output/provinces/sichuan/index.html").exists()


def test_check_passes_on_sample_and_finds_broken_links(project: Path, run_cli) -> None:
    code, out, err = run_cli(project, "check")
    assert code == 0, err
    assert not (project / "output").exists(), "check must not write"
    write_case(project, "linker", "title: 链接\nprovince: 河南省\npractices: [养老服务]",
               "[不存在](/cases/nope/) 和 [锚点](/cases/linker/#missing)\n")
    code, _, err = run_cli(project, "check")
    assert code == 1
    assert "content/linker.md:7: broken link '/cases/nope/'" in err  # at the Markdown line (tests/test_link_integrity.py)
    assert "content/linker.md:7: link '/cases/linker/#missing': no heading or element with id 'missing'" in err


def test_a_failed_first_build_leaves_no_output_folder(tmp_path: Path, run_cli) -> None:
    """With no output/ yet, worker processes write pages into a staging folder; a template
    error on one page removes it all, and nothing is published."""
    import shutil
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import gen_corpus
    gen_corpus.generate(tmp_path / "content", 80)  # enough pages for worker processes
    for name in ("data", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "site.yaml").write_text((ROOT / "site.yaml").read_text("utf-8"), "utf-8")
    case = tmp_path / "themes/default/templates/case.html"
    case.write_text(case.read_text("utf-8").replace("{% block main %}", "{% block main %}{{ nope.attr }}", 1))
    code, _, err = run_cli(tmp_path, "build")
    assert code == 1 and "case.html" in err and "'nope' is undefined" in err, err
    assert not (tmp_path / "output").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".casebook-staging")]
