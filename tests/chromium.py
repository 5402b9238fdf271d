"""Headless Debian Chromium for tests: launch flags, a loopback server, CI-aware skips.

Never ``playwright install``: Playwright drives the system's /usr/bin/chromium. Outside
CI a missing browser skips browser tests with a reason; with CI=true it fails them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
MOBILE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
          "has_touch": True, "locale": "zh-CN"}


def need(tool: str, present: bool) -> None:
    """Skip (locally) or fail (in CI) when a tool the test needs is missing."""
    if present:
        return
    message = f"{tool} is not installed (bash scripts/test.sh installs it as root on Debian)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> None:
    need("Chromium", Path(CHROMIUM).exists())


def require_java() -> None:
    need("Java", shutil.which("java") is not None)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
