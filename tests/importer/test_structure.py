"""Structure: which short lines are headings (shape in context), titles and site prefixes.

Labelled cases per rule, positives and negatives, written in the shape of real
articles (WeChat posts, government pages, newspaper case studies). Each case is a
body as the passes leave it (one paragraph per line) and the headings expected.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.importer.structure import Block, parse

#: A lead and a section body long enough to stand under a heading.
LEAD = "近年来，某某街道坚持党建引领，把服务阵地建在居民家门口，推动基层治理提质增效。"
LONG = "社区党委牵头成立议事会，每月召开一次居民议事会议，先后解决停车难、加装电梯等问题二十余件，居民满意度明显提升。"
LONG2 = "街道整合辖区单位资源，建立需求、资源、项目三张清单，组织党员志愿者常态化开展入户走访，让服务更加精准。"
SHORT = "居民纷纷点赞。"


TITLE = "某某街道：党建引领基层治理见实效"


def _parse(lines: list[str]):
    """Parse a body under a headline (so the first body line is not taken for one)."""
    s = parse("\n".join([TITLE, *lines]))
    assert s.title == TITLE
    return s


def _headings(*lines: str) -> list[str]:
    return [b.text for b in _parse(list(lines)).blocks if b.kind == "heading"]


def _chars(text: str) -> str:
    """Text without spaces, caption marks, bold marks and the colon joining a two-line heading."""
    return re.sub(r"[\s▲*：]", "", text)


CASES = [
    # --- a run of three or more heading-shaped lines is not a run of headings ---------------
    pytest.param([LEAD, "大家的事大家办", "小事不出小区", "幸福就在身边", LONG], [],
                 id="run: verse-like WeChat lines"),
    pytest.param([LEAD, "1、建立居民需求清单", "2、建立辖区资源清单", "3、建立服务项目清单", LONG], [],
                 id="run: numbered list items"),
    pytest.param([LEAD, "● 老年助餐", "● 日间照料", "● 文化活动", "● 健康义诊", LONG], [],
                 id="run: bulleted list items"),
    pytest.param([LEAD, "①入户走访", "②收集诉求", "③跟踪问效", LONG], [], id="run: circled numbers"),
    pytest.param([LEAD, LONG, "一、总体要求", "二、主要任务", "三、保障措施", LONG2], [],
                 id="run: a table of contents is not three headings"),
    pytest.param([LEAD, "强化组织领导，发挥堡垒作用", LONG, "组织居民自治，搭建参与平台", LONG2],
                 ["强化组织领导，发挥堡垒作用", "组织居民自治，搭建参与平台"],
                 id="run negative: seed 001's headings, one between each pair of paragraphs"),
    pytest.param([LEAD, "一、强化组织领导", LONG, "二、搭建参与平台", LONG2],
                 ["一、强化组织领导", "二、搭建参与平台"], id="run negative: numbered chapters with text between"),
    pytest.param([LEAD, "一、总体要求", "（一）指导思想", LONG], ["一、总体要求", "（一）指导思想"],
                 id="run negative: a chapter right above its first sub-chapter"),
    # --- a heading must be followed by a paragraph ---------------------------------------
    pytest.param([LEAD, LONG, "筑牢组织体系"], [], id="follow: last line heads nothing"),
    pytest.param([LEAD, "★★★", LONG, "2024-05-16", LONG2], [], id="follow: marks and dates head nothing"),
    pytest.param([LEAD, LONG, "筑牢组织体系", "▲社区活动现场。"], [], id="follow: only a caption after it"),
    pytest.param([LEAD, "1、建立居民需求清单", "2、建立辖区资源清单", LONG], [],
                 id="follow: a list of two items, the first followed by the second"),
    pytest.param([LEAD, "大家的事大家办", "一起来看看吧", LONG], [],
                 id="follow: first one-liner followed by another, the second talks to the reader"),
    pytest.param([LEAD, "筑牢组织体系", "▲社区活动现场。", LONG], ["筑牢组织体系"],
                 id="follow negative: a heading directly before a caption, then text"),
    pytest.param([LEAD, "筑牢组织体系", LONG], ["筑牢组织体系"], id="follow negative: a heading before text"),
    pytest.param([LEAD, "筑牢组织体系", "编者按：", LONG], ["筑牢组织体系"],
                 id="follow negative: a heading before a labelled paragraph"),
    # --- one-liners: decided by neighbours, not by a list of phrases --------------------
    pytest.param([LEAD, "一起来看看吧", LONG, LONG2], [], id="one-liner: talks to the reader, alone"),
    pytest.param(["大家的事大家办", LONG, LONG2], [], id="one-liner: above the lead, no lead before it"),
    pytest.param([LEAD, "大家的事大家办", SHORT, "停车难题有人管", SHORT], [],
                 id="one-liner: between short paragraphs (sections too thin)"),
    pytest.param([LEAD, "幸福食堂开张啦", LONG, "助老服务上门啦", LONG2], ["幸福食堂开张啦", "助老服务上门啦"],
                 id="one-liner negative: a parallel set of headings ending in a particle"),
    pytest.param([LEAD, "建好议事平台", LONG, LONG2], ["建好议事平台"],
                 id="one-liner negative: a lone heading after the lead over a full section"),
    pytest.param(["嵩阳社区：“1+6”平台促成党群服务进小区", LONG, "兰茂社区：小区党支部全覆盖", LONG2],
                 ["嵩阳社区：“1+6”平台促成党群服务进小区", "兰茂社区：小区党支部全覆盖"],
                 id="one-liner negative: place headings need no lead"),
    # --- two-line headings -----------------------------------------------------------
    pytest.param([LEAD, "筑牢组织体系", "让“真心”汇聚", LONG, "建强社区队伍", "让“力量”凝聚", LONG2],
                 ["筑牢组织体系 让“真心”汇聚", "建强社区队伍 让“力量”凝聚"], id="two-line: seed 003's couplets"),
    pytest.param([LEAD, "红塔区高仓街道党群服务中心", "锻造队伍 升级服务 破题治理", LONG],
                 ["红塔区高仓街道党群服务中心：锻造队伍 升级服务 破题治理"], id="two-line: a place, then the heading"),
    pytest.param([LEAD, "筑牢组织体系", "让“真心”汇聚", "▲社区活动现场。", LONG], ["筑牢组织体系 让“真心”汇聚"],
                 id="two-line: before a caption"),
    pytest.param(["大家的事大家办", "居民的事居民议", LONG, LONG2], [],
                 id="two-line negative: a couplet above the lead is a slogan"),
    pytest.param([LEAD, "社区变美了", "居民笑开了", LONG], [], id="two-line negative: lines ending in particles"),
    pytest.param([LEAD, "便民服务", "1、理发", LONG], [],
                 id="two-line negative: a second line with its own number"),
    pytest.param([LEAD, "1. 强化组织领导", LONG, "2. 搭建参与平台", LONG2], ["1. 强化组织领导", "2. 搭建参与平台"],
                 id="one-liner negative: numbered headings with sections between"),
]


@pytest.mark.parametrize("lines, headings", CASES)
def test_headings_in_context(lines: list[str], headings: list[str]) -> None:
    assert _headings(*lines) == headings


@pytest.mark.parametrize("lines, headings", CASES)
def test_no_line_is_lost(lines: list[str], headings: list[str]) -> None:
    """Whatever is not a heading is a paragraph or a caption, in order, with all its text."""
    blocks = _parse(lines).blocks
    assert _chars("".join(b.text for b in blocks)) == _chars("".join(lines))


def test_list_items_are_paragraphs_the_writer_escapes() -> None:
    from casebook.importer.writer import markdown

    blocks = _parse([LEAD, "1. 建立居民需求清单", "2. 建立辖区资源清单", "3. 建立服务项目清单", LONG]).blocks
    assert [b.kind for b in blocks] == ["para"] * 5
    assert "1\\. 建立居民需求清单" in markdown(blocks)


# --- titles and site prefixes ---------------------------------------------------------

@pytest.mark.parametrize("text, title, source, body", [
    ("【人民网】\n滁州市：深化党建引领\n导语第一段。", "滁州市：深化党建引领", "人民网", ["导语第一段。"]),
    ("【人民网】\n导语第一段。", None, None, ["【人民网】", "导语第一段。"]),  # was an IndexError
    ("【人民网】", None, None, ["【人民网】"]),
    ("【资料图】\n滁州市：深化党建引领\n导语第一段。", None, None,
     ["【资料图】", "滁州市：深化党建引领", "导语第一段。"]),  # not a site: no source, not eaten
    ("【人民网】滁州市：深化党建引领\n导语第一段。", "滁州市：深化党建引领", "人民网", ["导语第一段。"]),
], ids=["prefix line above headline", "prefix line above text", "only a prefix", "placeholder is no site",
        "prefix on the headline"])
def test_site_prefix(text: str, title: str | None, source: str | None, body: list[str]) -> None:
    s = parse(text)
    assert (s.title, s.source, [b.text for b in s.blocks]) == (title, source, body)


@pytest.mark.parametrize("text, title, body", [
    ("社区食堂开张啦！", None, [("para", "社区食堂开张啦！")]),  # the only line: kept as text
    ("滁州市：深化党建引领", None, [("para", "滁州市：深化党建引领")]),
    ("社区开展入户走访，共2次。(完)\n社区党委坚持以人民为中心", None,
     [("para", "社区开展入户走访，共2次。(完)"), ("para", "社区党委坚持以人民为中心")]),  # a sentence is no headline
    ("社区食堂开张啦！\n近年来，社区为高龄老人开办幸福食堂。", "社区食堂开张啦！",
     [("para", "近年来，社区为高龄老人开办幸福食堂。")]),
    ("\u3000\n\u00a0\n\t\n", None, []),
    ("▲\n编者按：\n▲图为现场。", None, [("para", "▲"), ("para", "编者按："), ("caption", "图为现场。")]),
], ids=["only line, title-like", "only line, a headline", "sentence first", "headline", "only blanks",
        "empty caption mark, dangling label"])
def test_titles_and_odd_documents(text: str, title: str | None, body: list[tuple[str, str]]) -> None:
    s = parse(text)
    assert s.title == title and [(b.kind, b.text) for b in s.blocks] == body


def test_blank_known_title_is_no_title() -> None:
    assert parse("导语第一段。", known_title="\u3000 ").title is None


#: Characters that make the structure rules fire: headings, numbers, bullets, captions, prefixes, labels.
ALPHABET = "社区治理事办吧啦了一二、（）()1.①·-●▲【】人民网：。，！ \u3000\u00a0\t\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=12)))
def test_parse_never_raises_and_keeps_sentences(text: str, known_title: str | None) -> None:
    s = parse(text, known_title)
    assert all(isinstance(b, Block) and b.text.strip() for b in s.blocks)
    kept = "".join(b.text for b in s.blocks)
    for line in text.split("\n"):
        if line.strip().endswith("。"):  # a sentence is never a title or a heading
            assert line.strip().lstrip("▲").strip() in kept or line.strip() in s.repeats
