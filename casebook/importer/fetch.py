"""Inputs: files, folders of files, and http(s) URLs, read as raw bytes.

Nothing here decodes or changes the input; the raw file is only ever read.
URLs are fetched politely: one request, a descriptive User-Agent, a timeout,
and a CasebookError that names the URL when the server cannot be reached.

**Safety.** What is fetched gets written into ``content/`` and published, so a URL
must not reach the importing machine's own network: every connection (the first and
each redirect) goes only to an address checked to be public at the moment of
connecting (:func:`refusal`: loopback, private, link-local, shared and reserved
ranges are refused, so a name that re-resolves to ``127.0.0.1`` between check and
connect gains nothing) unless ``allow_private`` (``--allow-private``) is given; an
answer says whether it came from such an address (:attr:`Answer.private`), so the
pictures of a public page are never fetched from one (:mod:`~casebook.importer.pictures`). Only
http(s) is spoken, redirects included. The whole fetch, redirects and a server that
sends one byte at a time included, ends at :data:`DEADLINE_SECONDS` (the socket
timeout only bounds each single read). A folder's files are read only when they lie
inside the folder: a symbolic link that leads out of it is skipped and named.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import CasebookError

if TYPE_CHECKING:
    from email.message import Message

SUFFIXES = (".txt", ".html", ".htm")
USER_AGENT = f"casebook-importer/{__version__} (static site generator; one request per article)"
#: Seconds one socket operation (connect, one read) may take.
TIMEOUT_SECONDS = 20
#: Seconds the whole fetch of one URL may take, redirects and slow servers included.
DEADLINE_SECONDS = 60
MAX_BYTES = 10 * 1024 * 1024
#: Hint given with every refused address.
ALLOW_PRIVATE_HINT = "pass --allow-private to import from your own machine or network"


@dataclass(frozen=True)
class RawInput:
    """One article's raw bytes and what is known about where they came from."""

    name: str  # file name or URL: names the report and seeds the slug hash
    data: bytes
    is_html: bool
    url: str | None = None
    charset: str | None = None
    #: The page came from a loopback or private address (fetched with ``--allow-private``).
    private: bool = False
    #: The file the page was read from (its folder holds what a browser saved with it).
    path: Path | None = None


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def expand(specs: list[str], skipped: Callable[[str, str], None] | None = None) -> Iterator[str]:
    """Each URL and file as given; each folder as its article files, sorted.

    A file in a folder that is a symbolic link leading out of the folder (a planted
    link to a private file) is not read: ``skipped(path, reason)`` is told instead.
    Links to directories are not descended into (as before); links that stay inside
    the folder are read. A file named on the command line is read as given.
    """
    for spec in specs:
        path = Path(spec)
        if not is_url(spec) and path.is_dir():
            root = path.resolve()
            for p in sorted(path.rglob("*")):
                if p.suffix.lower() not in SUFFIXES or not p.is_file():
                    continue
                if p.is_symlink() and not p.resolve().is_relative_to(root):
                    if skipped is not None:
                        skipped(str(p), f"a symbolic link out of {spec} (to {p.resolve()}); not read")
                    continue
                yield str(p)
        else:
            yield spec


def read(spec: str, allow_private: bool = False) -> RawInput:
    """Read one file or fetch one URL (from a private or loopback address only when allowed)."""
    if is_url(spec):
        return fetch(spec, allow_private)
    path = Path(spec)
    if path.suffix.lower() not in SUFFIXES:
        raise CasebookError(f"not an article file (expected {', '.join(SUFFIXES)})", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CasebookError(f"cannot read: {exc.strerror}", path) from None
    return RawInput(path.name, data, path.suffix.lower() != ".txt" or _looks_like_html(data), path=path)


def fetch(url: str, allow_private: bool = False) -> RawInput:
    answer = download(url, allow_private, accept="text/html,text/plain", max_bytes=MAX_BYTES,
                      deadline=DEADLINE_SECONDS, what="import")
    is_html = answer.content_type in ("text/html", "application/xhtml+xml") or _looks_like_html(answer.data)
    return RawInput(url, answer.data, is_html, url=url, charset=answer.charset, private=answer.private)


@dataclass(frozen=True)
class Answer:
    """What a server sent for one URL."""

    data: bytes
    content_type: str
    charset: str | None
    #: The answer came from a loopback, private or link-local address (possible only when
    #: private addresses were allowed): what that page links to may come from there too.
    private: bool


def download(url: str, allow_private: bool, accept: str, max_bytes: int, deadline: float,
             what: str = "fetch") -> Answer:
    """GET one http(s) URL with every safety check of this module (public addresses only
    unless allowed, checked at each connection and redirect; a per-read timeout and an
    overall ``deadline``); an answer over ``max_bytes`` is an error, never cut short."""
    import http.client  # only URLs need the HTTP stack (~30 ms to import)
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    guard = _Guard(url, allow_private, deadline)
    timer = threading.Timer(deadline, guard.expire)
    timer.daemon = True
    timer.start()
    try:
        with _opener(guard).open(request, timeout=min(TIMEOUT_SECONDS, deadline)) as response:
            headers: Message = response.headers
            announced = headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > max_bytes:
                raise CasebookError(f"cannot {what} {url}: larger than {_megabytes(max_bytes)}")
            data = response.read(max_bytes + 1)
    except _Refused as exc:
        via = f"it redirects to {guard.current}, and " if guard.current != url else ""
        raise CasebookError(f"refused {url}: {via}{exc.message}; {ALLOW_PRIVATE_HINT}") from None
    except urllib.error.HTTPError as exc:
        if guard.expired:
            raise guard.too_slow() from None
        raise CasebookError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        if guard.expired:
            raise guard.too_slow() from None
        reason = getattr(exc, "reason", exc)
        raise CasebookError(f"cannot fetch {url}: {reason}") from None
    finally:
        timer.cancel()
        guard.close()
    if guard.expired:  # the watchdog cut a read short: what came is not the whole answer
        raise guard.too_slow()
    if len(data) > max_bytes:
        raise CasebookError(f"cannot {what} {url}: larger than {_megabytes(max_bytes)}")
    return Answer(data, headers.get_content_type(), headers.get_content_charset(), guard.private)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:4096].lower()


