"""Attribution and caption passes: who wrote it, where it came from, what a photo shows.

Pure ``str -> str`` passes over one-paragraph-per-line Simplified text, like
:mod:`casebook.importer.boilerplate`. They remove source, editor and header
lines, datelines, bylines and photo credits (which :mod:`casebook.importer.metadata`
reads back as ``source``, ``authors`` and ``date``), image file names shown as
text, and mark photo captions with ``▲`` so the structure stage keeps them as
captions. Each kind is recognised by its shape, not by one page's wording:

- a **byline** is a short line (or a bracket closing a paragraph) made only of
  role words (:data:`BYLINE_ROLE_WORDS`), name-shaped tokens, outlets
  (``嘉兴日报``, ``本网``) and separators, with at least one role or a leading
  bullet (``■张三``);
- a **dateline** is an outlet-like prefix ending in 讯 or 电, optionally with a
  date, at the very start of a paragraph near the top (``本报讯``,
  ``某某融媒11月21日讯``, ``新华社济南6月3日电``); only the prefix goes;
- a **review line** is made of review labels (:data:`EDITOR_LABEL_WORDS`, also
  with a short qualifier: 技术编辑) each followed by names; editors are never authors;
- an **image file name** is a token ending in an image extension, with at most a
  short watermark (``10.jpg某某新闻网``).

Label and role vocabularies are data at the top of the module; lengths are in
``settings.toml`` under ``[credits]``.
"""

from __future__ import annotations

import re

from .hanzi import HAN
from .lines import DATE, IMAGE, PICTURE, SENTENCE, TIMESTAMP, Lines, keep, short_plain
from .settings import setting

# --- Vocabularies -------------------------------------------------------------------

#: Roles a byline credits: reporters, and the makers of a video or photo story.
BYLINE_ROLE_WORDS = (
    "特约记者", "见习记者", "实习记者", "首席记者", "摄影记者", "全媒体记者", "融媒体记者", "驻站记者", "记者",
    "特约通讯员", "通讯员", "实习生", "作者", "撰稿", "撰文", "文字", "文案", "文图", "图文", "文/图", "图/文",
    "摄影", "摄像", "编导", "导演", "制作", "包装", "剪辑", "配音", "视频", "航拍", "出镜", "主持", "海报",
)
#: One-character roles, a role only right before a separator (``文/张三``, ``图｜李四``).
SHORT_ROLE_WORDS = ("文", "图")
#: Words that may close a byline after the names (``本报记者 王芳 报道``, ``张三 摄``).
BYLINE_TAIL_WORDS = ("报道", "摄影", "摄", "供图", "整理")
#: Review and production labels: the people who checked the piece, never its authors.
EDITOR_LABEL_WORDS = (
    "责任编辑", "责编", "编辑", "编审", "审核", "审校", "审定", "审签", "签发", "校对", "终审", "初审", "二审",
    "三审", "复审", "值班编辑", "值班主任", "值班总编", "主编", "总编辑", "监制", "出品人", "出品", "统筹",
    "策划", "美编", "排版",
)
#: Labels of a line that names where the article came from.
SOURCE_LABEL_WORDS = (
    "本文来源", "文章来源", "内容来源", "信息来源", "稿件来源", "新闻来源", "来源", "本文转自", "转自", "转载自",
    "稿源", "出处",
)
#: What an outlet's name ends with (``嘉兴日报``, ``某某融媒体中心``, ``某某信息港``).
OUTLET_SUFFIXES = (
    "日报社", "日报", "晚报", "早报", "时报", "商报", "报社", "报", "广播电视台", "电视台", "融媒体中心", "融媒体",
    "融媒", "新闻网", "新闻", "网", "台", "社", "信息港", "客户端", "中心", "杂志", "刊",
)
#: How an outlet names itself in its own bylines and datelines.
SELF_OUTLETS = ("本报", "本刊", "本台", "本网", "本站", "本社")
#: Bullets and box marks in front of a byline (``□本报记者 …``, ``■张三``).
BULLETS = "□■◆◇●○★☆◎▶►▷•"
#: Endings of place and facility words that a bullet may stand before (``■文化站``): not names.
NOT_NAME_ENDINGS = "站室馆村区街会部队组办所点园院厅栏角"
#: Extensions of an image file name shown as text (``IMG_2034.JPG``).
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "heic")
#: Common Chinese surnames: a name in a byline opens with one, so ``记者手记``,
#: ``视频｜议事会`` and ``■工作成效`` are not bylines.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "端木", "申屠", "轩辕", "呼延", "南宫", "西门", "独孤", "澹台", "百里", "万俟",
)

