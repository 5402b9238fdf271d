"""Plain frozen dataclasses that flow one way through the pipeline.

load -> :class:`Article`; group -> :class:`Site`; render -> :class:`Output`.
Nothing here reads files or renders anything.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .taxonomy import Taxonomy, Term, Vocabulary

if TYPE_CHECKING:
    from .images import Picture


@dataclass(frozen=True)
class Figure:
    """A key number shown as a card: ``{value: "18个", label: "综合网格"}``."""

    value: str
    label: str


@dataclass(frozen=True)
class SubCase:
    """One place profiled inside a multi-place article, linked to its own section."""

    name: str
    province: Term
    anchor: str
    practices: tuple[Term, ...]
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class Article:
    """A validated case file. ``path`` is relative to the project, for messages.

    The front-matter fields are those of :data:`casebook.schema.FIELDS` (the table every
    copy of the schema derives from; ``tests/test_schema.py`` holds this class to it);
    the others say where the case came from and what was found in its body."""

    path: str
    slug: str
    title: str  # "" only in a draft
    province: Term | None  # None only in a draft
    practices: tuple[Term, ...]  # () only in a draft
    body: str
    body_line: int  # line of the file where the Markdown body starts
    date: str | None = None  # "YYYY-MM-DD" or "YYYY-MM"
    city: str | None = None
    county: str | None = None
    place: str | None = None
    source: str | None = None
    source_url: str | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None
    tags: tuple[str, ...] = ()
    cover: str | None = None  # a picture's name in the case's page bundle
    figures: tuple[Figure, ...] = ()
    cases: tuple[SubCase, ...] = ()
    draft: bool = False
    # From the body's first paragraph of prose, found at load time (the Markdown text is not
    # kept): its plain text shortened for cards and descriptions, and whether ``summary``
    # only repeats it (then the case page does not show the summary above the body).
    excerpt: str = ""
    lead_repeats_body: bool = False
    # Where messages point: the line of ``slug:`` (of ``title:`` when the slug is the file
    # name), and the lines still holding the placeholder text ``build.py new`` wrote.
    slug_line: int = 1
    placeholders: tuple[int, ...] = ()
    # The pictures of its page bundle that the body or ``cover`` names, in order of use
    # (casebook.images): what their markup needs, so a cached article never opens them.
    pictures: tuple[Picture, ...] = ()

    @property
    def cover_picture(self) -> Picture | None:
        return next((p for p in self.pictures if p.name == self.cover), None) if self.cover else None

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    @property
    def places(self) -> tuple[str, ...]:
        """The breadcrumb: province › city › county › place, skipping what is unknown."""
        parts = (self.province.name if self.province else None, self.city, self.county, self.place)
        return tuple(p for p in parts if p)

    @property
    def lacks(self) -> tuple[str, ...]:
        """The required keys a draft still lacks ("title", "province", "practices"); a case
        that lacks any has no place on the site, even with ``--drafts``."""
        return tuple(key for key, value in (("title", self.title), ("province", self.province),
                                            ("practices", self.practices)) if not value)

    @property
    def lead(self) -> str | None:
        """The summary as the case page's lead paragraph: not when it repeats the body's start."""
        return None if self.lead_repeats_body else self.summary

    @property
    def blurb(self) -> str:
        """What cards, feeds and descriptions say of the case: the summary, else the excerpt."""
        return self.summary or self.excerpt


@dataclass(frozen=True)
class Entry:
    """A line in a listing: a whole article, or one sub-case of it."""

    article: Article
    subcase: SubCase | None = None

    @property
    def title(self) -> str:
        return self.subcase.name if self.subcase else self.article.title


@dataclass(frozen=True)
class Group:
    """A taxonomy term with the entries filed under it, newest first."""

    kind: str  # the taxonomy's name (its key): "province", "practices", "city", "year"…
    term: Term
    entries: tuple[Entry, ...]
    parent: Term | None = None  # in a nested taxonomy, the parent term (a city's province)

    @functools.cached_property
    def article_slugs(self) -> frozenset[str]:
        """The distinct cases filed here (an article listed for two sub-cases counts once).

        Made once per group: the cross-facet counts of every province and practice page
        are intersections of these sets, instead of a pass over every other group's entries."""
        return frozenset(e.article.slug for e in self.entries)


@dataclass(frozen=True)
class Grouped:
    """One taxonomy with its terms and the groups of those that have cases."""

    taxonomy: Taxonomy
    vocabulary: Vocabulary  # every term (a nested taxonomy's: of every parent, so names repeat)
    groups: tuple[Group, ...]  # terms with entries, in vocabulary order (nested: by parent first)
    # By position in Site.articles: the positions in ``groups`` of the terms the whole
    # article is filed under, in the order of its values (a case page's links)
    own: tuple[tuple[int, ...], ...] = ()

    @functools.cached_property
    def by_article(self) -> dict[str, tuple[int, ...]]:
        """Article slug -> the positions in :attr:`groups` of the groups it is filed in
        (made once, on first use): cross-facet counts go through a group's cases instead
        of intersecting it with every group of the other taxonomy."""
        found: dict[str, list[int]] = {}
        for i, group in enumerate(self.groups):
            for slug in group.article_slugs:
                found.setdefault(slug, []).append(i)
        return {slug: tuple(positions) for slug, positions in found.items()}

    def children(self, parent: Term) -> tuple[Group, ...]:
        """A nested taxonomy's groups under ``parent``: a province's cities."""
        return tuple(g for g in self.groups if g.parent == parent)


@dataclass(frozen=True)
class Site:
    """Everything grouped and cross-linked, ready to render."""

    articles: tuple[Article, ...]  # newest first
    taxonomies: tuple[Grouped, ...]  # in site.yaml's order
    related: dict[str, tuple[Article, ...]] = field(default_factory=dict)
    neighbours: dict[str, tuple[Article | None, Article | None]] = field(default_factory=dict)

    def taxonomy(self, name: str) -> Grouped:
        """The grouped taxonomy named ``name`` (its key)."""
        for grouped in self.taxonomies:
            if grouped.taxonomy.name == name:
                return grouped
        raise KeyError(f"no taxonomy {name!r}")

    @property
    def provinces(self) -> tuple[Group, ...]:
        return self.taxonomy("province").groups

    @property
    def practices(self) -> tuple[Group, ...]:
        return self.taxonomy("practices").groups


@dataclass(frozen=True)
class Output:
    """One file of the built site: a path relative to the output folder, and its bytes."""

    path: str
    data: bytes
