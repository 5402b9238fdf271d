"""Site -> list of :class:`Output`: Markdown bodies, Jinja pages, feeds, sitemap, assets.

Renderers return bytes and never write; :mod:`casebook.write` puts them on disk.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from . import urls
from .assets import build_assets
from .config import Config
from .csp import add_csp, theme_script_hashes
from .errors import CasebookError, CasebookErrors
from .filters import FILTERS
from .feeds import atom_feed, robots, sitemap
from .markup import Body, Heading, MarkdownRenderer, Rendered, protect_ids, unpack
from .model import Article, Entry, Group, Output, Site
from .taxonomy import Term, Vocabulary
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
    """Holds what every page shares: config, theme environment, assets, taxonomies.

    Rendered Markdown bodies come from :meth:`body`; a build that loaded bodies in worker
    processes or from the cache hands them over with :meth:`add_bodies`, and
    ``body_keys``/``body_loader`` let it fetch cached ones only when a page needs them.
    """

    def __init__(self, config: Config, theme: Theme, provinces: Vocabulary, practices: Vocabulary):
        self.config = config
        self.theme = theme
        self.env = environment(theme)
        self.script_hashes = theme_script_hashes(theme.template_sources())  # the CSP allows these only
        self.theme_ids = theme.element_ids()  # ids a body may not take
        self.markdown = MarkdownRenderer(config.base_path)
        self.asset_urls, self.asset_outputs = build_assets(theme.static_files(), config)
        self.provinces = provinces
        self.practices = practices
        self._bodies: dict[str, Body] = {}
        self._protected: set[str] = set()  # slugs whose body in _bodies went through protect_ids
        self.meta_keys: dict[str, str] = {}  # slug -> hash of what listings show of a case
        self.body_keys: dict[str, str] = {}  # slug -> hash of its Markdown body
        self.headings: dict[str, tuple[Heading, ...]] = {}  # slug -> headings, when known without HTML
        self.body_loader: Callable[[list[str]], dict[str, Body]] | None = None
        self.source_body: Callable[[Article], str] | None = None  # re-reads a cached article's body
        self._templates: dict[str, tuple[str, frozenset[str]]] = {}
        self.env.filters.update(_memoized(FILTERS))
        self.env.globals.update(
            site=config,
            url=self.url,
            abs_url=config.url,
            asset=self.asset,
            urls=urls,
            memo=_memo_macro(),
        )
        self.base_key = _sha(repr(config), repr(sorted(self.asset_urls.items())),
                             repr(provinces.terms), repr(practices.terms))

    def url(self, path: str) -> str:
        """Root-relative URL under the base path, for links inside pages."""
        return self.config.base_path + path

    def asset(self, name: str) -> str:
        if name not in self.asset_urls:
            raise CasebookError(f"the theme has no static file {name!r}")
        return self.url(self.asset_urls[name])

    def add_bodies(self, bodies: dict[str, Body]) -> None:
        """Bodies rendered elsewhere (worker processes), by article slug."""
        self._bodies.update(bodies)
        self._protected.difference_update(bodies)

    def body(self, article: Article) -> Rendered:
        if article.slug not in self._bodies:
            self.prefetch([article])
        if article.slug not in self._bodies:
            text = article.body
            if not text and self.source_body is not None:  # a cached article: its body was not kept
                text = self.source_body(article)
            self._bodies[article.slug] = self.markdown.render(text)
        body = self._bodies[article.slug]
        if isinstance(body, bytes) or article.slug not in self._protected:
            body = self._bodies[article.slug] = protect_ids(unpack(body), self.theme_ids)
            self._protected.add(article.slug)
        return body

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Load the cached bodies of ``articles`` in one query (used before rendering feeds)."""
        if self.body_loader is None:
            return
        wanted = {self.body_keys[a.slug]: a.slug for a in articles
                  if a.slug not in self._bodies and a.slug in self.body_keys}
        if wanted:
            for key, rendered in self.body_loader(list(wanted)).items():
                self._bodies[wanted[key]] = rendered
                self._protected.discard(wanted[key])

    def heading_ids(self, article: Article) -> set[str]:
        if article.slug in self.headings:
            return {h.id for h in self.headings[article.slug]}
        return {h.id for h in self.body(article).headings}

    def page(self, template: str, url: str, **context: Any) -> Output:
        try:
            html = self.env.get_template(template).render(page_url=url, **context)
        except CasebookError:
            raise
        except jinja2.TemplateError as exc:
            raise template_error(exc, template) from None
        except Exception as exc:  # a runtime error inside a template expression
            raise template_error(exc, template) from None
        return Output(urls.output_path(url), add_csp(html, self.script_hashes).encode("utf-8"))

    # -- dependency keys for incremental builds ----------------------------------------------
    def template_info(self, name: str) -> tuple[str, frozenset[str]]:
        """(hash of the template and everything it extends/imports/includes, the names that
        occur in their source): a page's key depends on these, and on the globals named.

        Found by scanning the source text (conservatively: a computed template name makes
        the page depend on every template); a syntax error surfaces when rendering."""
        if name not in self._templates:
            sources: dict[str, str] = {}
            names: set[str] = set()
            todo = [name]
            dynamic = False
            while todo:
                current = todo.pop()
                if current in sources:
                    continue
                try:
                    source, filename, _ = self.env.loader.get_source(self.env, current)  # type: ignore[union-attr]
                except jinja2.TemplateNotFound:
                    sources[current] = ""
                    continue
                for m in _REF_RE.finditer(source):
                    if m["name"] is None:
                        dynamic = True
                    else:
                        todo.append(m["name"])
                sources[current] = source
            if dynamic:  # a computed template name: depend on every template of the theme
                for folder in self.theme.template_dirs:
                    for f in sorted(folder.rglob("*")):
                        if f.is_file():
                            sources[str(f)] = f.read_text("utf-8", "replace")
            names = _used_names(list(sources.values()))
            digest = _sha(*(f"{n}\0{s}" for n, s in sorted(sources.items())))
            self._templates[name] = (digest, frozenset(names))
        return self._templates[name]


