"""Never destroy what casebook did not write (issue 14, items 1-2).

An existing output folder without casebook's marker is refused unless adopted; the
project's own folders cannot be the output; ``keep:`` patterns (dotfiles, CNAME) survive
every kind of build, so ``output/`` can be a GitHub Pages checkout; one build at a time
writes an output folder; staging leftovers are removed only for the same folder and only
when their build is dead."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.pipeline import build
from casebook.write import MARKER, STAGING_PREFIX, lock_output

from .conftest import ROOT, tree, write_case

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def site(project: Path) -> Path:
    """The sample project without the search index (Pagefind is not what is tested here)."""
    yaml_file = project / "site.yaml"
    yaml_file.write_text(yaml_file.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    return project


def _user_files(folder: Path) -> dict[str, bytes]:
    """A user's folder: a document, a nested one, a GitHub Pages checkout's files."""
    files = {"thesis.docx": b"PK\x03\x04 years of work", "notes/plan.txt": "计划".encode()}
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return files


def _pages_checkout(folder: Path) -> dict[str, bytes]:
    """What a fresh clone of a GitHub Pages repository holds (plus an editor's .DS_Store)."""
    files = {".git/HEAD": b"ref: refs/heads/gh-pages\n", ".git/config": b"[core]\n\tbare = false\n",
             ".git/objects/ab/cdef0123": b"\x78\x01blob", ".nojekyll": b"", "CNAME": b"cases.example.org\n"}
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return files


def _has(folder: Path, files: dict[str, bytes]) -> bool:
    return all((folder / rel).is_file() and (folder / rel).read_bytes() == data for rel, data in files.items())


# -- item 1: a folder casebook did not write -------------------------------------------------------

@pytest.mark.parametrize("flags", [(), ("--no-cache",)])
def test_a_folder_casebook_did_not_write_is_refused(site: Path, run_cli: Cli, tmp_path_factory: pytest.TempPathFactory,
                                                     flags: tuple[str, ...]) -> None:
    folder = tmp_path_factory.mktemp("mine")
    files = _user_files(folder)
    code, _out, err = run_cli(site, "build", "--output", str(folder), *flags)
    assert code == 1
    assert "already holds files casebook did not write (e.g. thesis.docx)" in err and "--adopt" in err
    assert "Traceback" not in err
    assert tree(folder) == files
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_adopt_hands_a_folder_to_casebook(site: Path, run_cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("old-site")
    _user_files(folder)
    code, _out, err = run_cli(site, "build", "--output", str(folder), "--adopt")
    assert code == 0, err
    assert not (folder / "thesis.docx").exists() and (folder / "index.html").is_file()
    assert (folder / MARKER).is_file()
    # from now on the folder is casebook's: stray files go, no flag needed
    (folder / "stray.html").write_text("stray", "utf-8")
    assert run_cli(site, "build", "--output", str(folder))[0] == 0
    assert not (folder / "stray.html").exists()


def test_an_empty_folder_and_a_new_one_need_no_flag(site: Path, run_cli: Cli,
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    empty = tmp_path_factory.mktemp("empty")  # a fresh mount point, a CI workspace
    assert run_cli(site, "build", "--output", str(empty))[0] == 0
    assert (empty / "index.html").is_file() and (empty / MARKER).is_file()
    fresh = tmp_path_factory.mktemp("parent") / "new" / "site"
    assert run_cli(site, "build", "--output", str(fresh), "--no-cache")[0] == 0
    assert (fresh / MARKER).is_file()


def test_an_output_that_is_a_file_is_refused(site: Path, run_cli: Cli) -> None:
    (site / "site.txt").write_text("mine", "utf-8")
    code, _out, err = run_cli(site, "build", "--output", str(site / "site.txt"))
    assert code == 1 and "is a file, not a folder" in err and "Traceback" not in err
    assert (site / "site.txt").read_text("utf-8") == "mine"


def test_an_output_built_before_the_marker_is_recognised_by_the_cache(site: Path, run_cli: Cli) -> None:
    """A site built by an earlier casebook has no marker; its cache's record of the files
    proves it is casebook's. Without that record it is a stranger's folder."""
    assert run_cli(site, "build")[0] == 0
    (site / "output" / MARKER).unlink()
    code, _out, err = run_cli(site, "build")
    assert code == 0, err
    assert (site / "output" / MARKER).is_file()
    (site / "output" / MARKER).unlink()
    code, _out, err = run_cli(site, "build", "--no-cache")
    assert code == 1 and "casebook did not write" in err


@pytest.mark.parametrize("inside", [".git", ".git/hooks", "casebook", "themes", "themes/default", "content",
                                    "data", ".casebook-cache"])
def test_output_inside_the_projects_own_folders_is_refused(site: Path, run_cli: Cli, inside: str) -> None:
    (site / ".git" / "hooks").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    before = {name: tree(site / name) for name in (".git", "themes", "content", "data")}
    package = tree(ROOT / "casebook")
    target = ROOT / "casebook" if inside == "casebook" else site / inside
    code, _out, err = run_cli(site, "build", "--output", str(target), "--adopt")
    assert code == 1 and ("must not be, hold or lie inside" in err or "must not nest" in err), err
    assert {name: tree(site / name) for name in before} == before
    assert tree(ROOT / "casebook") == package


def test_output_holding_a_project_folder_is_refused(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    themes = tmp_path_factory.mktemp("shared") / "themes"
    (site / "themes").rename(themes)
    with pytest.raises(CasebookError, match="must not be, hold or lie inside themes_dir"):
        load_config(site / "site.yaml", {"themes_dir": str(themes), "output_dir": str(themes.parent)})


# -- keep: a GitHub Pages checkout ----------------------------------------------------------------

def test_a_github_pages_checkout_keeps_git_cname_and_dotfiles_through_every_kind_of_build(
        site: Path, run_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from casebook import write
    output = site / "output"
    ours = _pages_checkout(output)  # only kept files: no --adopt needed
    git_object = (output / ".git/objects/ab/cdef0123").stat().st_ino
    assert run_cli(site, "build")[0] == 0
    (output / "cases" / ".DS_Store").write_bytes(b"finder")
    ours["cases/.DS_Store"] = b"finder"
    assert _has(output, ours)
    first = {rel: data for rel, data in tree(output).items() if rel not in ours}
    # a change to every page: the new tree is staged and swapped in
    yaml_file = site / "site.yaml"
    settings = yaml_file.read_text("utf-8")
    yaml_file.write_text(settings.replace("title: 基层治理案例集", "title: 新标题"), "utf-8")
    monkeypatch.setattr(write, "IN_PLACE_MAX", 0)
    monkeypatch.setattr(write, "IN_PLACE_SHARE", 0)
    root = output.stat().st_ino
    code, out, err = run_cli(site, "build")
    assert code == 0, err
    assert output.stat().st_ino != root, "the test meant to swap the tree"
    assert _has(output, ours)
    monkeypatch.undo()
    # one body edited: written in place
    case = next((site / "content").glob("*.md"))
    case.write_text(case.read_text("utf-8") + "\n补充一段。\n", "utf-8")
    code, out, err = run_cli(site, "-v", "build")
    assert code == 0 and "removed" not in out.split("built")[0], out
    assert _has(output, ours)
    # without the cache, after a stray file: the stray goes, the checkout stays
    (output / "stray.html").write_text("x", "utf-8")
    assert run_cli(site, "build", "--no-cache")[0] == 0
    assert _has(output, ours) and not (output / "stray.html").exists()
    # git's objects are the same files (hard links), never copied or rewritten
    assert (output / ".git/objects/ab/cdef0123").stat().st_ino == git_object
    assert set(tree(output)) - set(ours) - {MARKER} == set(first) - {MARKER}


def test_keep_patterns_from_site_yaml(site: Path, run_cli: Cli) -> None:
    output = site / "output"
    assert run_cli(site, "build")[0] == 0
    yaml_file = site / "site.yaml"
    _set_keep(yaml_file, "keep: [/docs/*.pdf, README.md]")
    mine = {"docs/report.pdf": b"%PDF", "README.md": b"# site", "cases/README.md": b"# cases",
            "docs/draft.txt": b"goes", ".nojekyll": b""}
    for rel, data in mine.items():
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_bytes(data)
    code, _out, err = run_cli(site, "build")
    assert code == 0, err
    assert _has(output, {k: v for k, v in mine.items() if k not in ("docs/draft.txt", ".nojekyll")})
    assert not (output / "docs/draft.txt").exists()
    assert not (output / ".nojekyll").exists()  # keep: replaces the default patterns


def test_a_keep_pattern_matching_casebooks_own_files_is_an_error(site: Path, run_cli: Cli) -> None:
    yaml_file = site / "site.yaml"
    _set_keep(yaml_file, "keep: ['*.html']")
    code, _out, err = run_cli(site, "build")
    assert code == 1 and "keep: pattern '*.html' matches" in err and "a file casebook writes" in err


@pytest.mark.parametrize(("value", "message"), [("keep: CNAME", "keep must be a list"),
                                                ("keep: [5]", "keep must list file name patterns"),
                                                ("keep: ['../up']", "must be a path inside the output folder"),
                                                ("keep: ['/']", "keep must list file name patterns")])
def test_bad_keep_settings_are_errors_with_their_line(site: Path, value: str, message: str) -> None:
    yaml_file = site / "site.yaml"
    line = _set_keep(yaml_file, value)
    with pytest.raises(CasebookError, match=message) as info:
        load_config(yaml_file)
    assert f"site.yaml:{line}:" in str(info.value)


def _set_keep(yaml_file: Path, line_text: str) -> int:
    """Replace the ``keep:`` line of ``site.yaml`` (a second one would be a duplicate key);
    returns its line number."""
    lines = yaml_file.read_text("utf-8").splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("keep:")), len(lines))
    lines[at:at + 1] = [line_text]
    yaml_file.write_text("\n".join(lines) + "\n", "utf-8")
    return at + 1


# -- item 2: one build at a time; staging leftovers ------------------------------------------------

def test_a_second_build_of_the_same_output_is_refused_while_one_runs(site: Path, run_cli: Cli) -> None:
    config = load_config(site / "site.yaml")
    build(config)
    before = tree(site / "output")
    write_case(site, "new-case", "title: 新案例\nprovince: 河南省\npractices: [养老服务]")
    with lock_output(config.output_dir):  # as a build in another terminal holds it
        code, _out, err = run_cli(site, "build")
        assert code == 1 and f"another casebook build is writing {config.output_dir} (process {os.getpid()})" in err
        with pytest.raises(CasebookError, match="another casebook build"):
            build(config, use_cache=False)
    assert tree(site / "output") == before
    assert run_cli(site, "build")[0] == 0  # released: the next build runs
    assert tree(site / "output") != before


def test_two_processes_building_one_output_never_mix(site: Path) -> None:
    script = ("import sys; from pathlib import Path; from casebook.config import load_config; "
              "from casebook.cli import main; sys.exit(main(['--config', sys.argv[1], 'build', '--no-cache']))")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(site / "site.yaml")], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
    assert any(code == 0 for code, _err in results), results
    for code, err in results:
        assert code == 0 or (code == 1 and "another casebook build is writing" in err), err
    clean = load_config(site / "site.yaml", {"output_dir": "clean"})
    build(clean, use_cache=False)
    assert tree(site / "output") == tree(site / "clean")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_staging_leftovers_are_removed_only_for_this_output_and_only_when_dead(site: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = _dead_pid()
        leftovers = {
            f"{STAGING_PREFIX}{dead}-output": False,  # this output's, its build is gone: removed
            f"{STAGING_PREFIX}{dead}-output.old": False,
            f"{STAGING_PREFIX}{sleeper.pid}-output": True,  # a live build's (no lock: an older casebook)
            f"{STAGING_PREFIX}{dead}-output-2": True,  # another output folder's
            f"{STAGING_PREFIX}{dead}-x-output": True,
        }
        for name in leftovers:
            (site / name).mkdir()
            (site / name / "index.html").write_text("half", "utf-8")
        build(load_config(site / "site.yaml"))
        assert {name: (site / name).exists() for name in leftovers} == leftovers
    finally:
        sleeper.kill()
        sleeper.wait()
