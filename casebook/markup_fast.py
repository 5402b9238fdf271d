"""Markdown body -> HTML through markdown-it.rs: the HTML ``markup.py`` writes, in 40% of the time.

Markdown was the largest cost of a cold build. markdown-it-pyrs, the Rust port of
markdown-it, parses a generated case body and hands over its syntax tree in a fifth of
the time markdown-it-py takes; writing the HTML of casebook's markdown-it-py rules from
that tree, byte for byte, brings a body to 0.28 ms instead of 0.74 ms
(``bench/markdown_libs.py``).

The two parsers follow different versions of CommonMark and trim differently, so this
module either handles a difference or declines the body (``to_html`` returns None) and
``markup.py`` renders it with markdown-it-py. ``tests/test_markup.py`` compares the two on
the feature file, the sample content, a generated corpus and random Markdown.

Handled here:

- Punctuation beside an emphasis run. markdown-it.rs counts only Unicode punctuation (P*),
  markdown-it-py symbols (S*) too, and casebook counts a CJK character beside ``*`` as
  punctuation. Where they differ, a punctuation character that cannot occur in a body
  (``SENTINEL``) is put between the run and its neighbour, and taken out of the HTML.
- Edges of paragraphs, headings and table cells. markdown-it-py trims Unicode spaces
  (U+3000, U+00A0) and line ends there, markdown-it.rs only ASCII spaces.
- ``***both***``: the ``<strong><em>`` nesting of ``markup._strong_outside``.
- Footnotes: markdown-it.rs lists them in order of first citation, casebook in order of
  definition, numbered so, with Python-Markdown's ids and back-links.

Declined:

- an emphasis run left unpaired (the two resolve the leftovers differently);
- a footnote definition markdown-it.rs drops (one nobody cites, a repeated label), one
  inside a list or quote or not starting with a paragraph, and inline footnotes
  (``^[…]``, which casebook does not enable);
- a link to ``javascript:``, ``data:``… (markdown-it.rs leaves the syntax as text;
  casebook makes a link and lets the sanitiser remove the address);
- a table delimiter row and the line above it, one with ``|`` and one without, or
  ``\\|`` in a document with a table;
- inside a list or quote, a paragraph line that starts like a list item or a quote;
- lists and quotes nested near markdown-it-py's limit of 20 levels;
- definition lists and any other node this module does not know;
- a NUL character (markdown-it-py writes U+FFFD for it, markdown-it.rs keeps it);
- a ``[`` with a backtick run left open in one paragraph, on which the Rust parser
  panics; any other panic is caught, and the body declined.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from markdown_it.common.utils import MD_TRIM_CHARS, escapeHtml, isPunctChar, isWhiteSpace
from markdown_it_pyrs import MarkdownIt, Node

from . import markup_rules as rules

SENTINEL = "\u2e2e"  # ⸮, Unicode punctuation (Po) to both parsers
_SENTINEL_URL = "%E2%B8%AE"  # the sentinel inside a link address
_RUST_ONLY_SPACE = {0x85, 0x2028, 0x2029}
_UNSAFE_LINK_RE = re.compile(r"(?i)(?:vbscript|javascript|file|data):")
_DELIMITER_ROW_RE = re.compile(r"^[ \t>]*[-:|][-:| \t]*$", re.M)
_CONTAINER_START_RE = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|>")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_BACKTICKS_RE = re.compile(r"`+")
_ESCAPE_OR_BACKTICKS_RE = re.compile(r"\\.|`+", re.S)
_FOOTNOTE_DEFINITION_RE = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
_FOOTNOTE_DEFINITION_ANYWHERE_RE = re.compile(r"\[\^[^\]\s]+\]:")
_PARSER = MarkdownIt("commonmark").enable_many(["table", "footnote", "deflist"])
_MAX_NESTING = 16
_INLINE = {"text", "text_special", "softbreak", "hardbreak", "strong", "em", "code_inline", "link",
           "autolink", "image", "html_inline"}
# Blocks whose HTML markdown-it-py does not start on a new line after a tight list item's text.
_JOINS_TIGHT_TEXT = {"bullet_list", "ordered_list", "fence", "code_block", "html_block"}

Item = tuple[str, "str | Node"]
"""An inline node: ``("text", content)`` for merged text, else ``(name, node)``."""


class Declined(Exception):
    """The body holds something markdown-it-py may read differently."""


def to_html(src: str) -> str | None:
    """The body as ``markup.MarkdownRenderer.exact_html`` writes it, or None to leave it to that."""
    if ("^[" in src or "\0" in src or SENTINEL in src or _SENTINEL_URL in src
            or (":" in src and _UNSAFE_LINK_RE.search(src)) or _table_doubt(src)
            or ("`" in src and "[" in src and _code_span_doubt(src))):
        return None
    marked = _mark_runs(src)
    if marked is None:
        return None
    try:
        root = _PARSER.tree(marked)
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException
        if type(error).__name__ != "PanicException":
            raise
        return None
    try:
        writer = _Writer(_footnote_labels(src) if "[^" in src else [])
        writer.document(root)
        html = writer.html()
    except Declined:
        return None
    if marked is not src:
        html = html.replace(SENTINEL, "").replace(_SENTINEL_URL, "")
    return html.strip()


# -- before parsing ------------------------------------------------------------------------------

def _table_doubt(src: str) -> bool:
    """A delimiter row without ``|`` under a line with one, or the reverse (a table to one
    parser, a heading or paragraph to the other), or an escaped pipe where any delimiter row
    is (they split ``\\||`` differently)."""
    if "-" not in src or "|" not in src:
        return False
    for m in _DELIMITER_ROW_RE.finditer(src):
        row = m.group()
        if "-" not in row:
            continue
        if "\\|" in src:
            return True
        if ("|" in row) != ("|" in src[:m.start()].rstrip("\n").rpartition("\n")[2]):
            return True
    return False


def _code_span_doubt(src: str) -> bool:
    """A ``[`` and a backtick run without a closing run, in one paragraph: markdown-it.rs
    panics on it (and prints the panic), so such a body is not given to it. Runs are paired
    both with and without backslash escapes (inside a code span, ``\\`` escapes nothing)."""
    for chunk in _BLANK_LINE_RE.split(src):
        if "[" in chunk and "`" in chunk and (
                _unpaired([len(run) for run in _BACKTICKS_RE.findall(chunk)])
                or _unpaired([len(tok) for tok in _ESCAPE_OR_BACKTICKS_RE.findall(chunk) if tok[0] == "`"])):
            return True
    return False


def _unpaired(runs: list[int]) -> bool:
    """Whether some backtick run, taken in order, finds no later run of its length."""
    i = 0
    while i < len(runs):
        if runs[i] not in runs[i + 1:]:
            return True
        i = runs.index(runs[i], i + 1) + 1
    return False


def _footnote_labels(src: str) -> list[str]:
    """The labels of the footnote definitions, in order. Only definitions at the start of a
    line are taken: markdown-it.rs misreads some inside a list or quote."""
    labels = _FOOTNOTE_DEFINITION_RE.findall(src)
    if len(labels) != len(_FOOTNOTE_DEFINITION_ANYWHERE_RE.findall(src)):
        raise Declined("a footnote definition inside a list or quote")
    return labels


@functools.cache
def _mark(ch: str, star: bool) -> bool | None:
    """Whether an emphasis run beside ``ch`` needs the sentinel between them: True when
    markdown-it-py (with casebook's rule for ``*``) calls ``ch`` punctuation and markdown-it.rs
    does not; None when no sentinel can make them agree."""
    code = ord(ch)
    if code < 0x80:
        return False
    ours = ("space" if isWhiteSpace(code)
            else "punct" if isPunctChar(ch) or (star and rules.cjk(ch)) else "other")
    theirs = ("space" if isWhiteSpace(code) or code in _RUST_ONLY_SPACE
              else "punct" if unicodedata.category(ch).startswith("P") else "other")
    if ours == theirs:
        return False
    return True if (ours, theirs) == ("punct", "other") else None


def _runs(src: str, marker: str) -> list[tuple[int, int]]:
    """(start, end) of every run of ``marker``; str.find is much faster than a regex here."""
    runs = []
    start = src.find(marker)
    while start != -1:
        end = start + 1
        while end < len(src) and src[end] == marker:
            end += 1
        runs.append((start, end))
        start = src.find(marker, end)
    return runs


def _mark_runs(src: str) -> str | None:
    """``src`` with the sentinel beside every emphasis run whose neighbour needs it, or None."""
    out: list[str] = []
    last = 0
    for start, end in sorted(_runs(src, "*") + _runs(src, "_")):
        star = src[start] == "*"
        before = _mark(src[start - 1], star) if start else False
        after = _mark(src[end], star) if end < len(src) else False
        if before is None or after is None:
            return None
        if before or after:
            out += [src[last:start], SENTINEL if before else "", src[start:end], SENTINEL if after else ""]
            last = end
    if not out:
        return src
    out.append(src[last:])
    return "".join(out)


# -- inline content --------------------------------------------------------------------------------

def _blank(node: Node) -> bool:
    return node.name in ("softbreak", "hardbreak") or (
        node.name == "text" and not node.meta["content"].strip(MD_TRIM_CHARS))


def _items(children: Sequence[Node], trim: bool = False) -> list[Item]:
    """Inline nodes with adjacent text merged, as markdown-it-py's ``text_join`` does; with
    ``trim``, a block's content trimmed at both ends as markdown-it-py trims it."""
    first, last = 0, len(children) - 1
    if trim:
        while first <= last and _blank(children[first]):
            first += 1
        while last > first and _blank(children[last]):
            last -= 1
    items: list[Item] = []
    for i in range(first, last + 1):
        node = children[i]
        name = node.name
        if name != "text" and name != "text_special":
            items.append((name, node))
            continue
        content = _text(node)
        if name == "text":
            if trim and i == first:
                content = content.lstrip(MD_TRIM_CHARS)
            if trim and i == last:
                content = content.rstrip(MD_TRIM_CHARS)
        if items and items[-1][0] == "text":
            items[-1] = ("text", str(items[-1][1]) + content)
        else:
            items.append(("text", content))
    return items


def _text(node: Node) -> str:
    """A text node's content. A ``*`` or ``_`` left in plain text is an emphasis run that
    did not pair up, which the two parsers resolve differently: the body is declined."""
    content: str = node.meta["content"]
    if node.name == "text" and ("*" in content or "_" in content):
        raise Declined("an emphasis run left unpaired")
    return content


def _written(node: Node) -> list[Node]:
    """A container's children that write HTML: not link reference definitions, nor
    markdown-it.rs's footnote back-links (casebook writes its own)."""
    return [kid for kid in node.children if kid.name not in ("definition", "footnote_ref_anchor")]


def _words(items: list[Item]) -> str:
    """A heading's text for its slug: text and code, inside emphasis and links too; not raw
    HTML, not an image's alt (``markup._plain_text`` on markdown-it-py's flat tokens)."""
    parts = []
    for name, node in items:
        if name == "text":
            parts.append(str(node))
        elif isinstance(node, Node) and name == "code_inline":
            parts.append(_code(node))
        elif isinstance(node, Node) and name in ("strong", "em", "link", "autolink"):
            parts.append(_words(_items(node.children)))
    return "".join(parts)


def _alt(children: Sequence[Node]) -> str:
    """An image's alt text, as markdown-it-py's ``renderInlineAsText``."""
    parts = []
    for node in children:
        name = node.name
        if name in ("text", "text_special"):
            parts.append(_text(node))
        elif name == "html_inline":
            parts.append(node.meta["content"])
        elif name in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(_alt(node.children))
    return "".join(parts)


def _code(node: Node) -> str:
    return "".join(child.meta["content"] for child in node.children)


def _link_open(meta: Mapping[str, Any]) -> str:
    title = meta.get("title")
    return f'<a href="{escapeHtml(meta["url"])}"' + (f' title="{escapeHtml(title)}"' if title else "") + ">"


# -- the writer ------------------------------------------------------------------------------------

class _Writer:
    """One body's HTML, in the whitespace markdown-it-py's renderer writes."""

    def __init__(self, footnotes: list[str]) -> None:
        """``footnotes``: the labels of the footnote definitions in the source, in order."""
        self.out: list[str] = []
        # (index in out of the opening tag, heading level, its inline items, its attributes):
        # ids are given once all headings are known, as a given ``{#id}`` is reserved first.
        self.headings: list[tuple[int, int, list[Item], dict[str, str]]] = []
        self.number = {label: n for n, label in enumerate(footnotes, 1)}
        if len(self.number) != len(footnotes):
            raise Declined("a footnote label defined twice")
        self.cited: dict[str, int] = {}  # label -> references written so far
        self.backlinks: list[tuple[int, str]] = []  # (index in out, label): known once all are cited
        self.nesting = 0  # block levels around the one being written (a quote 1, a list item 2)

    def html(self) -> str:
        used = {attrs["id"] for _, _, _, attrs in self.headings if attrs.get("id")}
        for slot, level, items, attrs in self.headings:
            if not attrs.get("id"):
                attrs["id"] = rules.unique_id(rules.slugify(_words(items)), used)
            self.out[slot] = f"<h{level}" + "".join(f' {k}="{escapeHtml(v)}"' for k, v in attrs.items()) + ">"
        for slot, label in self.backlinks:
            self.out[slot] = rules.footnote_backlinks(label, self.number[label], self.cited.get(label, 0))
        return "".join(self.out)

    def document(self, root: Node) -> None:
        children = _written(root)
        notes = children[-1] if children and children[-1].name == "footnote_container" else None
        self.blocks(children[:-1] if notes else children)
        if notes is None:
            if self.number:
                raise Declined("footnote definitions the parser dropped")
            return
        defined = {note.meta["label"]: note for note in notes.children}
        if defined.keys() != self.number.keys():
            raise Declined("footnote definitions the parser dropped")
        self.out.append(rules.FOOTNOTES_OPEN)
        for label in self.number:  # in order of definition
            self.footnote(label, defined[label])
        self.out.append(rules.FOOTNOTES_CLOSE)

    def footnote(self, label: str, node: Node) -> None:
        """A definition with its back-links at the end of its last paragraph, or in a new one."""
        out = self.out
        out.append(f'<li id="fn:{label}">\n')
        first = next((kid for kid in node.children if kid.name != "footnote_ref_anchor"), None)
        if first is not None and first.name != "paragraph":  # markdown-it.rs keeps the space after ``]:`` in it
            raise Declined("a footnote that does not start with a paragraph")
        kids = _written(node)
        last = kids.pop() if kids and kids[-1].name == "paragraph" else None
        self.blocks(kids)
        out.append("<p>" if last else "<p>\n")
        if last:
            self.inline(_items(_written(last), trim=True))
        self.backlinks.append((len(out), label))
        out += ["", "</p>\n", "</li>\n"]

    def inline(self, items: list[Item]) -> None:
        out = self.out
        for name, node in items:
            if not isinstance(node, Node):
                out.append(escapeHtml(node))
            elif name == "softbreak":
                out.append("\n")
            elif name == "hardbreak":
                out.append("<br />\n")
            elif name == "strong" or name == "em":
                self.emphasis(name, node)
            elif name == "code_inline":
                out.append(f"<code>{escapeHtml(_code(node))}</code>")
            elif name == "link" or name == "autolink":
                out.append(_link_open(node.meta))
                self.inline(_items(node.children))
                out.append("</a>")
            elif name == "image":
                title = node.meta.get("title")
                out.append(f'<img alt="{escapeHtml(_alt(node.children))}" src="{escapeHtml(node.meta["url"])}"'
                           + (f' title="{escapeHtml(title)}"' if title else "") + ">")
            elif name == "html_inline":
                out.append(node.meta["content"])
            elif name == "footnote_ref":
                label = node.meta["label"]
                if label not in self.number:
                    raise Declined("a citation of a footnote the source does not define")
                self.cited[label] = self.cited.get(label, 0) + 1
                out.append(rules.footnote_ref(label, self.number[label], self.cited[label]))
            else:
                raise Declined(name)

    def emphasis(self, name: str, node: Node) -> None:
        """``<em>`` directly around ``<strong>`` is written inside it, level after level."""
        kids = node.children
        depth = 0
        while name == "em" and len(kids) == 1 and kids[0].name == "strong":
            self.out.append("<strong>")
            depth += 1
            kids = kids[0].children
        self.out.append(f"<{name}>")
        self.inline(_items(kids))
        self.out.append(f"</{name}>" + "</strong>" * depth)

    def blocks(self, children: Sequence[Node]) -> None:
        """Blocks in a container. Inline nodes directly in one are a tight list item's text (a
        paragraph markdown-it-py hides); a block after it starts on a new line, except these."""
        after_text = False
        text: list[Node] = []
        for node in children:
            name = node.name
            if name in _INLINE:
                text.append(node)
                continue
            if text:
                self.text_block(text)
                text = []
                after_text = True
            if after_text and name not in _JOINS_TIGHT_TEXT:
                self.out.append("\n")
            after_text = False
            self.block(node)
        if text:
            self.text_block(text)

    def nest(self, levels: int) -> None:
        """One container deeper. markdown-it-py stops nesting blocks at 20 levels, markdown-it.rs
        elsewhere: a body nested close to that is declined."""
        self.nesting += levels
        if self.nesting > _MAX_NESTING:
            raise Declined("blocks nested too deep")

    def text_block(self, children: Sequence[Node]) -> None:
        """A paragraph's content. Inside a list or quote, a line of it that starts like a list
        item or a quote is declined: there markdown-it.rs sometimes continues the paragraph
        lazily where markdown-it-py starts the item."""
        if self.nesting:
            for i in range(1, len(children)):
                if (children[i - 1].name == "softbreak" and children[i].name == "text"
                        and _CONTAINER_START_RE.match(children[i].meta["content"])):
                    raise Declined("a lazy line that may start a list item")
        self.inline(_items(children, trim=True))

    def block(self, node: Node) -> None:
        out = self.out
        name = node.name
        if name == "paragraph":
            out.append("<p>")
            self.text_block(node.children)
            out.append("</p>\n")
        elif name == "heading" or name == "lheading":
            self.heading(node)
        elif name == "bullet_list" or name == "ordered_list":
            self.list(node)
        elif name == "blockquote":
            kids = _written(node)
            out.append("<blockquote>\n" if kids else "<blockquote>")
            self.nest(1)
            self.blocks(kids)
            self.nesting -= 1
            out.append("</blockquote>\n")
        elif name == "fence":
            out.append(rules.code_block(node.meta["content"].replace(SENTINEL, ""), node.meta["info"]))
        elif name == "code_block":
            out.append(rules.code_block(node.meta["content"].replace(SENTINEL, ""), ""))
        elif name == "html_block":
            out.append(node.meta["content"] + "\n")
        elif name == "hr":
            out.append("<hr />\n")
        elif name == "table":
            self.table(node)
        else:
            raise Declined(name)

    def heading(self, node: Node) -> None:
        level = node.meta["level"]
        items = _items(node.children, trim=True)
        attrs: list[tuple[str, str]] = []
        if items and items[-1][0] == "text":
            text, attrs = rules.split_attr_list(str(items[-1][1]))
            items[-1] = ("text", text)
        self.headings.append((len(self.out), level, items, dict(attrs)))
        self.out.append("")  # the opening tag, once the id is known
        self.inline(items)
        self.out.append(f"</h{level}>\n")

    def list(self, node: Node) -> None:
        tag = "ul" if node.name == "bullet_list" else "ol"
        start = node.meta.get("start", 1) if tag == "ol" else 1
        self.out.append(f'<{tag} start="{start}">\n' if start != 1 else f"<{tag}>\n")
        for item in node.children:
            kids = _written(item)
            self.out.append("<li>\n" if kids and kids[0].name not in _INLINE else "<li>")
            self.nest(2)  # the list and the item
            self.blocks(kids)
            self.nesting -= 2
            self.out.append("</li>\n")
        self.out.append(f"</{tag}>\n")

    def table(self, node: Node) -> None:
        aligns = node.meta["alignments"]
        out = self.out
        out.append("<table>\n")
        for section in node.children:
            cell = "th" if section.name == "thead" else "td"
            out.append(f"<{section.name}>\n")
            for row in section.children:
                out.append("<tr>\n")
                for align, content in zip(aligns, row.children):
                    out.append(f'<{cell} class="align-{align}">' if align != "none" else f"<{cell}>")
                    self.inline(_items(content.children, trim=True))
                    out.append(f"</{cell}>\n")
                out.append("</tr>\n")
            out.append(f"</{section.name}>\n")
        out.append("</table>\n")
