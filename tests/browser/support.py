"""Shared pieces of the browser suite (paths, launch flags, page list, contexts)."""

from __future__ import annotations

from pathlib import Path

from ..chromium import require  # noqa: F401  (the browser tests import it from here)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SUBPATH = "showcase"
PUBLIC_BASE = f"https://cases.example.org/{SUBPATH}/"  # canonical/OG host: never requested
MOBILE = {"width": 390, "height": 844}
PIXEL_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36")


class Visits:
    """Every request a context made, to assert that nothing left 127.0.0.1."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign: list[str] = []
        self.failed: list[str] = []

    def on_request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.origin):
            self.foreign.append(url)



def new_context(browser, base_url: str, *, width: int = 390, height: int = 844, scheme: str = "light",
                js: bool = True, bypass_csp: bool = True, **extra):
    """A mobile context. Pages carry a Content-Security-Policy that (rightly) forbids eval,
    which Playwright's string predicates need; tests that check the policy itself pass
    ``bypass_csp=False``."""
    origin = base_url.split(f"/{SUBPATH}/")[0] + "/"
    ctx = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=2, is_mobile=True, has_touch=True,
        user_agent=PIXEL_UA, locale="zh-CN", color_scheme=scheme, java_script_enabled=js,
        base_url=base_url, bypass_csp=bypass_csp, **extra)
    visits = Visits(origin)
    ctx.on("request", visits.on_request)
    ctx.visits = visits  # type: ignore[attr-defined]
    return ctx



def settle(page) -> None:
    """Loaded, fonts ready, and the facet script done (it swaps links for buttons)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    if page.locator("#facets").count() and page.evaluate("document.documentElement.classList.contains('js')"):
        page.wait_for_selector("#facets.is-ready")
    if "?q=" in page.url:
        page.wait_for_selector("#results li, #search-status:has-text('没有')")


AXE_PAGES = ["home", "case", "province", "practice", "city", "year", "years", "cases", "search"]


def sample_case(slug: str) -> tuple[dict, str]:
    """Front matter and Markdown body of the sample case with this slug."""
    import yaml

    for path in sorted((ROOT / "content").glob("*.md")):
        _, head, body = path.read_text("utf-8").split("---", 2)
        meta = yaml.safe_load(head) or {}
        if (meta.get("slug") or path.stem) == slug:
            return meta, body
    raise KeyError(slug)


def sample(site_dir: Path) -> dict:
    """Pages and facet values picked from the built sample site, so the suite survives new content.

    ``case``: a case without sub-cases (with key figures if any has them); ``case-multi``: the one
    with the most sub-cases; ``largest``: the heaviest case page; ``province``: the province with
    the most cases; ``practice``: a practice shared by some but ideally not all of its cases;
    ``sub_practice``: a practice page listing a sub-case entry; ``city``: the first city page of
    that province; ``year``: the newest year's page.
    """
    import json
    from collections import Counter

    rows = json.loads((site_dir / "cases.json").read_text("utf-8"))
    pages = {}
    for row in rows:
        slug = row["url"].rstrip("/").rsplit("/", 1)[-1]
        pages[slug] = (site_dir / "cases" / slug / "index.html").read_text("utf-8")
    simple = [s for s, h in sorted(pages.items()) if 'class="toc"' not in h]
    simple.sort(key=lambda s: 'class="figures"' not in pages[s])
    multi = max(sorted(pages), key=lambda s: pages[s].count('class="toc-name"'))
    largest = max(sorted(pages), key=lambda s: len(pages[s].encode()))
    province = Counter(p for r in rows for p in r["province"]).most_common(1)[0][0]
    mine = [r for r in rows if province in r["province"]]
    shared = Counter(q for r in mine for q in r["practice"])
    practice = min(shared, key=lambda q: (shared[q] == len(mine), -shared[q], q))
    sub_practice = next((d.name for d in sorted((site_dir / "practices").iterdir())
                         if (d / "index.html").is_file() and "card-sub" in (d / "index.html").read_text("utf-8")), None)
    case = simple[0] if simple else min(pages)
    city = min(d.name for d in (site_dir / "provinces" / province).iterdir() if (d / "index.html").is_file())
    year = max(d.name for d in (site_dir / "years").iterdir() if d.is_dir())
    return {
        "rows": rows, "case": case, "case-multi": multi, "largest": largest,
        "province": province, "practice": practice, "sub_practice": sub_practice,
        "pages": {
            "home": "",
            "cases": "cases/",
            "case": f"cases/{case}/",
            "case-multi": f"cases/{multi}/",
            "province": f"provinces/{province}/",
            "practice": f"practices/{practice}/",
            "city": f"provinces/{province}/{city}/",
            "year": f"years/{year}/",
            "years": "years/",
            "provinces": "provinces/",
            "practices": "practices/",
            "search": "search/",
            "404": "404.html",
        },
    }
