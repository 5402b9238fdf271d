"""Markdown body -> safe HTML, with Python-Markdown.

Python-Markdown with its standard extensions: tables, fenced code highlighted by Pygments
(codehilite), footnotes, definition lists, heading ids (toc: ``{#id}`` through attr_list,
or a slug of the heading text that keeps Chinese characters), ``sane_lists``; then an
allow-list sanitiser (nh3), because case files come from scraped pages and many hands and
the output is public. ``**`` is bold next to Chinese punctuation (``中文**“引号”**中文``):
Python-Markdown pairs ``*`` runs without CommonMark's flanking rules.

casebook's additions (``_CasebookExtension``), each small:

- **Lists as editors write them.** Python-Markdown wants a nested list, or a second
  paragraph of an item, indented by four spaces; editors and their previews (CommonMark)
  indent to the item's text: two spaces under ``- ``, three under ``1. ``.
  ``_ListIndent`` (a preprocessor) re-indents list items to Python-Markdown's four
  spaces per level, and ``_ListAfterParagraph`` lets a list start right under a
  paragraph line (``说明：`` then ``- 一``), which Python-Markdown would keep in the
  paragraph. The extensions that promise the first, mdx_truly_sane_lists and
  mdx_better_lists, set the indent to two spaces everywhere, so a list nested by four
  spaces (``tests/data/markdown_features.md`` has one) became text (and with
  mdx_truly_sane_lists a second paragraph under an item took the next item in);
  mdx_breakless_lists does the second but adds blank lines inside fenced code too.
- **Text stays text** as it did: any ASCII punctuation may be escaped with a backslash
  (``\\<``, ``\\&``, ``\\~``, ``\\:``; the importer writes them), and a heading needs a
  space after its ``#`` (``#话题#`` at the start of a line is a hashtag, not a heading).
- **Table alignment as a class** (``align-left``): inline styles are not allowed by the
  Content-Security-Policy.
- One Python-Markdown instance per thread (it keeps state and is not thread-safe),
  ``reset()`` before each body.

casebook rendered bodies with markdown-it (CommonMark) before; the HTML of the sample
content, of the feature file (``tests/data/markdown_features.html``) and of 2,000
generated bodies is byte-identical. Where the two grammars differ, on input none of them
contains, Python-Markdown's rule now applies:

- a list is loose (``<li><p>``) item by item, where a blank line is next to the item,
  not as a whole; a ``- `` item right under a ``1.`` item is nested in it, a ``*`` or
  ``+`` item continues a ``-`` list, and ``1)`` does not start a list;
- fenced code starts at the left margin (inside a list item it is inline code), and its
  info string is one language name (``python``) or ``{...}`` attributes;
- ``{: .class}`` sets attributes on paragraphs, list items, links and images too (the
  sanitiser keeps only ``id``, ``class``, ``title`` and ``lang``);
- unpaired ``*`` and ``_`` resolve as Python-Markdown pairs them (``“1+6”平台**重点**abc``
  is bold, CommonMark left it literal; ``***both***`` is still ``<strong><em>``);
- a space ending a paragraph stays before ``</p>``; an autolink's non-ASCII characters
  stay as they are in ``href`` (CommonMark percent-encoded them); a footnote that ends
  with a quote or list gets its back-link in a paragraph of its own, without ``&nbsp;``.

:attr:`Rendered.headings` now also lists a heading with a class (``## 结尾 {#end .wide}``),
which the old pattern skipped; the HTML is the same.
"""

from __future__ import annotations

import functools
import pickle
import re
import string
import threading
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode, unique
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor
from markdown.util import AtomicString

