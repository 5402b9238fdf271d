"""The cleaning passes, their fixed order, and the runner that records what they did.

Modelled on ftfy's fixers: every pass is a named pure ``str -> str`` function;
:data:`PASSES` lists them in the one order they run; :func:`clean` applies them
until the text stops changing and returns which passes changed it and every line
(or fragment) the *stripping* passes removed, so nothing leaves the article
without a trace in the import report.

Before the passes, :mod:`~casebook.importer.encoding` turns bytes into text and,
for HTML, :mod:`~casebook.importer.htmltext` keeps the main text. Then, in order:

1. ``normalise_lines``   one paragraph per line; later passes work line by line.
2. ``decode_entities``   ``?ldquo;`` must be a quote before the GBK repair looks at ``?``.
   Then ``recode_mojibake``: whole stretches through the wrong decoder (鎴戜滑, ÎÒÃÇ) re-decoded first.
3. ``repair_gbk_mojibake`` needs the Traditional characters the bytes were made of,
   so it runs before pinyin removal and script conversion.
4. ``strip_tag_fragments``  ``/p>`` only shows up once the repair has eaten ``?!?``.
5. ``strip_pinyin_annotations``  after the repair: ``F(xiàn)`` only becomes
   ``現(xiàn)``, an annotation on a Han character, once the bytes are rebuilt.
6. ``traditional_to_simplified``  so every later pattern is written in Simplified.
7. boilerplate: header lines first (they carry the date and may look like spam),
   then large blocks (spam, trailing lists, related links), notices, footers,
   promos, source/editor lines, image file names shown as text (before captions
   are looked for under photos), captions (marked before their credit lines
   are removed), credits, orphan captions (``▲图为…`` with no photo beside them,
   once their credit is read), datelines (``本报讯``, cut before the byline bracket
   after them), bylines, placeholders, furniture,
   keywords, breadcrumbs, repeated digests, and last the masthead (only once
   everything else above the headline is gone can it be recognised).
8. ``fullwidth_punctuation``  last, once all the ``?`` debris is gone.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from . import boilerplate as bp
from . import credits as cr
from . import furniture as fu
from .debris import decode_entities, normalise_lines, strip_tag_fragments
from .hanzi import fullwidth_punctuation, strip_pinyin_annotations, traditional_to_simplified
from .mojibake import repair_gbk_lost_high_bit
from .recode import recode_mojibake


@dataclass(frozen=True)
class Pass:
    """A named cleaning step. ``strips`` passes remove text and are reported line by line."""

    name: str
    func: Callable[[str], str]
    strips: bool = False
    #: Runs in the first round only, on the text as it came (later rounds see marks
    #: that earlier passes added, e.g. inferred captions).
    once: bool = False

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


PASSES: tuple[Pass, ...] = (
    Pass("normalise_lines", normalise_lines),
    Pass("decode_entities", decode_entities),
    Pass("recode_mojibake", recode_mojibake, strips=True),
    Pass("repair_gbk_mojibake", repair_gbk_lost_high_bit, strips=True),
    Pass("strip_tag_fragments", strip_tag_fragments, strips=True),
    Pass("strip_pinyin_annotations", strip_pinyin_annotations),
    Pass("traditional_to_simplified", traditional_to_simplified),
    Pass("header_meta", cr.strip_header_meta, strips=True),
    Pass("link_spam", bp.strip_link_spam, strips=True),
    Pass("trailing_news", bp.strip_trailing_news, strips=True),
    Pass("related_links", bp.strip_related_links, strips=True),
    Pass("platform_notices", bp.strip_platform_notices, strips=True),
    Pass("site_footer", bp.strip_site_footer, strips=True),
    Pass("promo_blurbs", bp.strip_promo_blurbs, strips=True),
    Pass("source_lines", cr.strip_source_lines, strips=True),
    Pass("editor_lines", cr.strip_editor_lines, strips=True),
    Pass("image_filenames", cr.strip_image_filenames, strips=True),
    Pass("orphan_captions", cr.strip_orphan_captions, strips=True, once=True),
    Pass("mark_captions", cr.mark_captions),
    Pass("photo_credits", cr.strip_photo_credits, strips=True),
    Pass("images", bp.strip_images, strips=True),
    Pass("datelines", cr.strip_datelines, strips=True),
    Pass("bylines", cr.strip_bylines, strips=True),
    Pass("image_placeholders", bp.strip_image_placeholders, strips=True),
    Pass("app_furniture", bp.strip_app_furniture, strips=True),
    Pass("widget_lines", fu.strip_widget_lines, strips=True),
    Pass("comment_threads", fu.strip_comment_threads, strips=True),
    Pass("keyword_lines", bp.strip_keyword_lines, strips=True),
    Pass("breadcrumbs", bp.strip_breadcrumbs, strips=True),
    Pass("digest_duplicates", bp.strip_digest_duplicates, strips=True),
    Pass("unrelated_surroundings", fu.strip_unrelated_surroundings, strips=True),
    Pass("masthead", bp.strip_masthead, strips=True),
    Pass("fullwidth_punctuation", fullwidth_punctuation),
)

#: Passes an option can switch off, by option name.
OPTIONAL = {"keep_traditional": "traditional_to_simplified"}

#: Rounds of the whole sequence before giving up on a fixed point (ftfy does the same).
MAX_ROUNDS = 3


@dataclass(frozen=True)
class Removal:
    """Text a pass took out: a whole line, or a fragment of a line it kept."""

    pass_name: str
    text: str
    whole_line: bool
    replacement: str = ""  # what a fragment became (a repair), "" when it just went


@dataclass(frozen=True)
class Cleaned:
    text: str
    applied: tuple[str, ...]
    removed: tuple[Removal, ...]


def clean(text: str, skip: frozenset[str] = frozenset()) -> Cleaned:
    """Run :data:`PASSES` in order until the text is stable; record what changed."""
    applied: list[str] = []
    removed: list[Removal] = []
    for round_number in range(MAX_ROUNDS):
        before_round = text
        for step in PASSES:
            if step.name in skip or step.once and round_number:
                continue
            after = step.func(text)
            if after != text:
                if step.name not in applied:
                    applied.append(step.name)
                if step.strips:
                    removed.extend(_removals(step.name, text, after))
                text = after
        if text == before_round:
            break
    return Cleaned(text, tuple(applied), tuple(removed))


def _removals(name: str, before: str, after: str) -> list[Removal]:
    """Lines deleted outright, and the fragments deleted from lines that were edited."""
    old, new = before.split("\n"), after.split("\n")
    deleted = _pure_deletions(old, new)
    if deleted is not None:
        return [Removal(name, line, True) for line in deleted]
    found: list[Removal] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "delete":
            found.extend(Removal(name, line, True) for line in old[i1:i2])
        elif op == "replace":
            found.extend(_fragments(name, old[i1:i2], new[j1:j2]))
    return found


def _pure_deletions(old: list[str], new: list[str]) -> list[str] | None:
    """The deleted lines when ``new`` is ``old`` minus some lines, else None.

    Most stripping passes only drop lines; this linear walk spares them difflib.
    """
    deleted, j = [], 0
    for line in old:
        if j < len(new) and line == new[j]:
            j += 1
        else:
            deleted.append(line)
    return deleted if j == len(new) else None


def _fragments(name: str, old: list[str], new: list[str]) -> list[Removal]:
    out: list[Removal] = []
    pairs = list(zip(old, new, strict=True)) if len(old) == len(new) else [("\n".join(old), "\n".join(new))]
    for a, b in pairs:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op in ("delete", "replace") and a[i1:i2].strip():
                out.append(Removal(name, a[i1:i2].strip(), False, b[j1:j2].strip() if op == "replace" else ""))
    return out
