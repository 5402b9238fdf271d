"""Planned files -> bytes: Jinja pages, feeds, the sitemap, ``cases.json``, static files.

The :class:`Renderer` is built complete, once the cases are grouped: the theme, the
settings, the site-wide template globals (:func:`casebook.plan.site_data`) and a
:class:`BodyStore` are given to its constructor and never change. It returns bytes and
never writes; :mod:`casebook.write` puts them on disk.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from . import urls
from .cache import Sealer
from .config import Config
from .csp import add_csp, theme_script_hashes
from .errors import CasebookError, CasebookErrors
from .feeds import atom_feed, sitemap
from .imagemarkup import picture_html
from .images import Picture, Pictures
from .markup import Body, Heading, MarkdownRenderer, Rendered, protect_ids, unpack
from .model import Article
from .plan import Facets, Feed, Page, Planned, Sitemap, Stored
from .themes import Theme, environment, template_error


class BodyStore:
    """Every case's rendered Markdown body, from wherever this build has it: ``rendered``
    (bodies rendered by this build, by article slug), else the cache (``cached`` loads
    bodies by body key, ``body_keys`` maps slugs to those), else the case file read again
    (``reread``: the cache keeps articles without their Markdown text).

    Each body is renamed clear of the theme's element ids (``reserved``, see
    :func:`casebook.markup.protect_ids`) the first time it is asked for."""

    def __init__(self, rendered: Mapping[str, Body], body_keys: Mapping[str, str], reserved: frozenset[str],
                 base_path: str, *, headings: Mapping[str, tuple[Heading, ...]] | None = None,
                 cached: Callable[[list[str]], dict[str, Body]] | None = None,
                 reread: Callable[[Article], str] | None = None):
        self._raw: dict[str, Body] = dict(rendered)  # not yet unpickled nor protected
        self._ready: dict[str, Rendered] = {}
        self.body_keys = body_keys
        self.reserved = reserved
        self.base_path = base_path
        self.headings = headings or {}  # slug -> the headings sub-cases name, known without the HTML
        self._cached = cached
        self._reread = reread

    def prefetch(self, articles: Iterable[Article]) -> None:
        """Load the cached bodies of ``articles`` in one query. Called before worker
        processes fork: they inherit the bodies, and never use the cache's connection."""
        if self._cached is None:
            return
        wanted = {self.body_keys[a.slug]: a.slug for a in articles
                  if a.slug not in self._raw and a.slug not in self._ready and a.slug in self.body_keys}
        if wanted:
            for key, body in self._cached(list(wanted)).items():
                self._raw[wanted[key]] = body

    def body(self, article: Article) -> Rendered:
        ready = self._ready.get(article.slug)
        if ready is None:
            raw = self._raw.pop(article.slug, None)
            if raw is None:
                self.prefetch([article])
                raw = self._raw.pop(article.slug, None)
            if raw is None:
                text = article.body
                if not text and self._reread is not None:  # a cached article: its Markdown was not kept
                    text = self._reread(article)
                pictures = Pictures(article.pictures, article.title, article.cover)
                raw = MarkdownRenderer(self.base_path).render(text, pictures)
            ready = self._ready[article.slug] = protect_ids(unpack(raw), self.reserved)
        return ready

    def heading_ids(self, article: Article) -> set[str]:
        if article.slug in self.headings:
            return {h.id for h in self.headings[article.slug]}
        return {h.id for h in self.body(article).headings}


def check_anchors(articles: Iterable[Article], bodies: BodyStore) -> None:
    """Each sub-case anchor must name a heading of its article's body."""
    errors = []
    for art in articles:
        if not art.cases:
            continue
        ids = bodies.heading_ids(art)
        for sub in art.cases:
            if sub.anchor in bodies.reserved:
                errors.append(CasebookError(
                    f"sub-case {sub.name!r}: anchor {sub.anchor!r} is the id of an element of the theme "
                    f"(a link to it would lead there): choose another, '## … {{#{sub.anchor}-1}}'", art.path, 1))
            elif sub.anchor not in ids:
                errors.append(CasebookError(
                    f"sub-case {sub.name!r}: anchor {sub.anchor!r} matches no heading "
                    f"(write the heading as '## … {{#{sub.anchor}}}')", art.path, 1))
    if errors:
        raise CasebookErrors(errors)


