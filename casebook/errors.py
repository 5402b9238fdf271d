"""The one error type of casebook: every user-facing failure names a file and a line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class CasebookError(Exception):
    """A problem in the user's input, reported as ``path:line: message``.

    ``path`` and ``line`` are optional because some errors (a bad command-line flag,
    an unreachable URL) have no file; when they exist they must be given, so an editor
    can jump straight to the spot.
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class CasebookErrors(CasebookError):
    """Several errors collected in one pass, so an editor fixes them all in one go."""

    def __init__(self, errors: Iterable[CasebookError]):
        self.errors = sorted(errors, key=lambda e: (e.path or "", e.line or 0, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.5) -> str:
    """A ' (did you mean X?)' hint for a misspelt key or value, or '' when nothing is close.
    Long names sharing a prefix (slugs: ``yunnan-…``) need a higher ``cutoff``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""
