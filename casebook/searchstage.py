"""The build's search stage: the index brought up to date on the tree being published.

In its own module, apart from :mod:`casebook.pipeline`, because two builds run it: the
normal build (:func:`casebook.pipeline.rebuild`) and the body-edit lane
(:mod:`casebook.bodylane`), which must not pay for importing the pipeline (Pygments and the
rest of the stages: 30 ms). Both hand it the same inputs: the shown cases, the files of
the plan, the case pages rendered this build as the index reads them, the files not
rendered again and the last build's manifest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import searchindex, urls
from .lastbuild import Manifest, timed

if TYPE_CHECKING:
    from .cache import BuildCache
    from .config import Config
    from .progress import Progress

RECORD = "search-index"  # the cache's record of the index (a searchindex.State)


@dataclass
class SearchStage:
    """The search index of the site being built: the case pages read this build, and every
    other case page's URL with its render key (its HTML is the last build's).

    A page is indexed again only when what the index holds of it changed (its
    :meth:`casebook.searchindex.Page.fingerprint`), not whenever it was rendered again: adding
    or deleting a case renders its neighbours' and related cases' pages again, but changes
    the text the index holds of none of them."""

    kept: dict[str, str]  # URL -> render key: the case pages not rendered again
    pages: dict[str, searchindex.Page]
    paths: frozenset[str]  # the case pages' files
    planned: frozenset[str]  # every file of the plan
    cache: BuildCache | None
    workers: int
    timings: dict[str, float]
    progress: Progress

    @functools.cached_property
    def previous(self) -> searchindex.State | None:
        """The index as the cache recorded it (None: not recorded, or no cache)."""
        return self.cache.get(RECORD) if self.cache is not None else None

    def recorded_whole(self) -> bool:
        """Whether the cache recorded the index of exactly this build's case pages: the
        body-edit lane updates only such an index (the normal build can make one anew,
        reading the pages it did not render)."""
        return self.previous is not None and self.previous.docs.keys() == self.kept.keys() | self.pages.keys()

    def stale(self, changed: set[str]) -> bool:
        """Whether the index must be brought up to date: the files a build changed can change
        it (a case page written, or an HTML page removed: a deleted case), or the cache
        does not know it (without the cache, ``--no-cache``, or after the cache was emptied,
        by a new casebook version for one, over a built site: it is made from scratch
        once, and recorded). Otherwise the index is left untouched."""
        return self.previous is None or any(p in self.paths or (p.endswith(".html") and p not in self.planned)
                                            for p in changed)

    def fingerprints(self, previous: searchindex.State | None) -> dict[str, str]:
        """Every case page's fingerprint: a page rendered by this build, of what the index
        holds of it; a page not rendered again, as the index recorded it (else its key)."""
        known = previous.docs if previous is not None else {}
        prints = {url: known[url][1] if url in known else key for url, key in self.kept.items()}
        prints.update((url, page.fingerprint()) for url, page in self.pages.items())
        return prints

    def __call__(self, into: Path, site_dir: Path) -> None:
        """Update the index in ``into`` (the tree about to be published, or a folder beside
        the output holding only the index: :class:`casebook.write.Finish`) from the state the
        cache keeps, and check it whole: an incomplete index fails the build. Case pages
        this build did not render are read from ``site_dir`` when the index is made anew."""
        with timed(self.timings, "search"):
            self.progress.note("indexing search…")
            previous = self.previous
            before = (previous.meta_digest, previous.next_id) if previous is not None else None
            read = functools.partial(_search_page, site_dir, self.pages)
            state = searchindex.update(into, self.fingerprints(previous), read, previous, self.workers)
            searchindex.check_index(into / searchindex.FOLDER)
            if self.cache is not None and (state.meta_digest, state.next_id) != before:  # (updated in place)
                self.cache.put(RECORD, state)


def search_stage(config: Config, slugs: Iterable[str], planned: frozenset[str], pages: Iterable[searchindex.Page],
                 kept: Iterable[str], manifest: Manifest, cache: BuildCache | None, workers: int,
                 timings: dict[str, float], progress: Progress) -> SearchStage | None:
    """The search stage of this build, or None with ``search: false``. The index holds the
    page of every shown case (``slugs``); ``pages`` are those this build rendered."""
    if not config.search:
        return None
    unchanged = set(kept)
    cases = {url: urls.output_path(url) for url in map(urls.case, slugs)}
    return SearchStage({url: manifest[path][0] for url, path in cases.items() if path in unchanged},
                       {page.url: page for page in pages}, frozenset(cases.values()), planned, cache, workers, timings,
                       progress)


def _search_page(site_dir: Path, pages: dict[str, searchindex.Page], url: str) -> searchindex.Page:
    """A case page for the index: as this build read it, else read from the tree (a page
    this build did not render, when the index is made from scratch)."""
    page = pages.get(url)
    return page if page is not None else searchindex.read_html(site_dir / url / "index.html", url)
