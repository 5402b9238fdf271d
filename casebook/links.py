"""Broken internal links and anchors in case bodies, reported at the line of the Markdown
file where the link is written (``build`` warns, ``build --strict`` and ``check`` fail).

The check runs on what a build already has before it writes anything: the output paths
it plans and, for each case, the ids and link targets of its rendered body
(:func:`scan`, a summary small enough to keep in the build cache, so an incremental
build does not load every body again). The Markdown file is read again only for a link
found broken, to name its line. :func:`resolve` is the one reading of a URL, shared with
the crawl of whole pages in :mod:`casebook.check`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import unquote, urljoin, urlsplit

from . import urls
from .errors import CasebookError, CasebookErrors, did_you_mean

if TYPE_CHECKING:
    from .config import Config

# A start tag of sanitised HTML (every attribute double-quoted, so a '>' inside a value is safe).
_TAG_RE = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*((?:\s+[^\s"=<>/]+(?:="[^"]*")?)+)\s*/?>')
_ATTR_RE = re.compile(r'\s(href|src|id)="([^"]*)"')
A = TypeVar("A", bound="Named")
CACHE_RECORD = "body-links"  # body key -> BodyLinks, in the build cache
CACHE_DELTA = "body-links-delta"  # the same, for the bodies changed since (see summaries)


@dataclass(frozen=True)
class BodyLinks:
    """What the check needs of one rendered body: its element ids and its distinct link targets."""

    ids: frozenset[str]
    targets: tuple[str, ...]


def scan(body_html: str) -> BodyLinks:
    """The ids and link targets (``href`` and ``src``, entities decoded) of a sanitised body."""
    ids: set[str] = set()
    targets: dict[str, None] = {}
    for attrs in _TAG_RE.findall(body_html):
        for name, value in _ATTR_RE.findall(attrs):
            if name == "id":
                ids.add(html.unescape(value))
            else:
                targets[html.unescape(value)] = None
    return BodyLinks(frozenset(ids), tuple(targets))


@dataclass(frozen=True)
class Target:
    """Where a link leads inside the site: an output path (None if there is no such file)
    and the fragment (decoded, '' if none)."""

    path: str | None
    fragment: str


def resolve(link: str, page: str, base_url: str, exists: Callable[[str], bool]) -> Target | str | None:
    """Read ``link`` on output page ``page`` as a browser would, against ``base_url``.

    None for a link off the site (another host or scheme, a ``mailto:``), a message when it
    leaves the site's base path, else the :class:`Target` (its path None when neither the
    file nor its folder's ``index.html`` exists)."""
    base = urlsplit(base_url)
    base_path = base.path or "/"
    page_url = base_url + page.removesuffix("index.html")
    absolute = urlsplit(urljoin(page_url, link))
    if absolute.scheme not in ("http", "https") or absolute.netloc != base.netloc:
        return None
    if not absolute.path.startswith(base_path):
        return f"link {link!r} leaves the site's base path {base_path}"
    rel = unquote(absolute.path[len(base_path):])
    index = (rel.rstrip("/") + "/index.html").lstrip("/")
    path = rel if rel and exists(rel) else index if exists(index) else None
    return Target(path, unquote(absolute.fragment))


@dataclass(frozen=True)
class Case:
    """One case for the check: its Markdown file (relative to the project), its page's output
    path, and its body's links."""

    source: str
    page: str
    links: BodyLinks


@dataclass(frozen=True)
class Broken:
    """A broken link in a case body, at its Markdown line (None when it cannot be found)."""

    source: str
    line: int | None
    page: str  # the output page it is on
    link: str  # as the page's HTML has it
    message: str

    def error(self) -> CasebookError:
        return CasebookError(self.message, self.source, self.line)

    def warning(self) -> str:
        return str(CasebookError(f"warning: {self.message}", self.source, self.line))

    def __str__(self) -> str:
        return str(self.error())


def check(cases: Sequence[Case], outputs: Collection[str], base_url: str, root: Path,
          page_ids: Collection[str] = (), only: Collection[str] | None = None) -> list[Broken]:
    """Every broken link and anchor in the bodies of ``cases`` (or of those whose ``source``
    is in ``only``): a target not among ``outputs``
    (the output paths the build plans), an ``#anchor`` matching no id of this body (or of a
    linked case's body), nor one of ``page_ids`` (ids every page has: the theme's). A
    case's ``source`` is read from ``root`` to find the lines of its broken links."""
    by_page = {c.page: c for c in cases}
    slugs = [c.page.split("/")[1] for c in cases]
    found: list[Broken] = []
    for case in cases if only is None else (c for c in cases if c.source in only):
        problems = [(link, msg) for link in case.links.targets
                    if (msg := _problem(link, case, outputs, base_url, by_page, page_ids, slugs))]
        if problems:
            found.extend(_at_lines(case, problems, base_url, root))
    return sorted(found, key=_order)


def _may_lead_to(link: str, slugs: Collection[str]) -> bool:
    """Whether ``link`` may lead to an anchor of the page of one of ``slugs`` (a case page's
    URL holds its slug, unless percent-encoded): a cheap test before :func:`resolve`."""
    return "#" in link and ("%" in link or any(slug in link for slug in slugs))


def _order(b: Broken) -> tuple[str, int, str]:
    return b.source, b.line or 0, b.message


def _problem(link: str, case: Case, outputs: Collection[str], base_url: str, by_page: Mapping[str, Case],
             page_ids: Collection[str], slugs: list[str]) -> str | None:
    target = resolve(link, case.page, base_url, outputs.__contains__)
    if target is None or isinstance(target, str):
        return target
    if target.path is None:
        return _missing_page(link, base_url, case.page, slugs)
    linked = by_page.get(target.path)
    if not target.fragment or linked is None:  # other pages' ids are not known before they render
        return None
    if target.fragment in linked.links.ids or target.fragment in page_ids:
        return None
    where = "on this page" if linked is case else f"in {linked.source}"
    hint = did_you_mean(target.fragment, linked.links.ids, 0.8)
    return f"link {link!r}: no heading or element with id {target.fragment!r} {where}{hint}"


