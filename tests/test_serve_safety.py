"""The preview server under attack and misuse (issue 14, items 13 and 16): response
splitting, open redirects, names too long for the file system, DNS rebinding, floods of
idle connections, a sub-path ``--base-url``, a refused ``--output``, editors' temporary
files, and a quiet Ctrl-C that leaves no folder behind.

Every request goes only to the server the test starts on 127.0.0.1; loops and waits are
bounded. The sample site is built without search (not what is tested here)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.serve import EVENTS_PATH, Server

from .conftest import ROOT


def _no_search(project: Path) -> Path:
    cfg_file = project / "site.yaml"
    cfg_file.write_text(cfg_file.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    return cfg_file


@pytest.fixture
def temp_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp dir as ``serve`` sees it (where its private folder goes)."""
    tmp = tmp_path_factory.mktemp("servetmp")
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    return tmp


@pytest.fixture
def start(project: Path, temp_dir: Path) -> Iterator[Callable[..., Server]]:
    """Start a server on the sample project (extra ``Server`` options as keywords)."""
    cfg_file = _no_search(project)
    started: list[Server] = []

    def make(watch: bool = False, log: Callable[[str], None] = lambda m: None, built: bool = True,
             **options: object) -> Server:
        """``built=False``: neither built nor serving, for what needs only the settings."""
        srv = Server(load_config(cfg_file), 0, reload_config=lambda: load_config(cfg_file), config_file=cfg_file,
                     log=log, **options)  # type: ignore[arg-type]
        started.append(srv)
        if built:
            srv.start()
        if watch:
            t = threading.Thread(target=srv.watch, daemon=True)
            t.start()
            srv._watcher = t  # type: ignore[attr-defined]
            time.sleep(0.3)  # let the watcher register its inotify watches
        return srv

    yield make
    for srv in started:
        srv.stop()
        watcher = getattr(srv, "_watcher", None)
        if watcher is not None:
            watcher.join(timeout=5)


