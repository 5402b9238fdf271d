#!/usr/bin/env python3
"""What the cache costs: nothing-changed and body-edit rebuilds at N cases, and reading and
writing the cache's largest record (the source index), for one or more copies of casebook.

    python bench/cache_costs.py --work /dev/shm/cb --n 10000 --rounds 5 CODE_DIR [CODE_DIR ...]

Each CODE_DIR holds ``build.py``, ``casebook/``, ``data/``, ``themes/`` and ``site.yaml`` (a
``git archive`` of a commit).
Each gets its own copy of one generated corpus (``WORK/site-<i>``), built cold once;
then the rounds run the versions interleaved (this machine's speed drifts), each build a
separate process as ``bench/run.py`` runs them. Reported: medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus  # noqa: E402

PROBE = r"""
import sys, time, pickle
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from casebook.cache import BuildCache
from casebook.config import load_config
from casebook.pipeline import _practices
import hashlib
config = load_config(Path(sys.argv[2]))
vocab_key = hashlib.sha1(repr(_practices(config.practices_file).terms).encode()).hexdigest()
with BuildCache(config.root, config.output_dir) as cache:
    t = time.perf_counter(); sources = cache.get("sources", vocab_key); read = time.perf_counter() - t
    assert sources, "no source index"
    cache.begin()
    t = time.perf_counter(); cache.put("sources", sources, vocab_key); write = time.perf_counter() - t
    cache.rollback()
    keys = [s.body_key for s in sources.values()]
    t = time.perf_counter(); bodies = cache.bodies(keys); bread = time.perf_counter() - t
print(f"{read} {write} {bread} {len(bodies)}")
"""


def run(code: Path, site: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, str(code / "build.py"), "--config", str(site / "site.yaml"), "-q", "build"],
                   check=True, env={**os.environ, "CI": "true"}, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("codes", nargs="+", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/casebook-cache-bench"))
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    corpus = args.work / "corpus"
    if not corpus.exists():
        gen_corpus.generate(corpus, args.n)
    sites = []
    for i, code in enumerate(args.codes):
        site = args.work / f"site-{i}"
        if not site.exists():
            site.mkdir(parents=True)
            shutil.copytree(corpus, site / "content")
            for name in ("data", "themes"):  # each version's own (settings may differ)
                shutil.copytree(code / name, site / name)
            text = (code / "site.yaml").read_text("utf-8")
            (site / "site.yaml").write_text(
                "\n".join("search: false" if ln.startswith("search:") else ln for ln in text.splitlines()) + "\n")
        print(f"{code}: cold build {run(code, site):.1f} s", flush=True)
        sites.append(site)
    res: dict[int, dict[str, list[float]]] = {i: {"warm": [], "body": [], "read": [], "write": [], "bodies": []}
                                              for i in range(len(sites))}
    for r in range(args.rounds):
        for i, (code, site) in enumerate(zip(args.codes, sites)):
            res[i]["warm"].append(run(code, site))
            case = site / "content" / "beijing-00001.md"
            case.write_text(case.read_text("utf-8") + f"\n\n编辑第{r}轮。\n", "utf-8")
            res[i]["body"].append(run(code, site))
            out = subprocess.run([sys.executable, "-c", PROBE, str(code), str(site / "site.yaml")],
                                 check=True, capture_output=True, text=True).stdout.split()
            res[i]["read"].append(float(out[0]))
            res[i]["write"].append(float(out[1]))
            res[i]["bodies"].append(float(out[2]))
    summary = {str(code): {k: round(statistics.median(v), 3) for k, v in res[i].items()}
               for i, code in enumerate(args.codes)}
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
