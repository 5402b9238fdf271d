"""Boilerplate passes: page furniture that is not part of the article.

Each pass is a pure ``str -> str`` function over one-paragraph-per-line text
(after :func:`casebook.importer.debris.normalise_lines` and Simplified
conversion, so patterns are written once, in Simplified). Patterns are data:
the vocabularies below describe *kinds* of furniture (labels, counters,
separators, legal notices) seen across Chinese news sites, never the wording of
one page. The runner in :mod:`casebook.importer.passes` records every line (and
line fragment) a pass removes, and :mod:`casebook.importer.metadata` reads
``source``, ``authors`` and ``date`` back out of those removals.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .hanzi import HAN

Lines = list[str]

# --- vocabularies -------------------------------------------------------------

#: A date with an optional time, as pages print them.
_TIMESTAMP = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"

#: Words that only occur in pornography/gambling/video link farms.
SPAM_STRONG = (
    "毛片", "蜘蛛池", "无码", "色综合", "在线观看", "免费观看", "偷拍", "国产精品", "中文字幕",
    "伦理片", "色情", "博彩", "娱乐城", "代孕", "一区二区", "人妻", "下载大全", "xxx",
)
#: Words link farms use that prose uses too (福利院, 精品课程, 视频会议): they only
#: add weight to a line that already has a strong spam word.
SPAM_WEAK = (
    "午夜", "福利", "高清", "精品", "日韩", "欧美", "亚洲", "av", "彩票", "棋牌", "影院", "影视",
    "动漫", "视频", "久久", "天天", "成人",
)
SPAM_WORDS = SPAM_STRONG + SPAM_WEAK
#: A masthead or channel label above the headline is at most this long.
MASTHEAD_MAX = 12
_OUTLET_NAME = re.compile(r"(网|报|频道|新闻|要闻|专题|栏目|资讯|客户端|融媒|号|在线|快讯)$")
#: A line keeps its head when at least this long once trailing spam words are cut.
SPAM_HEAD_MIN = 8
#: Legal and platform notices, crawler snapshot notices.
NOTICE_PATTERNS = (
    r"特别声明", r"免责声明", r"版权声明[:：]", r"^声明[:：]", r"Notice\s*:", r"The content above",
    r"NetEase", r"凡本[网站报]注明", r"转载目的在于", r"不代表本[网站平台号].{0,4}(观点|立场)",
    r"仅提供信息存储", r"如有侵权", r"侵权.{0,8}删除", r"快照", r"爬虫", r"采集并收录",
    r"原文地址", r"本站未对", r"非营利.{0,4}服务", r"版权归原作者", r"联系.{0,6}删除",
)
#: Site footers: copyright, licences, record numbers, hotlines.
FOOTER_STRONG = (
    r"Copyright", r"©", r"版权所有", r"All Rights Reserved", r"ICP[备证]", r"备案号",
    r"网宣备", r"公网安备", r"增值电信", r"不良信息举报", r"举报(电话|邮箱)", r"新闻信息服务许可",
)
#: Footer words that also occur in prose; they count only on short unpunctuated lines.
FOOTER_WEAK = (
    r"主办", r"承办", r"协办", r"技术支持", r"联系我们", r"关于我们", r"网站地图",
    r"设为首页", r"加入收藏", r"热线(电话)?[:：]", r"客服(电话)?[:：]", r"电话[:：]\s*\d",
)
#: Subscription and promotion blurbs addressed to the reader.
PROMO_PATTERNS = (
    r"订阅", r"扫码", r"二维码", r"长按识别", r"点击(关注|上方|下方|蓝字|阅读原文)",
    r"关注(我们|公众号|微信)", r"阅读原文", r"欢迎(关注|转发|分享)", r"转发给", r"戳这里", r"扫一扫",
)
#: Promotion sits in the first or last this many lines of a page.
PROMO_ZONE = 5
#: Reader-facing "news feed" talk: promotional when two or more occur in one line.
PROMO_WEAK = (r"您", r"资讯", r"第一时间", r"感兴趣", r"推荐", r"海量", r"信息")
#: App and e-paper furniture: pagers, counters, share widgets, edition labels.
FURNITURE_PATTERNS = (
    r"^(上一(篇|条|页|版|期)|下一(篇|条|页|版|期)|返回(顶部|首页|列表|目录)?|打印(本页|此页)?|关闭(窗口)?)",
    r"^(分享到|分享|收藏|字号|放大|缩小|默认|大\s*中\s*小)\b",
    r"^(评论|点赞|在看|转发|收藏|分享|举报|赞|写评论|发表评论)\s*\d*$",
    r"(数字报|电子版|数字报刊|报纸版|手机版)$",
    rf"^[（(]?{_TIMESTAMP}[）)]?$",
    r"^[【\[]?(纠错|打印|关闭|收藏|返回顶部|字体[:：]?.{0,8})[】\]]?$",
    r"^[（(【\[]?\s*(完|END|全文完)\s*[）)】\]]?$", r"^-+\s*END\s*-+$",
    r"^(分享|点赞|在看|收藏|转发|评论|推荐)(\s+(分享|点赞|在看|收藏|转发|评论|推荐))+$",
    # the reading platform's own interface text around a reposted article
    r"预览时标签不可点|继续滑动看下一个|向上滑动看下一个|轻触阅读原文|关注该公众号|微信扫一扫|^\+?\s*关注$|举报/反馈",
    r"(打开|下载|前往)\s*APP|APP\s*内(打开|阅读)|客户端(阅读|打开)",
    r"(阅读|浏览|点击|点赞|在看|转发|评论|收藏|分享)(量|数|次数)?\s*[:：]?\s*\d+",
    r"\d+\s*(人)?(阅读|浏览|点赞|在看|评论|转发|收藏)",
    r"第\s*[0-9０-９]+\s*版", r"版次|版面|版名", r"(放大|缩小)\s*(放大|缩小|默认)",
)
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
RELATED_HEADERS = (
    "相关推荐", "相关阅读", "相关新闻", "相关文章", "相关链接", "推荐阅读", "延伸阅读",
    "热门推荐", "猜你喜欢", "更多精彩", "精彩推荐", "往期回顾", "热点推荐", "热门文章",
    "往期推荐", "往期精选", "精彩回顾", "热文推荐", "更多阅读", "推荐文章",
)
#: What follows a label: a colon, or the bar WeChat-style posts use (``来源 | 北京日报``).
LABEL_SEPARATOR = r"[:：|｜丨]"
PLACEHOLDERS = r"(资料图片?|图片|组图|配图|插图|视频|音频|点击播放|点击(?:查看)?大图|视频加载中\.*|图)"
KEYWORD_LABELS = r"(关键词|关键字|标签|Tags?|TAG)"
DIGEST_LABELS = r"(摘要|导读|内容摘要|内容提要|提要)"

# --- compiled shapes ----------------------------------------------------------

_SENTENCE = re.compile(r"[。！？!?]")
_TIMESTAMP_LINE = re.compile(rf"^{_TIMESTAMP}$|\s{_TIMESTAMP}$")
#: A teaser that opens with its date: ``[06-02] 某地推进…``, ``2024-06-01 某地开展…``.
_DATED_TEASER = re.compile(r"^[\[【(（]?(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}[\]】)）]?\s+\S")
_DATE = re.compile(_TIMESTAMP)
_NAME = rf"[{HAN}·]{{2,4}}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME})*"
_SPAM = re.compile("|".join(re.escape(w) for w in SPAM_WORDS), re.I)
_SPAM_STRONG = re.compile("|".join(re.escape(w) for w in SPAM_STRONG), re.I)
_NOTICE = re.compile("|".join(NOTICE_PATTERNS), re.I)
_FOOTER_STRONG = re.compile("|".join(FOOTER_STRONG), re.I)
_FOOTER_WEAK = re.compile("|".join(FOOTER_WEAK))
_PROMO = re.compile("|".join(PROMO_PATTERNS))
_PROMO_WEAK = re.compile("|".join(PROMO_WEAK))
_FURNITURE = re.compile("|".join(FURNITURE_PATTERNS), re.I)
_NAV_SEPARATORS = re.compile(r"\s*[|｜丨]\s*")
_HEADER_LABEL = re.compile(HEADER_LABELS)
_ORIGINAL_TITLE = re.compile(r"^[【\[]?原(标题|题)\s*[:：]")
_EDITOR = re.compile(rf"^[【\[（(]?\s*{EDITOR_LABELS}\s*{LABEL_SEPARATOR}")
_SOURCE = re.compile(rf"^[【\[（(]?\s*{SOURCE_LABELS}\s*{LABEL_SEPARATOR}")
_REPOST = re.compile(r"^(本文)?(转自|转载自)\s*[:：]")
_RELATED = re.compile(rf"^[【\[]?({'|'.join(RELATED_HEADERS)})[】\]]?\s*[:：]?$")
_PLACEHOLDER_LINE = re.compile(rf"^[【\[〔（(]\s*{PLACEHOLDERS}\s*[】\]〕）)]$|^{PLACEHOLDERS}$")
_PLACEHOLDER_HINT = re.compile(rf"[【\[〔（(]\s*{PLACEHOLDERS}|^{PLACEHOLDERS}$", re.M)
_PLACEHOLDER_INLINE = re.compile(rf"[【\[〔]\s*{PLACEHOLDERS}\s*[】\]〕]")
_KEYWORDS = re.compile(rf"^{KEYWORD_LABELS}\s*[:：]", re.I)
_DIGEST = re.compile(rf"^{DIGEST_LABELS}\s*[:：]\s*(?P<text>.+?)(…|\.\.\.)*$")
_BREADCRUMB = re.compile(
    r"^(首页|网站首页|主页|当前位置|您的位置|您当前的位置|你的位置|位置)\s*[:：]?\s*.{0,8}?[>＞»›]"
)
_CRUMB_SEPARATORS = re.compile(r"\s*[>＞»›]\s*")
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
#: A Markdown image line, as trafilatura writes the photos of an HTML page.
_IMAGE = re.compile(r"^!\[[^\]\n]*\]\([^)\n]*\)$")
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


# --- helpers ------------------------------------------------------------------

def _keep(text: str, drop: Callable[[int, Lines], bool]) -> str:
    """Apply a line predicate, given each line's index and all lines for context."""
    lines = text.split("\n")
    return "\n".join(line for i, line in enumerate(lines) if not drop(i, lines))