from .imagemarkup import PhotoExtension
from .images import Pictures

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "picture", "source",  # a page bundle's pictures (casebook.imagemarkup)
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding", "fetchpriority"},
    "source": {"srcset", "sizes", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_URL_TRIM = "".join(map(chr, range(0x21)))  # C0 controls and space: browsers trim them from a URL
_TAB_NEWLINE_RE = re.compile(r"[\t\n\r]")  # and remove these anywhere in it
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_ID_ATTR_RE = re.compile(r'(<[a-zA-Z][a-zA-Z0-9]*(?:\s+[^\s"=<>/]+(?:="[^"]*")?)*?\s+id=")([^"]*)"')
_FRAGMENT_HREF_RE = re.compile(r'(\shref="#)([^"]*)"')
_HEADING_RE = re.compile(r'<h([2-6])((?:\s[a-z-]+="[^"]*")*)>(.*?)</h\1>', re.DOTALL)  # sanitised: attributes quoted
_HEADING_ID_RE = re.compile(r'\sid="([^"]+)"')
_TAG_RE = re.compile(r"<[^>]+>")


def browser_url(value: str) -> str:
    """A URL as a browser reads it (the WHATWG URL parser): C0 controls and spaces trimmed,
    tabs and newlines removed, and in an http(s) or scheme-less URL ``\\`` taken as ``/``.
    So ``/\\evil.example/x.png``, ``\\\\evil.example`` and `` //evil.example`` are all seen
    for what they are, ``//evil.example``: another host."""
    value = _TAB_NEWLINE_RE.sub("", value.strip(_URL_TRIM))
    scheme = _SCHEME_RE.match(value)
    if scheme is None or scheme[1].lower() in ("http", "https"):
        value = value.replace("\\", "/")
    return value


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


Body = Rendered | bytes
"""A rendered body, or its pickle. Worker processes send bodies back pickled: the
coordinating process only passes them on (to the cache, to forked page renderers), and
each is unpickled by the process that renders a page with it, in parallel."""


def unpack(body: Body) -> Rendered:
    return pickle.loads(body) if isinstance(body, bytes) else body


def protect_ids(body: Rendered, reserved: frozenset[str]) -> Rendered:
    """The body with every element id the theme uses (``reserved``: ``copy-link``, ``main``)
    renamed ``copy-link_1`` (and the body's own ``#copy-link`` links with it), so that a body
    cannot hijack the theme's button or skip link: ``getElementById`` finds the first element
    with an id, and the body comes before most of the page. ``body.html`` is sanitised HTML
    (every attribute double-quoted, ``"`` in values escaped), so the ids are found exactly."""
    ids = [m[2] for m in _ID_ATTR_RE.finditer(body.html)] if 'id="' in body.html else []
    clashes = reserved.intersection(ids)
    if not clashes:
        return body
    used = set(ids) | reserved
    renamed: dict[str, str] = {old: unique(old, used) for old in sorted(clashes)}
    html = _ID_ATTR_RE.sub(lambda m: m[1] + renamed.get(m[2], m[2]) + '"', body.html)
    html = _FRAGMENT_HREF_RE.sub(lambda m: m[1] + renamed.get(m[2], m[2]) + '"', html)
    headings = tuple(Heading(h.level, renamed.get(h.id, h.id), h.text) for h in body.headings)
    return Rendered(html, headings)


# -- lists as editors write them -------------------------------------------------------------------

_ITEM_RE = re.compile(r"( *)([*+-]|\d{1,9}\.)( {1,4}(?=\S)| *$)")  # a list item's marker and the space after it
_HR_RE = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")  # `* * *` is a rule, not an item
_LIST_UNDER_TEXT_RE = re.compile(r"^ {0,3}(?:[*+-]|1\.) +\S", re.M)  # the items that may interrupt a paragraph
# Python-Markdown's heading line, but as in CommonMark with a space after the #s (``#话题#`` at
# the start of a line, a Weibo hashtag, stays text) and up to three spaces before them.
_ATX_HEADING_RE = re.compile(
    r"(?:^|\n) {0,3}(?P<level>#{1,6})(?P<header>(?:[ \t](?:\\.|[^\\#]|#+(?=[^#\n]))*?)?)#*(?:\n|$)")


class _ListIndent(Preprocessor):
    """Re-indent what is inside list items from the item's text column (CommonMark, as
    editors write: two spaces under ``- ``, three under ``1. ``, or four) to Python-Markdown's
    four spaces per level. Runs after fenced code and raw HTML are set aside, so their lines
    are never touched; lines outside lists are left as they are.

    Python-Markdown reads blank-line-separated blocks: an indented block after a blank line
    belongs to the item above, and so does every later line of that block. So where a line
    leaves the items its block started in (``- c`` after an indented second paragraph), a
    blank line is put before it."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[tuple[int, int]] = []  # per open item: its text column here, and for Python-Markdown
        before = "blank"  # the line before: "blank", "item" (an item line or its first paragraph), "other"
        block_depth = 0  # how many items the block's first line (after a blank line) is in
        for line in lines:
            if not line.strip():
                out.append(line)
                before = "blank"
                continue
            n = len(line) - len(line.lstrip(" "))
            item = _ITEM_RE.match(line)
            if item is not None and _HR_RE.match(line):
                item = None
            if item is None and before != "blank" and (before == "item" or (stack and n < stack[-1][0])):
                out.append(line.lstrip(" ") if stack else line)  # the paragraph goes on (lazily or not)
                continue
            while stack and n < stack[-1][0]:
                stack.pop()
            if item is not None and not stack and n > 3:
                item = None  # an indented code block
            if before == "blank":
                block_depth = len(stack)
            elif len(stack) < block_depth:
                out.append("")
                block_depth = len(stack)
            if item is not None:
                indent = stack[-1][1] if stack else n
                stack.append((n + len(item[2]) + max(1, len(item[3])), 4 * (len(stack) + 1)))
                before = "item"
            else:
                indent = stack[-1][1] + n - stack[-1][0] if stack else n
                before = "other"
            out.append(" " * indent + line[n:])
        return out


class _ListAfterParagraph(BlockProcessor):
    """A list may start right under a paragraph line, as in CommonMark: a ``-``, ``*``,
    ``+`` or ``1.`` item splits the paragraph. Runs just before the paragraph processor,
    so it only sees blocks no other processor took."""

    def test(self, parent: Element, block: str) -> bool:
        newline = block.find("\n")
        return newline >= 0 and _LIST_UNDER_TEXT_RE.search(block, newline) is not None

    def run(self, parent: Element, blocks: list[str]) -> bool:
        block = blocks[0]
        m = _LIST_UNDER_TEXT_RE.search(block, block.index("\n"))
        assert m is not None
        blocks[0:1] = [block[:m.start()].rstrip("\n"), block[m.start():]]
        return False  # the two parts go through every processor again


class _AlignClass(Treeprocessor):
    """A table column's alignment as a class (``align-left``), not an inline style."""

    def run(self, root: Element) -> None:
        for cell in root.iter():
            if cell.tag in ("th", "td") and "style" in cell.attrib:
                cell.set("class", "align-" + cell.attrib.pop("style").removeprefix("text-align: ").rstrip(";"))


class _Unescape(UnescapeTreeprocessor):
    """An escaped ``&`` stays a character: ``\\&lt;`` shows ``&lt;``, as in CommonMark (Python-
    Markdown would write the ``&`` back bare, and the browser would read ``&lt;`` as ``<``)."""

    def _unescape(self, m: re.Match[str]) -> str:
        char = chr(int(m.group(1)))
        return "&amp;" if char == "&" else char


#: What the text of an element must contain for each inline pattern to match there.
_INLINE_TRIGGERS = {
    "backtick": r"`", "escape": r"\\", "footnote": r"\[", "reference": r"\[", "link": r"\[",
    "image_link": r"\[", "image_reference": r"\[", "short_reference": r"\[", "short_image_ref": r"\[",
    "autolink": "<", "automail": "<", "html": "<", "entity": "&", "linebreak": "  \n", "em_strong": r"[*_]",
}


class _PlainText(Treeprocessor):
    """Text in which no inline pattern can match is marked atomic, so the inline processor
    does not try its 15 patterns on it one by one: most of a Chinese case body is such text,
    and those tries were half the time of a body. The output is the same (the
    tests render the feature file, the sample content and 400 generated bodies both ways).
    An inline pattern this table does not know (a later extension's) turns this off."""

    def run(self, root: Element) -> None:
        names = [name for name in _INLINE_TRIGGERS if name in self.md.inlinePatterns]
        if len(names) != len(self.md.inlinePatterns):
            return
        triggers = re.compile("|".join({_INLINE_TRIGGERS[name] for name in names}))
        for el in root.iter():
            if el.text and type(el.text) is str and triggers.search(el.text) is None:
                el.text = AtomicString(el.text)
            if el.tail and type(el.tail) is str and triggers.search(el.tail) is None:
                el.tail = AtomicString(el.tail)


class _CasebookExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Any ASCII punctuation may be escaped with a backslash, as in CommonMark (Python-Markdown
        # knows 16): the importer writes \<, \&, \~~~ or \: to keep an article's text literal.
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
        md.treeprocessors.register(_Unescape(md), "unescape", 0)
        md.parser.blockprocessors["hashheader"].RE = _ATX_HEADING_RE  # type: ignore[attr-defined]
        md.preprocessors.register(_ListIndent(md), "casebook_list_indent", 15)  # after fenced code, raw HTML
        md.parser.blockprocessors.register(_ListAfterParagraph(md.parser), "casebook_list_after_paragraph", 11)
        md.treeprocessors.register(_AlignClass(md), "casebook_align_class", 0)
        md.treeprocessors.register(_PlainText(md), "casebook_plain_text", 25)  # just before "inline"


def markdown_parser() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "fenced_code", "footnotes", "attr_list", "def_list", "codehilite", "toc",
                    "sane_lists", _CasebookExtension(), PhotoExtension()],
        extension_configs={
            "footnotes": {"BACKLINK_TITLE": "返回正文（脚注 %d）"},
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": slugify_unicode, "marker": ""},  # no [TOC] marker: a body's text stays text
        },
        output_format="html",
    )


