"""ASCII names for imported articles: slugs and section anchors, from pinyin.

Slugs must be ``[a-z0-9-]+`` and stable across re-imports, so they are built
from the resolved place (pinyin, via pypinyin) plus a short hash of the input's
text as decoded (never of its bytes, file name or the clock): re-importing gives
the same file, and one article saved twice in two encodings gives one file. The
Markdown an editor changes afterwards is never hashed, so hand edits never
rename a file.

The pinyin of every place name the gazetteer knows is kept ready in
``casebook/data/place_pinyin.json`` (made from pypinyin itself by
:func:`write_place_pinyin`; ``tests/importer/test_naming.py`` checks it against both):
importing pypinyin loads its phrase dictionaries, ~0.3 s, too much for a one-file
import whose place the gazetteer resolved. Other names (section anchors, a county
typed on the command line) still go through pypinyin.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

#: Administrative suffixes dropped from a place before it becomes a slug word.
SUFFIXES = re.compile(r"(党群服务中心|服务中心|服务站|街道|社区|自治县|自治州|地区|县|区|市|镇|乡|村|旗|盟)")
HASH_LENGTH = 6
#: Pinyin words of the gazetteer's place names (see the module's docstring).
PLACE_PINYIN = "data/place_pinyin.json"


def pinyin_word(name: str) -> str:
    """One ASCII word for a Chinese name: 嵩明 -> songming."""
    known = _place_pinyin().get(name)
    return known if known is not None else _pinyin_word(name)


def _pinyin_word(name: str) -> str:
    from pypinyin import lazy_pinyin  # its dictionaries take ~0.3 s to load: only when needed

    word = "".join(lazy_pinyin(name, errors="ignore"))
    return re.sub(r"[^a-z0-9]", "", word.lower().replace("ü", "v"))


def _parts(name: str) -> list[str]:
    return [p for p in SUFFIXES.split(name) if p and not SUFFIXES.fullmatch(p)]


@cache
def _place_pinyin() -> dict[str, str]:
    return json.loads(resources.files("casebook").joinpath(PLACE_PINYIN).read_text("utf-8"))


def place_pinyin_table() -> dict[str, str]:
    """What ``PLACE_PINYIN`` holds: each part of every city and county name in the
    gazetteer (嵩明 of 嵩明县) -> its pinyin word, from pypinyin."""
    from .place import gazetteer

    return {part: _pinyin_word(part) for name in sorted(gazetteer().place_names()) for part in _parts(name)}


def place_words(name: str) -> list[str]:
    """Pinyin words for the parts of a place name: 红塔区高仓街道 -> [hongta, gaocang]."""
    return [w for w in (pinyin_word(p) for p in _parts(name)) if w]


def fingerprint(text: str) -> str:
    """A short hash of an article's text that ignores how it was saved.

    Only letters and digits count (no whitespace, markup punctuation or line ends),
    so the same page saved as UTF-8 or GBK, with CRLF or LF, gets one slug and
    cannot be published twice; callers pass Simplified text, so a Traditional copy
    matches too.
    """
    kept = "".join(ch for ch in text if ch.isalnum())
    return hashlib.sha1(kept.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def slug(province_slug: str | None, place: str | None, digest: str) -> str:
    """``yunnan-songming-3f2a1b``: province, place, the article's :func:`fingerprint`."""
    words = [province_slug] if province_slug else []
    words += place_words(place)[:1] if place else []
    return "-".join(words + [digest])


def anchors(names: list[str]) -> list[str]:
    """Unique anchors for section names, ``case-N`` when pinyin gives nothing."""
    out: list[str] = []
    for i, name in enumerate(names, 1):
        base = "-".join(place_words(name)[-2:]) or f"case-{i}"
        anchor, n = base, 2
        while anchor in out:
            anchor, n = f"{base}-{n}", n + 1
        out.append(anchor)
    return out


def write_place_pinyin() -> None:
    """Remake ``PLACE_PINYIN`` (after a gazetteer or pypinyin update)::

        python -c 'from casebook.importer import naming; naming.write_place_pinyin()'
    """
    path = Path(str(resources.files("casebook").joinpath(PLACE_PINYIN)))
    path.write_text(json.dumps(place_pinyin_table(), ensure_ascii=False, sort_keys=True, indent=0) + "\n", "utf-8")
