"""Never destroy what casebook did not write (issue 14, items 1-4 and 8's output folders).

An existing output folder without casebook's marker is refused unless adopted; the
project's own folders cannot be the output; ``keep:`` patterns (dotfiles, CNAME) survive
every kind of build, so ``output/`` can be a GitHub Pages checkout; one build at a time
writes an output folder; staging leftovers are removed only for the same folder and only
when their build is dead. Mount points are built by swapping their contents, linked output
folders are followed, unwritable ones refused before rendering; a full disk and an
incomplete search index leave the previous site complete."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casebook import searchindex, write
from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.pipeline import build
from casebook.searchindex import check_index
from casebook.write import MARKER, STAGING_PREFIX, WriteReport, check_writable, lock_output

from .conftest import ROOT, tree, write_case

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def site(project: Path) -> Path:
    """The sample project without the search index (it is not what is tested here)."""
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


# -- item 3: mount points, read-only and linked output folders (and item 8's unwritable ones) ------

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")


@contextlib.contextmanager
def _mount(target: Path, *how: str) -> Iterator[Path]:
    """``mount *how target`` for the test's duration (skipped where mounting is not allowed)."""
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *how, str(target)], capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


def _build_into(site: Path, output: Path, **settings: object) -> WriteReport:
    return build(load_config(site / "site.yaml", {"output_dir": str(output), **settings}))[1]


def _swap_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every change stage and swap the tree instead of updating in place."""
    monkeypatch.setattr(write, "IN_PLACE_MAX", 0)
    monkeypatch.setattr(write, "IN_PLACE_SHARE", 0)


def _retitle(site: Path, title: str) -> None:
    yaml_file = site / "site.yaml"
    lines = yaml_file.read_text("utf-8").splitlines()
    yaml_file.write_text("\n".join(f"title: {title}" if line.startswith("title:") else line for line in lines) + "\n",
                         "utf-8")


def _clean(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What a clean build of the project's current state holds."""
    folder = tmp_path_factory.mktemp("clean") / "site"
    build(load_config(site / "site.yaml", {"output_dir": str(folder)}), use_cache=False)
    return tree(folder)


