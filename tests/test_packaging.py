"""Packaging: pyproject.toml's dependencies are the pinned requirements files, the
`casebook` command builds like build.py, and the importer's libraries are optional."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def pins(name: str) -> set[str]:
    """The direct pins of one requirements .in file (without the files it includes)."""
    lines = (ROOT / name).read_text("utf-8").splitlines()
    return {line.strip() for line in lines if re.match(r"^[A-Za-z0-9]", line)}


@pytest.mark.parametrize(("extra", "source"), [(None, "requirements.in"), ("import", "requirements-import.in"),
                                               ("dev", "requirements-dev.in")])
def test_pyproject_lists_the_pinned_requirements(extra: str | None, source: str) -> None:
    declared = PYPROJECT["dependencies"] if extra is None else PYPROJECT["optional-dependencies"][extra]
    assert set(declared) == pins(source)


def test_a_site_builds_without_the_importer_libraries(project: Path) -> None:
    """A whole build, search included, with the `import` extra's libraries made unimportable
    (a site builder installs requirements.txt only)."""
    from casebook.cli import IMPORT_LIBRARIES
    code = (f"import sys; sys.modules.update(dict.fromkeys({IMPORT_LIBRARIES!r})); "  # None: ImportError
            "from casebook.cli import main; sys.exit(main(['build', '-q', '--no-cache', '--output', 'site']))")
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "CASEBOOK_JOBS": "2"})
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "search-index" / "meta.json").is_file()
    assert len(list((project / "site" / "cases").iterdir())) >= 5


def test_import_without_its_libraries_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from casebook import cli
    monkeypatch.setattr(cli, "IMPORT_LIBRARIES", ("trafilatura", "no_such_library_here"))
    monkeypatch.chdir(ROOT)
    assert cli.main(["import", "page.html", "--province", "云南省"]) == 1
    err = capsys.readouterr().err
    assert "the importer needs no_such_library_here" in err and "requirements-import.txt" in err


def test_casebook_command_builds_like_build_py(project: Path) -> None:
    command = shutil.which("casebook", path=str(Path(sys.executable).parent))
    if command is None:
        pytest.skip("casebook is not installed in this environment (scripts/test.sh installs it)")
    # the search index aside (its own tests build it): what is compared is the command
    site = project / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    via_command = subprocess.run([command, "build", "-q", "--output", "a"], cwd=project, capture_output=True, text=True)
    assert via_command.returncode == 0, via_command.stderr
    via_script = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q", "--output", "b"], cwd=project,
                                capture_output=True, text=True)
    assert via_script.returncode == 0, via_script.stderr
    files = sorted(p.relative_to(project / "a") for p in (project / "a").rglob("*") if p.is_file())
    assert len(files) > 50
    assert files == sorted(p.relative_to(project / "b") for p in (project / "b").rglob("*") if p.is_file())
    for rel in files:
        if rel.name != ".casebook-site":
            assert (project / "a" / rel).read_bytes() == (project / "b" / rel).read_bytes(), rel
