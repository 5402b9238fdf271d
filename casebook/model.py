"""Plain frozen dataclasses that flow one way through the pipeline.

load -> :class:`Article`; group -> :class:`Site`; render -> :class:`Output`.
Nothing here reads files or renders anything.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .taxonomy import Term


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

    def __hash__(self) -> int:
        """From the file and slug only (equal articles have equal ones, so it agrees with
        ``==``): templates memoize cards by entry, and hashing every field of an article
        for each card cost more than a tenth of a list page."""
        return hash((self.path, self.slug))

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

    kind: str  # "province" | "practice"
    term: Term
    entries: tuple[Entry, ...]

    @functools.cached_property
    def article_slugs(self) -> frozenset[str]:
        """The distinct cases filed here (an article listed for two sub-cases counts once).

        Made once per group: the cross-facet counts of every province and practice page
        are intersections of these sets, instead of a pass over every other group's entries."""
        return frozenset(e.article.slug for e in self.entries)


@dataclass(frozen=True)
class Site:
    """Everything grouped and cross-linked, ready to render."""

    articles: tuple[Article, ...]  # newest first
    provinces: tuple[Group, ...]  # only terms with entries, in table order
    practices: tuple[Group, ...]
    related: dict[str, tuple[Article, ...]] = field(default_factory=dict)
    neighbours: dict[str, tuple[Article | None, Article | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Output:
    """One file of the built site: a path relative to the output folder, and its bytes."""

    path: str
    data: bytes
