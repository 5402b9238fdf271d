"""Markup debris left in scraped text: entities, tag fragments, empty images, spacing.

Pure ``str -> str`` passes. They run after the GBK repair, which turns ``亮?!?/p>``
into ``亮。”/p>``; only then is ``/p>`` recognisably a tag that lost its ``<``.
"""

from __future__ import annotations

import html
import re

_TAGS = (
    "p|div|span|br|img|a|b|i|em|strong|font|section|article|li|ul|ol|td|tr|table|h[1-6]"
    "|center|u|sup|sub|iframe|script|style"
)

#: ``&ldquo;`` and entities whose ``&`` was mangled into ``?`` by a lossy re-encode.
_HALF_ENTITY = re.compile(r"[?&](#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
#: Whole tags (``<p>``, ``< img src=...>``), tags that lost ``<`` (``/p>``) or ``>``.
_TAG = re.compile(
    rf"<\s*/?\s*(?:{_TAGS})\b[^<>\n]*>|(?<![\w/<])/(?:{_TAGS})>|<\s*/?(?:{_TAGS})\b[^<>\n]*$",
    re.I | re.M,
)
#: Markdown images with no address: ``![]()``, ``![图片]( )``.
_EMPTY_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*\)")


def decode_entities(text: str) -> str:
    """Decode HTML entities, including half-decoded ones (``?ldquo;``).

    >>> decode_entities("?ldquo;服务?rdquo;&nbsp;站")
    '“服务” 站'
    """

    def fix(match: re.Match[str]) -> str:
        entity = "&" + match.group(1) + ";"
        decoded = html.unescape(entity)
        return match.group(0) if decoded == entity else decoded.replace("\xa0", " ")

    return _HALF_ENTITY.sub(fix, text)


def strip_tag_fragments(text: str) -> str:
    """Remove HTML tags and tag fragments that leaked into the text.

    >>> strip_tag_fragments("持久发光发亮。”/p>")
    '持久发光发亮。”'
    """
    return _EMPTY_IMAGE.sub("", _TAG.sub("", text))


_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def normalise_lines(text: str) -> str:
    """One paragraph per line: unify newlines and spaces, drop blank lines.

    Paragraph breaks in scraped text are either blank lines or bare newlines; the
    structure stage treats every line as a block, so blank lines carry nothing.
    """
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
