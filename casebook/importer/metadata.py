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

from . import credits, furniture
from .credits import LABEL_SEPARATOR
from .hanzi import HAN
from .passes import Removal
from .settings import setting
from .structure import Block

SUMMARY_MAX = setting("summary", "max_chars")
FIGURES_MAX = setting("figures", "max_count")
#: A title made from the lead sentence is at most this long...
LEAD_TITLE_MAX = setting("lead_title", "max_chars")
#: ...and takes the next clause too while shorter than this...
LEAD_TITLE_SHORT = setting("lead_title", "short_chars")
#: ...and comes from the first paragraph at least this long.
LEAD_TITLE_MIN = setting("lead_title", "min_paragraph")
#: A first clause this short is an opening phrase (近日, 近年来), not the subject.
TIME_PHRASE_MAX = setting("lead_title", "time_phrase_max")
#: A year-less date is looked for in this many leading paragraphs...
LEAD_PARAGRAPHS = setting("date", "lead_paragraphs")
#: ...and takes its year from a page timestamp at most this many days after it.
YEAR_WINDOW_DAYS = setting("date", "year_window_days")
#: Passes whose removals name the article's authors and photographers.
AUTHOR_PASSES = ("bylines", "photo_credits", "orphan_captions")
#: Passes whose removals may carry the article's own date.
DATE_PASSES = ("header_meta", "source_lines")
#: Passes whose removals carry a timestamp of the page (crawl snapshot, notice): not the
#: article's date, but they tell the year of a year-less date in the text.
STAMP_PASSES = ("platform_notices", "header_meta")
#: Passes whose removals may hold labelled fields (``作者：… 来源：…``).
FIELD_PASSES = ("header_meta", "source_lines")
#: A labelled field in a header line; its value runs to the next label or the end.
_FIELD = re.compile(
    rf"(作者|记者|通讯员|来源|出处|稿源|本文转自|转自)\s*{LABEL_SEPARATOR}\s*(.+?)"
    rf"(?=\s+\S{{2,6}}\s*[:：]|\s*[】\]]|\s+\d{{4}}[-/.年]|$)"
)
#: A page header line naming its outlet or account beside the date
#: (``青秀发布 2024-04-10 18:30 广西``, ``2023-09-12 鄂尔多斯日报``).
_HEADER_OUTLET = re.compile(
    rf"(?:^|\s)([{HAN}]{{2,12}}(?:{'|'.join(credits.OUTLET_SUFFIXES)}|发布|在线|头条))(?=\s|$)"
)
#: An outlet named in front of a byline role or a dateline: ``云南网通讯员李桀``,
#: ``新华日报记者 …``, ``嵩明融媒11月21日讯``.
_BYLINE_OUTLET = re.compile(
    rf"^([{HAN}]{{1,10}}?(?:{'|'.join(credits.OUTLET_SUFFIXES)}))(?=记者|通讯员|特约记者|\d{{1,2}}月|讯)"
)
#: Passes whose removals may open with the outlet's name.
OUTLET_PASSES = ("bylines", "datelines")
_SOURCE_FIELDS = ("来源", "出处", "稿源", "本文转自", "转自")
_AUTHOR_FIELDS = ("作者", "记者", "通讯员")

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_SENTENCES = re.compile(r"[^。！？]+[。！？]?[”’」]?")
#: A quotation opening the lead (``“李阿姨，…”近日，…``): the narrator's sentence follows it.
_OPENING_QUOTE = re.compile(r"^“[^”]*”[，,]?")
#: Opening phrases of time and manner that are no part of a title.
_TIME_PHRASE = re.compile(
    r"^(近年来|近年以来|近期|近日|日前|目前|今年以来|去年以来|当前|如今|眼下|此前|\d{1,4}年(\d{1,2}月)?(\d{1,2}日)?"
    r"|\d{1,2}月\d{1,2}日|.{0,8}(期间|以来|之际|当天|上午|下午|晚上))"
)
#: Words that fill a name's place in scraped fields but name nobody.
_NOT_NAMES = frozenset(credits.BYLINE_ROLE_WORDS) | frozenset(furniture.WIDGET_WORDS) | {"提供", "供图", "摄影", "摄"}
_NAME_TOKEN = re.compile(rf"^[{HAN}·]{{2,4}}$")
#: A labelled note or abstract opening a paragraph (``**编者按：**…`` as structure writes a
#: label standing on its own line, or ``摘要：…`` inline).
_EDITOR_NOTE = re.compile(r"^(\*\*)?(编者按|编者的话|编前|题记|导语|导读|摘要|内容摘要|内容提要|提要)[:：](\*\*)?\s*")
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
    """The outlet: a 来源/转自 field, else the first fallback, else the outlet of a byline
    (云南网通讯员…) or dateline (沈报融媒7月22日讯), else one named in the page header."""
    removed = list(removed)
    found = _fields(removed, _SOURCE_FIELDS) + [f for f in fallbacks if f]
    found += [m.group(1) for name in OUTLET_PASSES for r in removed
              if r.pass_name == name and (m := _BYLINE_OUTLET.match(r.text))]
    found += [m.group(1) for r in removed if r.pass_name == "header_meta" and (m := _HEADER_OUTLET.search(r.text))]
    found = [f for f in found if f not in credits.SELF_OUTLETS]  # 本报 names nobody
    return found[0] if found else None


def authors(removed: Iterable[Removal], extra: str | None = None) -> list[str]:
    """Names from bylines and photo credits, in order of appearance, without repeats.

    Only bylines, credits and 作者/记者 fields name authors: editors and reviewers
    (their lines are removed by another pass) never do.
    """
    found: list[str] = []
    texts = _fields(removed, _AUTHOR_FIELDS)
    texts += [credits.credit_of(r.text) for r in removed if r.pass_name in AUTHOR_PASSES]
    for text in texts + ([extra] if extra else []):
        for name in credits.byline_names(text) or _plain_names(text):
            if name not in found:
                found.append(name)
    return found


