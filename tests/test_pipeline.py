"""The build's parts as data: page contexts the cache must fingerprint, dependencies read
from the parsed templates, and worker processes given their task explicitly."""

from __future__ import annotations

import dataclasses
import datetime
import os
from pathlib import Path

import pytest

from casebook import plan
from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.keys import template_deps
from casebook.model import Article, Site
from casebook.pipeline import build
from casebook.progress import silent
from casebook.themes import environment, resolve
from casebook.workers import PARALLEL_MIN, Run

from .conftest import tree


def _with_context(monkeypatch: pytest.MonkeyPatch, extra: dict[str, object]) -> None:
    """Case pages planned with ``extra`` values in their context (which the theme ignores)."""
    case_page = plan.case_page

    def page(site: Site, art: Article, *rest: object) -> plan.Page:
        planned = case_page(site, art, *rest)
        return dataclasses.replace(planned, context={**planned.context,
                                                     **{k: v(art) if callable(v) else v for k, v in extra.items()}})
    monkeypatch.setattr(plan, "case_page", page)


def test_a_figure_in_a_page_context_builds_with_and_without_the_cache(project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Any frozen dataclass is fingerprinted by its fields (it once raised ``TypeError: no
    fingerprint for Figure`` on a cached build, which ``--no-cache`` never computes)."""
    _with_context(monkeypatch, {"figures": lambda art: art.figures})
    assert "figures:" in (project / "content" / "anhui-langya-a2627c.md").read_text("utf-8")
    cached = load_config(project / "site.yaml", {"search": False})
    build(cached)
    build(cached)  # the second build compares the keys
    clean = load_config(project / "site.yaml", {"search": False, "output_dir": "clean"})
    build(clean, use_cache=False)
    assert tree(cached.output_dir) == tree(clean.output_dir)


def test_an_unknown_value_in_a_page_context_is_an_error_naming_the_page(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _with_context(monkeypatch, {"when": datetime.date(2024, 5, 1)})
    with pytest.raises(CasebookError, match=r"cases/[^ ]+/index\.html: its context holds a date value"):
        build(load_config(project / "site.yaml", {"search": False}))


def test_templates_depend_on_the_site_data_their_chain_reads(project: Path) -> None:
    """Read from the parsed templates: a macro counts only where the chain names it (the
    tile map of ``_macros.html`` reads every province's count; case pages do not show it)."""
    theme = resolve(project / "themes", "default")
    env = environment(theme)

    def names(template: str) -> frozenset[str]:
        return template_deps(env, theme, template).names
    assert {"province_groups", "taxonomies", "all_provinces", "stats"} <= names("index.html")
    # The footer (base.html imports _chrome.html) shows no counts: adding a case does not
    # re-render every page. The lists show them.
    assert "stats" not in names("case.html") and "stats" in names("list.html")
    # A case's terms, a term's cross-facets and breakdown are in the page's context: neither
    # depends on every group of the site, so a front-matter edit re-renders few of them.
    assert not {"province_groups", "practice_groups", "all_provinces", "taxonomies"} & names("case.html")
    assert not {"province_groups", "practice_groups", "taxonomies"} & names("term.html")
    before = template_deps(env, theme, "case.html").digest
    macros = project / "themes" / "default" / "templates" / "_macros.html"
    macros.write_text(macros.read_text("utf-8") + "\n", "utf-8")
    assert template_deps(env, theme, "case.html").digest != before  # a template it imports
    (project / "themes" / "default" / "templates" / "any.html").write_text("{% include page_name %}", "utf-8")
    assert "*" in names("any.html")  # a computed template name: it may read anything


def test_workers_inherit_their_task_and_return_results_in_order() -> None:
    """The task is a closure (it cannot be pickled): forked workers inherit it."""
    items = list(range(3 * PARALLEL_MIN))

    def task(lo: int, hi: int) -> list[tuple[int, int]]:
        return [(i * 2, os.getpid()) for i in items[lo:hi]]
    with Run(task, len(items), 2, 10) as run:
        out = run.results(silent())
    assert [v for v, _ in out] == [i * 2 for i in items]
    assert {pid for _, pid in out} - {os.getpid()}


def test_an_error_in_a_worker_reaches_the_build() -> None:
    def task(lo: int, hi: int) -> list[int]:
        if lo <= 100 < hi:
            raise CasebookError("item 100 is wrong")
        return list(range(lo, hi))
    with pytest.raises(CasebookError, match="item 100 is wrong"), Run(task, 3 * PARALLEL_MIN, 2, 10) as run:
        run.results(silent())
