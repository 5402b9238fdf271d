"""Markdown rendering (``casebook/markup.py``: Python-Markdown and the nh3 sanitiser).

Each feature is asserted as HTML. ``data/markdown_features.html`` is the feature file
(``data/markdown_features.md``) as the markdown-it renderer casebook used before wrote
it, byte for byte: the switch to Python-Markdown changed none of it.
"""

from __future__ import annotations

import random
import re
import sys
import threading
from pathlib import Path

import markdown
import pytest
import yaml
from markdown.inlinepatterns import SimpleTagInlineProcessor

from casebook.markup import MarkdownRenderer, Rendered, markdown_parser, protect_ids

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "tests" / "data" / "markdown_features.md"


def html(text: str, base_path: str = "/") -> str:
    return MarkdownRenderer(base_path).render(text).html


# -- the feature file ----------------------------------------------------------------------------

def test_feature_file_renders_as_before() -> None:
    expected = FEATURES.with_suffix(".html").read_text("utf-8")
    assert html(FEATURES.read_text("utf-8")) + "\n" == expected


def test_feature_file_uses_every_feature() -> None:
    """The comparison above means something only if the file exercises each feature."""
    for base in ("/", "/sub/path/"):
        out = html(FEATURES.read_text("utf-8"), base)
        for marker in ('<table>', 'class="align-right"', '<div class="highlight">', '<span class="k">def</span>',
                       '<sup id="fnref:1">', 'id="fnref2:note"', '<li id="fn:unused">', '<dl>', '<dd>',
                       'id="songyang"', 'id="创新机制_1"', 'id="hello-world-你好"', 'class="wide" id="end"',
                       '<blockquote>', '<ol start="3">', '<strong><em>都有</em></strong>',
                       '<strong>“引号”</strong>', f'<img alt="图片说明" src="{base}img/a.png">', '<hr>'):
            assert marker in out, marker
        assert "javascript" not in out and "<!--" not in out


# -- features, one by one -------------------------------------------------------------------------

def test_table_with_alignment_as_classes() -> None:
    assert html("| 项目 | 数量 |\n|:---|---:|\n| 甲 | 1 |") == (
        '<table>\n<thead>\n<tr>\n<th class="align-left">项目</th>\n<th class="align-right">数量</th>\n</tr>\n'
        '</thead>\n<tbody>\n<tr>\n<td class="align-left">甲</td>\n<td class="align-right">1</td>\n</tr>\n'
        '</tbody>\n</table>')


def test_footnotes_numbered_in_definition_order_none_dropped() -> None:
    assert html("先b[^b]，再a[^a]。\n\n[^a]: 甲。\n[^b]: 乙。\n[^c]: 丙。\n") == (
        '<p>先b<sup id="fnref:b"><a class="footnote-ref" href="#fn:b" rel="noopener noreferrer">2</a></sup>，'
        '再a<sup id="fnref:a"><a class="footnote-ref" href="#fn:a" rel="noopener noreferrer">1</a></sup>。</p>\n'
        '<div class="footnote">\n<hr>\n<ol>\n'
        '<li id="fn:a">\n<p>甲。&nbsp;<a class="footnote-backref" href="#fnref:a" title="返回正文（脚注 1）" '
        'rel="noopener noreferrer">↩</a></p>\n</li>\n'
        '<li id="fn:b">\n<p>乙。&nbsp;<a class="footnote-backref" href="#fnref:b" title="返回正文（脚注 2）" '
        'rel="noopener noreferrer">↩</a></p>\n</li>\n'
        '<li id="fn:c">\n<p>丙。&nbsp;<a class="footnote-backref" href="#fnref:c" title="返回正文（脚注 3）" '
        'rel="noopener noreferrer">↩</a></p>\n</li>\n</ol>\n</div>')


def test_definition_list() -> None:
    assert html("党群服务中心\n:   第一条定义\n:   第二条定义") == (
        "<dl>\n<dt>党群服务中心</dt>\n<dd>第一条定义</dd>\n<dd>第二条定义</dd>\n</dl>")


def test_fenced_code_is_highlighted_by_pygments() -> None:
    assert html("```python\nx = 1\n```") == (
        '<div class="highlight"><pre><span></span><code><span class="n">x</span> <span class="o">=</span> '
        '<span class="mi">1</span>\n</code></pre></div>')