# --- Thresholds (settings.toml) -------------------------------------------------------

#: A line that is only a byline is at most this long.
BYLINE_MAX = setting("credits", "byline_max")
#: A bracketed credit closing a paragraph is at most this long inside its brackets.
END_CREDIT_MAX = setting("credits", "end_credit_max")
#: A review line with a bare label (编辑：…) is at most this long...
EDITOR_MAX = setting("credits", "editor_max")
#: ... and one with a qualified label (技术编辑：…) or without a colon at most this long.
REVIEW_MAX = setting("credits", "review_max")
#: A 来源：… line is at most this long.
SOURCE_MAX = setting("credits", "source_max")
#: A dateline opens a paragraph within this many lines of the top.
DATELINE_ZONE = setting("credits", "dateline_zone")
#: An image file name line is at most this long, its watermark at most ``WATERMARK_MAX``.
IMAGE_NAME_MAX = setting("credits", "image_name_max")
WATERMARK_MAX = setting("credits", "watermark_max")
#: A dated line near the top is a header when at most this many Han characters remain...
HEADER_WORDS_MAX = setting("header_meta", "words_max")
#: ... and it is within this many lines of the top.
HEADER_TOP_LINES = setting("header_meta", "top_lines")
#: A caption under a photo (or one that ends in its credit) is at most this long.
CAPTION_MAX = setting("captions", "max_chars")


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation, longest word first so ``记者`` never shadows ``摄影记者``."""
    return "(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# --- Patterns built from the vocabularies ---------------------------------------------

#: Labels that a header line packs together: 作者：… 来源：… 发布时间：…
HEADER_LABELS = (
    r"(作者|来源|发布时间|发布日期|发表时间|更新时间|时间|日期|编辑|责任编辑|浏览|阅读|点击|字号|出处|记者|通讯员"
    r"|索引号|发布机构|发文机关|主题分类|文号|发文字号|成文日期|公开方式|有效性)"
    r"\s*[:：]"
)
#: Labels only a page header uses (an event notice also says 时间： and 日期：), including
#: the information-disclosure table of government portals (索引号：… 发布机构：…).
PAGE_LABELS = frozenset({"作者", "来源", "发布时间", "发布日期", "发表时间", "更新时间", "责任编辑", "浏览",
                         "阅读", "点击", "字号", "出处", "索引号", "发布机构", "发文机关", "主题分类", "文号",
                         "发文字号", "成文日期", "公开方式", "有效性"})
#: Page labels that no other pass handles when they stand alone on a line.
FIELD_LABELS = PAGE_LABELS - {"来源", "出处", "责任编辑"}
#: Regex alternations (one group each) that :mod:`casebook.importer.metadata` also uses.
EDITOR_LABELS = _alternation(EDITOR_LABEL_WORDS)
SOURCE_LABELS = _alternation(SOURCE_LABEL_WORDS)
BYLINE_ROLES = _alternation(BYLINE_ROLE_WORDS)
#: What follows a label: a colon, or the bar WeChat-style posts use (``来源 | 北京日报``).
LABEL_SEPARATOR = r"[:：|｜丨]"
_NAME = rf"[{HAN}·]{{2,4}}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME})*"
_HEADER_LABEL = re.compile(HEADER_LABELS)
#: A publication stamp: ``发布于 2024-01-17``, ``更新时间 2024-01-17``, ``发布日期：…``.
_DATED_LABEL = re.compile(rf"^(?:发布|发表|更新|编辑)(?:于|时间|日期)?\s*[:：]?\s*{TIMESTAMP}")
_ORIGINAL_TITLE = re.compile(r"^[【\[]?原(标题|题)\s*[:：]")
_OPEN = r"[【\[（(]"
_EDITOR = re.compile(rf"^{_OPEN}?\s*{EDITOR_LABELS}\s*{LABEL_SEPARATOR}")
_SOURCE = re.compile(rf"^{_OPEN}?\s*{SOURCE_LABELS}\s*{LABEL_SEPARATOR}")

_OUTLET = rf"(?:{_alternation(SELF_OUTLETS)}|[{HAN}A-Za-z]{{1,10}}?{_alternation(OUTLET_SUFFIXES)})"
_ROLE_WORD = BYLINE_ROLES
_SHORT_ROLE = _alternation(SHORT_ROLE_WORDS)
_TAIL_WORD = _alternation(BYLINE_TAIL_WORDS)
#: Separators between the tokens of a byline.
_SEP_CHARS = r"\s、，,;；:：/／|｜丨"
_SEP = re.compile(rf"[{_SEP_CHARS}]+")
_BOUNDARY = rf"(?=[{_SEP_CHARS}）)】\]]|$|{_ROLE_WORD}|{_TAIL_WORD}(?:[{_SEP_CHARS}）)】\]]|$))"
_TOKEN_OUTLET = re.compile(rf"{_OUTLET}(?={_ROLE_WORD})")
_WHOLE_OUTLET = re.compile(rf"[{HAN}]{{1,8}}(?:{'|'.join(s for s in OUTLET_SUFFIXES if len(s) >= 2)})")
_TOKEN_ROLE = re.compile(
    rf"(?:{_ROLE_WORD}|{_SHORT_ROLE})(?:\s*[/／]\s*(?:{_ROLE_WORD}|{_SHORT_ROLE}))*"
)
_TOKEN_TAIL = re.compile(rf"{_TAIL_WORD}(?=[{_SEP_CHARS}）)】\]]|$)")
_TOKEN_NAME = re.compile(rf"(?:[{HAN}]{{1,6}}·[{HAN}]{{1,10}}|[{HAN}]{{2,4}}?){_BOUNDARY}")
_EDITOR_WORD = re.compile(rf"^{EDITOR_LABELS}$")
_BULLET = re.compile(rf"^[{BULLETS}]\s*")

#: A name that opens with a known surname (single or compound).
_SURNAMED = re.compile(rf"^(?:{'|'.join(COMPOUND_SURNAMES)}|[{SURNAMES}])")

#: ``本报讯``, ``某某融媒11月21日讯``, ``某某信息港讯``, ``新华社济南6月3日电``, ``新华社电``,
#: ``南海网三亚2月14日消息``: an outlet-like prefix ending in 讯 or 电 (电 only with a date
#: or after a news agency), or a dated one ending in 消息,
#: then optional spaces or a colon; the bracketed byline after it is the byline pass's.
DATELINE_DATE = r"(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日"
_DATELINE = re.compile(
    rf"^(?:[{HAN}A-Za-z]{{2,14}}?{DATELINE_DATE}(?:讯(?![息问])|电(?=[\s（(【:：，,]|$)|消息(?=[\s（(【:：，,]))"
    rf"|{_OUTLET}讯(?![息问])"
    rf"|[{HAN}]{{1,6}}社[{HAN}]{{0,4}}电(?=[\s（(【:：]|$))"
    rf"[ \t:：，,]*"
)
_DATELINE_DATE = re.compile(DATELINE_DATE)
#: ``余刚摄`` reads as the name ``余刚`` and the tail ``摄``.
_CAPTION_CREDIT_NAMES = re.compile(rf"([{HAN}]{{2,4}}?)(摄影?|供图)$")
#: A bracketed byline that opens a paragraph (what a dateline leaves): ``（记者 李明 张华）``.
_LEAD_BRACKET = re.compile(r"[（(【〔]([^（）()【】〔〕\n]{2,60})[）)】〕][ \t]*")
#: A bracket closing a paragraph, after its last sentence mark or alone on the line.
_END_BRACKET = re.compile(r"(?:(?<=[。！？!?”…])|^)[ \t]*[（(【〔]([^（）()【】〔〕\n]+)[）)】〕]$")
#: Review segments: ``编辑：张三 审核：李四``, ``技术编辑 王五``; a label may carry a short qualifier.
_REVIEW_LABEL = rf"[{HAN}]{{0,4}}?{EDITOR_LABELS}"
_REVIEW_SEGMENTS = re.compile(
    rf"^(?:{_REVIEW_LABEL}\s*(?:[:：|｜丨/／]\s*|\s+){_NAMES}[\s，,;；]*)+$"
)
_REVIEW_START = re.compile(rf"(?<=[\s，,;；])({EDITOR_LABELS})\s*(?:[:：|｜丨/／]|\s)")
#: A line that is an image file name, with an optional watermark: ``10.jpg某某新闻网``.
_IMAGE_NAME = re.compile(
    rf"^[{BULLETS}▲△]?\s*[\w\-（）()]{{1,48}}\.{_alternation(IMAGE_EXTENSIONS)}(?![A-Za-z0-9])"
    rf"(?P<rest>[^。！？!?，,；;]*)$",
    re.I,
)
#: Credits closing a paragraph: ``（朱家和 马锐 娄晓）``, ``(图/文 马玲玉)``, ``【编辑:…】``.
#: Photo credit lines and the credit tail of a caption: ``本报通讯员 余刚摄``, ``XX供图``.
_CREDIT_TAIL = (
    rf"(?:(?:本报|本刊)?(?:记者|通讯员|摄影记者)?\s*{_NAMES}\s*摄(?:影)?|[{HAN}]{{2,16}}供图|(?:图片|照片)由.{{1,12}}提供"
    rf"|(?:图片|图)来源[:：].{{1,30}}|摄影[:：]\s*{_NAMES})"
)
_CREDIT_LINE = re.compile(rf"^[（(]?{_CREDIT_TAIL}[）)]?$")
_CAPTION_CREDIT = re.compile(rf"\s*[（(]?{_CREDIT_TAIL}[）)]?$")
#: Words every photo credit contains (a fast pre-check for the patterns above).
CREDIT_WORDS = ("摄", "供图", "来源", "摄影", "提供")
#: Marker the caption pass puts in front of a caption; the structure stage renders it.
CAPTION_MARK = "▲"
_MARK_CHARS = "▲△↑▼"
_CAPTION_MARKERS = re.compile(rf"^(?:[{_MARK_CHARS}]|图为|上图|下图|左图|右图)\s*")
#: A caption that says it describes a picture; without the picture it describes nothing.
#: A caption as the page marked it: a mark (▲ △ ↑) or words that point at a picture.
_SOURCE_CAPTION = re.compile(rf"^(?:[{_MARK_CHARS}]|图为|上图|下图|左图|右图|如图|组图)")
_PROGRESSIVE = re.compile(r"正在|图为")
#: Lead-ins of narration, never of a photo caption (目前，该项目正在建设中。).
_NARRATION = re.compile(r"^(目前|现在|如今|当前|今年|去年|近年来|近日|日前|下一步|同时|此外|据悉|据了解)")
#: A line that talks to the reader (你, 您): never a caption.
_ADDRESSED = re.compile(r"[你您]")
#: What a caption that only names its subject ends with: a place, facility or scene.
_SCENE_NOUN = re.compile(
    r"(中心|站|驿站|现场|一角|全景|外景|场景|活动|仪式|会议|广场|小区|社区|村|街道|食堂|书屋|大厅|室|馆|园|院|厅|楼)。$"
)


# --- Bylines as token sequences ---------------------------------------------------------

def byline_tokens(text: str) -> list[tuple[str, str]] | None:
    """Read ``text`` as a byline: ``(kind, token)`` pairs, or None if it is not one.

    Kinds are ``bullet``, ``outlet``, ``role``, ``name`` and ``tail``. Every
    character must belong to a token or a separator; a name opens with a surname
    (or is a ``·`` name), so ``记者 观察`` and ``视频｜议事会`` are not bylines; a
    name of a minority or rare surname (扎西) counts after a role only inside
    brackets, before a closing role (``本网记者 扎西 文/图``) or beside another name;
    a review label is never a name.
    """
    tokens: list[tuple[str, str]] = []
    text = text.strip()
    if bullet := _BULLET.match(text):
        tokens.append(("bullet", bullet.group(0).strip()))
        text = text[bullet.end():]
    bracketed = len(text) >= 2 and text[0] in "（(【[〔" and text[-1] in "）)】]〕"
    if bracketed:
        text = text[1:-1]
    unsurnamed = False  # a name without a common surname (扎西, 努尔兰) seen after a role
    i = 0
    while i < len(text):
        if sep := _SEP.match(text, i):
            i = sep.end()
            continue
        if match := _TOKEN_OUTLET.match(text, i):
            kind = "outlet"
        elif (match := _TOKEN_ROLE.match(text, i)) and _role_ends(text, match):
            kind = "role"
        elif tokens and tokens[-1][0] == "name" and (match := _TOKEN_TAIL.match(text, i)):
            kind = "tail"
        elif match := _TOKEN_NAME.match(text, i):
            kind = "name"
            word = match.group(0)
            if _EDITOR_WORD.match(word):
                return None
            if is_outlet(word):
                kind = "outlet"  # 作者：沈阳日报 宫雪: an outlet standing where a name would
            if not (_SURNAMED.match(word) or "·" in word):
                if not (tokens and tokens[-1][0] == "role"):
                    return None
                unsurnamed = True
        else:
            return None
        tokens.append((kind, match.group(0)))
        i = match.end()
    names = sum(1 for kind, _ in tokens if kind == "name")
    if unsurnamed and not (bracketed or tokens[-1][0] in ("role", "tail") or names >= 2):
        return None  # 记者 观察 is a column; (本网记者 扎西 文/图), 记者 马俊 实习生 妥晓燕 are bylines
    return tokens


def is_outlet(word: str) -> bool:
    """A word that names a medium, not a person (沈阳日报, 嵩明融媒体中心)."""
    return bool(_WHOLE_OUTLET.fullmatch(word))


def _role_ends(text: str, match: re.Match[str]) -> bool:
    """A one-character role (文, 图) only counts before a separator, not in 文化站."""
    if match.group(0) not in SHORT_ROLE_WORDS:
        return True
    return match.end() == len(text) or bool(re.match(rf"[{_SEP_CHARS}]", text[match.end()]))


def is_byline(text: str) -> bool:
    """Roles, names, outlets and separators only, with a role, or a bullet before surnamed names."""
    tokens = byline_tokens(text)
    if not tokens:
        return False
    kinds = [kind for kind, _ in tokens]
    names = [token for kind, token in tokens if kind == "name"]
    if not names:
        return False
    if "role" in kinds:
        return True
    return kinds[0] == "bullet" and set(kinds) <= {"bullet", "name", "tail"} and len(names) <= 3 and all(
        "·" not in name and len(name) <= 3 and name[-1] not in NOT_NAME_ENDINGS
        for name in names
    )


def byline_names(text: str) -> list[str]:
    """The names a removed byline, dateline bracket or credit carries, in order.

    >>> byline_names("□本报记者 李明 实习生 王芳")
    ['李明', '王芳']
    """
    text = _DATELINE.sub("", text.strip(), count=1)
    text = _CAPTION_CREDIT_NAMES.sub(r"\1", text)
    tokens = byline_tokens(text) or []
    kinds = [kind for kind, _ in tokens]
    names = [token for kind, token in tokens if kind == "name"]
    credited = {"role", "tail", "bullet"} & set(kinds) or len(names) >= 2
    return names if credited else []  # a lone word (编辑部) names nobody



def _credit_bracket(inner: str) -> bool:
    """A bracket that credits: a byline, two or more names, or names with a tail (张三 摄)."""
    if len(inner) > END_CREDIT_MAX:
        return False
    tokens = byline_tokens(inner)
    if not tokens:
        return False
    kinds = [kind for kind, _ in tokens]
    return "name" in kinds and ("role" in kinds or "tail" in kinds or kinds.count("name") >= 2)


def dateline_date(text: str) -> tuple[int | None, int, int] | None:
    """``(year or None, month, day)`` of a removed dateline (``某某融媒11月21日讯``), else None.

    :mod:`casebook.importer.metadata` gives a year-less date its year from the page.
    """
    match = _DATELINE.match(text)
    date = _DATELINE_DATE.search(match.group(0)) if match else None
    if not date:
        return None
    month, day = int(date.group("month")), int(date.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (int(date.group("year")) if date.group("year") else None, month, day)


# --- Passes ------------------------------------------------------------------------------

def strip_source_lines(text: str) -> str:
    """Remove ``来源：…`` / ``本文转自：…`` lines (metadata keeps them as ``source``)."""
    return keep(text, lambda i, lines: len(lines[i]) <= SOURCE_MAX and bool(_SOURCE.match(lines[i])))


def strip_editor_lines(text: str) -> str:
    """Remove editor, reviewer and proofreader lines (责任编辑：…, 【编辑:…】, 技术编辑 王五).

    Several labels may share a line; a review tail after a byline (``记者 张三
    编辑 李四``) is cut from it so the byline pass can read the authors alone.
    """
    out = []
    for line in text.split("\n"):
        if _review_line(line):
            continue
        out.append(_without_review_tail(line))
    return "\n".join(out)


def _review_line(line: str) -> bool:
    if len(line) <= EDITOR_MAX and _EDITOR.match(line):
        return True  # a bare label and its colon: 责任编辑：…, 【编辑：…】
    inner = line.strip("【】[]（）() ")
    return len(line) <= REVIEW_MAX and not SENTENCE.search(line) and bool(_REVIEW_SEGMENTS.match(inner))


def _without_review_tail(line: str) -> str:
    """Cut review segments that follow a byline, on a byline line or in a closing bracket."""
    if len(line) > EDITOR_MAX or not any(word in line for word in ("编", "审", "校", "监", "统筹", "策划", "出品")):
        return line
    bracket = _END_BRACKET.search(line)
    head, inner, close = (line[:bracket.start(1)], bracket.group(1), line[bracket.end(1):]) if bracket else (
        "", line, "")
    start = _REVIEW_START.search(inner)
    if not start or not _REVIEW_SEGMENTS.match(inner[start.start():].strip()):
        return line
    byline = inner[:start.start()].rstrip(" ，,;；")
    if not is_byline(byline) and not (bracket and _credit_bracket(byline)):
        return line
    return head + byline + close


def strip_header_meta(text: str) -> str:
    """Remove header lines that pack date, author, source, counters near the top.

    A short line in the first six with a date and no sentence is a header line
    (``360影视 日韩动漫 2025-04-22 19:29 8``); anywhere, a line with two or more
    labels (``作者：… 来源：… 发布时间：…``), one of them a page label rather
    than a word an event notice uses (时间：… 日期：…), is one, and so is a short
    line that starts with a page label (headers that put one field per line), a
    publication stamp (``发布于 2024-01-17``) anywhere, and a dated line near the top
    with one page label (``中国光谷 2023-05-18 文章作者：…``).
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
        if _DATED_LABEL.match(line) and short_plain(line, 80):
            return True  # 发布于 2024-01-17 10:26:41
        if i >= HEADER_TOP_LINES or not short_plain(line, 80) or "，" in line or not DATE.search(line):
            return False
        if labels & PAGE_LABELS:
            return True  # 中国光谷 2023-05-18 文章作者：…
        words = re.findall(rf"[{HAN}]", DATE.sub("", line))
        return len(words) <= HEADER_WORDS_MAX  # a dated headline has more to say

    return keep(text, header)


