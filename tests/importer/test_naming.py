"""The ready-made pinyin of place names (``casebook/data/place_pinyin.json``)."""

from __future__ import annotations

import json
from importlib import resources

from casebook import pinyin
from casebook.importer import naming


def test_place_pinyin_table_is_pypinyin_for_every_gazetteer_name() -> None:
    """The table is exactly what pypinyin gives for every city and county of the gazetteer:
    a gazetteer or pypinyin update that changes either fails here (remake the table with
    ``python -c 'from casebook.importer import naming; naming.write_place_pinyin()'``)."""
    stored = json.loads(resources.files("casebook").joinpath(naming.PLACE_PINYIN).read_text("utf-8"))
    assert stored == naming.place_pinyin_table()
    assert len(stored) > 3000


def test_names_outside_the_table_go_through_pypinyin() -> None:
    assert "嵩阳" not in pinyin.place_pinyin()
    assert pinyin.pinyin_word("嵩阳") == "songyang"
    assert pinyin.place_words("红塔区高仓街道") == ["hongta", "gaocang"]
    assert pinyin.pinyin_word("重庆") == pinyin.pypinyin_word("重庆") == "chongqing"  # a phrase reading