@pytest.mark.parametrize("text", ["```\n<b>码</b>\n```", "```nosuchlanguage\n<b>码</b>\n```", "    <b>码</b>"])
def test_code_without_a_known_language_is_plain_escaped_text(text: str) -> None:
    assert html(text) == '<div class="highlight"><pre><span></span><code>&lt;b&gt;码&lt;/b&gt;\n</code></pre></div>'


def test_headings_carry_ids_and_text() -> None:
    r = MarkdownRenderer().render("## 组织居民自治，搭建参与平台\n\n## 重复\n\n## 重复\n\n## 文中案例 {#anchor}\n\n"
                                  "### Hello World! 你好 {: .wide}\n")
    assert [(h.level, h.id, h.text) for h in r.headings] == [
        (2, "组织居民自治搭建参与平台", "组织居民自治，搭建参与平台"),
        (2, "重复", "重复"), (2, "重复_1", "重复"), (2, "anchor", "文中案例"),
        (3, "hello-world-你好", "Hello World! 你好")]
    assert '<h3 class="wide" id="hello-world-你好">Hello World! 你好</h3>' in r.html


def test_given_id_is_reserved_before_slugs() -> None:
    """A generated slug never takes an id an editor wrote further down."""
    r = MarkdownRenderer().render("## 经验\n\n## 其他 {#经验}\n")
    assert [h.id for h in r.headings] == ["经验_1", "经验"]


def test_toc_marker_stays_text() -> None:
    assert html("[TOC]\n\n## 标题") == '<p>[TOC]</p>\n<h2 id="标题">标题</h2>'


@pytest.mark.parametrize("text, expected", [
    ("#话题#正文", "<p>#话题#正文</p>"),  # a hashtag, not a heading: the # needs a space after it
    ("##标题", "<p>##标题</p>"),
    ("段落\n## 标题 ##", '<p>段落</p>\n<h2 id="标题">标题</h2>'),
    ("   ### 三 {#x}", '<h3 id="x">三</h3>'),
])
def test_heading_needs_a_space_after_its_hashes(text: str, expected: str) -> None:
    assert html(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("\\<b\\>粗\\</b\\>", "<p>&lt;b&gt;粗&lt;/b&gt;</p>"),
    ("有人写了\\&lt;b\\&gt;和\\&copy;", "<p>有人写了&amp;lt;b&amp;gt;和&amp;copy;</p>"),
    ("\\~~~", "<p>~~~</p>"),
    ("\\: 定义", "<p>: 定义</p>"),
    ("\\*星号\\* \\[括号\\] \\# \\\\", "<p>*星号* [括号] # \\</p>"),
])
def test_any_ascii_punctuation_can_be_escaped(text: str, expected: str) -> None:
    """As in CommonMark: the importer escapes what would otherwise be markup."""
    assert html(text) == expected


# -- lists as editors write them --------------------------------------------------------------------

NESTED = "<ul>\n<li>一<ul>\n<li>嵌套</li>\n<li>嵌套二</li>\n</ul>\n</li>\n<li>二</li>\n</ul>"


@pytest.mark.parametrize("indent", [2, 3, 4])
def test_nested_list_indented_by_two_three_or_four_spaces(indent: int) -> None:
    pad = " " * indent
    assert html(f"- 一\n{pad}- 嵌套\n{pad}- 嵌套二\n- 二") == NESTED


def test_deep_two_space_nesting_and_back() -> None:
    assert html("- a\n  - b\n    - c\n      - d\n  - e\n- f") == (
        "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c<ul>\n<li>d</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>e</li>\n</ul>\n"
        "</li>\n<li>f</li>\n</ul>")


def test_list_nested_under_an_ordered_item_at_its_text() -> None:
    assert html("1. 有序\n   - 嵌套\n2. 第二") == (
        "<ol>\n<li>有序<ul>\n<li>嵌套</li>\n</ul>\n</li>\n<li>第二</li>\n</ol>")


def test_second_paragraph_of_an_item_indented_by_two_spaces() -> None:
    assert html("- 一\n\n  第二段\n- 二") == (
        "<ul>\n<li>\n<p>一</p>\n<p>第二段</p>\n</li>\n<li>\n<p>二</p>\n</li>\n</ul>")


