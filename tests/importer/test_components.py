"""Decoding, gazetteer, classification, structure, metadata and naming units."""

from __future__ import annotations

import pytest

from casebook.errors import CasebookError
from casebook.importer import metadata
from casebook.importer.encoding import decode_bytes
from casebook.importer.naming import anchors, fingerprint, slug
from casebook.importer.passes import Removal
from casebook.importer.place import Place, gazetteer, locality
from casebook.importer.practices import Evidence
from casebook.importer.structure import Block, parse
from casebook.importer.writer import front_matter, markdown

TEXT = "“网格员每周都来家里看看。”居民张大爷说，社区治理越来越好了。"
BIG5_TEXT = "「網格員每週都來家裡看看。」居民張大爺說，社區治理越來越好了。"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "big5"])
def test_decode_chinese_encodings(encoding: str) -> None:
    text = TEXT if encoding != "big5" else BIG5_TEXT
    assert decode_bytes(text.encode(encoding), "x.txt") == text


def test_decode_trusts_declared_charset_only_when_it_fits() -> None:
    data = TEXT.encode("gbk")
    assert decode_bytes(data, "x.html", declared="utf-8") == TEXT
    assert decode_bytes(b'<meta charset="gbk">' + data, "x.html") == '<meta charset="gbk">' + TEXT


def test_undecodable_is_a_clear_error() -> None:
    with pytest.raises(CasebookError) as err:
        decode_bytes(bytes(range(256)) * 4, "junk.txt")
    assert "junk.txt" in str(err.value) and "decode" in str(err.value)


@pytest.mark.parametrize("text, place", [
    ("白河县城关镇狮子山社区", Place("陕西省", "安康市", "白河县")),
    ("云南省嵩明县嵩阳街道", Place("云南省", "昆明市", "嵩明县")),
    ("兰州市城关区皋兰路街道", Place("甘肃省", "兰州市", "城关区")),
    ("南京市鼓楼区", Place("江苏省", "南京市", "鼓楼区")),
    ("红塔区、澄江市、易门县的党群服务中心，玉溪市", Place("云南省", "玉溪市", None)),
    ("北京市朝阳区", Place("北京市", None, "朝阳区")),
    ("凤凰社区处在滁城主城区，滁州市琅琊街道", Place("安徽省", "滁州市", None)),
])
def test_gazetteer_resolves(text: str, place: Place) -> None:
    assert gazetteer().resolve(text) == place


def test_ambiguous_county_alone_is_not_guessed() -> None:
    assert gazetteer().resolve("鼓楼区的社区") == Place()


def test_locality() -> None:
    assert locality("贵州省毕节市七星关区碧阳街道南山社区网格员", gazetteer()) == "碧阳街道南山社区"
    assert locality("嵩阳街道龙泉社区，嵩阳街道兰茂社区", gazetteer()) == "嵩阳街道"
    assert locality("聚焦乡村振兴", gazetteer()) is None


def test_classifier_weights_title_headings_lead_and_specific_terms(ctx) -> None:
    paras = ["小区党支部牵头，红色物业改善服务。", "物业服务企业进驻，业委会成立。党群服务中心建成。"]
    assert ctx.classifier.classify(Evidence(paras))[0] == "物业与小区治理"
    assert ctx.classifier.classify(Evidence(paras, title="打造党群服务中心"))[0] == "党群服务阵地"
    assert ctx.classifier.classify(Evidence(["今天天气很好。"])) == []
    everything = ["养老 托育 志愿 网格 调解 物业 议事 文化活动 智慧 便民服务 骑手 共建 集体经济"] * 3
    assert len(ctx.classifier.classify(Evidence(everything))) == 3  # never more than three


def test_classifier_keeps_what_the_article_is_about_not_passing_mentions(ctx) -> None:
    about = "网格员每天走访网格内居民，网格化管理让问题早发现。"
    paras = [about, about, about, "另外，社区还为老人送去了月饼。", about]
    assert ctx.classifier.classify(Evidence(paras)) == ["网格化治理"]  # one mention of 老人 in passing
    spread = paras + ["社区养老服务站为老年人提供日间照料。", "居家养老服务覆盖高龄老人和空巢老人。"]
    assert ctx.classifier.classify(Evidence(spread)) == ["网格化治理", "养老服务"]


