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