def test_continuation_line_of_an_item() -> None:
    assert html("- 一\n  接着\n  - 嵌套") == "<ul>\n<li>一\n接着<ul>\n<li>嵌套</li>\n</ul>\n</li>\n</ul>"


@pytest.mark.parametrize("marker, tag", [("-", "ul"), ("*", "ul"), ("+", "ul"), ("1.", "ol")])
def test_list_right_under_a_paragraph_line(marker: str, tag: str) -> None:
    assert html(f"说明：\n{marker} 一\n{marker} 二\n\n结尾") == (
        f"<p>说明：</p>\n<{tag}>\n<li>一</li>\n<li>二</li>\n</{tag}>\n<p>结尾</p>")


@pytest.mark.parametrize("text", ["2019年\n2020. 年", "段落\n2. 不是列表", "段落\n-不是列表", "段落\n* * *"])
def test_what_does_not_start_a_list_under_a_paragraph(text: str) -> None:
    assert "<li>" not in html(text)


def test_loose_list() -> None:
    assert html("- 松散一\n\n- 松散二") == "<ul>\n<li>\n<p>松散一</p>\n</li>\n<li>\n<p>松散二</p>\n</li>\n</ul>"


def test_list_lines_in_code_stay_code() -> None:
    assert html("```\n段落\n  - 不是列表\n```") == (
        '<div class="highlight"><pre><span></span><code>段落\n  - 不是列表\n</code></pre></div>')
    assert html("    段落\n    - 不是列表") == (
        '<div class="highlight"><pre><span></span><code>段落\n- 不是列表\n</code></pre></div>')


# -- emphasis next to Chinese text -----------------------------------------------------------------

def test_bold_next_to_chinese_punctuation() -> None:
    assert html("中文**“引号”**中文") == "<p>中文<strong>“引号”</strong>中文</p>"
    assert html("这是**“重点”**内容，**完成。**然后（*注*）。") == (
        "<p>这是<strong>“重点”</strong>内容，<strong>完成。</strong>然后（<em>注</em>）。</p>")
    assert html("（**括号**）和**1**个，***都有***。") == (
        "<p>（<strong>括号</strong>）和<strong>1</strong>个，<strong><em>都有</em></strong>。</p>")


def test_underscores_inside_words_stay_literal() -> None:
    assert html("snake_case_name 与__粗体__和") == "<p>snake_case_name 与__粗体__和</p>"


# -- the sanitiser ---------------------------------------------------------------------------------

def test_scripts_handlers_and_comments_are_removed() -> None:
    out = html('<script>alert(1)</script>\n\n<p onclick="x()">段</p>\n\n<!-- 注释 -->\n\n<iframe src="/x"></iframe>')
    assert "script" not in out and "onclick" not in out and "注释" not in out and "iframe" not in out
    assert "<p>段</p>" in out


@pytest.mark.parametrize("text", ["[链接](javascript:alert(1))", "[链接](JaVaScRiPt:alert(1))",
                                  '<a href="javascript:alert(1)">链接</a>', "[链接](data:text/html,x)"])
def test_unsafe_links_lose_their_address_and_keep_their_text(text: str) -> None:
    assert html(text) == '<p><a rel="noopener noreferrer">链接</a></p>'


def test_links_and_images_follow_the_base_path() -> None:
    assert html("[站内](/cases/x/) ![图](/img/a.png) [外站](https://e.example/)", "/sub/") == (
        '<p><a href="/sub/cases/x/" rel="noopener noreferrer">站内</a> <img alt="图" src="/sub/img/a.png"> '
        '<a href="https://e.example/" rel="noopener noreferrer">外站</a></p>')


def test_images_from_other_hosts_lose_their_src() -> None:
    assert html("![外站](https://e.example/x.png) ![斜杠](/\\evil.example/x.png)") == (
        '<p><img alt="外站"> <img alt="斜杠"></p>')


def test_attribute_lists_keep_only_allowed_attributes() -> None:
    assert html('段落\n{: #p1 .note onclick="x()" style="color:red" }') == '<p class="note" id="p1">段落</p>'


