"""Character-level passes for Chinese text: pinyin debris, script, punctuation width.

Each function is a pure ``str -> str`` pass (see :mod:`casebook.importer.passes`).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

from ..pinyin import HAN

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
#: One pinyin syllable with tone marks: optional initial, a vowel cluster, a coda.
_SYLLABLE = (
    rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    rf"[aeiouü{_TONED}]{{1,3}}(?:ng|n|r)?"
)
#: A tone-marked syllable in ASCII or full-width brackets glued to a Han character,
#: the way 繁简 conversion sites annotate the characters they changed: 社區(qū).
#: Requiring a tone mark keeps (CEO), (2023), (试行) and bracketed Chinese intact.
_ANNOTATION = re.compile(
    rf"(?<=[{HAN}])[(（](?=[a-zü{_TONED}]*[{_TONED}])({_SYLLABLE})[)）]"
)
#: The same without a tone mark: a neutral-tone syllable (men, de, zi).
_NEUTRAL_ANNOTATION = re.compile(
    rf"(?<=[{HAN}])[(（]((?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouü]{{1,3}}(?:ng|n|r)?)[)）]")
#: Marked annotations a text needs before unmarked ones count as annotations too.
ANNOTATIONS_MIN = 3


def strip_pinyin_annotations(text: str) -> str:
    """Remove tone-marked pinyin glued onto characters by conversion sites.

    A neutral-tone syllable has no mark (們(men), 的(de)): it is taken for an
    annotation only in a text that carries at least :data:`ANNOTATIONS_MIN` marked
    ones, so ``楼栋(a)`` or ``(CEO)`` elsewhere stays.

    >>> strip_pinyin_annotations("社區(qū)黨建引領(lǐng)(2023)")
    '社區黨建引領(2023)'
    """
    text, marked = _ANNOTATION.subn("", text)
    return _NEUTRAL_ANNOTATION.sub("", text) if marked >= ANNOTATIONS_MIN else text


@cache
def _t2s() -> opencc.OpenCC:
    """One converter per process: building it parses OpenCC's dictionaries (~10 ms)."""
    return opencc.OpenCC("t2s")


#: Variant forms OpenCC's t2s tables leave alone although the gazetteer and the
#: vocabulary only know the standard form (瑯琊 is 琅琊区 in the division codes).
VARIANTS = str.maketrans({"瑯": "琅", "衞": "卫", "囓": "啮", "賸": "剩"})


def traditional_to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified (the sources were Simplified).

    >>> traditional_to_simplified("黨建引領瑯琊社區")
    '党建引领琅琊社区'
    """
    return _t2s().convert(text).translate(VARIANTS)


_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_CJK_BEFORE = rf"[{HAN}”’）》」』】]"
_CJK_AFTER = rf"[{HAN}“‘（《「『【”’）》」』]"
#: ASCII , : ; ? ! written between Chinese text (a digit may follow: "近日,2023年").
#: Times (19:29), thousands (1,000) and English keep their ASCII marks.
_ASCII_PUNCT = re.compile(rf"(?<={_CJK_BEFORE})([,:;?!])[ \t]*(?={_CJK_AFTER}|\d|$)", re.M)


def fullwidth_punctuation(text: str) -> str:
    """Normalise ASCII punctuation inside Chinese sentences to the full-width forms.

    >>> fullwidth_punctuation("近年来,滁州市琅琊街道:深化")
    '近年来，滁州市琅琊街道：深化'
    """
    return _ASCII_PUNCT.sub(lambda m: _FULL[m.group(1)], text)
