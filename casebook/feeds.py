"""Atom feeds and the sitemap, built with ElementTree so every string is escaped.

Dates come from content, never from the clock, so two builds are byte-identical. An
undated case takes the newest date in the feed (Atom requires one for every entry).
Characters XML 1.0 forbids (controls such as ``\x0b``, ``\x1b`` or ``\0``, lone surrogates,
``\ufffe``) are removed: one in a title or body would make the whole feed unreadable, and
ElementTree writes them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from xml.etree import ElementTree as ET

from .config import Config
from .errors import CasebookError
from .model import Article

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(root: ET.Element) -> bytes:
    """The document, indented, with every character XML 1.0 forbids removed."""
    ET.indent(root)
    text = _NOT_XML_RE.sub("", ET.tostring(root, encoding="unicode"))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + text.encode("utf-8") + b"\n"


def atom_date(date: str | None, fallback: str = EPOCH) -> str:
    """RFC 3339 from a content date: ``2024-05`` -> ``2024-05-01T00:00:00Z``."""
    if not date:
        return fallback
    return (date if len(date) == 10 else date + "-01") + "T00:00:00Z"


def atom_feed(config: Config, title: str, self_url: str, alt_url: str,
              articles: Sequence[Article], html_of: Callable[[Article], str]) -> bytes:
    """An Atom 1.0 feed of the newest ``feed_limit`` cases."""
    items = list(articles[: config.feed_limit])
    updated = max((atom_date(a.date) for a in items if a.date), default=EPOCH)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": config.language})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = config.url(alt_url)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=config.url(self_url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=config.url(alt_url))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = config.author or config.title
    for art in items:
        url = config.url(f"cases/{art.slug}/")
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = art.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = atom_date(art.date, updated)
        if art.date:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = atom_date(art.date)
        for name in art.authors:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = name
        for term in filter(None, (art.province, *art.practices)):  # a shown draft has both
            ET.SubElement(entry, f"{{{ATOM}}}category", term=term.slug, label=term.name)
        if art.blurb:  # the summary, else the excerpt of the first paragraph, as on the cards
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = art.blurb
        ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = html_of(art)
    return _xml(feed)


def sitemap(config: Config, pages: Sequence[tuple[str, str | None]]) -> bytes:
    """``pages`` are (site-relative URL, W3C date or None)."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}urlset")
    for url, date in sorted(pages):
        node = ET.SubElement(root, f"{{{ns}}}url")
        ET.SubElement(node, f"{{{ns}}}loc").text = config.url(url)
        if date:
            ET.SubElement(node, f"{{{ns}}}lastmod").text = date
    return _xml(root)


def robots(config: Config) -> bytes:
    """``robots.txt``: a line-based file, so a URL holding a line break or another control or
    space character (which no URL may hold) would add lines of its own: refused."""
    sitemap_url = config.url("sitemap.xml")
    if any(ch.isspace() or not ch.isprintable() for ch in sitemap_url):
        raise CasebookError(f"base_url {config.base_url!r} contains a space, line break or control "
                            "character: write it percent-encoded (%20)", config.root / "site.yaml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
