#!/usr/bin/env python3
"""Benchmark casebook against Pelican (and optionally Hugo) on one generated corpus, in one run.

    python bench/run.py --n 10000 [--results bench/RESULTS.md] [--work /dev/shm/casebook-bench]
                        [--bench-venv /dev/shm/benchvenv] [--hugo] [--no-pelican] [--rounds 3]

Set up the comparison tools once in their own environment (never the project's venv):

    python3.11 -m venv /dev/shm/benchvenv
    /dev/shm/benchvenv/bin/pip install -r bench/requirements.txt

What is measured (each build is a separate process; wall and CPU time; peak memory of the
whole process tree, sampled every 50 ms in a second cold build of its own, as the sum of
RSS and the sum of PSS, which counts pages shared by forked workers once):

* casebook: cold full build (no cache, no output) with search off; the same with search
  on (the search stage's time reported separately: Pelican has no search); warm rebuild
  (nothing changed); after editing one case's body; after changing
  one case's province; after changing a template (``case.html``: every case page uses it;
  and ``search.html``: one page).
* Pelican (Category = province, Tags = practices, content cache on, paginated lists,
  category and tag Atom feeds): cold, warm, the same three edits (the template edit is
  to its ``article.html``).
* Hugo (``--hugo``): cold, warm, one body edit, with minimal layouts (no related pages:
  ``.Related`` over 10,000 pages made Hugo take minutes here).
* Then ``--rounds`` (default 3) more cold builds of each tool, interleaved (casebook,
  casebook with search, Pelican, Hugo, casebook, …). This machine's speed drifts by a quarter within minutes,
  so a single cold build of each, minutes apart, can put the ratio anywhere between 3×
  and 5×; the report gives each tool's median over the rounds and the ratio within each
  round, whose builds ran under the same conditions.

Write the working tree to tmpfs (``--work`` defaults to ``/dev/shm``): the corpus and the
three outputs are thousands of files. A Markdown table is appended to ``--results``.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus  # noqa: E402

try:
    import psutil
except ImportError:  # pragma: no cover
    psutil = None


# -- measuring ---------------------------------------------------------------------------------

def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, *, sample: bool = False) -> dict:
    """Run ``cmd``; return wall seconds and CPU seconds of it and all its children, and with
    ``sample`` their peak RSS/PSS (MB), sampled every 50 ms (a shorter peak can be missed).

    Sampling costs the sampler a quarter of a core, taken from whichever tool is using
    both cores (casebook's workers, Hugo), not from a single-process one (Pelican): so
    timed runs do not sample, and memory comes from a separate sampled run."""
    full_env = {**os.environ, "CI": "true", **(env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    if sample and psutil is not None:
        parent = psutil.Process(proc.pid)
        tick = 0
        while proc.poll() is None:
            try:
                procs = [parent, *parent.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in procs) // 1024
                peak_rss = max(peak_rss, rss)
                if tick % 4 == 0 or rss >= peak_rss:  # PSS is costlier to read: every 200 ms or at a new peak
                    peak_pss = max(peak_pss, sum(_pss_kb(p.pid) for p in procs))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
            tick += 1
            time.sleep(0.05)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the whole tree, workers included
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss_mb": peak_rss / 1024, "pss_mb": peak_pss / 1024,
            "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")}


def common_builds(run: Callable[..., dict], output: Path, cache: Path, case: Path) -> dict[str, dict]:
    """What every tool is measured on. A cold build (no ``output`` nor ``cache`` folder)
    timed without sampling, its output measured; the same cold build again, sampled for
    peak memory (see :func:`measure`); a warm build; then ``case``'s body edited twice: the
    first rebuild after the full build, and a later one."""
    def clean() -> None:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    clean()
    res = {"cold": run()}
    res["cold"]["files"], res["cold"]["pages"], res["cold"]["bytes"] = tree_size(output)
    clean()
    mem = run(sample=True)
    res["cold"]["rss_mb"], res["cold"]["pss_mb"] = mem["rss_mb"], mem["pss_mb"]
    res["warm"] = run()
    _edit(case, "\n## ", "\n## 新增一节\n\n编辑后新增的一段正文，用于测量增量构建。\n\n## ")
    res["body"] = run()
    _edit(case, "编辑后新增的一段正文", "编辑两次的一段正文")
    res["body2"] = run()
    return res


def tree_size(root: Path) -> tuple[int, int, int]:
    """(files, HTML pages, bytes) under ``root``."""
    files = pages = size = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            size += os.lstat(os.path.join(dirpath, name)).st_size
    return files, pages, size


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    if old not in text:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), "utf-8")


# -- casebook ----------------------------------------------------------------------------------

def setup_casebook(work: Path, n: int) -> tuple[Path, list[str]]:
    site = work / "casebook"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    notes = []
    shutil.copytree(ROOT / "data", site / "data")
    shutil.copytree(ROOT / "themes", site / "themes")
    gen_corpus.generate(site / "content", n)
    base = (ROOT / "site.yaml").read_text("utf-8")
    for name, search in (("site.yaml", "false"), ("site-search.yaml", "true")):
        text = re.sub(r"(?m)^search:.*$", f"search: {search}", base)
        if name != "site.yaml":
            text = re.sub(r"(?m)^output_dir:.*$", "output_dir: output-search", text)
        (site / name).write_text(text, "utf-8")
    return site, notes


def snapshot_code(work: Path) -> Path:
    """A copy of build.py and casebook/ (compiled) to run, so edits to the working tree during
    the benchmark (which would also change the cache's code version) cannot skew it."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    code.mkdir(parents=True)
    shutil.copy2(ROOT / "build.py", code / "build.py")
    shutil.copytree(ROOT / "casebook", code / "casebook", ignore=shutil.ignore_patterns("__pycache__"))
    # Bytecode, as an installed or once-run casebook has (and Pelican, pip-installed, has):
    # without it, with PYTHONDONTWRITEBYTECODE set, every timed build would compile the package.
    compileall.compile_dir(code / "casebook", quiet=1)
    return code


CODE: Path = ROOT


def casebook_build(site: Path, config: str = "site.yaml", *, sample: bool = False) -> dict:
    timings = site / ".timings.json"
    timings.unlink(missing_ok=True)
    r = measure([sys.executable, str(CODE / "build.py"), "--config", str(site / config), "-q", "build"],
                site, {"CASEBOOK_TIMINGS": str(timings)}, sample=sample)
    r["timings"] = json.loads(timings.read_text()) if timings.exists() else {}
    return r


def bench_casebook(site: Path, n: int) -> dict[str, dict]:
    case = site / "content" / "beijing-00001.md"
    res = common_builds(lambda **kw: casebook_build(site, **kw), site / "output", site / ".casebook-cache", case)
    _edit(case, "province: 北京市", "province: 天津市")
    res["province"] = casebook_build(site)
    tpl = site / "themes/default/templates/case.html"
    _edit(tpl, "{% block main %}", "{% block main %}<!-- bench edit -->")
    res["template"] = casebook_build(site)
    tpl = site / "themes/default/templates/search.html"
    _edit(tpl, "{% block main %}", "{% block main %}<!-- bench edit -->")
    res["template1"] = casebook_build(site)
    # Search on: a cold build with the index, then a body edit (which updates it).
    shutil.rmtree(site / "output-search", ignore_errors=True)
    res["cold_search"] = casebook_build(site, "site-search.yaml", sample=True)  # the indexing's memory
    _edit(case, "编辑两次的一段正文", "再次编辑的一段正文")
    res["body_search"] = casebook_build(site, "site-search.yaml")
    return res


# -- Pelican -----------------------------------------------------------------------------------

PELICANCONF = '''
AUTHOR = "casebook"
SITENAME = "基层治理案例集"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_PAGINATION = 12
USE_FOLDER_AS_CATEGORY = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag-{slug}.atom.xml"
FEED_MAX_ITEMS = 20
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARTICLE_URL = "cases/{slug}/"
ARTICLE_SAVE_AS = "cases/{slug}/index.html"
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CONTENT_CACHING_LAYER = "reader"
CACHE_PATH = "cache"
DELETE_OUTPUT_DIRECTORY = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
'''


def setup_pelican(work: Path, n: int, venv: Path) -> Path:
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    gen_corpus.generate(site / "content", n, fmt="pelican")
    (site / "pelicanconf.py").write_text(PELICANCONF, "utf-8")
    themes = subprocess.run([str(venv / "bin/python"), "-c", "import pelican, os; print(os.path.dirname(pelican.__file__))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    shutil.copytree(Path(themes) / "themes" / "notmyidea", site / "theme")
    return site


def pelican_cmd(venv: Path) -> list[str]:
    return [str(venv / "bin/pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]


def bench_pelican(site: Path, venv: Path) -> dict[str, dict]:
    cmd = pelican_cmd(venv)
    case = site / "content" / "beijing-00001.md"
    res = common_builds(lambda **kw: measure(cmd, site, **kw), site / "output", site / "cache", case)
    _edit(case, "Category: 北京市", "Category: 天津市")
    res["province"] = measure(cmd, site)
    _edit(site / "theme/templates/article.html", "{% block content %}", "{% block content %}<!-- bench edit -->")
    res["template"] = measure(cmd, site)
    return res


# -- Hugo --------------------------------------------------------------------------------------

HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>\n'
                   '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.province }} {{ .Date.Format "2006-01-02" }}</p>'
                   '{{ .Content }}</article>{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
                 '<p>{{ .Params.summary }}</p></li>{{ end }}</ol>{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">下一页</a>{{ end }}{{ end }}{{ end }}\n',
}
HUGO_CONFIG = '''baseURL = "http://localhost:8000/"
languageCode = "zh-CN"
title = "基层治理案例集"
[pagination]
  pagerSize = 12
[taxonomies]
  province = "province"
  practice = "practices"
'''


def setup_hugo(work: Path, n: int) -> Path:
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts/_default").mkdir(parents=True)
    gen_corpus.generate(site / "content/cases", n, fmt="hugo")
    (site / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts/_default" / name).write_text(text, "utf-8")
    return site


def hugo_cmd(venv: Path) -> list[str]:
    return [str(venv / "bin/hugo"), "--quiet", "--destination", "public"]


def bench_hugo(site: Path, venv: Path) -> dict[str, dict]:
    cmd = hugo_cmd(venv)
    case = site / "content/cases/beijing-00001.md"
    return common_builds(lambda **kw: measure(cmd, site, **kw), site / "public", site / "resources", case)


# -- interleaved cold builds -------------------------------------------------------------------

Tool = tuple[Callable[[], dict], list[Path]]  # a cold build, and the folders to delete before it


def cold_rounds(tools: dict[str, Tool], rounds: int) -> dict[str, list[float]]:
    """Wall times of ``rounds`` cold builds of each tool, run in turn (a, b, c, a, b, c, …)
    so that each round compares the tools under the same machine conditions."""
    times: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(rounds):
        for name, (run, folders) in tools.items():
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            times[name].append(run()["wall"])
    return times


def rounds_row(times: dict[str, list[float]], ours: str = "casebook", what: str = "") -> str:
    """The table row of :func:`cold_rounds` for casebook's build ``ours``: medians (range),
    and Pelican ÷ casebook per round."""
    def cell(name: str) -> str:
        t = times.get(name)
        return f"{statistics.median(t):.2f} s ({min(t):.2f}–{max(t):.2f})" if t else "–"

    ratio = "–"
    if times.get("pelican"):
        per_round = [p / c for p, c in zip(times["pelican"], times[ours])]
        ratio = (f"{statistics.median(times['pelican']) / statistics.median(times[ours]):.1f}× "
                 f"(per round: {', '.join(f'{r:.1f}×' for r in per_round)})")
    n = len(times[ours])
    return (f"| cold full build{what}, median of {n} interleaved rounds (range) | {cell(ours)} | {cell('pelican')} "
            f"| {ratio} | {cell('hugo')} |")


# -- report ------------------------------------------------------------------------------------

def _versions(venv: Path | None) -> dict[str, str]:
    from importlib import metadata
    out = {"python": platform.python_version()}
    for dist in ("markdown", "jinja2", "pygments", "nh3", "opencc"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    if venv is not None and (venv / "bin/python").exists():
        for dist in ("pelican", "hugo"):
            r = subprocess.run([str(venv / "bin/python"), "-c", f"from importlib import metadata; print(metadata.version({dist!r}))"],
                               capture_output=True, text=True)
            if r.returncode == 0:
                out[dist] = r.stdout.strip()
    return out


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    if psutil is not None:
        mem = f", {psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores{mem}, {platform.system()} {platform.release()}"


def _commit() -> str:
    r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "?"


def table(n: int, ours: dict, pel: dict | None, hugo: dict | None, notes: list[str], venv: Path | None,
          command: str, rounds: dict[str, list[float]] | None = None) -> str:
    def s(r: dict | None, key: str) -> str:
        return f"{r[key]['wall']:.2f} s ({r[key]['cpu']:.1f} s CPU)" if r and key in r else "–"

    def ratio(key: str) -> str:
        if not pel or key not in pel or key not in ours:
            return "–"
        return f"{pel[key]['wall'] / ours[key]['wall']:.1f}×"

    cold = ours["cold"]
    search_t = ours.get("cold_search", {}).get("timings", {}).get("search")
    lines = [
        f"### {n:,} cases · {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · casebook {_commit()}",
        "",
        f"Machine: {_machine()}. Versions: " + ", ".join(f"{k} {v}" for k, v in _versions(venv).items()) + ".",
        f"Command: `{command}`",
        "",
        "Wall time, and in brackets the CPU time of the whole process tree (user + system, workers included).",
        "",
        "| build | casebook | Pelican | Pelican ÷ casebook (wall) | Hugo |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| cold full build (no cache), search off | {s(ours, 'cold')} | {s(pel, 'cold')} | {ratio('cold')} | {s(hugo, 'cold')} |",
        *([rounds_row(rounds), rounds_row(rounds, "casebook-search", " (casebook with search, Pelican without)")]
          if rounds else []),
        f"| warm rebuild, nothing changed | {s(ours, 'warm')} | {s(pel, 'warm')} | {ratio('warm')} | {s(hugo, 'warm')} |",
        f"| one case's body edited (first edit after the full build) | {s(ours, 'body')} | {s(pel, 'body')} | {ratio('body')} | {s(hugo, 'body')} |",
        f"| the same body edited again | {s(ours, 'body2')} | {s(pel, 'body2')} | {ratio('body2')} | {s(hugo, 'body2')} |",
        f"| one case's province changed | {s(ours, 'province')} | {s(pel, 'province')} | {ratio('province')} | – |",
        f"| case template changed (all case pages) | {s(ours, 'template')} | {s(pel, 'template')} | {ratio('template')} | – |",
        f"| one-page template changed (search.html) | {s(ours, 'template1')} | – | – | – |",
        "",
        f"casebook cold build: {cold['files']:,} files ({cold['pages']:,} HTML pages), {cold['bytes'] / 2**20:.0f} MB; "
        f"{cold['pages'] / cold['wall']:.0f} pages/s; peak memory of the process tree "
        f"{cold['pss_mb']:.0f} MB PSS ({cold['rss_mb']:.0f} MB summed RSS, which counts pages shared by forked workers twice); "
        f"stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in cold.get("timings", {}).items()) + ".",
    ]
    if pel:
        pc = pel["cold"]
        lines.append(f"Pelican cold build: {pc['files']:,} files ({pc['pages']:,} HTML pages), {pc['bytes'] / 2**20:.0f} MB; "
                     f"{pc['pages'] / pc['wall']:.0f} pages/s; peak {pc['pss_mb']:.0f} MB PSS ({pc['rss_mb']:.0f} MB RSS).")
    if hugo:
        hc = hugo["cold"]
        lines.append(f"Hugo cold build (minimal layouts): {hc['files']:,} files, {hc['bytes'] / 2**20:.0f} MB; "
                     f"peak {hc['pss_mb']:.0f} MB PSS ({hc['rss_mb']:.0f} MB RSS).")
    if "cold_search" in ours:
        cs = ours["cold_search"]
        lines.append(f"With search on (casebook's bigram index, pages read in the render workers): cold build "
                     f"{cs['wall']:.2f} s, of which the search stage {search_t or 0:.2f} s; peak {cs['pss_mb']:.0f} MB PSS "
                     f"({cs['rss_mb']:.0f} MB RSS); a body edit with search on {ours['body_search']['wall']:.2f} s "
                     f"(index updated in {ours['body_search'].get('timings', {}).get('search', 0):.2f} s).")
    for note in notes:
        lines.append(f"Note: {note}.")
    return "\n".join(lines) + "\n\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--work", type=Path, default=Path("/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir())
                    / "casebook-bench")
    ap.add_argument("--bench-venv", type=Path, default=Path("/dev/shm/benchvenv"))
    ap.add_argument("--no-pelican", action="store_true")
    ap.add_argument("--hugo", action="store_true")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved cold builds of each tool at the end (0: none)")
    args = ap.parse_args(argv)
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    args.work.mkdir(parents=True, exist_ok=True)
    global CODE
    CODE = snapshot_code(args.work)
    site, notes = setup_casebook(args.work, args.n)
    print(f"corpus: {args.n} cases in {site}", flush=True)
    ours = bench_casebook(site, args.n)
    print("casebook:", {k: round(v["wall"], 2) for k, v in ours.items()}, flush=True)
    pel = hugo = None
    tools: dict[str, Tool] = {
        "casebook": (lambda: casebook_build(site), [site / "output", site / ".casebook-cache"]),
        "casebook-search": (lambda: casebook_build(site, "site-search.yaml"), [site / "output-search",
                                                                             site / ".casebook-cache"]),
    }
    if not args.no_pelican:
        psite = setup_pelican(args.work, args.n, args.bench_venv)
        pel = bench_pelican(psite, args.bench_venv)
        print("pelican:", {k: round(v["wall"], 2) for k, v in pel.items()}, flush=True)
        pcmd = pelican_cmd(args.bench_venv)
        tools["pelican"] = (lambda: measure(pcmd, psite), [psite / "output", psite / "cache"])
    if args.hugo:
        hsite = setup_hugo(args.work, args.n)
        hugo = bench_hugo(hsite, args.bench_venv)
        print("hugo:", {k: round(v["wall"], 2) for k, v in hugo.items()}, flush=True)
        hcmd = hugo_cmd(args.bench_venv)
        tools["hugo"] = (lambda: measure(hcmd, hsite), [hsite / "public", hsite / "resources"])
    rounds = cold_rounds(tools, args.rounds) if args.rounds > 0 else None
    if rounds:
        print("cold rounds:", {k: [round(t, 2) for t in v] for k, v in rounds.items()}, flush=True)
    text = table(args.n, ours, pel, hugo, notes, args.bench_venv, command, rounds)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a", encoding="utf-8") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
