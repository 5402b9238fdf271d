"""Markdown body -> safe HTML.

markdown-it-py (CommonMark) with tables, footnotes, definition lists, heading ids
(``{#id}`` or generated from the heading text) and fenced code highlighted by Pygments;
then an allow-list sanitiser (nh3), because case files come from scraped pages and many
hands and the output is public.

Why markdown-it-py: it renders a generated case body in about half the time of
Python-Markdown (``bench/markdown_libs.py``; Markdown is the largest cost of a cold
build). casebook used Python-Markdown first, so the HTML of every documented feature is
kept byte-identical to what Python-Markdown produced (``tests/test_markup.py`` renders the
feature corpus, the sample content and a generated corpus with both): footnote ids and
numbering, heading slugs, code-block markup and list whitespace follow its conventions,
and ``**`` emphasis works next to Chinese punctuation (``中文**“引号”**中文``), which plain
CommonMark refuses. Where the two grammars disagree on unusual input (a list directly
after a paragraph line, a list mixing tight and loose items), CommonMark's rule applies.

markdown-it-py with these rules is the reference. Most bodies are parsed by markdown-it.rs
instead, in 40% of the time, and rendered to the same HTML (``markup_fast.py``); a body
that parser could read differently comes here.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import (
    escapeHtml,
    isMdAsciiPunct,
    isPunctChar,
    isWhiteSpace,
)
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import markup_fast
from .markup_rules import (
    FOOTNOTES_CLOSE,
    FOOTNOTES_OPEN,
    cjk,
    code_block,
    footnote_backlinks,
    footnote_ref,
    slugify,
    split_attr_list,
    unique_id,
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
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
_HEADING_RE = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
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
    renamed = {old: unique_id(old, used) for old in sorted(clashes)}
    html = _ID_ATTR_RE.sub(lambda m: m[1] + renamed.get(m[2], m[2]) + '"', body.html)
    html = _FRAGMENT_HREF_RE.sub(lambda m: m[1] + renamed.get(m[2], m[2]) + '"', html)
    headings = tuple(Heading(h.level, renamed.get(h.id, h.id), h.text) for h in body.headings)
    return Rendered(html, headings)


# -- emphasis next to Chinese text -----------------------------------------------------------------

def _emphasis(state: StateInline, silent: bool) -> bool:
    """CommonMark's emphasis tokenizer, except that for ``*`` a CJK character beside the run
    counts as punctuation (the idea of the CJK-friendly amendment to CommonMark), so
    ``中文**“引号”**中文`` is bold, as writers of Chinese expect. ``_`` keeps the CommonMark
    rule, so ``a_b_c`` and ``与__粗体__和`` stay literal."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    if marker == "_":
        scanned = state.scanDelims(start, False)
        can_open, can_close, length = scanned.can_open, scanned.can_close, scanned.length
    else:
        end = start
        while end < state.posMax and state.src[end] == "*":
            end += 1
        length = end - start
        before = state.src[start - 1] if start > 0 else " "
        after = state.src[end] if end < state.posMax else " "
        before_space, after_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
        before_punct = isMdAsciiPunct(ord(before)) or isPunctChar(before) or cjk(before)
        after_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after) or cjk(after)
        can_open = not (after_space or (after_punct and not (before_space or before_punct)))
        can_close = not (before_space or (before_punct and not (after_space or after_punct)))
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=length, token=len(state.tokens) - 1,
                                          end=-1, open=can_open, close=can_close))
    state.pos += length
    return True


_TRIPLE_RUNS = ("***", "*__", "_**", "___")  # the only ways to open <em> and <strong> at once


def _swap(a: Token, b: Token) -> None:
    a.type, a.tag, a.markup, b.type, b.tag, b.markup = b.type, b.tag, b.markup, a.type, a.tag, a.markup


