"""Unit tests of the small core pieces: CSP, taxonomy data, grouping, assets, filters."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from casebook.assets import build_assets
from casebook.config import load_config
from casebook.csp import add_csp
from casebook.errors import CasebookError
from casebook.filters import cn_date, json_ld
from casebook.group import cross_counts, group
from casebook.model import Article, SubCase
from casebook.taxonomy import load_practices, load_provinces

from .conftest import ROOT

PROVINCES = load_provinces()
PRACTICES = load_practices(ROOT / "data/practices.yaml")


def test_province_table_is_complete_and_distinct() -> None:
    terms = PROVINCES.terms
    assert len(terms) == 34
    assert len({t.slug for t in terms}) == len({t.name for t in terms}) == len({t.tile for t in terms}) == 34
    assert PROVINCES.by_name("陕西省").slug == "shaanxi" and PROVINCES.by_name("山西省").slug == "shanxi"
    assert PROVINCES.by_name("内蒙古自治区").slug == "neimenggu"
    assert PROVINCES.by_name("香港特别行政区").slug == "xianggang"


def test_default_practice_vocabulary_is_the_fourteen_types() -> None:
    assert [(t.name, t.slug) for t in PRACTICES.terms] == [
        ("党群服务阵地", "party-service-centers"), ("网格化治理", "grid-governance"), ("议事协商", "deliberation"),
        ("养老服务", "elderly-care"), ("托育与儿童关爱", "childcare"), ("志愿服务", "volunteering"),
        ("集体经济", "collective-economy"), ("物业与小区治理", "property-management"), ("矛盾调解", "mediation"),
        ("智慧治理", "digital-governance"), ("党建联盟与共建", "co-building"),
        ("新就业群体服务", "new-employment-groups"), ("文化活动", "culture"), ("便民政务服务", "one-stop-services")]
    assert all(t.description and t.keywords for t in PRACTICES.terms)


def test_a_broken_vocabulary_names_its_lines(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("- name: 甲\n  slug: a\n  description: d\n  keywords: [x]\n"
                   "- name: 甲\n  slug: Bad Slug\n  description: d\n  keywords: [x]\n", "utf-8")
    with pytest.raises(CasebookError) as info:
        load_practices(bad)
    assert "p.yaml:5: slug 'Bad Slug' must be lowercase" in str(info.value)
    assert "p.yaml:5: '甲' is listed twice (first on line 1)" in str(info.value)


def _article(slug: str, province: str, practices: list[str], date: str | None = None,
             city: str | None = None, cases: tuple[SubCase, ...] = ()) -> Article:
    return Article(path=f"content/{slug}.md", slug=slug, title=slug, province=PROVINCES.by_name(province),
                   practices=tuple(PRACTICES.by_name(p) for p in practices), body="", body_line=5,
                   date=date, city=city, cases=cases)


def test_grouping_order_related_and_sub_cases() -> None:
    sub = SubCase("甲社区", PROVINCES.by_name("四川省"), "jia", (PRACTICES.by_name("文化活动"),))
    arts = [
        _article("a", "河南省", ["养老服务", "志愿服务"], "2024-05-01", city="郑州市"),
        _article("b", "河南省", ["养老服务"], "2024-06", city="郑州市"),
        _article("c", "云南省", ["养老服务", "志愿服务"], None, cases=(sub,)),
        _article("d", "云南省", ["集体经济"], "2023-01-01"),
    ]
    site = group(arts, PROVINCES, PRACTICES, related_limit=2)
    assert [a.slug for a in site.articles] == ["b", "a", "d", "c"]  # newest first, undated last
    assert [g.term.slug for g in site.provinces] == ["henan", "sichuan", "yunnan"]  # table order
    sichuan = next(g for g in site.provinces if g.term.slug == "sichuan")
    assert [(e.article.slug, e.subcase.anchor) for e in sichuan.entries] == [("c", "jia")]
    # b: one practice (2) + province (1) + city (1) = 4; c: two practices = 4; the tie goes to the newer b
    assert [a.slug for a in site.related["a"]] == ["b", "c"]
    assert site.neighbours["a"] == (site.articles[2], site.articles[0])
    # Cross-facet chips count distinct articles: c is in Sichuan only through its sub-case,
    # and counts once under each practice it is filed under (its own, and the sub-case's).
    henan = next(g for g in site.provinces if g.term.slug == "henan")
    practices, provinces = site.taxonomy("practices").taxonomy, site.taxonomy("province").taxonomy
    assert [(g.term.name, k) for g, k in cross_counts(site, henan)[practices]] == [("养老服务", 2), ("志愿服务", 1)]
    assert {(g.term.name, k) for g, k in cross_counts(site, sichuan)[practices]} == {
        ("养老服务", 1), ("文化活动", 1), ("志愿服务", 1)}
    elderly = next(g for g in site.practices if g.term.name == "养老服务")
    assert [(g.term.slug, k) for g, k in cross_counts(site, elderly)[provinces]] == [
        ("henan", 2), ("sichuan", 1), ("yunnan", 1)]


def test_css_urls_follow_hashed_asset_names(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "img").mkdir(parents=True)
    (static / "img/logo.png").write_bytes(b"png")
    (static / "style.css").write_text("a{background:url('img/logo.png')} b{background:url(data:x)}")
    config = load_config(ROOT / "site.yaml")
    urls, outputs = build_assets({"img/logo.png": static / "img/logo.png", "style.css": static / "style.css"}, config)
    css = next(o.data.decode() for o in outputs if o.path == urls["style.css"])
    assert f"url({urls['img/logo.png'].removeprefix('assets/')})" in css and "url(data:x)" in css
    assert re.fullmatch(r"assets/img/logo\.[0-9a-f]{10}\.png", urls["img/logo.png"])


def test_csp_allows_exactly_the_theme_scripts_present() -> None:
    html = '<html><head><meta charset="utf-8"><script>let a=1;</script></head><body></body></html>'
    digest = base64.b64encode(hashlib.sha256(b"let a=1;").digest()).decode()
    allowed = frozenset({f"'sha256-{digest}'", "'sha256-other'"})
    out = add_csp(html, allowed)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', out)[1]
    assert f"'sha256-{digest}'" in meta and "script-src 'self'" in meta and "object-src 'none'" in meta
    assert "sha256-other" not in meta  # a theme script this page does not hold
    assert out.index("Content-Security-Policy") < out.index("<script>")
    assert "'unsafe-inline'" not in out
    assert "sha256" not in add_csp(html, frozenset())  # not the theme's: not allowed


def test_json_ld_drops_empty_values_at_any_depth_and_keeps_false_and_zero() -> None:
    data = {"a": None, "b": "", "c": [], "d": (), "e": 0, "f": False, "g": "文",
            "h": [{"name": "张三", "x": ""}, {"y": None}], "i": {"j": (), "k": {"l": "", "m": 1.5}}}
    assert str(json_ld(data)) == '{"e":0,"f":false,"g":"文","h":[{"name":"张三"},{}],"i":{"k":{"m":1.5}}}'


def test_cn_date() -> None:
    assert cn_date("2025-04-22") == "2025年4月22日" and cn_date("2025-04") == "2025年4月" and cn_date(None) == ""


def test_csp_does_not_hash_data_blocks() -> None:
    html = '<head><meta charset="utf-8"><script type="application/ld+json">{"a":1}</script></head>'
    assert "sha256" not in add_csp(html, frozenset())


def test_folder_mtime_trusted_once_its_timestamp_tick_is_over() -> None:
    """Nanosecond mtimes (ext4, tmpfs) tick every few ms; whole-second ones (FAT: 2 s) do not."""
    from casebook.write import _settled
    now = 1_700_000_010_000_000_000
    assert _settled(now - 150_000_000 + 123, now)  # fine-grained, 0.15 s old
    assert not _settled(now - 50_000_000 + 123, now)  # fine-grained, 0.05 s old
    assert not _settled(now - 1_000_000_000, now)  # whole seconds, 1 s old: could be FAT
    assert _settled(now - 3_000_000_000, now)


def test_memoize_compares_values_and_frozen_data_by_identity() -> None:
    """Strings and numbers by value (with their type), frozen data (an entry, a group) by
    identity, so two equal but distinct objects are two calls; lists bypass the cache,
    and a cached list comes back as a copy a template cannot alter."""
    from casebook.memo import memoize
    from casebook.model import Entry, Group
    calls: list[tuple[object, ...]] = []

    def card(*args: object) -> list[str]:
        calls.append(args)
        return [f"<li>{len(calls)}</li>"]
    cached = memoize(card)
    entry = Entry(_article("a", "河南省", ["养老服务"], "2024-05-01"))
    assert cached(entry, 3) == cached(entry, 3) == ["<li>1</li>"]
    assert cached(entry, 2) == ["<li>2</li>"]  # another argument, another call
    assert cached(entry, True) == ["<li>3</li>"]  # True renders otherwise than 1
    assert cached(Entry(entry.article), 3) == ["<li>4</li>"]  # equal, but another object
    group = Group("province", PROVINCES.by_name("河南省"), (entry,))
    assert cached(group) == cached(group) == ["<li>5</li>"]
    assert cached([entry]) == ["<li>6</li>"] and cached([entry]) == ["<li>7</li>"]
    cached(group).append("changed by a template")
    assert cached(group) == ["<li>5</li>"] and len(calls) == 7
    bounded = memoize(card, limit=2)  # the least recently used call is dropped first
    for name in ("x", "y", "x", "z", "x", "y"):
        bounded(name)
    assert [c[0] for c in calls[7:]] == ["x", "y", "z", "y"]


def test_imported_macros_render_once_per_arguments_and_page_macros_never(tmp_path: Path) -> None:
    """A macro of a template imported without context is cached; one defined in the
    page's template, or imported with context (it sees the page's variables), is called
    every time."""
    import jinja2

    from casebook.memo import MemoTemplate
    (tmp_path / "_m.html").write_text("{% macro hello(name) %}{{ tick() }}:{{ name }}{% endmacro %}", "utf-8")
    (tmp_path / "page.html").write_text(
        '{% import "_m.html" as m %}{% import "_m.html" as c with context %}'
        "{% macro own(name) %}{{ tick() }}:{{ name }}{% endmacro %}"
        "{{ m.hello('a') }} {{ m.hello('a') }} {{ m.hello('b') }} | {{ own('a') }} {{ own('a') }} | "
        "{{ c.hello('a') }} {{ c.hello('a') }}", "utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    env.template_class = MemoTemplate
    count = iter(range(1, 100))
    env.globals["tick"] = lambda: next(count)
    assert env.get_template("page.html").render() == "1:a 1:a 2:b | 3:a 4:a | 5:a 6:a"
    assert env.get_template("page.html").render() == "1:a 1:a 2:b | 7:a 8:a | 9:a 10:a"  # per environment
