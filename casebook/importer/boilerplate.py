"""Boilerplate passes: page furniture that is not part of the article.

Each pass is a pure ``str -> str`` function over one-paragraph-per-line text
(after :func:`casebook.importer.debris.normalise_lines` and Simplified
conversion, so patterns are written once, in Simplified). Patterns are data:
the vocabularies below describe *kinds* of furniture (spam, legal notices,
footers, counters, pagers, related-link lists) seen across Chinese news sites,
never the wording of one page. The runner in :mod:`casebook.importer.passes`
records every line (and line fragment) a pass removes. Attribution lines
(source, byline, credits) and captions are :mod:`casebook.importer.credits`.
"""

from __future__ import annotations

import re

from .lines import IMAGE, TIMESTAMP, Lines, cut_tail, is_prose, keep, short_plain

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
    # reprint notices in any wording: reprinting or copying next to a permission word
    r"(转载|摘编|复制|转发).{0,12}(注明|授权|联系|同意|许可)", r"(未经|禁止|不得|严禁|谢绝).{0,12}(转载|摘编|复制)",
    r"原创保护", r"(转载|来源)(自|于)网络", r"仅供(学习|交流|参考)",
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
    r"关注\s*[“「《【\"].{1,16}[”」》】\"]", r"下载.{0,12}(客户端|APP|App|app)", r"更多精彩", r"看更多",
    r"^关注.{1,16}[，,].{0,8}(获取|了解|第一时间|看更多|不错过)",
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
    rf"^[（(]?{TIMESTAMP}[）)]?$",
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
RELATED_HEADERS = (
    "相关推荐", "相关阅读", "相关新闻", "相关文章", "相关链接", "推荐阅读", "延伸阅读",
    "热门推荐", "猜你喜欢", "更多精彩", "精彩推荐", "往期回顾", "热点推荐", "热门文章",
    "往期推荐", "往期精选", "精彩回顾", "热文推荐", "更多阅读", "推荐文章",
)
#: The same headers in other combinations: a qualifier and a kind of list (最新文章, 为你推荐, 大家都在看).
RELATED_SHAPE = (r"(?:最新|热门|相关|推荐|精彩|往期|延伸|更多|今日|为你|大家都在|热点|猜你|24小时|本周|今日)"
                 r"(?:推荐|阅读|文章|新闻|资讯|报道|看|回顾|精选|喜欢|热榜|排行|榜单)")
