"""Site -> list of :class:`Output`: Markdown bodies, Jinja pages, feeds, sitemap, assets.

Renderers return bytes and never write; :mod:`casebook.write` puts them on disk.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from . import urls
from .assets import build_assets
from .config import Config
from .errors import CasebookError, CasebookErrors
from .filters import FILTERS
from .feeds import atom_feed, robots, sitemap
from .markup import MarkdownRenderer, Rendered
from .model import Article, Entry, Group, Output, Site
from .taxonomy import Vocabulary
from .themes import Theme, environment, template_error


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


class Renderer:
    """Holds what every page shares: config, theme environment, assets, taxonomies."""

    def __init__(self, config: Config, theme: Theme, provinces: Vocabulary, practices: Vocabulary):
        self.config = config
        self.env = environment(theme)
        self.markdown = MarkdownRenderer(config.base_path)
        self.asset_urls, self.asset_outputs = build_assets(theme.static_files(), config)
        self.provinces = provinces
        self.practices = practices
        self._bodies: dict[str, Rendered] = {}
        self.env.filters.update(FILTERS)
        self.env.globals.update(
            site=config,
            url=self.url,
            abs_url=config.url,
            asset=self.asset,
            urls=urls,
        )

    def url(self, path: str) -> str:
        """Root-relative URL under the base path, for links inside pages."""
        return self.config.base_path + path

    def asset(self, name: str) -> str:
        if name not in self.asset_urls:
            raise CasebookError(f"the theme has no static file {name!r}")
        return self.url(self.asset_urls[name])

    def body(self, article: Article) -> Rendered:
        if article.slug not in self._bodies:
            self._bodies[article.slug] = self.markdown.render(article.body)
        return self._bodies[article.slug]

    def page(self, template: str, url: str, **context: Any) -> Output:
        try:
            html = self.env.get_template(template).render(page_url=url, **context)
        except CasebookError:
            raise
        except jinja2.TemplateError as exc:
            raise template_error(exc, template) from None
        except Exception as exc:  # a runtime error inside a template expression
            raise template_error(exc, template) from None
        return Output(urls.output_path(url), html.encode("utf-8"))


def _check_anchors(site: Site, renderer: Renderer) -> None:
    """Each sub-case anchor must name a heading of its article's body."""
    errors = []
    for art in site.articles:
        if not art.cases:
            continue
        ids = {h.id for h in renderer.body(art).headings}
        for sub in art.cases:
            if sub.anchor not in ids:
                errors.append(CasebookError(
                    f"sub-case {sub.name!r}: anchor {sub.anchor!r} matches no heading "
                    f"(write the heading as '## … {{#{sub.anchor}}}')", art.path, 1))
    if errors:
        raise CasebookErrors(errors)


def _term_pages(renderer: Renderer, groups: Sequence[Group], kind: str, vocab: Vocabulary,
                per_page: int) -> Iterator[Output]:
    counts = {g.term.slug: len(g.entries) for g in groups}
    yield renderer.page("terms.html", urls.term_index(kind), kind=kind,
                        terms=vocab.terms, counts=counts, groups=groups)
    for group in groups:
        base = urls.term(kind, group.term.slug)
        for pager, entries in paginate(group.entries, per_page, base):
            yield renderer.page("term.html", pager.url(pager.number), kind=kind, group=group,
                                entries=entries, pager=pager)
        articles = list(dict.fromkeys(e.article for e in group.entries))
        yield Output(urls.term_feed(kind, group.term.slug), atom_feed(
            renderer.config, f"{group.term.name} · {renderer.config.title}",
            urls.term_feed(kind, group.term.slug), base, articles, lambda a: renderer.body(a).html))


def facet_index(site: Site, renderer: Renderer) -> bytes:
    """Every case's facets as JSON, for instant filtering on ``/cases/`` in the browser."""
    rows = [{
        "url": renderer.url(urls.case(a.slug)),
        "title": a.title,
        "place": " · ".join(a.places),
        "date": a.date or "",
        "year": a.year or "",
        "province": sorted({a.province.slug, *(c.province.slug for c in a.cases)}),
        "practice": sorted({p.slug for p in (*a.practices, *(p for c in a.cases for p in c.practices))}),
        "summary": a.summary or "",
    } for a in site.articles]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render_site(site: Site, renderer: Renderer) -> list[Output]:
    """Every output file of the site, in a stable order."""
    config = renderer.config
    _check_anchors(site, renderer)
    stats = {
        "cases": len(site.articles),
        "provinces": len(site.provinces),
        "practices": len(site.practices),
        "places": sum(max(1, len(a.cases)) for a in site.articles),
    }
    renderer.env.globals.update(stats=stats, province_groups=site.provinces, practice_groups=site.practices,
                                all_provinces=renderer.provinces.terms, all_practices=renderer.practices.terms)
    out: list[Output] = list(renderer.asset_outputs)
    entries = [Entry(a) for a in site.articles]
    out.append(renderer.page("index.html", "", latest=entries[: config.home_latest]))
    for pager, chunk in paginate(entries, config.per_page, urls.case_list()):
        out.append(renderer.page("list.html", pager.url(pager.number), entries=chunk, pager=pager))
    for art in site.articles:
        older, newer = site.neighbours[art.slug]
        out.append(renderer.page("case.html", urls.case(art.slug), article=art, body=renderer.body(art),
                                 related=site.related[art.slug], older=older, newer=newer))
    out.extend(_term_pages(renderer, site.provinces, "province", renderer.provinces, config.per_page))
    out.extend(_term_pages(renderer, site.practices, "practice", renderer.practices, config.per_page))
    out.append(renderer.page("search.html", "search/"))
    out.append(Output("cases.json", facet_index(site, renderer)))
    out.append(renderer.page("404.html", "404.html"))
    out.append(Output("feed.xml", atom_feed(config, config.title, "feed.xml", "", site.articles,
                                            lambda a: renderer.body(a).html)))
    dates = {urls.output_path(urls.case(a.slug)): a.date for a in site.articles}
    pages = [(o.path.removesuffix("index.html"), dates.get(o.path)) for o in out
             if o.path.endswith(".html") and o.path != "404.html"]
    out.append(Output("sitemap.xml", sitemap(config, pages)))
    out.append(Output("robots.txt", robots(config)))
    dupes = sorted(p for p, n in Counter(o.path for o in out).items() if n > 1)
    if dupes:
        raise CasebookError(f"two outputs would be written to the same path: {', '.join(dupes)}")
    return out
