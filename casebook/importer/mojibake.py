"""Repair GBK text whose lead bytes lost their high bit, and other byte-level debris.

What the damage looks like (seen on county news mirrors): a GBK byte stream went
through a 7-bit channel that cleared the high bit of some lead bytes. The
sentence mark before the damage is lost and shows as ``?``; the next character's
lead byte became an ASCII character, e.g. ``現`` (AC 46) came out as ``,F``.
When the trail byte is itself >= 0x80 the decoder pairs it with the *following*
character's lead byte, so every character after it is shifted by one byte until
an ASCII trail byte re-synchronises the stream: ``。”龍泉社區`` became
``?!饼埲鐓^``. A shifted pair that is not valid GBK was dropped by the decoder
(two bytes lost, here the pair between 泉 and 社).

Repair: rebuild the byte stream (ASCII lead | 0x80, then the GBK bytes of the
shifted characters, then the ASCII trail) and decode it again. Because a dropped
pair cannot be seen in the bytes, every hypothesis - no pair lost, or one pair
lost at each possible position - is tried, and one is accepted only when the
same phrase occurs elsewhere in the article (the article confirms it). Nothing
unconfirmed is guessed: its characters are dropped, and the pass runner records
the dropped debris in the import report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..pinyin import HAN as _HAN

#: ``?`` (the lost sentence mark) after a Han character or closing mark, then the
#: de-highbitted lead byte, the shifted characters, and the trail byte (an ASCII
#: character, or ``?`` when the decoder replaced it).
#: A second ``?`` as the lead byte (0xBF) cannot be told from another lost
#: character, so ``??`` is left alone. Runs longer than :data:`MAX_SHIFTED`
#: characters are left for an editor: the decoder may have re-synchronised
#: inside them, and dropping a whole unconfirmed run would lose real text.
MAX_SHIFTED = 12
_DAMAGE = re.compile(
    rf"(?<=[{_HAN}”」』）])\?([\x21-\x3e\x40-\x7e])([^\x00-\x7f]{{0,{MAX_SHIFTED}}}?)([\x21-\x7e])"
)

#: The same damage when the ``?`` and lead byte are gone as well: only the shifted
#: characters and their ASCII trail byte (0x40-0x7E) remain, wedged between Han
#: characters (``們诩议T口`` for ``們在家門口``).
_SHIFTED_TAIL = re.compile(rf"(?<=[{_HAN}])([^\x00-\x7f]{{1,8}})([\x40-\x7e])(?=[{_HAN}])")

#: A pinyin annotation whose opening bracket was destroyed (``?cè)``): pure debris.
_BROKEN_ANNOTATION = re.compile(rf"(?<=[{_HAN}])\?[a-z\u00e0-\u00fc\u0101-\u01dc]{{1,6}}\)")

#: The sentence mark the lost ``?`` stood for: every damaged spot in our samples
#: sits at a sentence end, and GBK 。 (A1 A3) is the mark whose loss fits the bytes.
_LOST_MARK = "。"

#: Minimum characters the article must echo for a confirmation to count.
_MIN_PHRASE = 1


@dataclass(frozen=True)
class _Slot:
    """One character of a hypothesis: known, or only its lead or trail byte known."""

    char: str | None
    lead: int | None = None
    trail: int | None = None

    def fits(self, ch: str) -> bool:
        if self.char is not None:
            return ch == self.char
        try:
            raw = ch.encode("gbk")
        except UnicodeEncodeError:
            return False
        if len(raw) != 2:
            return False
        return (self.lead is None or raw[0] == self.lead) and (self.trail is None or raw[1] == self.trail)


def _pairs(stream: list[int | None]) -> list[_Slot] | None:
    """Decode a byte stream with holes into slots; None when a known pair is not GBK."""
    slots = []
    for i in range(0, len(stream) - 1, 2):
        lead, trail = stream[i], stream[i + 1]
        if lead is not None and trail is not None:
            try:
                slots.append(_Slot(bytes([lead, trail]).decode("gbk")))
            except UnicodeDecodeError:
                return None
        else:
            slots.append(_Slot(None, lead, trail))
    return slots


def _hypotheses(lead: int, shifted: bytes, trail: int | None) -> Iterator[list[_Slot]]:
    """Candidate original characters: no pair lost first, then one pair lost per gap."""
    tail: list[int | None] = [trail]
    body: list[int | None] = list(shifted)
    exact = _pairs([lead, *body, *tail])
    if exact is not None:
        yield exact
    if not body:
        return  # lead and trail are adjacent: no pair can have been dropped
    for gap in range(0, len(body) + 1, 2):
        slots = _pairs([lead, *body[:gap], None, None, *body[gap:], *tail])
        if slots is not None:
            yield slots


def _is_mark(slot: _Slot) -> bool:
    """GBK rows A1-A3 hold punctuation; those slots are not evidence of a phrase."""
    if slot.char is not None:
        return not re.match(rf"[{_HAN}]", slot.char)
    return slot.lead is not None and 0xA1 <= slot.lead <= 0xA3


def _confirm(slots: list[_Slot], context: str) -> str | None:
    """The hypothesis' text if ``context`` contains its phrase, else None."""
    core = [s for s in slots if not _is_mark(s)]
    if len(core) < _MIN_PHRASE or all(s.char is None for s in core):
        return None
    start = slots.index(core[0])
    end = len(slots) - slots[::-1].index(core[-1])
    if any(_is_mark(s) for s in slots[start:end]):
        return None
    pattern = "".join(re.escape(s.char) if s.char else f"([{_HAN}])" for s in slots[start:end])
    for match in re.finditer(pattern, context):
        phrase = match.group(0)
        if all(s.fits(ch) for s, ch in zip(slots[start:end], phrase, strict=True)):
            marks = [s.char for s in slots[:start] + slots[end:]]
            if any(m is None for m in marks):
                return None
            known = [m or "" for m in marks]
            return "".join(known[:start]) + phrase + "".join(known[start:])
    return None


