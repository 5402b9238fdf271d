"""Every URL and output path in one place, as patterns (pretty URLs: ``x/`` -> ``x/index.html``).

URLs here are site-relative without a leading slash; :meth:`Config.url` makes them absolute
and the templates' ``url()`` prefixes the base path, so a sub-path ``base_url`` just works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Group
    from .taxonomy import Taxonomy

#: The ``/cases/`` filter's parameter for each taxonomy it filters by: also the field of
#: ``cases.json`` (:func:`casebook.render.facet_index`) and the facet's name in ``facets.js``.
#: The practice taxonomy's key is ``practices``; its parameter stays ``practice``.
FILTERS = {"province": "province", "practices": "practice", "year": "year"}
#: First path segments of casebook's own pages and files: no taxonomy may take them.
BUILT_IN = frozenset({"cases", "search", "assets", "search-index", "photos"})
#: The segment of a term's later pages (``provinces/yunnan/page/2/``): no term nested
#: under a parent term's pages may take it as its slug.
PAGE = "page"


def case(slug: str) -> str:
    return f"cases/{slug}/"


def case_list(page: int = 1) -> str:
    return "cases/" + _page(page)


def taxonomy_index(taxonomy: Taxonomy) -> str:
    """The page listing a taxonomy's terms: ``years/``."""
    return f"{taxonomy.path}/"


def term_page(taxonomy: Taxonomy, slug: str, parent: str = "", page: int = 1) -> str:
    """A term's page: ``years/2025/``, or under its ``parent`` term ``provinces/yunnan/yuxi/``."""
    return f"{taxonomy.path}/{parent}{'/' if parent else ''}{slug}/" + _page(page)


def group_page(taxonomy: Taxonomy, group: Group, page: int = 1) -> str:
    return term_page(taxonomy, group.term.slug, group.parent.slug if group.parent else "", page)


def group_feed(taxonomy: Taxonomy, group: Group) -> str:
    return group_page(taxonomy, group) + "feed.xml"


def filtered_cases(*terms: tuple[Taxonomy, str]) -> str | None:
    """``/cases/`` filtered to these (taxonomy, term slug) pairs, in their order
    (``cases/?province=yunnan&practice=elderly-care``); None if it has no filter for one of them."""
    if any(t.key not in FILTERS for t, _ in terms):
        return None
    return case_list() + "?" + "&".join(f"{FILTERS[t.key]}={slug}" for t, slug in terms)


def _page(page: int) -> str:
    return "" if page == 1 else f"{PAGE}/{page}/"


def photo(name: str) -> str:
    """A published picture of a page bundle (:mod:`casebook.images`): its name has its hash."""
    return f"photos/{name}"


def output_path(url: str) -> str:
    """The file a URL is served from."""
    return url + "index.html" if url == "" or url.endswith("/") else url
