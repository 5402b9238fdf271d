"""ASCII words for Chinese names, from pinyin: place and term slugs.

Shared by the importer (case slugs, section anchors) and the build (city and free-form
taxonomy term slugs), so one name gets one word everywhere. The pinyin of every place
name the gazetteer knows is kept ready in ``casebook/data/place_pinyin.json`` (made from
pypinyin itself by :func:`casebook.importer.naming.write_place_pinyin`): importing
pypinyin loads its phrase dictionaries, ~0.3 s, too much for a build or a one-file import
whose names are all places. Other names still go through pypinyin.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

#: The Han character ranges (CJK unified ideographs, extension A, compatibility ideographs):
#: the one definition the build and the importer share.
HAN = "\u3400-\u9fff\uf900-\ufaff"
#: Administrative suffixes dropped from a place before it becomes a slug word.
SUFFIXES = re.compile(r"(党群服务中心|服务中心|服务站|街道|社区|自治县|自治州|地区|县|区|市|镇|乡|村|旗|盟)")
#: Pinyin words of the gazetteer's place names (see the module's docstring).
PLACE_PINYIN = "data/place_pinyin.json"


def pinyin_word(name: str) -> str:
    """One ASCII word for a Chinese name: 嵩明 -> songming."""
    known = place_pinyin().get(name)
    return known if known is not None else pypinyin_word(name)


def pypinyin_word(name: str) -> str:
    """:func:`pinyin_word` from pypinyin itself, without the gazetteer's table."""
    # pypinyin's dictionaries take ~0.3 s to load: only when a name is not in the table
    from pypinyin import lazy_pinyin

    word = "".join(lazy_pinyin(name, errors="ignore"))
    return re.sub(r"[^a-z0-9]", "", word.lower().replace("ü", "v"))


def name_parts(name: str) -> list[str]:
    """A place name without its administrative suffixes: 红塔区高仓街道 -> [红塔, 高仓]."""
    return [p for p in SUFFIXES.split(name) if p and not SUFFIXES.fullmatch(p)]


@cache
def place_pinyin() -> dict[str, str]:
    """The gazetteer's place-name parts -> pinyin words (``PLACE_PINYIN``)."""
    return json.loads(resources.files("casebook").joinpath(PLACE_PINYIN).read_text("utf-8"))


def place_words(name: str) -> list[str]:
    """Pinyin words for the parts of a place name: 红塔区高仓街道 -> [hongta, gaocang]."""
    return [w for w in (pinyin_word(p) for p in name_parts(name)) if w]


def slug_words(text: str) -> str:
    """A slug for any text: ASCII words as they are (lowercased), Chinese (or other
    letters) as pinyin, joined by ``-``: ``AI 治理`` -> ``ai-zhili``, 示范点 -> ``shifandian``.
    ``""`` when nothing is left (punctuation only)."""
    runs = re.findall(r"[a-z0-9]+|[^\W_a-z0-9]+", unicodedata.normalize("NFKC", text).lower())
    return "-".join(w for w in (run if run.isascii() else pinyin_word(run) for run in runs) if w)