_local = threading.local()


def _parser() -> markdown.Markdown:
    """This thread's parser, made once: building one costs more than rendering a body."""
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown_parser()
    return md


@functools.lru_cache(maxsize=8)
def _cleaner(base_path: str) -> nh3.Cleaner:
    """The sanitiser, configured once per base path (nh3.clean() would convert the allow-lists
    again for every body). nh3's Cleaner may be shared between threads."""
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=functools.partial(_rebase, base_path),
        strip_comments=True,
    )


def _rebase(base_path: str, tag: str, attr: str, value: str) -> str | None:
    """Root-relative links in a body (``/cases/x/``) follow the site's base path.

    An image from another host loses its ``src``: pages make no request to other
    origins (privacy, speed, and the Content-Security-Policy would block it anyway;
    feed readers have no such policy); its ``alt`` text stays. Copy such images into
    the theme or content instead. Every URL is first read as a browser reads it
    (:func:`browser_url`) and written that way, so ``/\\evil.example/x.png`` is another
    host, not a local path.
    """
    if attr == "srcset":  # a bundle's pictures: every candidate a path of this site, else none
        candidates = [c.split() for c in value.split(",")]
        paths = [browser_url(c[0]) if c else "" for c in candidates]
        if not all(p.startswith("/") and not p.startswith("//") for p in paths):
            return None
        return ", ".join(" ".join((base_path + p[1:], *c[1:])) for p, c in zip(paths, candidates))
    if attr not in ("href", "src"):
        return value
    value = browser_url(value)
    scheme = _SCHEME_RE.match(value)
    if scheme and scheme[1].lower() not in URL_SCHEMES:  # nh3 checked the scheme; this is a second lock
        return None
    if value.startswith("/") and not value.startswith("//"):
        return base_path + value[1:]
    if tag == "img" and attr == "src" and (value.startswith("//") or ":" in value.split("/")[0]):
        return None
    return value


class MarkdownRenderer:
    """Markdown -> sanitised HTML for a site at ``base_path``. Cheap to make: the parser and
    the sanitiser behind it are made once per thread and per base path."""

    def __init__(self, base_path: str = "/"):
        self.base_path = base_path

    def to_html(self, text: str, pictures: Pictures | None = None) -> str:
        """The body as HTML, before sanitising; its images named in ``pictures`` as pictures."""
        md = _parser().reset()
        md.pictures = pictures  # type: ignore[attr-defined]  # read by casebook.imagemarkup
        return md.convert(text)

    def sanitize(self, html: str) -> str:
        return _cleaner(self.base_path).clean(html)

    def render(self, text: str, pictures: Pictures | None = None) -> Rendered:
        html = self.sanitize(self.to_html(text, pictures))
        headings = tuple(
            Heading(int(level), hid[1], _TAG_RE.sub("", inner).strip())
            for level, attrs, inner in _HEADING_RE.findall(html)
            if (hid := _HEADING_ID_RE.search(attrs))
        )
        return Rendered(html, headings)