def _cut_tail(text: str, start: Callable[[Lines], int | None]) -> str:
    """Drop everything from the line ``start`` returns to the end."""
    lines = text.split("\n")
    index = start(lines)
    return text if index is None else "\n".join(lines[:index])


def _short_plain(line: str, limit: int) -> bool:
    """Short and without sentence punctuation: the shape of page furniture."""
    return len(line) <= limit and not _SENTENCE.search(line)


# --- passes -------------------------------------------------------------------

def strip_link_spam(text: str) -> str:
    """Remove link-farm lines, and spam words glued onto a line with real content.

    A line goes when it has a strong spam word and three spam words in all, or a
    strong one inside a ``|``-separated list; a headline with spam words
    appended after a space (``…新生活 免费在线观看 高清影视``) keeps its headline.

    >>> strip_link_spam("正文。\\n主站蜘蛛池模板: 毛片在线观看| 国产精品| 欧美视频")
    '正文。'
    """
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        while len(words) > 1 and _spam_hits(words[-1]):
            words.pop()
        head, tail = " ".join(words), line[len(" ".join(words)):]
        if tail and _SPAM_STRONG.search(tail) and len(head) >= SPAM_HEAD_MIN and not _spam_hits(head):
            out.append(head)
            continue
        if _SPAM_STRONG.search(line) and (_spam_hits(line) >= 3 or len(_NAV_SEPARATORS.findall(line)) >= 3):
            continue
        out.append(line)
    return "\n".join(out)


