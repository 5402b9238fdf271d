"""The whole build as one readable function: load -> group -> render -> write.

Speed comes from three things, none of which changes a byte of the output:

* **Worker processes.** Reading, validating and rendering the Markdown of case files
  (the costliest step) and rendering pages run in forked worker processes, in chunks,
  one per core. Workers inherit the loaded state through ``fork`` and are only sent
  index ranges; they send back pickled articles (parse step) or page bytes (render step;
  on a first build they write the pages themselves and send back each file's size and mtime).
* **The cache** (:mod:`casebook.cache`). Unchanged case files are not read again; their
  articles and rendered bodies come from the cache. Each output file has a dependency
  key (:func:`casebook.render.plan_site`); a file whose key and on-disk size/mtime match
  the last build is neither rendered nor touched.
* **Small writes in place.** A change to a few files replaces just those files, each
  atomically (:func:`casebook.write.write_site`); larger changes stage and swap the tree.

Search: Pagefind re-indexes the whole site, and only when an HTML page changed (a
rebuild that changed nothing, or only feeds or assets, keeps the previous index).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import children, search
from .cache import BuildCache, Source, code_version, file_sha, file_stat, settled, source_stat
from .check import leftovers
from .config import Config
from .errors import CasebookError, CasebookErrors
from .group import group, newest_first, related_signature
from .links import Broken, check_bodies
from .load import Loaded, check_duplicates, content_files, read_source
from .markup import Body, MarkdownRenderer
from .model import Article, Output, Site
from .progress import Progress, silent
from .render import Job, Previous, Renderer, plan_site, shape_key
from .taxonomy import Vocabulary, load_practices, load_provinces
from .themes import resolve
from .write import (Keep, Snapshot, WriteReport, claim, kept_entries, list_tree, lock_output, new_tree, publish_new,
                    write_new, write_site)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

PARALLEL_MIN = 64  # fewer files or pages than this are cheaper to do in this process


class Draft(NamedTuple):
    """A case marked ``draft: true``: its file, the required keys it still lacks, and
    whether the build showed it (only with ``--drafts``, and only if it lacks nothing)."""

    path: str
    lacks: tuple[str, ...]
    shown: bool


@dataclass
class Built:
    rendered: list[str]  # the files rendered by this build (all of them without a cache)
    cases: int
    kept: list[str] = field(default_factory=list)  # files reused from the last build, not rendered
    timings: dict[str, float] = field(default_factory=dict)
    reparsed: int = 0  # case files read and parsed (the rest came from the cache)
    outputs: list[Output] = field(default_factory=list)  # the rendered bytes: from render() only
    drafts: list[Draft] = field(default_factory=list)  # every draft, in file order
    leftovers: list[tuple[str, int]] = field(default_factory=list)  # new's placeholders: casebook.check.leftovers
    broken: list[Broken] = field(default_factory=list)  # broken links in case bodies (casebook.links)

    @property
    def skipped(self) -> list[Draft]:
        """The drafts this build left out."""
        return [d for d in self.drafts if not d.shown]


def shown(articles: Sequence[Article], drafts: bool) -> list[Article]:
    """The cases a build publishes: every case that is not a draft and, with ``drafts``,
    the drafts that lack nothing (a draft without a province or practices would have no
    place on the province and practice pages, one without a title no headline)."""
    return [a for a in articles if not a.draft or (drafts and not a.lacks)]


def draft_report(articles: Sequence[Article], drafts: bool) -> list[Draft]:
    return [Draft(a.path, a.lacks, drafts and not a.lacks) for a in articles if a.draft]


def default_jobs() -> int:
    env = os.environ.get("CASEBOOK_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# -- worker processes ---------------------------------------------------------------------------
# State for forked workers: set in the parent just before the pool starts, inherited by fork.
_STATE: dict[str, Any] = {}


def _fork_pool(workers: int) -> ProcessPoolExecutor | None:
    import multiprocessing  # here: a small incremental build needs no pool, nor the import time
    from concurrent.futures import ProcessPoolExecutor

    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               **children.pool_options())  # workers die with the build, even on kill -9


def _parse_chunk(items: list[tuple[str, str]]) -> list[Loaded]:
    """Read a chunk of case files; each rendered body goes back pickled (see :data:`Body`)."""
    practices, base_path, version = _STATE["load"]
    md = _STATE.get("md")
    if md is None or md.base_path != base_path:
        md = _STATE["md"] = MarkdownRenderer(base_path)
    out = []
    for f, rel in items:
        item = read_source(Path(f), rel, practices, base_path, version, md.render)
        if item.rendered is not None:
            item.rendered = pickle.dumps(item.rendered, protocol=pickle.HIGHEST_PROTOCOL)
        out.append(item)
    return out


def _render_chunk(lo: int, hi: int) -> list[Any]:
    """Render jobs ``lo:hi`` and send back their bytes; with a sink (see
    :func:`casebook.write.new_tree`) write them there and send back each file's key (if
    keyed; "" otherwise), size and mtime: the manifest row, so a first build's keys are
    computed here, in parallel."""
    jobs: list[Job] = _STATE["jobs"]
    sink: Path | None = _STATE.get("sink")
    if sink is None:
        return [jobs[i].make() for i in range(lo, hi)]
    keyed = _STATE.get("keyed", False)
    return [(jobs[i].key if keyed else "", *write_new(sink, jobs[i].path, jobs[i].make())) for i in range(lo, hi)]


def _chunks(n: int, workers: int, target: int) -> Iterator[tuple[int, int]]:
    """Index ranges: about ``target`` items each, at least 4 chunks a worker for balance."""
    size = max(1, min(target, -(-n // (workers * 4))))
    for lo in range(0, n, size):
        yield lo, min(n, lo + size)


# -- stages ----------------------------------------------------------------------------------------

@dataclass
class _Sources:
    articles: list[Article]  # all valid cases, drafts included, in file order
    sources: dict[str, Source]  # rel -> what the cache will remember
    bodies: dict[str, Body]  # slug -> bodies rendered by this build
    reparsed: int
    # Saves them into the cache: called while the pages render (the coordinating process waits then)
    remember: Callable[[], None] | None = None


class Listing(list[tuple[str, str, "tuple[int, ...] | None"]]):
    """Every case file (path, path relative to the project, stat: see
    :func:`casebook.cache.source_stat`), and when the listing started (``taken_ns``)."""

    taken_ns: int = 0


def _listing(config: Config) -> Listing:
    """Every case file with its (size, mtime, ctime, inode)."""
    taken = time.time_ns()
    try:
        listing = Listing(content_files(config.content_dir, config.root))
    except CasebookError as exc:
        raise CasebookErrors([exc]) from None
    listing.taken_ns = taken
    return listing


def _load(config: Config, practices: Vocabulary, cache: BuildCache | None, workers: int,
          progress: Progress, listing: Listing | None = None) -> _Sources:
    """Read every case file that changed since the cached build (all of them without a cache)."""
    version = code_version()
    vocab_key = hashlib.sha1(repr(practices.terms).encode()).hexdigest()
    stats = listing if listing is not None else _listing(config)
    index: dict[str, Source] = {}
    base: dict[str, Source] | None = None
    if cache is not None:
        base = cache.get("sources", vocab_key)
        index = base or {}
        delta = cache.get("sources-delta", vocab_key + ":" + cache.get_token("sources")) if base else None
        if delta:
            index = {**index, **delta}
    reuse: dict[str, Source] = {}
    todo: list[tuple[str, str]] = []
    restated = False  # a file kept its bytes but not its stat (touched, copied, checked out)
    for file, rel, stat in stats:
        src = index.get(rel)
        if src is not None and stat is not None and stat == src.stat:
            reuse[rel] = src
        elif src is not None and stat is not None and file_sha(file) == src.sha:
            reuse[rel] = Source(stat if settled(stat, stats.taken_ns) else None, *astuple_rest(src))
            restated = True
        else:
            todo.append((file, rel))
    loaded: dict[str, Loaded] = {}
    progress.start("parse", len(todo))
    _STATE["load"] = (practices, config.base_path, version)
    pool = _fork_pool(workers) if len(todo) >= PARALLEL_MIN else None
    try:
        if pool is None:
            md = MarkdownRenderer(config.base_path)
            for f, rel in todo:
                loaded[rel] = read_source(Path(f), rel, practices, config.base_path, version, md.render)
                progress.advance(1)
        else:
            futures = [pool.submit(_parse_chunk, todo[lo:hi]) for lo, hi in _chunks(len(todo), workers, 100)]
            for fut in futures:
                for item in fut.result():
                    loaded[item.rel] = item
                progress.advance(len(loaded) - progress.count)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        _STATE.pop("load", None)
    progress.done()
    errors: list[CasebookError] = []
    articles: list[Article] = []
    sources: dict[str, Source] = {}
    bodies: dict[str, Body] = {}
    for _file, rel, listed in stats:
        if rel in reuse:
            src = reuse[rel]
            articles.append(src.article)
            sources[rel] = src
            continue
        item = loaded[rel]
        if item.article is None:
            errors.extend(item.errors)
            continue
        art = item.article
        articles.append(art)
        bodies[art.slug] = item.rendered
        # The listing's stat, taken before the file was read: a change after it shows next time.
        stat = listed if settled(listed, stats.taken_ns) else None
        sources[rel] = Source(stat, item.sha, item.meta_key, item.body_key, art, item.anchored)
    errors.extend(check_duplicates(articles))
    if errors:
        raise CasebookErrors(errors)
    remember = None
    if cache is not None and (todo or restated):
        remember = functools.partial(_remember, cache, vocab_key, base, sources, articles, bodies)
    return _Sources(articles, sources, bodies, len(todo), remember)


def astuple_rest(src: Source) -> tuple[Any, ...]:
    """A source's fields after its stat."""
    return src.sha, src.meta_key, src.body_key, src.article, src.anchored


