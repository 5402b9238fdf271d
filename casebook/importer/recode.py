"""Repair text that went through the wrong decoder: re-encode it, decode it again.

Two kinds of damage, both seen in scraped Chinese pages:

* **UTF-8 read as GBK** (``鎴戜滑`` for ``我们``): a UTF-8 Han character is three
  bytes; read as GBK every two bytes became one character, so a damaged stretch
  has about 1.5 characters per original one, mostly rare ones (鎴 戜 鐨 锛 銆).
  Python's GBK decoder turns a byte it cannot pair (0x80, or a pair in GBK's
  user-defined area) into one ``�``; browsers' GB18030 decoders turn the
  user-defined pairs into private-use characters and 0x80 into ``€`` or ``�``.
* **GBK (or UTF-8) read as Latin-1 / cp1252** (``ÎÒÃÇ`` for ``我们``): every byte
  became one Latin character; nothing was lost.

Repair: find the runs of characters that could be such bytes, rebuild the bytes,
decode them with the right codec and keep the result only when it is clearly
more plausible Chinese than what was there (:func:`_plausible`). Plausibility is
the share of *common* characters - GB2312 level 1 (lead byte 0xB0-0xD7) and
Big5's frequently used characters (0xA440-0xC67E), both read off the codecs -
and common CJK punctuation; the thresholds are in ``settings.toml``
``[utf8_as_gbk]``. No list of damage strings is involved.

Nothing is guessed. A ``�`` stands for one byte whose value is lost; it is
restored only when the bytes around it admit exactly one GB2312 character
(``。`` is E3 80 82: with 0x80 lost, every other byte the decoder would also have
rejected gives a character outside GB2312) and the damaged stretch goes on after
it. Otherwise, as for a character cut at the end of a stretch (its last byte
became ``�``), the article decides, as in :mod:`~casebook.importer.mojibake`: of
the characters whose UTF-8 bytes fit the known ones (and the values the decoder
would also have rejected), one is restored when it alone forms, with its known
neighbours, a phrase that occurs elsewhere in the article's undamaged or repaired
text (:func:`_restore_confirmed`); otherwise the character is dropped. The pass
runner reports every repair as ``old → new``, so dropped characters are visible in
the import report.

The article also vouches for rare characters. Damaged text opening with a
character that is not common (``椹跨珯`` for ``驿站``: 驿 is GB2312 level 2; clean
text next to damage often reads as such a character, so a window may not open
with one), or a stretch with too many rare characters to be plausible, is
repaired only when each rare character forms, with a known Han neighbour, a
phrase of two characters that occurs elsewhere in the article's undamaged or
repaired text (:class:`_Deferred`); else it stays as it was.

GBK bytes decoded as UTF-8 with replacement characters (``��``) cannot be
repaired: the bytes are gone. :mod:`~casebook.importer.encoding` never decodes
that way (it refuses input no codec decodes strictly), so it only happens
upstream of us, and such text is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..pinyin import HAN
from .settings import setting

#: Fewest distinct common characters a repair must produce: one is too little evidence.
MIN_CHARS = setting("utf8_as_gbk", "min_chars")
#: Share of common characters the repaired text needs...
MIN_SHARE = setting("utf8_as_gbk", "min_common_share")
#: ...and how much higher it must be than the damaged text's share.
MIN_GAIN = setting("utf8_as_gbk", "min_gain")
#: Repaired length over damaged length, at most (UTF-8 as GBK: 2/3; as Latin-1: 1/2 or 1/3).
MAX_RATIO_GBK = setting("utf8_as_gbk", "max_ratio_gbk")
MAX_RATIO_LATIN = setting("utf8_as_gbk", "max_ratio_latin")
#: Share of an article's Han characters that only Big5 counts as common, from which on
#: the article is Traditional and Big5's list counts too.
TRADITIONAL_SHARE = setting("utf8_as_gbk", "traditional_share")
#: CJK characters the damage must go on for after a worked-out lost byte (:func:`_settle`).
SETTLE_AFTER = setting("utf8_as_gbk", "settle_after")
#: Known Han neighbours a phrase confirming a lost character needs on one side when it has
#: none on the other. Two confirm wrongly now and then (服务[队] as 服务阵, the article having
#: 服务阵地: 2 wrong of 6,700 lost characters in articles of real sentences); three never did.
ONE_SIDE = setting("utf8_as_gbk", "one_side")

REPLACEMENT = "\ufffd"
#: CJK punctuation, and GB2312's full-width punctuation and digits (row 3 without letters).
_PUNCT = "。，、；：？！“”‘’（）《》〈〉【】「」『』—…·" + "".join(
    chr(c) for c in range(0xFF01, 0xFF5F) if not chr(c).isalpha()
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…·]")


@cache
def simplified_common() -> frozenset[str]:
    """GB2312 level 1 (lead byte 0xB0-0xD7: the 3,755 frequent characters) and punctuation."""
    found = set(_PUNCT)
    for lead in range(0xB0, 0xD8):
        found.update(_decoded(bytes([lead, trail]), "gb2312") for trail in range(0xA1, 0xFF))
    found.discard("")
    return frozenset(found)


@cache
def common_chars() -> frozenset[str]:
    """:func:`simplified_common` and Big5's 5,401 frequently used characters (0xA440-0xC67E)."""
    found = set(simplified_common())
    for lead in range(0xA4, 0xC7):
        trails = range(0x40, 0x7F) if lead == 0xC6 else [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
        found.update(_decoded(bytes([lead, trail]), "big5") for trail in trails)
    found.discard("")
    return frozenset(found)


def _decoded(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return ""


def common_for(text: str) -> frozenset[str]:
    """The common characters to judge ``text`` by, in its own script.

    Big5's list holds characters that are rare in Simplified text but frequent in
    mojibake (鏃 跺 for 时帮), so it counts only in a Traditional article.
    """
    han = _HAN.findall(text)
    traditional = sum(c in common_chars() and not _in_gb2312(c) and not _utf8_shaped(c) for c in han)  # 們 這 說 區
    return common_chars() if han and traditional >= TRADITIONAL_SHARE * len(han) else simplified_common()


def _utf8_shaped(char: str) -> bool:
    """Both GBK bytes of ``char`` could be pieces of UTF-8 Chinese (a lead byte E2-EF or a
    continuation byte): mojibake has many such Big5-common characters (``鍛樹細`` for
    ``员会``), so they do not make a short damaged Simplified text count as Traditional."""
    raw = _gbk_bytes(char) or b""
    return len(raw) == 2 and all(0x80 <= b < 0xC0 or 0xE2 <= b <= 0xEF for b in raw)


def share_common(text: str, common: frozenset[str]) -> float:
    """Share of the non-ASCII characters of ``text`` that are in ``common``."""
    wide = [c for c in text if c > "\x7f"]
    if not wide:
        return 0.0
    return sum(c in common for c in wide) / len(wide)


# --- finding the damage cheaply ------------------------------------------------------


#: The quick check for UTF-8 read as GBK: two UTF-8 three-byte sequences in a
#: row (lead E2-E9 or EF, two continuation bytes 80-BF) in the bytes the GBK
#: decoder saw. Every stretch of two or more Han characters read as GBK has them;
#: clean GBK text seldom does (no line of the test corpora, 2 places in pypinyin's
#: 144,000 characters of phrases), so most articles stop here. The bytes are
#: mapped to classes (L lead, C continuation) so a plain ``find`` does the search.
_BYTE_CLASS = bytes(
    ord("L") if b in range(0xE2, 0xEA) or b == 0xEF else ord("C") if 0x80 <= b < 0xC0 else ord(".")
    for b in range(256)
)
#: ``�`` in GB18030; for the quick check it stands for the continuation byte it replaced.
_LOST_BYTE = REPLACEMENT.encode("gb18030")


def _looks_utf8(text: str) -> bool:
    raw = text.encode("gb18030", "ignore").replace(_LOST_BYTE, b"\x80")
    return raw.translate(_BYTE_CLASS).find(b"LCCLCC") >= 0


#: Bytes 0x80-0xFF as Latin-1 and as cp1252 show them.
_LATIN_BYTE = {chr(b): b for b in range(0x80, 0x100)} | {
    _decoded(bytes([b]), "cp1252"): b for b in range(0x80, 0xA0) if _decoded(bytes([b]), "cp1252")
}
_HIGH = "".join(re.escape(c) for c in _LATIN_BYTE)
#: The quick check for GBK or UTF-8 read as Latin-1, on the text's Latin-1
#: characters alone (a cheap encode): a GB2312 character's bytes (lead 0xB0-0xF7,
#: trail 0xA1-0xFE), or a UTF-8 Han lead byte (0xE4-0xE9) and another high byte.
_LATIN_SIGNAL = re.compile(rb"[\xb0-\xf7][\xa1-\xfe]|[\xe4-\xe9][\x80-\xff]")
#: A run of such bytes; single ASCII letters inside may be GBK trail bytes.
_LATIN_RUN = re.compile(rf"[{_HIGH}]+(?:[\x40-\x7e][{_HIGH}]+)*")


def recode_mojibake(text: str) -> str:
    """Re-decode stretches of UTF-8 read as GBK, and of GBK or UTF-8 read as Latin-1.

    >>> recode_mojibake("社区工作：鎴戜滑鐨勭ぞ鍖烘不鐞嗗彇寰楁垚鏁堬紝灞呮皯婊℃剰")
    '社区工作：我们的社区治理取得成效，居民满意'
    >>> recode_mojibake("ÎÒÃÇµÄÉçÇø")
    '我们的社区'
    """
    if _looks_utf8(text):
        gb18030_style = bool(re.search("[\ue000-\uf8ff]", text))
        common = common_for(text)
        cells: list[str | _Char | _Deferred] = []
        for k, line in enumerate(text.split("\n")):
            if k:
                cells.append("\n")
            for piece in _repair_gbk_line(line, gb18030_style, common):
                cells.extend(piece if isinstance(piece, str) else [piece])
        text = _restore_confirmed(cells)
    if _LATIN_SIGNAL.search(text.encode("latin-1", "ignore")):
        common = common_for(text)
        text = _LATIN_RUN.sub(lambda match: _repair_latin_run(match.group(0), common), text)
    return text


# --- UTF-8 read as GBK -------------------------------------------------------------------


def _gbk_bytes(char: str) -> bytes | None:
    """The bytes a GBK/GB18030 decoder made ``char`` from (ASCII is itself), or None.

    ``€`` is A2 E3 in GB18030 but the single byte 0x80 in cp936 and the browsers'
    GBK decoder; :meth:`_Run.__init__` tells them apart.
    """
    if char < "\x80":
        return char.encode("ascii")
    try:
        raw = char.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return raw if len(raw) == 2 else None


def _repair_gbk_line(line: str, gb18030_style: bool, common: frozenset[str]) -> list[str | _Char | _Deferred]:
    """Repair each run of characters that could all be UTF-8 bytes read as GBK:
    two-byte GBK characters, ``�`` (one lost byte) and ASCII (both codecs share it).

    A character whose bytes are lost stays in the result as its :class:`_Char`, for
    :func:`_restore_confirmed` to restore or drop."""
    if not _looks_utf8(line):
        return [line]
    pieces = [None if char == REPLACEMENT else _gbk_bytes(char) for char in line]
    out: list[str | _Char | _Deferred] = []
    last, start = 0, None
    for i in range(len(line) + 1):
        inside = i < len(line) and (pieces[i] is not None or line[i] == REPLACEMENT)
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            if _looks_utf8(line[start:i]):
                out.append(line[last:start])
                out.extend(_Run(line[start:i], pieces[start:i], gb18030_style, common).repaired())
                last = i
            start = None
    out.append(line[last:])
    return out


#: The values a lost UTF-8 byte can have: any continuation byte, or any lead byte
#: of a sequence of the given length.
_CONTINUATION = frozenset(range(0x80, 0xC0))
_LEADS = {2: frozenset(range(0xC2, 0xE0)), 3: frozenset(range(0xE0, 0xF0)), 4: frozenset(range(0xF0, 0xF5))}


@dataclass(frozen=True)
class _Char:
    """A character decoded from the rebuilt bytes ``[start, end)``."""

    char: str | None  # None: lost (its bytes do not tell which character it was)
    start: int
    end: int
    restored: bool = False  # a lost byte was worked out from the bytes around it
    #: A lost character: the values each byte of its UTF-8 sequence can have (one value
    #: for a known byte); empty when its length is unknown (it cannot be restored).
    shape: tuple[frozenset[int], ...] = ()

    def fits_bytes(self, raw: bytes) -> bool:
        """A character's UTF-8 bytes ``raw`` fit what is known of the lost character's bytes."""
        return len(raw) == len(self.shape) and all(b in values for b, values in zip(raw, self.shape, strict=True))

    def unconstrained(self) -> _Char:
        """The same lost character when the byte after a ``�`` may be clean text: the
        decoder's rejection of the pair says nothing, any continuation byte fits."""
        shape = tuple(_CONTINUATION if len(v) > 1 and k else v for k, v in enumerate(self.shape))
        return _Char(None, self.start, self.end, shape=shape)


@dataclass(frozen=True, eq=False)
class _Deferred:
    """Damaged text whose repair holds characters that are not common Chinese: it is
    repaired only when the article confirms every one of them (:func:`_restore_confirmed`),
    else it stays as it was."""

    damaged: str
    items: tuple[str | _Char, ...]  # the repair, a lost character as its _Char
    rare: tuple[int, ...]  # positions in ``items`` of the characters the article must confirm

    def confirmed(self, cells: list[str | _Char | _Deferred], k: int, context: str) -> bool:
        """Each rare character forms, with a known Han neighbour (in the repair or next
        to it), a phrase of two characters that occurs elsewhere in ``context``."""
        def known(cell: object) -> str:
            return cell if isinstance(cell, str) and _HAN_CHAR.match(cell) else ""

        for p in self.rare:
            char = self.items[p]
            assert isinstance(char, str), "a rare position holds a decoded character"
            left = known(self.items[p - 1] if p else cells[k - 1] if k else None)
            after = self.items[p + 1] if p + 1 < len(self.items) else cells[k + 1] if k + 1 < len(cells) else None
            right = known(after)
            if not (left and left + char in context or right and char + right in context):
                return False
        return True


@dataclass
class _Pending:
    """A window the window rule rejected, while the run goes on: it becomes a
    :class:`_Deferred` up to a later accepted window that starts on one of its
    character boundaries (``cuts``: run character -> decoded characters before it),
    or whole (when ``whole``) if no window is accepted inside it."""

    start: int
    end: int
    decoded: list[_Char]
    cuts: dict[int, int]
    whole: bool
    run: _Run

    def deferred(self, text: str, upto: int) -> str | _Deferred:
        part = self.decoded[:self.cuts[upto]] if upto in self.cuts else self.decoded
        items = tuple(d.char or d for d in part)
        rare = tuple(p for p, d in enumerate(part) if self.run._rare(d))
        if not rare:
            return text[self.start:upto]
        return _Deferred(text[self.start:upto], items, rare)


class _Run:
    """A run of possibly damaged text as the byte stream the GBK decoder saw."""

    def __init__(self, run: str, pieces: list[bytes | None], gb18030_style: bool, common: frozenset[str]) -> None:
        self.run = run
        self.gb18030_style = gb18030_style
        self.common = common
        self.stream: list[int | None] = []  # None: a byte the decoder replaced with �
        self.offsets: list[int] = []  # first byte of each character, and the end
        pieces = list(pieces)
        for i, char in enumerate(run):
            if char == "€":  # a lost byte (�) inside UTF-8 Chinese is a continuation byte
                pieces[i] = _euro(b"".join(p or b"\x80" for p in pieces[i + 1:i + 3])[:2])
        for raw in pieces:
            self.offsets.append(len(self.stream))
            self.stream.extend([None] if raw is None else raw)
        self.offsets.append(len(self.stream))
        self.starts = {offset: i for i, offset in enumerate(self.offsets)}  # offset -> character
        #: Characters a window can start at: a UTF-8 lead byte, then a continuation byte.
        self.openers = {i for i, raw in enumerate(pieces) if raw and len(raw) == 2
                        and 0xC2 <= raw[0] <= 0xF4 and 0x80 <= raw[1] < 0xC0}

    def repaired(self) -> list[str | _Char | _Deferred]:
        """Replace each window whose bytes decode as clearly more plausible Chinese;
        a lost character stays as its :class:`_Char`.

        Damage the window rule leaves because of characters that are not common
        Chinese - a rare character opening a stretch (``椹跨珯`` for ``驿站``: 驿 is
        GB2312 level 2), or so many rare ones that a window is not plausible -
        becomes a :class:`_Deferred`, for the article to confirm. It covers exactly
        the text the window rule left as it was, so an unconfirmed one changes
        nothing.
        """
        run, done, i = self.run, 0, 0
        out: list[str | _Char | _Deferred] = []
        pending: _Pending | None = None
        while i <= len(run):
            if pending is not None and i >= pending.end:  # nothing accepted inside it
                if pending.whole:
                    out.append(run[done:pending.start])
                    out.append(pending.deferred(run, pending.end))
                    done = pending.end
                pending = None
            if i == len(run):
                break
            if i in self.openers:
                window = self._window(i)
                if window is not None:
                    end, decoded = window
                    repaired = "".join(d.char for d in decoded if d.char)
                    lost = sum(d.char is None for d in decoded)
                    if _plausible(run[i:end], repaired, lost, MAX_RATIO_GBK, self.common):
                        if pending is not None and i in pending.cuts:  # the rare opening before this window
                            out.append(run[done:pending.start])
                            out.append(pending.deferred(run, i))
                            done = i
                        out.append(run[done:i])
                        out.extend(d.char or d for d in decoded)
                        pending = None
                        done = i = end
                        continue
                if pending is None:
                    pending = self._pending(i)
            i += 1
        out.append(run[done:])
        return out

    def _rare(self, char: _Char) -> bool:
        """A decoded Han character that is not common: kept only when the article confirms it."""
        return char.char is not None and bool(_HAN_CHAR.match(char.char)) and char.char not in self.common

    def _pending(self, first: int) -> _Pending | None:
        """The window from character ``first`` that the window rule rejected, kept for
        the article to confirm: it opens on a rare character, or it is plausible once
        its rare characters count as common. Every character not common is a rare Han
        character (anything else cannot be confirmed)."""
        window = self._window(first, keep_rare=True)
        if window is None:
            return None
        end, decoded = window
        while decoded and _ascii(decoded[-1]):  # ASCII after it is itself (达鍝ф簻800): not part of it
            decoded.pop()
            end -= 1
        if any(d.char is not None and d.char > "\x7f" and d.char not in self.common and not self._rare(d)
               for d in decoded):
            return None
        rare = {d.char for d in decoded if d.char is not None and self._rare(d)}
        if not rare:
            return None
        repaired = "".join(d.char for d in decoded if d.char)
        lost = sum(d.char is None for d in decoded)
        whole = _plausible(self.run[first:end], repaired, lost, MAX_RATIO_GBK, self.common | rare)
        cuts = {self.starts[d.start]: k for k, d in enumerate(decoded) if k and d.start in self.starts}
        return _Pending(first, end, decoded, cuts, whole, self)

    def _window(self, first: int, keep_rare: bool = False) -> tuple[int, list[_Char]] | None:
        """The characters decoded from character ``first`` on, and where they end.

        Decoded characters at the end that are likely clean text next to the damage
        (:func:`_given_back`) are given back when they cover whole characters of the
        run; a window that starts with one, or ends inside a character of the run,
        is no window. (So a damaged ``·`` at either end of a stretch stays ``路``:
        C2 B7 is both.) With ``keep_rare``, a window may open with a Han character that
        is not common: the article will have to confirm it. (At the end, a Han
        character of three bytes never covers whole characters of the run: its bytes
        are those of one and a half.)
        """
        decoded = self._decode(self.offsets[first])
        trimmed = list(decoded)
        while trimmed and _given_back(trimmed[-1]) and trimmed[-1].start in self.starts:
            trimmed.pop()
            if not _ascii(decoded[len(trimmed)]):
                decoded = list(trimmed)
        if decoded and _given_back(decoded[0]) and not (keep_rare and _HAN_CHAR.match(decoded[0].char or "")):
            return None  # the next start gets its turn
        if not decoded or decoded[-1].end not in self.starts:
            return None
        return self.starts[decoded[-1].end], _settle(decoded)

    def _decode(self, pos: int) -> list[_Char]:
        """Decode UTF-8 from ``pos`` until a byte does not fit."""
        stream, out = self.stream, []
        while pos < len(stream):
            byte = stream[pos]
            if byte is None:  # a lost lead byte: the character and its continuations are gone
                end = pos + 1
                tail: list[int] = []  # its continuation bytes
                while end < len(stream) and (following := stream[end]) is not None and 0x80 <= following < 0xC0:
                    tail.append(following)
                    end += 1
                size = end - pos
                lost_shape: tuple[frozenset[int], ...] = (
                    (_LEADS[size], *(frozenset([b]) for b in tail)) if size in _LEADS else ()
                )
                out.append(_Char(None, pos, end, shape=lost_shape))
                pos = end
                continue
            size = _utf8_size(byte)
            if size == 0:
                break
            if pos + size > len(stream):  # cut at the end of the run: its last byte became �
                rest = stream[pos + 1:]
                if None in rest and all(b is None or 0x80 <= b < 0xC0 for b in rest):
                    shape = [frozenset([byte])] + [_CONTINUATION] * (size - 1)
                    for k, b in enumerate(rest, 1):
                        if b is not None:
                            shape[k] = frozenset([b])
                    out.append(_Char(None, pos, len(stream), shape=tuple(shape)))
                break
            char = self._sequence(pos, size)
            if char is None:
                break
            out.append(char)
            pos += size
        return out

    def _sequence(self, pos: int, size: int) -> _Char | None:
        """One UTF-8 sequence, or None when its known bytes are not UTF-8.

        A lost continuation byte is worked out only when exactly one of the values
        the decoder would also have rejected gives a GB2312 character.
        """
        seq = self.stream[pos:pos + size]
        holes = [k for k, b in enumerate(seq) if b is None]
        if not holes:
            text = _decoded(bytes(b for b in seq if b is not None), "utf-8")  # no holes: every byte
            return _Char(text, pos, pos + size) if text else None
        if any(b is not None and not 0x80 <= b < 0xC0 for b in seq[1:]):
            return None
        shape = tuple(
            frozenset([b]) if b is not None
            else frozenset(_hidden_values(self._byte(pos + k + 1), self.gb18030_style))
            for k, b in enumerate(seq)
        )
        if len(holes) > 1:
            return _Char(None, pos, pos + size, shape=shape)
        found = _fillings(tuple(seq), self._byte(pos + holes[0] + 1), self.gb18030_style)
        if found is None:
            return None
        if len(found) == 1:
            return _Char(found[0], pos, pos + size, restored=True, shape=shape)
        return _Char(None, pos, pos + size, shape=shape)

    def _byte(self, pos: int) -> int | None:
        return self.stream[pos] if pos < len(self.stream) else None


def _euro(following: bytes) -> bytes:
    """The bytes behind a ``€``: GB18030's A2 E3 when two continuation bytes follow
    (E3 starts a three-byte UTF-8 character), else cp936's 0x80 (after which a
    second continuation byte could not follow)."""
    if len(following) == 2 and all(0x80 <= b < 0xC0 for b in following):
        return b"\xa2\xe3"
    return b"\x80"


def _given_back(char: _Char) -> bool:
    """A decoded character at a window's end that is likely clean text next to the
    damage: ASCII, a two-byte UTF-8 character (U+0080-U+07FF: clean 思路 is CB BC
    C2 B7, which reads ˼·) or anything not common Chinese."""
    return not char.restored and char.char is not None and (char.char < "\u0800" or _foreign(char))


def _foreign(char: _Char) -> bool:
    """Decoded, but neither ASCII nor common Chinese: likely clean text read wrongly."""
    return not char.restored and char.char is not None and char.char > "\x7f" and char.char not in common_chars()


def _ascii(char: _Char) -> bool:
    return char.char is not None and char.char < "\x80"


def _utf8_size(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


@cache
def _fillings(seq: tuple[int | None, ...], following: int | None, gb18030_style: bool) -> tuple[str, ...] | None:
    """The GB2312 characters ``seq`` can be with its one lost byte filled in;
    None when no value makes it UTF-8 at all."""
    found = set()
    for value in _hidden_values(following, gb18030_style):
        text = _decoded(bytes(value if b is None else b for b in seq), "utf-8")  # its one lost byte filled in
        if text:
            found.add(text)
    if not found:
        return None
    return tuple(sorted(c for c in found if _in_gb2312(c)))


@cache
def _hidden_values(following: int | None, gb18030_style: bool) -> tuple[int, ...]:
    """Continuation bytes a ``�`` can stand for, given the byte after it.

    The decoder printed ``�`` for one byte because it could not start a character
    together with the next byte; a byte it could have paired is ruled out.
    """
    if following is None or following < 0x40:
        return tuple(range(0x80, 0xC0))
    codec = "gb18030" if gb18030_style else "gbk"
    return tuple(v for v in range(0x80, 0xC0) if not _decoded(bytes([v, following]), codec))


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _settle(decoded: list[_Char]) -> list[_Char]:
    """A worked-out character needs the damage to go on after it (two CJK characters):
    at the end of a stretch the byte after the ``�`` may belong to clean text, which
    would narrow the candidates wrongly, so there it is lost instead."""
    settled = list(decoded)
    after = 0
    for k in range(len(settled) - 1, -1, -1):
        d = settled[k]
        if (d.restored or d.char is None) and after < SETTLE_AFTER:
            settled[k] = d.unconstrained()
        elif d.char and _CJK.match(d.char):
            after += 1
    return settled


#: Characters that count as a confirming phrase's neighbours: Han (not punctuation, not
#: Latin letters or digits, which say little about the character next to them).
_HAN_CHAR = re.compile(f"[{HAN}]")


def _restore_confirmed(cells: list[str | _Char | _Deferred]) -> str:
    """Restore a lost character only when the article confirms it, else drop it.

    ``cells`` is the repaired text, one character per cell, a lost character as its
    :class:`_Char`. A candidate is a character of the article whose UTF-8 bytes fit
    what is known of the lost one's; it is confirmed when it and known Han neighbours
    form a phrase that occurs elsewhere in the article's undamaged or repaired text
    (:func:`_phrases`). A lost character is restored when exactly one candidate is
    confirmed; otherwise it is dropped, as is one whose bytes say nothing. A
    :class:`_Deferred` repair is made when the article confirms its rare characters,
    else its damaged text stays.
    """
    candidates = _candidates(cells)
    deferred = any(isinstance(cell, _Deferred) for cell in cells)
    while True:  # rounds: a character restored or confirmed is a known neighbour in the next one
        # a lost character or an unconfirmed repair is a line break here, so no phrase
        # can match across it (nor a repair confirm itself)
        context = "".join(cell if isinstance(cell, str) else "\n" for cell in cells)
        grown = False
        if deferred:  # repairs of rare characters the article confirms
            expanded: list[str | _Char | _Deferred] = []
            for k, cell in enumerate(cells):
                if isinstance(cell, _Deferred) and cell.confirmed(cells, k, context):
                    expanded.extend(cell.items)
                    grown = True
                else:
                    expanded.append(cell)
            if grown:  # the article has more characters: candidates again
                cells = expanded
                context = "".join(cell if isinstance(cell, str) else "\n" for cell in cells)
                candidates = _candidates(cells)
                deferred = any(isinstance(cell, _Deferred) for cell in cells)
        restored = {}
        for k, cell in enumerate(cells):
            if isinstance(cell, _Char) and candidates.get(cell.shape):
                confirmed = [c for c in candidates[cell.shape] if any(p in context for p in _phrases(cells, k, c))]
                if len(confirmed) == 1:
                    restored[k] = confirmed[0]
        for k, char in restored.items():
            cells[k] = char
        if not restored and not grown:
            break
    return "".join(cell.damaged if isinstance(cell, _Deferred) else cell for cell in cells
                   if not isinstance(cell, _Char))


def _candidates(cells: list[str | _Char | _Deferred]) -> dict[tuple[frozenset[int], ...], list[str]]:
    """For what is known of each lost character's bytes: the article's characters whose
    UTF-8 bytes fit it."""
    by_start: dict[bytes, list[tuple[str, bytes]]] = {}  # the article's characters by first two bytes
    for char in {cell for cell in cells if isinstance(cell, str) and cell > "\x7f"}:
        raw = char.encode("utf-8")
        by_start.setdefault(raw[:2], []).append((char, raw))
    return {
        cell.shape: [char for first in cell.shape[0] for second in cell.shape[1]
                     for char, raw in by_start.get(bytes([first, second]), ()) if cell.fits_bytes(raw)]
        for cell in cells if isinstance(cell, _Char) and len(cell.shape) >= 2
    }


def _phrases(cells: list[str | _Char | _Deferred], k: int, candidate: str) -> list[str]:
    """The phrases that confirm ``candidate`` at cell ``k``: with a known Han neighbour
    on each side, or :data:`ONE_SIDE` on one side. A punctuation mark says little about the words
    before it (``党组织、`` in a sentence that ends ``党组织。``), so it needs a neighbour
    on each side."""
    left: list[str] = []
    for cell in reversed(cells[max(0, k - ONE_SIDE):k]):
        if not isinstance(cell, str) or not _HAN_CHAR.match(cell):
            break
        left.insert(0, cell)
    right: list[str] = []
    for cell in cells[k + 1:k + 1 + ONE_SIDE]:
        if not isinstance(cell, str) or not _HAN_CHAR.match(cell):
            break
        right.append(cell)
    phrases = []
    if left and right:
        phrases.append(left[-1] + candidate + right[0])
    if _HAN_CHAR.match(candidate):
        if len(left) >= ONE_SIDE:
            phrases.append("".join(left[-ONE_SIDE:]) + candidate)
        if len(right) >= ONE_SIDE:
            phrases.append(candidate + "".join(right[:ONE_SIDE]))
    return phrases


# --- GBK or UTF-8 read as Latin-1 / cp1252 -------------------------------------------


def _repair_latin_run(run: str, common: frozenset[str]) -> str:
    data = bytes(_LATIN_BYTE.get(c, ord(c)) for c in run)
    for start in range(min(3, len(run))):
        for codec in ("gb18030", "utf-8"):
            text, used = _valid_prefix(data[start:], codec)
            if used and _plausible(run[start:start + used], text, 0, MAX_RATIO_LATIN, common):
                return run[:start] + text + run[start + used:]
    return run


def _valid_prefix(data: bytes, codec: str) -> tuple[str, int]:
    """The longest prefix of ``data`` that decodes strictly, and its length in bytes."""
    try:
        return data.decode(codec), len(data)
    except UnicodeDecodeError as error:
        return data[:error.start].decode(codec), error.start


# --- the decision --------------------------------------------------------------------


def _plausible(damaged: str, repaired: str, lost: int, max_ratio: float, common: frozenset[str]) -> bool:
    """Accept a repair only when it is clearly more plausible Chinese than the damage:
    shorter by the codec's ratio, mostly common characters, and markedly better."""
    if len({c for c in repaired if c in common}) < MIN_CHARS:  # ×××× is not 鬃鬃
        return False
    if len(repaired) + lost > max_ratio * len(damaged):
        return False
    after = share_common(repaired, common)
    return after >= MIN_SHARE and after - share_common(damaged, common) >= MIN_GAIN
