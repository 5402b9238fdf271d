"""Property: the importer never drops the article. Articles with known body sentences
are wrapped in random boilerplate, pinyin annotations, recoverable GBK mojibake and
different encodings; every body sentence must come out, and nothing may crash."""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from casebook.importer.convert import Context, convert
from casebook.importer.fetch import RawInput

from .conftest import ROOT

S2T, T2S = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
PHRASES = [p for p in (
    "社区党委坚持以人民为中心", "常态化开展入户走访", "建立居民需求清单和资源清单", "推动服务阵地向小区延伸",
    "组织党员干部下沉一线", "完善议事协商机制", "为高龄老人提供助餐服务", "开设课后托管班",
    "整合辖区单位资源", "定期召开联席会议", "推动问题就地解决", "群众满意度不断提升",
    "打造十五分钟便民服务圈", "设立矛盾纠纷调解室", "引导居民参与小区治理", "培育社区社会组织",
    "开展政策宣讲和技能培训", "建设新时代文明实践站", "让居民在家门口享受服务", "形成共建共治共享格局",
) if T2S.convert(S2T.convert(p)) == p]  # OpenCC cannot round-trip some characters; that is not our loss
PRACTICE_PHRASES = ["完善议事协商机制", "为高龄老人提供助餐服务", "开设课后托管班", "设立矛盾纠纷调解室"]
PLACES = [("河南省", "郑州市", "金水区"), ("四川省", "成都市", "郫都区"), ("浙江省", "杭州市", "余杭区"),
          ("甘肃省", "兰州市", "城关区"), ("广西壮族自治区", "南宁市", "青秀区")]
TOP = ["首页 > 新闻 > 基层动态 > 正文", "本文转自：新华日报", "打开APP 阅读更多精彩内容",
       "作者：王明 来源：人民网 发布时间：2024-05-06 10:00 责任编辑：李华",
       "我们正处于一个信息大爆发的时代，订阅头条新闻资讯，第一时间通知到您！"]
END = ["责任编辑：郭新星", "【编辑：张三】", "相关推荐", "Copyright © 2009-2024 某某网 版权所有 京ICP备12345678号",
       "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
       "以上内容为资讯信息快照，由某某爬虫进行采集并收录，本站未对信息做任何修改。",
       "主站蜘蛛池模板: 免费观看| 国产精品| 在线视频| 高清影院|",
       "某某医院专注于肛肠疾病的诊疗，至今已有多年历史，很多患\n2022-11-10 16:30"]
CTX = Context.load(ROOT / "data/practices.yaml")


@st.composite
def articles(draw: st.DrawFn) -> tuple[list[str], str, str]:
    """(body sentences, full text, encoding)."""
    province, city, county = draw(st.sampled_from(PLACES))
    n = draw(st.integers(3, 10))
    sentences = []
    for i in range(n):
        words = draw(st.lists(st.sampled_from(PHRASES), min_size=2, max_size=4, unique=True))
        if i == 0:  # real case studies name their place and at least one practice
            words = [draw(st.sampled_from(PRACTICE_PHRASES)), *(w for w in words if w not in PRACTICE_PHRASES)]
        lead = f"{city}{county}" if i == 0 else ""
        sentences.append(lead + "，".join(words) + f"，共{draw(st.integers(2, 999))}次。")
    paras, i = [], 0
    while i < len(sentences):
        k = draw(st.integers(1, 3))
        paras.append("".join(sentences[i:i + k]))
        i += k
    title = f"{county}：党建引领基层治理见实效"
    lines = draw(st.lists(st.sampled_from(TOP), max_size=3, unique=True)) + [title] + paras \
        + draw(st.lists(st.sampled_from(END), max_size=4, unique=True))
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):  # Traditional with pinyin glued on, as conversion sites do
        text = S2T.convert(text)
        annotate = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        text = "".join(ch + (f"({pinyin(ch, style=Style.TONE)[0][0]})" if a and "\u4e00" <= ch <= "\u9fff" else "")
                       for ch, a in zip(text, annotate))
    encoding = draw(st.sampled_from(["utf-8", "gbk", "gb18030", "big5", "utf-8-sig"]))
    if draw(st.booleans()):
        text = _damage(text)
    return sentences, text, encoding