def _remember(cache: BuildCache, vocab_key: str, base: dict[str, Source] | None, sources: dict[str, Source],
              articles: list[Article], bodies: dict[str, Body]) -> None:
    """Save what this build read into the cache: the source index and the rendered bodies."""
    # The index of 10,000 articles takes most of a second to pickle: a few changed files
    # go into a small delta beside it, merged into the base once the delta grows.
    changed = {rel: src for rel, src in sources.items() if base is None or base.get(rel) is not src}
    if base is None or len(changed) > max(50, len(sources) // 20):
        cache.put("sources", sources, vocab_key)
        cache.put_token("sources")
        cache.put("sources-delta", {}, "")
    else:
        cache.put("sources-delta", changed, vocab_key + ":" + cache.get_token("sources"))
    cache.put_bodies({sources[a.path].body_key: bodies[a.slug] for a in articles if a.slug in bodies})


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


@dataclass
class _Prepared:
    renderer: Renderer
    jobs: list[Job]
    cases: int
    loaded: _Sources
    # (page inputs, related-cases signature), saved for the next build (only with a cache)
    page_inputs: tuple[str, str] | None = None
    drafts: list[Draft] = field(default_factory=list)
    leftovers: list[tuple[str, int]] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)


Manifest = dict[str, tuple[str, int, int]]  # output path -> (key, size, mtime) after the last build


