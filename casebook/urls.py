"""Every URL and output path in one place, as patterns (pretty URLs: ``x/`` -> ``x/index.html``).

URLs here are site-relative without a leading slash; :meth:`Config.url` makes them absolute
and the templates' ``url()`` prefixes the base path, so a sub-path ``base_url`` just works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Group
    from .taxonomy import Taxonomy

KINDS = {"province": "provinces", "practice": "practices"}
#: First path segments of casebook's own pages and files: no taxonomy may take them.
BUILT_IN = frozenset({"cases", "search", "assets", "pagefind"})
#: The segment of a term's later pages (``provinces/yunnan/page/2/``): no term nested
#: under a parent term's pages may take it as its slug.
PAGE = "page"


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


def taxonomy_index(taxonomy: Taxonomy) -> str:
    """The page listing a taxonomy's terms: ``years/``."""
    return f"{taxonomy.path}/"


def group_page(taxonomy: Taxonomy, group: Group, page: int = 1) -> str:
    """A term's page: ``years/2025/``, or under its parent term ``provinces/yunnan/yuxi/``."""
    return _group_base(taxonomy, group) + _page(page)


def group_feed(taxonomy: Taxonomy, group: Group) -> str:
    return _group_base(taxonomy, group) + "feed.xml"


def _group_base(taxonomy: Taxonomy, group: Group) -> str:
    parent = f"{group.parent.slug}/" if group.parent else ""
    return f"{taxonomy.path}/{parent}{group.term.slug}/"


def _page(page: int) -> str:
    return "" if page == 1 else f"{PAGE}/{page}/"


def output_path(url: str) -> str:
    """The file a URL is served from."""
    return url + "index.html" if url == "" or url.endswith("/") else url
