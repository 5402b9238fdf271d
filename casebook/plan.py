"""The page plan: every file of the site as plain data, before anything is rendered.

A plan entry says what a file is made from, never how to make it: :mod:`casebook.render`
makes the bytes, :mod:`casebook.keys` the dependency key. Six kinds:

* :class:`Page`: a Jinja template rendered with a context (``page_url`` is the page's URL);
* :class:`Feed`: an Atom feed of cases, with their rendered bodies;
* :class:`Facets`: ``cases.json``, every case's facets for the filter on ``/cases/``;
* :class:`Sitemap`: ``sitemap.xml``, the URL and date of every HTML page;
* :class:`Static`: bytes known at planning time (assets, ``robots.txt``);
* :class:`Stored`: a file of the build cache whose name says its content (a published picture).

``depends_on`` names the cases whose rendered Markdown bodies a file shows: bodies are not
in the plan (the renderer fetches them from its :class:`casebook.render.BodyStore`), so the
key of such a file includes their body keys, and a body edit re-plans only those files.

To add a page type: a template in the theme, and a function here that returns its
:class:`Page` (or pages) from the :class:`Site`, called from :func:`plan_site`. Context
values must be of a kind :mod:`casebook.keys` can fingerprint (strings, numbers, tuples,
lists, dicts, frozen dataclasses such as articles, entries, groups, terms).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import urls
from .config import Config
from .errors import CasebookError
from .feeds import robots
from .filters import by_count
from .group import cross_counts
from .model import Article, Entry, Group, Grouped, Output, Site
from .taxonomy import Taxonomy, Vocabulary


@dataclass(frozen=True)
class Pager:
    """Where a list page sits among its siblings."""

    number: int
    count: int
    base: str  # URL of page 1

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def prev_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def paginate(items: Sequence[Any], per_page: int, base: str) -> Iterator[tuple[Pager, Sequence[Any]]]:
    count = max(1, math.ceil(len(items) / per_page))
    for n in range(1, count + 1):
        yield Pager(n, count, base), items[(n - 1) * per_page: n * per_page]


@dataclass(frozen=True)
class Page:
    """An HTML page: ``template`` rendered with ``context`` and ``page_url=url``. A page that
    shows one case's body declares that case in ``depends_on``; its template gets the
    rendered body as ``body``."""

    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    depends_on: tuple[Article, ...] = ()

    @functools.cached_property
    def path(self) -> str:  # asked for a dozen times per page a build (keys, manifest, sitemap…)
        return urls.output_path(self.url)


@dataclass(frozen=True)
class Feed:
    """An Atom feed (``path`` is also its URL) of ``depends_on``, newest first, with bodies."""

    path: str
    title: str
    alt_url: str  # the page the feed belongs to
    depends_on: tuple[Article, ...]


@dataclass(frozen=True)
class Facets:
    """``cases.json``: the facets of every shown case."""

    path: str
    articles: tuple[Article, ...]
    depends_on: tuple[Article, ...] = ()


@dataclass(frozen=True)
class Sitemap:
    """``sitemap.xml``: (URL, date or None) of every page listed."""

    path: str
    pages: tuple[tuple[str, str | None], ...]
    depends_on: tuple[Article, ...] = ()


@dataclass(frozen=True)
class Static:
    """A file whose bytes are known when planning (a theme asset, ``robots.txt``)."""

    path: str
    data: bytes
    depends_on: tuple[Article, ...] = ()


@dataclass(frozen=True)
class Stored:
    """A file kept in the build cache under a name made from its content (a published
    picture, :func:`casebook.images.publish`): planned and keyed by that name, read only
    when it is written, so a build does not read or hash the pictures it leaves as they are."""

    path: str
    source: str  # the file in the cache
    depends_on: tuple[Article, ...] = ()


Planned = Page | Feed | Facets | Sitemap | Static | Stored


@dataclass(frozen=True)
class Link:
    """A term as a page links to it: its name, its page (or a filtered list) and, in a
    breakdown, the number of cases behind the link."""

    name: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class Links:
    """One taxonomy's links on a page: a case's terms, a term's cases counted under
    another taxonomy's terms (cross-facets), a province's cities."""

    taxonomy: Taxonomy
    links: tuple[Link, ...]


def site_data(site: Site, provinces: Vocabulary, practices: Vocabulary) -> dict[str, Any]:
    """The site-wide values every template may read (template globals): known once the
    cases are grouped, the same for every page of a build."""
    return {
        "stats": {
            "cases": len(site.articles),
            "provinces": len(site.provinces),
            "practices": len(site.practices),
            "places": sum(max(1, len(a.cases)) for a in site.articles),
        },
        "province_groups": site.provinces,
        "practice_groups": site.practices,
        "all_provinces": provinces.terms,
        "all_practices": practices.terms,
        "taxonomies": {grouped.taxonomy.key: grouped for grouped in site.taxonomies},
    }


def case_pages(site: Site, only: Collection[str] | None = None) -> Iterator[Page]:
    """Every case's page (or those of the slugs in ``only``). Cases filed under the same
    terms share one :class:`Links`, so the theme's chips are rendered once for all of them
    (:mod:`casebook.memo`)."""
    per_taxonomy: list[tuple[Grouped, list[Link], dict[tuple[int, ...], Links]]] = [
        (grouped, [Link(g.term.name, urls.group_page(grouped.taxonomy, g)) for g in grouped.groups], {})
        for grouped in site.taxonomies]
    for i, art in enumerate(site.articles):
        if only is not None and art.slug not in only:
            continue
        terms: dict[str, Links] = {}
        for grouped, links, shared in per_taxonomy:
            own = grouped.own[i]
            if own:
                found = shared.get(own)
                if found is None:
                    found = shared[own] = Links(grouped.taxonomy, tuple([links[j] for j in own]))
                terms[grouped.taxonomy.key] = found
        yield case_page(site, art, terms)


def case_page(site: Site, art: Article, terms: dict[str, Links]) -> Page:
    """A case's page; ``terms`` (taxonomy key -> :class:`Links`) are the terms it is filed under."""
    older, newer = site.neighbours[art.slug]
    return Page(urls.case(art.slug), "case.html", {"article": art, "related": site.related[art.slug],
                                                   "older": older, "newer": newer, "terms": terms}, (art,))


