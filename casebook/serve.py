"""``build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload open pages.

* Builds with drafts shown and ``base_url`` set to ``http://127.0.0.1:PORT/PATH/``, where
  ``PATH`` is the path of the site's ``base_url`` (``site.yaml`` or ``--base-url``), so a site
  published under a sub-path is previewed under it (``/`` redirects there). It builds into its
  own folder (in a private folder of the system temp dir, keyed by project and port), never
  ``output/``, and removes that folder when it stops; ``--output`` is refused.
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
* Editors' temporary files (``sedXXXXXX``, vim's ``4913`` and swap files, ``~`` backups,
  Emacs lock files, JetBrains' ``___jb_tmp___``) and, in ``content/``, files that are not
  case files are ignored: they neither trigger nor appear in a rebuild.
* Only for this machine: a request whose ``Host`` is not ``127.0.0.1:PORT`` or
  ``localhost:PORT`` is refused (403; a DNS-rebinding page cannot read the drafts), a path
  with control characters is refused (400; nothing from the request is written into a
  header unencoded), a path the file system cannot hold is a 404, an idle connection is
  closed after ``IDLE_TIMEOUT`` seconds and at most ``MAX_CONNECTIONS`` are served at once
  (the rest get 503).
* Ctrl-C (or SIGTERM / SIGHUP) stops it quietly, exit status 0.
* Search: every rebuild that changes a case page updates the search index with it, at
  any size (only the changed pages are read again: :mod:`casebook.searchindex`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import mimetypes
import os
import posixpath
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .cache import file_stat
from .config import Config, load_config
from .errors import CasebookError, CasebookErrors

RELOAD_PATH = "/__casebook/reload.js"
EVENTS_PATH = "/__casebook/events"
IDLE_TIMEOUT = 20.0  # seconds a connection may stay silent (the event stream writes every 15 s)
MAX_CONNECTIONS = 128  # open connections served at once; each open page holds one event stream
KEEPALIVE_SECONDS = 15.0

# Names editors and tools give their temporary files (sed -i, vim, Emacs, JetBrains, gedit, Kate,
# Python's tempfile): a change to one neither triggers nor shows in a rebuild.
_TEMP_NAME = re.compile(r"""(?:
    \.\#.* | \#.*\# | .*~ | 4913 | sed[A-Za-z0-9]{6} | tmp[a-z0-9_]{8} | \.goutputstream-.*
  | .*\.(?:sw[a-p]|swx|tmp|bak|kate-swp|crswap|part) | .*___jb_(?:tmp|old)___
)\Z""", re.VERBOSE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

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
    """The last build's outcome, and the clients waiting for the next one; where the site is
    and under which path and port it is served (set once the server has bound its port)."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.cond = threading.Condition()
        self.closing = False
        self.port = 0
        self.prefix = "/"  # the base path of the site's base_url, decoded: "/" or "/showcase/"
        self.site_dir = Path()

    def publish(self, error: str | None) -> None:
        with self.cond:
            if error is None:
                self.version += 1
            self.error = error
            self.cond.notify_all()

    def wait(self, seen: tuple[int, str | None], timeout: float) -> tuple[int, str | None] | None:
        """Wait until the outcome differs from ``seen`` (or ``timeout`` passes): the outcome
        then, or None once the server is closing."""
        with self.cond:
            self.cond.wait_for(lambda: self.closing or (self.version, self.error) != seen, timeout=timeout)
            return None if self.closing else (self.version, self.error)


def _inject(html: bytes) -> bytes:
    tag = f'<script src="{RELOAD_PATH}" defer></script>'.encode()
    for marker in (b"</head>", b"</body>"):
        i = html.rfind(marker)
        if i != -1:
            return html[:i] + tag + b"\n" + html[i:]
    return html + tag