def _spam_hits(text: str) -> int:
    """Distinct spam words (strong or weak) in ``text``."""
    return len(set(m.group(0).lower() for m in _SPAM.finditer(text)))


def strip_trailing_news(text: str) -> str:
    """Cut a list of unrelated news teasers with timestamps after the article.

    Two or more timestamp lines in the second half of the page mark the list
    (a stamp on its own line, ending a teaser, or opening a short teaser); it
    starts at the teaser above the first stamp that stands alone.
    """
    def stamped(line: str) -> bool:
        if _TIMESTAMP_LINE.search(line):
            return len(line) <= 120
        return bool(_DATED_TEASER.match(line)) and _short_plain(line, 60)

    def start(lines: Lines) -> int | None:
        stamps = [i for i, line in enumerate(lines) if stamped(line)]
        late = [i for i in stamps if i >= len(lines) // 2]
        if len(late) < 2:
            return None
        first = late[0]
        return first - 1 if first > 0 and _TIMESTAMP_LINE.match(lines[first]) else first

    return _cut_tail(text, start)


def strip_related_links(text: str) -> str:
    """Cut a "相关推荐"-style block and the link list that follows it."""
    def start(lines: Lines) -> int | None:
        for i, line in enumerate(lines):
            if i >= len(lines) // 3 and _RELATED.match(line):
                return i
        return None

    return _cut_tail(text, start)


def strip_platform_notices(text: str) -> str:
    """Remove disclaimers, platform notices and crawler snapshot notices."""
    return _keep(text, lambda i, lines: len(lines[i]) <= 300 and bool(_NOTICE.search(lines[i])))


def strip_site_footer(text: str) -> str:
    """Remove copyright, licence, hotline lines and navigation bars."""
    def footer(i: int, lines: Lines) -> bool:
        line = lines[i]
        if len(line) <= 200 and _FOOTER_STRONG.search(line):
            return True
        if _short_plain(line, 80) and _FOOTER_WEAK.search(line):
            return True
        parts = _NAV_SEPARATORS.split(line)
        return len(parts) >= 4 and all(len(p) <= 10 for p in parts)

    return _keep(text, footer)


def strip_promo_blurbs(text: str) -> str:
    """Remove subscription and promotion blurbs, and a reposting site's preamble.

    A line reading ``本文转自：…`` near the top marks where the reposted article
    starts: the lines above it (except a headline) are the host site's talk.
    Elsewhere a promo line must sit in the page's top or bottom
    :data:`PROMO_ZONE` lines or not read as a sentence, because articles about
    digital services say 扫码 and 二维码 in their own sentences.
    """
    lines = text.split("\n")
    repost = next((i for i, line in enumerate(lines[:10]) if _REPOST.match(line)), None)

    def promo(i: int, lines: Lines) -> bool:
        line = lines[i]
        if repost is not None and i < repost and not (i == 0 and _short_plain(line, 40)):
            return True
        if "“" in line or len(line) > 150:
            return False
        if PROMO_ZONE <= i < len(lines) - PROMO_ZONE and line.endswith("。"):
            return False
        return bool(_PROMO.search(line)) or len(set(_PROMO_WEAK.findall(line))) >= 3

    return _keep(text, promo)


def strip_source_lines(text: str) -> str:
    """Remove ``来源：…`` / ``本文转自：…`` lines (metadata keeps them as ``source``)."""
    return _keep(text, lambda i, lines: len(lines[i]) <= 60 and bool(_SOURCE.match(lines[i])))


def strip_editor_lines(text: str) -> str:
    """Remove editor, reviewer and proofreader lines (责任编辑：…, 【编辑:…】)."""
    return _keep(text, lambda i, lines: len(lines[i]) <= 80 and bool(_EDITOR.match(lines[i])))


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
        if i >= 6 or not _short_plain(line, 80) or "，" in line or not _DATE.search(line):
            return False
        words = re.findall(rf"[{HAN}]", _DATE.sub("", line))
        return len(words) <= HEADER_WORDS_MAX  # a dated headline has more to say

    return _keep(text, header)


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
    return bool(_IMAGE.match(before)) and not _IMAGE.match(line) and len(line) <= CAPTION_MAX and (
        len(_SENTENCE.findall(line)) <= 1 and "“" not in line
    )


def strip_images(text: str) -> str:
    """Remove Markdown image lines (HTML input): the site does not hotlink others' photos.

    They run after :func:`mark_captions`, which uses them to find captions; the
    report keeps each image address for an editor who wants the photo.
    """
    return _keep(text, lambda i, lines: bool(_IMAGE.match(lines[i])))


def _credited(line: str, nxt: str) -> bool:
    """A photo credit follows on the next line, or ends this one-sentence line."""
    if _has_credit(nxt) and _CREDIT_LINE.match(nxt):
        return True
    return _has_credit(line) and bool(_CAPTION_CREDIT.search(line)) and bool(_SENTENCE.search(line))


def _has_credit(line: str) -> bool:
    """Cheap test before the credit patterns: every credit holds one of these words."""
    return any(word in line for word in CREDIT_WORDS)


def _scene_line(line: str, before: str, after: str) -> bool:
    """A short one-sentence line between two long paragraphs, in caption style."""
    if not line.endswith("。") or len(_SENTENCE.findall(line)) != 1 or "“" in line:
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


def strip_image_placeholders(text: str) -> str:
    """Remove image placeholders such as ``【资料图】`` and ``[图片]``."""
    if not _PLACEHOLDER_HINT.search(text):
        return text
    kept = (line for line in text.split("\n") if not _PLACEHOLDER_LINE.match(line))
    lines = (_PLACEHOLDER_INLINE.sub("", line).strip() for line in kept)
    return "\n".join(line for line in lines if line)


def strip_app_furniture(text: str) -> str:
    """Remove e-paper and app furniture: pagers, edition labels, counters, share bars."""
    return _keep(text, lambda i, lines: _short_plain(lines[i], 60) and bool(_FURNITURE.search(lines[i])))


def strip_keyword_lines(text: str) -> str:
    """Remove ``关键词：…`` / ``标签：…`` lines."""
    return _keep(text, lambda i, lines: len(lines[i]) <= 80 and bool(_KEYWORDS.match(lines[i])))


def strip_breadcrumbs(text: str) -> str:
    """Remove breadcrumb trails (``首页 > 新闻 > 正文``)."""
    def crumb(i: int, lines: Lines) -> bool:
        line = lines[i]
        if not _short_plain(line, 80):
            return False
        return bool(_BREADCRUMB.match(line)) or len(_CRUMB_SEPARATORS.findall(line)) >= 2

    return _keep(text, crumb)


def strip_digest_duplicates(text: str) -> str:
    """Remove a ``摘要：…`` line that repeats (truncated) a paragraph of the article."""
    lines = text.split("\n")

    def duplicate(i: int, lines: Lines) -> bool:
        match = _DIGEST.match(lines[i])
        if not match:
            return False
        head = match.group("text")[:40]
        return any(head in other for j, other in enumerate(lines) if j != i)

    return _keep("\n".join(lines), duplicate)


def strip_masthead(text: str) -> str:
    """Remove a short site or channel name standing above the headline.

    At the top, a line of at most :data:`MASTHEAD_MAX` characters without
    punctuation that reads like an outlet or channel (four characters or fewer,
    or ending in 网, 报, 频道…), followed by a longer unpunctuated line (the
    headline) and a paragraph, is the page's masthead (``要闻``, ``XX新闻网``).
    A short headline over a subtitle does not qualify.
    """
    lines = text.split("\n")
    if len(lines) >= 3 and _is_masthead(lines[0], lines[1], lines[2]):
        return "\n".join(lines[1:])
    return text


def _is_masthead(first: str, headline: str, lead: str) -> bool:
    return (
        len(first) <= MASTHEAD_MAX
        and (len(first) <= 4 or bool(_OUTLET_NAME.search(first)))
        and not re.search(r"[，。、：:！？!?“”]", first)
        and len(headline) > len(first)
        and _short_plain(headline, 60)
        and len(lead) > 40
    )
