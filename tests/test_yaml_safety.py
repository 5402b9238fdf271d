"""Hostile YAML, file names and special files: each a ``file:line`` error, never a
traceback, a hang or a crash (issue 14, items 7, 8 and 18).

The attacks that used to crash the interpreter (a C-stack overflow in libyaml's composer)
or run for hours (alias expansion) run in a subprocess with a timeout, so a regression
fails the test instead of the test run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.frontmatter import parse
from casebook.listing import content_files
from casebook.load import read_source, validate
from casebook.pipeline import build
from casebook.taxonomy import load_practices

from .conftest import ROOT, write_case

PRACTICES = load_practices(ROOT / "data/practices.yaml")
GOOD = "title: 好案例\nprovince: 河南省\npractices: [养老服务]"
LAUGHS = "lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


def _run(args: list[str], timeout: float, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run a command in its own process group; kill the whole group if it outlives ``timeout``."""
    proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env={**os.environ, **(env or {})})
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"still running after {timeout} s: {' '.join(args[:4])}")
    return proc.returncode, out, err


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging: a blocked ``open()`` of a FIFO is interrupted by the alarm."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- the YAML attacks of item 7, each in a subprocess ---------------------------------------------

PARSE = """
import sys
from casebook.errors import CasebookError
from casebook.frontmatter import parse
try:
    parse(sys.stdin.read(), "content/x.md")
    print("parsed")
except CasebookError as exc:
    print(exc)
"""

# (name, front-matter, expected "path:line: message" fragment)
CRASHERS = [
    ("recursive-alias", "title: x\ntags: &r [*r]\n", "content/x.md:3: YAML anchors and aliases ('&r')"),
    ("1000-levels", "title: x\ntags: " + "[" * 1000 + "]" * 1000 + "\n", "content/x.md:3: YAML is nested more than"),
    ("30000-levels", "title: x\ntags: " + "[" * 30000 + "]" * 30000 + "\n", "content/x.md:3: YAML is nested more than"),
    ("30000-block-levels", "title: x\ntags:\n" + "- " * 30000 + "x\n", "content/x.md:4: YAML is nested more than"),
    ("billion-laughs", LAUGHS, "content/x.md:2: YAML anchors and aliases ('&a')"),
    ("alias-only", "title: x\nsummary: *undefined\n", "content/x.md:3: YAML anchors and aliases ('*undefined')"),
]


@pytest.mark.parametrize("name,front,expected", CRASHERS, ids=[c[0] for c in CRASHERS])
def test_yaml_bombs_are_refused_quickly_at_their_line(name: str, front: str, expected: str) -> None:
    assert len(front.encode()) < 100_000
    code, out, err = _run([sys.executable, "-c", PARSE], timeout=30, stdin=f"---\n{front}---\n正文。\n")
    assert code == 0, f"exit {code} (a negative status is a signal: {err[-300:]})"
    assert expected in out and "Traceback" not in err


def test_many_hostile_files_in_a_parallel_build_are_each_named(project: Path) -> None:
    """With enough files for the worker pool, one segfaulting parse used to surface as
    ``BrokenProcessPool`` naming no file (and kill ``serve``)."""
    for i in range(80):
        write_case(project, f"good-{i:03d}", GOOD)
    for name, front, _ in CRASHERS:
        write_case(project, name, GOOD + "\n" + front.replace("title: x\n", ""))
    code, _, err = _run([sys.executable, "build.py", "--config", str(project / "site.yaml"), "build"], timeout=120,
                        env={"CASEBOOK_JOBS": "2"})
    assert code == 1 and "Traceback" not in err and "BrokenProcessPool" not in err, err[-2000:]
    for name, _, _ in CRASHERS:
        assert f"content/{name}.md:" in err


# -- the rest of item 7 and the messages of item 18, in this process ------------------------------

def _error(front: str) -> str:
    with pytest.raises(CasebookError) as info:
        validate(parse(f"---\n{front}\n---\n正文。\n", "content/x.md"), "content/x.md", "x", PRACTICES)
    return str(info.value)