def strip_datelines(text: str) -> str:
    """Cut the dateline that opens the lead (``本报讯``, ``某某融媒11月21日讯``), keep the sentence.

    Only datelines near the top go; the byline bracket after one
    (``（记者 …）``) is left for :func:`strip_bylines`. The date it carries is
    read back with :func:`dateline_date`.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines[:DATELINE_ZONE]):
        match = _DATELINE.match(line)
        if match and (match.end() == len(line) or not SENTENCE.search(line[:match.end()])):
            rest = line[match.end():]
            lines[i] = rest
    return "\n".join(line for line in lines if line)


def strip_bylines(text: str) -> str:
    """Remove bylines: lines that are only a byline, a byline bracket opening or closing a paragraph.

    A bracket that opens a paragraph goes with the dateline before it, if any.

    ``□本报记者 李明 实习生 王芳``, ``■张三``, ``编导/摄像 赵六``,
    ``(本网记者李明 文/图)``; ``（记者 李明 张华）近日，…`` keeps its sentence, and
    ``…被评为先进集体。（图/文 马玲玉）`` keeps everything before the bracket.
    """
    out = []
    for line in text.split("\n"):
        dateline = _DATELINE.match(line)
        start = dateline.end() if dateline else 0  # 本报讯（…）: in the import, datelines ran first
        lead = _LEAD_BRACKET.match(line, start)
        if lead and lead.end() < len(line) and _credit_bracket(lead.group(1)) and any(
            kind == "role" for kind, _ in byline_tokens(lead.group(1)) or []
        ):
            line = line[lead.end():]
        credit = _END_BRACKET.search(line)
        if credit and _credit_bracket(credit.group(1)):
            line = line[:credit.start()].rstrip()
        if line and not (len(line) <= BYLINE_MAX and is_byline(line)):
            out.append(line)
    return "\n".join(out)


def strip_image_filenames(text: str) -> str:
    """Remove lines that are an image file name shown as text (``IMG_2034.JPG``, ``10.jpg某某新闻网``)."""
    def image_name(i: int, lines: Lines) -> bool:
        line = lines[i]
        if len(line) > IMAGE_NAME_MAX or "." not in line:
            return False
        match = _IMAGE_NAME.match(line)
        return match is not None and len(match.group("rest").strip()) <= WATERMARK_MAX

    return keep(text, image_name)


def mark_captions(text: str) -> str:
    """Mark photo captions with ``▲`` so the structure stage keeps them as captions.

    A caption is a line with a caption marker (▲, 图为), a short line right
    under an image, a line followed by a photo credit line or a short one ending
    in one, or a short single-sentence line between paragraphs that describes a
    scene (``…网格员正在走访。``) or names a place (``南山社区党群服务中心。``).
    """
    lines = text.split("\n")
    has_body = any(len(line) > CAPTION_MAX for line in lines)
    out = []
    for i, line in enumerate(lines):
        if line.startswith(CAPTION_MARK):
            out.append(CAPTION_MARK + line[len(CAPTION_MARK):].lstrip())
            continue
        marker = _CAPTION_MARKERS.match(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if marker and marker.group(0).strip() in _MARK_CHARS:
            out.append(CAPTION_MARK + line[marker.end():])
        elif marker or _credited(line, nxt, has_body) or (i > 0 and _under_image(line, lines[i - 1])) or (
            i > 0 and _scene_line(line, lines[i - 1], nxt)
        ):
            out.append(CAPTION_MARK + line)
        else:
            out.append(line)
    return "\n".join(out)


def _under_image(line: str, before: str) -> bool:
    """A short line of at most one sentence directly under a Markdown image (not under a photo
    kept with ``--images``: the page's tree told its caption, and the next line is text)."""
    return (bool(IMAGE.match(before)) and not PICTURE.match(before) and not IMAGE.match(line)
            and len(line) <= CAPTION_MAX and len(SENTENCE.findall(line)) <= 1 and "“" not in line)


def _credited(line: str, nxt: str, has_body: bool = True) -> bool:
    """A photo credit follows on the next line, or ends this short one-sentence line.

    A long paragraph that ends in a credit (``…。（记者 张三 摄）``) is a paragraph,
    and so is a short one when the text has no longer paragraph for a caption to
    accompany: only the credit goes (:func:`strip_bylines`).
    """
    if _has_credit(nxt) and _CREDIT_LINE.match(nxt):
        return True
    if not has_body or not _has_credit(line) or not (credit := _CAPTION_CREDIT.search(line)):
        return False
    body = line[:credit.start()]
    return 0 < len(body) <= CAPTION_MAX and len(SENTENCE.findall(body)) == 1 and "“" not in body


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


def strip_orphan_captions(text: str) -> str:
    """Remove photo captions whose photo is gone: to the report, never an orphan line.

    Runs in the first round only, before :func:`mark_captions`: then every ``▲`` is
    the page's own (or one the page's tree gave a caption), not one the importer
    inferred. Only a line whose *shape* says caption goes (:func:`orphan_caption`); a
    caption beside a photo kept with ``--images`` stays with it. Its credit goes with
    it, at the line's end or on the next line (:func:`credit_of` reads the
    photographer back from the removal).
    """
    lines = text.split("\n")
    has_body = any(len(line) > CAPTION_MAX for line in lines)
    gone: set[int] = set()
    for i in range(len(lines)):
        if orphan_caption(lines, i, has_body):
            gone.add(i)
            if i + 1 < len(lines) and _has_credit(lines[i + 1]) and _CREDIT_LINE.match(lines[i + 1]):
                gone.add(i + 1)
    return "\n".join(line for i, line in enumerate(lines) if i not in gone)


def orphan_caption(lines: Lines, i: int, has_body: bool = True) -> bool:
    """``lines[i]`` is a caption of a photo that is not beside it.

    A caption by its shape: a caption mark or words pointing at a picture (▲, 图为,
    上图), a short line ending in a photo credit or followed by a credit line
    (``（张三 摄）``, ``图片来源：…``), or a short line right under an image. Always
    short and of one sentence at most (:func:`_caption_shaped`): a ``▲`` opening a long
    paragraph is a bullet, and a paragraph above a credit for all the article's photos
    is a paragraph.
    A short line without any of these marks is never taken for a caption here, nor
    is an unmarked line over an image (a heading or a one-sentence paragraph as often
    as a caption).
    """
    line = lines[i]
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    if PICTURE.match(before) or PICTURE.match(after) or not line or IMAGE.match(line):
        return False  # a kept photo's caption, or no caption at all
    if _SOURCE_CAPTION.match(line):
        credit = _CAPTION_CREDIT.search(line) if _has_credit(line) else None
        caption = line[:credit.start()] if credit else line
        return len(caption) <= CAPTION_MAX and len(SENTENCE.findall(caption)) <= 1
    return (_credited(line, after, has_body) or _under_image(line, before)) and _caption_shaped(line)


def _caption_shaped(line: str) -> bool:
    """Short, one sentence, nobody quoted and nobody addressed: a caption describes a
    picture (a paragraph's last line before a credit for the whole article talks to the
    reader, 周末不妨去书屋坐一坐, or runs on)."""
    credit = _CAPTION_CREDIT.search(line) if _has_credit(line) else None
    text = line[:credit.start()] if credit else line
    return (0 < len(text) <= CAPTION_MAX and len(SENTENCE.findall(text)) <= 1 and "“" not in text
            and not _ADDRESSED.search(text))


def credit_of(text: str) -> str:
    """The photo credit a removed line carries: the whole line, or a caption's tail."""
    if _has_credit(text) and (match := _CAPTION_CREDIT.search(text)):
        return match.group(0).strip()
    return text
