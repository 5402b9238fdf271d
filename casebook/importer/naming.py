"""ASCII names for imported articles: slugs and section anchors, from pinyin.

Slugs must be ``[a-z0-9-]+`` and stable across re-imports, so they are built
from the resolved place (pinyin, via pypinyin) plus a short hash of the input's
text as decoded (never of its bytes, file name or the clock): re-importing gives
the same file, and one article saved twice in two encodings gives one file. The
Markdown an editor changes afterwards is never hashed, so hand edits never
rename a file.

The pinyin words come from :mod:`casebook.pinyin` (shared with the build's term
slugs); its table of the gazetteer's place names is made here, by
:func:`write_place_pinyin` (``tests/importer/test_naming.py`` checks it against both).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from ..pinyin import PLACE_PINYIN, name_parts, place_words, pypinyin_word

HASH_LENGTH = 6


def place_pinyin_table() -> dict[str, str]:
    """What ``PLACE_PINYIN`` holds: each part of every city and county name in the
    gazetteer (嵩明 of 嵩明县) -> its pinyin word, from pypinyin."""
    from .place import gazetteer

    return {part: pypinyin_word(part) for name in sorted(gazetteer().place_names()) for part in name_parts(name)}


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
