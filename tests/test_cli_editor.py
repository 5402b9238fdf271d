"""The command line as a new user meets it (issue 14, items 16 and 18): global flags before
or after the command, ``site.yaml`` found from any folder inside the project (and a clear
error elsewhere, leaving nothing behind), a preview hint that works as printed, and
settings mistakes explained in plain words at their line."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

from casebook.cli import main

from .conftest import ROOT


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _no_search(project: Path) -> Path:
    site = project / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    return site


@pytest.mark.parametrize("order", [("-v", "build"), ("build", "-v"), ("build", "--verbose")])
def test_global_flags_before_or_after_the_command(project: Path, capsys, order: tuple[str, ...]) -> None:
    site = _no_search(project)
    code, out, err = _run(capsys, *order, "--config", str(site), "--no-cache")
    assert code == 0, err
    assert "  stages: " in out and "  wrote cases/" in out  # -v honoured


def test_quiet_and_config_after_the_command(project: Path, capsys) -> None:
    site = _no_search(project)
    code, out, err = _run(capsys, "check", "--config", str(site), "-q")
    assert code == 0, err
    assert out == ""


def test_no_command_builds_with_build_flags(project: Path, capsys) -> None:
    site = _no_search(project)
    code, out, err = _run(capsys, "--config", str(site), "--output", str(project / "elsewhere"), "-q")
    assert code == 0, err
    assert (project / "elsewhere/index.html").exists() and not (project / "output").exists()


def test_site_yaml_is_found_from_a_folder_inside_the_project(project: Path, capsys, monkeypatch) -> None:
    _no_search(project)
    before = sorted(os.listdir(project / "content"))
    monkeypatch.chdir(project / "content")
    code, out, err = _run(capsys, "build")
    assert code == 0, err
    assert (project / "output/index.html").exists()
    assert sorted(os.listdir(project / "content")) == before  # no .casebook-cache/ nor anything else there


def test_no_site_yaml_anywhere_is_a_clear_error_and_leaves_nothing(tmp_path: Path, capsys, monkeypatch) -> None:
    folder = tmp_path / "somewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    if any((p / "site.yaml").is_file() for p in folder.parents):
        pytest.skip("a site.yaml above the temporary folder")
    for command in (["build"], ["check"], ["-v"]):
        code, _, err = _run(capsys, *command)
        assert code == 1
        assert err.startswith(f"no site.yaml in {folder} or any parent folder: run build.py inside your project")
    code, _, err = _run(capsys, "build", "--config", "nope.yaml")
    assert code == 1 and "nope.yaml: settings file not found" in err
    assert list(folder.iterdir()) == []


def _hint(out: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith("site: "))
    return line.partition("(preview: ")[2].rstrip(")")


def test_preview_hint_names_this_python_and_build_py(project: Path, capsys) -> None:
    site = _no_search(project)
    code, out, err = _run(capsys, "build", "--config", str(site), "--base-url", "https://user.github.io/show case/x/"
                          .replace(" ", "%20"))
    assert code == 0, err
    command, _, url = _hint(out).partition(", then open ")
    words = shlex.split(command)
    assert Path(words[0]).absolute() == Path(sys.executable).absolute()  # not a bare `python`
    assert Path(words[1]).resolve() == ROOT / "build.py"
    assert words[2:] == ["--config", str(site), "serve", "--base-url", "https://user.github.io/show%20case/x/"]
    assert url == "http://127.0.0.1:8000/show%2520case/x/"


def test_no_preview_hint_after_output_elsewhere(project: Path, capsys) -> None:
    site = _no_search(project)
    code, out, err = _run(capsys, "build", "--config", str(site), "--output", str(project / "elsewhere"))
    assert code == 0, err
    assert f"site: {project / 'elsewhere'}\n" in out and "(preview:" not in out


def test_serve_refuses_output(project: Path, capsys) -> None:
    code, _, err = _run(capsys, "serve", "--config", str(project / "site.yaml"), "--output", str(project / "x"))
    assert code == 1 and "drop --output" in err


# -- settings mistakes, in plain words at their line ----------------------------------------

def _settings_error(project: Path, capsys, line: str) -> str:
    site = project / "site.yaml"
    lines = [x for x in site.read_text("utf-8").splitlines() if not x.startswith(line.split(":")[0] + ":")]
    site.write_text("\n".join([*lines, line]) + "\n", "utf-8")
    code, _, err = _run(capsys, "check", "--config", str(site))
    assert code == 1
    return err.replace(f"{site}:{len(lines) + 1}: ", "site.yaml:LINE: ")


@pytest.mark.parametrize(("line", "message"), [
    ("per_page: twelve", "per_page must be a whole number, e.g. per_page: 12, not 'twelve'"),
    ("per_page: true", "per_page must be a whole number, e.g. per_page: 12, not true"),
    ("search: yes please", "search must be true or false, not 'yes please'"),
    ("title: [a, b]", "title must be text, e.g. title: 案例集, not a list"),
    ("keep: CNAME", "keep must be a list, e.g. keep: ['.*', 'CNAME'], not 'CNAME'"),
    ("content_dir: 5", "content_dir must be a path, e.g. content_dir: content, not 5"),
    ("theme: fancy", "theme 'fancy' not found in {themes} (available: compact, default)"),
    ("theme: defualt", "theme 'defualt' not found in {themes} (available: compact, default) (did you mean 'default'?)"),
])
def test_settings_mistakes_are_plain_words_at_their_line(project: Path, capsys, line: str, message: str) -> None:
    err = _settings_error(project, capsys, line)
    assert f"site.yaml:LINE: {message.format(themes=project / 'themes')}\n" in err


def test_theme_flag_names_the_command_line(project: Path, capsys) -> None:
    code, _, err = _run(capsys, "check", "--config", str(project / "site.yaml"), "--theme", "fancy")
    assert code == 1 and err.startswith("command line: theme 'fancy' not found")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("extends: &p default\n", 1, "YAML anchors and aliases ('&p') are not allowed here"),
    ("name: compact\nextends: default\nextends: default\n", 3, "key 'extends' is given twice (first on line 2)"),
    ("name: compact\n\textends: default\n", 2, "a tab character"),
    ("name: compact\nextends: fancy\n", 2, "theme 'fancy' not found in"),
    ("extends: [default]\n", 1, "extends must name a theme folder, e.g. 'extends: default'"),
    ("- default\n", 1, "theme settings must be a YAML mapping"),
])
def test_theme_yaml_is_read_like_site_yaml(project: Path, capsys, text: str, line: int, message: str) -> None:
    meta = project / "themes/compact/theme.yaml"
    meta.write_text(text, "utf-8")
    code, _, err = _run(capsys, "check", "--config", str(project / "site.yaml"), "--theme", "compact")
    assert code == 1
    assert f"{meta}:{line}: " in err and message in err
