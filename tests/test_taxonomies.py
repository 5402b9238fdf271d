"""Taxonomies as data: site.yaml's ``taxonomies:`` list, term slugs, grouping by every
configured taxonomy (cities nested under provinces, years, free-form tags) and the
generic cross-facet counts."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from casebook import taxonomy, urls
from casebook.config import load_config
from casebook.errors import CasebookError, CasebookErrors
from casebook.group import cross_counts, group
from casebook.load import read_article
from casebook.model import Article, Group, Site
from casebook.pipeline import build
from casebook.plan import Page, plan_site
from casebook.taxonomy import (
    DEFAULT_TAXONOMIES,
    Taxonomy,
    found_vocabulary,
    load_practices,
    load_provinces,
)

from .conftest import ROOT, tree

sys.path.insert(0, str(ROOT / "bench"))
import gen_corpus

PROVINCES = load_provinces()
PRACTICES = load_practices(ROOT / "data/practices.yaml")
SAMPLE = """\
taxonomies:
  - {key: province, path: provinces, label: 省份}
  - {key: practices, path: practices, label: 实践类型}
  - {key: city, within: province, label: 城市}
  - {key: year, path: years, label: 年份}
"""
TAGS = "  - {key: tags, path: tags, label: 标签}\n"


def _project(tmp_path: Path, settings: str) -> Path:
    """A site.yaml holding ``settings``, beside a copy of the practice vocabulary."""
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data/practices.yaml").write_bytes((ROOT / "data/practices.yaml").read_bytes())
    path = tmp_path / "site.yaml"
    path.write_text(settings, "utf-8")
    return path


def _articles(folder: Path) -> list[Article]:
    return [read_article(f, f.name, PRACTICES) for f in sorted(folder.glob("*.md"))]


def _site(articles: list[Article], settings: Path) -> Site:
    return group(articles, PROVINCES, PRACTICES, related_limit=0, taxonomies=load_config(settings).taxonomies)


def _urls(site: Site, name: str) -> list[str]:
    grouped = site.taxonomy(name)
    return [urls.group_page(grouped.taxonomy, g) for g in grouped.groups]


def _filed(articles: list[Article], terms_of) -> dict[str, list[tuple[str, str | None]]]:
    """Brute force: each term's (article, sub-case) entries, newest first, a sub-case only
    where its article as a whole is not."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    ordered = sorted(sorted(articles, key=lambda a: (a.title, a.slug)), key=lambda a: a.date or "", reverse=True)
    for art in ordered:
        own = terms_of(art)
        for t in own:
            out.setdefault(t, []).append((art.slug, None))
        for sub in art.cases:
            for t in terms_of(sub):
                if t not in own:
                    out.setdefault(t, []).append((art.slug, sub.anchor))
    return out


def _entries(groups: tuple[Group, ...], key=lambda g: g.term.slug) -> dict[str, list[tuple[str, str | None]]]:
    return {key(g): [(e.article.slug, e.subcase.anchor if e.subcase else None) for e in g.entries] for g in groups}


# --- the setting ---------------------------------------------------------------------------

def test_without_the_setting_a_site_keeps_today_two(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, "title: x\n"))
    assert config.taxonomies == DEFAULT_TAXONOMIES
    assert [(t.key, t.path, t.label) for t in config.taxonomies] == [
        ("province", "provinces", "省份"), ("practices", "practices", "实践类型")]
    arts = _articles(ROOT / "content")
    site = _site(arts, tmp_path / "site.yaml")
    assert [g.taxonomy.key for g in site.taxonomies] == ["province", "practices"]
    assert site.provinces is site.taxonomy("province").groups and site.practices is site.taxonomy("practices").groups
    assert _entries(site.provinces) == _filed(arts, lambda item: (item.province.slug,))
    assert _entries(site.practices) == _filed(arts, lambda item: tuple(p.slug for p in item.practices))
    assert {g.kind for g in site.provinces} == {"province"} and {g.kind for g in site.practices} == {"practices"}
    assert [g.term for g in site.provinces] == [t for t in PROVINCES.terms if any(g.term == t for g in site.provinces)]


