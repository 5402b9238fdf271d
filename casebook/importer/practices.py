"""Practice types an article is *about*, from the vocabulary's keywords.

The vocabulary (``data/practices.yaml``) is the single source of keywords, so an
editor tunes classification by editing data. Each keyword match counts once per
position (longest keyword first, so 网格员 is not also 网格) and weighs half its
length: a specific term (党群服务中心, 3) says more than a common word (小区, 1).

An article mentions many practices in passing (a sentence on 停车 in a report on
grid work); what it is *about* shows where the words stand and how far they
spread. So a match weighs more in the title and headings than in the body
(:data:`WEIGHTS`; the lead's weight is a setting too, 1 because weighting it
did not help on the evaluation set), and a runner-up is kept only when it is both
close enough to the leader and spread over several paragraphs, or named in the
title or a heading.
All numbers are in ``settings.toml`` under ``[practices]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..taxonomy import Vocabulary
from .settings import setting

#: How much one match weighs by where it stands.
WEIGHTS = {
    "title": setting("practices", "title_weight"),
    "heading": setting("practices", "heading_weight"),
    "lead": setting("practices", "lead_weight"),
    "body": 1.0,
}
MAX_PRACTICES = setting("practices", "max_practices")
#: A runner-up is kept when it scores at least this share of the leader...
RELATIVE_FLOOR = setting("practices", "relative_floor")
#: ...and at least this much in absolute terms...
ABSOLUTE_FLOOR = setting("practices", "absolute_floor")
#: ...and occurs in this many paragraphs, unless the title or a heading names it.
MIN_PARAGRAPHS = setting("practices", "min_paragraphs")


@dataclass(frozen=True)
class Evidence:
    """The text of one article (or one profiled section), by where it stands."""

    paragraphs: Sequence[str]
    headings: str = ""
    title: str = ""

    @property
    def lead(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


@dataclass(frozen=True)
class Classifier:
    """Compiled keyword patterns for one vocabulary."""

    names: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_vocabulary(cls, vocab: Vocabulary) -> Classifier:
        patterns = []
        for term in vocab.terms:
            words = sorted(set(term.keywords) | {term.name}, key=lambda w: (-len(w), w))
            patterns.append(re.compile("|".join(re.escape(w) for w in words)))
        return cls(tuple(t.name for t in vocab.terms), tuple(patterns))

    def scores(self, text: Evidence) -> dict[str, tuple[float, int, bool]]:
        """Per practice: weighted mentions, paragraphs it occurs in, named in title or a heading."""
        out = {}
        for name, pattern in zip(self.names, self.patterns, strict=True):
            strong = _weight(pattern.findall(text.title)) * WEIGHTS["title"] + _weight(
                pattern.findall(text.headings)
            ) * WEIGHTS["heading"]
            per_para = [_weight(pattern.findall(p)) for p in text.paragraphs]
            body = sum(per_para[1:]) + (per_para[0] * WEIGHTS["lead"] if per_para else 0)
            if strong or body:
                out[name] = (strong + body, sum(1 for w in per_para if w), bool(strong))
        return out

    def classify(self, text: Evidence, limit: int = MAX_PRACTICES) -> list[str]:
        """0 to ``limit`` practice names, strongest first (vocabulary order breaks ties)."""
        scores = self.scores(text)
        if not scores:
            return []
        order = {name: i for i, name in enumerate(self.names)}
        ranked = sorted(scores, key=lambda n: (-scores[n][0], order[n]))
        top = scores[ranked[0]][0]
        floor = max(ABSOLUTE_FLOOR, RELATIVE_FLOOR * top)

        def about(name: str) -> bool:
            score, paragraphs, named = scores[name]
            return score >= floor and (named or paragraphs >= MIN_PARAGRAPHS)

        return [ranked[0]] + [n for n in ranked[1:] if about(n)][: limit - 1]


def _weight(matches: list[str]) -> float:
    return sum(len(m) / 2 for m in matches)
