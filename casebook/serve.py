"""``build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload open pages.

* Builds with drafts shown and ``base_url`` set to ``http://127.0.0.1:PORT/``, into its
  own folder (in the system temp dir, keyed by project and port), never ``output/``.
* Watches ``content/``, ``themes/`` and the vocabulary's folder with ``watchfiles``
  (batched: a save that touches several files triggers one rebuild) and polls
  ``site.yaml`` and the vocabulary file, which editors often replace by rename.
* Rebuilds incrementally (the build cache; see :mod:`casebook.pipeline`): a saved case
  re-renders its page and the pages that list it.
* Every HTML response gets ``<script src="/__casebook/reload.js" defer>`` (an external
  file, so a Content-Security-Policy with ``script-src 'self'`` allows it). The script
  listens to ``/__casebook/events`` (Server-Sent Events): ``reload`` after each good
  build, ``failed`` with the error text after a failed one (shown as an overlay, and in
  the terminal). A failed rebuild leaves the last good site being served.
* Search: the index is built with the first build; later rebuilds re-index (in place,
  after the browsers reloaded) only when page text changed and the site has at most
  ``SEARCH_LIVE_MAX`` cases, so saves stay fast on big sites.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import mimetypes
import os
import posixpath
import tempfile
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import search
from .config import Config
from .errors import CasebookError, CasebookErrors

RELOAD_PATH = "/__casebook/reload.js"
EVENTS_PATH = "/__casebook/events"
SEARCH_LIVE_MAX = 2000

RELOAD_JS = r"""// casebook serve: reload this page after each rebuild; show build errors.
(function () {
  "use strict";
  var box = null;
  function overlay(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "casebook-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.92);" +
        "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2em;overflow:auto;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "构建失败（仍在显示上一次成功的版本）/ Build failed:\n\n" + text;
  }
  var first = true, version = null;
  var source = new EventSource("/__casebook/events");
  source.addEventListener("hello", function (e) {
    var state = JSON.parse(e.data);
    // Reconnected to a server that has built since this page loaded: reload.
    if (!first && state.version !== version) { location.reload(); return; }
    first = false; version = state.version;
    if (state.error) { overlay(state.error); }
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (e) { overlay(JSON.parse(e.data).error); });
})();
"""


class _State:
    """The last build's outcome, and the clients waiting for the next one."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.cond = threading.Condition()
        self.closing = False

    def publish(self, error: str | None) -> None:
        with self.cond:
            if error is None:
                self.version += 1
            self.error = error
            self.cond.notify_all()


def _inject(html: bytes) -> bytes:
    tag = f'<script src="{RELOAD_PATH}" defer></script>'.encode()
    for marker in (b"</head>", b"</body>"):
        i = html.rfind(marker)
        if i != -1:
            return html[:i] + tag + b"\n" + html[i:]
    return html + tag


def make_handler(site_dir: Path, state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "casebook-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:  # noqa: N802
            path = unquote(urlsplit(self.path).path)
            if path == RELOAD_PATH:
                return self._send(HTTPStatus.OK, RELOAD_JS.encode(), "text/javascript; charset=utf-8", head)
            if path == EVENTS_PATH:
                return self._events()
            file = self._resolve(path)
            if file is None:
                page = site_dir / "404.html"
                data = page.read_bytes() if page.is_file() else b"<!DOCTYPE html><title>404</title><p>Not found"
                return self._send(HTTPStatus.NOT_FOUND, _inject(data), "text/html; charset=utf-8", head)
            if file.is_dir():  # a folder URL without its slash
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            try:
                data = file.read_bytes()
            except OSError:  # swapped away mid-request: the client will reload anyway
                return self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"rebuilding", "text/plain", head)
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if ctype == "text/html":
                data = _inject(data)
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json",
                                                      "application/xml", "image/svg+xml"):
                ctype += "; charset=utf-8"
            return self._send(HTTPStatus.OK, data, ctype, head)

        def _resolve(self, path: str) -> Path | None:
            parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]
            if ".." in parts:
                return None
            file = site_dir.joinpath(*parts)
            if file.is_dir():
                index = file / "index.html"
                if path.endswith("/") and index.is_file():
                    return index
                return file if index.is_file() else None
            return file if file.is_file() else None

        def _send(self, status: HTTPStatus, data: bytes, ctype: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            with state.cond:
                version, error = state.version, state.error
            try:
                self._event("hello", {"version": version, "error": error})
                while True:
                    with state.cond:
                        state.cond.wait_for(lambda: state.closing or (state.version, state.error) != (version, error),
                                            timeout=15)
                        if state.closing:
                            return
                        changed = (state.version, state.error) != (version, error)
                        new_version, error = state.version, state.error
                    if not changed:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                    elif new_version != version:
                        version = new_version
                        self._event("reload", {"version": version})
                    elif error is not None:
                        self._event("failed", {"error": error})
            except (BrokenPipeError, ConnectionResetError, OSError):
                return

        def _event(self, name: str, data: dict) -> None:
            payload = json.dumps(data, ensure_ascii=False)
            self.wfile.write(f"event: {name}\ndata: {payload}\n\n".encode())
            self.wfile.flush()

    return Handler


def serve_dir(config: Config, port: int) -> Path:
    """Where ``serve`` builds: outside the project (so the watcher never sees it), stable
    per project and port (so the build cache carries over between sessions)."""
    tag = hashlib.sha1(str(config.root).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"casebook-serve-{tag}-{port}"


def serve_config(config: Config, port: int) -> Config:
    return dataclasses.replace(config, drafts=True, base_url=f"http://127.0.0.1:{port}/",
                               output_dir=serve_dir(config, port))


class Server:
    """The dev server: one build loop plus an HTTP server thread. Usable from tests."""

    def __init__(self, config: Config, port: int, *, reload_config: Callable[[], Config] | None = None,
                 config_file: Path | None = None, log: Callable[[str], None] = print):
        self.port = port
        self.base_config = config
        self.config = serve_config(config, port)
        self.reload_config = reload_config
        self.config_file = config_file
        self.log = log
        self.state = _State()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self.config.output_dir, self.state))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._stop = threading.Event()
        self.builds = 0
        self.last_build_seconds = 0.0

    # -- building ------------------------------------------------------------------------------
    def rebuild(self, reason: str = "") -> bool:
        from .pipeline import build
        started = time.perf_counter()
        first = self.builds == 0
        try:
            if "config changed" in reason and self.reload_config is not None:
                self.config = dataclasses.replace(serve_config(self.reload_config(), self.port),
                                                  output_dir=self.config.output_dir)
            # Later rebuilds keep the current search index; it is refreshed after the reload.
            built, report = build(self.config, reindex=first)
        except CasebookErrors as exc:
            return self._failed("\n".join(str(e) for e in exc.errors), started)
        except CasebookError as exc:
            return self._failed(str(exc), started)
        except Exception as exc:  # a bug must not kill the server: show it
            return self._failed(f"{type(exc).__name__}: {exc}", started)
        self.builds += 1
        took = time.perf_counter() - started
        self.last_build_seconds = took
        self.state.publish(None)
        self.log(f"{reason or 'built'}: {built.cases} cases, {report.written} files written, "
                 f"{report.unchanged} unchanged, {report.removed} removed in {took:.2f}s")
        for draft in built.skipped:  # the preview shows drafts, but not those lacking a place or type
            self.log(f"  draft not shown: {draft.path}: lacks {', '.join(draft.lacks)}")
        if not first and self.config.search and built.cases <= SEARCH_LIVE_MAX \
                and any(p.endswith(".html") for p in report.changed_paths):
            self._reindex()
        return True

    def _reindex(self) -> None:
        started = time.perf_counter()
        try:
            search.index(self.config.output_dir)
        except CasebookError as exc:
            self.log(f"search index not updated: {exc}")
            return
        self.log(f"search index updated in {time.perf_counter() - started:.2f}s")

    def _failed(self, text: str, started: float) -> bool:
        self.state.publish(text)
        self.log(f"build failed ({time.perf_counter() - started:.2f}s); still serving the last good site:\n{text}")
        return False

    # -- watching ------------------------------------------------------------------------------
    def _watched(self) -> tuple[list[Path], list[Path]]:
        cfg = self.config
        dirs = [d for d in (cfg.content_dir, cfg.themes_dir, cfg.practices_file.parent) if d.is_dir()]
        files = [cfg.practices_file] + ([self.config_file.resolve()] if self.config_file else [])
        return dirs, files

    def watch(self) -> None:
        """Rebuild on each batch of changes until :meth:`stop` (or Ctrl-C)."""
        import watchfiles

        dirs, files = self._watched()
        polled = {f: _stat(f) for f in files}
        config_path = self.config_file.resolve() if self.config_file else None

        def keep(change: watchfiles.Change, path: str) -> bool:
            name = os.path.basename(path)
            return not (name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")))

        for changes in watchfiles.watch(*dirs, watch_filter=keep, stop_event=self._stop, debounce=400,
                                        step=30, rust_timeout=300, yield_on_timeout=True, raise_interrupt=False):
            reasons = []
            if changes:
                paths = sorted({p for _, p in changes})
                shown = ", ".join(os.path.relpath(p, self.base_config.root) for p in paths[:3])
                reasons.append(f"changed: {shown}" + (" …" if len(paths) > 3 else ""))
            now = {f: _stat(f) for f in files}
            if now != polled:
                config_changed = config_path is not None and now.get(config_path) != polled.get(config_path)
                polled = now
                reasons.insert(0, "config changed" if config_changed else "vocabulary changed")
            if reasons:
                self.rebuild("; ".join(reasons))

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """First build, then serve in a background thread (returns at once)."""
        self.rebuild("built")
        threading.Thread(target=self.httpd.serve_forever, name="casebook-http", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        with self.state.cond:
            self.state.closing = True
            self.state.cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def serve(config: Config, port: int = 8000, *, quiet: bool = False, verbose: bool = False,
          reload_config: Callable[[], Config] | None = None, config_file: Path | None = None) -> int:
    def log(message: str) -> None:
        if not quiet or "failed" in message:
            print(message, flush=True)

    try:
        server = Server(config, port, reload_config=reload_config, config_file=config_file, log=log)
    except OSError as exc:
        raise CasebookError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror} (try --port)") from None
    server.start()
    log(f"serving {server.config.output_dir} at http://127.0.0.1:{server.port}/ (drafts shown; Ctrl-C to stop)")
    try:
        server.watch()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