def taxonomy_pages(config: Config, site: Site, grouped: Grouped) -> Iterator[Planned]:
    """One taxonomy's pages: the list of its terms, and for each term with cases its
    paginated list and its feed. A nested taxonomy has no list of its own: its terms are
    listed on their parents' pages (a province's page lists its cities)."""
    taxonomy = grouped.taxonomy
    if taxonomy.within is None:
        yield Page(urls.taxonomy_index(taxonomy), "terms.html",
                   {"taxonomy": taxonomy, "terms": grouped.vocabulary.terms, "groups": grouped.groups})
    for group in grouped.groups:
        base = urls.group_page(taxonomy, group)
        context = {"taxonomy": taxonomy, "group": group, "crumbs": crumbs(site, taxonomy, group),
                   "cross": cross_links(site, taxonomy, group), "breakdown": breakdown(site, taxonomy, group)}
        for pager, entries in paginate(group.entries, config.per_page, base):
            yield Page(pager.url(pager.number), "term.html", {**context, "entries": entries, "pager": pager})
        yield group_feed(config, taxonomy, group)


def group_feed(config: Config, taxonomy: Taxonomy, group: Group) -> Feed:
    """A term's feed: its newest cases, with their bodies."""
    return Feed(urls.group_feed(taxonomy, group), f"{group.term.name} · {config.title}",
                urls.group_page(taxonomy, group), first_articles(group.entries, config.feed_limit))


def site_feed(config: Config, site: Site) -> Feed:
    """The site's feed: its newest cases, with their bodies."""
    return Feed("feed.xml", config.title, "", site.articles[: config.feed_limit])


def crumbs(site: Site, taxonomy: Taxonomy, group: Group) -> tuple[Link, ...]:
    """The way up from a term's page: its taxonomy's list, or for a nested term (a city)
    the parent's list and the parent term's page."""
    if taxonomy.within is None or group.parent is None:
        return (Link(taxonomy.label, urls.taxonomy_index(taxonomy)),)
    parent = site.taxonomy(taxonomy.within).taxonomy
    return (Link(parent.label, urls.taxonomy_index(parent)),
            Link(group.parent.name, urls.term_page(parent, group.parent.slug)))


