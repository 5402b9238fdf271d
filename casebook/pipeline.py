"""The whole build, stage by stage, as :func:`build` and :func:`rebuild` read:

1. **check** the last build (:func:`casebook.lastbuild.last_build`, in its own module so
   that a build with nothing to do never imports this one): with the cache, list the case
   files and the output folder; if no input changed since the last build and its output is
   intact, that build is this build's result and nothing more happens.
2. **inputs** (:func:`read_inputs`): vocabularies, theme, assets.
3. **load** (:func:`load`): read, validate and render the Markdown of every case file
   that changed since the cached build (all of them without a cache), in worker processes.
4. **group** (:func:`group_site`): cases by every taxonomy of ``site.yaml``, related cases, neighbours.
5. **plan** (:func:`casebook.plan.plan_site`): every output file as plain data.
6. **drop unchanged** (:func:`drop_unchanged`): a file whose dependency key
   (:mod:`casebook.keys`) and on-disk size and mtime match the last build is left alone.
7. **render** (:func:`start_render`): the rest, in worker processes (a first build's
   workers write the files into a new tree themselves), which also take the searchable
   text of each case page they render; meanwhile this process saves what it read into
   the cache (:func:`remember`).
8. **search** (:mod:`casebook.searchstage`): the search index brought up to date on the tree
   being published (:mod:`casebook.searchindex`), and checked whole, before the swap.
9. **write** (:func:`write`): replace the changed files, atomically.
10. **record** (:func:`record`): what this build made, for the next one.

None of the speed-ups changes a byte of the output: see :mod:`casebook.cache` and
:mod:`casebook.workers`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

from . import bodylane, searchindex, urls
from .assets import build_assets
from .cache import (
    BuildCache,
    Source,
    code_version,
    file_stat,
    settled,
    source_stat,
)
from .check import leftovers
from .config import Config
from .errors import CasebookError, CasebookErrors
from .group import group, newest_first, related_signature
from .images import PHOTO_STORE, publish
from .keys import Keys, Previous, base_key, shape_key
from .lastbuild import Built, Draft, LastBuild, Listing, Manifest, as_left, list_sources, timed
from .lastbuild import build as build  # where a build starts: the check, then rebuild() here
from .links import Broken, check_bodies
from .load import Loaded, check_duplicates, read_source, source_sha
from .markup import Body, MarkdownRenderer
from .model import Article, Output, Site
from .plan import Page, Planned, Stored, body_plan, plan_site, site_data
from .progress import Progress, silent
from .render import BodyStore, Renderer, SignedBytecodeCache, check_anchors
from .searchstage import SearchStage, search_stage
from .taxonomy import Vocabulary, load_practices, load_provinces
from .themes import Theme, resolve
from .workers import Run, Task, default_jobs
from .write import (
    Keep,
    WriteReport,
    new_tree,
    publish_new,
    write_new,
    write_site,
)


def shown(articles: Sequence[Article], drafts: bool) -> list[Article]:
    """The cases a build publishes: every case that is not a draft and, with ``drafts``,
    the drafts that lack nothing (a draft without a province or practices would have no
    place on the province and practice pages, one without a title no headline)."""
    return [a for a in articles if not a.draft or (drafts and not a.lacks)]


def draft_report(articles: Sequence[Article], drafts: bool) -> list[Draft]:
    return [Draft(a.path, a.lacks, drafts and not a.lacks) for a in articles if a.draft]


# -- 2. inputs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Inputs:
    """What a build reads besides the case files."""

    provinces: Vocabulary
    practices: Vocabulary
    theme: Theme
    asset_urls: dict[str, str]  # theme file -> its URL (with a content hash)
    assets: list[Output]
    base_key: str  # see casebook.keys.base_key
    reserved_ids: frozenset[str]  # element ids of the theme, which a body may not take


def read_inputs(config: Config) -> Inputs:
    provinces = load_provinces()
    practices = _practices(config.practices_file)
    theme = resolve(config.themes_dir, config.theme)
    asset_urls, assets = build_assets(theme.static_files(), config)
    return Inputs(provinces, practices, theme, asset_urls, assets,
                  base_key(config, asset_urls, provinces, practices), theme.element_ids())


_VOCABULARIES: dict[Path, tuple[tuple[int, ...] | None, Vocabulary]] = {}


def _practices(path: Path) -> Vocabulary:
    """The practice vocabulary, parsed once per process while the file is unchanged (``serve``)."""
    stat = source_stat(path)
    hit = _VOCABULARIES.get(path)
    if hit is not None and stat is not None and hit[0] == stat:
        return hit[1]
    vocab = load_practices(path)
    _VOCABULARIES[path] = (stat, vocab)
    return vocab


# -- 3. load ---------------------------------------------------------------------------------------

@dataclass
class Sources:
    """Every valid case, and what the cache will remember of each case file."""

    articles: list[Article]  # drafts included, in file order
    sources: dict[str, Source]  # rel -> what the cache remembers
    bodies: dict[str, Body]  # slug -> bodies rendered by this build
    reparsed: int  # case files read and parsed
    changed: bool  # something the cache holds about the files changed (parsed, or only restated)
    vocab_key: str  # the vocabulary the articles were validated against
    index: dict[str, Source] | None  # the cached index this build started from


def load(config: Config, practices: Vocabulary, cache: BuildCache | None, listing: Listing, workers: int,
         progress: Progress) -> Sources:
    """Read every case file that changed since the cached build (all of them without a cache)."""
    vocab_key = hashlib.sha1(repr(practices.terms).encode()).hexdigest()
    index = _cached_sources(cache, vocab_key)
    reuse, todo = _unchanged_sources(listing, index or {})
    loaded = _read_sources(config, practices, todo, workers, progress)
    errors: list[CasebookError] = []
    articles: list[Article] = []
    sources: dict[str, Source] = {}
    bodies: dict[str, Body] = {}
    for _file, rel, listed in listing:
        if rel in reuse:
            sources[rel] = reuse[rel]
            articles.append(reuse[rel].article)
            continue
        item = loaded[rel]
        if item.article is None:
            errors.extend(item.errors)
            continue
        articles.append(item.article)
        bodies[item.article.slug] = item.rendered
        # The listing's stat, taken before the file was read: a change after it shows next time.
        stat = listed if settled(listed, listing.taken_ns) else None
        sources[rel] = Source(stat, item.sha, item.meta_key, item.body_key, item.article, item.anchored)
    errors.extend(check_duplicates(articles))
    if errors:
        raise CasebookErrors(errors)
    changed = bool(todo) or any(src is not (index or {}).get(rel) for rel, src in reuse.items())
    return Sources(articles, sources, bodies, len(todo), changed, vocab_key, index)


def _cached_sources(cache: BuildCache | None, vocab_key: str) -> dict[str, Source] | None:
    """The cached source index: a base, and a small delta of the files changed since."""
    if cache is None:
        return None
    base = cache.get("sources", vocab_key)
    delta = cache.get("sources-delta", vocab_key + ":" + cache.get_token("sources")) if base else None
    return {**base, **delta} if base and delta else base


def _unchanged_sources(listing: Listing, index: dict[str, Source]) -> tuple[dict[str, Source], list[tuple[str, str]]]:
    """The cached sources still true (by stat, else by SHA-1: a file touched, copied or
    checked out keeps its bytes but not its stat), and the files to read."""
    reuse: dict[str, Source] = {}
    todo: list[tuple[str, str]] = []
    for file, rel, stat in listing:
        src = index.get(rel)
        if src is not None and stat is not None and stat == src.stat:
            reuse[rel] = src
        elif src is not None and stat is not None and source_sha(file) == src.sha:
            reuse[rel] = dataclasses.replace(src, stat=stat if settled(stat, listing.taken_ns) else None)
        else:
            todo.append((file, rel))
    return reuse, todo


def _read_sources(config: Config, practices: Vocabulary, todo: list[tuple[str, str]], workers: int,
                  progress: Progress) -> dict[str, Loaded]:
    progress.start("parse", len(todo))
    run = Run(_reading(todo, practices, config.base_path, code_version()), len(todo), workers, 100)
    loaded = {item.rel: item for item in run.results(progress)}
    progress.done()
    return loaded


def _reading(todo: list[tuple[str, str]], practices: Vocabulary, base_path: str, version: str) -> Task:
    """Read ``todo[lo:hi]``; each rendered body pickled (see :data:`casebook.markup.Body`)."""
    md = MarkdownRenderer(base_path)

    def read(lo: int, hi: int) -> list[Loaded]:
        out = []
        for f, rel in todo[lo:hi]:
            item = read_source(Path(f), rel, practices, base_path, version, md.render)
            if item.rendered is not None:
                item.rendered = pickle.dumps(item.rendered, protocol=pickle.HIGHEST_PROTOCOL)
            out.append(item)
        return out
    return read


def remember(cache: BuildCache, loaded: Sources) -> None:
    """Save what this build read into the cache: the source index and the rendered bodies."""
    if not loaded.changed:
        return
    # The index of 10,000 articles takes most of a second to pickle: a few changed files
    # go into a small delta beside it, merged into the base once the delta grows.
    index, sources = loaded.index, loaded.sources
    changed = {rel: src for rel, src in sources.items() if index is None or index.get(rel) is not src}
    if index is None or len(changed) > max(50, len(sources) // 20):
        cache.put("sources", sources, loaded.vocab_key)
        cache.put_token("sources")
        cache.put("sources-delta", {}, "")
    else:
        cache.put("sources-delta", changed, loaded.vocab_key + ":" + cache.get_token("sources"))
    cache.put_bodies({sources[a.path].body_key: loaded.bodies[a.slug] for a in loaded.articles
                      if a.slug in loaded.bodies})


# -- 4. group --------------------------------------------------------------------------------------

def group_site(config: Config, inputs: Inputs, articles: list[Article], cache: BuildCache | None,
               signature: str | None) -> tuple[Site, str]:
    """The grouped site, and the signature of what related cases depend on (``signature``
    if given: the last build's, when no front-matter changed). Related cases, the costly
    part of grouping, come from the cache when that signature matches, and so do the
    pinyin slugs of the terms found in the cases."""
    if cache is None:
        return group(articles, inputs.provinces, inputs.practices, config.related_limit,
                     taxonomies=config.taxonomies), ""
    if signature is None:
        signature = related_signature(newest_first(articles), config.related_limit)
    related = cache.get("related", signature)
    words = cache.get("term-slugs") or {}
    known = len(words)
    site = group(articles, inputs.provinces, inputs.practices, config.related_limit, related_slugs=related,
                 taxonomies=config.taxonomies, words=words)
    if related is None:
        cache.put("related", {slug: tuple(a.slug for a in rel) for slug, rel in site.related.items()}, signature)
    if len(words) != known:
        cache.put("term-slugs", words)
    return site, signature


def page_inputs(inputs: Inputs, loaded: Sources) -> str:
    """Hash of what page keys depend on besides the Markdown bodies: settings, theme and
    vocabularies (:func:`casebook.keys.shape_key`), and each case file's path and
    front-matter. Equal to the last build's, a file keeps its key unless it shows a body
    read again by this build (:class:`casebook.keys.Previous`)."""
    h = hashlib.sha1(shape_key(inputs.base_key, inputs.theme).encode())
    h.update("\n".join(f"{rel}|{src.meta_key}" for rel, src in loaded.sources.items()).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- 5. the renderer, once the site is grouped -------------------------------------------------------

def body_store(config: Config, inputs: Inputs, loaded: Sources, articles: list[Article],
               cache: BuildCache | None) -> BodyStore:
    """Bodies rendered by this build, else from the cache, else from the case file."""
    by_path = loaded.sources
    return BodyStore(loaded.bodies, {a.slug: by_path[a.path].body_key for a in articles}, inputs.reserved_ids,
                     config.base_path, headings={a.slug: by_path[a.path].anchored for a in articles if a.cases},
                     cached=None if cache is None else cache.bodies,
                     reread=None if cache is None else functools.partial(_reread, config, inputs.practices))


def _reread(config: Config, practices: Vocabulary, article: Article) -> str:
    """A cached article's Markdown body, read from its file again."""
    loaded = read_source(config.root / article.path, article.path, practices, config.base_path, code_version())
    if loaded.article is None:
        raise CasebookErrors(list(loaded.errors))
    return loaded.article.body


def broken_links(config: Config, inputs: Inputs, articles: list[Article], bodies: BodyStore,
                 planned: frozenset[str], cache: BuildCache | None) -> list[Broken]:
    """Links in case bodies to no planned file or anchor (:mod:`casebook.links`)."""
    return check_bodies(articles, bodies.body_keys, lambda a: bodies.body(a).html, planned,
                        config, inputs.reserved_ids, cache)


def body_planned(last: LastBuild, photos: Sequence[Output] | Sequence[Stored]) -> frozenset[str]:
    """The files of a build planned with :func:`casebook.plan.body_plan`: the last build's,
    with this build's published pictures in place of its (a picture added to, changed in
    or removed from a body changes their names, never a list page: see ``meta_key``)."""
    prefix = urls.photo("")
    return frozenset([*(path for path in last.manifest if not path.startswith(prefix)),
                      *(item.path for item in photos)])


# -- 6. drop unchanged files ------------------------------------------------------------------------

def drop_unchanged(plan: list[Planned], keys: Keys, manifest: Manifest,
                   output_dir: Path) -> tuple[list[Planned], list[str | None], list[str]]:
    """The files to render, their keys (None: not computed yet, on a first build), and the
    files the last build made from the same inputs and left as they are."""
    if not manifest:
        return plan, [None] * len(plan), []
    base = str(output_dir.absolute())
    todo: list[Planned] = []
    todo_keys: list[str | None] = []
    kept: list[str] = []
    for item in plan:
        key = keys.key(item)
        seen = manifest.get(item.path)
        if seen is not None and seen[0] == key and file_stat(f"{base}/{item.path}") == seen[1:]:
            kept.append(item.path)
        else:
            todo.append(item)
            todo_keys.append(key)
    return todo, todo_keys, kept


# -- 7. render -------------------------------------------------------------------------------------

class Result(NamedTuple):
    """One rendered file: its key (computed by the worker if not known; "" without keys),
    its bytes or, given a ``sink`` folder, the (size, mtime) of the file written there, and
    for a case page when search is on, what the search index holds of it."""

    key: str
    made: Any
    page: searchindex.Page | None


def searchable(item: Planned) -> TypeGuard[Page]:
    """Whether the search index holds this file: the case pages."""
    return isinstance(item, Page) and item.template == "case.html"


def start_render(renderer: Renderer, todo: list[Planned], keys: Keys | None, known: list[str | None],
                 sink: Path | None, search: bool, workers: int, progress: Progress) -> Run:
    """Start rendering ``todo`` (see :class:`Result`); ``sink`` is a new tree
    (:func:`casebook.write.new_tree`) the workers write the files into. With ``search``,
    the workers also read each case page they render for the index: its HTML is in their
    hands already, and the pages are parsed in parallel."""
    progress.start("render", len(todo))
    renderer.bodies.prefetch(a for item in todo for a in item.depends_on)  # before workers fork
    if keys is not None:
        keys.warm(item for item, key in zip(todo, known) if key is None)
    return Run(_rendering(renderer, todo, keys, known, sink, search), len(todo), workers, 200)


def _rendering(renderer: Renderer, todo: list[Planned], keys: Keys | None, known: list[str | None],
               sink: Path | None, search: bool) -> Task:
    def render_one(i: int) -> Result:
        item = todo[i]
        key = (known[i] or keys.key(item)) if keys is not None else ""
        data = renderer.render(item)
        page = searchindex.page_from_html(data.decode(), item.url) if search and searchable(item) else None
        return Result(key, data if sink is None else write_new(sink, item.path, data), page)

    def render_range(lo: int, hi: int) -> list[Any]:
        return [render_one(i) for i in range(lo, hi)]
    return render_range


# -- 8. search -------------------------------------------------------------------------------------
# casebook.searchstage (the body-edit lane runs it too, without importing this module).


# -- 9. write --------------------------------------------------------------------------------------

def write(config: Config, todo: list[Planned], results: list[Result], sink: Path | None, last: LastBuild | None,
          kept: list[str], keep: Keep, search: SearchStage | None) -> WriteReport:
    """Put the rendered files in place: a new tree renamed into place, or the changed files
    replaced. The search stage runs on the tree being published, before the swap."""
    if sink is not None:
        return publish_new(sink, config.output_dir, [item.path for item in todo], search)
    return write_site([Output(item.path, r.made) for item, r in zip(todo, results)], config.output_dir, search,
                      keep=kept, existing=None if last is None else last.existing, protect=keep,
                      kept=None if last is None else last.protected,
                      reindex=None if search is None else search.stale)


# -- 10. record ------------------------------------------------------------------------------------

def made(config: Config, todo: list[Planned], results: list[Result], sink: Path | None) -> Manifest:
    """The manifest rows of the files this build rendered: key, size and mtime on disk."""
    if sink is not None:  # the workers wrote them, and sent back their stat
        return {item.path: (r.key, *r.made) for item, r in zip(todo, results)}
    base = config.output_dir.absolute()
    rows: Manifest = {}
    for item, r in zip(todo, results):
        st = file_stat(base / item.path)
        if st is not None:
            rows[item.path] = (r.key, *st)
    return rows


def record(cache: BuildCache, rows: Manifest, planned: frozenset[str], last: LastBuild, loaded: Sources,
           page_inputs: tuple[str, str], built: Built) -> None:
    """Save the manifest of this build's files and what the next build compares with."""
    cache.save_pages(rows, replace_all=False)
    cache.forget_pages(set(last.manifest) - planned)
    if loaded.reparsed:
        cache.prune_bodies({s.body_key for s in loaded.sources.values()})
    # An input changed within a timestamp tick of the listing: its stat proves nothing yet.
    cache.put("inputs", {"signature": last.signature, "cases": built.cases,
                         "drafts": [tuple(d) for d in built.drafts], "leftovers": built.leftovers,
                         "broken": built.broken})
    cache.put("page-inputs", page_inputs)


# -- the build, after the check (casebook.lastbuild.build) found work --------------------------------

def rebuild(config: Config, cache: BuildCache | None, last: LastBuild | None, keep: Keep, workers: int | None,
            progress: Progress) -> tuple[Built, WriteReport]:
    """Stages 2 to 10, when the check (:func:`casebook.lastbuild.last_build`, ``last``; None
    without the cache) found that something changed."""
    workers = default_jobs() if workers is None else workers
    timings: dict[str, float] = {}
    if cache is not None:
        cache.begin()
    with timed(timings, "load"):
        inputs = read_inputs(config)
        loaded = load(config, inputs.practices, cache, last.listing if last else list_sources(config), workers,
                      progress)
    with timed(timings, "group"):
        articles = shown(loaded.articles, config.drafts)
        inputs_key = page_inputs(inputs, loaded) if cache is not None else ""
        recorded = last.page_inputs if last is not None else None
        same_inputs = bool(last and last.manifest) and recorded is not None and recorded[0] == inputs_key
        site, signature = group_site(config, inputs, articles, cache, recorded[1] if same_inputs and recorded else None)
    with timed(timings, "plan"):
        data = site_data(site, inputs.provinces, inputs.practices)
        bodies = body_store(config, inputs, loaded, articles, cache)
        renderer = Renderer(config, inputs.theme, inputs.asset_urls, data, bodies,
                            None if cache is None else SignedBytecodeCache(str(cache.jinja_dir()), cache.sealer))
        photos = publish(config, articles, None if cache is None else cache.dir / PHOTO_STORE, workers, progress)
        previous = Previous({p: row[0] for p, row in last.manifest.items()}, frozenset(loaded.bodies),
                            (cache.get("template-keys", inputs_key) if cache is not None else None) or {}) \
            if last is not None and same_inputs else None
        # Every file as the last build left it (a stray one is removed by the write): with the
        # same page inputs only the files showing a body read again can change, besides the
        # pictures (planned every build). A file edited or removed by hand: the whole site, as clean.
        if previous is not None and last is not None and as_left(config, last, strays=True):
            plan: list[Planned] = [*photos, *body_plan(config, site, previous.dirty)]
            planned = body_planned(last, photos)
        else:
            plan = plan_site(config, site, [*inputs.assets, *photos])
            planned = frozenset(item.path for item in plan)
        check_anchors(site.articles, bodies)
        broken = broken_links(config, inputs, articles, bodies, planned, cache)
        keys = Keys(inputs.base_key, inputs.theme, data,
                    {a.slug: loaded.sources[a.path].meta_key for a in articles}, bodies.body_keys, previous)
        todo, todo_keys, kept = drop_unchanged(plan, keys, last.manifest if last else {}, config.output_dir)
        kept.extend(planned - {item.path for item in plan})  # a body edit's plan: the rest is as last left
        # keep: patterns must not match a file casebook writes. Only the rendered files are
        # checked: keys cover the settings, keep: included, so a file not rendered again
        # was checked by the build that wrote it (21 ms for 15,000 paths otherwise).
        keep.check_outputs(item.path for item in todo)
    sink = new_tree(config.output_dir)  # no output folder yet: the workers write the new tree
    try:
        with timed(timings, "render"):
            with start_render(renderer, todo, keys if cache is not None else None, todo_keys, sink, config.search,
                              workers, progress) as rendering:
                if cache is not None:  # while the workers render
                    remember(cache, loaded)
                    if last is not None:  # 1.8 s at 10,000 cases, hidden here
                        bodylane.remember(cache, last, bodylane.recorded(cache, last, config, site, inputs, loaded,
                                                                         keys), todo)
                results = rendering.results(progress)
            progress.done()
        built = Built([item.path for item in todo], len(articles), kept, timings, loaded.reparsed,
                      drafts=draft_report(loaded.articles, config.drafts), leftovers=leftovers(articles),
                      broken=broken)
        search = search_stage(config, (a.slug for a in site.articles), planned,
                              (r.page for r in results if r.page is not None), kept,
                              last.manifest if last is not None else {}, cache, workers, timings, progress)
        with timed(timings, "write"):
            report = write(config, todo, results, sink, last, kept, keep, search)
    except BaseException:
        if sink is not None:
            shutil.rmtree(sink, ignore_errors=True)
        raise
    rows = made(config, todo, results, sink) if cache is not None else {}
    del results  # the site's bytes are on disk now
    timings["write"] -= timings.get("search", 0.0)
    if cache is not None and last is not None:
        record(cache, rows, planned, last, loaded, (inputs_key, signature), built)
        cache.put("template-keys", keys.templates, inputs_key)  # with the last build's: see Previous
        cache.commit()
    return built, report


def render(config: Config, *, workers: int | None = None, progress: Progress | None = None) -> Built:
    """Every output file, rendered (no cache): used by ``check``."""
    workers = default_jobs() if workers is None else workers
    progress = progress or silent()
    timings: dict[str, float] = {}
    with timed(timings, "load"):
        inputs = read_inputs(config)
        loaded = load(config, inputs.practices, None, list_sources(config), workers, progress)
    with timed(timings, "group"):
        articles = shown(loaded.articles, config.drafts)
        site, _ = group_site(config, inputs, articles, None, None)
    with timed(timings, "plan"):
        bodies = body_store(config, inputs, loaded, articles, None)
        renderer = Renderer(config, inputs.theme, inputs.asset_urls, site_data(site, inputs.provinces,
                                                                               inputs.practices), bodies)
        plan = plan_site(config, site, [*inputs.assets, *publish(config, articles, None, workers, progress)])
        check_anchors(site.articles, bodies)
        broken = broken_links(config, inputs, articles, bodies, frozenset(item.path for item in plan), None)
    with timed(timings, "render"):
        results = start_render(renderer, plan, None, [None] * len(plan), None, False, workers,
                               progress).results(progress)
        progress.done()
    return Built([p.path for p in plan], len(articles), timings=timings, reparsed=loaded.reparsed,
                 outputs=[Output(p.path, r.made) for p, r in zip(plan, results)],
                 drafts=draft_report(loaded.articles, config.drafts), leftovers=leftovers(articles),
                 broken=broken)