def _prepare(config: Config, cache: BuildCache | None, workers: int, progress: Progress,
             timings: dict[str, float], listing: Listing | None = None,
             manifest: Manifest | None = None) -> _Prepared:
    t0 = time.perf_counter()
    provinces = load_provinces()
    practices = _practices(config.practices_file)
    theme = resolve(config.themes_dir, config.theme)
    renderer = Renderer(config, theme, provinces, practices)
    if cache is not None:  # compiled templates, keyed by their source: skips Jinja's compile
        renderer.env.bytecode_cache = cache.bytecode_cache()
    loaded = _load(config, practices, cache, workers, progress, listing)
    timings["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    articles = shown(loaded.articles, config.drafts)
    _hand_over(renderer, loaded, articles, cache, practices)
    page_inputs = _page_inputs(renderer, loaded) if cache is not None else ""
    last = cache.get("page-inputs") if cache is not None else None
    same_inputs = bool(manifest) and last is not None and last[0] == page_inputs
    # Related cases depend on front-matter only: with the same page inputs, the last build's signature holds.
    site, signature = _group(config, articles, provinces, practices, cache,
                             last[1] if same_inputs and last is not None else None)
    timings["group"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    previous = None
    if manifest and same_inputs:  # only bodies changed: the other pages keep their keys
        previous = Previous({path: row[0] for path, row in manifest.items()}, frozenset(loaded.bodies))
    jobs = plan_site(site, renderer, previous)
    broken = check_bodies(articles, renderer.body_keys, lambda a: renderer.body(a).html, {j.path for j in jobs},
                          config, renderer.theme_ids, cache)
    timings["plan"] = time.perf_counter() - t0
    return _Prepared(renderer, jobs, len(articles), loaded, (page_inputs, signature) if cache is not None else None,
                     draft_report(loaded.articles, config.drafts), leftovers(articles), broken)


def _hand_over(renderer: Renderer, loaded: _Sources, articles: list[Article], cache: BuildCache | None,
               practices: Vocabulary) -> None:
    """Give the renderer the articles' keys, the bodies rendered while loading, and ways to
    get the others (from the cache, or by reading the file again)."""
    config = renderer.config
    by_path = loaded.sources
    renderer.meta_keys = {a.slug: by_path[a.path].meta_key for a in articles}
    renderer.body_keys = {a.slug: by_path[a.path].body_key for a in articles}
    renderer.headings = {a.slug: by_path[a.path].anchored for a in articles if a.cases}
    renderer.add_bodies(loaded.bodies)
    if cache is not None:
        renderer.body_loader = cache.bodies

        def source_body(article: Article) -> str:
            loaded = read_source(config.root / article.path, article.path, practices, config.base_path,
                                 code_version())
            if loaded.article is None:
                raise CasebookErrors(list(loaded.errors))
            return loaded.article.body
        renderer.source_body = source_body


def _group(config: Config, articles: list[Article], provinces: Vocabulary, practices: Vocabulary,
           cache: BuildCache | None, signature: str | None) -> tuple[Site, str]:
    """The grouped site, and the signature of what related cases depend on (``signature``
    if given: the last build's, when no front-matter changed). Related cases, the costly
    part of grouping, come from the cache when that signature matches."""
    if cache is None:
        return group(articles, provinces, practices, config.related_limit), ""
    if signature is None:
        signature = related_signature(newest_first(articles), config.related_limit)
    related = cache.get("related", signature)
    site = group(articles, provinces, practices, config.related_limit, related_slugs=related)
    if related is None:
        cache.put("related", {slug: tuple(a.slug for a in rel) for slug, rel in site.related.items()}, signature)
    return site, signature


def _page_inputs(renderer: Renderer, loaded: _Sources) -> str:
    """Hash of what page keys depend on besides the Markdown bodies: settings, theme and
    vocabularies (:func:`casebook.render.shape_key`), and each case file's path and
    front-matter. Equal to the last build's, a page keeps its key unless it shows a body
    read again by this build (:class:`casebook.render.Previous`)."""
    h = hashlib.sha1(shape_key(renderer).encode())
    h.update("\n".join(f"{rel}|{src.meta_key}" for rel, src in loaded.sources.items()).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _run_jobs(renderer: Renderer, jobs: Sequence[Job], workers: int, progress: Progress,
              sink: Path | None = None, meanwhile: Callable[[], None] | None = None,
              keyed: bool = False) -> list[Any]:
    """Render ``jobs`` (in worker processes when there are many) and return their bytes, or,
    given a ``sink`` folder, write them into it and return each file's (key, size, mtime),
    the key only if ``keyed`` (a build without a cache keeps no manifest). ``meanwhile``
    runs in this process once the workers have their work."""
    progress.start("render", len(jobs))
    # Bodies the jobs need are fetched from the cache once, here, before workers fork.
    renderer.prefetch([a for job in jobs for a in job.articles])
    pool = _fork_pool(workers) if len(jobs) >= PARALLEL_MIN else None
    out: list[Any] = []
    _STATE["jobs"], _STATE["sink"], _STATE["keyed"] = jobs, sink, keyed
    try:
        if pool is None:
            if meanwhile is not None:
                meanwhile()
            for lo in range(len(jobs)):
                out.extend(_render_chunk(lo, lo + 1))
                progress.advance(1)
        else:
            chunks = list(_chunks(len(jobs), workers, 200))
            futures = [pool.submit(_render_chunk, lo, hi) for lo, hi in chunks]
            if meanwhile is not None:
                meanwhile()
            for fut, (lo, hi) in zip(futures, chunks):
                out.extend(fut.result())
                progress.advance(hi - lo)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        for name in ("jobs", "sink", "keyed"):
            _STATE.pop(name, None)
    progress.done()
    return out


def render(config: Config, *, workers: int | None = None, progress: Progress | None = None) -> Built:
    """Every output file, rendered (no cache): used by ``check``."""
    workers = default_jobs() if workers is None else workers
    progress = progress or silent()
    timings: dict[str, float] = {}
    prepared = _prepare(config, None, workers, progress, timings)
    t0 = time.perf_counter()
    data = _run_jobs(prepared.renderer, prepared.jobs, workers, progress)
    timings["render"] = time.perf_counter() - t0
    return Built([j.path for j in prepared.jobs], prepared.cases, timings=timings, reparsed=prepared.loaded.reparsed,
                 outputs=[Output(j.path, d) for j, d in zip(prepared.jobs, data)], drafts=prepared.drafts,
                 leftovers=prepared.leftovers, broken=prepared.broken)


def build(config: Config, *, use_cache: bool = True, workers: int | None = None,
          progress: Progress | None = None, reindex: bool = True, adopt: bool = False) -> tuple[Built, WriteReport]:
    """Build ``config.output_dir``; with the cache, only what changed is read, rendered, written.

    ``reindex=False`` keeps an existing search index even if page text changed (``serve``
    re-indexes after the browsers reloaded); without an index, one is always built.
    An existing output folder that casebook did not build is refused unless ``adopt``
    (:func:`casebook.write.claim`); a second build of the same folder at once is refused."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a build makes millions of long-lived objects: cyclic GC passes only cost time
    try:
        with lock_output(config.output_dir):
            return _build(config, use_cache, workers, progress, reindex, adopt)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(config: Config, use_cache: bool, workers: int | None, progress: Progress | None,
           reindex: bool, adopt: bool) -> tuple[Built, WriteReport]:
    workers = default_jobs() if workers is None else workers
    progress = progress or silent()
    timings: dict[str, float] = {}
    keep = Keep(config.keep)
    if not use_cache:
        claim(config.output_dir, keep, adopt)
    cache = BuildCache(config.root, config.output_dir, progress.note) if use_cache else None
    try:
        existing: set[str] | None = None  # the files in the output folder (walked by write_site if None)
        tree: Snapshot | None = None  # the listing of the output folder, with what keep: protects
        listing: Listing | None = None
        manifest: Manifest = {}
        if cache is not None:
            t0 = time.perf_counter()
            listing = _listing(config)
            signature, trusted = _inputs_signature(config, listing)
            manifest = cache.pages()
            claim(config.output_dir, keep, adopt, manifest)
            existing, tree = _output_files(config, cache, keep)
            unchanged = _unchanged_build(config, cache, signature, existing, manifest)
            if unchanged is not None:
                timings["check"] = time.perf_counter() - t0
                unchanged.timings = timings
                return unchanged, WriteReport(0, len(unchanged.kept), 0)
            cache.begin()
        prepared = _prepare(config, cache, workers, progress, timings, listing, manifest)
        renderer, jobs, loaded = prepared.renderer, prepared.jobs, prepared.loaded
        t0 = time.perf_counter()
        output_dir = config.output_dir.absolute()
        base = str(output_dir)
        todo: list[Job] = []
        kept_pages: list[str] = []
        for job in jobs:
            seen = manifest.get(job.path)
            if seen is not None and seen[0] == job.key and file_stat(f"{base}/{job.path}") == seen[1:]:
                kept_pages.append(job.path)
            else:
                todo.append(job)
        # keep: patterns must not match a file casebook writes. Only the rendered files are
        # checked: page keys cover the settings, keep: included, so a page not rendered
        # again was checked by the build that wrote it (21 ms for 15,000 paths otherwise).
        keep.check_outputs(job.path for job in todo)
        sink = new_tree(config.output_dir)  # no output folder yet: the renderers write the new tree
        written: dict[str, tuple[str, int, int]] | None = None  # (key, size, mtime) of the files the renderers wrote
        try:
            data = _run_jobs(renderer, todo, workers, progress, sink, loaded.remember, keyed=cache is not None)
            timings["render"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            finish = _search_finish(progress, timings) if config.search else None
            if sink is not None:
                written = dict(zip((j.path for j in todo), data))
                report = publish_new(sink, config.output_dir, [j.path for j in todo], finish)
            else:
                report = write_site([Output(j.path, d) for j, d in zip(todo, data)], config.output_dir, finish,
                                    keep=kept_pages, existing=existing, protect=keep,
                                    kept=None if tree is None else kept_entries(tree),
                                    reindex=lambda changed: reindex and any(p.endswith(".html") for p in changed))
        except BaseException:
            if sink is not None:
                shutil.rmtree(sink, ignore_errors=True)
            raise
        del data  # the site's bytes are on disk now
        timings["write"] = time.perf_counter() - t0 - timings.get("search", 0.0)
        if cache is not None:
            rows = written
            if rows is None:
                rows = {}
                for job in todo:
                    st = file_stat(output_dir / job.path)
                    if st is not None:
                        rows[job.path] = (job.key, *st)
            cache.save_pages(rows, replace_all=False)
            cache.forget_pages(set(manifest) - {j.path for j in jobs})
            if loaded.reparsed:
                cache.prune_bodies({s.body_key for s in loaded.sources.values()})
            # An input changed within a timestamp tick of the listing: its stat proves nothing yet.
            cache.put("inputs", {"signature": signature if trusted else "", "cases": prepared.cases,
                                 "drafts": [tuple(d) for d in prepared.drafts],
                                 "leftovers": prepared.leftovers, "broken": prepared.broken})
            cache.put("page-inputs", prepared.page_inputs)
            cache.commit()
    except BaseException:
        if cache is not None:
            cache.rollback()
        raise
    finally:
        if cache is not None:
            cache.close()
    return Built([j.path for j in todo], prepared.cases, kept_pages, timings, loaded.reparsed,
                 drafts=prepared.drafts, leftovers=prepared.leftovers, broken=prepared.broken), report


def _inputs_signature(config: Config, listing: Listing) -> tuple[str, bool]:
    """Hash of everything a build reads, by name and stat (size, mtime, ctime, inode: see
    :func:`casebook.cache.source_stat`): code, settings, theme, vocabulary, case files.
    Equal to the last build's (and its output intact) means that build's output is this
    build's output, without loading anything. And whether every stat was settled (see
    :func:`casebook.cache.settled`): if not, the next build must not trust the signature."""
    h = hashlib.sha1(code_version().encode())
    h.update(repr(config).encode())
    entries: list[str] = []
    try:
        theme = resolve(config.themes_dir, config.theme)
    except CasebookError:
        return "", False
    stats: list[tuple[int, ...] | None] = []
    for folder in theme.chain:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                stats.append(source_stat(path))
                entries.append(f"{path}|{stats[-1]}")
    stats.append(source_stat(config.practices_file))
    entries.append(f"{config.practices_file}|{stats[-1]}")
    entries.extend(f"{rel}|{stat}" for _file, rel, stat in listing)
    h.update("\n".join(entries).encode("utf-8", "surrogatepass"))
    taken = listing.taken_ns
    trusted = all(settled(st, taken) for st in stats) and all(settled(st, taken) for _f, _r, st in listing)
    return h.hexdigest(), trusted


def _output_files(config: Config, cache: BuildCache, keep: Keep) -> tuple[set[str], Snapshot]:
    """The files in the output folder, and the files and folders ``keep:`` protects there.
    Only folders changed since the last build are listed (:func:`casebook.write.list_tree`):
    the cache keeps what each one held (under the same ``keep:`` patterns)."""
    context = repr(keep.patterns)
    known = cache.get("tree", context)
    files, tree = list_tree(config.output_dir.absolute(), known, keep)
    if tree != known:
        cache.put("tree", tree, context)
    return files, tree


def _unchanged_build(config: Config, cache: BuildCache, signature: str, existing: set[str],
                     manifest: Manifest) -> Built | None:
    """The last build, if its inputs have not changed and its output folder is as it left it."""
    saved = cache.get("inputs")
    if not signature or not saved or saved.get("signature") != signature:
        return None
    output_dir = config.output_dir.absolute()
    derived = {p for p in existing if p.startswith("pagefind/")}
    if existing - derived != manifest.keys() or bool(derived) != config.search:
        return None
    base = str(output_dir)
    for path, (_key, size, mtime) in manifest.items():
        try:
            st = os.stat(os.path.join(base, path))
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return None
    return Built([], saved["cases"], sorted(manifest), drafts=[Draft(*d) for d in saved.get("drafts", ())],
                 leftovers=saved.get("leftovers", []), broken=saved.get("broken", []))


def _search_finish(progress: Progress, timings: dict[str, float]) -> Callable[[Path], None]:
    def finish(site_dir: Path) -> None:
        t0 = time.perf_counter()
        progress.note("indexing search (Pagefind)…")
        search.index(site_dir)
        timings["search"] = time.perf_counter() - t0
    return finish
