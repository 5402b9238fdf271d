"""Accessibility (axe-core), HTML validity (vnu), page-weight budgets and CSP-readiness of the output."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .support import (
    AXE_JS,
    AXE_PAGES,
    ROOT,
    SUBPATH,
    VNU_JAR,
    new_context,
    require,
    settle,
)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The one inline script (no-flash colour scheme, in base.html). A Content-Security-Policy
# must allow exactly this hash: script-src 'self' 'sha256-…'.
NO_FLASH_SHA256 = "sha256-LxrgcWFPO+5/egsE4l/mWrDdCxVlNpxlAYtBZlluyL0="
CASE_BUDGET = 60_000  # HTML + CSS + JS of an article page, uncompressed (60 KB, read strictly)


# ---------- axe-core ----------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_zero_violations(browser, base_url, scheme, pick):
    require(AXE_JS.is_file(), f"{AXE_JS} missing (npm ci)")
    ctx = new_context(browser, base_url, scheme=scheme)
    page = ctx.new_page()
    paths = [pick["pages"][n] for n in AXE_PAGES]
    paths += [f"cases/?province={pick['province']}&practice={pick['practice']}", "search/?q=养老", "provinces/",
              pick["pages"]["case-multi"]]
    found = {}
    for path in paths:
        page.goto(path)
        settle(page)
        for d in page.query_selector_all("details"):
            d.evaluate("d => d.open = true")
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}" for v in result["violations"]]
        if bad:
            found[path] = bad
    assert not ctx.visits.foreign
    ctx.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


# ---------- W3C Nu HTML Checker ----------

def test_vnu_zero_errors(site_dir):
    java = shutil.which("java")
    require(java is not None, "java not found (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), f"{VNU_JAR} missing (npm ci)")
    # vnu parses every file of a folder as HTML (CSS and JS included) unless told to skip
    # non-HTML names; CSS and SVG are then checked by their own checkers.
    cmd = [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--also-check-css", "--also-check-svg",
           "--format", "json", "--stdout", str(site_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(proc.stdout or "{}").get("messages", [])
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors[:30])
    assert proc.returncode == 0, proc.stderr[-2000:]


# ---------- budgets ----------

class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_head = True
        self.blocking_css: list[str] = []
        self.blocking_js: list[str] = []
        self.inline_scripts: list[str] = []
        self.style_attrs: list[str] = []
        self.handlers: list[str] = []
        self.style_elements = 0
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a:
            self.style_attrs.append(tag)
        self.handlers += [f"{tag}[{k}]" for k in a if k.startswith("on")]
        if tag == "style":
            self.style_elements += 1
        if tag == "body":
            self.in_head = False
        media = a.get("media") or "all"
        if (tag == "link" and "stylesheet" in (a.get("rel") or "").split() and self.in_head
                and (media == "all" or "screen" in media)):
            self.blocking_css.append(a.get("href") or "")
        if tag == "script":
            self._script = a
            self._text = []
            if a.get("src") and self.in_head and not ({"defer", "async"} & a.keys()) and a.get("type") != "module":
                self.blocking_js.append(a["src"])

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if not self._script.get("src") and self._script.get("type", "text/javascript") in ("", "text/javascript", "module"):
                self.inline_scripts.append("".join(self._text))
            self._script = None


def _parse(path: Path) -> _Head:
    p = _Head()
    p.feed(path.read_text("utf-8"))
    return p


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_csp_ready_markup(site_dir):
    """No style attributes, no inline handlers, no <style>; the only inline script has the known hash."""
    problems = {}
    for html in sorted(site_dir.rglob("*.html")):
        p = _parse(html)
        issues = []
        if p.style_attrs:
            issues.append(f"style attributes on {p.style_attrs}")
        if p.handlers:
            issues.append(f"event handler attributes {p.handlers}")
        if p.style_elements:
            issues.append("<style> elements")
        hashes = {_sha(s) for s in p.inline_scripts}
        if hashes - {NO_FLASH_SHA256}:
            issues.append(f"unexpected inline scripts {hashes - {NO_FLASH_SHA256}}")
        if issues:
            problems[str(html.relative_to(site_dir))] = issues
    assert not problems, problems


def test_one_render_blocking_request(site_dir):
    for html in sorted(site_dir.rglob("*.html")):
        p = _parse(html)
        assert len(p.blocking_css) == 1 and not p.blocking_js, (html, p.blocking_css, p.blocking_js)


def test_case_page_weight_and_origins(browser, base_url, site_dir, pick):
    """Every article page: its HTML + every CSS and JS file it references ≤ 60 KB (as if nothing
    were cached), and loading the heaviest one in the browser requests nothing from other origins."""
    refs = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"')
    sizes = {}
    for html in sorted((site_dir / "cases").glob("*/index.html")):
        text = html.read_text("utf-8")
        total = len(text.encode())
        for url in refs.findall(text):
            rel = url.split(f"/{SUBPATH}/", 1)[1]
            total += (site_dir / rel).stat().st_size
        sizes[html.parent.name] = total
    print("case page bytes (HTML + CSS + JS):", sizes)
    over = {k: v for k, v in sizes.items() if v > CASE_BUDGET}
    assert not over, over

    ctx = new_context(browser, base_url)
    page = ctx.new_page()
    loaded: dict[str, int] = {}
    page.on("response", lambda r: r.request.resource_type in ("document", "stylesheet", "script")
            and loaded.__setitem__(r.url, len(r.body())))
    page.goto(f"cases/{pick['largest']}/")
    settle(page)
    assert sum(loaded.values()) == sizes[pick["largest"]], loaded
    assert not ctx.visits.foreign, ctx.visits.foreign
    ctx.close()


def test_no_foreign_urls_in_assets(site_dir):
    """Nothing in pages, CSS or theme JS points at another origin to be fetched (links to sources are fine)."""
    fetchers = re.compile(r"""<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)=["']https?://""", re.IGNORECASE)
    for html in site_dir.rglob("*.html"):
        bad = [m.group(0) for m in fetchers.finditer(html.read_text("utf-8"))
               if 'rel="canonical"' not in m.group(0) and 'rel="alternate"' not in m.group(0)]
        assert not bad, (html, bad)
    for asset in (site_dir / "assets").iterdir():
        if asset.suffix in (".css", ".js"):
            assert not re.search(r"url\(\s*['\"]?https?:|import\s*\(?\s*['\"]https?:|fetch\(\s*['\"]https?:", asset.read_text("utf-8")), asset


def test_compact_theme_still_builds(tmp_path):
    from casebook.config import load_config
    from casebook.pipeline import build

    out = tmp_path / "compact"
    build(load_config(ROOT / "site.yaml", {"output_dir": str(out), "theme": "compact", "search": False}))
    html = next((out / "cases").glob("*/index.html")).read_text("utf-8")
    assert "compact." in html and "figures" in html
