"""Shared fixtures for the importer tests: paths, one loaded context, a runner."""

from __future__ import annotations

import argparse
import http.server
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from casebook.importer import add_arguments, run
from casebook.importer.convert import Context, Imported
from casebook.importer.hanzi import fullwidth_punctuation

from ..chromium import require, running

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "importer"
SEEDS = REPO.parent / "shared" / "seeds"
PRACTICES = REPO / "data" / "practices.yaml"


def load_yaml(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text("utf-8"))


def front_and_body(markdown: str) -> tuple[dict, str]:
    """Split an imported file into its front-matter mapping and Markdown body."""
    assert markdown.startswith("---\n")
    head, body = markdown[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def assert_orphan_captions(case: dict, result: Imported) -> None:
    """The case's ``orphan_captions`` (captions whose photo is gone) are in the removal
    report (as the pass saw them, before punctuation was made full-width), not in the body."""
    _, body = front_and_body(result.markdown)
    reported = [fullwidth_punctuation(line) for line in result.report.splitlines()
                if line.startswith("[orphan_captions] ")]
    for caption in case.get("orphan_captions", []):
        assert caption not in body
        assert any(caption in line for line in reported), (caption, reported)


def place_of(mapping: dict) -> tuple[str, str | None, str | None]:
    """(province, city, county) of front-matter or of an expectation."""
    return mapping["province"], mapping.get("city"), mapping.get("county")


@pytest.fixture(scope="session")
def ctx() -> Context:
    return Context.load(PRACTICES)


@pytest.fixture(scope="session")
def seed_files() -> dict[str, Path]:
    require(SEEDS.is_dir(), f"seed articles not found at {SEEDS} (shared/ must sit beside the repository)")
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture()
def import_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run the importer as the CLI would; returns (exit status, stdout, stderr)."""

    def go(*argv: str) -> tuple[int, str, str]:
        parser = argparse.ArgumentParser()
        add_arguments(parser)
        status = run(parser.parse_args(list(argv)), tmp_path / "content", PRACTICES)
        out = capsys.readouterr()
        return status, out.out, out.err

    return go


@contextmanager
def redirecting_server(target: str, with_path: bool = False) -> Iterator[int]:
    """A server on 127.0.0.1 answering every request with a redirect to ``target`` (followed
    by the request's path, ``with_path``)."""

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(302)
            self.send_header("Location", target + self.path if with_path else target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with running(Redirect) as server:
        yield server.server_address[1]
