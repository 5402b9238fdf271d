"""The page plan: every file of the site as plain data, before anything is rendered.

A plan entry says what a file is made from, never how to make it: :mod:`casebook.render`
makes the bytes, :mod:`casebook.keys` the dependency key. Five kinds:

* :class:`Page`: a Jinja template rendered with a context (``page_url`` is the page's URL);
* :class:`Feed`: an Atom feed of cases, with their rendered bodies;
* :class:`Facets`: ``cases.json``, every case's facets for the filter on ``/cases/``;
* :class:`Sitemap`: ``sitemap.xml``, the URL and date of every HTML page;
* :class:`Static`: bytes known at planning time (assets, ``robots.txt``).

``depends_on`` names the cases whose rendered Markdown bodies a file shows: bodies are not
in the plan (the renderer fetches them from its :class:`casebook.render.BodyStore`), so the
key of such a file includes their body keys, and a body edit re-plans only those files.

To add a page type: a template in the theme, and a function here that returns its
:class:`Page` (or pages) from the :class:`Site`, called from :func:`plan_site`. Context
values must be of a kind :mod:`casebook.keys` can fingerprint (strings, numbers, tuples,
lists, dicts, frozen dataclasses such as articles, entries, groups, terms).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import urls
from .config import Config
from .errors import CasebookError
from .feeds import robots
from .model import Article, Entry, Group, Output, Site
from .taxonomy import Vocabulary


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

    @property
    def path(self) -> str:
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


Planned = Page | Feed | Facets | Sitemap | Static


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
    }


def case_page(site: Site, art: Article) -> Page:
    older, newer = site.neighbours[art.slug]
    return Page(urls.case(art.slug), "case.html",
                {"article": art, "related": site.related[art.slug], "older": older, "newer": newer}, (art,))


def term_pages(config: Config, kind: str, vocab: Vocabulary, groups: Sequence[Group]) -> Iterator[Planned]:
    """One taxonomy's pages: the list of its terms, and for each term with cases its
    paginated list and its feed."""
    counts = {g.term.slug: len(g.entries) for g in groups}
    yield Page(urls.term_index(kind), "terms.html", {"kind": kind, "terms": vocab.terms, "counts": counts,
                                                     "groups": groups})
    for group in groups:
        base = urls.term(kind, group.term.slug)
        for pager, entries in paginate(group.entries, config.per_page, base):
            yield Page(pager.url(pager.number), "term.html",
                       {"kind": kind, "group": group, "entries": entries, "pager": pager})
        yield Feed(urls.term_feed(kind, group.term.slug), f"{group.term.name} · {config.title}", base,
                   first_articles(group.entries, config.feed_limit))


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


def plan_site(config: Config, site: Site, provinces: Vocabulary, practices: Vocabulary,
              assets: Sequence[Output]) -> list[Planned]:
    """Every file of the site, in a stable order; two files with one path are an error."""
    entries = [Entry(a) for a in site.articles]
    plan: list[Planned] = [Static(o.path, o.data) for o in assets]
    plan.append(Page("", "index.html", {"latest": entries[: config.home_latest]}))
    plan.extend(Page(pager.url(pager.number), "list.html", {"entries": chunk, "pager": pager})
                for pager, chunk in paginate(entries, config.per_page, urls.case_list()))
    plan.extend(case_page(site, art) for art in site.articles)
    plan.extend(term_pages(config, "province", provinces, site.provinces))
    plan.extend(term_pages(config, "practice", practices, site.practices))
    plan.append(Page("search/", "search.html"))
    plan.append(Facets("cases.json", site.articles))
    plan.append(Page("404.html", "404.html"))
    plan.append(Feed("feed.xml", config.title, "", site.articles[: config.feed_limit]))
    plan.append(sitemap_of(plan, site))
    plan.append(Static("robots.txt", robots(config)))
    dupes = sorted(p for p, n in Counter(p.path for p in plan).items() if n > 1)
    if dupes:
        raise CasebookError(f"two outputs would be written to the same path: {', '.join(dupes)}")
    plan.sort(key=lambda p: p.path not in _SITE_WIDE)
    return plan
