"""Link integrity at scale: ``build.py check --built`` crawls a built 1,000-case site
(every province, every practice, sub-cases, pagination, feeds) and finds nothing."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from .conftest import ROOT


def _gen_corpus():
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "bench/gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_generated_thousand_case_site_has_no_broken_links(tmp_path: Path, run_cli) -> None:
    for name in ("data", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "site.yaml").write_text("title: 千例\nbase_url: https://user.github.io/showcase/\nsearch: false\n",
                                        "utf-8")
    files = _gen_corpus().generate(tmp_path / "content", 1000)
    assert len(files) == 1000
    code, out, err = run_cli(tmp_path, "build")
    assert code == 0, err
    pages = list((tmp_path / "output").rglob("*.html"))
    assert len(pages) > 1000 + 34 + 14
    assert (tmp_path / "output/provinces/xizang/page/2/index.html").exists()
    code, out, err = run_cli(tmp_path, "check", "--built")
    assert code == 0, err
    assert "0 problems" in out
