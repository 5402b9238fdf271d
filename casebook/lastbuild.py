"""Stage 1 of the build, and where it starts: the check of the last build.

:func:`build` locks the output folder, opens the cache and asks whether anything changed
since the last build (:func:`last_build`). If nothing did, that build is this one's result
and nothing more happens; only otherwise does it import the later stages
(:mod:`casebook.pipeline`), which bring Jinja2, Python-Markdown and Pygments: a third of a
second that a build with nothing to do must not pay. So this module, and every module it
imports, does without them (``tests/test_incremental.py`` checks that a nothing-changed
build never imports them).

The check itself is quickest when the last check already found the output folder as
the last build left it: it then sealed the stat of every folder and file there in one
digest (:func:`_seal_output`), and one ``stat`` of each, hashed, proves them unchanged
(:func:`_sealed`). Otherwise the folders are listed (:func:`casebook.write.list_tree`) and
the files compared with the last build's manifest, one by one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .cache import BuildCache, SourceStat, code_version, settled, source_stat
from .config import Config
from .errors import CasebookError, CasebookErrors
from .listing import content_files
from .progress import Progress, silent
from .searchindex import FOLDER
from .themes import resolve
from .write import Keep, Snapshot, WriteReport, check_writable, claim, list_tree, lock_output

if TYPE_CHECKING:
    from .links import Broken
    from .model import Output

Manifest = dict[str, tuple[str, int, int]]  # output path -> (key, size, mtime) after the last build


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


@contextlib.contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


@contextlib.contextmanager
def collector_paused(until_exit: bool = False) -> Iterator[None]:
    """The one garbage-collection policy: no cyclic collection while a build runs. A build
    makes millions of long-lived objects and almost no cycles: passes of the collector
    would only walk them. It runs again afterwards (``serve`` builds many times).

    ``until_exit``: the process ends after this build (``build.py build``), so its objects
    are frozen (``gc.freeze``) before the collector is enabled again: neither the next
    allocation nor the interpreter's exit walks them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if until_exit:
            gc.freeze()
        if was_enabled:
            gc.enable()


# -- the build --------------------------------------------------------------------------------------

def build(config: Config, *, use_cache: bool = True, workers: int | None = None,
          progress: Progress | None = None, adopt: bool = False) -> tuple[Built, WriteReport]:
    """Build ``config.output_dir``; with the cache, only what changed is read, rendered, written.

    An existing output folder that casebook did not build is refused unless ``adopt``
    (:func:`casebook.write.claim`); a second build of the same folder at once is refused;
    one that cannot be written is refused before anything is rendered (a build with
    nothing to do writes nothing, so it does not probe the folder)."""
    progress = progress or silent()
    with collector_paused(), lock_output(config.output_dir):
        cache = BuildCache(config.root, config.output_dir, progress.note) if use_cache else None
        try:
            timings: dict[str, float] = {}
            keep = Keep(config.keep)
            with timed(timings, "check"):
                last = None if cache is None else last_build(config, cache, keep, adopt)
                if cache is None:
                    claim(config.output_dir, keep, adopt)
            if last is not None and last.unchanged is not None:
                last.unchanged.timings = timings
                return last.unchanged, WriteReport(0, len(last.unchanged.kept), 0)
            check_writable(config.output_dir)
            if last is not None and cache is not None:
                from .bodylane import run as body_lane  # (it imports this module)
                done = body_lane(config, cache, last, keep, timings)
                if done is not None:
                    return done
            from .pipeline import rebuild  # Jinja2, Markdown, Pygments: only now that there is work
            return rebuild(config, cache, last, keep, workers, progress)
        except BaseException:
            if cache is not None:
                cache.rollback()
            raise
        finally:
            if cache is not None:
                cache.close()


# -- 1. check the last build -----------------------------------------------------------------------

