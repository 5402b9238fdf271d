"""Link integrity at scale: ``build.py check --built`` crawls a built 500-case site
(every province, every practice, sub-cases, pagination, feeds) and finds nothing."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from .conftest import ROOT, tree


def _gen_corpus():
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "bench/gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_generated_500_case_site_has_no_broken_links(tmp_path: Path, run_cli) -> None:
    for name in ("data", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "site.yaml").write_text("title: 千例\nbase_url: https://user.github.io/showcase/\nsearch: false\n",
                                        "utf-8")
    files = _gen_corpus().generate(tmp_path / "content", 500)  # every province has a second list page
    assert len(files) == 500
    code, out, err = run_cli(tmp_path, "build")
    assert code == 0, err
    pages = list((tmp_path / "output").rglob("*.html"))
    assert len(pages) > 500 + 34 + 14
    assert (tmp_path / "output/provinces/xizang/page/2/index.html").exists()
    code, out, err = run_cli(tmp_path, "check", "--built")
    assert code == 0, err
    assert "0 problems" in out


# -- broken links in case bodies: reported by build (warnings; --strict: errors) and check,
#    at the line of the Markdown file where the link is written ------------------------------

SONGMING = "content/yunnan-songming-ca1063.md"
YUXI = "content/yunnan-yuxi-99641f.md"
BROKEN = {  # link as written -> what the message must say
    "/cases/yunnan-songming-ca106/": "no case has the slug 'yunnan-songming-ca106' (did you mean 'yunnan-songming-ca1063'?)",
    "../no-such-case/": "no case has the slug 'no-such-case'",
    "/provinces/atlantis/": "the site has no page provinces/atlantis/",
    "#no-such-heading": "no heading or element with id 'no-such-heading' on this page",
    "/cases/yunnan-songming-ca1063/#lanmoa": f"no heading or element with id 'lanmoa' in {SONGMING} (did you mean 'lanmao'?)",
    "../yunnan-songming-ca1063/#nowhere": f"no heading or element with id 'nowhere' in {SONGMING}",
}
GOOD = ["/cases/yunnan-songming-ca1063/", "../yunnan-songming-ca1063/#longquan", "#hongta-gaocang",
        "/cases/yunnan-songming-ca1063/#songyang", "/provinces/", "https://example.org/cases/nope/", "mailto:a@b.cn"]


def _add_links(project: Path, links: list[str]) -> dict[str, int]:
    """Append one paragraph per link to the yuxi case; return each link's line."""
    path = project / YUXI
    text = path.read_text("utf-8").rstrip("\n") + "\n"
    lines: dict[str, int] = {}
    for i, link in enumerate(links):
        text += f"\n第{i}段见[这里]({link})。\n"
        lines[link] = text.count("\n")
    path.write_text(text, "utf-8")
    return lines


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line]


def test_build_warns_of_each_broken_body_link_at_its_markdown_line(project: Path, run_cli) -> None:
    lines = _add_links(project, list(BROKEN) + GOOD)
    code, out, err = run_cli(project, "build")
    assert code == 0, err
    expected = sorted(f"{YUXI}:{lines[link]}: warning: {'broken link' if 'slug' in msg or 'no page' in msg else 'link'} "
                      f"{link!r}: {msg}" for link, msg in BROKEN.items())
    assert sorted(_warnings(err)) == expected
    assert f"warning: {len(BROKEN)} broken links in case bodies (build --strict makes them errors)" in err
    assert (project / "output/cases/yunnan-yuxi-99641f/index.html").exists()
    # Nothing changed: the next build says it again (from the cache).
    code, out, err = run_cli(project, "build")
    assert code == 0 and sorted(_warnings(err)) == expected and "0 files written" in out


def test_strict_makes_broken_links_errors_and_writes_nothing(project: Path, run_cli) -> None:
    code, _, err = run_cli(project, "build")
    assert code == 0, err
    before = tree(project / "output")
    lines = _add_links(project, ["/cases/gone/"])
    code, _, err = run_cli(project, "build", "--strict")
    assert code == 1
    assert f"{YUXI}:{lines['/cases/gone/']}: broken link '/cases/gone/': no case has the slug 'gone'" in err
    assert "nothing was written" in err and tree(project / "output") == before
    # strict: true in site.yaml does the same (for CI); a non-strict build then writes it, and a
    # strict build of the unchanged site still fails.
    code, _, err = run_cli(project, "build", "--no-cache", "--strict")
    assert code == 1 and tree(project / "output") == before
    code, _, _ = run_cli(project, "build")
    assert code == 0
    with (project / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("strict: true\n")
    code, _, err = run_cli(project, "build")
    assert code == 1 and "broken link '/cases/gone/'" in err


def test_a_deleted_case_breaks_links_in_unchanged_files(project: Path, run_cli) -> None:
    lines = _add_links(project, ["/cases/yunnan-songming-ca1063/#lanmao"])
    code, _, err = run_cli(project, "build")
    assert code == 0 and _warnings(err) == []
    (project / SONGMING).unlink()  # the yuxi file is unchanged: its body comes from the cache
    code, _, err = run_cli(project, "build")
    assert code == 0
    assert _warnings(err) == [f"{YUXI}:{lines['/cases/yunnan-songming-ca1063/#lanmao']}: warning: broken link "
                              "'/cases/yunnan-songming-ca1063/#lanmao': no case has the slug 'yunnan-songming-ca1063'"]


def test_links_under_a_sub_path_are_found_at_their_line(project: Path, run_cli) -> None:
    lines = _add_links(project, ["/cases/nope/", "/cases/yunnan-songming-ca1063/"])
    code, _, err = run_cli(project, "build", "--base-url", "https://user.github.io/showcase/")
    assert code == 0
    assert _warnings(err) == [f"{YUXI}:{lines['/cases/nope/']}: warning: broken link '/showcase/cases/nope/': "
                              "no case has the slug 'nope'"]


def test_check_names_the_markdown_line_not_the_output_file(project: Path, run_cli) -> None:
    lines = _add_links(project, ["/cases/nope/", "#missing"])
    code, out, err = run_cli(project, "check")
    assert code == 1 and "2 problems" in out
    assert err.splitlines() == [
        f"{YUXI}:{lines['/cases/nope/']}: broken link '/cases/nope/': no case has the slug 'nope'",
        f"{YUXI}:{lines['#missing']}: link '#missing': no heading or element with id 'missing' on this page"]


def test_localhost_base_url_is_a_warning_at_build_time(project: Path, run_cli) -> None:
    code, _, err = run_cli(project, "build")
    assert code == 0
    assert err.count("warning: base_url is http://localhost:8000/") == 1
    assert f"set base_url in {project / 'site.yaml'}" in err and "feeds, the sitemap and canonical links" in err
    code, _, err = run_cli(project, "build", "--base-url", "http://127.0.0.1:9000/x/")
    assert "warning: base_url is http://127.0.0.1:9000/x/" in err and "set --base-url" in err
    code, _, err = run_cli(project, "build", "--base-url", "https://user.github.io/showcase/")
    assert code == 0 and "base_url" not in err


def test_scan_reads_ids_and_targets_of_sanitised_html() -> None:
    from casebook.links import scan
    got = scan('<h2 id="a">x</h2><p title="a > b" id="b&amp;c">t id="fake" <a href="/x?a=1&amp;b=2">l</a>'
               '<img src="/i.png" alt=""></p>')
    assert got.ids == {"a", "b&c"} and got.targets == ("/x?a=1&b=2", "/i.png")
