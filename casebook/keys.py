"""Dependency keys: a hash of everything one output file is made from.

Equal keys mean equal bytes, so a build whose key for a file matches the last build's
(and whose file on disk is as that build left it) neither renders nor touches it.

A :class:`~casebook.plan.Page`'s key covers:

* the build's *base key*: settings, asset URLs and vocabularies (:func:`base_key`);
* its template and every template it extends, imports or includes, found in the parsed
  template (``jinja2.meta.find_referenced_templates``; a computed name makes it depend on
  every template of the theme);
* the site-wide template globals (:func:`casebook.plan.site_data`) its templates can read:
  the variables its templates leave undeclared (``jinja2.meta.find_undeclared_variables``),
  counting the body of a macro only if the chain names that macro (a page that does not
  show the tile map does not depend on every province's count);
* its URL and context, value by value (:meth:`Keys.fingerprint`), and the body key of each
  case it shows (``depends_on``).

An article is fingerprinted by its ``meta_key`` (its front-matter and what listings take
from its body), a group by its entries' keys. A value of a kind this module does not know
is a build error naming the file, never a silent guess. The code version is not in any
key: the cache is emptied when the code changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import meta, nodes

from .config import Config
from .errors import CasebookError
from .model import Article, Entry, Group, Grouped
from .plan import Facets, Feed, Link, Links, Page, Pager, Planned, Sitemap, Static, Stored
from .taxonomy import Taxonomy, Term, Vocabulary
from .themes import Theme, environment


def sha(*parts: str) -> str:
    """SHA-1 of the parts, each followed by a unit separator."""
    data = "\x1f".join(parts) + "\x1f"
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()


def base_key(config: Config, asset_urls: Mapping[str, str], provinces: Vocabulary, practices: Vocabulary) -> str:
    """What every file depends on: the settings, the assets' URLs and the vocabularies
    (those of other taxonomies by their files' bytes: grouping reads them)."""
    files = [hashlib.sha1(t.vocabulary.read_bytes()).hexdigest() for t in config.taxonomies if t.vocabulary]
    return sha(repr(config), repr(sorted(asset_urls.items())), repr(provinces.terms), repr(practices.terms), *files)


def shape_key(base: str, theme: Theme) -> str:
    """The base key and the source of every template of the theme: with the case files'
    front-matter, all that page keys depend on besides the Markdown bodies."""
    return sha(base, *(f"{path}\0{text}" for path, text in theme.template_sources()))


@dataclass(frozen=True)
class Previous:
    """The last build's keys (output path -> key), when its inputs differ from this
    build's at most in the Markdown bodies of ``dirty`` (article slugs): every file that
    shows none of those bodies has the key it had, so :class:`Keys` takes it from here
    instead of fingerprinting the file's context (most of the planning of a body edit).

    ``templates`` are the last build's template key prefixes (template name -> prefix,
    :meth:`Keys.templates`): a prefix covers the settings, the template sources and the
    site-wide globals, all fixed by the page inputs, so it holds too, and the template
    need not be parsed and analysed again (a third of a second at 10,000 cases)."""

    keys: dict[str, str]
    dirty: frozenset[str]
    templates: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class TemplateDeps:
    """A template's dependencies: the hash of its chain's sources, and the variables the
    chain can read from outside (a superset: names of its own locals may be among them)."""

    digest: str
    names: frozenset[str]


def template_deps(env: jinja2.Environment, theme: Theme, name: str) -> TemplateDeps:
    """The dependencies of template ``name``, from the parsed templates. ``env`` must be
    one of :func:`casebook.themes.environment` and must not have the site data as globals
    (``jinja2.meta`` does not count globals as variables). A template that does not
    compile makes its page depend on every variable (rendering reports the error)."""
    sources: dict[str, str] = {}
    facts: list[TemplateFacts] = []
    todo = [name]
    dynamic = False
    while todo:
        current = todo.pop()
        if current in sources:
            continue
        try:
            sources[current], _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            sources[current] = ""
            continue
        found = analyse(env, current, sources[current])
        if found is None:
            return TemplateDeps(sha(*sources.values()), frozenset({"*"}))
        facts.append(found)
        dynamic = dynamic or found.dynamic
        todo.extend(found.references)
    if dynamic:  # a computed template name: depend on every template of the theme
        sources.update(theme.template_sources())
    digest = sha(*(f"{n}\0{s}" for n, s in sorted(sources.items())))
    if dynamic or any(f.unknown for f in facts):
        return TemplateDeps(digest, frozenset({"*"}))
    return TemplateDeps(digest, _read_names(facts))


@dataclass(frozen=True)
class TemplateFacts:
    """What one template's source says about its dependencies, whatever chain it is in:
    the templates it names (``dynamic`` if one name is computed), the variables it reads
    outside macro definitions and the names it mentions there, and per macro the
    variables the macro reads and the names it mentions. ``unknown``: the analysis failed
    (e.g. an unknown filter), so its pages depend on every variable."""

    references: tuple[str, ...]
    dynamic: bool
    outside: frozenset[str]
    mentioned: frozenset[str]
    reads: Mapping[str, frozenset[str]]
    calls: Mapping[str, frozenset[str]]
    unknown: bool = False


#: (template name, source) -> its facts, for every build of this process (``serve``'s, a test run's)
_FACTS: dict[tuple[str, str], TemplateFacts | None] = {}


def analyse(env: jinja2.Environment, name: str, source: str) -> TemplateFacts | None:
    """The facts of one template, or None if it does not parse. Parsing and walking
    templates is most of a small site's build (26 parses and 90 walks for the 7 page
    templates of the default theme, which share their layout and macros), so each
    template is analysed once per process for a given source. Every build's environment
    parses and compiles alike (:func:`casebook.themes.environment`: the same syntax and
    filters), so the environment is not part of the key."""
    key = (name, source)
    if key not in _FACTS:
        if len(_FACTS) >= 512:  # a long ``serve`` session: edited templates pile up
            _FACTS.clear()
        _FACTS[key] = _analyse(env, name, source)
    return _FACTS[key]


def _analyse(env: jinja2.Environment, name: str, source: str) -> TemplateFacts | None:
    try:
        tree = env.parse(source, name)
    except jinja2.TemplateSyntaxError:
        return None
    refs = list(meta.find_referenced_templates(tree))
    rest = [n for n in tree.body if not isinstance(n, nodes.Macro)]
    reads: dict[str, frozenset[str]] = {}
    calls: dict[str, frozenset[str]] = {}
    try:
        outside = _undeclared(env, rest)
        for node in tree.find_all(nodes.Macro):
            reads[node.name] = reads.get(node.name, frozenset()) | _undeclared(env, [node])
            calls[node.name] = calls.get(node.name, frozenset()) | _mentions([node])
    except jinja2.TemplateError:  # e.g. an unknown filter: rendering reports it
        return TemplateFacts(tuple(r for r in refs if r is not None), None in refs, frozenset(), frozenset(), {}, {},
                             unknown=True)
    return TemplateFacts(tuple(r for r in refs if r is not None), None in refs, outside, _mentions(rest), reads, calls)


def _read_names(facts: Iterable[TemplateFacts]) -> frozenset[str]:
    """The variables the templates read outside macro definitions, plus those read by the
    macros they name (transitively)."""
    used: set[str] = set()
    mentioned: set[str] = set()
    reads: dict[str, set[str]] = {}  # macro -> the variables it reads
    calls: dict[str, set[str]] = {}  # macro -> the names it mentions (the macros it may call among them)
    for found in facts:
        used |= found.outside
        mentioned |= found.mentioned
        for macro, names in found.reads.items():
            reads.setdefault(macro, set()).update(names)
            calls.setdefault(macro, set()).update(found.calls[macro])
    todo = [m for m in reads if m in mentioned]
    done: set[str] = set()
    while todo:
        macro = todo.pop()
        if macro not in done:
            done.add(macro)
            used |= reads[macro]
            todo.extend(m for m in reads if m in calls[macro] and m not in done)
    return frozenset(used)


def _undeclared(env: jinja2.Environment, body: list[nodes.Node]) -> frozenset[str]:
    part = nodes.Template(body, lineno=1)
    part.set_environment(env)
    return frozenset(meta.find_undeclared_variables(part))


def _mentions(body: list[nodes.Node]) -> frozenset[str]:
    """Every name the nodes mention (``chips``, ``chrome.site_header``, ``import chips as c``)."""
    found: set[str] = set()
    for node in body:
        found.update(n.name for n in node.find_all(nodes.Name))
        found.update(g.attr for g in node.find_all(nodes.Getattr))
        for imp in node.find_all(nodes.FromImport):
            found.update(n if isinstance(n, str) else n[0] for n in imp.names)
    return frozenset(found)


class UnknownValue(Exception):
    """A context value :meth:`Keys.fingerprint` has no rule for."""


class Keys:
    """The keys of one build's files. ``meta_keys`` and ``body_keys`` map article slugs to
    the hashes of their front-matter and Markdown body; ``site_data`` are the template
    globals of :func:`casebook.plan.site_data`; ``previous`` lets files that show no
    changed body keep their last key (see :class:`Previous`)."""

    def __init__(self, base: str, theme: Theme, site_data: Mapping[str, Any],
                 meta_keys: Mapping[str, str], body_keys: Mapping[str, str], previous: Previous | None = None):
        self.base = base
        # Its own environment: jinja2.meta counts no name the environment has as a global,
        # and the renderer's has the site data as globals.
        self.env = environment(theme)
        self.theme = theme
        self.site_data = site_data
        self.meta_keys = meta_keys
        self.body_keys = body_keys
        self.previous = previous
        self.templates: dict[str, str] = {}  # template name -> key prefix (see Previous)
        self._globals: dict[str, str] = {}
        self._groups: dict[int, str] = {}

    def key(self, item: Planned) -> str:
        """The key of a planned file: the last build's if it still holds, else computed."""
        if not isinstance(item, (Static, Stored)) and self.previous is not None \
                and not any(a.slug in self.previous.dirty for a in item.depends_on):
            last = self.previous.keys.get(item.path)
            if last is not None:
                return last
        try:
            return self._compute(item)
        except UnknownValue as exc:
            raise CasebookError(f"{item.path}: its context holds a {exc} value, which the build cache cannot "
                                "fingerprint (use strings, numbers, tuples, lists, dicts or frozen dataclasses)"
                                ) from None

    def _compute(self, item: Planned) -> str:
        bodies = [f"body={self.body_keys[a.slug]}" for a in item.depends_on]
        if isinstance(item, Page):
            return sha(self._template(item.template), item.url,
                       *(f"{k}={self.fingerprint(v)}" for k, v in sorted(item.context.items())), *bodies)
        if isinstance(item, Feed):
            return sha(self.base, "feed", item.path, item.title, item.alt_url,
                       *(self.fingerprint(a) for a in item.depends_on), *bodies)
        if isinstance(item, Facets):
            return sha(self.base, "facets", *(self.fingerprint(a) for a in item.articles))
        if isinstance(item, Sitemap):
            return sha(self.base, "sitemap", repr(item.pages))
        if isinstance(item, Stored):  # its name says its content: never read to be keyed
            return "stored:" + os.path.basename(item.source)
        return "bytes:" + hashlib.sha1(item.data).hexdigest()

    def warm(self, plan: Iterable[Planned]) -> None:
        """Find the plan's templates' dependencies in this process, so that forked workers
        inherit them instead of each parsing every template again."""
        for name in {item.template for item in plan if isinstance(item, Page)}:
            self._template(name)

    def _template(self, name: str) -> str:
        """The part of a page's key that its template gives: the template chain's sources
        and the site-wide globals it reads (each fingerprinted once a build)."""
        prefix = self.templates.get(name)
        if prefix is None and self.previous is not None:
            prefix = self.previous.templates.get(name)
        if prefix is None:
            deps = template_deps(self.env, self.theme, name)
            read = sorted(g for g in self.site_data if g in deps.names or "*" in deps.names)
            prefix = sha(self.base, name, deps.digest, *(f"{g}={self._global(g)}" for g in read))
        self.templates[name] = prefix
        return prefix

    def _global(self, name: str) -> str:
        key = self._globals.get(name)
        if key is None:
            key = self._globals[name] = self.fingerprint(self.site_data[name])
        return key

    def fingerprint(self, value: Any) -> str:
        """A string that changes whenever ``value`` would render differently."""
        kind = type(value)
        if kind is Entry:
            return "E" + self.meta_keys[value.article.slug] + (value.subcase.anchor if value.subcase else "")
        if kind is Article:
            return "A" + self.meta_keys[value.slug]
        if kind is str or value is None or kind is int or kind is bool or kind is float:
            return repr(value)
        if kind is tuple or kind is list:  # related cases, a page's entries
            return "[" + ",".join(map(self.fingerprint, value)) + "]"
        if kind is Link:  # a case page has a few: the generic rule below would cost more than the page
            return f"L{value.name}\x1f{value.url}\x1f{value.count}"
        if kind is Links:
            return "S" + value.taxonomy.key + self.fingerprint(value.links)
        if kind is Group:
            key = self._groups.get(id(value))
            if key is None:  # the group is alive all build long: its id is not reused
                parent = value.parent.slug if value.parent else ""
                key = self._groups[id(value)] = sha(value.kind, parent, value.term.slug,
                                                    *map(self.fingerprint, value.entries))
            return "G" + key
        if kind is Grouped:  # its terms without cases are a vocabulary's (in the base key)
            return "X" + value.taxonomy.key + self.fingerprint(value.groups)
        if kind is Term:  # its fields are in the base key (the vocabularies)
            return "T" + value.slug
        if kind is Taxonomy:  # its fields are in the base key (the settings)
            return "Y" + value.key
        if kind is Pager:
            return f"P{value.number}/{value.count}/{value.base}"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k!r}:{self.fingerprint(v)}" for k, v in sorted(value.items())) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type) \
                and type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return kind.__name__ + "(" + ",".join(self.fingerprint(getattr(value, f.name))
                                                  for f in dataclasses.fields(value)) + ")"
        raise UnknownValue(kind.__name__)