def _closing_quote(slots: list[_Slot], before: str) -> str | None:
    """A lone punctuation slot with lead A1 closes an open “ in the same line: ”."""
    if len(slots) == 1 and slots[0].lead == 0xA1 and slots[0].char is None:
        line = before[before.rfind("\n") + 1:]
        if line.count("“") > line.count("”"):
            return "”"
    return None


def repair_gbk_lost_high_bit(text: str) -> str:
    """Rebuild characters damaged by a lost GBK lead-byte high bit.

    >>> repair_gbk_lost_high_bit("文化生活豐富了?,F在小區實現了")
    '文化生活豐富了。現在小區實現了'
    """
    if "?" in text:
        text = _repair_marked(_BROKEN_ANNOTATION.sub("", text))
    return _SHIFTED_TAIL.sub(lambda m: _repair_tail(m, text), text)


def _repair_tail(match: re.Match[str], text: str) -> str:
    """Re-decode a shifted run whose lead byte is lost; keep only confirmed characters.

    The run may start anywhere in the preceding characters, so the longest run
    whose re-decoded phrase (two characters or more) the article echoes wins.
    """
    chars, trail = match.groups()
    context = text[:match.start()] + "\n" + text[match.end():]
    for n in range(len(chars), 0, -1):
        try:
            shifted = chars[-n:].encode("gbk")
        except UnicodeEncodeError:
            continue
        slots = _pairs([None, *shifted, ord(trail)])
        if slots is None or len(slots) < 3:
            continue
        known = "".join(s.char or "" for s in slots[1:])
        if re.search(re.escape(known), context) and not any(_is_mark(s) for s in slots[1:]):
            return chars[:-n] + known
    return match.group(0)


def _repair_marked(text: str) -> str:
    """Repair damage that starts with the ``?`` left by the lost sentence mark."""
    out: list[str] = []
    last = 0
    for match in _DAMAGE.finditer(text):
        lead_ch, shifted, trail_ch = match.groups()
        try:
            shifted_bytes = shifted.encode("gbk")
        except UnicodeEncodeError:
            continue
        lead = ord(lead_ch) | 0x80
        trail = None if trail_ch == "?" else ord(trail_ch)
        context = text[:match.start()] + "\n" + text[match.end():]
        repaired = _certain(lead, shifted_bytes, trail) if _plausible_damage(text, match.end()) else None
        for slots in [] if repaired else _hypotheses(lead, shifted_bytes, trail):
            repaired = _confirm(slots, context) or _closing_quote(slots, text[:match.start()])
            if repaired:
                break
        if repaired is None and not _plausible_damage(text, match.end()):
            continue  # a real "?" followed by ASCII (e.g. "介绍?yy2017"), not damage
        out.append(text[last:match.start()])
        out.append(_LOST_MARK + (repaired or ""))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _certain(lead: int, shifted: bytes, trail: int | None) -> str | None:
    """With nothing shifted, lead and trail byte are adjacent: no pair can have been
    dropped between them, so the rebuilt character is certain and needs no echo
    elsewhere in the article (``?,F`` is ``。現`` whatever else the article says)."""
    if shifted or trail is None:
        return None
    try:
        char = bytes([lead, trail]).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if re.match(rf"[{_HAN}]", char) else None


def _plausible_damage(text: str, end: int) -> bool:
    """Damage re-joins Chinese text; a question mark before English words does not."""
    return end < len(text) and bool(re.match(rf"[{_HAN}“”‘’（(，。]", text[end]))
