"""Interface furniture: toolbars and widgets, comment threads, and what stands around
the article that has nothing to do with it.

Pure ``str -> str`` passes over one-paragraph-per-line Simplified text, like
:mod:`casebook.importer.boilerplate`, but judged by shape rather than by phrases:

* a *widget line* is short and made mostly of interface words (share, font size,
  accessibility, search, counters, reactions, player controls), whatever their
  order, brackets or separators; a fragment of such a word counts too, because
  damaged text (mojibake repairs) often keeps only part of it;
* a *comment* opens with a user name and a time stamp (``合肥妈妈 10-11 15:22 …``)
  or sits under a comment header;
* lines *around* the article (above the headline, below the last paragraph) are
  furniture when they share almost no vocabulary with the article: navigation,
  link-farm spam in words no list knows, sidebars and recommendation lists of
  unrelated headlines. The article's own headline, captions and closing lines
  share its words.

Thresholds are in ``settings.toml`` under ``[furniture]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .credits import CAPTION_MARK
from .hanzi import HAN
from .lines import SENTENCE, Lines, is_prose, keep
from .settings import setting

#: Words of page interfaces: sharing, reading aids, search, counters, reactions, players.
WIDGET_WORDS = (
    "分享", "分享至", "分享到", "分享让更多人看到", "微信", "朋友圈", "微博", "新浪微博", "QQ空间", "QQ好友", "QQ",
    "复制链接", "二维码", "字号", "小字号", "中字号", "大字号", "字体", "大", "中", "小", "默认", "打印", "打印本页",
    "关闭", "关闭窗口", "纠错", "我要纠错", "收藏", "加入收藏", "返回顶部", "顶部", "无障碍", "无障碍浏览", "长辈版",
    "关怀版", "老年模式", "适老化", "配色", "大鼠标", "十字光标", "光标", "语音播报", "语音", "播报", "指读", "连读",
    "增加音量", "减小音量", "音量", "重置", "退出", "简体", "繁体", "读屏", "放大", "缩小", "纯文本", "站内搜索",
    "全站搜索", "搜索", "高级搜索", "请输入关键字", "请输入关键词", "请输入", "加载中", "标题导航", "评论",
    "我要评论", "发表评论", "写评论", "网友评论", "条评论", "参与评论", "好文", "泪奔", "愤怒", "搞笑", "感动",
    "开心", "难过", "震惊", "无聊", "新奇", "点赞", "在看", "赞", "关注", "已关注", "取消关注", "播放", "暂停",
    "全屏", "静音", "倍速", "重播", "视频", "登录", "注册", "举报", "回复", "更多", "展开", "收起", "阅读全文",
)
#: Comment-thread headers: everything after one in the page's lower part is comments.
COMMENT_HEADERS = (
    "网友评论", "全部评论", "热门评论", "最新评论", "精选评论", "精选留言", "写留言", "留言", "评论区", "评论",
    "发表评论", "我要评论", "网友留言", "读者留言", "相关评论",
)
WIDGET_MAX = setting("furniture", "widget_max")
WIDGET_SHARE = setting("furniture", "widget_share")
OVERLAP_MIN = setting("furniture", "overlap_min")
OVERLAP_TITLE = setting("furniture", "overlap_title")
COMMENT_ZONE = setting("furniture", "comment_zone")
COMMENT_MIN = setting("furniture", "comment_min")

_WIDGETS = frozenset(WIDGET_WORDS)
_WIDGET_TEXT = "\n".join(WIDGET_WORDS)
#: What separates widget words: brackets, bars, marks, digits, times, spaces.
_WIDGET_SPLIT = re.compile(r"[\s|｜丨/·•:：()（）【】\[\]「」<>《》,，、.…\-–—+0-9０-９]+")
_TIME = (r"(?:\d{4}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?\s+\d{1,2}:\d{2}"
         r"|\d+\s*(?:秒|分钟|小时|天)前|刚刚|昨天\s*\d{1,2}:\d{2}")
#: A comment: a user name, a time, then the comment (``蜀山小王 10-11 16:40 点个赞``), a
#: reader's name and a colon (``网友“大良阿坤”：…``), a reply (``└ 回复@大良阿坤：…``).
_COMMENT = re.compile(
    rf"^\S{{1,16}}\s+(?:{_TIME})(?:\s|$)|IP属地|^来自\S{{2,8}}的网友"
    r"|^网友\s*[“\"「]?[^”\"」：:\s]{1,16}[”\"」]?\s*[:：]|^[└├┗↳]?\s*回复\s*@"
)
_COMMENT_HEADER = re.compile(rf"^[【\[]?(?:{'|'.join(COMMENT_HEADERS)})[】\]]?\s*[（(]?\d*[）)]?\s*[:：]?$")
#: Separators of a menu or a crumb trail written without ``>``.
_MENU_SPLIT = re.compile(r"\s+|[|｜丨]")
_HAN_RE = re.compile(rf"[{HAN}]")
#: Sentence and clause marks: a line holding one is text, not a menu or a headline; so is
#: a label (编者按：). A colon inside a line is headline style (福建厦门：海沧区…).
_CLAUSE = re.compile(r"[。！？!?，,；;]|[：:]$")


def strip_widget_lines(text: str) -> str:
    """Remove short lines made mostly of interface words, in any order and wrapping.

    >>> strip_widget_lines("正文。\\n【字号 大 中 小】 【打印】\\n分享让更多人看到")
    '正文。'
    """
    return keep(text, lambda i, lines: is_widget_line(lines[i]))


def is_widget_line(line: str) -> bool:
    """At most :data:`WIDGET_MAX` characters, no sentence, and at least
    :data:`WIDGET_SHARE` of its letters in interface words (or fragments of them)."""
    if len(line) > WIDGET_MAX or SENTENCE.search(line.rstrip("!！?？")):
        return False
    parts = [p for p in _WIDGET_SPLIT.split(line) if p]
    letters = sum(len(p) for p in parts)
    if not letters:
        return False
    whole = [p for p in parts if _widget_word(p)]
    # a fragment (长辈 of 长辈版, left by a damaged encoding) counts beside whole words only
    fragments = [p for p in parts if p not in whole and len(p) >= 2 and p in _WIDGET_TEXT] if whole else []
    return sum(len(p) for p in whole + fragments) / letters >= WIDGET_SHARE


def _widget_word(part: str) -> bool:
    """An interface word, or two of them glued together (小字号大字号, 分享收藏)."""
    return part in _WIDGETS or any(part.startswith(w) and part[len(w):] in _WIDGETS for w in _WIDGETS if len(w) >= 2)


def strip_comment_threads(text: str) -> str:
    """Remove reader comments: a thread under a comment header in the page's lower part,
    and, in that part, a thread of :data:`COMMENT_MIN` or more comment lines (a name,
    a time, the comment) without a header.
    """
    lines = text.split("\n")
    start = int(len(lines) * (1 - COMMENT_ZONE))
    header = next((i for i in range(max(start, 1), len(lines)) if _COMMENT_HEADER.match(lines[i])), None)
    if header is not None:
        lines = lines[:header]
    comments = {i for i in range(start, len(lines)) if _COMMENT.search(lines[i])}
    if len(comments) < COMMENT_MIN:
        return "\n".join(lines)  # one dated line is an event in the article, not a thread
    return keep("\n".join(lines), lambda i, _: i in comments)


def strip_unrelated_surroundings(text: str) -> str:
    """Remove lines above the headline and below the last paragraph that share almost
    no vocabulary with the article (menus, spam, sidebars, unrelated headline lists).

    The article's vocabulary is the set of character pairs of its lines of running
    text (any line with a sentence or clause mark); its span runs from the first to
    the last prose line (:func:`~casebook.importer.lines.is_prose`). Above the first prose line, the
    headline is the first line sharing the article's words (else the line right above
    the lead, kept unless it reads as a menu); lines between it and the lead stay
    (subtitles, a WeChat post's opening lines). Lines above the headline and below the
    last prose line go when under :data:`OVERLAP_MIN` of their pairs are the article's.
    Only headline-shaped lines (no sentence or clause mark) can go: captions, labels
    (``编者按：``) and the short lines WeChat posts break their sentences into stay.
    """
    lines = text.split("\n")
    prose = [i for i, line in enumerate(lines) if is_prose(line)]
    if not prose:
        return text
    # the article's words: its prose, and every line of running text (WeChat posts break
    # sentences into short lines that end at a comma)
    vocabulary = _pairs(line for line in lines if _CLAUSE.search(line) or is_prose(line))
    first, last = prose[0], prose[-1]
    shares = {i: _overlap(line, vocabulary) for i, line in enumerate(lines) if not first <= i <= last}
    # the headline: the first line above the lead that shares its words, else the line right above it
    headline = next((i for i in range(first) if shares[i] >= OVERLAP_MIN and not _is_menu(lines[i])), first - 1)

    def unrelated(i: int, lines: Lines) -> bool:
        line = lines[i]
        if first <= i <= last or line.startswith(CAPTION_MARK) or _CLAUSE.search(line):
            return False  # the article, a caption, or a line of it (WeChat posts break lines at commas)
        if i == headline:
            return _is_menu(line) and shares[i] < OVERLAP_TITLE
        if headline < i < first:
            return False  # between headline and lead: a subtitle, a WeChat post's opening lines
        return shares[i] < OVERLAP_MIN

    return keep(text, unrelated)


def _is_menu(line: str) -> bool:
    """Three or more short items side by side: a menu, a crumb trail, a link list."""
    items = [p for p in _MENU_SPLIT.split(line) if p]
    return len(items) >= 3 and all(len(p) <= 8 for p in items)


def _pairs(lines: Iterable[str]) -> set[str]:
    """Adjacent Han character pairs (the unit of Chinese vocabulary overlap, as Lucene's CJK bigrams)."""
    out: set[str] = set()
    for line in lines:
        han = "".join(_HAN_RE.findall(line))
        out.update(han[k:k + 2] for k in range(len(han) - 1))
    return out


def _overlap(line: str, vocabulary: set[str]) -> float:
    """Share of ``line``'s character pairs that occur in the article."""
    pairs = _pairs([line])
    return len(pairs & vocabulary) / len(pairs) if pairs else 1.0
