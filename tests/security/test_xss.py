"""No script injection: a site built from a payload corpus is opened page by page in
headless Chromium; any dialog, console error or request to another origin fails it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from casebook.config import load_config
from casebook.pipeline import build
from casebook.themes import resolve

from ..chromium import MOBILE, serve
from ..conftest import ROOT

PAYLOADS = [p for p in (ROOT / "tests/data/xss_payloads.txt").read_text("utf-8").splitlines() if p]
THEME_IDS = resolve(ROOT / "themes", "default").element_ids()


def _as_browsers_read(url: str) -> str:
    """A URL as the WHATWG parser reads it: trimmed of C0 controls and spaces, without tabs
    and newlines, ``\\`` as ``/`` (written here independently of ``casebook.markup``)."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).replace("\\", "/")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element and its attributes as a browser's tokenizer sees them (text is not markup)."""
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _payload_case(i: int, payload: str) -> str:
    meta = {
        "title": f"案例{i} {payload}", "slug": f"xss-{i:03d}", "province": "河南省",
        "practices": ["养老服务"], "city": payload, "county": payload, "place": payload,
        "source": payload, "source_url": "https://example.org/?q=" + payload.replace(" ", "%20"),
        "authors": [payload], "summary": payload, "tags": [payload],
        "figures": [{"value": payload, "label": payload}],
        "cases": [{"name": payload, "province": "四川省", "anchor": "sub", "practices": ["志愿服务"]}],
    }
    body = (f"## 小节 {{#sub}}\n\n{payload}\n\n[链接]({payload})\n\n<div>{payload}</div>\n\n"
            f"![{payload}](https://example.org/x.png)\n\n![图](/{payload})\n\n> {payload}\n\n`{payload}`\n")
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    content = root / "content"
    content.mkdir()
    for i, payload in enumerate(PAYLOADS):
        (content / f"xss-{i:03d}.md").write_text(_payload_case(i, payload), "utf-8")
    (content / "x<img src=x onerror=alert(1)>.md").write_text(
        _payload_case(999, "<script>alert('file')</script>").replace("xss-999", "xss-file-name"), "utf-8")
    site_yaml = root / "site.yaml"
    site_yaml.write_text(f"title: '<script>alert(\"site\")</script>'\npractices_file: {ROOT / 'data/practices.yaml'}\n"
                         f"themes_dir: {ROOT / 'themes'}\nsearch: false\n", "utf-8")
    build(load_config(site_yaml))
    return root / "output"


def test_corpus_is_big_enough() -> None:
    assert len(PAYLOADS) >= 60


def test_no_payload_reaches_a_page_as_markup(payload_site: Path) -> None:
    pages = sorted(payload_site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS)
    theme_scripts: set[str] = set()
    for page in pages:
        html = page.read_text("utf-8")
        assert not re.search(r"<(iframe|object|embed|frame|frameset|base|math|style|meta http-equiv=\"refresh)\b",
                             html, re.I), page
        prose = re.search(r'<div class="prose">(.*?)</div>\s*(?:<p class="tags-line"|<aside)', html, re.S)
        assert prose or "/cases/xss-" not in page.as_posix(), f"no article body found in {page}"
        if prose:  # what the Markdown body became: no active or form markup at all
            assert not re.search(r"<(svg|form|input|button|script|template|noscript|video|audio)\b", prose[1], re.I), page
        for tag, attrs in _start_tags(html):
            for name, value in attrs:
                assert not name.startswith("on"), (page, tag, name)
                if name in ("href", "src", "action", "formaction", "srcset"):
                    assert not re.match(r"\s*(javascript|vbscript|data):", value or "", re.I), (page, tag, value)
                if tag == "img" and name == "src":
                    assert not re.match(r"(https?:)?//", _as_browsers_read(value or "")), (page, "off-site image", value)
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
            if "src=" in attrs:
                assert re.search(r'src="/', attrs), (page, attrs)
            elif "application/ld+json" not in attrs:
                theme_scripts.add(body)
        assert 'http-equiv="Content-Security-Policy"' in html, page
        ids = [value for _, attrs in _start_tags(html) for name, value in attrs if name == "id"]
        assert not [i for i in THEME_IDS if ids.count(i) > 1], (page, "a theme id taken by the body")
    assert len(theme_scripts) <= 1, "inline scripts must be the theme's own, identical on every page"
    assert not any("alert" in body for body in theme_scripts)


def test_every_page_runs_clean_in_chromium(payload_site: Path, browser) -> None:
    problems: list[str] = []
    pages = sorted(p.relative_to(payload_site).as_posix() for p in payload_site.rglob("*.html"))
    with serve(payload_site) as base:
        origin = urlsplit(base).netloc
        context = browser.new_context(**MOBILE)
        page = context.new_page()
        page.on("dialog", lambda d: (problems.append(f"dialog {d.message!r} on {page.url}"), d.dismiss()))
        # A payload's <img src=x> is a same-origin 404, not an injection; anything else
        # on the console (a CSP violation above all) means markup reached the page.
        page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
                and problems.append(f"console error {m.text!r} on {page.url}"))
        page.on("pageerror", lambda e: problems.append(f"page error {e} on {page.url}"))
        page.on("request", lambda r: urlsplit(r.url).netloc not in (origin, "")
                and not r.url.startswith(("data:", "blob:"))
                and problems.append(f"request to {r.url} from {page.url}"))
        for rel in pages:
            page.goto(base + rel, wait_until="load")
            if rel.startswith("cases/xss-"):  # the theme's button, not a body element with its id
                assert page.evaluate("document.getElementById('copy-link').tagName") == "BUTTON", rel
            # One round trip for the page's URLs (one per element took most of the test's time).
            urls = page.evaluate("""[...document.querySelectorAll('a[href], img[src], iframe, object, embed')]
                .map(e => (e.getAttribute('href') || e.getAttribute('src') || '').trim().toLowerCase())""")
            problems.extend(f"dangerous URL {url[:40]!r} on {rel}" for url in urls
                            if url.startswith(("javascript:", "vbscript:", "data:text")))
        context.close()
    assert problems == []
