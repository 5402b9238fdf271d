"""The body-edit lane: a rebuild after only Markdown bodies changed, made without the site.

A body edit changes the case's page and the feeds that carry the case, nothing else
(:func:`casebook.plan.body_plan`). The normal build still loads every case, groups them
and checks every body's links to find that out: most of two seconds at 10,000 cases.
This lane reads only the changed case files and what the last build stored for them.

**When it is taken** (:func:`run`, from :func:`casebook.lastbuild.build` before the
pipeline is imported): the last build recorded (:func:`remember`) the hash of every input
but the case files (code, settings, theme, vocabularies: ``LastBuild.outer``) and each
case file's stat. The lane runs only if that hash and the set of case files are the same,
every changed case file is a shown case whose article (front-matter, excerpt, pictures,
placeholders) is the one recorded, the case template reads no site-wide global, the
output folder is as the last build left it and, with search on, the cache records the
index of exactly the shown cases' pages. Otherwise :func:`run` returns None and the
normal build runs (which restores a page edited by hand, and makes the index anew).

**Why its output is a clean build's**: with the same articles, the plan is the last
build's, and the files showing a changed body are planned as the last build planned them
(one sealed record per case page, stored when it was rendered, and the cases of each feed). Their keys
are :class:`casebook.keys.Keys`' with the recorded meta keys, the new body keys and the
last build's template key prefix; their bytes are the :class:`casebook.render.Renderer`'s.
The sub-case anchors of the changed bodies are checked, and the link check runs again on
the changed bodies and on every body that links to an anchor (which may be in a changed
body); the other bodies' broken links are the last build's (:func:`casebook.links.check_bodies`).
With search on, the index is the normal build's search stage (:mod:`casebook.searchstage`)
given the same inputs: the rendered case pages as the index reads them, the others by the
fingerprint the cache recorded; it is swapped in with the pages, all or nothing
(:func:`casebook.write.write_site`), and its state recorded with the lane's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .cache import BuildCache, SourceStat, code_version, file_stat, settled
from .config import Config
from .lastbuild import Built, Draft, LastBuild, as_left, reseal, timed
from .write import Keep, WriteReport

if TYPE_CHECKING:
    from .keys import Keys
    from .model import Article, Site
    from .pipeline import Inputs, Sources
    from .plan import Planned

RECORD = "body-lane"  # the Lane of the last build, under its LastBuild.outer
Row = tuple["Article", str, dict[str, Any]]  # a case page: its article, URL and context (with Refs)


@dataclass
class Lane:
    """What the last build recorded for the lane, besides one record per case page."""

    files: dict[str, tuple[SourceStat | None, str]]  # every case file -> its stat (None: not settled) and SHA-1
    slugs: dict[str, str]  # case file -> slug, for the shown cases
    keys: dict[str, tuple[str, str]]  # slug -> (meta key, body key), for the shown cases
    feeds: dict[str, tuple[str, str, tuple[str, ...]]]  # feed path -> title, page, the slugs it carries
    base: str  # casebook.keys.base_key
    asset_urls: dict[str, str]
    reserved: frozenset[str]  # the theme's element ids
    plain: bool  # the case template reads no site-wide global


class Ref(NamedTuple):
    """An article in a stored case page's context: each is stored once, with its own page
    (a case page shows a dozen; stored whole, 10,000 pages took 140 MB and 4 s to save)."""

    slug: str


class Shown(NamedTuple):
    """A shown case as the link check needs it (:class:`casebook.links.Named`)."""

    slug: str
    path: str


def recorded(cache: BuildCache, last: LastBuild, config: Config, site: Site, inputs: Inputs, loaded: Sources,
             keys: Keys) -> Lane | None:
    """The :class:`Lane` of a normal build (None if a stat of its theme or vocabularies is
    not settled: the next build cannot trust it). Whether the case template reads a site-wide
    global is the last lane's answer, when it had the same theme and settings (its
    templates are not analysed again: a third of a second at 10,000 cases)."""
    from .keys import template_deps
    from .plan import feeds
    if not last.outer:
        return None
    previous: Lane | None = cache.get(RECORD, last.outer)
    plain = previous.plain if previous is not None else not (
        {"*", *keys.site_data} & template_deps(keys.env, inputs.theme, "case.html").names)
    sources = loaded.sources
    return Lane({rel: (src.stat, src.sha) for rel, src in sources.items()},
                {a.path: a.slug for a in site.articles},
                {a.slug: (sources[a.path].meta_key, sources[a.path].body_key) for a in site.articles},
                {f.path: (f.title, f.alt_url, tuple(a.slug for a in f.depends_on)) for f in feeds(config, site)},
                inputs.base_key, inputs.asset_urls, inputs.reserved_ids, plain)


def remember(cache: BuildCache, last: LastBuild, lane: Lane | None, todo: Sequence[Planned]) -> None:
    """Record, at the end of a normal build, what the lane of the next one needs: ``lane``,
    and the article, URL and context of each case page this build rendered (the others are
    as the build that rendered them planned them: the same key, the same entry)."""
    from .model import Article
    from .plan import Page

    def packed(value: Any) -> Any:
        if isinstance(value, Article):
            return Ref(value.slug)
        return tuple(map(packed, value)) if type(value) is tuple else value
    for item in todo:
        if isinstance(item, Page) and item.template == "case.html":
            cache.put(f"lane-case:{item.depends_on[0].slug}", (item.depends_on[0], item.url,
                                                              {k: packed(v) for k, v in item.context.items()}))
    if lane is not None:
        cache.put(RECORD, lane, last.outer)


def run(config: Config, cache: BuildCache, last: LastBuild, keep: Keep,
        timings: dict[str, float]) -> tuple[Built, WriteReport] | None:
    """The build, if only case bodies changed since the last one (see the module's docstring)."""
    lane: Lane | None = cache.get(RECORD, last.outer) if last.outer else None
    if lane is None or lane.files.keys() != {rel for _f, rel, _s in last.listing}:
        return None
    changed = [(file, rel, stat) for file, rel, stat in last.listing if lane.files[rel][0] != stat]
    rows = [cache.get(f"lane-case:{lane.slugs.get(rel)}") for _f, rel, _s in changed]
    saved = cache.get("inputs")
    templates = cache.get("template-keys", last.page_inputs[0]) if last.page_inputs else None
    if not changed or saved is None or not templates or "case.html" not in templates or not lane.plain \
            or any(row is None for row in rows) \
            or not as_left(config, last):
        return None
    with timed(timings, "lane"):
        return _rebuild(config, cache, last, keep, lane, changed, rows, saved, templates, timings)


def _rebuild(config: Config, cache: BuildCache, last: LastBuild, keep: Keep, lane: Lane,
             changed: list[tuple[str, str, SourceStat | None]], rows: list[Row], saved: dict[str, Any],
             templates: dict[str, str], timings: dict[str, float]) -> tuple[Built, WriteReport] | None:
    """Read the changed case files; if their articles are the recorded ones, render, write
    and record the files showing their bodies."""
    from .keys import Keys, Previous  # Jinja2, Markdown: only now that the lane may be taken
    from .links import check_bodies
    from .load import read_source, source_sha
    from .markup import MarkdownRenderer
    from .model import Output
    from .plan import Feed, Page
    from .progress import silent
    from .render import BodyStore, Renderer, SignedBytecodeCache, check_anchors
    from .searchindex import page_from_html
    from .searchstage import search_stage
    from .taxonomy import load_practices
    from .themes import resolve
    from .workers import default_jobs
    from .write import write_site

    practices = load_practices(config.practices_file)
    md = MarkdownRenderer(config.base_path)
    version = code_version()
    keys = dict(lane.keys)
    rendered = {}
    files = dict(lane.files)
    for (file, rel, stat), (article, _url, _context) in zip(changed, rows):
        files[rel] = (stat if settled(stat, last.listing.taken_ns) else None, lane.files[rel][1])
        if source_sha(file) == files[rel][1]:
            continue  # touched or copied: the same bytes
        read = read_source(Path(file), rel, practices, config.base_path, version, md.render)
        if read.article != article or read.meta_key != keys[article.slug][0]:
            return None  # front-matter (or what listings show of the body) changed: the normal build
        keys[article.slug] = (read.meta_key, read.body_key)
        files[rel] = (files[rel][0], read.sha)
        rendered[article.slug] = read.rendered
    dirty = {slug for slug in rendered if keys[slug] != lane.keys[slug]}
    feeds = [(path, *feed) for path, feed in lane.feeds.items() if dirty.intersection(feed[2])]
    shows = [row for row in rows if row[0].slug in dirty]
    articles = _articles(cache, {row[0].slug: row[0] for row in rows},
                         {slug for _a, _u, context in shows for slug in _refs(tuple(context.values()))}
                         | {slug for *_f, slugs in feeds for slug in slugs})
    if articles is None:
        return None
    cache.begin()
    plan: list[Planned] = [
        *(Page(url, "case.html", {k: _unpacked(v, articles) for k, v in context.items()}, (article,))
          for article, url, context in shows),
        *(Feed(path, title, page, tuple(articles[slug] for slug in slugs)) for path, title, page, slugs in feeds)]
    theme = resolve(config.themes_dir, config.theme)
    body_keys = {slug: body for slug, (_meta, body) in keys.items()}
    bodies = BodyStore(rendered, body_keys, lane.reserved, config.base_path, cached=cache.bodies)
    check_anchors([row[0] for row in rows], bodies)
    broken = check_bodies([Shown(slug, rel) for rel, slug in lane.slugs.items()], body_keys,
                          lambda a: bodies.body(articles[a.slug]).html, last.paths, config,
                          lane.reserved, cache, (frozenset(rel for _f, rel, _s in changed), saved["broken"]))
    keyed = Keys(lane.base, theme, {}, {slug: meta for slug, (meta, _body) in keys.items()}, body_keys,
                 Previous({}, frozenset(), templates))
    renderer = Renderer(config, theme, lane.asset_urls, {}, bodies,
                        SignedBytecodeCache(str(cache.jinja_dir()), cache.sealer))
    new_keys = {item.path: keyed.key(item) for item in plan}
    outputs = [Output(item.path, renderer.render(item)) for item in plan]  # the case pages first
    written = {o.path for o in outputs}
    kept = [path for path in last.paths if path not in written]
    search = search_stage(config, lane.slugs.values(), last.paths,
                          (page_from_html(out.data.decode(), url) for (_a, url, _c), out in zip(shows, outputs)),
                          kept, last.manifest if config.search else {}, cache, default_jobs(), timings, silent())
    if search is not None and not search.recorded_whole():
        cache.rollback()  # nothing is written yet: the normal build makes the index anew, and records it
        return None
    report = write_site(outputs, config.output_dir, search, keep=kept, existing=last.existing, protect=keep,
                        kept=last.protected, reindex=None if search is None else search.stale)
    base = f"{config.output_dir.absolute()}/"
    cache.save_pages({path: (key, *st) for path, key in new_keys.items()
                      if (st := file_stat(base + path)) is not None}, replace_all=False)
    cache.put_bodies({keys[slug][1]: rendered[slug] for slug in dirty})
    built = Built(sorted(written), saved["cases"], kept, timings, len(rendered),
                  drafts=[Draft(*d) for d in saved.get("drafts", ())], leftovers=saved.get("leftovers", []),
                  broken=broken)
    cache.put("inputs", {**saved, "signature": last.signature, "broken": broken})
    cache.put(RECORD, replace(lane, files=files, keys=keys), last.outer)
    if search is None:  # (a search index written changes files the seal cannot name)
        reseal(cache, last, outputs)
    cache.commit()
    return built, report


def _refs(value: Any) -> set[str]:
    """The slugs of the articles (:class:`Ref`) in a stored context value."""
    if isinstance(value, Ref):
        return {value.slug}
    return {slug for v in value for slug in _refs(v)} if type(value) is tuple else set()


def _unpacked(value: Any, articles: dict[str, Article]) -> Any:
    """A stored context value with the articles in place of their :class:`Ref`."""
    if isinstance(value, Ref):
        return articles[value.slug]
    return tuple(_unpacked(v, articles) for v in value) if type(value) is tuple else value


def _articles(cache: BuildCache, known: dict[str, Article], slugs: set[str]) -> dict[str, Article] | None:
    """``known`` and the articles of ``slugs``, each from its case page's record (None if one has none)."""
    for slug in slugs - known.keys():
        row = cache.get(f"lane-case:{slug}")
        if row is None:
            return None
        known[slug] = row[0]
    return known