PLACEHOLDERS = r"(资料图片?|图片|组图|配图|插图|视频|音频|点击播放|点击(?:查看)?大图|视频加载中\.*|图)"
KEYWORD_LABELS = r"(关键词|关键字|标签|Tags?|TAG)"
DIGEST_LABELS = r"(摘要|导读|内容摘要|内容提要|提要)"
_TIMESTAMP_LINE = re.compile(rf"^{TIMESTAMP}$|\s{TIMESTAMP}$")
#: A teaser that opens with its date: ``[06-02] 某地推进…``, ``2024-06-01 某地开展…``.
_DATED_TEASER = re.compile(r"^[\[【(（]?(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}[\]】)）]?\s+\S")
_SPAM = re.compile("|".join(re.escape(w) for w in SPAM_WORDS), re.I)
_SPAM_STRONG = re.compile("|".join(re.escape(w) for w in SPAM_STRONG), re.I)
_NOTICE = re.compile("|".join(NOTICE_PATTERNS), re.I)
_FOOTER_STRONG = re.compile("|".join(FOOTER_STRONG), re.I)
_FOOTER_WEAK = re.compile("|".join(FOOTER_WEAK))
_PROMO = re.compile("|".join(PROMO_PATTERNS))
_PROMO_WEAK = re.compile("|".join(PROMO_WEAK))
#: Quoted speech (a quotation longer than an account or brand name).
_SPEECH = re.compile(r"“[^”]{13,}”?")
_FURNITURE = re.compile("|".join(FURNITURE_PATTERNS), re.I)
#: ``(完)`` / ``【END】`` right after a paragraph's last sentence mark.
_END_MARK = re.compile(r"(?<=[。！？!?”])[ \t]*[（(【\[]\s*(?:完|全文完|END)\s*[）)】\]]$", re.M | re.I)
_NAV_SEPARATORS = re.compile(r"\s*[|｜丨]\s*")
_REPOST = re.compile(r"^(本文)?(转自|转载自)\s*[:：]")
_RELATED = re.compile(
    rf"^[【\[]?(?:{'|'.join(RELATED_HEADERS)}|{RELATED_SHAPE})[】\]]?\s*[:：]?$"
)
_PLACEHOLDER_LINE = re.compile(rf"^[【\[〔（(]\s*{PLACEHOLDERS}\s*[】\]〕）)]$|^{PLACEHOLDERS}$")
_PLACEHOLDER_HINT = re.compile(rf"[【\[〔（(]\s*{PLACEHOLDERS}|^{PLACEHOLDERS}$", re.M)
_PLACEHOLDER_INLINE = re.compile(rf"[【\[〔]\s*{PLACEHOLDERS}\s*[】\]〕]")
_KEYWORDS = re.compile(rf"^{KEYWORD_LABELS}\s*[:：]", re.I)
_DIGEST = re.compile(rf"^{DIGEST_LABELS}\s*[:：]\s*(?P<text>.+?)(…|\.\.\.)*$")
_BREADCRUMB = re.compile(
    r"^(首页|网站首页|主页|当前位置|您的位置|您当前的位置|你的位置|位置)\s*[:：]?\s*.{0,8}?[>＞»›]"
)
#: "You are here" labels: the trail after them needs no ``>`` (当前位置：首页 新闻中心 基层动态).
_HERE = re.compile(r"^[【\[]?(当前位置|您的位置|您当前的位置|您现在的位置|你的位置|所在位置|当前页面)[】\]]?\s*[:：]")
#: A trail that starts at the home page and names short sections, whatever separates them.
_HOME_TRAIL = re.compile(r"^(首页|网站首页|主页)(\s*[\s/|｜>＞»›-]\s*[^\s/|｜>＞»›。，]{1,8}){2,}$")
_CRUMB_SEPARATORS = re.compile(r"\s*[>＞»›]\s*")


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
        return bool(_DATED_TEASER.match(line)) and short_plain(line, 60)

    def start(lines: Lines) -> int | None:
        stamps = [i for i, line in enumerate(lines) if stamped(line)]
        late = [i for i in stamps if i >= len(lines) // 2]
        if len(late) < 2:
            return None
        first = late[0]
        return first - 1 if first > 0 and _TIMESTAMP_LINE.match(lines[first]) else first

    return cut_tail(text, start)


def strip_related_links(text: str) -> str:
    """Cut a "相关推荐"-style block and the link list that follows it."""
    def start(lines: Lines) -> int | None:
        for i, line in enumerate(lines):
            if i >= len(lines) // 3 and _RELATED.match(line):
                return i
        return None

    return cut_tail(text, start)


def strip_platform_notices(text: str) -> str:
    """Remove disclaimers, platform notices and crawler snapshot notices."""
    return keep(text, lambda i, lines: len(lines[i]) <= 300 and bool(_NOTICE.search(lines[i])))


def strip_site_footer(text: str) -> str:
    """Remove copyright, licence, hotline lines and navigation bars.

    Words such as 主办 or 电话： also occur in the article (an event's organiser, a
    number to call for a new service), so they count only below its last paragraph.
    """
    end = max((i for i, line in enumerate(text.split("\n")) if is_prose(line)), default=-1)

    def footer(i: int, lines: Lines) -> bool:
        line = lines[i]
        if len(line) <= 200 and _FOOTER_STRONG.search(line):
            return True
        if i > end and short_plain(line, 80) and _FOOTER_WEAK.search(line):
            return True
        parts = _NAV_SEPARATORS.split(line)
        return len(parts) >= 4 and all(len(p) <= 10 for p in parts)

    return keep(text, footer)


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
        if repost is not None and i < repost and not (i == 0 and short_plain(line, 40)):
            return True
        if _SPEECH.search(line) or len(line) > 150:
            return False  # a resident's words about 扫码 are the article's
        if PROMO_ZONE <= i < len(lines) - PROMO_ZONE and line.endswith("。"):
            return False
        return bool(_PROMO.search(line)) or len(set(_PROMO_WEAK.findall(line))) >= 3

    return keep(text, promo)


def strip_images(text: str) -> str:
    """Remove Markdown image lines: the site does not hotlink others' photos (a photo kept
    with ``--images`` is a line of its own shape, :data:`~casebook.importer.lines.PICTURE`).

    They run after :func:`mark_captions`, which uses them to find captions; the
    report keeps each image address for an editor who wants the photo.
    """
    return keep(text, lambda i, lines: bool(IMAGE.match(lines[i])))


def strip_image_placeholders(text: str) -> str:
    """Remove image placeholders such as ``【资料图】`` and ``[图片]``."""
    if not _PLACEHOLDER_HINT.search(text):
        return text
    kept = (line for line in text.split("\n") if not _PLACEHOLDER_LINE.match(line))
    lines = (_PLACEHOLDER_INLINE.sub("", line).strip() for line in kept)
    return "\n".join(line for line in lines if line)


def strip_app_furniture(text: str) -> str:
    """Remove e-paper and app furniture: pagers, edition labels, counters, share bars,
    and an end mark glued to the last sentence (``…共2次。(完)``)."""
    text = _END_MARK.sub("", text)
    return keep(text, lambda i, lines: short_plain(lines[i], 60) and bool(_FURNITURE.search(lines[i])))


def strip_keyword_lines(text: str) -> str:
    """Remove ``关键词：…`` / ``标签：…`` lines."""
    return keep(text, lambda i, lines: len(lines[i]) <= 80 and bool(_KEYWORDS.match(lines[i])))


def strip_breadcrumbs(text: str) -> str:
    """Remove breadcrumb trails (``首页 > 新闻 > 正文``, ``当前位置：首页 新闻中心 基层动态``)."""
    def crumb(i: int, lines: Lines) -> bool:
        line = lines[i]
        if not short_plain(line, 80):
            return False
        return bool(_BREADCRUMB.match(line) or _HERE.match(line) or _HOME_TRAIL.match(line)) or len(
            _CRUMB_SEPARATORS.findall(line)) >= 2

    return keep(text, crumb)


def strip_digest_duplicates(text: str) -> str:
    """Remove a ``摘要：…`` line that repeats (truncated) a paragraph of the article."""
    lines = text.split("\n")

    def duplicate(i: int, lines: Lines) -> bool:
        match = _DIGEST.match(lines[i])
        if not match:
            return False
        head = match.group("text")[:40]
        return any(head in other for j, other in enumerate(lines) if j != i)

    return keep("\n".join(lines), duplicate)


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
        and short_plain(headline, 60)
        and len(lead) > 40
    )
