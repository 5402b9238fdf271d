"""The build cache (``.casebook-cache/`` in the project): what the last build knew.

Three things are kept, in one SQLite file per output folder:

* **sources**: for each case file its stat (size, mtime, ctime, inode) and SHA-1, the
  validated :class:`Article` *without its body* (bodies are only needed to render
  Markdown, and the rendered HTML is cached), its ``meta_key`` (hash of the front-matter,
  path and name) and ``body_key`` (hash of the Markdown body, the base path and the code
  version). A file whose whole stat is unchanged is not even read: size and mtime alone
  are not trusted (``cp -p``, an archive or ``touch -d`` restore them after an edit of the
  same length), but the ctime is set by the kernel on every change and cannot be set back.
  A file whose stat changed is hashed, and only parsed again if its SHA-1 changed. A file
  changed within a timestamp tick of the build's listing is recorded without a stat, so
  the next build hashes it (a second edit in the same tick would leave the stat as it was).
* **bodies**: ``body_key`` -> rendered HTML and headings (loaded lazily, only for the
  pages and feeds that are rendered again).
* **pages**: for each output file the dependency key it was rendered from (see
  :func:`casebook.render.plan_site`) and the size and mtime it had after writing. A page
  whose key is unchanged and whose file on disk still has that size and mtime is not
  rendered again and its file is left alone.

**The cache is data this user's casebook wrote, or nothing.** Its values are pickles,
and unpickling runs code: so every value (and every compiled template, see
:class:`casebook.render.SignedBytecodeCache`) is sealed with an HMAC-SHA256 under a secret key kept
outside the project (:func:`cache_key`) and bound to its name and the record format;
a record that does not verify is never unpickled. A cache written with another key (a
restored or shared CI cache, another user's, a planted one) or one that cannot be read
is discarded whole, with a note; one bad record is dropped and the build goes on.

Everything is also keyed by :func:`code_version` (this package's source, its data and
the versions of the libraries that shape the output): upgrading casebook, Python-Markdown,
Pygments, nh3 or Jinja2 invalidates everything. A cache that cannot be read is treated
as empty: the cache can only make a build faster, never different.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.util
import os
import pickle
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the nothing-changed check opens the cache without Markdown's import time
    from .markup import Body

CACHE_DIR = ".casebook-cache"
SCHEMA = 2
# Every sealed record starts with this: the record format's version.
MAGIC = b"casebook-cache-2\0"
_MAC = 32  # bytes of HMAC-SHA256
KEY_ENV = "CASEBOOK_CACHE_KEY"


def _key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "casebook" / "cache-key"


@cache
def _load_key(env: str | None, path: Path) -> bytes:
    if env:
        return hashlib.sha256(b"casebook-cache-key\0" + env.encode("utf-8", "surrogatepass")).digest()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".cache-key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        try:
            os.link(tmp, path)  # never replaces a key another build created meanwhile
        except FileExistsError:
            key = path.read_bytes()
        finally:
            tmp.unlink(missing_ok=True)
    except OSError:
        pass  # no writable config folder: this process's key, so the cache lasts one build
    return key


def cache_key() -> bytes:
    """The secret that seals the cache: ``$CASEBOOK_CACHE_KEY`` if set (a CI secret, so a
    restored CI cache is trusted only by jobs that know it), else 32 random bytes in
    ``$XDG_CONFIG_HOME/casebook/cache-key`` (``~/.config/…``), created on first use."""
    return _load_key(os.environ.get(KEY_ENV) or None, _key_path())


class Sealer:
    """Seals records with one key: ``MAGIC``, then HMAC-SHA256(key, MAGIC + name + NUL +
    payload), then the payload. The name binds a record to its place (a body cannot be
    passed off as the source index), ``MAGIC`` to this format's version."""

    def __init__(self, key: bytes):
        self._base = hmac.new(key, MAGIC, "sha256")  # copied per record: the key is hashed once

    def _mac(self, name: str, payload: bytes | memoryview) -> bytes:
        mac = self._base.copy()
        mac.update(name.encode("utf-8", "surrogatepass") + b"\0")
        mac.update(payload)
        return mac.digest()

    def seal(self, name: str, payload: bytes) -> bytes:
        """``payload`` as a record that only this key can have written, under ``name``."""
        return MAGIC + self._mac(name, payload) + payload

    def unseal(self, name: str, record: object) -> bytes | None:
        """The payload of a record sealed under ``name`` with this key, else None."""
        if not isinstance(record, bytes) or not record.startswith(MAGIC):
            return None
        start = len(MAGIC) + _MAC
        payload = memoryview(record)[start:]
        ok = hmac.compare_digest(self._mac(name, payload), record[len(MAGIC):start])
        return payload.tobytes() if ok else None


def seal(name: str, payload: bytes) -> bytes:
    return Sealer(cache_key()).seal(name, payload)


def unseal(name: str, record: object) -> bytes | None:
    return Sealer(cache_key()).unseal(name, record)


# Libraries that shape the output (module -> distribution): Python-Markdown, Pygments and
# nh3 a body's HTML, Jinja2 the pages, PyYAML what is read.
_LIBRARIES = {"markdown": "Markdown", "pygments": "Pygments", "nh3": "nh3", "jinja2": "Jinja2", "yaml": "PyYAML"}