def make_handler(state: _State, idle_timeout: float = IDLE_TIMEOUT) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "casebook-serve"
        protocol_version = "HTTP/1.1"
        timeout = idle_timeout  # a silent connection is closed after this (StreamRequestHandler)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:  # noqa: N802
            if not self._host_ok():  # DNS rebinding: another site's page asking under its own name
                return self._send(HTTPStatus.FORBIDDEN, b"casebook serve answers only requests for "
                                  b"127.0.0.1 or localhost on its own port\n", "text/plain; charset=utf-8", head)
            raw = self.path.split("?", 1)[0].split("#", 1)[0]
            path = unquote(raw)
            if not raw.startswith("/") or _CONTROL.search(path):  # %0d%0a, NUL: never near a header
                return self._send(HTTPStatus.BAD_REQUEST, b"bad request path\n", "text/plain; charset=utf-8", head)
            if path == RELOAD_PATH:
                return self._send(HTTPStatus.OK, RELOAD_JS.encode(), "text/javascript; charset=utf-8", head)
            if path == EVENTS_PATH:
                return self._events()
            prefix = state.prefix
            if not path.startswith(prefix):
                if path in ("/", prefix[:-1]):  # the site lives under a sub-path: go there
                    return self._redirect(HTTPStatus.FOUND, prefix)
                return self._not_found(head)
            parts = [p for p in posixpath.normpath("/" + path[len(prefix):]).split("/") if p not in ("", ".")]
            if ".." in parts:
                return self._not_found(head)
            file = self._resolve(parts, path.endswith("/"))
            if file is None:
                return self._not_found(head)
            if file.is_dir():  # a folder URL without its slash; the Location is built, never echoed
                return self._redirect(HTTPStatus.MOVED_PERMANENTLY, prefix + "".join(p + "/" for p in parts))
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

        def _host_ok(self) -> bool:
            hosts = self.headers.get_all("Host") or []
            if len(hosts) != 1:
                return False
            port = state.port
            allowed = {f"127.0.0.1:{port}", f"localhost:{port}"} | ({"127.0.0.1", "localhost"} if port == 80 else set())
            return hosts[0].strip().lower() in allowed

        def _resolve(self, parts: list[str], slash: bool) -> Path | None:
            try:
                file = state.site_dir.joinpath(*parts)
                if file.is_dir():
                    index = file / "index.html"
                    if not index.is_file():
                        return None
                    return index if slash else file
                return file if file.is_file() else None
            except (OSError, ValueError):  # a name longer than the file system allows, and the like
                return None

        def _not_found(self, head: bool) -> None:
            page = state.site_dir / "404.html"
            try:
                data = page.read_bytes()
            except OSError:
                data = b"<!DOCTYPE html><title>404</title><p>Not found"
            self._send(HTTPStatus.NOT_FOUND, _inject(data), "text/html; charset=utf-8", head)

        def _redirect(self, status: HTTPStatus, location: str) -> None:
            self.send_response(status)
            self.send_header("Location", quote(location, safe="/"))  # percent-encoded: no CR, LF or space
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

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
                seen = (state.version, state.error)
            try:
                self._event("hello", {"version": seen[0], "error": seen[1]})
                while True:
                    now = state.wait(seen, KEEPALIVE_SECONDS)
                    if now is None:
                        return
                    if now == seen:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                    elif now[0] != seen[0]:
                        self._event("reload", {"version": now[0]})
                    elif now[1] is not None:
                        self._event("failed", {"error": now[1]})
                    seen = now
            except OSError:  # the page went away (or stopped reading)
                return

        def _event(self, name: str, data: dict) -> None:
            payload = json.dumps(data, ensure_ascii=False)
            self.wfile.write(f"event: {name}\ndata: {payload}\n\n".encode())
            self.wfile.flush()

    return Handler


class _HTTPServer(ThreadingHTTPServer):
    """One thread per connection, at most ``max_connections`` at once: the next ones get a
    503 and are closed at once, so a flood of idle sockets cannot pile up threads."""

    daemon_threads = True
    request_queue_size = 64  # the listen backlog (5 by default): a page load opens several at once
    _BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n"
             b"Connection: close\r\n\r\ntoo many connections\n")

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], max_connections: int,
                 log: Callable[[str], None]):
        self._slots = threading.BoundedSemaphore(max_connections)
        self._log = log
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1)
                request.sendall(self._BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):  # a browser that went away is no news; a bug is one line
            self._log(f"serve: error answering a request: {type(exc).__name__}: {exc}")


