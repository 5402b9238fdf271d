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
the files compared with the last build's manifest, one by one. The seal names the last
build, not this one's inputs: after an edit it still proves the output as that build left
it, which is all a body edit needs to know of it (:mod:`casebook.bodylane`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .cache import BuildCache, SourceStat, code_version, file_sha, settled, source_stat
from .config import Config
from .errors import CasebookError, CasebookErrors
from .listing import content_files
from .progress import Progress, silent
from .searchindex import FOLDER
from .themes import resolve
from .write import (
    Keep,
    Snapshot,
    WriteReport,
    check_writable,
    claim,
    kept_entries,
    list_tree,
    lock_output,
    scan_folder,
)

if TYPE_CHECKING:
    from .links import Broken
    from .model import Output

Manifest = dict[str, tuple[str, int, int]]  # output path -> (key, size, mtime) after the last build
SEAL = "output-seal"  # the cache record of the output folder as the last build left it (_seal_output)


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
    paths: frozenset[str]  # the files of the last build (its manifest's)
    existing: set[str]  # the files in the output folder
    protected: list[str]  # what keep: protects there (casebook.write.kept_entries)
    page_inputs: tuple[str, str] | None  # (page inputs, related-cases signature) it recorded
    pages: Callable[[], Manifest] = dict  # reads the manifest (see manifest)
    seal: Sealed | None = None  # what proved the output folder as the last build left it (_sealed)
    unchanged: Built | None = None  # the last build, when it is this build's result
    outer: str = ""  # the signature's hash of every input but the case files ("" if not settled)

    @functools.cached_property
    def manifest(self) -> Manifest:
        """The last build's manifest, read on first use: a body edit to a sealed output needs
        only its ``paths`` (16,000 rows are a tenth of a second). Every build reads it, if it
        does, before it records its own."""
        return self.pages()

    @property
    def sealed(self) -> bool:
        return self.seal is not None


def last_build(config: Config, cache: BuildCache, keep: Keep, adopt: bool) -> LastBuild:
    """The last build as this build finds it. When its output is sealed as it left it
    (:func:`_sealed`), the output folder is neither listed nor compared with the manifest:
    if the inputs are unchanged too, ``unchanged`` is set (the other output fields are
    empty); else ``sealed`` is, with the seal's files and the manifest read on demand."""
    listing = list_sources(config)
    signature, outer, trusted = _inputs_signature(config, listing)
    saved = cache.get("inputs")
    same = bool(signature) and saved is not None and saved.get("signature") == signature
    seal = _sealed(config, cache, saved["signature"], keep) if saved is not None and saved.get("signature") else None
    if seal is not None and same:
        return LastBuild(listing, signature, frozenset(), set(), [], None,
                         unchanged=_as_built(saved, seal.files[:seal.kept]), outer=outer)
    if seal is not None:  # only the inputs changed: the output is the last build's, as sealed
        return LastBuild(listing, signature if trusted else "", frozenset(seal.files[:seal.kept]),
                         set(seal.files), seal.protected, cache.get("page-inputs"), cache.pages, seal, outer=outer)
    manifest = cache.pages()
    claim(config.output_dir, keep, adopt, manifest)
    existing, tree = _output_files(config, cache, keep)
    last = LastBuild(listing, signature if trusted else "", frozenset(manifest), existing, kept_entries(tree),
                     cache.get("page-inputs"), lambda: manifest, outer=outer)
    if same and as_left(config, last):
        last.unchanged = _as_built(saved, sorted(manifest))
        _seal_output(config, cache, signature, keep, tree, manifest, existing.difference(manifest))
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


def as_left(config: Config, last: LastBuild, *, strays: bool = False) -> bool:
    """Whether the output folder holds the files the last build left, each with the size
    and mtime it had then; with ``strays``, whatever else it holds too (a normal build
    removes what it did not make; the body-edit lane and the nothing-changed check must
    find nothing else: the search index's files aside, which the last build checked, if
    search is on)."""
    derived = {p for p in last.existing if p.startswith(f"{FOLDER}/")}
    if not strays and bool(derived) != config.search:
        return False
    if last.sealed:
        return True
    if not strays and last.existing - derived != last.paths:
        return False
    base = f"{config.output_dir.absolute()}/"
    stat = os.stat
    try:  # a tight loop: at 10,000 cases this is 16,000 files
        for path, (_key, size, mtime) in last.manifest.items():
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

def _seal_output(config: Config, cache: BuildCache, signature: str, keep: Keep, tree: Snapshot,
                 manifest: Manifest, derived: Iterable[str]) -> None:
    """Seal the output folder just found as the last build left it: a digest of the stat of
    every folder (its mtime changes whenever an entry is added, removed or renamed) and
    every file in it (the manifest's, then the search index's), saved with their paths, what
    ``keep:`` protects there, and the last build's inputs ``signature``: the seal holds
    until a build records other inputs (then it describes an older build's output).

    Sealed only if the stats agree with what the check compared (each folder's mtime with
    its listing's, each file's size and mtime with the manifest's), so a change made since
    is never sealed as the last build's; and only if none is too recent to prove anything
    (:func:`casebook.cache.settled`): a change within the same timestamp tick could still
    leave it as it is."""
    folders, kept = list(tree), sorted(manifest)
    paths = [*folders, *kept, *derived]
    taken = time.time_ns()
    stats = _stats(f"{config.output_dir.absolute()}/", paths)
    if stats is None or not settled((0, stats[0], stats[0]), taken):
        return
    numbers = stats[1]
    n = len(folders)
    if any(tree[rel][0] != mtime for rel, mtime in zip(folders, numbers[1:3 * n:3])):
        return
    if any(manifest[path][1:] != (numbers[i], numbers[i + 1]) for i, path in zip(range(3 * n, len(numbers), 3), kept)):
        return
    cache.put(SEAL, {"signature": signature, "keep": repr(keep.patterns), "paths": "\0".join(paths),
                     "folders": n, "kept": len(kept), "protected": kept_entries(tree), "digest": _digest(numbers),
                     "fresh": {}})


class Sealed(NamedTuple):
    """The output folder as a seal proves it: the last build's files (``files[:kept]``,
    sorted) and the search index's, what ``keep:`` protects there, the seal's record and
    the stats that proved it (for :func:`reseal`)."""

    files: list[str]
    kept: int
    protected: list[str]
    record: dict[str, Any]
    numbers: array[int]


def _sealed(config: Config, cache: BuildCache, signature: str, keep: Keep) -> Sealed | None:
    """The output folder if it is as sealed (:func:`_seal_output`, :func:`reseal`) after the
    build that recorded the inputs ``signature``, under the same ``keep:`` patterns: every
    folder and file of the seal has the stat it had then, so none was added, removed,
    renamed or changed (ctimes included, which nothing can set back); and the paths the
    seal left *fresh* (too recent to prove anything by their stat when sealed) hold what
    that build wrote (:func:`_as_written`). Those proved, and every stat now settled, the
    seal is made whole again, so the next check needs only the digest. Else None."""
    seal = cache.get(SEAL)
    if seal is None or seal["signature"] != signature or seal["keep"] != repr(keep.patterns):
        return None
    paths = seal["paths"].split("\0")
    base = f"{config.output_dir.absolute()}/"
    taken = time.time_ns()
    stats = _stats(base, paths)
    fresh: dict[int, str] = seal["fresh"]
    if stats is None or _digest(stats[1], fresh) != seal["digest"]:
        return None
    if fresh:
        if not _as_written(base, paths, seal["folders"], seal["protected"], fresh, keep):
            return None
        if settled((0, stats[0], stats[0]), taken):
            seal = {**seal, "digest": _digest(stats[1]), "fresh": {}}
            cache.put(SEAL, seal)
    return Sealed(paths[seal["folders"]:], seal["kept"], seal["protected"], seal, stats[1])


def _as_written(base: str, paths: list[str], folders: int, protected: list[str], fresh: dict[int, str],
                keep: Keep) -> bool:
    """Whether each fresh file of a seal (index in ``paths`` -> SHA-1 of its bytes) holds
    those bytes, and each fresh folder (-> "") holds exactly the seal's files, folders and
    protected entries in it. Called after their stats were taken: a change made since
    shows in them next time."""
    expected: dict[str, tuple[set[str], set[str], set[str]]] = {
        paths[i]: (set(), set(), set()) for i, sha in fresh.items() if not sha}
    for i, sha in fresh.items():
        if sha and file_sha(base + paths[i]) != sha:
            return False
    if not expected:
        return True
    for i, path in enumerate(paths):
        parent, _, name = path.rpartition("/")
        if path and parent in expected:
            expected[parent][0 if i >= folders else 1].add(name)
    for path in protected:
        parent, _, name = path.rpartition("/")
        if parent in expected:
            expected[parent][2].add(name)
    for rel, (files, subfolders, kept) in expected.items():
        try:
            _mtime, names, found, matched = scan_folder(base + rel, rel, None, keep)
        except OSError:
            return False
        if (set(names), set(found), set(matched)) != (files, subfolders, kept):
            return False
    return True


def reseal(cache: BuildCache, last: LastBuild, written: Iterable[Output]) -> None:
    """Seal the output folder after a build that found it sealed (``last.seal``) and
    replaced only the ``written`` files there (the body-edit lane), under that build's
    signature: every other path keeps the stat that proved it, and the written files,
    their folders and the output folder itself (:func:`casebook.write.check_writable`
    probed it) are left fresh, their bytes and entries to be checked by the next check
    (:func:`_sealed`), since stats taken now are too recent to prove anything. Left
    alone (the next check lists the folder) if a written file is not one of the seal's, or
    the signature cannot be trusted."""
    seal = last.seal
    if seal is None or not last.signature:
        return
    paths = seal.record["paths"].split("\0")
    index = {path: i for i, path in enumerate(paths)}
    fresh: dict[int, str] = {**seal.record["fresh"], index[""]: ""}
    for out in written:
        file, folder = index.get(out.path), index.get(out.path.rpartition("/")[0])
        if file is None or folder is None:
            return
        fresh[file] = hashlib.sha1(out.data).hexdigest()
        fresh[folder] = ""
    cache.put(SEAL, {**seal.record, "signature": last.signature, "digest": _digest(seal.numbers, fresh),
                     "fresh": fresh})


def _stats(base: str, paths: Iterable[str]) -> tuple[int, array[int]] | None:
    """The size, mtime and ctime of ``base + path`` for every path, in order, and the newest
    of those times; None if one cannot be stat'ed. A machine array, hashed as it is
    (:func:`_digest`), not as text: this loop is most of a nothing-changed build."""
    numbers = array("q")
    add = numbers.extend
    stat = os.stat
    try:
        for path in paths:
            st = stat(base + path)
            add((st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    except OSError:
        return None
    return max(max(numbers[1::3], default=0), max(numbers[2::3], default=0)), numbers


def _digest(numbers: array[int], fresh: Iterable[int] = ()) -> str:
    """SHA-1 of the stats, those of the ``fresh`` paths (by index) left out: they are
    checked apart (:func:`_as_written`)."""
    if fresh:
        numbers = array("q", numbers)
        for i in fresh:
            numbers[3 * i:3 * i + 3] = array("q", (0, 0, 0))
    return hashlib.sha1(numbers.tobytes()).hexdigest()