def test_structure_title_headings_captions() -> None:
    s = parse("【人民网】滁州市：深化党建引领\n导语第一段。\n筑牢组织体系\n让“真心”汇聚\n正文。\n"
              "▲社区活动现场。\n编者按：\n按语正文。\n滁州市：深化党建引领")
    assert s.title == "滁州市：深化党建引领" and s.source == "人民网"
    assert [(b.kind, b.text) for b in s.blocks] == [
        ("para", "导语第一段。"),
        ("heading", "筑牢组织体系 让“真心”汇聚"),
        ("para", "正文。"),
        ("caption", "社区活动现场。"),
        ("para", "**编者按：**按语正文。"),
    ]


def test_structure_without_headline() -> None:
    s = parse("近年来，社区治理取得成效。\n第二段。")
    assert s.title is None and len(s.blocks) == 2


def test_metadata_from_removals() -> None:
    removed = [
        Removal("header_meta", "作者：刘思远 来源：成都日报 发布时间：2024-03-15 09:30", True),
        Removal("bylines", "本报通讯员 余刚 郑林菲 记者 陈志涛", True),
        Removal("photo_credits", "本报通讯员 余刚摄", True),
        Removal("trailing_news", "2022-11-10 16:30", True),
        Removal("platform_notices", "快照生成时间:2023-02-15 05:45:17", True),
    ]
    assert metadata.date(removed, []) == "2024-03-15"
    assert metadata.date(removed[3:], []) is None  # never from news lists or crawl stamps alone
    assert metadata.source(removed) == "成都日报"
    assert metadata.authors(removed) == ["刘思远", "余刚", "郑林菲", "陈志涛"]
    assert metadata.authors([Removal("bylines", "云南网通讯员李桀", True)]) == ["李桀"]
    assert metadata.authors([Removal("editor_lines", "责任编辑：郭新星", True)]) == []  # editors are not authors


@pytest.mark.parametrize("lines,stamp,expected", [
    (["2月10日，志愿者上门为老人体检。"], "快照生成时间：2023-02-15 05:45:17", "2023-02"),
    (["12月28日，社区举办迎新活动。"], "快照生成时间：2024-01-05 08:00", "2023-12"),  # over New Year
    (["近日，社区举办活动。"], "快照生成时间：2024-01-05 08:00", None),  # no date in the text
    (["5月1日，社区举办活动。"], "快照生成时间：2024-12-05 08:00", None),  # stamp months later
])
def test_year_less_date_takes_its_year_from_a_stamp_soon_after(lines, stamp, expected) -> None:
    assert metadata.date([Removal("platform_notices", stamp, True)], lines) == expected


def test_dateline_dates() -> None:
    assert metadata.date([Removal("datelines", "本报北京5月16日电", True),
                          Removal("platform_notices", "发布于2024-05-20", True)], []) == "2024-05"


@pytest.mark.parametrize("lead,expected", [
    ("近年来，白河县在推进城市党建引领基层治理上狠下功夫，在落实工作机制的过程中，推动力量下沉。", "白河县在推进城市党建引领基层治理上狠下功夫"),
    ("“李阿姨，这是解读手册。”近日，南山社区网格员敲开居民家门，在宣传政策的同时询问需求。", "南山社区网格员敲开居民家门"),
    ("2月10日，城关镇狮子山社区干部和志愿者上门为老年人进行健康检查，受到好评。", "城关镇狮子山社区干部和志愿者上门为老年人进行健康检查"),
    ("社区变了样，老旧小区加装电梯、新建停车场，居民说住得更舒心了。", "社区变了样，老旧小区加装电梯、新建停车场"),
])
def test_title_from_the_lead_sentence(lead: str, expected: str) -> None:
    assert metadata.lead_title([lead]) == expected


