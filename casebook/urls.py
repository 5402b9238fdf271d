"""Every URL and output path in one place, as patterns (pretty URLs: ``x/`` -> ``x/index.html``).

URLs here are site-relative without a leading slash; :meth:`Config.url` makes them absolute
and the templates' ``url()`` prefixes the base path, so a sub-path ``base_url`` just works.
"""

from __future__ import annotations

KINDS = {"province": "provinces", "practice": "practices"}


def case(slug: str) -> str:
    return f"cases/{slug}/"


def case_list(page: int = 1) -> str:
    return "cases/" + _page(page)


def term_index(kind: str) -> str:
    return f"{KINDS[kind]}/"


def term(kind: str, slug: str, page: int = 1) -> str:
    return f"{KINDS[kind]}/{slug}/" + _page(page)


def term_feed(kind: str, slug: str) -> str:
    return f"{KINDS[kind]}/{slug}/feed.xml"


def _page(page: int) -> str:
    return "" if page == 1 else f"page/{page}/"


def output_path(url: str) -> str:
    """The file a URL is served from."""
    return url + "index.html" if url == "" or url.endswith("/") else url
