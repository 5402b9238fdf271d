"""Practice types from the vocabulary's keywords, ranked by weighted mentions.

The vocabulary (``data/practices.yaml``) is the single source of keywords, so an
editor tunes classification by editing data. Each keyword match counts once per
position (longest keyword first, so 网格员 is not also 网格) and weighs half its
length: a specific term (党群服务中心, 3) says more than a common word (小区, 1).
A match in the title or a heading counts :data:`HEADING_WEIGHT` times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..taxonomy import Vocabulary

HEADING_WEIGHT = 3
MAX_PRACTICES = 5
#: A runner-up is kept when it scores at least this share of the leader...
RELATIVE_FLOOR = 0.16
#: ...and at least this much in absolute terms (three body mentions).
ABSOLUTE_FLOOR = 3


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

    def scores(self, body: str, headings: str = "") -> dict[str, float]:
        """Weighted keyword mentions per practice name (zero scores left out)."""
        out = {}
        for name, pattern in zip(self.names, self.patterns, strict=True):
            score = _weight(pattern.findall(body)) + HEADING_WEIGHT * _weight(pattern.findall(headings))
            if score:
                out[name] = score
        return out

    def classify(self, body: str, headings: str = "", limit: int = MAX_PRACTICES) -> list[str]:
        """1 to ``limit`` practice names, strongest first (vocabulary order breaks ties)."""
        scores = self.scores(body, headings)
        if not scores:
            return []
        order = {name: i for i, name in enumerate(self.names)}
        ranked = sorted(scores, key=lambda n: (-scores[n], order[n]))
        top = scores[ranked[0]]
        floor = max(ABSOLUTE_FLOOR, RELATIVE_FLOOR * top)
        return [ranked[0]] + [n for n in ranked[1:limit] if scores[n] >= floor]


def _weight(matches: list[str]) -> float:
    return sum(len(m) / 2 for m in matches)
