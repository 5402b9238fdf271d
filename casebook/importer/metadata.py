"""Front-matter values read from the article and from what the passes removed.

``source``, ``authors`` and ``date`` are read back from the lines the source,
byline, credit and header passes removed (see :class:`casebook.importer.passes.Removal`),
so each value has a known origin. A date is taken only from header lines at the
top of the page or from HTML metadata: never from trailing news lists or crawler
notices, whose passes are not consulted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .credits import BYLINE_ROLES, EDITOR_LABELS, LABEL_SEPARATOR
from .hanzi import HAN
from .passes import Removal
from .structure import Block

SUMMARY_MAX = 120
FIGURES_MAX = 6
#: Passes whose removals name the article's authors and photographers.
AUTHOR_PASSES = ("bylines", "photo_credits")
#: Passes whose removals may carry the article's own date.
DATE_PASSES = ("header_meta",)
#: Passes whose removals may hold labelled fields (``作者：… 来源：…``).
FIELD_PASSES = ("header_meta", "source_lines")
#: A labelled field in a header line; its value runs to the next label or the end.
_FIELD = re.compile(
    rf"(作者|记者|通讯员|来源|出处|稿源|本文转自|转自)\s*{LABEL_SEPARATOR}\s*(.+?)(?=\s+\S{{2,6}}\s*[:：]|$)"
)
#: An outlet named in front of a byline role: ``云南网通讯员李桀``, ``新华日报记者 …``.
_BYLINE_OUTLET = re.compile(rf"^([{HAN}]{{2,8}}(?:日报|晚报|时报|报|网|台|社))(?=记者|通讯员|特约记者)")
_SOURCE_FIELDS = ("来源", "出处", "稿源", "本文转自", "转自")
_AUTHOR_FIELDS = ("作者", "记者", "通讯员")

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?")
#: Words around names in a byline that are not names.
_NOT_NAME = re.compile(
    rf"{BYLINE_ROLES}|{EDITOR_LABELS}|本报讯|本报|本刊|本台|[{HAN}]{{1,10}}(日报|晚报|时报|报|网|台|社|中心)(?=记者|通讯员|讯)"
    rf"|[{HAN}]{{2,12}}\d{{1,2}}月\d{{1,2}}日电|讯|供图|摄影|摄|文|图|[:：/（）()【】|｜丨]"
)
_NAME_TOKEN = re.compile(rf"^[{HAN}·]{{2,4}}$")
_EDITOR_NOTE = re.compile(r"^\*\*(编者按|编者的话|导语|编前|题记)：\*\*")
#: A number with its unit, then the thing counted: ``18个综合网格``, ``5万余元``.
_FIGURE = re.compile(
    rf"(\d+(?:\.\d+)?(?:万|亿)?余?(?:个|名|人次|位|件|场次|场|次|户|家|支|项|条|期|起|处|所|座|间|平方米|万元|元|%|％))"
    rf"([{HAN}]{{2,12}})"
)
#: Where a figure's label ends: conjunctions, particles, and verbs that start the
#: rest of the sentence. A label that runs on without one is not trusted.
_LABEL_STOP = re.compile(
    r"[和与及或的等、全均都已为在将共并达超近约]|签订|开展|建立|成立|组织|提供|参与|覆盖|惠及|实现|完成"
    r"|参加|开设|打造|设置|发放|解决|化解|收到|吸引|形成|推动|建成|组建|下沉|担任|累计|进行"
    r"|推行|推广|推进|实施|设立|启动|配备|招募|培训|举办|召开|建设|引进|引入|投入|新建|改造"
)
LABEL_MIN, LABEL_MAX = 3, 7


def _fields(removed: Iterable[Removal], labels: tuple[str, ...]) -> list[str]:
    """Values of labelled fields in removed header and source lines, in order."""
    return [
        match.group(2).strip().strip("】]）)").strip()
        for item in removed if item.pass_name in FIELD_PASSES
        for match in _FIELD.finditer(item.text) if match.group(1) in labels
    ]


def source(removed: Iterable[Removal], *fallbacks: str | None) -> str | None:
    """The outlet: a 来源/转自 field, else the first fallback, else a byline's outlet (云南网通讯员…)."""
    removed = list(removed)
    found = _fields(removed, _SOURCE_FIELDS) + [f for f in fallbacks if f]
    found += [m.group(1) for r in removed if r.pass_name == "bylines" and (m := _BYLINE_OUTLET.match(r.text))]
    return found[0] if found else None


def authors(removed: Iterable[Removal], extra: str | None = None) -> list[str]:
    """Names from bylines and photo credits, in order of appearance, without repeats."""
    found: list[str] = []
    texts = _fields(removed, _AUTHOR_FIELDS) + [r.text for r in removed if r.pass_name in AUTHOR_PASSES]
    for text in texts + ([extra] if extra else []):
        for token in re.split(r"[\s、，,;；]+", _NOT_NAME.sub(" ", text)):
            if _NAME_TOKEN.match(token) and token not in found:
                found.append(token)
    return found


def date(removed: Iterable[Removal], *fallbacks: str | None) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``) from the page header or metadata, else None."""
    texts = [r.text for r in removed if r.pass_name in DATE_PASSES] + [f for f in fallbacks if f]
    for text in texts:
        match = _DATE.search(text)
        if not match:
            continue
        year, month, day = match.group(1), int(match.group(2)), match.group(3)
        if not 1 <= month <= 12:
            continue
        if day and 1 <= int(day) <= 31:
            return f"{year}-{month:02d}-{int(day):02d}"
        return f"{year}-{month:02d}"
    return None


def summary(blocks: Sequence[Block]) -> str | None:
    """The editor's note, else the first substantive paragraph, cut to whole sentences."""
    paras = [b.text for b in blocks if b.kind == "para"]
    note = next((p for p in paras if _EDITOR_NOTE.match(p)), None)
    text = _EDITOR_NOTE.sub("", note) if note else next((p for p in paras if len(p) >= 30), None)
    if not text:
        return None
    text = text.replace("**", "")
    if len(text) <= SUMMARY_MAX:
        return text
    cut = ""
    for sentence in re.findall(r"[^。！？]+[。！？]?[”’」]?", text):
        if len(cut) + len(sentence) > SUMMARY_MAX:
            break
        cut += sentence
    if cut:
        return cut
    clause = text[: SUMMARY_MAX - 1]
    comma = max(clause.rfind(mark) for mark in "，、；")
    return (clause[:comma] if comma > SUMMARY_MAX // 2 else clause) + "…"


def figures(blocks: Sequence[Block]) -> list[dict[str, str]]:
    """Up to six key numbers with what they count, in reading order, labels unique."""
    found: list[dict[str, str]] = []
    labels: set[str] = set()
    for block in blocks:
        if block.kind != "para":
            continue
        for match in _FIGURE.finditer(block.text):
            value, run = match.group(1), match.group(2)
            stop = _LABEL_STOP.search(run)
            label = run[:stop.start()] if stop else run
            if stop and stop.group(0) == "的":
                continue  # "3个特色突出的教学点": the counted noun comes after 的
            rest = block.text[match.end():match.end() + 1]
            ends_clause = stop is not None or not re.match(rf"[{HAN}]", rest)
            if LABEL_MIN <= len(label) <= LABEL_MAX and ends_clause and label not in labels:
                labels.add(label)
                found.append({"value": value, "label": label})
                if len(found) == FIGURES_MAX:
                    return found
    return found