def _damage(text: str) -> str:
    """The recoverable kind of the seeds' mojibake: a GBK stream lost the high bit of a lead
    byte after a full stop: the 。 shows as ``?`` and the next character as two ASCII bytes.
    Only characters whose GBK trail byte is ASCII can show this (GBK-extension characters,
    i.e. mostly Traditional ones); the first such sentence start is damaged."""
    for m in re.finditer(r"。([\u4e00-\u9fff])", text):
        lead, trail = m[1].encode("gbk")
        if trail < 0x80 and (lead & 0x7F) >= 0x21:
            return text[:m.start()] + "?" + chr(lead & 0x7F) + chr(trail) + text[m.end():]
    return text


def _encode(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


def _flat(markdown: str) -> str:
    body = markdown.split("\n---\n", 1)[1]
    return re.sub(r"\s+", "", body)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(articles())
def test_importer_keeps_every_body_sentence(case: tuple[list[str], str, str]) -> None:
    sentences, text, encoding = case
    data = _encode(text, encoding)
    if data is None:  # e.g. a Simplified-only character in Big5: try UTF-8 instead
        data = text.encode("utf-8")
    imported = convert(RawInput("article.txt", data, is_html=False), CTX)
    flat = _flat(imported.markdown)
    missing = [s for s in sentences if s not in flat]
    assert not missing, (missing, imported.report)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.booleans())
def test_importer_never_crashes_on_arbitrary_bytes(data: bytes, is_html: bool) -> None:
    from casebook.errors import CasebookError
    try:
        convert(RawInput("junk.html" if is_html else "junk.txt", data, is_html=is_html), CTX)
    except CasebookError:
        pass


def test_the_damage_model_is_the_seeds_kind_and_fires_on_traditional_text() -> None:
    assert _damage("文化生活丰富了。現在小区") == "文化生活丰富了?,F在小区"
    damaged = [p for p in PHRASES if _damage(S2T.convert("前文。" + p)) != S2T.convert("前文。" + p)]
    assert len(damaged) >= 3, "the property test would hardly ever see mojibake"


@pytest.mark.parametrize("text,lacks", [
    ("城关区：新闻\n城关区完善议事协商机制，居民代表大会共同商定社区公约。\n", ("province",)),  # 城关区 in several provinces
    ("郑州市金水区：新闻\n郑州市金水区天气晴朗，气温适宜，市民纷纷出门踏青。\n", ("practices",)),
])
def test_articles_it_cannot_place_or_classify_are_drafts_not_errors(text: str, lacks: tuple[str, ...]) -> None:
    imported = convert(RawInput("a.txt", text.encode(), is_html=False), CTX)
    assert imported.missing == lacks and "draft: true" in imported.markdown


# --- Random line structures: a file or one clear error, never a traceback ------------------

#: Lines an editor would call empty: ideographic space, NBSP, tabs, zero-width marks.
BLANKS = ["", " ", "\u3000", "\u3000\u3000", "\u00a0", "\t", " \t\u00a0\u3000 ", "\u200b", "\r"]
#: Page furniture of the kinds the passes know, as real pages write it.
FURNITURE = ["责任编辑：王晓燕", "分享至 微信 微博", "首页 > 新闻 > 基层动态", "京ICP备12345678号-1",
             "【资料图】", "（记者 张三 摄）", "本报讯", "来源：某某日报", "2024-05-16 10:22", "【人民网】",
             "▲", "图为", "分享让更多人看到", "加载中...", "（完）", "上一篇 下一篇", "打开APP 阅读全文",
             "编辑：李明 审核：赵强", "IMG_2034.JPG", "相关推荐", "Copyright © 2024 某某网 版权所有"]
#: A line that is only a credit.
CREDITS = ["（记者 张三 摄）", "本报记者 李四", "□本报记者 王五 实习生 赵六", "文/图 陈静",
           "本报通讯员 余刚摄", "■刘洋", "(本网记者孙丽 文/图)"]
#: Short lines of WeChat posts, headings and list items: no closing punctuation.
SHORT = ["大家的事大家办", "一起来看看吧", "幸福就在家门口", "筑牢组织体系", "让“真心”汇聚",
         "一、强化组织领导", "1. 建立台账", "①入户走访", "· 便民服务", "- 议事协商", "● 志愿服务",
         "嵩阳社区：“1+6”平台促成党群服务进小区", "往期推荐", "编者按："]
PUNCTUATION = "。，！？…—·、；：“”《》()（）【】▲■□●★-_.!?,;:"