def test_config_with_taxonomies_stays_hashable_and_its_repr_stable(tmp_path: Path) -> None:
    path = _project(tmp_path, SAMPLE + TAGS)
    one, two = load_config(path), load_config(path)
    assert hash(one) == hash(two) and repr(one) == repr(two) and "key='tags'" in repr(one)
    assert [t.key for t in one.taxonomies] == ["province", "practices", "city", "year", "tags"]
    city = one.taxonomies[2]
    assert (city.within, city.path) == ("province", "provinces")  # its pages live under the province's


def test_the_sample_site_lists_four() -> None:
    config = load_config(ROOT / "site.yaml")
    assert [(t.key, t.path, t.within) for t in config.taxonomies] == [
        ("province", "provinces", None), ("practices", "practices", None),
        ("city", "provinces", "province"), ("year", "years", None)]


def test_sample_four_on_the_real_content() -> None:
    arts = _articles(ROOT / "content")
    site = _site(arts, ROOT / "site.yaml")
    assert sorted(_urls(site, "city")) == [
        "provinces/anhui/chuzhou/", "provinces/guizhou/bijie/", "provinces/shaanxi/ankang/",
        "provinces/yunnan/kunming/", "provinces/yunnan/yuxi/"]
    cities = site.taxonomy("city")
    yunnan = next(g for g in site.provinces if g.term.slug == "yunnan")
    yuxi = next(g for g in cities.groups if g.term.slug == "yuxi")
    assert (yuxi.term.name, yuxi.parent, yuxi.kind) == ("玉溪市", yunnan.term, "city")
    assert [e.article.slug for e in yuxi.entries] == ["yunnan-yuxi-99641f"]
    assert [g.term.name for g in cities.children(yunnan.term)] == ["昆明市", "玉溪市"]  # a province's breakdown
    assert _urls(site, "year") == ["years/2025/", "years/2023/"]  # newest first
    assert [[e.article.slug for e in g.entries] for g in site.taxonomy("year").groups] == [
        ["yunnan-yuxi-99641f"], ["shaanxi-baihe-8e6ad5"]]
    assert site.taxonomy("year").taxonomy.label == "年份"


# --- free-form taxonomies: terms from the cases ---------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    folder = tmp_path_factory.mktemp("corpus")
    gen_corpus.generate(folder, 400)
    return _articles(folder)


def test_appending_a_tags_entry_gives_tag_pages(tmp_path: Path, corpus: list[Article]) -> None:
    site = _site(corpus, _project(tmp_path, SAMPLE + TAGS))
    tags = site.taxonomy("tags")
    assert {g.term.name: urls.group_page(tags.taxonomy, g) for g in tags.groups} == {
        "典型案例": "tags/dianxinganli/", "示范点": "tags/shifandian/",
        "经验交流": "tags/jingyanjiaoliu/", "调研报告": "tags/diaoyanbaogao/"}
    assert urls.taxonomy_index(tags.taxonomy) == "tags/" and tags.taxonomy.label == "标签"
    assert _entries(tags.groups, key=lambda g: g.term.name) == _filed(corpus, lambda item: getattr(item, "tags", ()))
    assert [g.term.slug for g in tags.groups] == sorted(g.term.slug for g in tags.groups)


def test_sub_cases_are_filed_under_their_own_city(tmp_path: Path, corpus: list[Article]) -> None:
    site = _site(corpus, _project(tmp_path, SAMPLE))
    cities = site.taxonomy("city").groups
    expected = _filed(corpus, lambda item: (f"{item.province.slug}/{item.city}",) if item.city else ())
    assert _entries(cities, key=lambda g: f"{g.parent.slug}/{g.term.name}") == expected
    assert any(e.subcase for g in cities for e in g.entries)  # the corpus has sub-cases in other cities
    assert sum(len(g.entries) for g in site.taxonomy("year").groups) == len(corpus)  # sub-cases have no year
    for g in cities:
        assert urls.group_page(site.taxonomy("city").taxonomy, g, 2) == f"provinces/{g.parent.slug}/{g.term.slug}/page/2/"


