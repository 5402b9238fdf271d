"""Taxonomies as data: site.yaml's ``taxonomies:`` list, term slugs, grouping by every
configured taxonomy (cities nested under provinces, years, free-form tags) and the
generic cross-facet counts."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from casebook import urls
from casebook.config import load_config
from casebook.errors import CasebookError, CasebookErrors
from casebook.group import cross_counts, group
from casebook.load import read_article
from casebook.model import Article, Group, Site
from casebook.taxonomy import (
    DEFAULT_TAXONOMIES,
    found_vocabulary,
    load_practices,
    load_provinces,
)

from .conftest import ROOT

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
