#!/usr/bin/env python3
"""Search designs measured on the same corpus and queries (issue 15; results in bench/SEARCH.md).

    python bench/search_bench.py corpus DIR N          # generate N cases, build them (search off) into DIR/site
    python bench/search_bench.py oracle DIR            # expected cases per query: DIR/expected.json
    python bench/search_bench.py cold DESIGN DIR       # index from scratch: seconds and peak RSS
    python bench/search_bench.py incremental DESIGN DIR  # one case edited, added, deleted
    python bench/search_bench.py browser DESIGN DIR    # recall@10, first-search bytes and requests, time
    python bench/search_bench.py scale N DIR           # bigram index of N generated pages handed over directly

DESIGN is ``bigram`` (casebook.searchindex), ``pagefind`` (today: one index of the whole
site) or ``bundles-K`` (Pagefind on bundles of K cases, indexed two at a time, merged in the
browser with ``mergeIndex``). DIR must be under /dev/shm. ``DIR = sample`` uses content/.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from casebook import searchindex  # noqa: E402 - after the path set-up above

CODE = Path(os.environ.get("BENCH_CODE") or ROOT)  # the casebook that builds the corpus (e.g. a `git archive` copy)
SUBPATH = "site"  # the site is served under /site/: base_url has a path
JOBS = 2


def queries(corpus: str) -> list[dict]:
    data = yaml.safe_load((ROOT / "bench/search_queries.yaml").read_text("utf-8"))
    return data["sample" if corpus == "sample" else "generated"]


def peak_mb() -> float:
    """The largest resident set of this process or any finished child (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


# ---------- corpus ----------

def corpus(d: Path, n: int) -> None:
    content = ROOT / "content" if n == 0 else d / "content"
    if n:
        from gen_corpus import generate
        generate(content, n)
    site_yaml = (CODE / "site.yaml").read_text("utf-8")
    site_yaml = site_yaml.replace("search: true", "search: false").replace("content_dir: content", f"content_dir: {content}")
    site_yaml = site_yaml.replace("practices_file: data/practices.yaml", f"practices_file: {ROOT / 'data/practices.yaml'}")
    site_yaml = site_yaml.replace("base_url: http://localhost:8000/", f"base_url: http://127.0.0.1/{SUBPATH}/")
    site_yaml = site_yaml.replace("output_dir: output", f"output_dir: {d / SUBPATH}")
    (d / "site.yaml").write_text(site_yaml + f"themes_dir: {CODE / 'themes'}\n", "utf-8")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(CODE / "build.py"), "--config", str(d / "site.yaml"), "-q", "build"], check=True)
    print(json.dumps({"cases": len(list((d / SUBPATH / "cases").glob("*/index.html"))),
                      "build_s": round(time.perf_counter() - t0, 2)}))


def oracle(d: Path) -> None:
    """Exhaustive exact-phrase scan: every run of the folded query occurs in the case's text."""
    site = d / SUBPATH
    pages = [searchindex.read_html(site / url / "index.html", url) for url in sorted(searchindex.site_pages(site))]
    texts = {p.url: searchindex.fold("\n".join((p.title, p.place, "、".join(p.terms), p.text))) for p in pages}
    out = {}
    for item in queries("sample" if d.name == "sample" else "generated"):
        runs = searchindex._RUN.findall(searchindex.fold(item["q"]))
        out[item["q"]] = sorted(u for u, t in texts.items() if all(r in t for r in runs))
    (d / "expected.json").write_text(json.dumps(out, ensure_ascii=False, indent=0), "utf-8")
    print(json.dumps({q: len(v) for q, v in out.items()}, ensure_ascii=False))


# ---------- designs: indexing ----------

def cold(design: str, d: Path) -> dict:
    site = d / SUBPATH
    mine = {"bigram": [site / searchindex.FOLDER], "pagefind": [site / "pagefind"]}
    for old in mine.get(design, [*site.glob("pagefind-b*"), d / "bundles"]):
        shutil.rmtree(old, ignore_errors=True)
    t0 = time.perf_counter()
    if design == "bigram":
        state = searchindex.index_site(site, None, jobs=JOBS)
        (d / "bigram-state.pkl").write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    elif design == "pagefind":
        _pagefind(site, site / "pagefind")
    else:
        _bundles(d, int(design.split("-")[1]), None)
    took = time.perf_counter() - t0
    return {"design": design, "cold_s": round(took, 2), "peak_mb": peak_mb(), "index_mb": round(_size(design, site) / 1e6, 1)}


def _size(design: str, site: Path) -> int:
    dirs = [site / searchindex.FOLDER] if design == "bigram" else [site / "pagefind", *site.glob("pagefind-b*")]
    return sum(f.stat().st_size for folder in dirs for f in folder.rglob("*") if f.is_file())


def _pagefind(site: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), "--silent"],
                   check=True)


