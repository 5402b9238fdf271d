"""Which trafilatura options keep the article and leave the page furniture out?

Runs trafilatura with each option set over every labelled HTML page we have and
counts, per set, the article sentences lost and the junk lines kept:

- ``tests/data/importer/html/*.html`` (labels in the ``.yaml`` beside each page),
- ``bench/eval/dev/*.html`` when present (never the holdout pages),
- ``tests/data/importer/noisy/page_*.html`` (``keep`` / ``drop`` in ``noisy.yaml``).

A sentence is lost when it does not occur in the extracted text (whitespace
ignored); a junk line is kept when it does. ``run-on`` counts pages that came back
as one line (trafilatura's baseline fallback below ``MIN_EXTRACTED_SIZE``), which
the line-based passes cannot structure. The last row is the importer's own
``htmltext.extract``. Usage::

    .venv/bin/python bench/html_options.py [--pages DIR ...] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]+[”’」』]?|[^。！？!?]+$")


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    article: list[str]
    junk: list[str]
    title: str | None = None
    date: str | None = None  # labelled; None when the page states none (or it is unlabelled)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_pages(extra: list[Path]) -> list[Page]:
    pages: list[Page] = []
    folders = [REPO / "tests/data/importer/html", REPO / "bench/eval/dev", *extra]
    for folder in folders:
        for path in sorted(folder.glob("*.html")):
            label = path.with_suffix(".yaml")
            if not label.exists():
                continue
            meta = yaml.safe_load(label.read_text("utf-8")) or {}
            article = meta.get("article") or meta.get("paragraphs") or []
            pages.append(Page(f"{folder.name}/{path.stem}", _read(path), list(article), list(meta.get("junk") or []),
                              meta.get("title"), _date(meta.get("date"))))
    noisy = REPO / "tests/data/importer"
    for case in yaml.safe_load((noisy / "noisy.yaml").read_text("utf-8")):
        if case["file"].endswith(".html"):
            html = _read(noisy / case["file"])
            pages.append(Page(case["file"], html, list(case.get("keep", [])), list(case.get("drop", [])),
                              case.get("title"), _date(case.get("date"))))
    return pages


def _read(path: Path) -> str:
    from casebook.importer.encoding import decode_bytes

    return decode_bytes(path.read_bytes(), path.name)


def _date(value: object) -> str | None:
    return str(value) if value else None


def sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in (m.group(0).strip() for m in SENTENCE.finditer(p)) if len(s) > 1]


OPTION_SETS: list[tuple[str, dict, int]] = [
    # (label, bare_extraction keywords, MIN_EXTRACTED_SIZE)
    ("defaults", {}, 250),
    ("defaults, MIN_EXTRACTED_SIZE=50", {}, 50),
    ("include_images", {"include_images": True}, 250),
    ("include_images, MIN=50", {"include_images": True}, 50),
    ("include_tables=False", {"include_tables": False}, 250),
    ("deduplicate", {"deduplicate": True}, 250),
    ("favor_recall", {"favor_recall": True}, 250),
    ("favor_recall, MIN=50", {"favor_recall": True}, 50),
    ("favor_recall, include_images", {"favor_recall": True, "include_images": True}, 250),
    ("favor_precision", {"favor_precision": True}, 250),
    ("favor_precision, MIN=50", {"favor_precision": True}, 50),
    ("favor_precision, include_images", {"favor_precision": True, "include_images": True}, 250),
    ("old importer: recall, images, MIN=50", {"favor_recall": True, "include_images": True}, 50),
]


def run_trafilatura(html: str, options: dict, min_size: int) -> str:
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_size))
    doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True, config=config, **options)
    return getattr(doc, "text", None) or ""


def run_casebook(html: str, name: str) -> str:
    from casebook.importer.htmltext import extract

    return extract(html, name)[0]


def score(pages: list[Page], get_text, verbose: bool) -> tuple[int, int, int, float]:
    lost = kept = runon = 0
    seconds = 0.0
    for page in pages:
        start = time.perf_counter()
        try:
            text = get_text(page)
        except Exception:  # noqa: BLE001 - a refusal loses everything
            text = ""
        seconds += time.perf_counter() - start
        flat = _squash(text)
        miss = [s for s in sentences(page.article) if _squash(s) not in flat]
        junk = [j for j in page.junk if _squash(j) in flat]
        lost, kept = lost + len(miss), kept + len(junk)
        runon += text.count("\n") == 0 and len(page.article) > 1
        if verbose and (miss or junk):
            print(f"    {page.name}: lost {miss} kept {junk}")
    return lost, kept, runon, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, nargs="*", default=[], help="more folders of NAME.html + NAME.yaml")
    parser.add_argument("--verbose", action="store_true", help="list what each option set lost and kept")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages)
    total = len(sentences([p for page in pages for p in page.article]))
    junk = sum(len(p.junk) for p in pages)
    print(f"{len(pages)} pages, {total} article sentences, {junk} junk lines\n")
    print("| options | sentences lost | junk lines kept | run-on pages | ms/page |")
    print("|---|---|---|---|---|")
    rows = [(label, lambda p, o=opts, m=size: run_trafilatura(p.html, o, m)) for label, opts, size in OPTION_SETS]
    rows.append(("**casebook `htmltext.extract`**", lambda p: run_casebook(p.html, p.name)))
    for label, get_text in rows:
        if args.verbose:
            print(f"  {label}")
        lost, kept, runon, seconds = score(pages, get_text, args.verbose)
        print(f"| {label} | {lost} of {total} | {kept} of {junk} | {runon} | {1000 * seconds / len(pages):.0f} |")
    print("\n| metadata | title right | date right |")
    print("|---|---|---|")
    labelled = [p for p in pages if p.title]
    for label, get_meta in (("trafilatura (htmldate, extensive_search off)", _trafilatura_meta),
                            ("casebook `htmltext.extract`", _casebook_meta)):
        titles = dates = 0
        for page in labelled:
            title, date = get_meta(page)
            titles += title == page.title
            dates += (date or None) == page.date
            if args.verbose and (title != page.title or (date or None) != page.date):
                print(f"    {label} {page.name}: {title!r} {date!r} (want {page.title!r} {page.date!r})")
        print(f"| {label} | {titles} of {len(labelled)} | {dates} of {len(labelled)} |")
    return 0


def _trafilatura_meta(page: Page) -> tuple[str | None, str | None]:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, with_metadata=True, include_comments=False,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    return (doc.title, doc.date) if doc else (None, None)


def _casebook_meta(page: Page) -> tuple[str | None, str | None]:
    from casebook.importer.htmltext import extract

    try:
        meta = extract(page.html, page.name)[1]
    except Exception:  # noqa: BLE001
        return None, None
    return meta.title, meta.date


if __name__ == "__main__":
    raise SystemExit(main())