def cross_links(site: Site, taxonomy: Taxonomy, group: Group) -> tuple[Links, ...]:
    """A term's cases counted under each other taxonomy's terms (:func:`casebook.group.cross_counts`),
    each a link to ``/cases/`` filtered to both terms where the filter has both taxonomies,
    else to the other term's page. A taxonomy nested in this one (or this one's parent)
    is left out: its breakdown is :func:`breakdown` (the parent is one term)."""
    return tuple(Links(other, tuple(Link(g.term.name, urls.filtered_cases((taxonomy, group.term.slug),
                                                                          (other, g.term.slug))
                                         or urls.group_page(other, g), n) for g, n in counts))
                 for other, counts in cross_counts(site, group).items()
                 if other.within != taxonomy.key and taxonomy.within != other.key)


def breakdown(site: Site, taxonomy: Taxonomy, group: Group) -> tuple[Links, ...]:
    """A term's terms in the taxonomies nested in its own (a province's cities), most cases first."""
    return tuple(Links(child.taxonomy, tuple(Link(g.term.name, urls.group_page(child.taxonomy, g),
                                                  len(g.article_slugs)) for g in by_count(child.children(group.term))))
                 for child in site.taxonomies if child.taxonomy.within == taxonomy.key)


def first_articles(entries: Sequence[Entry], limit: int) -> tuple[Article, ...]:
    """The first ``limit`` distinct articles of ``entries``, in order: a term feed's items
    (a group of thousands of entries need not be gone through for twenty)."""
    found: dict[str, Article] = {}
    for entry in entries:
        if len(found) >= limit:
            break
        found.setdefault(entry.article.slug, entry.article)
    return tuple(found.values())


def sitemap_of(plan: Sequence[Planned], site: Site) -> Sitemap:
    """Every HTML page of ``plan`` but the 404 page, case pages with their date."""
    dates = {urls.output_path(urls.case(a.slug)): a.date for a in site.articles}
    return Sitemap("sitemap.xml", tuple((p.path.removesuffix("index.html"), dates.get(p.path)) for p in plan
                                        if p.path.endswith(".html") and p.path != "404.html"))


# The site-wide files each take as long as a few hundred case pages (the sitemap lists
# every page, cases.json every case): planned first, they cannot leave one worker busy at
# the end while the others wait.
_SITE_WIDE = frozenset({"sitemap.xml", "cases.json", "feed.xml"})


def plan_site(config: Config, site: Site, assets: Sequence[Output | Stored]) -> list[Planned]:
    """Every file of the site, in a stable order; two files with one path are an error."""
    entries = [Entry(a) for a in site.articles]
    plan: list[Planned] = [o if isinstance(o, Stored) else Static(o.path, o.data) for o in assets]
    plan.append(Page("", "index.html", {"latest": entries[: config.home_latest]}))
    plan.extend(Page(pager.url(pager.number), "list.html", {"entries": chunk, "pager": pager})
                for pager, chunk in paginate(entries, config.per_page, urls.case_list()))
    plan.extend(case_pages(site))
    for grouped in site.taxonomies:
        plan.extend(taxonomy_pages(config, site, grouped))
    plan.append(Page("search/", "search.html"))
    plan.append(Facets("cases.json", site.articles))
    plan.append(Page("404.html", "404.html"))
    plan.append(site_feed(config, site))
    plan.append(sitemap_of(plan, site))
    plan.append(Static("robots.txt", robots(config)))
    dupes = sorted(p for p, n in Counter(p.path for p in plan).items() if n > 1)
    if dupes:
        raise CasebookError(f"two outputs would be written to the same path: {', '.join(dupes)}")
    plan.sort(key=lambda p: p.path not in _SITE_WIDE)
    return plan


def body_plan(config: Config, site: Site, dirty: Collection[str]) -> list[Planned]:
    """The files that show the bodies of the ``dirty`` cases: their pages and the feeds
    that carry them. When no front-matter, setting or template changed since the last
    build, every other file of :func:`plan_site` is as that build made it: a body edit
    plans these few files, not the whole site (:func:`casebook.pipeline.build`)."""
    return [*case_pages(site, dirty), *(f for f in feeds(config, site) if any(a.slug in dirty for a in f.depends_on))]


def feeds(config: Config, site: Site) -> list[Feed]:
    """Every feed of the site: the site's, and each term's."""
    return [site_feed(config, site),
            *(group_feed(config, grouped.taxonomy, group) for grouped in site.taxonomies for group in grouped.groups)]
