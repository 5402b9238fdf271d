"""Hostile and broken input: clear errors, never a traceback; nothing escapes output/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.frontmatter import parse
from casebook.load import validate
from casebook.model import Article
from casebook.pipeline import build
from casebook.taxonomy import load_practices

from .conftest import ROOT, write_case

PRACTICES = load_practices(ROOT / "data/practices.yaml")
KEYS = ["title", "province", "practices", "slug", "date", "city", "cases", "figures", "authors",
        "source_url", "draft", "tags", "summary", "titel"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["云南省", "养老服务", "2024-13-40", "2024-02-29",
                                                            "../../x", "javascript:alert(1)", "河南省"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS + ["name", "anchor", "value", "label"]),
                                                 inner, max_size=5)), max_leaves=12)


def _load(text: str) -> Article | CasebookError:
    try:
        return validate(parse(text, "content/f.md"), "content/f.md", "f", PRACTICES)
    except CasebookError as exc:
        assert exc.path == "content/f.md" or all(e.path == "content/f.md" for e in getattr(exc, "errors", []))
        return exc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), st.text(max_size=50))
def test_fuzzed_front_matter_loads_or_raises_our_error(meta: dict, body: str) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    _load(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_raises_our_error(text: str) -> None:
    _load(text.replace("\r", ""))
    _load("---\n" + text.replace("\r", "") + "\n---\n")


def test_a_huge_file_is_refused_without_reading_it(project: Path) -> None:
    big = project / "content/huge.md"
    with big.open("wb") as f:
        f.write(b"---\ntitle: x\nprovince: \xe6\xb2\xb3\xe5\x8d\x97\xe7\x9c\x81\npractices: [a]\n---\n")
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(CasebookError, match=r"content/huge\.md: file is 50 MB; a case file may be at most 5 MB"):
        build(load_config(project / "site.yaml", {"search": False}))


def test_symlink_out_of_content_is_refused(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("---\ntitle: 秘密\nprovince: 河南省\npractices: [养老服务]\n---\n", "utf-8")
    os.symlink(outside, project / "content/link.md")
    with pytest.raises(CasebookError, match="symlink points outside the content folder"):
        build(load_config(project / "site.yaml", {"search": False}))


def test_traversal_in_slugs_anchors_and_theme_names_is_refused(project: Path) -> None:
    for name, front in (("a", "slug: ../../etc"), ("b", "slug: /abs"), ("c", "slug: a/b")):
        write_case(project, name, f"title: x\nprovince: 河南省\npractices: [养老服务]\n{front}")
    write_case(project, "d", "title: x\nprovince: 河南省\npractices: [养老服务]\n"
                              "cases: [{name: y, province: 河南省, anchor: '\"><script>'}]")
    with pytest.raises(CasebookError) as info:
        build(load_config(project / "site.yaml", {"search": False}))
    text = str(info.value)
    assert text.count("must be lowercase ASCII") == 3 and "anchor '\"><script>' must be ASCII" in text
    for theme in ("../../tmp", "/etc", "a/b"):
        with pytest.raises(CasebookError, match="theme name"):
            build(load_config(project / "site.yaml", {"theme": theme, "search": False}))
    assert not (project / "output").exists()


def test_write_refuses_paths_outside_the_output_folder(tmp_path: Path) -> None:
    from casebook.model import Output
    from casebook.write import write_site
    for bad in ("../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""):
        with pytest.raises(CasebookError, match="output paths must stay inside"):
            write_site([Output(bad, b"x")], tmp_path / "out")
        assert not (tmp_path / "escape.html").exists()