def _bundle_of(urls: list[str], size: int) -> dict[str, int]:
    return {u: i // size for i, u in enumerate(urls)}


def _bundles(d: Path, size: int, only: set[int] | None) -> None:
    """Pagefind over bundles of ``size`` cases (hard-linked trees), two processes at a time."""
    site = d / SUBPATH
    urls = sorted(searchindex.site_pages(site))
    owner = _bundle_of(urls, size)
    count = max(owner.values()) + 1
    todo = range(count) if only is None else sorted(only)

    def one(b: int) -> None:
        tree = d / "bundles" / f"b{b}"
        shutil.rmtree(tree, ignore_errors=True)
        for u in urls:
            if owner[u] == b:
                (tree / u).mkdir(parents=True)
                os.link(site / u / "index.html", tree / u / "index.html")
        shutil.rmtree(site / f"pagefind-b{b}", ignore_errors=True)
        if (tree / "cases").is_dir():
            _pagefind(tree, site / f"pagefind-b{b}")
    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(one, todo))
    for stale in site.glob("pagefind-b*"):
        if int(stale.name[len("pagefind-b"):]) >= count:
            shutil.rmtree(stale)


class Generated:
    """Case ``i`` of bench/gen_corpus.py as a :class:`searchindex.Page`, made on demand (in the
    indexing workers), so no process holds the whole corpus: only the indexer's memory is measured."""

    def __init__(self) -> None:
        from gen_corpus import ROOT as GEN_ROOT

        self.provinces = yaml.safe_load((GEN_ROOT / "casebook/data/provinces.yaml").read_text("utf-8"))
        self.practices = [p["name"] for p in yaml.safe_load((GEN_ROOT / "data/practices.yaml").read_text("utf-8"))]

    def __call__(self, url: str) -> searchindex.Page:
        import random

        from gen_corpus import _case

        i = int(url.split("/")[1])
        meta, body = _case(random.Random(f"5:{i}"), i, self.provinces, self.practices)
        place = " · ".join((meta["province"], meta["city"], meta["county"], meta["place"]))
        return searchindex.Page(url, meta["title"], place, body, tuple(meta["practices"]))


def scale(n: int, d: Path) -> dict:
    """Cold index of ``n`` generated cases handed over as pages (no site build), then one edit."""
    shutil.rmtree(d / searchindex.FOLDER, ignore_errors=True)
    pages = {f"cases/{i}/": "v1" for i in range(n)}
    t0 = time.perf_counter()
    state = searchindex.update(d, pages, Generated(), None, jobs=JOBS)
    cold_s = time.perf_counter() - t0
    pages["cases/7/"] = "v2"
    t0 = time.perf_counter()
    searchindex.update(d, pages, Generated(), state, jobs=JOBS)
    return {"cases": n, "cold_s": round(cold_s, 2), "edit_s": round(time.perf_counter() - t0, 3), "peak_mb": peak_mb(),
            "shards_mb": round(sum(f.stat().st_size for f in (d / searchindex.FOLDER / "s").iterdir()) / 1e6, 1)}


# ---------- incremental ----------

def _edit(site: Path, url: str, old: str, new: str) -> None:
    path = site / url / "index.html"
    html = path.read_text("utf-8")
    assert old in html, (url, old)
    path.unlink()  # a new file, as the build writes it (never in place)
    path.write_text(html.replace(old, new, 1), "utf-8")