def facet_index(articles: Iterable[Article], base_path: str) -> bytes:
    """Every case's facets as JSON, for instant filtering on ``/cases/`` in the browser."""
    rows = [{
        "url": base_path + urls.case(a.slug),
        "title": a.title,
        "place": " · ".join(a.places),
        "date": a.date or "",
        "year": a.year or "",
        "province": sorted({t.slug for t in (a.province, *(c.province for c in a.cases)) if t is not None}),
        "practice": sorted({p.slug for p in (*a.practices, *(p for c in a.cases for p in c.practices))}),
        "summary": a.blurb,
    } for a in articles]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _asset_url(base_path: str, asset_urls: Mapping[str, str]) -> Callable[[str], str]:
    def asset(name: str) -> str:
        if name not in asset_urls:
            raise CasebookError(f"the theme has no static file {name!r}")
        return base_path + asset_urls[name]
    return asset


def _picture(base_path: str) -> Callable[..., markupsafe.Markup]:
    """The template global ``picture(p, alt, sizes, eager=False, link=True)``: a bundle
    picture's ``<picture>`` markup (:func:`casebook.imagemarkup.picture_html`), for covers."""
    def picture(p: Picture, alt: str, sizes: str, eager: bool = False, link: bool = True) -> markupsafe.Markup:
        return markupsafe.Markup(picture_html(p, alt, base_path, sizes, eager, link))
    return picture


class Renderer:
    """Makes the bytes of planned files. Templates see ``site`` (the settings), ``url()``,
    ``abs_url()``, ``asset()``, ``urls``, ``site_data`` and the filters of
    :mod:`casebook.filters`; a page's template also its context, ``page_url`` and, for a page that
    shows a case's body, ``body``."""

    def __init__(self, config: Config, theme: Theme, asset_urls: Mapping[str, str], site_data: Mapping[str, Any],
                 bodies: BodyStore, bytecode_cache: jinja2.BytecodeCache | None = None):
        self.config = config
        self.bodies = bodies
        self.env = environment(theme, bytecode_cache)
        self.script_hashes = theme_script_hashes(theme.template_sources())  # the CSP allows these only
        self.env.globals.update(site=config, url=lambda path: config.base_path + path, abs_url=config.url,
                                asset=_asset_url(config.base_path, asset_urls), urls=urls,
                                picture=_picture(config.base_path), **site_data)

    def render(self, item: Planned) -> bytes:
        if isinstance(item, Page):
            return self.page(item)
        if isinstance(item, Feed):
            self.bodies.prefetch(item.depends_on)
            return atom_feed(self.config, item.title, item.path, item.alt_url, item.depends_on,
                             lambda a: self.bodies.body(a).html)
        if isinstance(item, Facets):
            return facet_index(item.articles, self.config.base_path)
        if isinstance(item, Sitemap):
            return sitemap(self.config, item.pages)
        if isinstance(item, Stored):
            with open(item.source, "rb") as f:
                return f.read()
        return item.data

    def page(self, page: Page) -> bytes:
        context = dict(page.context)
        if page.depends_on:
            context["body"] = self.bodies.body(page.depends_on[0])
        try:
            html = self.env.get_template(page.template).render(page_url=page.url, **context)
        except CasebookError:
            raise
        except jinja2.TemplateError as exc:
            raise template_error(exc, page.template) from None
        except Exception as exc:  # noqa: BLE001 (a runtime error inside a template expression)
            raise template_error(exc, page.template) from None
        return add_csp(html, self.script_hashes).encode("utf-8")


class SignedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates (marshalled code objects, which run when
    loaded), with each file sealed: one that does not verify is compiled again."""

    def __init__(self, directory: str, sealer: Sealer):
        super().__init__(directory)
        self.sealer = sealer

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as f:
                record = f.read()
        except OSError:
            return
        payload = self.sealer.unseal(f"jinja:{bucket.key}", record)
        if payload is not None:
            bucket.load_bytecode(io.BytesIO(payload))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buf = io.BytesIO()
        bucket.write_bytecode(buf)
        name = self._get_cache_filename(bucket)
        tmp = f"{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(self.sealer.seal(f"jinja:{bucket.key}", buf.getvalue()))
            os.replace(tmp, name)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
