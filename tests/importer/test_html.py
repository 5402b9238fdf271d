"""HTML pages: extraction settings, headline, date, author, source and captions.

The pages in tests/data/importer/html/ are written to look like saved pages of real
kinds of sites (national outlet, government portals old and new, a WeChat article, a
self-media post, a page whose <h1> is the logo, a column prefix, a split article); each
``NAME.yaml`` labels the article's paragraphs, the junk that must not come through and
the metadata. Every rule below has at least three positive and three negative cases.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casebook.importer.credits import CAPTION_MARK
from casebook.importer.htmltext import HtmlMeta, clean_site_name, extract, is_person_name
from casebook.importer.titles import (
    choose_headline,
    clean_title,
    is_column_label,
    is_series_label,
    is_site_name,
)

HTML = Path(__file__).resolve().parents[1] / "data" / "importer" / "html"
PAGES = sorted(HTML.glob("*.html"))
SENTENCE = re.compile(r"[^。！？]+[。！？]+[”’]?")


def _label(page: Path) -> dict:
    return yaml.safe_load(page.with_suffix(".yaml").read_text("utf-8"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, HtmlMeta]]:
    return {page.stem: extract(page.read_text("utf-8"), page.name) for page in PAGES}


# -- whole pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_keeps_every_sentence(page: Path, extracted) -> None:
    text = _squash(extracted[page.stem][0])
    for paragraph in _label(page)["article"]:
        for sentence in SENTENCE.findall(paragraph):
            assert _squash(sentence) in text, sentence


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_metadata(page: Path, extracted) -> None:
    label, meta = _label(page), extracted[page.stem][1]
    assert meta.title == label["title"]
    assert meta.date == label["date"]
    assert set(meta.author.split() if meta.author else []) <= set(label["authors"])  # the rest come from text bylines
    for wrong in ("关注", "粉丝", "网友", "责任编辑", "编辑", "版权所有"):
        assert wrong not in (meta.author or "")
    assert meta.sitename is None or not re.search(r"版权所有|Copyright|\.com|\.cn", meta.sitename)


@pytest.mark.parametrize("page", [p for p in PAGES if "captions" in _label(p)], ids=lambda p: p.stem)
def test_page_captions_marked(page: Path, extracted) -> None:
    text, meta = extracted[page.stem]
    marked = [line[len(CAPTION_MARK):] for line in text.split("\n") if line.startswith(CAPTION_MARK)]
    for caption in _label(page)["captions"]:
        assert any(line.startswith(caption) for line in marked), caption
    assert list(meta.captions) == marked


def test_page_sources(extracted) -> None:
    assert {name: meta.source for name, (_, meta) in extracted.items()} == {
        "column_prefix": None,  # no 来源: the site name is the source
        "gov_portal": "长江日报",
        "gov_table_layout": "金牛区荷花池街道",
        "logo_h1": "临沂日报",
        "national_outlet": "人民日报",
        "selfmedia_post": "湘江观察",
        "split_article": "南宁日报",
        "wechat_article": "武侯发布",  # the account; its 来源 line in the text wins in convert
    }


def test_short_page_keeps_its_paragraphs_and_figcaption() -> None:
    html = (HTML.parent / "noisy" / "page_hunan_photos.html").read_text("utf-8")
    text, meta = extract(html, "page_hunan_photos.html")
    lines = text.split("\n")
    assert len(lines) >= 5  # not trafilatura's one run-on line
    assert CAPTION_MARK + "老人在社区食堂用餐。记者 王伟 摄" in lines
    assert CAPTION_MARK + "社区志愿者为老人送餐上门" in lines
    assert not any(line.startswith("![") for line in lines)


def test_trafilatura_is_imported_lazily() -> None:
    code = "import sys, casebook.importer.htmltext; print('trafilatura' in sys.modules, 'lxml.html' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# -- titles: suffix, prefix, series label, logo --------------------------------------------


@pytest.mark.parametrize("raw, title", [
    ("北京朝阳区：“小院议事厅”议出居民幸福感--健康·生活--人民网", "北京朝阳区：“小院议事厅”议出居民幸福感"),
    ("姑苏区：时间银行_新闻中心_苏州新闻网", "姑苏区：时间银行"),
    ("南宁青秀区：“小巷管家”守护城市微角落 - 广西新闻网 - 南宁频道", "南宁青秀区：“小巷管家”守护城市微角落"),
    ("兰山区：网格员化身“民情快递员”-临沂新闻网", "兰山区：网格员化身“民情快递员”"),
    ("金牛区荷花池街道推行“商圈党建”服务个体商户-成都市金牛区人民政府", "金牛区荷花池街道推行“商圈党建”服务个体商户"),
    ("长沙这个社区，把议事桌搬到了楼栋口_网易订阅", "长沙这个社区，把议事桌搬到了楼栋口"),
    ("社区食堂开张｜老人吃饭不犯愁|滁州日报", "社区食堂开张｜老人吃饭不犯愁"),
    # negatives: no suffix to cut
    ("2023-2024年度社区工作总结", "2023-2024年度社区工作总结"),
    ("党建引领｜打造社区党群服务中心", "党建引领｜打造社区党群服务中心"),
    ("小区大变样丨居民齐点赞", "小区大变样丨居民齐点赞"),
    ("文化惠民 打造精品", "文化惠民 打造精品"),
])
def test_site_and_channel_suffixes(raw: str, title: str) -> None:
    assert clean_title(raw) == title


@pytest.mark.parametrize("raw, title", [
    ("社区视界｜余杭区：“众治”议事会让乡村更和美", "余杭区：“众治”议事会让乡村更和美"),
    ("【基层观察】社区议事会议出好日子", "社区议事会议出好日子"),
    ("基层治理观察丨一张网格管全村", "一张网格管全村"),
    ("聚焦｜老旧小区改造提速", "老旧小区改造提速"),
    # negatives: the first segment is part of the headline
    ("党建引领｜打造社区治理新格局", "党建引领｜打造社区治理新格局"),
    ("小巷变了样｜居民笑开颜", "小巷变了样｜居民笑开颜"),
    ("【好】", "【好】"),
])
def test_column_prefixes(raw: str, title: str) -> None:
    assert clean_title(raw) == title


@pytest.mark.parametrize("raw, title", [
    ("“星”服务·致美好|星级党群服务中心展播3", "“星”服务·致美好"),
    ("小院议事厅里的大民生｜基层治理创新案例展播", "小院议事厅里的大民生"),
    ("网格员的一天丨走基层系列报道之二", "网格员的一天"),
    ("红色物业惠民生｜党建引领基层治理（三）", "红色物业惠民生"),
    # negatives: a number or word that belongs to the headline
    ("社区这一年：解决难题156个", "社区这一年：解决难题156个"),
    ("15分钟生活圈｜家门口就能办成事", "15分钟生活圈｜家门口就能办成事"),
    ("三个社区的故事", "三个社区的故事"),
])
def test_series_labels(raw: str, title: str) -> None:
    assert clean_title(raw) == title


@pytest.mark.parametrize("segment, site", [
    ("人民网", True), ("苏州新闻网", True), ("南宁频道", True), ("成都市金牛区人民政府", True),
    ("www.lywww.com", True),
    ("打造社区党群服务中心", False), ("居民齐点赞", False), ("老人吃饭不犯愁", False),
])
def test_is_site_name_shape(segment: str, site: bool) -> None:
    assert is_site_name(segment, weak=False) is site


def test_column_and_series_label_shapes() -> None:
    assert all(is_column_label(s) for s in ("社区视界", "基层观察", "聚焦"))
    assert not any(is_column_label(s) for s in ("党建引领", "小巷变了样", "余杭区：众治"))
    assert all(is_series_label(s) for s in ("星级党群服务中心展播3", "走基层系列报道之二", "第5期"))
    assert not any(is_series_label(s) for s in ("居民齐点赞", "家门口就能办成事", "老人吃饭不犯愁"))


@pytest.mark.parametrize("candidates, sites, headline", [
    # the logo <h1> loses to the headline the <title> and the title-classed <h2> agree on
    ([("h1", "临沂新闻网"), ("title", "兰山区：网格员化身“民情快递员”-临沂新闻网"),
      ("heading", "兰山区：网格员化身“民情快递员”")], ["临沂新闻网"], "兰山区：网格员化身“民情快递员”"),
    ([("trafilatura", "武汉市江岸区人民政府"), ("meta", "江岸区：“红色物业”让老旧小区焕新颜"),
      ("title", "江岸区：“红色物业”让老旧小区焕新颜_武汉市江岸区人民政府")], ["武汉市江岸区人民政府"],
     "江岸区：“红色物业”让老旧小区焕新颜"),
    ([("h1", "苏州新闻网"), ("title", "姑苏区：时间银行_苏州新闻网")], ["苏州新闻网"], "姑苏区：时间银行"),
    # negatives: a real <h1> stays, a sidebar heading alone never wins
    ([("h1", "社区食堂开张啦！"), ("title", "社区食堂开张啦！_某某网")], [], "社区食堂开张啦！"),
    ([("h1", "小巷里的邻里互助站"), ("heading", "热门文章排行榜")], ["某某网"], "小巷里的邻里互助站"),
    ([("heading", "热门文章排行榜")], [], None),
])
def test_choose_headline(candidates, sites, headline) -> None:
    assert choose_headline(candidates, sites) == headline


# -- author, source, date ------------------------------------------------------------------


@pytest.mark.parametrize("name, person", [
    ("陈静", True), ("李雪梅", True), ("欧阳明远", True),
    ("湘江观察", False), ("江岸区政府办", False), ("人民网", False), ("关注", False), ("责任编辑", False),
    ("网友", False), ("武侯发布", False),
])
def test_person_names(name: str, person: bool) -> None:
    assert is_person_name(name) is person


def _page(head: str, body: str) -> str:
    return (f"<html><head><meta charset='utf-8'>{head}</head><body>{body}<div class='content'>"
            + "".join(f"<p>{'社区议事会解决了居民关心的停车难问题，居民纷纷点赞。' * 3}{i}</p>" for i in range(4))
            + "</div></body></html>")


@pytest.mark.parametrize("head, body, author", [
    ("", "<h1>社区议事会议出好日子</h1><div class='info'>2024-05-01 作者：刘洋 孙静</div>", "刘洋 孙静"),
    ("", "<h1>社区议事会议出好日子</h1><div class='info'>记者 陈晓 通讯员 余宣</div>", "陈晓 余宣"),
    ("<meta name='author' content='陈静'>", "<h1>社区议事会议出好日子</h1>", "陈静"),
    # negatives: account name, office, follow button, commenter, editor line, copyright
    ("<meta name='author' content='湘江观察'>", "<h1>社区议事会议出好日子</h1>", None),
    ("<meta name='author' content='江岸区政府办'>", "<h1>社区议事会议出好日子</h1>", None),
    ("", "<h1>社区议事会议出好日子</h1><div class='info'>责任编辑：王强</div>", None),
    ("", "<h1>社区议事会议出好日子</h1><div class='follow'>湘江观察 关注 粉丝 2.3万</div>", None),
    ("", "<h1>社区议事会议出好日子</h1><div class='comments'>张卫东：点赞！</div>", None),
])
def test_author_only_from_bylines(head: str, body: str, author: str | None) -> None:
    assert extract(_page(head, body), "x.html")[1].author == author


@pytest.mark.parametrize("head, body, source", [
    ("", "<h1>社区议事会议出好日子</h1><div>2024-05-01 来源：临沂日报</div>", "临沂日报"),
    ("<meta name='ContentSource' content='长江日报'>", "<h1>社区议事会议出好日子</h1>", "长江日报"),
    ("", "<h1>社区议事会议出好日子</h1><div>信息来源：金牛区荷花池街道 【打印】</div>", "金牛区荷花池街道"),
    # negatives: copyright line, domain, nothing stated
    ("<meta name='source' content='人民网版权所有'>", "<h1>社区议事会议出好日子</h1>", None),
    ("", "<h1>社区议事会议出好日子</h1><div>来源：www.example.com</div>", None),
    ("", "<h1>社区议事会议出好日子</h1>", None),
])
def test_source_from_labels_never_copyright(head: str, body: str, source: str | None) -> None:
    assert extract(_page(head, body), "x.html")[1].source == source


@pytest.mark.parametrize("value, cleaned", [
    ("人民网版权所有", "人民网"), ("Copyright © 2024 苏州新闻网", "苏州新闻网"), ("杭州网官方网站", "杭州网"),
    ("mp.weixin.qq.com", None), ("www.people.com.cn", None), ("", None),
])
def test_clean_site_name(value: str, cleaned: str | None) -> None:
    assert clean_site_name(value) == cleaned


@pytest.mark.parametrize("head, body, date", [
    ("<meta property='article:published_time' content='2024-07-02T08:30:00+08:00'>", "<h1>社区议事会议出好日子</h1>",
     "2024-07-02"),
    ("<meta name='PubDate' content='2024-03-12 10:15'>", "<h1>社区议事会议出好日子</h1>", "2024-03-12"),
    ('<script type="application/ld+json">{"datePublished": "2024-04-09T07:50:00+08:00"}</script>',
     "<h1>社区议事会议出好日子</h1>", "2024-04-09"),
    ("", "<h1>社区议事会议出好日子</h1><div>发布时间：2024年05月20日 09:12</div>", "2024-05-20"),
    # negatives: dates only in a sidebar list, a header clock, a footer
    ("", "<div class='sidebar'><ul><li>罗庄区老年大学开课 2024-06-03</li></ul></div><h1>社区议事会议出好日子</h1>", None),
    ("", "<div class='top'>2024年06月05日 星期三</div><h1>社区议事会议出好日子</h1>", None),
    ("", "<h1>社区议事会议出好日子</h1><div class='footer'>© 2024-01-01 某某网</div>", None),
])
def test_date_from_own_metadata_or_dateline(head: str, body: str, date: str | None) -> None:
    assert extract(_page(head, body), "x.html")[1].date == date


def test_article_in_one_table_cell_keeps_its_paragraphs() -> None:
    paragraphs = [f"第{i}段：社区议事会解决了居民关心的停车难问题，居民纷纷点赞，物业也积极配合整改。" * 2 for i in range(1, 5)]
    html = ("<html><head><meta charset='utf-8'><title>社区议事会议出好日子_某某区人民政府</title></head><body>"
            "<table><tr><td class='nav'>首页 | 政务公开</td></tr></table><table><tr><td class='bt_content'>"
            + "<br><br>".join(paragraphs) + "</td></tr></table></body></html>")
    lines = extract(html, "x.html")[0].split("\n")
    assert [line for line in lines if line.startswith("第")] == paragraphs
