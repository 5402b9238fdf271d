"""Bytes -> text: the decoding stage that runs before every text pass.

Scraped Chinese pages arrive as UTF-8, GBK/GB18030 or Big5, often without a
declared charset. Strict UTF-8 is tried first because it almost never decodes
non-UTF-8 bytes by accident; otherwise charset-normalizer chooses among the
Chinese encodings only (restricting its candidates stops it from "finding"
cp1252 or KOI8 in GBK bytes). A file nothing decodes is a CasebookError naming
the file, never a traceback and never silently replaced characters.
"""

from __future__ import annotations

import re

from ..errors import CasebookError

#: Candidate encodings for non-UTF-8 input, as charset-normalizer names them.
#: GB18030 is a superset of GBK and GB2312, so it decodes all three.
CHINESE_ENCODINGS = ["gb18030", "big5"]

#: Control characters that never occur in a real article: their presence means
#: the bytes were not text (or were decoded with the wrong table).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode raw article bytes, trying the declared charset, UTF-8, then detection.

    ``declared`` is an HTTP or ``<meta>`` charset; it is trusted only when it
    decodes the whole input strictly, because Chinese sites often lie about it.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    candidates = [declared] if declared else []
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates.append("utf-8")
    for name in candidates:
        text = _strict(data, _normalise_name(name))
        if text is not None and not _CONTROL.search(text):
            return text
    import charset_normalizer  # only bytes that no declared charset or UTF-8 decodes need it

    best = charset_normalizer.from_bytes(data, cp_isolation=CHINESE_ENCODINGS).best()
    if best is not None:
        text = str(best)
        if not _CONTROL.search(text):
            return text
    raise CasebookError("cannot decode: not UTF-8, GBK/GB18030 or Big5 text", source)


def _normalise_name(name: str) -> str:
    """Widen GBK-family names to GB18030 so a stray extension character still decodes."""
    lowered = name.lower().replace("_", "-")
    return "gb18030" if lowered in {"gbk", "gb2312", "gb-2312", "cp936", "x-gbk"} else lowered


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
