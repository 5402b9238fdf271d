"""Theme static files -> outputs with content-hashed names, for cache-busting.

``style.css`` becomes ``assets/style.1a2b3c4d.css``; ``url(...)`` references inside CSS
are rewritten to the hashed names, so a changed image also changes the CSS that uses it.
The Pygments stylesheet is generated from the configured styles (light and dark).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from pygments.formatters import HtmlFormatter

from .config import Config
from .model import Output

_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
UNHASHED = {"favicon.ico", "robots.txt"}  # names the web expects at fixed paths


def _hashed(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


def pygments_css(config: Config) -> bytes:
    """Light style everywhere; dark style under the dark scheme or the dark toggle."""
    light = HtmlFormatter(style=config.pygments_style).get_style_defs(".highlight")
    dark_dark = HtmlFormatter(style=config.pygments_dark_style).get_style_defs(':root[data-theme="dark"] .highlight')
    dark_auto = HtmlFormatter(style=config.pygments_dark_style).get_style_defs(
        ':root:not([data-theme="light"]) .highlight')
    return f"{light}\n{dark_dark}\n@media (prefers-color-scheme: dark) {{\n{dark_auto}\n}}\n".encode()


def build_assets(files: dict[str, Path], config: Config) -> tuple[dict[str, str], list[Output]]:
    """Returns (logical name -> site-relative URL, outputs)."""
    sources: dict[str, bytes] = {name: path.read_bytes() for name, path in files.items()}
    sources["pygments.css"] = pygments_css(config)
    urls: dict[str, str] = {}
    outputs: list[Output] = []

    def emit(name: str, data: bytes) -> None:
        url = name if name in UNHASHED else "assets/" + _hashed(name, data)
        urls[name] = url
        outputs.append(Output(url, data))

    for name in sorted(n for n in sources if not n.endswith(".css")):
        emit(name, sources[name])
    for name in sorted(n for n in sources if n.endswith(".css")):
        def swap(m: re.Match[str], here: str = name) -> str:
            ref = m[2]
            if ref.startswith(("data:", "http:", "https:", "/", "#")):
                return m[0]
            target = posixpath.normpath(posixpath.join(posixpath.dirname(here), ref))
            if target not in urls:
                return m[0]
            return f"url({posixpath.relpath(urls[target], 'assets/' + posixpath.dirname(here))})"
        emit(name, _CSS_URL_RE.sub(swap, sources[name].decode("utf-8")).encode())
    return urls, outputs