def _plain_names(text: str) -> list[str]:
    """Names in a field that holds only names (``作者：张三 李四``, a page's author tag),
    without the role, outlet and interface words such fields also catch (记者, 沈阳日报, 播放)."""
    return [token for token in re.split(r"[\s、，,;；]+", text)
            if _NAME_TOKEN.match(token) and token not in _NOT_NAMES and not credits.is_outlet(token)]


def date(removed: Iterable[Removal], paragraphs: Sequence[str], *fallbacks: str | None) -> str | None:
    """The article's own date: ``YYYY-MM-DD`` from the page header or metadata, else
    ``YYYY-MM`` from a year-less date in the article and a page timestamp soon after it.

    Reports often date events only as ``2月10日``; the crawl or publication stamp of
    the page (``快照生成时间：2023-02-15``) then tells the year. The day of the
    event is not the day of the article, so the result is given to the month.
    """
    removed = list(removed)
    datelines = [dated for r in removed if r.pass_name == "datelines" and (dated := credits.dateline_date(r.text))]
    texts = [r.text for r in removed if r.pass_name in DATE_PASSES] + [f for f in fallbacks if f]
    full: list[tuple[int, int, int | None]] = [(y, m, d) for y, m, d in datelines if y]
    full += [whole for t in texts if (whole := _full_date(t))]
    for year, month, day in full:
        return f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"
    stamps = [stamp for r in removed if r.pass_name in STAMP_PASSES and (stamp := _full_date(r.text))]
    # A caption whose photo is gone left the body, but its date is the event's (2月10日，…).
    captions = [r.text for r in removed if r.pass_name == "orphan_captions"][:LEAD_PARAGRAPHS]
    in_text = [(int(m.group(1)), int(m.group(2))) for p in [*paragraphs[:LEAD_PARAGRAPHS], *captions]
               for m in _MONTH_DAY.finditer(p)]
    for month, day in [(m, d) for _, m, d in datelines] + in_text:
        for year, stamp_month, stamp_day in stamps:
            if _days_before(month, day, stamp_month, stamp_day or 1) <= YEAR_WINDOW_DAYS:
                # an event in December reported in January belongs to the year before
                event_year = year - 1 if month > stamp_month else year
                return f"{event_year}-{month:02d}"
    return None


def _full_date(text: str) -> tuple[int, int, int | None] | None:
    """The first plausible ``(year, month, day or None)`` in ``text``."""
    for match in _DATE.finditer(text):
        month, day = int(match.group(2)), match.group(3)
        if 1 <= month <= 12:
            return int(match.group(1)), month, int(day) if day and 1 <= int(day) <= 31 else None
    return None


def _days_before(month: int, day: int, stamp_month: int, stamp_day: int) -> int:
    """Roughly how many days ``month/day`` lies before the stamp, wrapping over New Year."""
    days = (stamp_month - month) * 30.5 + (stamp_day - day)
    return int(days if days >= 0 else days + 366)


def summary(blocks: Sequence[Block]) -> str | None:
    """The page's own editor's note or abstract, cut to whole sentences; else None.

    The lead paragraph is never copied here: the case page shows the summary above
    the body, and a summary that repeats the lead reads twice.
    """
    paras = [b.text for b in blocks if b.kind == "para"]
    note = next((p for p in paras if _EDITOR_NOTE.match(p)), None)
    if not note:
        return None
    text = _EDITOR_NOTE.sub("", note).replace("**", "").strip()
    return shorten(text, SUMMARY_MAX) if text else None


def shorten(text: str, limit: int) -> str:
    """``text`` cut to whole sentences within ``limit``, else at a clause mark, else with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = ""
    for sentence in _SENTENCES.findall(text):
        if len(cut) + len(sentence) > limit:
            break
        cut += sentence
    if cut:
        return cut
    clause = text[: limit - 1]
    comma = max(clause.rfind(mark) for mark in "，、；")
    return (clause[:comma] if comma > limit // 2 else clause) + "…"


def lead_title(paragraphs: Sequence[str]) -> str | None:
    """A title for a page without a headline: the lead sentence's main clause.

    The lead of a report says who did what (``近日，白河县城关镇…开展…``): its
    opening time phrase and any quotation before it are dropped, and the rest is
    main clause is kept (with the next while it is shorter than
    :data:`LEAD_TITLE_SHORT`), cut at a phrase boundary beyond :data:`LEAD_TITLE_MAX`.
    """
    lead = next((p for p in paragraphs if len(p) >= LEAD_TITLE_MIN), None)
    if lead is None:
        return None
    sentence = _SENTENCES.findall(_OPENING_QUOTE.sub("", lead.replace("**", "")))[0]
    clauses = [c for c in re.split(r"[，；：,;:。！？!?]", sentence) if c]
    while len(clauses) > 1 and (len(clauses[0]) <= TIME_PHRASE_MAX or _TIME_PHRASE.match(clauses[0])):
        clauses.pop(0)
    title = clauses.pop(0)
    while clauses and len(title) < LEAD_TITLE_SHORT:  # 社区变了样，… says too little alone
        title += "，" + clauses.pop(0)
    return title if len(title) <= LEAD_TITLE_MAX else _cut_phrase(title, LEAD_TITLE_MAX)


def _cut_phrase(text: str, limit: int) -> str:
    """Cut a long clause before the last enumeration or particle boundary within ``limit``."""
    head = text[:limit]
    cut = max(head.rfind(mark) for mark in "、的和与及")
    return head[:cut] if cut > limit // 2 else head


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