@cache
def code_version() -> str:
    """Hash of casebook's own code and data plus the versions of output-shaping libraries."""
    h = hashlib.sha1(f"schema{SCHEMA}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for module, distribution in _LIBRARIES.items():
        h.update(f"{module}={library_version(module, distribution)}".encode())
    return h.hexdigest()


def library_version(module: str, distribution: str) -> str:
    """The installed version of the library ``import module`` loads, without importing it:
    the nothing-changed check must not pay Jinja2's, Markdown's and Pygments' import time
    (0.2 s), nor importlib.metadata's (20 ms). It is the name of the ``.dist-info`` folder
    beside the module (``markdown-3.7.dist-info``); if there is none (a source checkout),
    the module's ``__version__``."""
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin is not None:
        folder = Path(spec.origin).parent
        if spec.submodule_search_locations:  # a package: its folder's parent holds the dist-info
            folder = folder.parent
        wanted = _normalized(distribution)
        for name in _names_in(folder):
            stem, dash, version = name.removesuffix(".dist-info").partition("-")
            if name.endswith(".dist-info") and dash and _normalized(stem) == wanted:
                return version
    return str(getattr(importlib.import_module(module), "__version__", ""))


def _normalized(distribution: str) -> str:
    """A distribution's name as its ``.dist-info`` folder may spell it (PEP 503, 427)."""
    return re.sub(r"[-_.]+", "_", distribution).lower()


@cache
def _names_in(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


# A file changed this recently (ns) before the listing may change again within the same
# timestamp tick, leaving its stat as recorded: coarse (whole-second, FAT's 2 s) timestamps
# and fine ones (ext4, btrfs, xfs, tmpfs tick with the kernel clock), as in write.py.
RACY_NS = 2_000_000_000
FINE_RACY_NS = 100_000_000

SourceStat = tuple[int, int, int, int]  # (size, mtime_ns, ctime_ns, inode)


def source_stat(path: str | Path) -> SourceStat | None:
    """What tells an input file's changes: size and mtime, which ``cp -p``, archives and
    ``touch -d`` set back, plus the ctime and inode, which they cannot."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def settled(stat: tuple[int, ...] | None, listed_ns: int) -> bool:
    """Whether a stat taken at ``listed_ns`` proves the content: no change in the same
    timestamp tick as its mtime and ctime can still follow unseen."""
    if stat is None:
        return False
    newest = max(stat[1], stat[2]) if len(stat) > 2 else stat[1]
    return newest < listed_ns - (FINE_RACY_NS if newest % 1_000_000_000 else RACY_NS)


def file_sha(path: str | Path) -> str | None:
    """SHA-1 of a file's bytes (as :func:`casebook.load.read_source` records it)."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha1(f.read()).hexdigest()
    except OSError:
        return None


@dataclass
class Source:
    """What the cache remembers about one case file."""

    stat: SourceStat | None  # None: not settled when read (see :func:`settled`): hash it next time
    sha: str
    meta_key: str
    body_key: str
    article: Any  # Article with body="" (see module docstring)
    # The body's headings that sub-case anchors name, all the anchor check needs: not every
    # heading (five a case, they were half the time of loading the index).
    anchored: tuple


#: How Python's sqlite3 reports text that is not UTF-8: garbled pages of a corrupt file
#: (an OperationalError, as a locked or full database is, but corruption all the same).
_NOT_UTF8 = "Could not decode to UTF-8"


def _guarded(default: Callable[[], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A cache method that, on a database found corrupt mid-build, gives ``default()`` (as
    if the cache were empty) and discards the cache when the build closes it."""
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: BuildCache, *args: Any, **kwargs: Any) -> Any:
            if self.broken:
                return default()
            try:
                return method(self, *args, **kwargs)
            except sqlite3.OperationalError as exc:  # locked, disk full, …: not corruption
                if not str(exc).startswith(_NOT_UTF8):
                    raise
            except sqlite3.DatabaseError:
                pass
            self.broken = True
            self.note("the build cache is corrupt: discarded (this build does without it)")
            return default()
        return guarded
    return wrap


def cache_dir(root: Path, output_dir: Path) -> Path:
    """The cache folder of one output folder of the project at ``root``."""
    return root / CACHE_DIR / hashlib.sha1(str(output_dir.absolute()).encode()).hexdigest()[:12]


class BuildCache:
    """One output folder's cache. Use as a context manager; :meth:`commit` saves.

    ``note`` is told, once, when the cache is discarded or a record dropped."""

    def __init__(self, root: Path, output_dir: Path, note: Callable[[str], None] | None = None):
        self.dir = cache_dir(root, output_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / "cache.sqlite"
        self.version = code_version()
        self._note = note
        self._noted = False
        self.broken = False
        self.sealer = Sealer(cache_key())
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            self.note("the build cache could not be read (corrupt): discarded, this build reads every file")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.db = self._open()

    def note(self, text: str) -> None:
        if not self._noted and self._note is not None:
            self._note(text)
        self._noted = True

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, value BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, data BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, key TEXT, size INT, mtime INT)")
        row = db.execute("SELECT value FROM kv WHERE name='version'").fetchone()
        owner = db.execute("SELECT value FROM kv WHERE name='owner'").fetchone()
        # The owner record: this key sealed this cache's version (a plain value, no pickle).
        expected = self.sealer.seal("owner", self.version.encode())
        if row is None or row[0] != self.version or owner is None or owner[0] != expected:
            if row is not None and row[0] == self.version:
                self.note("the build cache was not written with this machine's cache key (copied, restored "
                          "or tampered with): discarded, this build reads every file")
            db.execute("BEGIN")
            for table in ("kv", "bodies", "pages"):
                db.execute(f"DELETE FROM {table}")
            db.executemany("INSERT INTO kv VALUES (?, ?)", (("version", self.version), ("owner", expected)))
            db.execute("COMMIT")
        return db

    def close(self) -> None:
        self.db.close()
        if self.broken:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def jinja_dir(self) -> Path:
        folder = self.dir.parent / "jinja"  # shared by all output folders: keyed by template source
        folder.mkdir(exist_ok=True)
        return folder

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- key/value blobs (the source index, related cases) --------------------------------
    @_guarded(lambda: None)
    def get(self, name: str, context: str = "") -> Any:
        """The value saved under ``name`` if it was saved with the same ``context``."""
        row = self.db.execute("SELECT value FROM kv WHERE name=?", (name,)).fetchone()
        if row is None:
            return None
        payload = self.sealer.unseal(f"kv:{name}", row[0])
        if payload is None:
            self._drop("kv", "name", name)
            return None
        try:
            saved_context, value = pickle.loads(payload)
        except Exception:  # sealed by this key, yet unreadable: a bug, not an attack
            return None
        return value if saved_context == context else None

    @_guarded(lambda: None)
    def put(self, name: str, value: Any, context: str = "") -> None:
        data = pickle.dumps((context, value), protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (name, self.sealer.seal(f"kv:{name}", data)))

    @_guarded(lambda: None)
    def _drop(self, table: str, column: str, name: str) -> None:
        """Forget a record that does not verify (corrupt, foreign or planted)."""
        self.note(f"a build cache record did not verify (corrupt or not written by this machine): {name!r} "
                  "dropped")
        self.db.execute(f"DELETE FROM {table} WHERE {column}=?", (name,))

    def get_token(self, name: str) -> str:
        return self.get(f"token:{name}") or ""

    def put_token(self, name: str) -> None:
        """A fresh random token: ties a delta to the base it was made against."""
        self.put(f"token:{name}", os.urandom(8).hex())

    # -- rendered bodies -------------------------------------------------------------------
    @_guarded(dict)
    def bodies(self, keys: list[str]) -> dict[str, Body]:
        """Cached rendered bodies, still pickled: the process that renders a page unpickles
        the one it needs (see :data:`casebook.markup.Body`). Only records that verify are
        returned; the others are dropped (the body is rendered again from its file)."""
        out: dict[str, Body] = {}
        bad: list[str] = []
        unseal_body = self.sealer.unseal
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, data in self.db.execute(f"SELECT key, data FROM bodies WHERE key IN ({marks})", chunk):
                payload = unseal_body(f"body:{key}", data)
                if payload is None:
                    bad.append(key)
                else:
                    out[key] = payload
        for key in bad:
            self._drop("bodies", "key", key)
        return out

    @_guarded(lambda: None)
    def put_bodies(self, items: dict[str, Body]) -> None:
        seal = self.sealer.seal
        if items:
            self.db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", (
                (k, seal(f"body:{k}", v if isinstance(v, bytes) else pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)))
                for k, v in items.items()))

    @_guarded(lambda: None)
    def prune_bodies(self, live: set[str]) -> None:
        """Forget bodies no case uses any more (an edited body leaves its old HTML behind)."""
        stored = {k for (k,) in self.db.execute("SELECT key FROM bodies")}
        dead = stored - live
        if dead:
            self.db.executemany("DELETE FROM bodies WHERE key=?", ((k,) for k in dead))

    # -- output manifest -------------------------------------------------------------------
    @_guarded(dict)
    def pages(self) -> dict[str, tuple[str, int, int]]:
        return {p: (k, s, m) for p, k, s, m in self.db.execute("SELECT path, key, size, mtime FROM pages")}

    @_guarded(lambda: None)
    def save_pages(self, rows: dict[str, tuple[str, int, int]], replace_all: bool) -> None:
        if replace_all:
            self.db.execute("DELETE FROM pages")
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)",
                            ((p, k, s, m) for p, (k, s, m) in rows.items()))

    @_guarded(lambda: None)
    def forget_pages(self, paths: set[str]) -> None:
        self.db.executemany("DELETE FROM pages WHERE path=?", ((p,) for p in paths))

    @_guarded(lambda: None)
    def begin(self) -> None:
        self.db.execute("BEGIN")

    @_guarded(lambda: None)
    def commit(self) -> None:
        self.db.execute("COMMIT")

    @_guarded(lambda: None)
    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")


def file_stat(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