class Listing(list[tuple[str, str, "SourceStat | None"]]):
    """Every case file (path, path relative to the project, stat: see
    :func:`casebook.cache.source_stat`), and when the listing started (``taken_ns``)."""

    taken_ns: int = 0


def list_sources(config: Config) -> Listing:
    taken = time.time_ns()
    try:
        listing = Listing(content_files(config.content_dir, config.root))
    except CasebookError as exc:
        raise CasebookErrors([exc]) from None
    listing.taken_ns = taken
    return listing


@dataclass
class LastBuild:
    """What the cache knows of the last build, and what this build found of its output."""

    listing: Listing
    signature: str  # of every input, by name and stat ("" if it cannot be trusted next time)
    manifest: Manifest
    existing: set[str]  # the files in the output folder
    tree: Snapshot  # the output folder's listing, with what keep: protects
    page_inputs: tuple[str, str] | None  # (page inputs, related-cases signature) it recorded
    unchanged: Built | None = None  # the last build, when it is this build's result
    outer: str = ""  # the signature's hash of every input but the case files ("" if not settled)


def last_build(config: Config, cache: BuildCache, keep: Keep, adopt: bool) -> LastBuild:
    """The last build as this build finds it. When its inputs are unchanged and its output
    is sealed as it was (:func:`_sealed`), that is all: the output folder is neither listed
    nor compared with the manifest (``unchanged`` is set; the other output fields are empty)."""
    listing = list_sources(config)
    signature, outer, trusted = _inputs_signature(config, listing)
    saved = cache.get("inputs")
    same = bool(signature) and saved is not None and saved.get("signature") == signature
    kept = _sealed(config, cache, signature) if same else None
    if kept is not None:
        return LastBuild(listing, signature, {}, set(), {}, None, _as_built(saved, kept), outer)
    manifest = cache.pages()
    claim(config.output_dir, keep, adopt, manifest)
    existing, tree = _output_files(config, cache, keep)
    last = LastBuild(listing, signature if trusted else "", manifest, existing, tree, cache.get("page-inputs"),
                     outer=outer)
    if same and as_left(config, existing, manifest):
        last.unchanged = _as_built(saved, sorted(manifest))
        _seal_output(config, cache, signature, tree, manifest, existing.difference(manifest))
    return last


def _inputs_signature(config: Config, listing: Listing) -> tuple[str, str, bool]:
    """Hash of everything a build reads, by name and stat (size, mtime, ctime, inode: see
    :func:`casebook.cache.source_stat`): code, settings, theme, vocabulary, case files.
    Equal to the last build's (and its output intact) means that build's output is this
    build's output, without loading anything. Then the same hash of every input but the
    case files ("" if one of their stats is not settled: :mod:`casebook.bodylane`). And
    whether every stat was settled (see
    :func:`casebook.cache.settled`): if not, the next build must not trust the signature."""
    h = hashlib.sha1(code_version().encode())
    h.update(repr(config).encode())
    entries: list[str] = []
    try:
        theme = resolve(config.themes_dir, config.theme)
    except CasebookError:
        return "", "", False
    stats: list[tuple[int, ...] | None] = []
    for folder in theme.chain:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                stats.append(source_stat(path))
                entries.append(f"{path}|{stats[-1]}")
    for vocabulary in (config.practices_file, *(t.vocabulary for t in config.taxonomies if t.vocabulary)):
        stats.append(source_stat(vocabulary))
        entries.append(f"{vocabulary}|{stats[-1]}")
    h.update("\n".join(entries).encode("utf-8", "surrogatepass"))
    taken = listing.taken_ns
    outer = h.hexdigest() if all(settled(st, taken) for st in stats) else ""
    h.update("\n".join(f"{rel}|{stat}" for _file, rel, stat in listing).encode("utf-8", "surrogatepass"))
    return h.hexdigest(), outer, bool(outer) and all(settled(st, taken) for _f, _r, st in listing)


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


