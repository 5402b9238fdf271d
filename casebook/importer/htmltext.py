"""HTML pages -> main text and metadata, through trafilatura.

trafilatura separates the article from navigation, comments and sidebars far
better than anything we would write; we ask it for plain text (one paragraph
per line, which is what the passes expect) and for the page's own metadata.
trafilatura drops a meta author without a space or of two characters or
fewer, which loses most Chinese names (陈静), so the author meta tag is read
directly when it returns none. Its date search is limited to the page's metadata and header
(``extensive_search`` off) so a date in a "latest news" sidebar is not taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document, use_config

from ..errors import CasebookError

#: trafilatura's size floors count characters; 250 characters of Chinese are a
#: whole short report, and below the floor it falls back to one run-on paragraph.
MIN_EXTRACTED_SIZE = 50
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))


@dataclass(frozen=True)
class HtmlMeta:
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None


def extract(html: str, source: str, url: str | None = None) -> tuple[str, HtmlMeta]:
    """The article text and metadata of one page; an error when no article is found."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=True,  # photo lines mark the captions under them; a pass removes them
        favor_recall=True,
        config=_CONFIG,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(doc, Document) or not doc.text:
        raise CasebookError("no article text found in this HTML page", source)
    text: str = doc.text
    meta = HtmlMeta(
        title=doc.title or None,
        date=doc.date or None,
        author=doc.author or _meta_author(html),
        sitename=doc.sitename or None,
        url=doc.url or url,
    )
    return text, meta


def _meta_author(html: str) -> str | None:
    """The ``author`` / ``article:author`` meta tag, as written."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    values = tree.xpath('//meta[@name="author" or @property="article:author"]/@content')
    return values[0].strip() or None if values else None