def _three_builds(site: Path, output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build, a swap of every page, an in-place edit of one case."""
    _build_into(site, output)
    _retitle(site, "新标题")
    with monkeypatch.context() as patch:
        _swap_everything(patch)
        _build_into(site, output)
    case = next((site / "content").glob("*.md"))
    case.write_text(case.read_text("utf-8") + "\n补充一段。\n", "utf-8")
    assert _build_into(site, output).in_place


def _check_mount_builds(site: Path, output: Path, monkeypatch: pytest.MonkeyPatch,
                        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Three kinds of build leave exactly the site plus the kept files in the mount point,
    and no staging folder in it."""
    ours = _pages_checkout(output)
    _three_builds(site, output, monkeypatch)
    built = tree(output)
    assert _has(output, ours)
    assert {k: v for k, v in built.items() if k not in ours and not k.startswith(".casebook-lock")} \
        == _clean(site, tmp_path_factory)


@ROOT_ONLY
def test_a_tmpfs_mount_point_is_built_by_swapping_its_contents(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    with _mount(tmp_path_factory.mktemp("volume") / "site", "-t", "tmpfs", "-o", "size=20m", "tmpfs") as output:
        _check_mount_builds(site, output, monkeypatch, tmp_path_factory)
        assert os.path.ismount(output)


@ROOT_ONLY
def test_a_bind_mount_of_the_same_file_system_is_seen_as_a_mount_point(
        site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """``os.path.ismount`` misses it (same device); renaming it fails with ``EBUSY``."""
    source = tmp_path_factory.mktemp("source")
    with _mount(tmp_path_factory.mktemp("bind") / "site", "--bind", str(source)) as output:
        _check_mount_builds(site, output, monkeypatch, tmp_path_factory)
        assert (source / "index.html").is_file()


def test_a_mount_point_is_never_renamed_simulated(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """Without root: the output folder says it is a mount point, and renaming it (or
    exchanging it) fails as the kernel would (``EBUSY``)."""
    output = tmp_path_factory.mktemp("volume") / "site"
    output.mkdir()
    real_ismount, real_rename, real_exchange = os.path.ismount, os.rename, write._exchange

    def busy(path: object) -> None:
        if Path(os.fspath(path)).absolute() == output:  # type: ignore[arg-type]
            raise OSError(errno.EBUSY, "Device or resource busy", str(path))

    def rename(a: object, b: object, **kwargs: object) -> None:
        busy(a), busy(b)
        real_rename(a, b, **kwargs)  # type: ignore[arg-type]

    def exchange(a: Path, b: Path) -> None:
        busy(a), busy(b)
        real_exchange(a, b)

    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p).absolute() == output or real_ismount(p))
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(write, "_exchange", exchange)
    _check_mount_builds(site, output, monkeypatch, tmp_path_factory)


def test_a_linked_output_folder_is_followed_and_stays_a_link(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """As Hugo follows a linked publishDir: the site goes into the link's target (staged
    beside the target), the link stays a link, and nothing else in the target's folder is touched."""
    shelf = tmp_path_factory.mktemp("shelf")
    (shelf / "neighbour.txt").write_text("mine", "utf-8")
    target = shelf / "www"
    link = site / "output"
    link.symlink_to(target)  # dangling: the first build makes the target
    _three_builds(site, link, monkeypatch)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert tree(target) == _clean(site, tmp_path_factory)
    assert (shelf / "neighbour.txt").read_text("utf-8") == "mine"
    assert not [p for p in (*shelf.iterdir(), *site.iterdir()) if p.name.startswith(STAGING_PREFIX)]


def test_a_link_loop_as_output_is_a_clear_error(site: Path) -> None:
    (site / "output").symlink_to(site / "output")
    with pytest.raises(CasebookError, match="output folder .* cannot be used: a symbolic link loop"), \
            lock_output(site / "output"):
        pytest.fail("locked a link loop")


def _unwritable_output(site: Path, how: str, stack: contextlib.ExitStack) -> Path:
    """A built output folder made read-only: a read-only bind mount, ``chattr +i``, or
    (not root) its permissions."""
    output = site / "output"
    _build_into(site, output)
    if how == "read-only mount":
        if os.geteuid() != 0:
            pytest.skip("mounting needs root")
        stack.enter_context(_mount(output, "--bind", str(output)))
        subprocess.run(["mount", "-o", "remount,ro,bind", str(output)], check=True)
    elif how == "immutable":
        if subprocess.run(["chattr", "+i", str(output)], capture_output=True, check=False).returncode:
            pytest.skip("chattr +i needs root and a file system that supports it")
        stack.callback(subprocess.run, ["chattr", "-i", str(output)], check=True)
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes regardless of permissions")
        output.chmod(0o555)
        stack.callback(output.chmod, 0o755)
    return output


@pytest.mark.parametrize(("how", "reason"), [("read-only mount", "the file system is read-only"),
                                              ("immutable", "the system does not permit it"),
                                              ("permissions", "permission denied")])
def test_an_output_folder_that_cannot_be_written_is_refused_before_rendering(site: Path, how: str,
                                                                              reason: str) -> None:
    with contextlib.ExitStack() as stack:
        output = _unwritable_output(site, how, stack)
        before = tree(output)
        _retitle(site, "新标题")
        with pytest.raises(CasebookError, match=f"cannot build into {output}: {reason}.*nothing was changed"):
            check_writable(output)  # the build's step once it knows it has work: nothing rendered yet
        with pytest.raises(CasebookError, match=f"cannot build into {output}: {reason}"):
            _build_into(site, output)
        assert tree(output) == before


def test_an_output_under_a_file_is_a_clear_error(site: Path) -> None:
    (site / "site.txt").write_text("mine", "utf-8")
    with pytest.raises(CasebookError, match="a part of the path is a file, not a folder"):
        _build_into(site, site / "site.txt" / "out")
    assert (site / "site.txt").read_text("utf-8") == "mine"


# -- item 4: a full disk -----------------------------------------------------------------------------

def _full_after(monkeypatch: pytest.MonkeyPatch, folder: Path, budget: int) -> None:
    """Make writes into ``folder`` fail with ``ENOSPC`` once ``budget`` bytes are written."""
    real_write = os.write
    left = [budget]

    def write_some(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder.parent)):
            if left[0] <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            data = bytes(data)[:left[0]]
            left[0] -= len(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write_some)


def _edit_one_case(site: Path) -> None:
    """An edit whose update is small (in place): the case page, its lists and feeds."""
    case = next((site / "content").glob("*.md"))
    case.write_text(case.read_text("utf-8").replace("title:", "title: 新", 1), "utf-8")


@pytest.mark.parametrize("budget", [0, 700, 5_000, 40_000])
@pytest.mark.parametrize("swap", [False, True], ids=["in place", "staged"])
def test_a_full_disk_leaves_the_previous_site_complete(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path_factory: pytest.TempPathFactory,
                                                       budget: int, swap: bool) -> None:
    output = site / "output"
    _build_into(site, output)
    before = tree(output)
    _edit_one_case(site)
    with monkeypatch.context() as patch:
        if swap:
            _swap_everything(patch)
        _full_after(patch, output, budget)
        with pytest.raises(CasebookError, match=r"disk full while writing .*: the previous site is unchanged"):
            _build_into(site, output)
    assert tree(output) == before  # byte for byte, no temporary file left
    assert not [p for p in site.iterdir() if p.name.startswith(STAGING_PREFIX)]
    _build_into(site, output)  # space again: the next build completes the update
    assert tree(output) == _clean(site, tmp_path_factory)


@pytest.mark.parametrize("fail_at", [1, 3, 6])
def test_a_failure_while_renaming_an_in_place_update_puts_every_file_back(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         fail_at: int) -> None:
    """Renames need no space, but a new name may need a directory block: a failure after
    some files were renamed into place takes them all back."""
    output = site / "output"
    _build_into(site, output)
    before = tree(output)
    _edit_one_case(site)
    real_replace = os.replace
    count = [0]

    def replace(a: object, b: object, **kwargs: object) -> None:
        if str(a).endswith(write.TEMP_SUFFIX) and not str(b).endswith(MARKER):
            count[0] += 1
            if count[0] == fail_at:
                raise OSError(errno.ENOSPC, "No space left on device", str(b))
        real_replace(a, b, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(CasebookError, match="disk full while writing .*: the previous site is unchanged"):
        _build_into(site, output)
    assert count[0] == fail_at
    assert tree(output) == before


@ROOT_ONLY
@pytest.mark.parametrize("free_kb", [0, 8, 24])
def test_a_really_full_tmpfs_leaves_the_previous_site_complete(site: Path, tmp_path_factory: pytest.TempPathFactory,
                                                               free_kb: int) -> None:
    with _mount(tmp_path_factory.mktemp("small") / "site", "-t", "tmpfs", "-o", "size=8m", "tmpfs") as output:
        _build_into(site, output)
        before = tree(output)
        filler = output / ".filler"  # a dotfile: kept, never touched by the build
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        os.ftruncate(fd, max(0, os.fstat(fd).st_size - free_kb * 1024))
        os.close(fd)
        _edit_one_case(site)
        _retitle(site, "新标题" * 20)
        with pytest.raises(CasebookError, match="disk full while writing .*: the previous site is unchanged"):
            _build_into(site, output)
        filler.unlink()
        assert tree(output) == before


# -- item 4: an incomplete search index ----------------------------------------------------------

@pytest.fixture(scope="module")
def search_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site's search index, made once by the build."""
    project = tmp_path_factory.mktemp("indexed")
    for name in ("data", "themes", "content"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns(".import"))
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    build(load_config(project / "site.yaml", {"search": True}), use_cache=False)
    return project / "output" / searchindex.FOLDER


def _damage(folder: Path, how: str) -> None:
    if how.startswith("empty "):
        next(folder.glob(how.removeprefix("empty "))).write_bytes(b"")
    elif how.startswith("cut "):
        path = next(folder.glob(how.removeprefix("cut ")))
        path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    else:
        next(folder.glob(how.removeprefix("no "))).unlink()


@pytest.mark.parametrize("how", ["empty meta.json", "cut meta.json", "no meta.json", "empty s/*.bin", "no s/*.bin",
                                 "empty d/*.json", "no d/*.json"])
def test_an_incomplete_search_index_is_refused(search_index: Path, tmp_path: Path, how: str) -> None:
    folder = tmp_path / searchindex.FOLDER
    shutil.copytree(search_index, folder)
    check_index(folder)  # whole: accepted
    _damage(folder, how)
    with pytest.raises(CasebookError, match="search index incomplete: .*; the site was not published"):
        check_index(folder)


def test_a_build_whose_search_index_is_incomplete_keeps_the_previous_site(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every index file written empty, with no error (as a full disk once did to Pagefind's)."""
    output = site / "output"
    _build_into(site, output, search=True)
    before = tree(output)
    case = min((site / "content").glob("*.md"))  # a case's title: text the index holds
    case.write_text(case.read_text("utf-8").replace("title: ", "title: 新标题", 1), "utf-8")

    def write_on_full_disk(path: Path, data: bytes) -> None:
        path.unlink(missing_ok=True)  # replaced, as the real one does: the staging tree's files are links
        path.write_bytes(b"")

    monkeypatch.setattr(searchindex, "write_atomic", write_on_full_disk)
    with pytest.raises(CasebookError, match=f"search index incomplete: {searchindex.FOLDER}/"):
        _build_into(site, output, search=True)
    assert tree(output) == before