def test_a_sub_case_in_another_city_is_listed_there(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/a.md").write_text("""---
title: 两地案例
province: 云南省
city: 昆明市
practices: [养老服务]
cases:
- {name: 甲社区, province: 云南省, city: 昆明市, anchor: jia}
- {name: 乙社区, province: 云南省, city: 玉溪市, anchor: yi}
- {name: 丙社区, province: 贵州省, city: 贵阳市, anchor: bing}
---
## 甲社区 {#jia}

甲。

## 乙社区 {#yi}

乙。

## 丙社区 {#bing}

丙。
""", "utf-8")
    site = _site(_articles(tmp_path / "c"), _project(tmp_path, SAMPLE))
    assert _entries(site.taxonomy("city").groups, key=lambda g: urls.group_page(site.taxonomy("city").taxonomy, g)) == {
        "provinces/guizhou/guiyang/": [("a", "bing")],
        "provinces/yunnan/kunming/": [("a", None)],
        "provinces/yunnan/yuxi/": [("a", "yi")]}


def test_slugs_are_pinyin_unique_and_stable() -> None:
    names = ["示范点", "示范店", "Open Data", "AI 治理", "★", "示范点-2"]
    vocab = found_vocabulary("tags", names)
    slugs = {t.name: t.slug for t in vocab.terms}
    assert slugs["示范店"] == "shifandian" and slugs["示范点"] == "shifandian-2"  # code-point order decides
    assert slugs["Open Data"] == "open-data" and slugs["AI 治理"] == "ai-zhili"
    assert slugs["★"].startswith("t-") and len(set(slugs.values())) == len(names)
    for seed in range(5):  # the order the cases are read in changes nothing
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert found_vocabulary("tags", shuffled) == vocab


def test_city_slugs_drop_the_suffix_only_while_unique() -> None:
    slugs = {t.name: t.slug for t in found_vocabulary("city", ["玉溪市", "海东市", "海东地区", "楚雄彝族自治州"]).terms}
    assert slugs == {"玉溪市": "yuxi", "海东市": "haidongshi", "海东地区": "haidongdiqu", "楚雄彝族自治州": "chuxiongyizu"}
    assert found_vocabulary("city", ["page"], frozenset({urls.PAGE})).terms[0].slug == "page-2"  # the pager's
    assert found_vocabulary("tags", ["示范市"]).terms[0].slug == "shifanshi"  # only cities are shortened


def test_term_slugs_worked_out_once_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps ``words`` in its cache: a name the place table lacks costs loading pypinyin."""
    words: dict[str, str] = {}
    first = found_vocabulary("city", ["北京市", "香港"], words=words)
    assert words == {"北京": "beijing", "香港": "xianggang"}
    monkeypatch.setattr(taxonomy, "slug_words", lambda name: pytest.fail(f"{name} worked out again"))
    assert found_vocabulary("city", ["香港", "北京市"], words=words) == first


def test_a_vocabulary_file_names_the_terms(tmp_path: Path, corpus: list[Article]) -> None:
    path = _project(tmp_path, SAMPLE + "  - {key: tags, path: tags, label: 标签, vocabulary: data/tags.yaml}\n")
    (tmp_path / "data/tags.yaml").write_text(
        "- {name: 示范点, slug: model-sites}\n- {name: 典型案例, slug: typical}\n"
        "- {name: 经验交流, slug: exchange}\n- {name: 调研报告, slug: research}\n- {name: 空的, slug: empty}\n", "utf-8")
    tags = _site(corpus, path).taxonomy("tags")
    assert [g.term.slug for g in tags.groups] == ["model-sites", "typical", "exchange", "research"]  # file order
    assert [t.slug for t in tags.vocabulary.terms][-1] == "empty"  # listed, with no page
    (tmp_path / "data/tags.yaml").write_text("- {name: 示范点, slug: model-sites}\n", "utf-8")
    with pytest.raises(CasebookErrors) as err:
        _site(corpus, path)
    assert "tags '典型案例' is not in the vocabulary" in str(err.value) and ".md" in str(err.value)


# --- cross-facet counts ------------------------------------------------------------------------

def test_cross_counts_match_a_brute_force_count(tmp_path: Path, corpus: list[Article]) -> None:
    site = _site(corpus, _project(tmp_path, SAMPLE + TAGS))
    checked = 0
    for grouped in site.taxonomies:
        for g in grouped.groups:
            mine = {e.article.slug for e in g.entries}
            expected = {}
            for other in site.taxonomies:
                if other is grouped:
                    continue
                shared = [(h, len(mine & {e.article.slug for e in h.entries})) for h in other.groups]
                if any(n for _, n in shared):
                    expected[other.taxonomy] = [(h, n) for h, n in shared if n]
            assert cross_counts(site, g) == expected
            checked += 1
    assert checked > 100


# --- every problem with its line -------------------------------------------------------------

ERRORS = [
    ("  - {key: tags, path: tags, lable: 标签}\n", 6, "unknown taxonomy setting 'lable' (did you mean 'label'?)"),
    ("  - {key: tags, path: tags}\n", 6, "a taxonomy needs label"),
    ("  - {key: tag, path: tags, label: 标签}\n", 6, "key 'tag' is not a case field to group by (did you mean 'tags'?)"),
    ("  - {key: year, path: nian, label: 年}\n", 6, "taxonomy 'year' is listed twice (first on line 5)"),
    ("  - {key: tags, path: years, label: 标签}\n", 6, "path 'years' is already taxonomy 'year''s (line 5)"),
    ("  - {key: tags, path: provinces, label: 标签}\n", 6, "path 'provinces' is already taxonomy 'province''s (line 2)"),
    ("  - {key: tags, path: cases, label: 标签}\n", 6, "path 'cases' is casebook's own (/cases/)"),
    ("  - {key: tags, path: Tags/x, label: 标签}\n", 6, "path 'Tags/x' must be one URL segment"),
    ("  - {key: tags, path: tags, label: [标签]}\n", 6, "label must be text"),
    ("  - {key: county, within: citty, label: 区县}\n", 6, "must name another listed taxonomy (did you mean 'city'?)"),
    ("  - {key: county, within: city, label: 区县}\n", 6, "within 'city': that taxonomy is itself nested"),
    ("  - {key: county, within: province, path: counties, label: 区县}\n", 6, "county pages live under its province"),
    ("  - {key: tags, path: tags, label: 标签, vocabulary: data/none.yaml}\n", 6, "'data/none.yaml' not found"),
    ("  - 标签\n", 6, "each taxonomy must be a mapping"),
]


@pytest.mark.parametrize(("entry", "line", "message"), ERRORS, ids=[m[:32] for _, _, m in ERRORS])
def test_a_bad_entry_is_an_error_at_its_line(tmp_path: Path, entry: str, line: int, message: str) -> None:
    path = _project(tmp_path, SAMPLE + entry)
    with pytest.raises(CasebookErrors) as err:
        load_config(path)
    assert any(e.line == line and message in e.message for e in err.value.errors), str(err.value)
    assert f"site.yaml:{line}: " in str(err.value)


@pytest.mark.parametrize(("settings", "line", "message"), [
    (SAMPLE.replace("label: 省份}", "label: 省份, vocabulary: data/practices.yaml}"), 2, "province takes no vocabulary"),
    (SAMPLE.replace("label: 实践类型}", "label: 实践类型, vocabulary: data/other.yaml}"), 3,
     "the practice vocabulary is practices_file"),
    (SAMPLE.replace("  - {key: province, path: provinces, label: 省份}\n", ""), 1, "taxonomies must list province"),
    ("taxonomies: tags\n", 1, "taxonomies must be a list"),
    ("taxonomies: []\n", 1, "taxonomies must be a list"),
    ("taxonomy: []\n", 1, "unknown setting 'taxonomy' (did you mean 'taxonomies'?)"),
])
def test_a_bad_list_is_an_error_at_its_line(tmp_path: Path, settings: str, line: int, message: str) -> None:
    with pytest.raises(CasebookError) as err:
        load_config(_project(tmp_path, settings))
    errors = err.value.errors if isinstance(err.value, CasebookErrors) else [err.value]
    assert any(e.line == line and message in e.message for e in errors), str(err.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(CasebookErrors) as err:
        load_config(_project(tmp_path, SAMPLE + "  - {key: tag, path: tags, label: 标签}\n"
                             "  - {key: authors, path: cases, label: 作者}\n"))
    assert [e.line for e in err.value.errors] == [6, 7]


def test_a_practices_entry_may_name_its_vocabulary_file(tmp_path: Path) -> None:
    path = _project(tmp_path, SAMPLE.replace("label: 实践类型}", "label: 实践类型, vocabulary: data/practices.yaml}"))
    assert load_config(path).taxonomies[1].vocabulary == (tmp_path / "data/practices.yaml").resolve()


# --- the pages: one loop over the taxonomies --------------------------------------------------

def _built(project: Path, **settings: object) -> Path:
    """``project`` built without the cache and search; the output folder."""
    config = load_config(project / "site.yaml", {"search": False, **settings})
    build(config, use_cache=False)
    return config.output_dir


def _page(out: Path, url: str) -> str:
    return (out / urls.output_path(url)).read_text("utf-8")


def _case_links(html: str) -> list[str]:
    """The cases a list page shows, in order (the card titles' links)."""
    return re.findall(r'<h3 class="card-title"><a href="/cases/([^/"]+)/', html)


def test_a_tags_entry_in_site_yaml_is_all_it_takes(project: Path) -> None:
    with (project / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(TAGS)
    for name, tags in (("yunnan-yuxi-99641f", "[示范点, 典型案例]"), ("anhui-langya-a2627c", "[示范点]")):
        path = project / "content" / f"{name}.md"
        path.write_text(path.read_text("utf-8").replace("\ntitle:", f"\ntags: {tags}\ntitle:", 1), "utf-8")
    out = _built(project)
    assert _case_links(_page(out, "tags/shifandian/")) == ["yunnan-yuxi-99641f", "anhui-langya-a2627c"]
    assert _case_links(_page(out, "tags/dianxinganli/")) == ["yunnan-yuxi-99641f"]
    index = _page(out, "tags/")
    assert "<h1>按标签浏览</h1>" in index and 'href="/tags/shifandian/"' in index and "2 篇" in index
    assert "<title>示范点 · 基层治理案例集</title>" in _page(out, "tags/shifandian/")
    feed = _page(out, "tags/shifandian/feed.xml")
    assert feed.count("<entry>") == 2 and "/cases/anhui-langya-a2627c/" in feed
    case = _page(out, "cases/yunnan-yuxi-99641f/")  # its tags are links under their label
    assert re.search(r'<h2 class="mini-title"[^>]*>标签</h2>\s*<div[^>]*><ul class="chips">\s*'
                     r'<li><a class="chip" href="/tags/shifandian/">示范点</a></li>\s*'
                     r'<li><a class="chip" href="/tags/dianxinganli/">典型案例</a></li>', case)
    assert "tags-line" not in case
    assert "<loc>http://localhost:8000/tags/shifandian/</loc>" in _page(out, "sitemap.xml")


def test_city_and_year_pages_on_the_sample(project: Path) -> None:
    out = _built(project)
    yuxi = _page(out, "provinces/yunnan/yuxi/")
    assert _case_links(yuxi) == ["yunnan-yuxi-99641f"]
    assert re.search(r'<li><a href="/provinces/">省份</a></li>\s*<li><a href="/provinces/yunnan/">云南省</a></li>\s*'
                     r'<li><span aria-current="page">玉溪市</span></li>', yuxi)
    assert 'href="/years/2025/">2025年<span class="chip-n">1</span>' in yuxi  # cross-facets: no city filter on /cases/
    yunnan = _page(out, "provinces/yunnan/")  # the city breakdown, most cases first
    breakdown = re.search(r'<section class="breakdown".*?</section>', yunnan, re.DOTALL)
    assert breakdown and re.findall(r'href="/provinces/yunnan/(\w+)/">(\w+)<span class="chip-n">(\d+)<', breakdown[0]) \
        == [("kunming", "昆明市", "1"), ("yuxi", "玉溪市", "1")]
    assert 'href="/cases/?province=yunnan&amp;year=2025">2025年<span class="chip-n">1</span>' in yunnan
    assert "按城市细分" not in yunnan  # the breakdown is the city facet
    assert _case_links(_page(out, "years/2025/")) == ["yunnan-yuxi-99641f"]
    assert _case_links(_page(out, "years/2023/")) == ["shaanxi-baihe-8e6ad5"]
    years = _page(out, "years/")
    assert years.index('href="/years/2025/"') < years.index('href="/years/2023/"')  # newest first
    assert not (out / "provinces/yunnan/yuxi/page").exists()
    for feed, case in (("provinces/yunnan/yuxi/feed.xml", "yunnan-yuxi-99641f"), ("years/2023/feed.xml",
                                                                                 "shaanxi-baihe-8e6ad5")):
        assert _page(out, feed).count("<entry>") == 1 and f"/cases/{case}/" in _page(out, feed)
    sitemap = _page(out, "sitemap.xml")
    for url in ("provinces/yunnan/yuxi/", "provinces/yunnan/kunming/", "years/", "years/2025/", "years/2023/"):
        assert f"<loc>http://localhost:8000/{url}</loc>" in sitemap
    facets = _page(out, "cases/")  # the year facet links to the year pages
    assert '<a class="chip" data-value="2025" href="/years/2025/">2025年<span class="chip-n">1</span>' in facets
    case = _page(out, "cases/yunnan-yuxi-99641f/")  # its city and its date link to their pages
    assert '<li><a href="/provinces/yunnan/yuxi/">玉溪市</a></li>' in case
    assert '<a href="/years/2025/"><time datetime="2025-04-22">2025年4月22日</time></a>' in case
    assert '<a href="/years/' not in _page(out, "cases/anhui-langya-a2627c/")  # undated


FILTERED = {"province": "province", "practices": "practice", "year": "year"}  # /cases/'s parameters


def _chip_url(taxonomy: Taxonomy, group: Group, other: Taxonomy, term: Group) -> str:
    """Where a cross-facet chip leads: /cases/ filtered to both terms if it filters by both
    taxonomies, else the other term's page."""
    if taxonomy.key in FILTERED and other.key in FILTERED:
        return f"cases/?{FILTERED[taxonomy.key]}={group.term.slug}&{FILTERED[other.key]}={term.term.slug}"
    return urls.group_page(other, term)


def test_term_pages_paginate_and_cross_facets_count_every_other_taxonomy(tmp_path: Path,
                                                                         corpus: list[Article]) -> None:
    config = load_config(_project(tmp_path, "per_page: 5\n" + SAMPLE + TAGS))
    site = group(corpus, PROVINCES, PRACTICES, related_limit=0, taxonomies=config.taxonomies)
    planned = {p.url: p for p in plan_site(config, site, []) if isinstance(p, Page)}
    for grouped in site.taxonomies:
        taxonomy = grouped.taxonomy
        for g in grouped.groups:
            pages = [planned.pop(urls.group_page(taxonomy, g, n)) for n in range(1, -(-len(g.entries) // 5) + 1)]
            assert [e for p in pages for e in p.context["entries"]] == list(g.entries)
            assert [p.context["pager"].count for p in pages] == [len(pages)] * len(pages)
            mine = {e.article.slug for e in g.entries}
            expected = []
            for other in site.taxonomies:  # every other taxonomy but the one nested in this (or holding it)
                if other is grouped or taxonomy.key == other.taxonomy.within or other.taxonomy.key == taxonomy.within:
                    continue
                shared = [(h, len(mine & {e.article.slug for e in h.entries})) for h in other.groups]
                chips = [(h.term.name, n, _chip_url(taxonomy, g, other.taxonomy, h)) for h, n in shared if n]
                if chips:
                    expected.append((other.taxonomy.key, chips))
            assert [(f.taxonomy.key, [(c.name, c.count, c.url) for c in f.links])
                    for f in pages[0].context["cross"]] == expected
    # every term page was one of a group's: nested terms have no list page of their own
    assert sorted(u for u in planned if u.startswith(("provinces/", "practices/", "years/", "tags/"))) == [
        "practices/", "provinces/", "tags/", "years/"]


def test_a_case_moving_to_another_city_moves_between_city_pages(project: Path) -> None:
    config = load_config(project / "site.yaml", {"search": False})
    build(config)
    path = project / "content" / "yunnan-yuxi-99641f.md"
    path.write_text(path.read_text("utf-8").replace("city: 玉溪市", "city: 昆明市"), "utf-8")
    build(config)
    out = config.output_dir
    assert not (out / "provinces/yunnan/yuxi").exists()
    assert "yunnan-yuxi-99641f" in _case_links(_page(out, "provinces/yunnan/kunming/"))
    assert '<li><a href="/provinces/yunnan/kunming/">昆明市</a></li>' in _page(out, "cases/yunnan-yuxi-99641f/")
    clean = load_config(project / "site.yaml", {"search": False, "output_dir": "clean"})
    build(clean, use_cache=False)
    assert tree(out) == tree(clean.output_dir)