# -- fetching only what may be published ----------------------------------------------------


class _Refused(CasebookError):
    """A URL (or a redirect) leads to an address the importer must not fetch from."""


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``address`` is not a public Internet address (None when it is)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            address = mapped
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return None


def resolve(host: str, port: int, allow_private: bool = False) -> list[tuple[Any, ...]]:
    """The addresses of ``host`` to connect to (``getaddrinfo`` entries); a refusal when any
    of them is private and that is not allowed (a name that mixes public and private
    addresses is refused as a whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
    if not allow_private:
        for *_, sockaddr in infos:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
            reason = refusal(address)
            if reason:
                shown = host if host == str(address) else f"{host} ({address})"
                raise _Refused(f"{shown} is {reason}")
    return infos


class _Guard:
    """One fetch: checks every address it connects to and cuts every socket at the deadline."""

    def __init__(self, url: str, allow_private: bool, deadline: float):
        self.url = url
        self.current = url  # the URL being requested: the first, then each redirect
        self.allow_private = allow_private
        self.deadline = deadline
        self.expired = False
        self.private = False  # connected (directly) to a non-public address
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def vet_url(self, url: str) -> None:
        """Check a URL's host before a request goes through a proxy (which resolves it itself)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise OSError(f"it leads to {url}, and only http and https are fetched")
        if parts.hostname:
            resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), self.allow_private)

    def connect(self, address: tuple[str, int], timeout: Any = None, source_address: Any = None,
                checked: bool = True) -> socket.socket:
        """A connected socket to ``address``, to one of its checked addresses when ``checked``."""
        host, port = address
        infos = (resolve(host, port, self.allow_private) if checked
                 else socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                self.track(sock)
                sock.settimeout(TIMEOUT_SECONDS if not isinstance(timeout, (int, float)) else timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)  # the address just checked, not the name again
                if checked and refusal(ipaddress.ip_address(str(sockaddr[0]).split("%")[0])):
                    self.private = True
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"cannot connect to {host}")

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError(f"no complete answer within {self.deadline:g} s")
            self._sockets.append(sock)

    def expire(self) -> None:
        """The deadline: wake every blocked read by shutting its socket down."""
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, also under TLS
                except OSError:
                    pass

    def close(self) -> None:
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def too_slow(self) -> CasebookError:
        return CasebookError(f"cannot fetch {self.url}: no complete answer within {self.deadline:g} s "
                             "(the server is too slow or sends the page a little at a time)")


def _opener(guard: _Guard) -> Any:
    """An opener that speaks only http(s) and connects only through ``guard``."""
    import http.client
    import urllib.request

    def connection(cls: type[http.client.HTTPConnection], proxied: bool) -> Callable[..., Any]:
        def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = cls(host, **kwargs)

            def create(address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> socket.socket:
                # Through a proxy the connection is to the user's proxy: the target was vetted by name.
                return guard.connect(address, timeout, source_address,
                                     checked=not (proxied or conn._tunnel_host))  # type: ignore[attr-defined]

            def connect() -> None:
                plain_connect()
                guard.track(conn.sock)  # under TLS a new socket object: the deadline must reach it too

            plain_connect = conn.connect
            conn._create_connection = create  # type: ignore[attr-defined]
            conn.connect = connect  # type: ignore[method-assign]
            return conn
        return make

    def opened(handler: urllib.request.AbstractHTTPHandler, req: urllib.request.Request,
               kind: type[http.client.HTTPConnection]) -> Any:
        """Open through a connection that vets the address it connects to (the proxy's
        name only, when a proxy stands between)."""
        guard.current = req.full_url
        proxied = req.has_proxy() or bool(req._tunnel_host)  # type: ignore[attr-defined]
        if proxied:
            guard.vet_url(req.full_url)
        return handler.do_open(connection(kind, proxied), req)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> Any:
            return opened(self, req, http.client.HTTPConnection)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> Any:
            return opened(self, req, http.client.HTTPSConnection)

    class Redirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
            if urlsplit(newurl).scheme not in ("http", "https"):
                raise OSError(f"it redirects to {newurl}, and only http and https are fetched")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), Http(), Https(),
                    urllib.request.HTTPDefaultErrorHandler(), Redirects(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener
