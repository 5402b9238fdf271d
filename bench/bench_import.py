"""Import benchmark: articles per second on one core, for a generated noisy corpus.

Usage: python bench/bench_import.py [--n 1000] [--corpus DIR] [--out DIR]

Generates the corpus with bench/gen_noisy.py when DIR is empty, then imports
every file in this one process (one core: the importer is single-threaded),
loading OpenCC, the gazetteer and the vocabulary once, as ``build.py import``
does. The clock covers reading, decoding, cleaning, placing, classifying,
rendering and writing; the one-time setup is reported separately. Both the
process's CPU time (the per-core figure, steady on a shared machine) and wall
time are printed. Output goes under /dev/shm so disk speed does not count.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import gen_noisy  # noqa: E402

from casebook.importer.convert import Context, convert  # noqa: E402
from casebook.importer.fetch import expand, read  # noqa: E402
from casebook.importer.writer import write_safely  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--corpus", type=Path, default=Path("/dev/shm/casebook-bench/corpus"))
    parser.add_argument("--out", type=Path, default=Path("/dev/shm/casebook-bench/content"))
    args = parser.parse_args()

    if not args.corpus.is_dir() or len(list(args.corpus.iterdir())) != args.n:
        shutil.rmtree(args.corpus, ignore_errors=True)
        gen_noisy.main([str(args.corpus), str(args.n)])
    shutil.rmtree(args.out, ignore_errors=True)
    files = list(expand([str(args.corpus)]))

    start = time.perf_counter()
    ctx = Context.load(REPO / "data" / "practices.yaml")
    convert(read(files[0]), ctx)  # warm-up: first OpenCC call, regex compilation
    setup = time.perf_counter() - start

    start, cpu_start = time.perf_counter(), time.process_time()
    for name in files:
        result = convert(read(name), ctx)
        write_safely(args.out / f"{result.slug}.md", result.markdown, force=True)
        write_safely(args.out / ".import" / f"{result.slug}.removed.txt", result.report, force=True)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"{len(files)} articles on one core: {len(files) / cpu:.0f} articles/s of CPU time "
          f"({cpu:.2f} s), {len(files) / elapsed:.0f} articles/s wall clock ({elapsed:.2f} s); "
          f"setup {setup * 1000:.0f} ms, once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
