"""The theme's Jinja filters (casebook/filters.py): no browser needed, kept beside the theme tests."""

from __future__ import annotations

import json

from casebook.filters import article_count, cn_date, json_ld, keep_bar, shade, tiles
from casebook.model import Entry, Group
from casebook.taxonomy import load_provinces


def test_cn_date():
    assert cn_date("2025-04-22") == "2025年4月22日"
    assert cn_date("2025-04") == "2025年4月"
    assert cn_date(None) == ""


def test_shade_levels():
    assert shade(0, 9) == 0
    assert shade(1, 9) == 1
    assert shade(9, 9) == 4
    assert {shade(n, 4) for n in range(1, 5)} == {1, 2, 3, 4}


def test_tiles_cover_all_34_provinces_once():
    terms = load_provinces().terms
    cells = tiles(terms, ())
    assert len(cells) == 34
    assert len({(c["row"], c["col"]) for c in cells}) == 34, "two provinces share a tile"
    assert all(0 <= c["row"] < 8 and 0 <= c["col"] < 7 for c in cells), "the CSS has classes r0..r7 and c0..c6"
    assert all(c["count"] == 0 and c["level"] == 0 for c in cells)


def test_article_count_counts_articles_not_subcases():
    class A:  # only what the filter reads
        def __init__(self, slug):
            self.slug = slug

    a, b = A("a"), A("b")
    entries = (Entry(a), Entry(a, object()), Entry(b))  # type: ignore[arg-type]
    assert article_count(entries) == 2
    province = load_provinces().terms[0]
    cells = tiles([province], [Group("province", province, entries)])
    assert cells[0]["count"] == 2 and cells[0]["level"] == 4


def test_json_ld_is_safe_inside_a_script_element():
    out = str(json_ld({"headline": "</script><script>alert(1)</script> & 中文", "empty": "", "none": None}))
    assert "</script" not in out and "<" not in out and "&" not in out.replace("\\u0026", "")
    assert json.loads(out) == {"headline": "</script><script>alert(1)</script> & 中文"}
    assert "中文" in out  # readable, not \\u-escaped


def test_keep_bar_glues_the_separator():
    assert keep_bar("致美好｜星级") == "致美好\u2060｜星级"
    assert keep_bar("A | B") == "A\u2060| B"
    assert keep_bar("") == ""
