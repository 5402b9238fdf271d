"""The build cache can make a build faster, never different, and never run code (issue 14,
items 5 and 10).

* Change detection does not trust size and modification time alone: an edit that keeps
  both (a same-length typo fix, then ``touch -d``, ``cp -p`` or an archive) is seen,
  through the ctime and inode; a file whose stat changed but whose bytes did not is
  hashed, not parsed again.
* Every cache record is sealed with a key kept outside the project: a planted pickle or
  compiled template is never loaded, a corrupt record is dropped, and a cache written with
  another key is discarded with a note.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casebook import cache as cache_mod
from casebook.config import load_config
from casebook.pipeline import build
from casebook.progress import Progress

from .conftest import tree


class Notes(Progress):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)


@pytest.fixture(autouse=True)
def config_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test has its own cache key (a fresh config folder), not the user's."""
    home = tmp_path_factory.mktemp("config")
    monkeypatch.delenv(cache_mod.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    yield home


@pytest.fixture
def site(project: Path) -> Path:
    text = (project / "site.yaml").read_text("utf-8").replace("search: true", "search: false")
    (project / "site.yaml").write_text(text, "utf-8")
    return project


def _case(site: Path) -> Path:
    """A case of the sample site (the first published one)."""
    return next(p for p in sorted((site / "content").glob("*.md")) if "draft: true" not in p.read_text("utf-8"))


def _build(site: Path, **kw):  # type: ignore[no-untyped-def]
    progress = Notes()
    built, report = build(load_config(site / "site.yaml"), progress=progress, **kw)
    return built, report, progress.notes


def _clean(site: Path) -> dict[str, bytes]:
    config = load_config(site / "site.yaml", {"output_dir": "clean-output"})
    shutil.rmtree(config.output_dir, ignore_errors=True)
    build(config, use_cache=False)
    return tree(config.output_dir)


def _settle() -> None:
    """Let the files just written age past a timestamp tick (see ``cache.settled``), as
    files edited a while before a build have."""
    time.sleep(cache_mod.FINE_RACY_NS / 1e9 * 2)


def _typo_fix(text: str) -> str:
    """A same-length edit in Chinese: one character for another, three UTF-8 bytes each."""
    i = next(i for i, ch in enumerate(text) if ch == "。" and i > text.index("\n---", 4))
    j = next(k for k in range(i - 1, 0, -1) if "\u4e00" <= text[k] <= "\u9fff")
    new = "甲" if text[j] != "甲" else "乙"
    return text[:j] + new + text[j + 1:]


def _pinned_edits() -> list[str]:
    return ["touch -d", "cp -p", "tar x"]


@pytest.mark.parametrize("how", _pinned_edits())
def test_same_size_same_mtime_edit_is_seen(site: Path, tmp_path: Path, how: str) -> None:
    case = _case(site)
    rel = case.relative_to(site).as_posix()
    os.utime(case, (1_700_000_000, 1_700_000_000))  # whole seconds, as an archive keeps them
    _settle()
    _build(site)
    before = tree(site / "output")
    st = case.stat()
    old = case.read_text("utf-8")
    new = _typo_fix(old)
    assert len(new.encode()) == len(old.encode()) and new != old
    _settle()
    if how == "touch -d":  # edit, then pin the modification time back
        case.write_text(new, "utf-8")
        os.utime(case, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif how == "cp -p":  # a copy made elsewhere with the old time, copied over with it
        other = tmp_path / "edited.md"
        other.write_text(new, "utf-8")
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        shutil.copy2(other, case)
    else:  # an archive of the edited file carrying the old time, extracted over it
        other = tmp_path / "x" / rel
        other.parent.mkdir(parents=True)
        other.write_text(new, "utf-8")
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        with tarfile.open(tmp_path / "a.tar", "w") as tar:
            tar.add(other, rel)
        with tarfile.open(tmp_path / "a.tar") as tar:
            tar.extractall(site, filter="tar")
    assert (case.stat().st_size, case.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    built, report, _ = _build(site)
    assert built.reparsed == 1 and report.written >= 1
    after = tree(site / "output")
    assert after != before
    assert after == _clean(site)


def test_same_size_same_mtime_template_edit_is_seen(site: Path) -> None:
    tpl = site / "themes" / "default" / "templates" / "search.html"
    _settle()
    _build(site)
    st = tpl.stat()
    text = tpl.read_text("utf-8")
    i = text.index("{% block main %}") - 1
    assert text[i] in " \n"
    tpl.write_text(text[:i] + ("\n" if text[i] == " " else " ") + text[i + 1:], "utf-8")
    os.utime(tpl, ns=(st.st_atime_ns, st.st_mtime_ns))
    _settle()
    built, _report, _ = _build(site)
    assert "search/index.html" in built.rendered
    assert tree(site / "output") == _clean(site)


def test_touched_or_copied_files_are_hashed_not_parsed(site: Path) -> None:
    """A new stat with the same bytes (``touch``, a fresh checkout, a restored folder) costs
    a hash, not a parse, and writes nothing."""
    _settle()
    _build(site)
    before = {p: (site / "output" / p).stat().st_mtime_ns for p in tree(site / "output")}
    os.utime(_case(site))
    shutil.copytree(site / "content", site / "content-copy")
    shutil.rmtree(site / "content")
    (site / "content-copy").rename(site / "content")  # every file: new inode, new ctime
    _settle()
    built, report, _ = _build(site)
    assert built.reparsed == 0 and built.rendered == [] and report.written == 0
    built, report, _ = _build(site)  # and the next build takes the nothing-changed path again
    assert built.reparsed == 0 and report.written == 0 and "check" in built.timings
    assert {p: (site / "output" / p).stat().st_mtime_ns for p in tree(site / "output")} == before


def test_settled() -> None:
    now = 10_000_000_000_000
    fine = now - cache_mod.FINE_RACY_NS * 2 + 1  # a sub-second timestamp, two ticks old
    assert cache_mod.settled((1, fine, fine, 1), now)
    assert not cache_mod.settled((1, fine, now - 1, 1), now)  # changed just now (ctime)
    assert not cache_mod.settled((1, now - 10**9, now - 10**9, 1), now)  # whole seconds: 2 s
    assert not cache_mod.settled(None, now)


# -- the cache is data, not code ---------------------------------------------------------------

class _Boom:
    """A pickle that, when loaded, creates a file: stands for any code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def _db(site: Path) -> Path:
    (db,) = (site / ".casebook-cache").rglob("cache.sqlite")
    return db


def _plant(site: Path, sql: str, args: tuple[object, ...]) -> None:
    with sqlite3.connect(_db(site)) as conn:
        conn.execute(sql, args)


@pytest.mark.parametrize("record", ["inputs", "sources", "tree", "body"])
def test_a_planted_pickle_does_not_run(site: Path, tmp_path: Path, record: str) -> None:
    marker = tmp_path / "pwned"
    _build(site)
    evil = pickle.dumps(("", _Boom(marker)))
    if record == "body":
        with sqlite3.connect(_db(site)) as conn:
            conn.execute("UPDATE bodies SET data=?", (pickle.dumps(_Boom(marker)),))
        tpl = site / "themes" / "default" / "templates" / "case.html"  # so every body is loaded
        tpl.write_text(tpl.read_text("utf-8").replace("{% block main %}", "{% block main %}<!-- x -->", 1), "utf-8")
    else:
        _plant(site, "UPDATE kv SET value=? WHERE name=?", (evil, record))
        case = _case(site)
        case.write_text(case.read_text("utf-8") + "\n新增一句。\n", "utf-8")
    _build(site)
    assert not marker.exists(), "a pickle planted in the cache ran at build time"
    assert tree(site / "output") == _clean(site)


def test_a_planted_compiled_template_does_not_run(site: Path, tmp_path: Path) -> None:
    import marshal

    marker = tmp_path / "pwned"
    _build(site)
    code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    files = list((site / ".casebook-cache" / "jinja").iterdir())
    assert files
    for f in files:  # Jinja's format: magic, checksum (pickled), marshalled code
        data = f.read_bytes()
        from jinja2.bccache import bc_magic
        raw = data[data.index(bc_magic):] if bc_magic in data else data
        head = raw[:len(bc_magic)]
        rest = raw[len(bc_magic):]
        checksum = pickle.loads(rest)
        f.write_bytes(head + pickle.dumps(checksum, 2) + marshal.dumps(code))
    _case(site).write_text(_case(site).read_text("utf-8") + "\n又一句。\n", "utf-8")
    _build(site)
    assert not marker.exists(), "compiled template code planted in the cache ran at build time"
    assert tree(site / "output") == _clean(site)


@pytest.mark.parametrize("record", ["sources", "body"])
def test_a_corrupt_record_is_dropped_and_builds_go_on(site: Path, record: str) -> None:
    _build(site)
    if record == "body":
        with sqlite3.connect(_db(site)) as conn:
            conn.execute("UPDATE bodies SET data=substr(data, 1, 40)")
        tpl = site / "themes" / "default" / "templates" / "case.html"
        tpl.write_text(tpl.read_text("utf-8").replace("{% block main %}", "{% block main %}<!-- y -->", 1), "utf-8")
    else:
        _plant(site, "UPDATE kv SET value=substr(value, 1, 100) WHERE name=?", (record,))
        _case(site).write_text(_case(site).read_text("utf-8") + "\n再一句。\n", "utf-8")
    for _ in range(2):
        _build(site)
        assert tree(site / "output") == _clean(site)


def test_a_cache_written_with_another_key_is_discarded_with_a_note(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A restored CI cache, another user's, a copied one: written with another key, it is
    not trusted (``CASEBOOK_CACHE_KEY`` lets CI jobs that know a secret share one)."""
    monkeypatch.setenv(cache_mod.KEY_ENV, "ci-secret-1")
    _build(site)
    built, _report, notes = _build(site)
    assert built.reparsed == 0 and not notes
    monkeypatch.setenv(cache_mod.KEY_ENV, "another-secret")
    built, _report, notes = _build(site)
    assert built.reparsed > 0
    assert any("cache key" in n and "discarded" in n for n in notes), notes
    assert tree(site / "output") == _clean(site)
    built, _report, notes = _build(site)  # now it is this key's cache
    assert built.reparsed == 0 and not notes


def test_text_that_is_not_utf8_in_the_database_is_corruption(site: Path) -> None:
    """Garbled text in a column reaches Python as an OperationalError (as a locked database
    does), yet the file is corrupt: discarded with a note, the build goes on."""
    _build(site)
    _plant(site, "UPDATE pages SET path = CAST(? AS TEXT) WHERE rowid = 1", (b"\xff\xfe\xfd",))
    _case(site).write_text(_case(site).read_text("utf-8") + "\n再加一句。\n", "utf-8")
    _built, _report, notes = _build(site)
    assert any("corrupt" in n for n in notes), notes
    assert tree(site / "output") == _clean(site)


def test_the_key_is_made_once_outside_the_project(site: Path, config_home: Path) -> None:
    _build(site)
    key = config_home / "casebook" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    assert not list(site.rglob("cache-key"))


def test_a_corrupt_database_is_discarded_with_a_note(site: Path) -> None:
    _build(site)
    db = _db(site)
    data = bytearray(db.read_bytes())
    for i in range(4096, len(data), 4096):  # garbage over every page after the header page
        data[i + 100:i + 200] = os.urandom(100)
    db.write_bytes(bytes(data))
    _case(site).write_text(_case(site).read_text("utf-8") + "\n还有一句。\n", "utf-8")
    _built, _report, notes = _build(site)
    assert any("corrupt" in n for n in notes), notes
    assert tree(site / "output") == _clean(site)
    _settle()
    _build(site)  # a fresh cache
    built, report, notes = _build(site)
    assert built.reparsed == 0 and report.written == 0 and not notes
