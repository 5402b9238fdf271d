"""Import speed as a user sees it: one file's wall time, and a folder on one core and on all.

Usage: python bench/import_speed.py [--runs 5] [--copies 5] [--work DIR] [--repo DIR]

Every figure is a whole ``build.py import`` process, start-up included, as an editor
runs it:

* **one file**: ``build.py import FILE --out DIR --force`` for a ``.txt`` seed and an
  ``.html`` page, median (and min) of ``--runs`` runs;
* **a folder**: a corpus of about 200 articles (the seeds, ``bench/eval/dev`` texts and
  ``tests/data/importer/noisy``, copied ``--copies`` times, each copy with one distinct
  line so every article gets its own slug), imported with ``--jobs 1`` and with the
  default (one worker per core); articles per second of wall time, median of the runs,
  and the speed-up.

The corpus and the output go under ``--work`` (default ``/dev/shm/casebook-speed``) so
disk speed does not count. ``--repo`` measures another checkout's ``build.py`` (e.g. an
older commit unpacked with ``git archive``) with this script's corpus.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
ONE_TXT = "000_7794f4eb0fb42922.txt"  # a seed: 3 KB of scraped text
ONE_HTML = REPO / "bench" / "eval" / "dev" / "gov_pudong_jiamenkou.html"  # a saved government page, 7 KB


def sources() -> list[Path]:
    """The articles the corpus is copied from (.txt and .html)."""
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    files += sorted((REPO / "bench" / "eval" / "dev").glob("*.txt"))
    files += sorted(p for p in (REPO / "tests" / "data" / "importer" / "noisy").iterdir() if p.suffix in (".txt", ".html"))
    return files


def make_corpus(folder: Path, copies: int) -> int:
    """``copies`` copies of every source, each copy with one distinct ASCII line (any encoding keeps it)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    n = 0
    for k in range(copies):
        for src in sources():
            data = src.read_bytes()
            mark = f"ref {k}-{n}".encode("ascii")
            if src.suffix == ".html":
                lower = data.lower()
                at = lower.rfind(b"</body>")
                data = data[:at] + b"<p>" + mark + b"</p>" + data[at:] if at >= 0 else data + b"<p>" + mark + b"</p>"
            else:
                data = data.rstrip(b"\r\n") + b"\n" + mark + b"\n"
            (folder / f"{k}_{src.name}").write_bytes(data)
            n += 1
    return n


#: Bytecode is cached as on an editor's machine, even where the environment turns that off.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, all processes) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode not in (0, 1):  # 1: some input could not be read; still timed
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return took, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median reported)")
    parser.add_argument("--copies", type=int, default=5, help="copies of each source article in the corpus")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/casebook-speed"))
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose build.py is measured")
    args = parser.parse_args()

    repo = args.repo.resolve()
    python = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv").is_dir() else sys.executable
    build = [python, str(repo / "build.py"), "import"]
    out = args.work / "out"
    corpus = args.work / "corpus"
    n = make_corpus(corpus, args.copies)
    one_txt = SEEDS / ONE_TXT if (SEEDS / ONE_TXT).is_file() else sources()[0]

    def figure(cmd: list[str]) -> tuple[list[float], list[float]]:
        shutil.rmtree(out, ignore_errors=True)
        timed(cmd, repo)  # warm-up: .pyc files, page cache
        walls, cpus = [], []
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            wall, cpu = timed(cmd, repo)
            walls.append(wall)
            cpus.append(cpu)
        return walls, cpus

    print(f"repo {repo}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{args.runs} runs per figure: median wall time (min), median CPU time")
    for label, path in (("one .txt file", one_txt), ("one .html file", ONE_HTML)):
        t, c = figure([*build, str(path), "--out", str(out), "--force"])
        print(f"{label} ({path.name}, {path.stat().st_size // 1024} KB): "
              f"{statistics.median(t):.3f} s ({min(t):.3f} s), CPU {statistics.median(c):.3f} s")
    rates = {}
    for jobs in ("1", None):
        t, c = figure([*build, str(corpus), "--out", str(out), "--force"] + (["--jobs", jobs] if jobs else []))
        rates[jobs] = n / statistics.median(t)
        print(f"folder of {n} articles, {'--jobs 1' if jobs else 'all cores':9}: "
              f"{statistics.median(t):.2f} s ({min(t):.2f} s), {rates[jobs]:.1f} articles/s; "
              f"CPU {statistics.median(c):.2f} s")
    print(f"speed-up with {os.cpu_count()} cores: {rates[None] / rates['1']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
