"""Attribution and caption passes: who wrote it, where it came from, what a photo shows.

Pure ``str -> str`` passes over one-paragraph-per-line Simplified text, like
:mod:`casebook.importer.boilerplate`. They remove source, editor and header
lines, bylines and photo credits (which :mod:`casebook.importer.metadata`
reads back as ``source``, ``authors`` and ``date``), and mark photo captions
with ``▲`` so the structure stage keeps them as captions. Label and role
vocabularies are data at the top of the module.
"""

from __future__ import annotations

import re

from .hanzi import HAN
from .lines import DATE, IMAGE, SENTENCE, Lines, keep, short_plain

#: Labels that a header line packs together: 作者：… 来源：… 发布时间：…
HEADER_LABELS = (
    r"(作者|来源|发布时间|发布日期|发表时间|更新时间|时间|日期|编辑|责任编辑|浏览|阅读|点击|字号|出处|记者|通讯员)"
    r"\s*[:：]"
)
#: A dated line near the top is a header when at most this many Han characters remain.
HEADER_WORDS_MAX = 10
#: Labels only a page header uses (an event notice also says 时间： and 日期：).
PAGE_LABELS = frozenset({"作者", "来源", "发布时间", "发布日期", "发表时间", "更新时间", "责任编辑", "浏览",
                         "阅读", "点击", "字号", "出处"})
#: Page labels that no other pass handles when they stand alone on a line.
FIELD_LABELS = PAGE_LABELS - {"来源", "出处", "责任编辑"}
EDITOR_LABELS = (
    r"(责任编辑|责编|编辑|审核|审校|校对|终审|初审|二审|三审|复审|值班编辑|主编|监制|统筹|策划|制作|美编|排版)"
)
SOURCE_LABELS = r"(本文来源|文章来源|信息来源|稿件来源|新闻来源|来源|本文转自|转自|转载自|稿源|出处)"
BYLINE_ROLES = r"(特约记者|见习记者|实习记者|首席记者|记者|通讯员|实习生|作者|撰稿|文/图|图/文|文图|图文|摄影)"
#: What follows a label: a colon, or the bar WeChat-style posts use (``来源 | 北京日报``).
LABEL_SEPARATOR = r"[:：|｜丨]"
_NAME = rf"[{HAN}·]{{2,4}}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME})*"
_HEADER_LABEL = re.compile(HEADER_LABELS)
_ORIGINAL_TITLE = re.compile(r"^[【\[]?原(标题|题)\s*[:：]")
_EDITOR = re.compile(rf"^[【\[（(]?\s*{EDITOR_LABELS}\s*{LABEL_SEPARATOR}")
_SOURCE = re.compile(rf"^[【\[（(]?\s*{SOURCE_LABELS}\s*{LABEL_SEPARATOR}")
#: ``本报讯（通讯员 张三）``, ``XX日报讯（记者 …）``, ``新华社北京5月1日电（记者 …）``.
_LEAD_BYLINE = re.compile(
    rf"^(?:(?:本报|本刊|本台|[{HAN}]{{1,10}}(?:日报|晚报|时报|商报|报|网|台|社|新闻|融媒))讯"
    rf"|[{HAN}]{{2,12}}\d{{1,2}}月\d{{1,2}}日电)[ \t]*(?:[（(][^（）()\n]{{1,40}}[）)])?[ \t]*"
    rf"|^[（(]{BYLINE_ROLES}[^（）()\n]{{1,30}}[）)][ \t]*",
    re.M,
)
#: A line that is only a byline: ``本报通讯员 余刚 郑林菲 记者 陈志涛``, ``云南网通讯员李桀``.
_BYLINE_LINE = re.compile(
    rf"^(?:[{HAN}]{{1,8}}(?:报|网|台|社|中心))?(?:本报|本刊|本台)?(?:{BYLINE_ROLES}[:：\s]*{_NAMES}\s*)+(?:报道)?$"
    rf"|^(?:文|图|文字|图片|撰文|文案|摄影|视频)\s*[|｜丨:：/]\s*{_NAMES}$"
)
#: Credits closing a paragraph: ``（朱家和 马锐 娄晓）``, ``(图/文 马玲玉)``, ``【编辑:…】``.
#: It follows the paragraph's last sentence mark (a bracketed list inside a sentence does not).
_END_CREDIT = re.compile(
    rf"(?:(?<=[。！？!?”])|^)\s*[（(](?P<role>{BYLINE_ROLES}|文|图)?[:：\s]*(?P<names>{_NAMES})[）)]$"
)
#: Photo credit lines and the credit tail of a caption: ``本报通讯员 余刚摄``, ``XX供图``.
_CREDIT_TAIL = (
    rf"(?:(?:本报|本刊)?(?:记者|通讯员|摄影记者)?\s*{_NAMES}\s*摄(?:影)?|[{HAN}]{{2,16}}供图"
    rf"|(?:图片|图)来源[:：].{{1,30}}|摄影[:：]\s*{_NAMES})"
)
_CREDIT_LINE = re.compile(rf"^[（(]?{_CREDIT_TAIL}[）)]?$")
_CAPTION_CREDIT = re.compile(rf"\s*[（(]?{_CREDIT_TAIL}[）)]?$")
#: Words every photo credit contains (a fast pre-check for the patterns above).
CREDIT_WORDS = ("摄", "供图", "来源", "摄影")
#: Marker the caption pass puts in front of a caption; the structure stage renders it.
CAPTION_MARK = "▲"
_MARK_CHARS = "▲△↑▼"
#: A caption under a photo is at most this long.
CAPTION_MAX = 60
_CAPTION_MARKERS = re.compile(rf"^(?:[{_MARK_CHARS}]|图为|上图|下图|左图|右图)\s*")
_PROGRESSIVE = re.compile(r"正在|图为")
#: Lead-ins of narration, never of a photo caption (目前，该项目正在建设中。).
_NARRATION = re.compile(r"^(目前|现在|如今|当前|今年|去年|近年来|近日|日前|下一步|同时|此外|据悉|据了解)")
#: What a caption that only names its subject ends with: a place, facility or scene.
_SCENE_NOUN = re.compile(
    r"(中心|站|驿站|现场|一角|全景|外景|场景|活动|仪式|会议|广场|小区|社区|村|街道|食堂|书屋|大厅|室|馆|园|院|厅|楼)。$"
)


