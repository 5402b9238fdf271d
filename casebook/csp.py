"""Content-Security-Policy for every page, computed from the page itself.

Scripts may come only from the site's own origin, plus the exact inline scripts the
theme wrote (allowed by their sha256 hash), so a payload that slips into a page as
markup still cannot run. Pagefind's WebAssembly needs ``'wasm-unsafe-eval'``.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Inline scripts the browser would execute: no src, and no data type such as JSON-LD.
_INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", re.S | re.I)
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


def policy(html: str) -> str:
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in _INLINE_SCRIPT_RE.findall(html)
    })
    script_src = " ".join(["script-src 'self' 'wasm-unsafe-eval'", *hashes])
    return "; ".join([*BASE_POLICY[:1], script_src, *BASE_POLICY[1:]])


def add_csp(html: str) -> str:
    """Insert the policy as the first thing after ``<meta charset>`` (or ``<head>``)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    anchor = _CHARSET_RE.search(html) or _HEAD_RE.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + "\n" + meta + html[anchor.end():]
