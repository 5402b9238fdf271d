#!/usr/bin/env python3
"""Time Python-Markdown, markdown-it-py, markdown-it.rs and mistune on the generated corpus' bodies.

    .venv/bin/python bench/markdown_libs.py CONTENT_DIR [--limit 2000]

Each library is configured for the features casebook uses (tables, fenced code,
footnotes, heading ids, ``{#id}`` attributes): Python-Markdown as casebook used it first
(the reference), plain markdown-it-py, markdown-it.rs (markdown-it-pyrs) and mistune with
their stock plugins, and casebook's two renderers: markdown-it-py plus the rules in
``casebook/markup.py`` (the exact one), and what casebook uses, markdown-it.rs through
``casebook/markup_fast.py`` with the exact one for the bodies it declines.
Reports the conversion time per body, best of three rounds (the sanitiser, the same for
all, is not timed), and how many outputs are byte-identical to Python-Markdown's once
sanitised as casebook does.
Needs Python-Markdown and mistune (``pip install markdown mistune``).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path


def bodies(content: Path, limit: int) -> list[str]:
    out = []
    for path in sorted(content.glob("*.md"))[:limit]:
        text = path.read_text("utf-8")
        out.append(text.split("\n---\n", 1)[1])
    return out


def python_markdown():
    import markdown
    from markdown.extensions.toc import slugify_unicode
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "footnotes", "attr_list", "def_list", "abbr",
                    "codehilite", "toc", "sane_lists"],
        extension_configs={"footnotes": {"BACKLINK_TITLE": "返回正文（脚注 %d）"},
                           "codehilite": {"css_class": "highlight", "guess_lang": False},
                           "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"}},
        output_format="html")
    return lambda text: md.reset().convert(text)


def markdown_it():
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    try:
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.attrs import attrs_block_plugin
        md = md.use(footnote_plugin).use(attrs_block_plugin)
    except ImportError:
        pass
    return md.render


def markdown_it_rs():
    from markdown_it_pyrs import MarkdownIt
    md = MarkdownIt("commonmark").enable_many(["table", "footnote", "deflist"])
    return md.render


def mistune_():
    import mistune
    md = mistune.create_markdown(plugins=["table", "footnotes", "def_list", "abbr"])
    return md


def casebook_exact():
    from casebook.markup import MarkdownRenderer
    return MarkdownRenderer("/").exact_html


def casebook_markup():
    from casebook.markup import MarkdownRenderer
    return MarkdownRenderer("/").to_html


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("content", type=Path)
    ap.add_argument("--limit", type=int, default=2000)
    args = ap.parse_args()
    texts = bodies(args.content, args.limit)
    reference = None
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from casebook.markup import MarkdownRenderer
    sanitize = MarkdownRenderer("/").sanitize
    align = re.compile(r' style="text-align: (left|right|center);"')
    libraries = (("Python-Markdown", python_markdown), ("markdown-it-py", markdown_it), ("markdown-it.rs", markdown_it_rs),
                 ("mistune", mistune_), ("casebook exact", casebook_exact), ("casebook", casebook_markup))
    for name, make in libraries:
        try:
            render = make()
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        for t in texts[:50]:
            render(t)
        took = float("inf")
        for _ in range(3):  # the best of three rounds: this machine is shared and noisy
            start = time.perf_counter()
            outs = [render(t) for t in texts]
            took = min(took, time.perf_counter() - start)
        outs = [sanitize(align.sub(r' class="align-\1"', html)) for html in outs]
        if reference is None:
            reference = outs
        same = sum(a == b for a, b in zip(outs, reference))
        norm = sum(re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b) for a, b in zip(outs, reference))
        print(f"{name:16s} {took / len(texts) * 1000:6.2f} ms/body  {took / len(texts) * 10000:6.1f} s per 10,000  "
              f"identical to Python-Markdown: {same}/{len(texts)} (ignoring whitespace: {norm})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