def strip_source_lines(text: str) -> str:
    """Remove ``来源：…`` / ``本文转自：…`` lines (metadata keeps them as ``source``)."""
    return keep(text, lambda i, lines: len(lines[i]) <= 60 and bool(_SOURCE.match(lines[i])))


def strip_editor_lines(text: str) -> str:
    """Remove editor, reviewer and proofreader lines (责任编辑：…, 【编辑:…】)."""
    return keep(text, lambda i, lines: len(lines[i]) <= 80 and bool(_EDITOR.match(lines[i])))


def strip_header_meta(text: str) -> str:
    """Remove header lines that pack date, author, source, counters near the top.

    A short line in the first six with a date and no sentence is a header line
    (``360影视 日韩动漫 2025-04-22 19:29 8``); anywhere, a line with two or more
    labels (``作者：… 来源：… 发布时间：…``), one of them a page label rather
    than a word an event notice uses (时间：… 日期：…), is one, and so is a short
    line that starts with a page label (headers that put one field per line).
    """
    def header(i: int, lines: Lines) -> bool:
        line = lines[i]
        if _ORIGINAL_TITLE.match(line):
            return True
        labels = set(_HEADER_LABEL.findall(line))
        if len(line) <= 160 and len(labels) >= 2 and labels & PAGE_LABELS:
            return True
        if len(line) <= 40 and (match := _HEADER_LABEL.match(line)) and match.group(1) in FIELD_LABELS:
            return True  # one field per line: 作者：… / 发布时间：…
        if i >= 6 or not short_plain(line, 80) or "，" in line or not DATE.search(line):
            return False
        words = re.findall(rf"[{HAN}]", DATE.sub("", line))
        return len(words) <= HEADER_WORDS_MAX  # a dated headline has more to say

    return keep(text, header)


def strip_bylines(text: str) -> str:
    """Remove bylines: lead-in ``本报讯（通讯员…）``, byline lines, closing credits."""
    out = []
    for line in _LEAD_BYLINE.sub("", text).split("\n"):
        credit = _END_CREDIT.search(line)
        if credit and (credit.group("role") or re.search(r"[\s、，,]", credit.group("names"))):
            line = line[:credit.start()]
        if line and not (len(line) <= 40 and _BYLINE_LINE.match(line)):
            out.append(line)
    return "\n".join(out)


def mark_captions(text: str) -> str:
    """Mark photo captions with ``▲`` so the structure stage keeps them as captions.

    A caption is a line with a caption marker (▲, 图为), a short line right
    under an image, a line followed by a photo credit line or ending in one, or
    a short single-sentence line between paragraphs that describes a scene
    (``…网格员正在走访。``) or names a place (``南山社区党群服务中心。``).
    """
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.startswith(CAPTION_MARK):
            out.append(CAPTION_MARK + line[len(CAPTION_MARK):].lstrip())
            continue
        marker = _CAPTION_MARKERS.match(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if marker and marker.group(0).strip() in _MARK_CHARS:
            out.append(CAPTION_MARK + line[marker.end():])
        elif marker or _credited(line, nxt) or (i > 0 and _under_image(line, lines[i - 1])) or (
            i > 0 and _scene_line(line, lines[i - 1], nxt)
        ):
            out.append(CAPTION_MARK + line)
        else:
            out.append(line)
    return "\n".join(out)


def _under_image(line: str, before: str) -> bool:
    """A short line of at most one sentence directly under a Markdown image."""
    return bool(IMAGE.match(before)) and not IMAGE.match(line) and len(line) <= CAPTION_MAX and (
        len(SENTENCE.findall(line)) <= 1 and "“" not in line
    )


def _credited(line: str, nxt: str) -> bool:
    """A photo credit follows on the next line, or ends this one-sentence line."""
    if _has_credit(nxt) and _CREDIT_LINE.match(nxt):
        return True
    return _has_credit(line) and bool(_CAPTION_CREDIT.search(line)) and bool(SENTENCE.search(line))


def _has_credit(line: str) -> bool:
    """Cheap test before the credit patterns: every credit holds one of these words."""
    return any(word in line for word in CREDIT_WORDS)


def _scene_line(line: str, before: str, after: str) -> bool:
    """A short one-sentence line between two long paragraphs, in caption style."""
    if not line.endswith("。") or len(SENTENCE.findall(line)) != 1 or "“" in line:
        return False
    if len(before) < 50 or len(after) < 50:
        return False
    if _NARRATION.match(line):
        return False
    if len(line) <= 40 and _PROGRESSIVE.search(line):
        return True
    return len(line) <= 20 and not re.search(r"[，、；：]", line) and bool(_SCENE_NOUN.search(line))


def strip_photo_credits(text: str) -> str:
    """Remove photo credit lines and the credit at the end of a caption."""
    out = []
    for line in text.split("\n"):
        if _has_credit(line) and _CREDIT_LINE.match(line):
            continue
        if line.startswith(CAPTION_MARK):
            line = _CAPTION_CREDIT.sub("", line)
            if line == CAPTION_MARK:
                continue
        out.append(line)
    return "\n".join(out)
