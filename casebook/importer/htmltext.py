"""HTML pages -> main text and metadata, through trafilatura.

trafilatura separates the article from navigation, comments and sidebars far
better than anything we would write; we ask it for plain text (one paragraph
per line, which is what the passes expect) and for the page's own metadata.
Its date search is limited to the page's metadata and header
(``extensive_search`` off) so a date in a "latest news" sidebar is not taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from ..errors import CasebookError


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
        include_images=False,
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise CasebookError("no article text found in this HTML page", source)
    meta = HtmlMeta(
        title=doc.title or None,
        date=doc.date or None,
        author=doc.author or None,
        sitename=doc.sitename or None,
        url=doc.url or url,
    )
    return text, meta
