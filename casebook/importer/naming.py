"""ASCII names for imported articles: slugs and section anchors, from pinyin.

Slugs must be ``[a-z0-9-]+`` and stable across re-imports, so they are built
from the resolved place (pinyin, via pypinyin) plus a short hash of the input's
text as decoded (never of its bytes, file name or the clock): re-importing gives
the same file, and one article saved twice in two encodings gives one file. The
Markdown an editor changes afterwards is never hashed, so hand edits never
rename a file.
"""

from __future__ import annotations

import hashlib
import re

from pypinyin import lazy_pinyin

#: Administrative suffixes dropped from a place before it becomes a slug word.
SUFFIXES = re.compile(r"(党群服务中心|服务中心|服务站|街道|社区|自治县|自治州|地区|县|区|市|镇|乡|村|旗|盟)")
HASH_LENGTH = 6


def pinyin_word(name: str) -> str:
    """One ASCII word for a Chinese name: 嵩明 -> songming."""
    word = "".join(lazy_pinyin(name, errors="ignore"))
    return re.sub(r"[^a-z0-9]", "", word.lower().replace("ü", "v"))


def place_words(name: str) -> list[str]:
    """Pinyin words for the parts of a place name: 红塔区高仓街道 -> [hongta, gaocang]."""
    parts = [p for p in SUFFIXES.split(name) if p and not SUFFIXES.fullmatch(p)]
    return [w for w in (pinyin_word(p) for p in parts) if w]


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
