"""Attacks beyond script payloads (issue 14, items 9, 11, 12, 15): control characters that
break feeds, scripts a theme lets through with ``|safe``, URLs a browser reads differently
from a naive check, body ids that take over the theme's elements, and a ``base_url`` that
writes lines of its own into ``robots.txt``."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.parsers import expat

import pytest
import yaml

from casebook.config import Config, load_config
from casebook.csp import script_hash, theme_script_hashes
from casebook.errors import CasebookError
from casebook.feeds import robots
from casebook.markup import MarkdownRenderer, browser_url
from casebook.pipeline import build

from ..conftest import ROOT

CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f\ud800\ufffe\uffff"  # \x7f is allowed in XML 1.0


def _case(slug: str, title: str, body: str, **extra: object) -> str:
    meta = {"title": title, "slug": slug, "province": "河南省", "city": "郑州市",
            "practices": ["养老服务"], "date": "2024-05-01", **extra}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def _site(root: Path, cases: dict[str, str], theme: str = "default", themes_dir: Path | None = None) -> Path:
    content = root / "content"
    content.mkdir(parents=True)
    for name, text in cases.items():
        (content / f"{name}.md").write_text(text, "utf-8", errors="surrogatepass")
    (root / "site.yaml").write_text(
        f"title: 测试\nbase_url: https://example.org/sub/\npractices_file: {ROOT / 'data/practices.yaml'}\n"
        f"themes_dir: {themes_dir or ROOT / 'themes'}\ntheme: {theme}\nsearch: false\n", "utf-8")
    build(load_config(root / "site.yaml"))
    return root / "output"


# -- item 9: characters XML forbids ----------------------------------------------------------------

def test_control_characters_leave_every_feed_well_formed(tmp_path: Path) -> None:
    controls = CONTROLS.replace("\x00", "").replace("\ud800", "")  # not storable in a UTF-8 file
    out = _site(tmp_path, {
        "a": _case("ctl-a", f"标题{controls}结束", f"正文{controls}。\n\n- 列表{controls}\n",
                   summary=f"摘要{controls}", authors=[f"作者{controls}"], source=f"来源{controls}"),
    })
    feeds = [out / "feed.xml", *out.glob("provinces/*/feed.xml"), *out.glob("practices/*/feed.xml")]
    assert len(feeds) >= 3
    for feed in feeds + [out / "sitemap.xml"]:
        parser = expat.ParserCreate()
        parser.Parse(feed.read_bytes(), True)  # raises ExpatError on an invalid character
    text = (out / "feed.xml").read_text("utf-8")
    assert "<title>标题\x7f结束</title>" in text and "摘要\x7f" in text and "正文\x7f" in text


def test_atom_feed_strips_every_character_xml_forbids() -> None:
    from casebook.feeds import _NOT_XML_RE
    assert _NOT_XML_RE.sub("", CONTROLS) == "\x7f"
    assert _NOT_XML_RE.sub("", "\t\n\r 中文\U0001f600\ud7ff\ue000\ufffd") == "\t\n\r 中文\U0001f600\ud7ff\ue000\ufffd"


# -- item 11: the CSP allows the theme's own scripts only -----------------------------------------

def test_csp_does_not_allow_a_script_a_theme_prints_with_safe(tmp_path: Path) -> None:
    themes = tmp_path / "themes"
    shutil.copytree(ROOT / "themes/default", themes / "default")
    (themes / "leaky/templates").mkdir(parents=True)
    (themes / "leaky/theme.yaml").write_text("extends: default\n", "utf-8")
    (themes / "leaky/templates/case.html").write_text(
        '{% extends "default/case.html" %}{% block meta %}{{ super() }}{{ article.summary | safe }}{% endblock %}\n',
        "utf-8")
    payload = "alert(document.domain)"
    out = _site(tmp_path / "site", {"a": _case("leak", "标题", "正文。\n", summary=f"<script>{payload}</script>")},
                theme="leaky", themes_dir=themes)
    html = (out / "cases/leak/index.html").read_text("utf-8")
    assert f"<script>{payload}</script>" in html  # the theme did print it
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)[1]
    assert script_hash(payload) not in csp
    theme_script = re.search(r"<script>(try\{.*?)</script>", html)[1]
    assert script_hash(theme_script) in csp  # the theme's own snippet still runs


def test_theme_scripts_are_hashed_from_the_templates_when_the_theme_loads() -> None:
    hashes = theme_script_hashes([("base.html", "<head>\r\n<script>a()\r\n</script><script src=x></script>"
                                                "<script type=\"application/ld+json\">{}</script>")])
    assert hashes == {script_hash("a()\n")}  # as Jinja renders it: CRLF becomes LF
    with pytest.raises(CasebookError) as err:
        theme_script_hashes([("t/base.html", "<head>\n\n<script>var u = '{{ url }}';</script>")])
    assert str(err.value).startswith("t/base.html:3: an inline <script> contains template code")


# -- item 12: URLs as browsers read them, and the theme's ids ---------------------------------------

@pytest.mark.parametrize("src", [
    "/\\evil.example/x.png", "\\\\evil.example/x.png", " //evil.example/x.png", "/&#9;/evil.example/x.png",
    "/&#10;/evil.example/x.png", "&#1;//evil.example/x.png", "\\/evil.example/x.png", "https:\\\\evil.example/x.png",
    "https:evil.example/x.png", "/\\/\\evil.example/x.png",
])
def test_an_image_a_browser_would_load_from_another_host_loses_its_src(src: str) -> None:
    html = MarkdownRenderer("/sub/").sanitize(f'<img src="{src}" alt="图">')
    assert html == '<img alt="图">'


@pytest.mark.parametrize(("href", "expected"), [
    ("/\\evil.example/", "//evil.example/"),
    ("\\\\evil.example/", "//evil.example/"),
    (" /cases/x/", "/sub/cases/x/"),
    ("/ca&#9;ses/x/", "/sub/cases/x/"),
    ("/cases/a\\b/", "/sub/cases/a/b/"),
    ("#fn:1", "#fn:1"),
    ("mailto:a\\b@example.org", "mailto:a\\b@example.org"),
])
def test_links_are_written_as_browsers_read_them(href: str, expected: str) -> None:
    html = MarkdownRenderer("/sub/").sanitize(f'<a href="{href}">x</a>')
    assert f'href="{expected}"' in html


def test_local_images_still_follow_the_base_path() -> None:
    md = MarkdownRenderer("/sub/")
    assert md.sanitize('<img src="/media/x.png">') == '<img src="/sub/media/x.png">'
    assert md.sanitize('<img src="media/x.png">') == '<img src="media/x.png">'
    assert browser_url(" \t/a\\b\n") == "/a/b"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[tuple[str, str]] = []  # (id, tag) in document order

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [(v or "", tag) for k, v in attrs if k == "id"]


def test_a_body_cannot_take_the_theme_element_ids(tmp_path: Path) -> None:
    body = ('<p id="copy-link">点这里</p>\n\n<span id="theme-toggle">x</span>\n\n'
            "## Related\n\n见[下文](#related)与[按钮](#copy-link)。\n\n## 小节 {#main}\n\n正文。\n")
    out = _site(tmp_path, {"a": _case("ids", "标题", body)})
    html = (out / "cases/ids/index.html").read_text("utf-8")
    parser = _Ids()
    parser.feed(html)
    first = {}
    for id_, tag in parser.ids:
        first.setdefault(id_, tag)
    assert first["copy-link"] == "button" and first["theme-toggle"] == "button" and first["main"] == "main"
    ids = [i for i, _ in parser.ids]
    assert ids.count("copy-link") == ids.count("main") == 1 and ids.count("related") <= 1  # no related cases here
    assert ids.count("theme-toggle") == 1
    assert 'id="copy-link_1"' in html and 'href="#copy-link_1"' in html
    assert '<h2 id="related_1">Related</h2>' in html and 'href="#related_1"' in html
    assert '<h2 id="main_1">小节</h2>' in html


def test_a_sub_case_anchor_may_not_be_a_theme_id(tmp_path: Path) -> None:
    case = _case("sub", "标题", "## 下文 {#related}\n\n正文。\n",
                 cases=[{"name": "子案例", "province": "四川省", "anchor": "related", "practices": ["志愿服务"]}])
    with pytest.raises(CasebookError, match="anchor 'related' is the id of an element of the theme"):
        _site(tmp_path, {"a": case})


# -- item 15: base_url cannot write lines into robots.txt ------------------------------------------

@pytest.mark.parametrize("url", ["https://example.org/\nDisallow: /", "https://example.org/\rX: y",
                                 "https://example.org/a b/", "https://example.org/\u2028x/", "https://ex\x00.org/"])
def test_base_url_with_a_line_break_or_space_is_refused_at_its_line(tmp_path: Path, url: str) -> None:
    (tmp_path / "site.yaml").write_text("title: 测试\n" + yaml.safe_dump({"base_url": url}), "utf-8")
    with pytest.raises(CasebookError) as err:
        load_config(tmp_path / "site.yaml")
    assert f"{tmp_path / 'site.yaml'}:2: base_url" in str(err.value)
    assert "line breaks or control characters" in str(err.value)
    with pytest.raises(CasebookError, match="command line: base_url"):
        load_config(tmp_path / "none.yaml", {"base_url": url})


def test_robots_refuses_a_base_url_that_would_add_lines(tmp_path: Path) -> None:
    with pytest.raises(CasebookError, match="line break"):
        robots(Config(root=tmp_path, base_url="https://example.org/\nDisallow: /\n"))
    assert robots(Config(root=tmp_path, base_url="https://example.org/站点/")).decode() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/站点/sitemap.xml\n")