def _private_tmp() -> Path:
    """``casebook-serve-UID`` in the system temp dir: made by and readable only by this user
    (another user cannot plant a symlink where the preview is written and later removed)."""
    getuid = getattr(os, "getuid", None)
    base = Path(tempfile.gettempdir()) / f"casebook-serve-{getuid() if getuid else 'user'}"
    try:
        base.mkdir(mode=0o700)
    except FileExistsError:
        pass
    if getuid is not None:
        st = base.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != getuid() or st.st_mode & 0o077:
            raise CasebookError(f"{base} is not a private folder of yours: remove it, or set TMPDIR to another folder")
    return base


def serve_dir(config: Config, port: int) -> Path:
    """Where ``serve`` builds: outside the project (so the watcher never sees it), stable
    per project and port (so the build cache's entry for it carries over between sessions)."""
    tag = hashlib.sha1(str(config.root).encode()).hexdigest()[:10]
    return _private_tmp() / f"{tag}-{port}" / "site"  # the build's staging and lock files go beside it


def serve_config(config: Config, port: int) -> Config:
    """The preview's settings: drafts shown, the site on this server under its own base path."""
    path = urlsplit(config.base_url).path or "/"
    return dataclasses.replace(config, drafts=True, base_url=f"http://127.0.0.1:{port}{path}",
                               output_dir=serve_dir(config, port))


def _prefix(config: Config) -> str:
    path = unquote(urlsplit(config.base_url).path or "/")
    return path if path.endswith("/") else path + "/"


