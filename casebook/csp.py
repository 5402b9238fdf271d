"""Content-Security-Policy for every page: the theme's own inline scripts, nothing else.

Scripts may come only from the site's own origin, plus the exact inline scripts written
in the theme's templates (allowed by their sha256 hash). Those hashes are computed once,
from the template sources, when the theme is loaded (:func:`theme_script_hashes`): a
script that reaches a page any other way (a theme printing a value with ``|safe``, a
payload that slips past the sanitiser) has no hash in the policy and does not run.
No WebAssembly and no ``eval``: search is plain JavaScript (``search.js``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from .errors import CasebookError

# Inline scripts the browser would execute: no src, and no data type such as JSON-LD.
_INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", re.S | re.I)
_TEMPLATE_CODE_RE = re.compile(r"\{[{%#]")
_HEAD_RE = re.compile(r"<head[^>]*>", re.I)
_CHARSET_RE = re.compile(r'<meta charset="[^"]*">', re.I)

BASE_POLICY = (
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)


def script_hash(body: str) -> str:
    """A CSP source expression allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def theme_script_hashes(templates: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The hashes of the inline scripts in a theme's templates, given as (file, source).

    A script must be literal text: one holding template code (``{{ … }}``, ``{% … %}``)
    has no hash until a page is rendered, and is an error naming its template and line
    (move the code to a static file and load it with ``<script src>``)."""
    hashes = set()
    for name, source in templates:
        source = source.replace("\r\n", "\n").replace("\r", "\n")  # as Jinja renders it
        for m in _INLINE_SCRIPT_RE.finditer(source):
            if _TEMPLATE_CODE_RE.search(m.group(1)):
                raise CasebookError("an inline <script> contains template code, so the Content-Security-"
                                    "Policy cannot allow it: move the script to the theme's static folder "
                                    "and load it with <script src>", name, source.count("\n", 0, m.start()) + 1)
            hashes.add(script_hash(m.group(1)))
    return frozenset(hashes)


def policy(html: str, allowed: frozenset[str]) -> str:
    """The policy for one page: the hashes of its inline scripts that the theme wrote."""
    hashes = sorted({script_hash(body) for body in _INLINE_SCRIPT_RE.findall(html)} & allowed)
    script_src = " ".join(["script-src 'self'", *hashes])
    return "; ".join([*BASE_POLICY[:1], script_src, *BASE_POLICY[1:]])


def add_csp(html: str, allowed: frozenset[str]) -> str:
    """Insert the policy as the first thing after ``<meta charset>`` (or ``<head>``).
    ``allowed``: the theme's script hashes (:func:`theme_script_hashes`)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, allowed)}">'
    anchor = _CHARSET_RE.search(html) or _HEAD_RE.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + "\n" + meta + html[anchor.end():]