def _strong_outside(state: StateCore) -> None:
    """``***both***`` as ``<strong><em>`` (Python-Markdown's nesting; CommonMark's is the reverse)."""
    if not any(run in state.src for run in _TRIPLE_RUNS):  # most bodies: nothing to look at
        return
    for block in state.tokens:
        if not (block.children and any(run in block.content for run in _TRIPLE_RUNS)):
            continue
        kids = [t for t in block.children if t.type != "text" or t.content]  # delimiters leave empty texts
        for i in range(len(kids) - 1):
            if kids[i].type == "em_open" and kids[i + 1].type == "strong_open":
                depth, j = 0, i + 1
                while j < len(kids) and not (kids[j].type == "strong_close" and depth == 1):
                    depth += kids[j].nesting if kids[j].tag == "strong" else 0
                    j += 1
                if j + 1 < len(kids) and kids[j + 1].type == "em_close":
                    _swap(kids[i], kids[i + 1])
                    _swap(kids[j], kids[j + 1])


# -- heading ids ---------------------------------------------------------------------------------

def _plain_text(children: Sequence[Token]) -> str:
    """The words of a heading, for its slug: text and code, also inside emphasis and links; not raw HTML."""
    return "".join(t.content for t in children if t.type in ("text", "code_inline"))


def _take_attr_list(inline: Token) -> list[tuple[str, str]]:
    """Strip a trailing ``{#id .class key=value}`` from a heading; return its attributes."""
    last = inline.children[-1] if inline.children else None
    if last is None or last.type != "text":
        return []
    last.content, attrs = split_attr_list(last.content)
    return attrs


def _heading_ids(state: StateCore) -> None:
    """Every heading gets an id: its ``{#id}`` if given, else a unique slug of its text."""
    headings = [(tok, state.tokens[i + 1]) for i, tok in enumerate(state.tokens) if tok.type == "heading_open"]
    used: set[str] = set()
    for tok, inline in headings:
        for name, value in _take_attr_list(inline):
            tok.attrSet(name, value)
        if tok.attrGet("id"):
            used.add(str(tok.attrGet("id")))
    for tok, inline in headings:
        if not tok.attrGet("id"):
            tok.attrSet("id", unique_id(slugify(_plain_text(inline.children or [])), used))


# -- footnotes in Python-Markdown's shape ---------------------------------------------------------

def _footnote_tail(state: StateCore) -> None:
    """Move every footnote definition (referenced or not: none is dropped) to one list at the
    end, numbered in definition order, with a back-link to each of its references."""
    tokens: list[Token] = []
    notes: dict[str, list[Token]] = {}
    current: list[Token] | None = None
    for tok in state.tokens:
        if tok.type == "footnote_reference_open":
            current = notes.setdefault(tok.meta["label"], [])
        elif tok.type == "footnote_reference_close":
            current = None
        elif current is not None:
            current.append(tok)
        else:
            tokens.append(tok)
    if not notes:
        state.tokens = tokens
        return
    number = {label: n for n, label in enumerate(notes, 1)}
    refs: dict[str, int] = {}
    for tok in tokens + [t for body in notes.values() for t in body]:
        for child in tok.children or ():
            if child.type == "footnote_ref":
                label = child.meta["label"]
                refs[label] = refs.get(label, 0) + 1
                child.meta.update(number=number[label], ordinal=refs[label])
    tokens.append(Token("footnote_block_open", "", 1))
    for label, body in notes.items():
        anchor = Token("footnote_anchor", "", 0, meta={"label": label, "number": number[label],
                                                       "refs": refs.get(label, 0)})
        opening = Token("footnote_open", "", 1, meta={"label": label})
        if body and body[-1].type == "paragraph_close":
            tokens += [opening, *body[:-1], anchor, body[-1]]
        else:
            tokens += [opening, *body, Token("paragraph_open", "p", 1, block=True), anchor,
                       Token("paragraph_close", "p", -1, block=True)]
        tokens.append(Token("footnote_close", "", -1))
    tokens.append(Token("footnote_block_close", "", -1))
    state.tokens = tokens


def _render_footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    return footnote_ref(meta["label"], meta["number"], meta["ordinal"])


def _render_footnote_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    return footnote_backlinks(meta["label"], meta["number"], meta["refs"])


def _fixed(html: str) -> Any:
    return lambda self, tokens, idx, options, env: html


def _render_footnote_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<li id="fn:{tokens[idx].meta["label"]}">\n'


# -- code and lists --------------------------------------------------------------------------------

def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return code_block(tokens[idx].content, tokens[idx].info)


def _render_code_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return code_block(tokens[idx].content, "")


