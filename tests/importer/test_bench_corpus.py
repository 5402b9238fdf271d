"""The benchmark's generated corpus: deterministic, and every article imports cleanly."""

from __future__ import annotations

import sys
from pathlib import Path

from casebook.importer.convert import Context, convert
from casebook.importer.fetch import expand, read

from .conftest import REPO, front_and_body

sys.path.insert(0, str(REPO / "bench"))
import gen_noisy  # noqa: E402


def test_generator_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert gen_noisy.main([str(tmp_path / name), "12"]) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert len(first) == 12
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}


def test_generated_articles_import_cleanly(tmp_path: Path, ctx: Context) -> None:
    gen_noisy.main([str(tmp_path), "12"])  # UTF-8, Traditional+pinyin, GBK, Big5 and HTML
    for name in expand([str(tmp_path)]):
        front, body = front_and_body(convert(read(name), ctx).markdown)
        assert front["province"] and front["practices"] and front["county"]
        for debris in ("蜘蛛池", "ICP", "责任编辑", "首页", "2022-11-1", "(", "通讯员", "摄"):
            assert debris not in body, (name, debris)