def test_summary_and_figures() -> None:
    long = "将社区划为18个综合网格和1个商圈专属网格，19名社区工作者全部下沉到网格。" * 3
    blocks = [Block("para", "短。"), Block("para", long)]
    assert metadata.summary(blocks) is None  # the lead is never copied into the summary
    abstract = metadata.summary([Block("para", "摘要：" + long), Block("para", long)])
    assert abstract and len(abstract) <= 120 and abstract.endswith("。") and not abstract.startswith("摘要")
    assert metadata.figures(blocks)[:3] == [
        {"value": "18个", "label": "综合网格"},
        {"value": "1个", "label": "商圈专属网格"},
        {"value": "19名", "label": "社区工作者"},
    ]
    note = [Block("para", "**编者按：**按语。"), Block("para", "第一段正文内容" + "很长" * 10 + "。")]
    assert metadata.summary(note) == "按语。"


def test_slug_and_anchors() -> None:
    assert slug("yunnan", "嵩明县", "3f2a1b") == "yunnan-songming-3f2a1b"
    assert fingerprint("社区 治理。\r\n服务") == fingerprint("社区治理\n服务！")  # spacing, line ends, marks
    assert fingerprint("社区治理") != fingerprint("社区服务")
    assert anchors(["红塔区高仓街道党群服务中心", "嵩阳社区", "嵩阳社区", "ABC"]) == [
        "hongta-gaocang", "songyang", "songyang-2", "case-4"]


def test_front_matter_order_and_unknown_keys() -> None:
    text = front_matter({"summary": "s", "title": "t", "province": "云南省", "practices": ["p"],
                         "date": "2025-04-22", "city": None, "figures": []})
    assert text == "---\ntitle: t\nprovince: 云南省\npractices:\n- p\ndate: '2025-04-22'\nsummary: s\n---\n"
    with pytest.raises(ValueError):
        front_matter({"title": "t", "extra": 1})


def test_markdown_escapes_list_and_heading_starts() -> None:
    md = markdown([Block("para", "1. 第一"), Block("para", "# 号"), Block("heading", "标题", "a-b"),
                   Block("caption", "图*说")])
    assert md == "1\\. 第一\n\n\\# 号\n\n## 标题 {#a-b}\n\n*图\\*说*\n"


@pytest.mark.parametrize("raw, title", [
    ("姑苏区：时间银行_新闻中心_苏州新闻网", "姑苏区：时间银行"),
    ("兰州市城关区：议事厅议出新生活 免费在线观看 高清影视", "兰州市城关区：议事厅议出新生活"),
    ("文化惠民 打造精品", "文化惠民 打造精品"),
    ("“星”服务·致美好|星级党群服务中心展播3", "“星”服务·致美好"),  # a series label goes
])
def test_clean_title(raw: str, title: str) -> None:
    from casebook.importer.structure import clean_title

    assert clean_title(raw) == title


def test_headline_may_end_with_exclamation() -> None:
    s = parse("社区食堂开张啦！\n近年来，社区为高龄老人开办幸福食堂。")
    assert s.title == "社区食堂开张啦！" and [b.kind for b in s.blocks] == ["para"]


def test_locality_ignores_clauses_after_the_town() -> None:
    assert locality("佛山市南海区桂城街道在各村（社区）推行议事厅", gazetteer()) == "桂城街道"


def test_source_in_brackets() -> None:
    assert metadata.source([Removal("source_lines", "【来源：人民日报】", True)]) == "人民日报"


@pytest.mark.parametrize("heading, place", [
    ("嵩阳社区：“1+6”平台促成党群服务进小区", "嵩阳社区"),
    ("一、高仓街道：打造服务阵地", "高仓街道"),
    ("（二）龙泉社区：小阵地发挥大作用", "龙泉社区"),
    ("强化组织领导，发挥堡垒作用", None),
])
def test_place_segment(heading: str, place: str | None) -> None:
    from casebook.importer.structure import place_segment

    assert place_segment(heading) == place


def test_author_fields_keep_only_names() -> None:
    """Role, outlet and interface words that share a field with names are no authors."""
    assert metadata.authors([], "李婷婷 张铭 播放") == ["李婷婷", "张铭"]
    assert metadata.authors([Removal("header_meta", "作者：沈阳日报 宫雪 李悦", True)]) == ["宫雪", "李悦"]
    assert metadata.authors([Removal("bylines", "记者 马俊 实习生 妥晓燕", True)]) == ["马俊", "妥晓燕"]