MISTAKES = [
    ("5000-digit-int", GOOD + "\nsummary: " + "9" * 5000,
     "content/x.md:5: a number of 5000 characters is too long: put it in quotes"),
    ("hex-int", GOOD + "\nsummary: 0x" + "f" * 5000, "content/x.md:5: a number of 5002 characters is too long"),
    ("duplicate-key", "title: 甲\nprovince: 河南省\ntitle: 乙\npractices: [养老服务]",
     "content/x.md:4: key 'title' is given twice (first on line 2): remove one"),
    ("duplicate-nested", GOOD + "\ncases:\n  - name: 甲\n    province: 河南省\n    name: 乙\n    anchor: a",
     "content/x.md:8: key 'name' is given twice (first on line 6)"),
    ("python-tag", GOOD + "\nsummary: !!python/object/apply:os.system ['true']",
     "content/x.md:5: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("binary-tag", GOOD + "\nsummary: !!binary aGVsbG8=", "content/x.md:5: YAML tag 'tag:yaml.org,2002:binary'"),
    ("merge-key", "<<: {title: 甲}\nprovince: 河南省\npractices: [养老服务]",
     "content/x.md:2: YAML merge keys ('<<') are not allowed"),
    ("second-document", GOOD + "\n--- \ntitle: b", "content/x.md:5: a second YAML document"),
    ("full-width-colon", "title: 甲\ncity：嘉兴市\nprovince: 河南省\npractices: [养老服务]",
     "content/x.md:3: invalid YAML in front-matter: 'city：嘉兴市' has a full-width colon '：': "
     "write 'city: 嘉兴市' (an ASCII colon and a space)"),
    ("full-width-colon-last", GOOD + "\ncity：嘉兴市", "content/x.md:5: invalid YAML in front-matter: 'city：嘉兴市'"),
    ("full-width-colon-alone", "city：嘉兴市", "content/x.md:2: invalid YAML in front-matter: 'city：嘉兴市' has a "
     "full-width colon"),
    ("no-space-after-colon", "title: 甲\ncity:嘉兴市\nprovince: 河南省", "content/x.md:3: invalid YAML in front-matter: "
     "'city:嘉兴市' has no space after ':': write 'city: 嘉兴市'"),
    ("colon-in-title", "title: 专题: 党建引领\nprovince: 河南省\npractices: [养老服务]",
     "content/x.md:2: invalid YAML in front-matter: the value of 'title' contains ': ' (column 10), which YAML "
     "reads as another key: put the whole value in quotes"),
    ("tab-indent", "title: 甲\n\tprovince: 河南省", "content/x.md:3: invalid YAML in front-matter: a tab character "
     "(column 1); YAML is indented with spaces only: replace the tab with spaces"),
    ("tab-in-list", "title: 甲\npractices:\n\t- 养老服务", "content/x.md:4: invalid YAML in front-matter: a tab character"),
    ("key-is-a-list", "[a]: 甲\n" + GOOD, "content/x.md:2: a key must be a name, not a list or mapping"),
]


@pytest.mark.parametrize("name,front,expected", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_yaml_mistake_is_explained_at_its_line(name: str, front: str, expected: str) -> None:
    assert expected in _error(front)


def test_large_but_plain_front_matter_parses_in_linear_time() -> None:
    """Only the size limit bounds these: each must stay far from quadratic."""
    for front in ("tags:\n" + "- 标签\n" * 40_000, "".join(f"k{i}: v\n" for i in range(20_000)),
                  "summary: " + "字 \n " * 40_000, "tags: [" + "a, " * 60_000 + "a]\n"):
        start = time.perf_counter()
        try:
            parse(f"---\n{front}---\n", "content/x.md")
        except CasebookError:
            pass
        assert time.perf_counter() - start < 5
    huge = "tags:\n" + "- 标签\n" * 60_000
    with pytest.raises(CasebookError, match=r"content/x\.md:1: front-matter is \d+ KB; it may be at most 256 KB"):
        parse(f"---\n{huge}---\n", "content/x.md")


# -- item 8: file names and special files ---------------------------------------------------------

def test_a_name_that_is_not_utf8_is_named_with_a_gbk_reading(project: Path) -> None:
    name = os.fsdecode("浙江-嘉兴.md".encode("gbk"))
    (project / "content" / name).write_text(f"---\n{GOOD}\nslug: zhejiang-jiaxing\n---\n正文。\n", "utf-8")
    with pytest.raises(CasebookError) as info:
        build(load_config(project / "site.yaml", {"search": False}))
    message = str(info.value)
    assert "content/\\xd5\\xe3\\xbd\\xad-\\xbc\\xce\\xd0\\xcb.md: file name is not valid UTF-8 " \
           "(as GBK it reads 浙江-嘉兴.md): rename it" in message
    message.encode("utf-8")  # printable


def test_symlink_loops_are_errors(project: Path) -> None:
    os.symlink("self.md", project / "content/self.md")
    os.symlink("b.md", project / "content/a.md")
    os.symlink("a.md", project / "content/b.md")
    with pytest.raises(CasebookError) as info:
        build(load_config(project / "site.yaml", {"search": False}))
    for name in ("self", "a", "b"):
        assert f"content/{name}.md: symlink loop" in str(info.value)


def test_special_files_are_refused_without_hanging(project: Path) -> None:
    content = project / "content"
    os.mkfifo(content / "fifo.md")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(content / "socket.md"))
    os.symlink("missing.md", content / "dangling.md")
    code, _, err = _run([sys.executable, "build.py", "--config", str(project / "site.yaml"), "build"], timeout=60)
    assert code == 1 and "Traceback" not in err, err[-2000:]
    assert "content/fifo.md: a named pipe (FIFO), not a regular file" in err
    assert "content/socket.md: a socket, not a regular file" in err
    assert "content/dangling.md: cannot read file: No such file or directory" in err


def test_a_content_path_that_is_a_file_says_so(project: Path) -> None:
    with pytest.raises(CasebookError, match="is not a folder"):
        content_files(project / "site.yaml", project)


# -- site.yaml and the vocabulary --------------------------------------------------------------------

def test_site_yaml_problems_are_errors(project: Path) -> None:
    site = project / "site.yaml"
    text = site.read_text("utf-8")
    end = len(text.splitlines()) + 1  # the line each case appends
    theme = text.splitlines().index("theme: default") + 1
    cases = [
        (text.replace("title: 基层治理案例集", "title: 基层治理").encode("gbk"), "site settings: file is not UTF-8 text",
         text.splitlines().index("title: 基层治理案例集") + 1),
        (text + "theme: compact\n", f"key 'theme' is given twice (first on line {theme})", end),
        (text + "extra: &r [*r]\n", "YAML anchors and aliases ('&r') are not allowed", end),
        (text + "extra: " + "[" * 2000 + "]" * 2000 + "\n", "YAML is nested more than 20 levels deep", end),
        (text + "language：zh\n", "invalid YAML: 'language：zh' has a full-width colon", end),
        (text + "7: x\n", "unknown setting 7", end),
    ]
    for data, expected, line in cases:
        site.write_bytes(data if isinstance(data, bytes) else data.encode())
        with pytest.raises(CasebookError) as info:
            load_config(site)
        assert f"site.yaml:{line}: {expected}" in str(info.value)


def test_site_yaml_that_is_a_fifo_does_not_hang(project: Path) -> None:
    site = project / "site.yaml"
    site.unlink()
    os.mkfifo(site)
    code, _, err = _run([sys.executable, "build.py", "--config", str(site), "build"], timeout=60)
    assert code == 1 and "site.yaml: site settings: a named pipe (FIFO), not a regular file" in err


@pytest.mark.parametrize("entry,expected", [
    ("tile: 5", "p.yaml:5: tile must be [row, column], two whole numbers, not 5"),
    ("tile: [1, x]", "p.yaml:5: tile must be [row, column]"),
    ("keywords: 5", "p.yaml:4: keywords must be a list of words"),
    ("keywords: [[a]]", "p.yaml:4: keywords must be a list of words"),
    ("keywords: &k [a]", "p.yaml:4: YAML anchors and aliases ('&k')"),
    ("description: [a, b]", "p.yaml:3: description must be text, not a list"),
    ("slug: {a: 1}", "p.yaml:2: slug must be text, not a mapping"),
    ("tiles: [1, 2]", "p.yaml:5: unknown key 'tiles' in practice (did you mean 'tile'?)"),
])
def test_vocabulary_entries_of_the_wrong_type_are_errors(tmp_path: Path, entry: str, expected: str) -> None:
    key = entry.split(":")[0]
    fields = {"name": "name: 甲", "slug": "slug: a", "description": "description: d", "keywords": "keywords: [x]"}
    fields[key] = entry
    text = "- " + "\n  ".join(fields.values()) + "\n"
    (tmp_path / "p.yaml").write_text(text, "utf-8")
    with pytest.raises(CasebookError) as info:
        load_practices(tmp_path / "p.yaml")
    assert expected in str(info.value)


# -- fuzzing: front-matter, file names, special files ------------------------------------------------

FRAGMENTS = ["title", "province", "practices", "cases", "tags", "figures", "summary", "date", "name", "anchor",
             ": ", "：", ":", "- ", "? ", "\n", "\n  ", "\n    ", "\t", " ", "[", "]", "{", "}", ",", "&a ", "*a",
             "&b", "*b", "!!str ", "!!int ", "!!binary ", "!!python/object:os.system ", "!foo ", "<<", "'", '"',
             "|", ">", "#", "---", "...", "%YAML 1.1", "~", "null", "true", "0x1F", "1e999", "9" * 50,
             "9" * 5000, ".nan", "2024-13-40", "云南省", "河南省", "养老服务", "嘉兴市", "\\", "\u3000", "\x85",
             "\ufeff", "\U0001F600", "\x00"]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_fuzzed_yaml_loads_or_raises_our_error_at_a_real_line(parts: list[str]) -> None:
    front = "".join(parts).replace("\r", "")
    text = f"---\n{front}\n---\n正文。\n"
    with _deadline(20):
        try:
            validate(parse(text, "content/f.md"), "content/f.md", "f", PRACTICES)
        except CasebookError as exc:
            for e in getattr(exc, "errors", [exc]):
                assert e.path == "content/f.md"
                assert e.line is None or 1 <= e.line <= text.count("\n") + 1, e


names = st.binary(min_size=1, max_size=16).filter(lambda b: b"/" not in b and b"\0" not in b
                                                   and not b.startswith((b".", b"_")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(names, min_size=1, max_size=4, unique=True), st.lists(st.sampled_from(["file", "fifo", "loop",
                                                                                        "dir", "dangling"]),
                                                                       min_size=4, max_size=4))
def test_fuzzed_file_names_and_special_files_give_our_errors(raw_names: list[bytes], kinds: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp, _deadline(20):
        content = Path(tmp) / "content"
        content.mkdir()
        for i, (raw, kind) in enumerate(zip(raw_names, kinds)):
            path = content / os.fsdecode(raw + b".md")
            if kind == "file":
                path.write_text(f"---\n{GOOD}\nslug: case-{i}\n---\n正文。\n", "utf-8")
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "loop":
                os.symlink(path.name, path)
            elif kind == "dir":
                path.mkdir()
            else:
                os.symlink("missing-target", path)
        try:
            listing = content_files(content, Path(tmp))
        except CasebookError as exc:
            str(exc).encode("utf-8")
            return
        for file, rel, _ in listing:
            loaded = read_source(Path(file), rel, PRACTICES, "/", "v")
            assert loaded.article is not None or loaded.errors
            for e in loaded.errors:
                str(e).encode("utf-8")
