"""Markdown body -> safe HTML.

Python-Markdown with tables, fenced code (highlighted by Pygments), footnotes, TOC
anchors and ``{#id}`` attributes; then an allow-list sanitiser (nh3), because case files
come from scraped pages and many hands and the output is public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

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
_ALIGN_RE = re.compile(r' style="text-align: (left|right|center);"')
_HEADING_RE = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


class MarkdownRenderer:
    """One configured Markdown instance, reused (and reset) across documents for speed."""

    def __init__(self, base_path: str = "/"):
        self.base_path = base_path
        self._md = markdown.Markdown(
            extensions=["tables", "fenced_code", "footnotes", "attr_list", "def_list", "abbr",
                        "codehilite", "toc", "sane_lists"],
            extension_configs={
                "footnotes": {"BACKLINK_TITLE": "返回正文（脚注 %d）"},
                "codehilite": {"css_class": "highlight", "guess_lang": False},
                "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
            },
            output_format="html",
        )

    def _rebase(self, tag: str, attr: str, value: str) -> str | None:
        """Root-relative links in a body (``/cases/x/``) follow the site's base path.

        An image from another host loses its ``src``: pages make no request to other
        origins (privacy, speed, and the Content-Security-Policy would block it anyway);
        its ``alt`` text stays. Copy such images into the theme or content instead.
        """
        if attr in ("href", "src") and value.startswith("/") and not value.startswith("//"):
            return self.base_path + value[1:]
        if tag == "img" and attr == "src" and (value.startswith("//") or ":" in value.split("/")[0]):
            return None
        return value

    def render(self, text: str) -> Rendered:
        html = self._md.reset().convert(text)
        html = _ALIGN_RE.sub(r' class="align-\1"', html)
        html = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            attribute_filter=self._rebase,
            strip_comments=True,
        )
        headings = tuple(
            Heading(int(level), hid, _TAG_RE.sub("", inner).strip())
            for level, hid, inner in _HEADING_RE.findall(html)
        )
        return Rendered(html, headings)