def incremental(design: str, d: Path) -> dict:
    site = d / SUBPATH
    urls = sorted(searchindex.site_pages(site))
    edited, removed = urls[len(urls) // 2], urls[len(urls) // 3]
    added = f"cases/zz-added-{design}/"
    out: dict = {"design": design}
    steps = [
        ("edit", lambda: _edit(site, edited, "<div class=\"prose\">", "<div class=\"prose\"><p>编辑后新增的句子：月面试点。</p>")),
        ("add", lambda: (shutil.copytree(site / urls[0], site / added),
                         _edit(site, added, "<div class=\"prose\">", "<div class=\"prose\"><p>新增案例：月球车驿站。</p>"))),
        ("delete", lambda: shutil.rmtree(site / removed)),
    ]
    for name, change in steps:
        change()
        t0 = time.perf_counter()
        if design == "bigram":
            state = pickle.loads((d / "bigram-state.pkl").read_bytes())  # the build's cache
            state = searchindex.index_site(site, state, jobs=JOBS)
            (d / "bigram-state.pkl").write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        elif design == "pagefind":
            _pagefind(site, site / "pagefind")
        else:
            size = int(design.split("-")[1])
            now = sorted(searchindex.site_pages(site))
            owner = _bundle_of(now, size)
            touched = {owner[u] for u in (edited, added) if u in owner}
            # a deletion shifts every later bundle by one page in this naive split: count it as touching one
            touched |= {min(len(now) - 1, urls.index(removed)) // size} if name == "delete" else set()
            _bundles(d, size, touched if name != "delete" else {urls.index(removed) // size})
        out[f"{name}_s"] = round(time.perf_counter() - t0, 3)
    out["peak_mb"] = peak_mb()
    return out


# ---------- in the browser ----------

PAGEFIND_HARNESS = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title></head>
<body><p id="out"></p></body></html>"""

PAGEFIND_QUERY = """async ([bundles, base, q]) => {
  const t0 = performance.now();
  const pf = await import(bundles[0] + "pagefind.js");
  await pf.options({ baseUrl: base });
  for (const b of bundles.slice(1)) await pf.mergeIndex(b);
  const search = await pf.search(q);
  const data = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  const done = performance.now();
  const last = Math.max(0, ...performance.getEntriesByType("resource").map(e => e.responseEnd));
  return { urls: data.map(r => r.url), total: done - t0, tail: done - last };
}"""

BIGRAM_QUERY = """async (q) => {
  performance.clearMarks();
  const t0 = performance.now();
  document.querySelector("#q").value = q;
  document.querySelector("#search-go").click();
  while (!performance.getEntriesByName("search-done").length) await new Promise(r => setTimeout(r, 5));
  const mark = n => (performance.getEntriesByName(n)[0] || { startTime: NaN }).startTime;
  const done = mark("search-done");
  const last = Math.max(0, ...performance.getEntriesByType("resource").filter(e => e.name.includes("/search-index/")).map(e => e.responseEnd));
  const compute = (mark("search-docs-out") - mark("search-index-in")) + (done - mark("search-docs-in"));
  return { urls: Array.from(document.querySelectorAll("#results .result h2 a")).map(a => a.getAttribute("href")),
           total: done - t0, tail: done - last, compute: Number.isNaN(compute) ? done - t0 : compute };
}"""


def browser(design: str, d: Path) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.chromium import ARGS, CHROMIUM, MOBILE, serve

    site = d / SUBPATH
    expected = json.loads((d / "expected.json").read_text("utf-8"))
    if design != "bigram":
        (site / "bench-pagefind.html").write_text(PAGEFIND_HARNESS, "utf-8")
        bundles = sorted(site.glob("pagefind-b*"), key=lambda p: int(p.name[len("pagefind-b"):])) or [site / "pagefind"]
    rows = []
    with serve(d) as origin, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        base = f"{origin}{SUBPATH}/"
        for item in queries("sample" if d.name == "sample" else "generated"):
            ctx = chromium.new_context(**MOBILE)  # a first search: nothing cached
            page = ctx.new_page()
            page.goto(base + ("search/" if design == "bigram" else "bench-pagefind.html"))
            page.wait_for_load_state("load")
            fetched: list[int] = []
            page.on("requestfinished", lambda r, f=fetched: f.append(r.sizes()["responseBodySize"]))
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            if design == "bigram":
                got = page.evaluate(BIGRAM_QUERY, item["q"])
            else:
                got = page.evaluate(PAGEFIND_QUERY, [[f"/{SUBPATH}/{b.name}/" for b in bundles], f"/{SUBPATH}/", item["q"]])
            ctx.close()
            found = [u.strip("/").split("/", 1)[1] + "/" if u.startswith(f"/{SUBPATH}/") else u.lstrip("/") for u in got["urls"]]
            want = expected[item["q"]]
            hits = len(set(found[:10]) & set(want))
            rows.append({"q": item["q"], "kind": item["kind"], "expected": len(want), "found": len(found), "top": found[:10],
                         "recall": hits / min(10, len(want)) if want else None,
                         "false": len(set(found[:10]) - set(want)), "requests": len(fetched),
                         "kb": round(sum(fetched) / 1024, 1), "total_ms": round(got["total"]),
                         "tail_ms": round(got["tail"]), "compute_ms": round(got.get("compute", got["total"]))})
        chromium.close()
    (d / f"browser-{design}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=0), "utf-8")
    scored = [r["recall"] for r in rows if r["recall"] is not None]
    return {"design": design, "queries": len(rows), "recall@10": round(statistics.mean(scored), 3),
            "misses": [r["q"] for r in rows if r["recall"] is not None and r["recall"] < 1],
            "false_hits": sum(r["false"] for r in rows),
            "requests_median": statistics.median(r["requests"] for r in rows),
            "requests_max": max(r["requests"] for r in rows),
            "kb_median": statistics.median(r["kb"] for r in rows), "kb_max": max(r["kb"] for r in rows),
            "total_ms_median": statistics.median(r["total_ms"] for r in rows),
            "total_ms_max": max(r["total_ms"] for r in rows),
            "compute_ms_median": statistics.median(r["compute_ms"] for r in rows),
            "compute_ms_max": max(r["compute_ms"] for r in rows)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("step", choices=("corpus", "oracle", "cold", "incremental", "browser", "scale"))
    ap.add_argument("args", nargs="+")
    a = ap.parse_args()
    if a.step == "corpus":
        d, n = Path(a.args[0]), int(a.args[1])
        d.mkdir(parents=True, exist_ok=True)
        corpus(d, n)
        return 0
    if a.step == "scale":
        print(json.dumps(scale(int(a.args[0]), Path(a.args[1]))))
        return 0
    if a.step == "oracle":
        oracle(Path(a.args[0]))
        return 0
    design, d = a.args[0], Path(a.args[1])
    result = {"cold": cold, "incremental": incremental, "browser": browser}[a.step](design, d)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