def _render_list_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A list nested in a tight item starts on the item's line (``<li>text<ul>``)."""
    html: str = self.renderToken(tokens, idx, options, env)
    return html[1:] if idx and tokens[idx - 1].hidden and html.startswith("\n") else html


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """``alt`` before ``src``, as Python-Markdown wrote it (the attribute order reaches the page)."""
    tok = tokens[idx]
    alt = escapeHtml(self.renderInlineAsText(tok.children or [], options, env))
    title = tok.attrGet("title")
    return (f'<img alt="{alt}" src="{escapeHtml(str(tok.attrGet("src")))}"'
            + (f' title="{escapeHtml(str(title))}"' if title else "") + ">")


def _render_html_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return tokens[idx].content + "\n"


def _table_alignment(state: StateCore) -> None:
    """Column alignment as a class (``align-left``): inline styles are not allowed by the CSP."""
    for tok in state.tokens:
        if tok.type in ("th_open", "td_open"):
            style = tok.attrGet("style")
            if style:
                tok.attrs.pop("style")
                tok.attrSet("class", "align-" + str(style).removeprefix("text-align:"))


def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Every link becomes a link: the sanitiser (one place for the URL policy) removes a
    # ``javascript:`` href and keeps the link text, instead of the parser printing the raw syntax.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.use(footnote_plugin, inline=False, move_to_end=False).use(deflist_plugin)
    md.inline.ruler.at("emphasis", _emphasis)
    md.core.ruler.push("strong_outside", _strong_outside)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("footnote_tail", _footnote_tail)
    md.core.ruler.push("table_alignment", _table_alignment)
    rules = {
        "footnote_ref": _render_footnote_ref,
        "footnote_anchor": _render_footnote_anchor,
        "footnote_block_open": _fixed(FOOTNOTES_OPEN),
        "footnote_block_close": _fixed(FOOTNOTES_CLOSE),
        "footnote_open": _render_footnote_open,
        "footnote_close": _fixed("</li>\n"),
        "fence": _render_fence,
        "code_block": _render_code_block,
        "image": _render_image,
        "html_block": _render_html_block,
        "bullet_list_open": _render_list_open,
        "ordered_list_open": _render_list_open,
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)
    return md


class MarkdownRenderer:
    """One configured parser, reused across documents (building it costs more than a body)."""

    def __init__(self, base_path: str = "/"):
        self.base_path = base_path
        self._md = markdown_parser()
        # Configured once: nh3.clean() would convert the allow-lists again for every body.
        self._cleaner = nh3.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            attribute_filter=self._rebase,
            strip_comments=True,
        )

    def _rebase(self, tag: str, attr: str, value: str) -> str | None:
        """Root-relative links in a body (``/cases/x/``) follow the site's base path.

        An image from another host loses its ``src``: pages make no request to other
        origins (privacy, speed, and the Content-Security-Policy would block it anyway;
        feed readers have no such policy); its ``alt`` text stays. Copy such images into
        the theme or content instead. Every URL is first read as a browser reads it
        (:func:`browser_url`) and written that way, so ``/\\evil.example/x.png`` is another
        host, not a local path.
        """
        if attr not in ("href", "src"):
            return value
        value = browser_url(value)
        scheme = _SCHEME_RE.match(value)
        if scheme and scheme[1].lower() not in URL_SCHEMES:  # nh3 checked the scheme; this is a second lock
            return None
        if value.startswith("/") and not value.startswith("//"):
            return self.base_path + value[1:]
        if tag == "img" and attr == "src" and (value.startswith("//") or ":" in value.split("/")[0]):
            return None
        return value

    def to_html(self, text: str) -> str:
        """The body as HTML, before sanitising: through markdown-it.rs where it gives the same
        HTML (most bodies, in 40% of the time: ``markup_fast.py``), else through markdown-it-py."""
        html = markup_fast.to_html(text)
        return self.exact_html(text) if html is None else html

    def exact_html(self, text: str) -> str:
        """The body through markdown-it-py and the rules above: the reference for every body."""
        return self._md.render(text).strip()

    def sanitize(self, html: str) -> str:
        return self._cleaner.clean(html)

    def render(self, text: str) -> Rendered:
        html = self.sanitize(self.to_html(text))
        headings = tuple(
            Heading(int(level), hid, _TAG_RE.sub("", inner).strip())
            for level, hid, inner in _HEADING_RE.findall(html)
        )
        return Rendered(html, headings)
