"""The build cache (``.casebook-cache/`` in the project): what the last build knew.

Three things are kept, in one SQLite file per output folder:

* **sources**: for each case file its size, mtime and SHA-1, the validated
  :class:`Article` *without its body* (bodies are only needed to render Markdown, and
  the rendered HTML is cached), its ``meta_key`` (hash of the front-matter, path and
  name) and ``body_key`` (hash of the Markdown body, the base path and the code version).
  A file whose size and mtime are unchanged is not even read.
* **bodies**: ``body_key`` -> rendered HTML and headings (loaded lazily, only for the
  pages and feeds that are rendered again).
* **pages**: for each output file the dependency key it was rendered from (see
  :func:`casebook.render.plan_site`) and the size and mtime it had after writing. A page
  whose key is unchanged and whose file on disk still has that size and mtime is not
  rendered again and its file is left alone.

Everything is also keyed by :func:`code_version` (this package's source, its data and
the versions of the libraries that shape the output): upgrading casebook, markdown-it-py,
markdown-it-pyrs, Pygments, nh3 or Jinja2 invalidates everything. A cache that cannot be read is treated
as empty: the cache can only make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .markup import Body

CACHE_DIR = ".casebook-cache"
SCHEMA = 1


# Libraries that shape the output. Their versions are read from the imported modules (a
# build imports them all anyway), not from package metadata: importing importlib.metadata
# alone cost an incremental build 20 ms.
_LIBRARIES = ("markdown_it", "markdown_it_pyrs", "mdit_py_plugins", "pygments", "nh3", "jinja2", "yaml")


@cache
def code_version() -> str:
    """Hash of casebook's own code and data plus the versions of output-shaping libraries."""
    h = hashlib.sha1(f"schema{SCHEMA}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        h.update(f"{name}={getattr(importlib.import_module(name), '__version__', '')}".encode())
    return h.hexdigest()


@dataclass
class Source:
    """What the cache remembers about one case file."""

    size: int
    mtime_ns: int
    sha: str
    meta_key: str
    body_key: str
    article: Any  # Article with body="" (see module docstring)
    # The body's headings that sub-case anchors name, all the anchor check needs: not every
    # heading (five a case, they were half the time of loading the index).
    anchored: tuple


class BuildCache:
    """One output folder's cache. Use as a context manager; :meth:`commit` saves."""

    def __init__(self, root: Path, output_dir: Path):
        tag = hashlib.sha1(str(output_dir.absolute()).encode()).hexdigest()[:12]
        self.dir = root / CACHE_DIR / tag
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / "cache.sqlite"
        self.version = code_version()
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, value BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, data BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, key TEXT, size INT, mtime INT)")
        row = db.execute("SELECT value FROM kv WHERE name='version'").fetchone()
        if row is None or row[0] != self.version:
            db.execute("BEGIN")
            for table in ("kv", "bodies", "pages"):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO kv VALUES ('version', ?)", (self.version,))
            db.execute("COMMIT")
        return db

    def close(self) -> None:
        self.db.close()

    def jinja_dir(self) -> Path:
        folder = self.dir.parent / "jinja"  # shared by all output folders: keyed by template source
        folder.mkdir(exist_ok=True)
        return folder

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- key/value blobs (the source index, related cases) --------------------------------
    def get(self, name: str, context: str = "") -> Any:
        """The value saved under ``name`` if it was saved with the same ``context``."""
        row = self.db.execute("SELECT value FROM kv WHERE name=?", (name,)).fetchone()
        if row is None:
            return None
        try:
            saved_context, value = pickle.loads(row[0])
        except Exception:
            return None
        return value if saved_context == context else None

    def put(self, name: str, value: Any, context: str = "") -> None:
        self.db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)",
                        (name, pickle.dumps((context, value), protocol=pickle.HIGHEST_PROTOCOL)))

    def get_token(self, name: str) -> str:
        return self.get(f"token:{name}") or ""

    def put_token(self, name: str) -> None:
        """A fresh random token: ties a delta to the base it was made against."""
        self.put(f"token:{name}", os.urandom(8).hex())

    # -- rendered bodies -------------------------------------------------------------------
    def bodies(self, keys: list[str]) -> dict[str, Body]:
        """Cached rendered bodies, still pickled: the process that renders a page unpickles
        the one it needs (see :data:`casebook.markup.Body`)."""
        out: dict[str, Body] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, data in self.db.execute(f"SELECT key, data FROM bodies WHERE key IN ({marks})", chunk):
                out[key] = data
        return out

    def put_bodies(self, items: dict[str, Body]) -> None:
        if items:
            self.db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", (
                (k, v if isinstance(v, bytes) else pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
                for k, v in items.items()))

    def prune_bodies(self, live: set[str]) -> None:
        """Forget bodies no case uses any more (an edited body leaves its old HTML behind)."""
        stored = {k for (k,) in self.db.execute("SELECT key FROM bodies")}
        dead = stored - live
        if dead:
            self.db.executemany("DELETE FROM bodies WHERE key=?", ((k,) for k in dead))

    # -- output manifest -------------------------------------------------------------------
    def pages(self) -> dict[str, tuple[str, int, int]]:
        return {p: (k, s, m) for p, k, s, m in self.db.execute("SELECT path, key, size, mtime FROM pages")}

    def save_pages(self, rows: dict[str, tuple[str, int, int]], replace_all: bool) -> None:
        if replace_all:
            self.db.execute("DELETE FROM pages")
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)",
                            ((p, k, s, m) for p, (k, s, m) in rows.items()))

    def forget_pages(self, paths: set[str]) -> None:
        self.db.executemany("DELETE FROM pages WHERE path=?", ((p,) for p in paths))

    def begin(self) -> None:
        self.db.execute("BEGIN")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")


def file_stat(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