def test_theme_ids_are_renamed_in_a_body() -> None:
    body = MarkdownRenderer().render("## 主要 {#main}\n\n[跳](#main)\n\n## 次 {#main_1}")
    protected = protect_ids(body, frozenset({"main", "copy-link"}))
    assert [h.id for h in protected.headings] == ["main_2", "main_1"]
    assert '<h2 id="main_2">' in protected.html and 'href="#main_2"' in protected.html
    assert protect_ids(protected, frozenset({"main"})) is protected


# -- one parser per thread, reset for every body ----------------------------------------------------

def test_no_state_carries_from_one_body_to_the_next() -> None:
    r = MarkdownRenderer()
    first = r.render("## 标题\n\n注[^1]\n\n[^1]: 脚注")
    second = r.render("## 标题\n\n正文")
    assert [h.id for h in second.headings] == ["标题"] and "footnote" not in second.html
    assert r.render("## 标题\n\n注[^1]\n\n[^1]: 脚注") == first


def test_threads_render_at_once_without_mixing_bodies() -> None:
    texts = [f"## 标题{i}\n\n- 一\n  - 二\n\n注{i}[^n]\n\n[^n]: 脚注{i}\n" for i in range(8)]
    expected = [MarkdownRenderer().render(t) for t in texts]
    got: dict[int, list[Rendered]] = {}

    def work(i: int) -> None:
        got[i] = [MarkdownRenderer().render(t) for t in texts * 20]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(bodies == expected * 20 for bodies in got.values())


def test_sample_content_renders() -> None:
    """Every sample case renders, with its headings found (the sample site is compared byte
    for byte by the build tests)."""
    for path in sorted((ROOT / "content").glob("*.md")):
        body = path.read_text("utf-8").split("\n---\n", 1)[1]
        r = MarkdownRenderer().render(body)
        assert r.html and len(r.headings) == len(re.findall(r"^#{2,6} ", body, re.M)), path.name


# -- the plain-text fast path ----------------------------------------------------------------------

PLAIN_TEXT_CASES = [
    "只有中文的一段。\n\n第二段，也没有标记。",
    "行尾两个空格  \n换行", "行尾一个空格 \n不换行", "`代码`与\\*转义\\*", "&amp; 与 &#20013; 与 & 单独",
    "<span>内联</span> 与 <https://example.org> 与 <a@b.cn>", "**粗体**、*斜体*、_下划线_、snake_case",
    "[链接](https://example.org)、![图](a.png)、[^1]\n\n[^1]: 脚注",
    "- 列表项\n  - 嵌套\n\n> 引用，**粗**\n\n| 表 | 头 |\n|---|---|\n| 甲 | 乙 |",
    "## 标题 {#id}\n\n段落 {: .cls}\n\n    缩进代码 *不是* 强调",
]


def _without_fast_path() -> markdown.Markdown:
    md = markdown_parser()
    md.treeprocessors.deregister("casebook_plain_text")
    return md


def test_plain_text_fast_path_changes_no_output() -> None:
    """Text where no inline pattern can match skips the patterns (``_PlainText``); the HTML
    of the feature file, the sample content, 400 generated bodies and the cases above,
    written with and without it, is the same."""
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_corpus

    provinces = yaml.safe_load((ROOT / "casebook/data/provinces.yaml").read_text("utf-8"))
    practices = [p["name"] for p in yaml.safe_load((ROOT / "data/practices.yaml").read_text("utf-8"))]
    bodies = [gen_corpus._case(random.Random(f"5:{i}"), i, provinces, practices)[1] for i in range(400)]
    bodies += [FEATURES.read_text("utf-8"), *PLAIN_TEXT_CASES]
    bodies += [path.read_text("utf-8").split("\n---\n", 1)[1] for path in sorted((ROOT / "content").glob("*.md"))]
    fast, slow = markdown_parser(), _without_fast_path()
    assert "casebook_plain_text" in fast.treeprocessors
    for body in bodies:
        assert fast.reset().convert(body) == slow.reset().convert(body), body


def test_an_unknown_inline_pattern_turns_the_fast_path_off() -> None:
    """A later extension's inline pattern is not in the trigger table: every text is tried."""
    md = markdown_parser()
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"(~~)(.+?)~~", "del"), "del", 70)
    assert md.convert("中文~~删除~~中文") == "<p>中文<del>删除</del>中文</p>"