def as_left(config: Config, existing: set[str], manifest: Manifest) -> bool:
    """Whether the output folder holds the files the last build left, each with the size
    and mtime it had then (the search index's files aside: the last build checked them)."""
    derived = {p for p in existing if p.startswith(f"{FOLDER}/")}
    if existing - derived != manifest.keys() or bool(derived) != config.search:
        return False
    base = f"{config.output_dir.absolute()}/"
    stat = os.stat
    try:  # a tight loop: at 10,000 cases this is 16,000 files
        for path, (_key, size, mtime) in manifest.items():
            st = stat(base + path)
            if st.st_mtime_ns != mtime or st.st_size != size:
                return False
    except OSError:
        return False
    return True


def _as_built(saved: dict[str, Any], kept: list[str]) -> Built:
    """The last build's result, as it recorded it (:func:`casebook.pipeline.record`)."""
    return Built([], saved["cases"], kept, drafts=[Draft(*d) for d in saved.get("drafts", ())],
                 leftovers=saved.get("leftovers", []), broken=saved.get("broken", []))


# -- the seal of an output folder found as the last build left it --------------------------------------

def _seal_output(config: Config, cache: BuildCache, signature: str, tree: Snapshot, manifest: Manifest,
                 derived: Iterable[str]) -> None:
    """Seal the output folder just found as the last build left it: a digest of the stat of
    every folder (its mtime changes whenever an entry is added, removed or renamed) and
    every file in it (the manifest's, then the search index's), saved with their paths
    under this build's inputs ``signature``.

    Sealed only if the stats agree with what the check compared (each folder's mtime with
    its listing's, each file's size and mtime with the manifest's), so a change made since
    is never sealed as the last build's; and only if none is too recent to prove anything
    (:func:`casebook.cache.settled`): a change within the same timestamp tick could still
    leave it as it is."""
    folders, kept = list(tree), sorted(manifest)
    paths = [*folders, *kept, *derived]
    taken = time.time_ns()
    stats = _stat_digest(f"{config.output_dir.absolute()}/", paths)
    if stats is None or not settled((0, stats[1], stats[1]), taken):
        return
    numbers = stats[2]
    n = len(folders)
    if any(tree[rel][0] != mtime for rel, mtime in zip(folders, numbers[1:3 * n:3])):
        return
    if any(manifest[path][1:] != (numbers[i], numbers[i + 1]) for i, path in zip(range(3 * n, len(numbers), 3), kept)):
        return
    cache.put("output-seal", {"paths": "\0".join(paths), "kept": (n, n + len(kept)), "digest": stats[0]}, signature)


def _sealed(config: Config, cache: BuildCache, signature: str) -> list[str] | None:
    """The last build's files if the output folder is as sealed (:func:`_seal_output`)
    under these inputs: every folder and file of the seal has the stat it had then, so
    none was added, removed, renamed or changed (ctimes included, which nothing can set
    back). Else None."""
    seal = cache.get("output-seal", signature)
    if seal is None:
        return None
    paths = seal["paths"].split("\0")
    stats = _stat_digest(f"{config.output_dir.absolute()}/", paths)
    return paths[slice(*seal["kept"])] if stats is not None and stats[0] == seal["digest"] else None


def _stat_digest(base: str, paths: Iterable[str]) -> tuple[str, int, array[int]] | None:
    """SHA-1 of the size, mtime and ctime of ``base + path`` for every path, in order, the
    newest of those times, and the numbers; None if one cannot be stat'ed. The numbers are
    hashed as a machine array, not as text: this loop is most of a nothing-changed build."""
    numbers = array("q")
    add = numbers.extend
    stat = os.stat
    try:
        for path in paths:
            st = stat(base + path)
            add((st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    except OSError:
        return None
    newest = max(max(numbers[1::3], default=0), max(numbers[2::3], default=0))
    return hashlib.sha1(numbers.tobytes()).hexdigest(), newest, numbers