@st.composite
def line_structures(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """(real sentences put in, lines): a random mix of every kind of line."""
    sentences: list[str] = []

    def sentence() -> str:
        words = draw(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3, unique=True))
        text = "，".join(words) + f"，共{draw(st.integers(2, 99999))}次。"
        sentences.append(text)
        return text

    kinds = st.sampled_from(["blank", "furniture", "credit", "short", "sentence", "sentence+credit",
                             "padded", "long", "unpunctuated", "punctuation", "digits", "site+sentence"])
    n = draw(st.integers(1, 12))
    lines = []
    for _ in range(n):
        kind = draw(kinds)
        if kind == "blank":
            line = draw(st.sampled_from(BLANKS))
        elif kind == "furniture":
            line = draw(st.sampled_from(FURNITURE))
        elif kind == "credit":
            line = draw(st.sampled_from(CREDITS))
        elif kind == "short":
            line = draw(st.sampled_from(SHORT))
        elif kind == "sentence":
            line = sentence()
        elif kind == "sentence+credit":
            line = sentence() + draw(st.sampled_from(["（记者 张三 摄）", "（本报记者 李四）", "(完)"]))
        elif kind == "padded":
            line = draw(st.sampled_from(BLANKS)) + sentence() + draw(st.sampled_from(BLANKS))
        elif kind == "long":
            line = "".join(draw(st.sampled_from(PHRASES)) + "，" for _ in range(draw(st.integers(40, 200)))) + "。"
        elif kind == "unpunctuated":
            line = "".join(draw(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=30)))
        elif kind == "punctuation":
            line = draw(st.text(alphabet=PUNCTUATION, min_size=1, max_size=12))
        elif kind == "digits":
            line = draw(st.text(alphabet="0123456789０１２３", min_size=1, max_size=12))
        else:
            line = draw(st.sampled_from(["【人民网】", "【新华网】", "【资料图】"])) + sentence()
        lines.append(line)
    return sentences, lines


def _as_html(lines: list[str], title: str | None) -> str:
    from html import escape

    head = f"<title>{escape(title)}</title>" if title is not None else ""
    body = "".join(f"<p>{escape(line)}</p>\n" if line.strip() else "<p></p>\n" for line in lines)
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{head}</head><body><article>\n{body}</article></body></html>"


def _import_or_clear_error(raw: RawInput, sentences: list[str]) -> None:
    """An ``Imported`` whose file parses and keeps every sentence (body or report), or a CasebookError."""
    import yaml

    from casebook.errors import CasebookError

    try:
        imported = convert(raw, CTX)
    except CasebookError as err:
        assert err.path == raw.name and err.message.strip() and "\n" not in str(err), str(err)
        return
    assert imported.markdown.startswith("---\n"), imported.markdown
    head, body = imported.markdown[4:].split("\n---\n", 1)
    assert isinstance(yaml.safe_load(head), dict)
    kept = re.sub(r"[^\w]", "", body) + "\n" + re.sub(r"[^\w\n]", "", imported.report)
    lost = [s for s in sentences if re.sub(r"[^\w]", "", s) not in kept]
    assert not lost, (lost, imported.markdown, imported.report)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(line_structures(), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_random_line_structures_as_text_give_a_file_or_a_clear_error(case, newline: str) -> None:
    sentences, lines = case
    _import_or_clear_error(RawInput("lines.txt", newline.join(lines).encode("utf-8"), is_html=False), sentences)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(line_structures(), st.one_of(st.none(), st.sampled_from(SHORT + FURNITURE + ["社区治理见实效_某某网"])))
def test_random_line_structures_as_html_give_a_file_or_a_clear_error(case, title: str | None) -> None:
    sentences, lines = case
    page = _as_html(lines, title)
    _import_or_clear_error(RawInput("lines.html", page.encode("utf-8"), is_html=True), sentences)


@pytest.mark.parametrize("lines", [
    ["【人民网】", "社区开展入户走访，为高龄老人提供助餐服务。"],  # the prefix leaves an empty headline
    ["【人民网】"], ["▲"], ["图为"], ["\u3000"], ["（记者 张三 摄）"], ["责任编辑：王晓燕"],
    ["大家的事大家办"], ["。。。"], ["2024"], ["社区开展入户走访，为高龄老人提供助餐服务。（记者 张三 摄）"],
])
def test_edge_documents(lines: list[str]) -> None:
    sentences = [s.split("（记者")[0] for s in lines if s.endswith("。") or "。（" in s]
    _import_or_clear_error(RawInput("edge.txt", "\n".join(lines).encode("utf-8"), is_html=False), sentences)
    _import_or_clear_error(RawInput("edge.html", _as_html(lines, None).encode("utf-8"), is_html=True), sentences)
