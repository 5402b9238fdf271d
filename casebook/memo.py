"""Repeated template fragments, made once: the core's cache, so themes stay plain Jinja.

A list page of twelve cards is mostly its chrome and cards; the header is the same on
every page of a section, the footer on every page, a group's cross-facet counts on every
page of that group, a related-case card on every case page that lists it. Two things
are remembered per build (per renderer, per worker process):

* **Macros of imported templates** (:class:`MemoTemplate`): a template imported without
  context (``{% import "_chrome.html" as chrome %}``, ``{% from "_macros.html" import
  chips %}``) sees only its arguments and the site-wide globals, so equal arguments give
  equal HTML. Calls from other templates go through a bounded cache. A macro defined in
  the page's own template sees the page's variables and is never cached, nor is one
  imported ``with context``, nor one's calls of its own siblings (Jinja binds those
  directly).
* **Filters** over the build's shared data (counts of groups, the tile map): see
  :data:`casebook.filters.SHARED`.

Arguments are compared cheaply: strings, numbers, ``None`` by value (with their type: ``1``
and ``True`` render differently); tuples and frozen dataclasses (an article, an entry, a
group) by identity, since none of them changes during a build and hashing a group's
thousands of entries would cost more than the macro. The cache keeps such arguments
alive, so their ids are not reused while cached. A call with any other argument (a list,
a dict, a ``caller``) is not cached.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.runtime import Context, Macro

MACRO_LIMIT = 2048  # fragments kept per macro: a worker's chunk of pages reuses recent ones
_BY_VALUE = frozenset({str, int, float, bool, type(None)})


def _by_identity(value: Any) -> bool:
    return isinstance(value, (tuple, frozenset)) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
        and type(value).__dataclass_params__.frozen)  # type: ignore[attr-defined]


def call_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable | None:
    """The cache key of a call, or None if an argument cannot be compared cheaply."""
    key: list[Hashable] = []
    for value in (*args, *(v for _, v in sorted(kwargs.items()))):
        kind = type(value)
        if kind in _BY_VALUE or issubclass(kind, str):
            key.append((kind, value))
        elif _by_identity(value):
            key.append((kind, id(value)))
        else:
            return None
    return (tuple(sorted(kwargs)), *key)


def memoize(fn: Callable[..., Any], limit: int | None = None) -> Callable[..., Any]:
    """``fn`` with its results cached by :func:`call_key` (at most ``limit``, least recently
    used dropped first). Lists and dicts are returned as copies, so a template that
    changes one cannot change the cache."""
    cache: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()

    def cached(*args: Any, **kwargs: Any) -> Any:
        key = call_key(args, kwargs)
        if key is None:
            return fn(*args, **kwargs)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = ((args, kwargs), fn(*args, **kwargs))  # arguments kept alive: ids stay unique
            if limit is not None and len(cache) > limit:
                cache.popitem(last=False)
        elif limit is not None:
            cache.move_to_end(key)
        result = hit[1]
        if isinstance(result, list):
            return [dict(r) if isinstance(r, dict) else r for r in result]
        return dict(result) if isinstance(result, dict) else result
    cached.__name__ = getattr(fn, "__name__", "memoized")
    cached.__doc__ = fn.__doc__
    return cached


class MemoTemplate(jinja2.Template):
    """A template whose module, when imported without context, caches its macros' output."""

    _memoized: TemplateModule | None = None

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        module = super()._get_default_module(ctx)
        if module is self._module and self._memoized is not module:  # the shared module, made once
            for name, value in list(vars(module).items()):
                if isinstance(value, Macro):
                    setattr(module, name, memoize(value, MACRO_LIMIT))
            self._memoized = module
        return module
