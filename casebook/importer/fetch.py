"""Inputs: files, folders of files, and http(s) URLs, read as raw bytes.

Nothing here decodes or changes the input; the raw file is only ever read.
URLs are fetched politely: one request, a descriptive User-Agent, a timeout,
and a CasebookError that names the URL when the server cannot be reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import CasebookError

if TYPE_CHECKING:
    from email.message import Message

SUFFIXES = (".txt", ".html", ".htm")
USER_AGENT = f"casebook-importer/{__version__} (static site generator; one request per article)"
TIMEOUT_SECONDS = 20
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RawInput:
    """One article's raw bytes and what is known about where they came from."""

    name: str  # file name or URL: names the report and seeds the slug hash
    data: bytes
    is_html: bool
    url: str | None = None
    charset: str | None = None


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def expand(specs: list[str]) -> Iterator[str]:
    """Each URL and file as given; each folder as its article files, sorted."""
    for spec in specs:
        path = Path(spec)
        if not is_url(spec) and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*")) if p.suffix.lower() in SUFFIXES and p.is_file())
        else:
            yield spec


def read(spec: str) -> RawInput:
    """Read one file or fetch one URL."""
    if is_url(spec):
        return fetch(spec)
    path = Path(spec)
    if path.suffix.lower() not in SUFFIXES:
        raise CasebookError(f"not an article file (expected {', '.join(SUFFIXES)})", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CasebookError(f"cannot read: {exc.strerror}", path) from None
    return RawInput(path.name, data, path.suffix.lower() != ".txt" or _looks_like_html(data))


def fetch(url: str) -> RawInput:
    import urllib.error  # only URLs need the HTTP stack (~30 ms to import)
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
            headers: Message = response.headers
    except urllib.error.HTTPError as exc:
        raise CasebookError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CasebookError(f"cannot fetch {url}: {reason}") from None
    if len(data) > MAX_BYTES:
        raise CasebookError(f"cannot import {url}: larger than {MAX_BYTES // 1024 // 1024} MB")
    content_type = headers.get_content_type()
    is_html = content_type in ("text/html", "application/xhtml+xml") or _looks_like_html(data)
    return RawInput(url, data, is_html, url=url, charset=headers.get_content_charset())


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:4096].lower()
