"""The conventions of a rendered body that both Markdown parsers follow.

casebook renders a body with markdown-it.rs when it can (``markup_fast.py``) and with
markdown-it-py otherwise (``markup.py``); both must write the same HTML, so what decides
that HTML beyond the grammar lives here once: heading ids, ``{#id .class}`` lists,
which characters beside ``*`` count as punctuation, footnote links, and code blocks.
"""

from __future__ import annotations

import re
import unicodedata

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

_ATTR_LIST_RE = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^}\n]*?)[ ]*\}[ ]*$")  # `## Title {#id .class}`
_ATTR_RE = re.compile(r'([#.])([^\s#.]+)|([\w-]+)=(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
_SLUG_DROP_RE = re.compile(r"[^\w\s-]")
_SLUG_SEP_RE = re.compile(r"[-\s]+")
_COUNTED_ID_RE = re.compile(r"^(.*)_([0-9]+)$")
_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)
FOOTNOTE_BACKLINK_TITLE = "返回正文（脚注 {}）"
FOOTNOTES_OPEN = '<div class="footnote">\n<hr>\n<ol>\n'
FOOTNOTES_CLOSE = "</ol>\n</div>\n"


def cjk(ch: str) -> bool:
    """Han, kana, Hangul and full-width punctuation: scripts written without spaces. Beside
    a ``*`` run such a character counts as punctuation, so ``中文**“引号”**中文`` is bold, as
    writers of Chinese expect (the idea of the CJK-friendly amendment to CommonMark)."""
    return ch >= "\u2e80" and unicodedata.east_asian_width(ch) in ("W", "F")


def slugify(text: str) -> str:
    """Heading text -> id: keeps Chinese characters, drops punctuation, joins words with ``-``."""
    return _SLUG_SEP_RE.sub("-", _SLUG_DROP_RE.sub("", text).strip().lower())


def unique_id(candidate: str, used: set[str]) -> str:
    """``id``, ``id_1``, ``id_2``… the first one not taken (an empty slug becomes ``_1``)."""
    while candidate in used or not candidate:
        m = _COUNTED_ID_RE.match(candidate)
        candidate = f"{m.group(1)}_{int(m.group(2)) + 1}" if m else f"{candidate}_1"
    used.add(candidate)
    return candidate


def split_attr_list(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A heading's last text without its trailing ``{#id .class key=value}``, and the
    attributes in the order the HTML lists them (class first)."""
    m = _ATTR_LIST_RE.search(text) if "{" in text else None
    if m is None:
        return text, []
    attrs: list[tuple[str, str]] = []
    classes = []
    for sigil, value, key, dq, sq, bare in _ATTR_RE.findall(m.group(1)):
        if sigil == "#":
            attrs.append(("id", value))
        elif sigil == ".":
            classes.append(value)
        else:
            attrs.append((key, dq or sq or bare))
    if classes:
        attrs.insert(0, ("class", " ".join(classes)))
    return text[:m.start()], attrs


def _ref_id(label: str, ordinal: int) -> str:
    return f"fnref:{label}" if ordinal == 1 else f"fnref{ordinal}:{label}"


def footnote_ref(label: str, number: int, ordinal: int) -> str:
    """The ``ordinal``-th reference to footnote ``number``, in Python-Markdown's markup."""
    return (f'<sup id="{_ref_id(label, ordinal)}"><a class="footnote-ref" '
            f'href="#fn:{label}">{number}</a></sup>')


def footnote_backlinks(label: str, number: int, refs: int) -> str:
    """The end of a footnote: one link back to each reference (one even if it has none)."""
    title = FOOTNOTE_BACKLINK_TITLE.format(number)
    return "&#160;" + "".join(
        f'<a class="footnote-backref" href="#{_ref_id(label, k)}" title="{title}">&#8617;</a>'
        for k in range(1, max(1, refs) + 1))


def code_block(code: str, info: str) -> str:
    """A code block as Pygments HTML; an unknown or missing language is plain text."""
    name = info.split(maxsplit=1)[0] if info.strip() else ""
    try:
        lexer = get_lexer_by_name(name) if name else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return highlight(code, lexer, _FORMATTER) + "\n"