def _missing_page(link: str, base_url: str, page: str, slugs: list[str]) -> str:
    absolute = urlsplit(urljoin(base_url + page.removesuffix("index.html"), link)).path
    rel = unquote(absolute[len(urlsplit(base_url).path or "/"):])
    parts = rel.strip("/").split("/")
    if len(parts) == 2 and parts[0] == urls.case("x").split("/")[0]:
        return f"broken link {link!r}: no case has the slug {parts[1]!r}{did_you_mean(parts[1], slugs, 0.8)}"
    return f"broken link {link!r}: the site has no page {rel or '/'}"


def _at_lines(case: Case, problems: list[tuple[str, str]], base_url: str, root: Path) -> list[Broken]:
    try:
        text = (root / case.source).read_text("utf-8", "replace")
    except OSError:
        text = ""
    lines = text.split("\n")
    base_path = urlsplit(base_url).path or "/"
    found: list[Broken] = []
    for link, message in problems:
        rows: list[int | None] = [*locate(lines, link, base_path)] or [None]
        found.extend(Broken(case.source, row, case.page, link, message) for row in rows)
    return found


def locate(lines: Sequence[str], link: str, base_path: str) -> list[int]:
    """The 1-based lines of a Markdown file where ``link`` (as rendered HTML has it: the base
    path put in front of a root-relative link, non-ASCII characters percent-encoded) is written."""
    spellings = {link, unquote(link)}
    if base_path != "/" and link.startswith(base_path):
        spellings |= {"/" + s[len(base_path):] for s in list(spellings) if s.startswith(base_path)}
    written = sorted(spellings, key=len, reverse=True)
    return [i for i, line in enumerate(lines, 1) if any(s in line for s in written)]


class Store(Protocol):
    """The part of :class:`casebook.cache.BuildCache` the summaries are kept in."""

    def get(self, name: str, context: str = "") -> Any: ...

    def put(self, name: str, value: Any, context: str = "") -> None: ...


def summaries(keys: Mapping[str, str], body_html: Callable[[str], str], store: Store | None,
              small: bool = False) -> dict[str, BodyLinks]:
    """:class:`BodyLinks` by slug, for the slugs in ``keys`` (slug -> body key: the key covers
    the Markdown, the base path and the code version). Taken from ``store`` when it has the
    key; else scanned from ``body_html(slug)``, and the store updated to the live keys, or
    with ``small`` (a few bodies changed) given the new ones in a delta beside them: the
    whole record of 10,000 bodies takes 50 ms to save."""
    delta: dict[str, BodyLinks] = (store.get(CACHE_DELTA) if store is not None else None) or {}
    known: dict[str, BodyLinks] = {**((store.get(CACHE_RECORD) if store is not None else None) or {}), **delta}
    out: dict[str, BodyLinks] = {}
    new: dict[str, BodyLinks] = {}
    for slug, key in keys.items():
        links = known.get(key)
        if links is None:
            links = new[key] = scan(body_html(slug))
        out[slug] = links
    if store is not None and small and new:
        store.put(CACHE_DELTA, {**delta, **new})
    elif store is not None and (new or len(known) != len(set(keys.values()))):
        store.put(CACHE_RECORD, {keys[slug]: links for slug, links in out.items()})
        store.put(CACHE_DELTA, {})
    return out


def case_page(slug: str) -> str:
    """The output path of a case's page."""
    return urls.output_path(urls.case(slug))


class Named(Protocol):
    """A shown case as the check needs it: an :class:`~casebook.model.Article`, or the
    body-edit lane's :class:`casebook.bodylane.Shown`."""

    @property
    def slug(self) -> str: ...

    @property
    def path(self) -> str: ...


Since = tuple[Collection[str], Sequence[Broken]]  # (case files whose body changed, the last build's broken links)


def check_bodies(articles: Sequence[A], body_keys: Mapping[str, str], body_html: Callable[[A], str],
                 outputs: Collection[str], config: Config, page_ids: Collection[str],
                 store: Store | None, since: Since | None = None) -> list[Broken]:
    """The build's entry point: the broken links in the bodies of ``articles`` (the cases
    shown), given their body keys by slug, a way to get a body's HTML (called only for a
    body the ``store`` has no summary of), the planned ``outputs`` and the theme's element
    ids. With ``config.strict``, broken links are errors (raised before anything is written).

    ``since`` a build whose outputs are the same (only bodies changed): only the changed
    bodies and those that may link to an anchor in one are checked again; the others keep
    their broken links of that build."""
    by_slug = {a.slug: a for a in articles}
    links = summaries({a.slug: body_keys[a.slug] for a in articles}, lambda slug: body_html(by_slug[slug]), store,
                      since is not None)
    cases = [Case(a.path, case_page(a.slug), links[a.slug]) for a in articles]
    if since is None:
        broken = check(cases, outputs, config.base_url, config.root, page_ids)
    else:
        slugs = {c.page.split("/")[1] for c in cases if c.source in since[0]}
        again = {c.source for c in cases
                 if c.source in since[0] or any(_may_lead_to(t, slugs) for t in c.links.targets)}
        broken = sorted([*(b for b in since[1] if b.source not in again),
                         *check(cases, outputs, config.base_url, config.root, page_ids, again)],
                        key=_order)
    if broken and config.strict:
        raise CasebookErrors([b.error() for b in broken])
    return broken
