"""Headless Debian Chromium for tests: one definition of the binary, flags and skip rule,
plus a loopback server. Never ``playwright install``: Playwright drives /usr/bin/chromium.

Outside CI a missing tool skips browser tests with the reason; with ``CI=true`` it fails
them, so a CI run can never pass by skipping.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pytest

CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM") or os.environ.get("CHROMIUM") or "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
MOBILE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
          "has_touch": True, "locale": "zh-CN"}
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(ok: bool, reason: str) -> None:
    """Skip locally, fail under CI=true: the browser suite must really run in CI."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types browsers insist on (module scripts, JSON, SVG), no log."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                                                ".js": "text/javascript", ".json": "application/json",
                                                ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection it no longer needs (a lazy picture scrolled
        past, a page left) is not an error worth a traceback in the test output."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def running(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[http.server.ThreadingHTTPServer]:
    """``handler`` served on 127.0.0.1 (a free port) in a thread; stopped, closed and joined
    when the block ends, so no test leaves a server behind."""
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yields the base URL."""
    with running(functools.partial(QuietHandler, directory=str(directory))) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