# Filters that are pure functions of the build's shared, immutable data (groups, terms):
# every list page asks for the same counts of the same groups, so compute them once a build.
_MEMO_FILTERS = ("article_count", "term_counts", "by_count", "tiles", "cross_counts")


def _memoized(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    out = dict(filters)
    for name in _MEMO_FILTERS:
        if name in out:
            out[name] = _memo_by_identity(out[name])
    return out


def _immutable(value: Any) -> bool:
    return isinstance(value, tuple) or (dataclasses.is_dataclass(value) and not isinstance(value, type)
                                        and type(value).__dataclass_params__.frozen)  # type: ignore[attr-defined]


def _memo_by_identity(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Cache ``fn`` on the identity of immutable arguments: tuples and frozen dataclasses
    such as a :class:`Group` (lists and other mutable or per-page arguments bypass the cache). The arguments are kept alive by the cache, so
    an id is never reused while its entry exists; the cache lives as long as the renderer.
    Results are copied if they are lists or dicts, so a template cannot alter the cache."""
    memo: dict[tuple[int, ...], tuple[Any, Any]] = {}

    def wrapper(*args: Any) -> Any:
        if not args or not all(_immutable(a) for a in args):
            return fn(*args)
        key = tuple(id(a) for a in args)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = (args, fn(*args))
        result = hit[1]
        if isinstance(result, list):
            return [dict(r) if isinstance(r, dict) else r for r in result]
        return dict(result) if isinstance(result, dict) else result
    wrapper.__name__ = getattr(fn, "__name__", "filter")
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _memo_macro() -> Callable[..., Any]:
    """The ``memo(macro, *args)`` template global: a macro's output, made once per arguments.

    A list page of twelve cards is mostly the cards, and each case's card is the same on
    the all-cases list, its province list and its practice lists; the chips of a province
    or practice repeat on every page of its pagination. An imported macro sees only its
    arguments and the site-wide globals (Jinja gives it no page context), so its output is
    a function of its arguments: equal arguments, equal HTML. Arguments are compared by
    value (an entry, a term, a string), except a :class:`Group`, compared by identity
    (one object per term per build; hashing its thousands of entries would cost more than
    the macro). Unhashable arguments (lists) bypass the memo."""
    memo: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}

    def call(macro: Callable[..., Any], *args: Any) -> Any:
        key = (macro, *((Group, id(a)) if isinstance(a, Group) else a for a in args))
        try:
            hit = memo.get(key)
        except TypeError:  # an unhashable argument
            return macro(*args)
        if hit is None:
            hit = memo[key] = (args, macro(*args))  # args kept alive: their ids stay unique
        return hit[1]
    return call


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# {% extends "x" %}, {% include 'x' %}, {% import "x" as m %}, {% from "x" import m %};
# anything else after those keywords (a variable, a list) is a computed name.
_REF_RE = re.compile(r"""\{%[-+]?\s*(?:extends|include|import|from)\s+(?:(?P<q>["'])(?P<name>[^"']+)(?P=q)(?=\s)|)""")


_MACRO_RE = re.compile(r"\{%[-+]?\s*macro\s+(\w+)\s*\(.*?%\}(.*?)\{%[-+]?\s*endmacro\b.*?%\}", re.S)


def _used_names(sources: list[str]) -> set[str]:
    """Names a template chain can read: everything outside macro definitions, plus the
    bodies of the macros it mentions (transitively). A macro the chain never names (the
    tile map in a shared ``_macros.html``) does not make its pages depend on what the
    macro reads. Purely textual, so it errs towards depending on more, never less."""
    outside: list[str] = []
    bodies: dict[str, list[str]] = {}
    for source in sources:
        last = 0
        for m in _MACRO_RE.finditer(source):
            outside.append(source[last:m.start()])
            bodies.setdefault(m[1], []).append(m[2])
            last = m.end()
        outside.append(source[last:])
    names = set(_NAME_RE.findall("\n".join(outside)))
    todo = [macro for macro in bodies if macro in names]
    used: set[str] = set()
    while todo:
        macro = todo.pop()
        if macro in used:
            continue
        used.add(macro)
        for body in bodies[macro]:
            found = set(_NAME_RE.findall(body))
            names |= found
            todo.extend(other for other in bodies if other in found and other not in used)
    return names


def _sha(*parts: str) -> str:
    """SHA-1 of the parts, each followed by a unit separator."""
    data = "\x1f".join(parts) + "\x1f"
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()


# The template globals set per build by plan_site (sorted): a page's key includes those its templates name.
_KEYED_GLOBALS = ("practice_groups", "province_groups", "stats")


def shape_key(renderer: Renderer) -> str:
    """Hash of everything page keys depend on besides the articles: settings, assets and
    vocabularies (``base_key``) and the source of every template of the theme. (The code
    version is not in it: the cache is emptied when the code changes.)"""
    sources = [f"{f}\0{f.read_text('utf-8', 'replace')}" for folder in renderer.theme.template_dirs
               for f in sorted(folder.rglob("*")) if f.is_file()]
    return _sha(renderer.base_key, *sources)


@dataclass(frozen=True)
class Previous:
    """The last build's page keys (output path -> key), when its inputs differ from this
    build's at most in the Markdown bodies of ``dirty`` (article slugs): every page that
    shows none of those bodies has the key it had, so :func:`plan_site` takes it from here
    instead of fingerprinting the page's context (most of the planning of a body edit)."""

    keys: dict[str, str]
    dirty: frozenset[str]


class _Keys:
    """Fingerprints of render inputs: an article is its ``meta_key`` (front-matter and the
    excerpt and repeated-lead flag taken from its body at load time), a group
    the keys of its entries; the Markdown body enters only through ``body`` and feeds."""

    def __init__(self, renderer: Renderer, site: Site, stats: dict[str, int], previous: Previous | None):
        self.meta = renderer.meta_keys
        self._groups: dict[int, str] = {}
        self.renderer = renderer
        self.site = site
        self.stats = stats
        self.previous = previous
        self._globals: dict[str, str] = {}
        self._prefixes: dict[str, str] = {}

    def reuse(self, path: str, shown: Sequence[Article] = ()) -> str | None:
        """The last build's key of ``path`` if it still holds: no body the page shows
        (``shown``) changed, and nothing else did (see :class:`Previous`)."""
        if self.previous is None or any(a.slug in self.previous.dirty for a in shown):
            return None
        return self.previous.keys.get(path)

    def global_key(self, name: str) -> str:
        """Key of a site-wide template global, computed the first time a page names it."""
        key = self._globals.get(name)
        if key is None:
            value = {"stats": self.stats, "province_groups": self.site.provinces,
                     "practice_groups": self.site.practices}[name]
            key = self._globals[name] = self.fp(value)
        return key

    def fp(self, value: Any) -> str:
        kind = type(value)
        if kind is Entry:
            return "E" + self.meta[value.article.slug] + (value.subcase.anchor if value.subcase else "")
        if kind is Article:
            return "A" + self.meta[value.slug]
        if kind is tuple or kind is list:  # related cases, a page's entries
            return "[" + ",".join(map(self.fp, value)) + "]"
        if kind is str or value is None:
            return repr(value)
        if isinstance(value, Group):
            key = self._groups.get(id(value))
            if key is None:
                key = self._groups[id(value)] = _sha(value.kind, value.term.slug, *map(self.fp, value.entries))
            return "G" + key
        if isinstance(value, Term):
            return "T" + value.slug
        if isinstance(value, Pager):
            return f"P{value.number}/{value.count}/{value.base}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(map(self.fp, value)) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k!r}:{self.fp(v)}" for k, v in sorted(value.items())) + "}"
        if isinstance(value, (str, int, float, bool)):
            return repr(value)
        raise TypeError(f"no fingerprint for {type(value).__name__}")

    def page(self, template: str, url: str, context: dict[str, Any], extra: str = "") -> str:
        prefix = self._prefixes.get(template)
        if prefix is None:
            digest, used = self.renderer.template_info(template)
            prefix = self._prefixes[template] = _sha(
                self.renderer.base_key, template, digest,
                *(f"{g}={self.global_key(g)}" for g in _KEYED_GLOBALS if g in used))
        return _sha(prefix, url, *(f"{k}={self.fp(v)}" for k, v in sorted(context.items())), extra)


@dataclass(frozen=True)
class Job:
    """One output file: where it goes, the key of everything it is made from, and how to
    make it. Equal keys mean equal bytes, so a build with the previous key can skip it.

    The key is computed when first asked for: a rebuild compares it with the last build's
    before rendering, while a first build has nothing to compare with and asks for it in
    the worker that renders the file, so fingerprinting 14,000 pages is no longer serial."""

    path: str
    keyed: Callable[[], str]
    make: Callable[[], bytes]
    articles: tuple[Article, ...] = ()  # whose rendered bodies ``make`` needs

    @functools.cached_property
    def key(self) -> str:
        return self.keyed()


def _check_anchors(site: Site, renderer: Renderer) -> None:
    """Each sub-case anchor must name a heading of its article's body."""
    errors = []
    for art in site.articles:
        if not art.cases:
            continue
        ids = renderer.heading_ids(art)
        for sub in art.cases:
            if sub.anchor in renderer.theme_ids:
                errors.append(CasebookError(
                    f"sub-case {sub.name!r}: anchor {sub.anchor!r} is the id of an element of the theme "
                    f"(a link to it would lead there): choose another, '## … {{#{sub.anchor}-1}}'", art.path, 1))
            elif sub.anchor not in ids:
                errors.append(CasebookError(
                    f"sub-case {sub.name!r}: anchor {sub.anchor!r} matches no heading "
                    f"(write the heading as '## … {{#{sub.anchor}}}')", art.path, 1))
    if errors:
        raise CasebookErrors(errors)


def _page_job(renderer: Renderer, keys: _Keys, template: str, url: str, extra: str = "",
              **context: Any) -> Job:
    path = urls.output_path(url)
    return Job(path, lambda: keys.reuse(path) or keys.page(template, url, context, extra),
               lambda: renderer.page(template, url, **context).data)


def _case_job(renderer: Renderer, keys: _Keys, site: Site, art: Article) -> Job:
    older, newer = site.neighbours[art.slug]
    url = urls.case(art.slug)
    context = {"article": art, "related": site.related[art.slug], "older": older, "newer": newer}
    path = urls.output_path(url)

    def key() -> str:
        return keys.reuse(path, (art,)) or keys.page(
            "case.html", url, context, "body=" + (renderer.body_keys.get(art.slug) or _sha(art.body)))
    return Job(path, key, lambda: renderer.page("case.html", url, body=renderer.body(art), **context).data, (art,))


def _feed_job(renderer: Renderer, keys: _Keys, title: str, self_url: str, alt_url: str,
              articles: Sequence[Article]) -> Job:
    config = renderer.config
    items = list(articles[: config.feed_limit])

    def key() -> str:
        return keys.reuse(self_url, items) or _sha(
            renderer.base_key, "feed", title, self_url, alt_url,
            *(keys.fp(a) + "+" + (renderer.body_keys.get(a.slug) or _sha(a.body)) for a in items))

    def make() -> bytes:
        renderer.prefetch(items)
        return atom_feed(config, title, self_url, alt_url, items, lambda a: renderer.body(a).html)
    return Job(self_url, key, make, tuple(items))


def _term_jobs(renderer: Renderer, keys: _Keys, groups: Sequence[Group], kind: str, vocab: Vocabulary,
               per_page: int) -> Iterator[Job]:
    counts = {g.term.slug: len(g.entries) for g in groups}
    yield _page_job(renderer, keys, "terms.html", urls.term_index(kind), kind=kind,
                    terms=vocab.terms, counts=counts, groups=groups)
    for group in groups:
        base = urls.term(kind, group.term.slug)
        for pager, entries in paginate(group.entries, per_page, base):
            yield _page_job(renderer, keys, "term.html", pager.url(pager.number), kind=kind, group=group,
                            entries=entries, pager=pager)
        yield _feed_job(renderer, keys, f"{group.term.name} · {renderer.config.title}",
                        urls.term_feed(kind, group.term.slug), base,
                        _first_articles(group.entries, renderer.config.feed_limit))


def _first_articles(entries: Sequence[Entry], limit: int) -> list[Article]:
    """The first ``limit`` distinct articles of ``entries``, in order: a term feed's items
    (a group of thousands of entries need not be gone through for twenty)."""
    found: dict[str, Article] = {}
    for entry in entries:
        if len(found) >= limit:
            break
        found.setdefault(entry.article.slug, entry.article)
    return list(found.values())


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
        "summary": a.blurb,
    } for a in site.articles]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _static(path: str, data: bytes) -> Job:
    return Job(path, lambda: "bytes:" + hashlib.sha1(data).hexdigest(), lambda: data)


def _sitemap_pages(site: Site, jobs: list[Job]) -> Callable[[], list[tuple[str, str | None]]]:
    """The sitemap's (URL, date) of every page of ``jobs``: computed only if the sitemap's
    key or bytes are needed (a body edit needs neither), and then once: a worker forked
    after the key was computed inherits the list."""
    @functools.cache
    def pages() -> list[tuple[str, str | None]]:
        dates = {urls.output_path(urls.case(a.slug)): a.date for a in site.articles}
        return [(j.path.removesuffix("index.html"), dates.get(j.path)) for j in jobs
                if j.path.endswith(".html") and j.path != "404.html"]
    return pages


def plan_site(site: Site, renderer: Renderer, previous: Previous | None = None) -> list[Job]:
    """Every output file of the site as a :class:`Job`, in a stable order.

    Nothing is rendered here: keys are computed from the inputs each file uses (its
    template chain, the globals that chain names, its context), so an incremental build
    renders only the jobs whose key changed. With ``previous``, a page that shows no
    changed body keeps its last key without being fingerprinted.
    """
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
    keys = _Keys(renderer, site, stats, previous)
    jobs: list[Job] = [_static(o.path, o.data) for o in renderer.asset_outputs]
    entries = [Entry(a) for a in site.articles]
    jobs.append(_page_job(renderer, keys, "index.html", "", latest=entries[: config.home_latest]))
    for pager, chunk in paginate(entries, config.per_page, urls.case_list()):
        jobs.append(_page_job(renderer, keys, "list.html", pager.url(pager.number), entries=chunk, pager=pager))
    for art in site.articles:
        jobs.append(_case_job(renderer, keys, site, art))
    jobs.extend(_term_jobs(renderer, keys, site.provinces, "province", renderer.provinces, config.per_page))
    jobs.extend(_term_jobs(renderer, keys, site.practices, "practice", renderer.practices, config.per_page))
    jobs.append(_page_job(renderer, keys, "search.html", "search/"))
    jobs.append(Job("cases.json", lambda: keys.reuse("cases.json")
                    or _sha(renderer.base_key, "facets", *(keys.fp(a) for a in site.articles)),
                    lambda: facet_index(site, renderer)))
    jobs.append(_page_job(renderer, keys, "404.html", "404.html"))
    jobs.append(_feed_job(renderer, keys, config.title, "feed.xml", "", site.articles))
    pages = _sitemap_pages(site, list(jobs))
    jobs.append(Job("sitemap.xml", lambda: keys.reuse("sitemap.xml") or _sha(renderer.base_key, "sitemap", repr(pages())),
                    lambda: sitemap(config, pages())))
    robots_txt = robots(config)
    jobs.append(_static("robots.txt", robots_txt))
    dupes = sorted(p for p, n in Counter(j.path for j in jobs).items() if n > 1)
    if dupes:
        raise CasebookError(f"two outputs would be written to the same path: {', '.join(dupes)}")
    # The site-wide files each take as long as a few hundred case pages (the sitemap lists
    # every page, cases.json every case): rendered first, they cannot leave one worker
    # busy at the end while the others wait.
    jobs.sort(key=lambda j: j.path not in _SITE_WIDE)
    return jobs


_SITE_WIDE = frozenset({"sitemap.xml", "cases.json", "feed.xml"})