class Server:
    """The dev server: one build loop plus an HTTP server thread. Usable from tests."""

    def __init__(self, config: Config, port: int, *, reload_config: Callable[[], Config] | None = None,
                 config_file: Path | None = None, log: Callable[[str], None] = print,
                 idle_timeout: float = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS):
        self.base_config = config
        self.reload_config = reload_config
        self.config_file = config_file
        self.log = log
        self.state = _State()
        self.httpd = _HTTPServer(("127.0.0.1", port), make_handler(self.state, idle_timeout), max_connections, log)
        self.port = self.httpd.server_address[1]
        try:
            self.config = serve_config(config, self.port)
        except BaseException:
            self.httpd.server_close()
            raise
        self.state.port, self.state.site_dir = self.port, self.config.output_dir
        self.state.prefix = _prefix(self.config)
        self.url = f"http://127.0.0.1:{self.port}{quote(self.state.prefix)}"
        self._stop = threading.Event()
        self._building = threading.Lock()
        self._serving = False
        self.builds = 0
        self.last_build_seconds = 0.0

    # -- building ------------------------------------------------------------------------------
    def rebuild(self, reason: str = "") -> bool:
        with self._building:
            if self._stop.is_set():
                return False
            return self._rebuild(reason)

    def _rebuild(self, reason: str) -> bool:
        from .pipeline import build
        started = time.perf_counter()
        try:
            if "config changed" in reason and self.reload_config is not None:
                self.config = dataclasses.replace(serve_config(self.reload_config(), self.port),
                                                  output_dir=self.config.output_dir)
            built, report = build(self.config)
        except CasebookErrors as exc:
            return self._failed("\n".join(str(e) for e in exc.errors), started)
        except CasebookError as exc:
            return self._failed(str(exc), started)
        except Exception as exc:  # a bug must not kill the server: show it
            return self._failed(f"{type(exc).__name__}: {exc}", started)
        self.builds += 1
        took = time.perf_counter() - started
        self.last_build_seconds = took
        prefix = _prefix(self.config)
        if prefix != self.state.prefix:
            self.state.prefix = prefix
            self.url = f"http://127.0.0.1:{self.port}{quote(prefix)}"
            self.log(f"now at {self.url}")
        self.state.publish(None)
        self.log(f"{reason or 'built'}: {built.cases} cases, {report.written} files written, "
                 f"{report.unchanged} unchanged, {report.removed} removed in {took:.2f}s")
        for draft in built.skipped:  # the preview shows drafts, but not those lacking a place or type
            self.log(f"  draft not shown: {draft.path}: lacks {', '.join(draft.lacks)}")
        return True

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

    def relevant(self, path: str) -> bool:
        """Whether a change to ``path`` can change the site: not an editor's temporary file,
        and in the content folder only what the loader reads (``*.md``, not hidden, not
        ``_``-prefixed) or a folder that may hold it."""
        name = os.path.basename(path)
        if _TEMP_NAME.match(name) and not os.path.isdir(path):
            return False
        content = str(self.config.content_dir)
        if path == content or not path.startswith(content + os.sep):
            return True
        if any(part.startswith((".", "_")) for part in path[len(content) + 1:].split(os.sep)):
            return False
        return name.endswith(".md") or "." not in name or os.path.isdir(path)

    def watch(self) -> None:
        """Rebuild on each batch of changes until :meth:`stop` (Ctrl-C raises KeyboardInterrupt)."""
        import watchfiles

        dirs, files = self._watched()
        polled = {f: file_stat(f) for f in files}
        config_path = self.config_file.resolve() if self.config_file else None

        def keep(change: watchfiles.Change, path: str) -> bool:
            return self.relevant(path)

        for changes in watchfiles.watch(*dirs, watch_filter=keep, stop_event=self._stop, debounce=400,
                                        step=30, rust_timeout=300, yield_on_timeout=True, raise_interrupt=True):
            reasons = []
            if changes:
                paths = sorted({p for _, p in changes})
                shown = ", ".join(os.path.relpath(p, self.base_config.root) for p in paths[:3])
                reasons.append(f"changed: {shown}" + (" …" if len(paths) > 3 else ""))
            now = {f: file_stat(f) for f in files}
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
        self._serving = True
        threading.Thread(target=self.httpd.serve_forever, name="casebook-http", daemon=True).start()

    def stop(self) -> None:
        """Stop serving and watching, wait for a build in progress, remove the preview folder."""
        self._stop.set()
        with self.state.cond:
            self.state.closing = True
            self.state.cond.notify_all()
        if self._serving:
            self.httpd.shutdown()
        self.httpd.server_close()
        with self._building:
            self._remove_preview()

    def _remove_preview(self) -> None:
        """The session's folder (the site, and the staging and lock files beside it), then the
        private folder unless another session still uses it."""
        session = self.config.output_dir.parent
        shutil.rmtree(session, ignore_errors=True)
        try:
            session.parent.rmdir()
        except OSError:
            pass


def _refuse_output(config: Config, config_file: Path | None) -> None:
    """``--output`` means nothing to ``serve`` (it never writes an output folder): refuse it
    rather than let an editor believe the preview went there."""
    if config_file is None:
        return
    try:
        own = load_config(config_file).output_dir
    except CasebookError:  # only the command line made the settings valid: nothing to compare
        return
    if config.output_dir.resolve() != own.resolve():
        raise CasebookError("serve builds its preview in a temporary folder and never writes an output "
                            "folder: drop --output (use `build --output DIR` to write the site there)")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(config: Config, port: int = 8000, *, quiet: bool = False, verbose: bool = False,
          reload_config: Callable[[], Config] | None = None, config_file: Path | None = None) -> int:
    def log(message: str) -> None:
        if not quiet or "failed" in message:
            print(message, flush=True)

    _refuse_output(config, config_file)
    try:
        server = Server(config, port, reload_config=reload_config, config_file=config_file, log=log)
    except OSError as exc:
        raise CasebookError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror} (try --port)") from None
    main = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None))
                if sig is not None and main}
    try:
        server.start()
        log(f"serving {server.config.output_dir} at {server.url} (drafts shown; Ctrl-C to stop)")
        server.watch()
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: the normal way out, not an error
        pass
    finally:
        if main:  # a second Ctrl-C (or SIGTERM) must not cut the clean-up short
            for sig in (signal.SIGINT, *previous):
                signal.signal(sig, signal.SIG_IGN)
        try:
            server.stop()
        finally:
            if main:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
    return 0