def _raw(srv: Server, request: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes; the whole answer (the server closes after it: Connection: close)."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
            if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                break
        return b"".join(chunks)


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return m is None or len(body) >= int(m[1])


def _get(srv: Server, path: str, host: str | None = "", head: bool = False) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` verbatim (nothing quoted) with this Host header ("" = the server's own,
    None = no Host header at all); status, headers (lower-case names), body."""
    host_line = "" if host is None else f"Host: {host or f'127.0.0.1:{srv.port}'}\r\n"
    method = "HEAD" if head else "GET"
    answer = _raw(srv, f"{method} {path} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n".encode("latin-1"))
    head_bytes, _, body = answer.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return status, headers, body


# -- response splitting and open redirects --------------------------------------------------------

def test_control_characters_in_a_path_are_refused(start: Callable[..., Server]) -> None:
    srv = start()
    for path in ("/cases%0d%0aSet-Cookie:%20injected=1", "/cases%0aSet-Cookie:%20injected=1", "/cases%0dX:1",
                 "/cases/%00", "/%1b[31m"):
        status, headers, _ = _get(srv, path)
        assert status == 400, path
        assert "set-cookie" not in headers and "x" not in headers and "location" not in headers, path


def test_folder_redirects_never_leave_the_site(start: Callable[..., Server]) -> None:
    srv = start()
    status, headers, _ = _get(srv, "/cases")
    assert (status, headers["location"]) == (301, "/cases/")
    # A path that normalises to a folder but starts with //host: the Location is built from
    # the folder, never echoed (a browser would take //evil.example/… for another site).
    for path in ("/%2Fevil.example/../cases", "//evil.example/../cases", "/./cases/../cases"):
        status, headers, _ = _get(srv, path)
        assert status == 301 and headers["location"] == "/cases/", (path, headers)
    # A folder whose name needs quoting is redirected percent-encoded.
    (srv.config.output_dir / "a b").mkdir()
    (srv.config.output_dir / "a b" / "index.html").write_text("<p>x", "utf-8")
    assert _get(srv, "/a%20b")[1]["location"] == "/a%20b/"


# -- names the file system cannot hold ------------------------------------------------------------

def test_long_names_are_a_clean_404(start: Callable[..., Server], capfd: pytest.CaptureFixture[str]) -> None:
    said: list[str] = []
    srv = start(log=said.append)
    for path in ("/" + "a" * 300, "/cases/" + "%E9%95%BF" * 200 + "/", "/" + "/".join(["b" * 250] * 20),
                 "/" + "%E9%95%BF" * 100 + ".html", "/" + "c" * 5000):
        for head in (False, True):
            status, headers, body = _get(srv, path, head=head)
            assert status == 404 and headers["content-type"].startswith("text/html"), path
        assert _get(srv, "/")[0] == 200  # and the server goes on
    err = capfd.readouterr().err
    assert "Traceback" not in err and "OSError" not in err
    assert not [line for line in said if "error" in line], said


# -- DNS rebinding ----------------------------------------------------------------------------------

def test_only_its_own_host_is_served(start: Callable[..., Server]) -> None:
    srv = start()
    port = srv.port
    for own in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert _get(srv, "/", host=own)[0] == 200, own
    # A page on evil.example whose name now resolves to 127.0.0.1 asks with its own Host.
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "127.0.0.1", f"127.0.0.1.nip.io:{port}",
                 f"localhost.:{port}", f"[::1]:{port}", " ", None):  # " ": an empty Host header
        for path in ("/", "/cases/", EVENTS_PATH, "/__casebook/reload.js", "/404.html"):
            status, _, body = _get(srv, path, host=host)
            assert status == 403, (host, path, status)
            assert b"<html" not in body.lower() and b"event:" not in body
    # Two Host headers: refused too.
    answer = _raw(srv, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n"
                       "Connection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 403")


# -- idle connections ---------------------------------------------------------------------------------

def _closed_by_peer(s: socket.socket) -> bool:
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_idle_connections_are_closed_after_the_timeout(start: Callable[..., Server]) -> None:
    srv = start(idle_timeout=3.0, max_connections=1000)
    baseline = threading.active_count()
    sockets = []
    try:
        opened = time.monotonic()
        for i in range(300):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            sockets.append(s)
            if i % 2:
                s.sendall(b"GET / HT")  # half a request line (slowloris); the others send nothing
            if i % 30 == 29:  # give the server (in this process) time to accept: the backlog is 64
                time.sleep(0.05)
        took, peak = time.monotonic() - opened, threading.active_count()
        assert took > 2.5 or peak >= baseline + 250, (took, peak)  # one thread each, for now
        deadline = time.monotonic() + 15
        for s in sockets:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            assert _closed_by_peer(s)  # each is closed once it has been silent 3 s
        while threading.active_count() > baseline and time.monotonic() < deadline:
            time.sleep(0.05)
        assert threading.active_count() <= baseline
        assert _get(srv, "/")[0] == 200
    finally:
        for s in sockets:
            s.close()


def test_connections_beyond_the_limit_get_503_at_once(start: Callable[..., Server]) -> None:
    srv = start(idle_timeout=30, max_connections=16)
    idle = [socket.create_connection(("127.0.0.1", srv.port), timeout=5) for _ in range(16)]
    try:
        time.sleep(0.2)
        started = time.monotonic()
        answer = _raw(srv, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode(), timeout=5)
        assert answer.startswith(b"HTTP/1.1 503") and time.monotonic() - started < 2
    finally:
        for s in idle:
            s.close()
    deadline = time.monotonic() + 5  # the slots are freed as the idle ones go away
    while _get(srv, "/")[0] != 200:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_event_stream_survives_a_short_idle_timeout(start: Callable[..., Server], project: Path) -> None:
    """The timeout is for silent clients: an open page's event stream (which the server
    writes to, the browser never) still receives its reload."""
    srv = start(watch=True, idle_timeout=0.5)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode())
        got = b""
        while b"event: hello" not in got:
            got += s.recv(4096)
        time.sleep(1.0)  # longer than the idle timeout
        case = next((project / "content").glob("*.md"))
        case.write_text(case.read_text("utf-8") + "\n新的一段。\n", "utf-8")
        deadline = time.monotonic() + 10
        while b"event: reload" not in got and time.monotonic() < deadline:
            got += s.recv(4096)
        assert b"event: reload" in got


# -- a sub-path preview -------------------------------------------------------------------------------

def test_base_url_sub_path_is_previewed_under_it(start: Callable[..., Server], project: Path) -> None:
    cfg = project / "site.yaml"
    cfg.write_text(re.sub(r"(?m)^base_url: .*$", "base_url: https://user.github.io/showcase/", cfg.read_text("utf-8")),
                   "utf-8")
    srv = start()
    assert srv.config.base_url == f"http://127.0.0.1:{srv.port}/showcase/"
    assert srv.url == f"http://127.0.0.1:{srv.port}/showcase/"
    for path in ("/", "/showcase"):
        status, headers, _ = _get(srv, path)
        assert (status, headers["location"]) == (302, "/showcase/")
    status, _, body = _get(srv, "/showcase/")
    assert status == 200 and b'href="/showcase/assets/' in body and b"user.github.io" not in body
    assert _get(srv, "/showcase/cases")[1]["location"] == "/showcase/cases/"
    assert _get(srv, "/showcase/cases/")[0] == 200
    assert _get(srv, "/cases/")[0] == 404  # the site is not also at the root
    css = re.search(rb'href="(/showcase/assets/[^"]+\.css)"', body)[1].decode()  # type: ignore[index]
    assert _get(srv, css)[0] == 200


def test_serve_refuses_output_flag(project: Path, tmp_path: Path) -> None:
    _no_search(project)
    elsewhere = tmp_path / "elsewhere"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--config", str(project / "site.yaml"), "serve",
                           "--port", "0", "--output", str(elsewhere)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert proc.returncode == 1, proc
    assert "--output" in proc.stderr and "build --output" in proc.stderr and "Traceback" not in proc.stderr
    assert not elsewhere.exists() and not list(tmp_path.glob("casebook-serve-*"))


# -- the private temp folder ------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_planted_temp_folder_is_refused(project: Path, temp_dir: Path, tmp_path: Path) -> None:
    cfg = load_config(_no_search(project))
    private = temp_dir / f"casebook-serve-{os.getuid()}"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.docx").write_text("keep me", "utf-8")
    private.symlink_to(victim)  # another user's plant: the preview would go, and be removed, there
    with pytest.raises(CasebookError, match="not a private folder"):
        Server(cfg, 0, log=lambda m: None)
    private.unlink()
    private.mkdir(mode=0o777)
    private.chmod(0o777)  # made by someone else, open to everyone
    with pytest.raises(CasebookError, match="not a private folder"):
        Server(cfg, 0, log=lambda m: None)
    assert [p.name for p in victim.iterdir()] == ["thesis.docx"]


# -- the command line: Ctrl-C, SIGTERM, clean-up ------------------------------------------------------------

@contextlib.contextmanager
def _serve_process(project: Path, tmp: Path, *flags: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--config", str(project / "site.yaml"), "serve",
                             "--port", "0", *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)})
    try:
        port = 0
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m[1])
                break
        assert port, "serve did not start"
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stop_is_quiet_and_leaves_no_folder(project: Path, tmp_path: Path, sig: signal.Signals) -> None:
    _no_search(project)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with _serve_process(project, tmp) as (proc, port):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            assert s.recv(12) == b"HTTP/1.1 200"
        assert list(tmp.glob("casebook-serve-*/*/site/index.html"))
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, (out, err)
        assert err == "", err  # no "KeyboardInterrupt caught", no traceback, no "interrupted"
    assert list(tmp.iterdir()) == []  # the preview folder and its private parent are gone


# -- editors' temporary files --------------------------------------------------------------------------------

def test_editor_temp_files_are_ignored(start: Callable[..., Server], project: Path) -> None:
    said: list[str] = []
    srv = start(watch=True, log=said.append)
    builds = srv.builds
    said.clear()
    content, templates = project / "content", project / "themes" / "default" / "templates"
    case = sorted(content.glob("*.md"))[0]  # a case (before the temporary files join it)
    for path in (content / "4913", content / "x.md~", content / ".#x.md", content / "#x.md#", content / ".x.md.swp",
                 content / "x.md.swp", content / "notes.txt", content / "_draft.md", content / "tmpab12_x9z",
                 content / "x.md___jb_tmp___", templates / "sedQ1w2E3", templates / "base.html~",
                 templates / ".goutputstream-ABC123"):
        path.write_text("temporary\n", "utf-8")
    time.sleep(1.5)  # debounce 400 ms: a rebuild would have run by now
    assert srv.builds == builds and not said, said
    # sed -i: writes content/sedXXXXXX and renames it over the case; only the case is named.
    temp = content / "sedCaRWtt"
    temp.write_text(case.read_text("utf-8") + "\n新增一段。\n", "utf-8")
    os.replace(temp, case)
    deadline = time.monotonic() + 10
    while srv.builds == builds and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert srv.builds == builds + 1, said
    changed = [line for line in said if line.startswith("changed:")]
    assert changed and case.name in changed[0] and "sed" not in changed[0], said


@pytest.mark.parametrize("name, relevant", [
    ("a.md", True), ("sub", True), ("sub/b.md", True), ("sedCaRWtt", False), ("4913", False), ("a.md~", False),
    (".#a.md", False), ("#a.md#", False), ("a.md.swp", False), ("a.md.swo", False), (".a.md", False),
    ("_a.md", False), ("_sub/a.md", False), (".import/a.removed.txt", False), ("a.txt", False),
    ("a.md___jb_old___", False), ("tmp8a_2k1qz", False), ("a.md.tmp", False), ("a.md.kate-swp", False),
])
def test_which_content_changes_count(start: Callable[..., Server], name: str, relevant: bool) -> None:
    srv = start(built=False)
    assert srv.relevant(os.path.join(str(srv.config.content_dir), *name.split("/"))) is relevant
