"""The command: files, folders, URLs, encodings, safety of existing files, determinism."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..chromium import serve
from .conftest import DATA, REPO, front_and_body

GBK = DATA / "noisy" / "gbk_henan.txt"
BIG5 = DATA / "noisy" / "big5_fujian.txt"
HTML = DATA / "noisy" / "page_jiangsu.html"


def _md_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def test_imports_files_and_folders_with_summary_and_report(import_cli, tmp_path: Path) -> None:
    status, out, err = import_cli(str(DATA / "noisy"), str(DATA / "clean" / "clean_hunan.txt"))
    assert status == 0, err
    files = _md_files(tmp_path / "content")
    assert len(files) == 12 and len(out.splitlines()) == 12
    line = next(x for x in out.splitlines() if x.startswith("gansu-"))
    assert "甘肃省" in line and "议事协商" in line and "removed 7 lines" in line
    reports = sorted((tmp_path / "content" / ".import").glob("*.removed.txt"))
    assert [r.name.replace(".removed.txt", ".md") for r in reports] == sorted(files)
    report = next((tmp_path / "content" / ".import").glob("gansu-chengguan-*.removed.txt"))
    assert "[link_spam] ~ 免费在线观看 高清影视" in report.read_text("utf-8")
    assert "[title_repeat] 兰州市城关区：“居民议事厅”议出幸福新生活" in report.read_text("utf-8")


def test_reimport_is_byte_identical_and_raw_untouched(import_cli, tmp_path: Path, seed_files) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(seed_files["000"].parent, raw)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in raw.iterdir()}
    assert import_cli(str(raw))[0] == 0
    first = _md_files(tmp_path / "content")
    status, out, _ = import_cli(str(raw))
    assert status == 0 and out.count("[unchanged]") == 5
    assert _md_files(tmp_path / "content") == first
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in raw.iterdir()} == before


def test_never_overwrites_edited_file_without_force(import_cli, tmp_path: Path) -> None:
    assert import_cli(str(GBK))[0] == 0
    target = next((tmp_path / "content").glob("*.md"))
    edited = target.read_text("utf-8").replace("网格员", "网格员（编辑改）", 1)
    target.write_text(edited, "utf-8")
    status, _, err = import_cli(str(GBK))
    assert status == 1 and "--force" in err and target.name in err
    assert target.read_text("utf-8") == edited
    status, out, _ = import_cli(str(GBK), "--force")
    assert status == 0 and "[updated]" in out
    assert "编辑改" not in target.read_text("utf-8")


def test_out_folder_and_keep_traditional(import_cli, tmp_path: Path) -> None:
    out_dir = tmp_path / "elsewhere"
    assert import_cli(str(BIG5), "--out", str(out_dir), "--keep-traditional")[0] == 0
    assert not (tmp_path / "content").exists()
    front, body = front_and_body(next(out_dir.glob("*.md")).read_text("utf-8"))
    assert "志願者" in body and front["province"] == "福建省"


def test_gbk_and_big5_inputs_decode(import_cli, tmp_path: Path) -> None:
    assert import_cli(str(GBK), str(BIG5))[0] == 0
    bodies = "".join(p.read_text("utf-8") for p in (tmp_path / "content").glob("*.md"))
    assert "郑州市金水区" in bodies and "厦门市思明区" in bodies


def test_undecodable_file_is_an_error_not_a_crash(import_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    status, _, err = import_cli(str(bad), str(GBK))
    assert status == 1 and "bad.txt" in err and "decode" in err
    assert len(list((tmp_path / "content").glob("*.md"))) == 1  # the good file still imported


def test_article_it_cannot_place_or_classify_is_a_draft_with_warnings(import_cli, tmp_path: Path) -> None:
    page = tmp_path / "nowhere.txt"
    page.write_text("今天天气很好，大家一起出门散步，心情愉快。\n", "utf-8")
    status, out, err = import_cli(str(page))
    assert status == 0 and out.rstrip().endswith("draft")
    warnings = err.splitlines()
    assert len(warnings) == 3 and all(w.startswith(f"warning: {page}: ") for w in warnings)
    assert "--province" in warnings[0] and "--practice" in warnings[1] and "title" in warnings[2]
    front, body = front_and_body(next((tmp_path / "content").glob("*.md")).read_text("utf-8"))
    assert front["draft"] is True and "province" not in front and "practices" not in front
    assert "今天天气很好" in body


def test_command_line_place_and_practices_win_over_detection(import_cli, tmp_path: Path) -> None:
    status, out, err = import_cli(str(DATA / "clean" / "clean_hunan.txt"), "--county", "白河县",
                                  "--practice", "志愿服务", "--practice", "养老服务")
    assert status == 0 and not err
    front, _ = front_and_body(next((tmp_path / "content").glob("*.md")).read_text("utf-8"))
    assert (front["province"], front["city"], front["county"]) == ("陕西省", "安康市", "白河县")
    assert front["practices"] == ["志愿服务", "养老服务"] and "draft" not in front
    assert front["slug"].startswith("shaanxi-baihe-")


@pytest.mark.parametrize("flag,value,message", [
    ("--province", "云南", None),  # a short name is accepted
    ("--province", "火星省", "not a province"),
    ("--practice", "不存在的类型", "not a practice type"),
])
def test_command_line_values_are_checked_before_any_article(import_cli, flag, value, message) -> None:
    status, out, err = import_cli(str(DATA / "clean" / "clean_hunan.txt"), flag, value)
    if message is None:
        assert status == 0 and "云南省" in out
    else:
        assert status == 2 and message in err and not out


@pytest.fixture()
def local_server() -> Iterator[str]:
    with serve(DATA / "noisy") as base:
        yield base.rstrip("/")


def test_url_import_from_local_server(import_cli, tmp_path: Path, local_server: str) -> None:
    url = f"{local_server}/page_jiangsu.html"
    status, out, err = import_cli(url, "--allow-private")  # a local server is refused unless allowed
    assert status == 0, err
    front, body = front_and_body(next((tmp_path / "content").glob("*.md")).read_text("utf-8"))
    assert front["source_url"] == url and front["county"] == "姑苏区" and front["authors"] == ["陈静"]
    assert "热门文章" not in body and "网友评论" not in body


def test_unreachable_url_is_a_clear_error(import_cli, local_server: str) -> None:
    status, _, err = import_cli(f"{local_server}/missing.html", "http://127.0.0.1:9/none", "--allow-private")
    assert status == 1
    assert "cannot fetch" in err and "404" in err and "127.0.0.1:9" in err


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    done = subprocess.run([sys.executable, "-m", "casebook.importer", str(GBK)], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": ""}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "content").glob("*.md"))) == 1


def test_outlet_names_the_province_when_the_text_does_not(import_cli, tmp_path: Path) -> None:
    page = tmp_path / "outlet.txt"
    page.write_text("社区食堂开张\n来源：陕西日报\n社区为高龄老人开办幸福食堂，志愿者上门送餐。\n", "utf-8")
    status, out, err = import_cli(str(page))
    assert status == 0, err
    assert "陕西省" in out


def test_one_article_saved_in_two_encodings_is_imported_once(import_cli, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    shutil.copy(GBK, tmp_path / "a" / "article.txt")
    (tmp_path / "b" / "copy.txt").write_text(GBK.read_bytes().decode("gb18030").replace("\n", "\r\n"), "utf-8")
    status, out, err = import_cli(str(tmp_path / "a"), str(tmp_path / "b"))
    assert status == 0 and out.count("[created]") == 1
    assert "skipped" in out and "the same article as" in out and "copy.txt" in out
    (tmp_path / "b" / "copy.txt").write_text(GBK.read_bytes().decode("gb18030") + "补充一段。\n", "utf-8")
    status, out, err = import_cli(str(tmp_path / "a"), str(tmp_path / "b"), "--force")
    assert status == 0 and out.count("[created]") == 1 and out.count("[unchanged]") == 1  # a changed text is another file


def test_gbk_html_page_with_xml_declaration(import_cli, tmp_path: Path) -> None:
    html = HTML.read_text("utf-8").replace('<meta charset="utf-8">', '<meta charset="gb2312">').replace("©", "(C)")
    page = tmp_path / "old_site.html"
    page.write_bytes(('<?xml version="1.0" encoding="gb2312"?>\n' + html).encode("gbk"))
    status, out, err = import_cli(str(page))
    assert status == 0, err
    front, body = front_and_body(next((tmp_path / "content").glob("*.md")).read_text("utf-8"))
    assert front["county"] == "姑苏区" and "时间银行" in body
    report = next((tmp_path / "content" / ".import").glob("*.txt")).read_text("utf-8")
    assert "trafilatura" in report


def test_output_does_not_depend_on_hash_seed(tmp_path: Path, seed_files) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {"PYTHONPATH": str(REPO), "PATH": "", "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "casebook.importer", str(seed_files["000"].parent),
                               "--out", str(out)], cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 10


#: What a plain-text import must not load: HTML extraction, the site renderer and its
#: tools, the HTTP stack, the process pool and (for a place the gazetteer knows, with no
#: profiled places) pypinyin. Each costs start-up time an editor waits for (issue 12).
_NOT_FOR_TEXT = ("trafilatura", "lxml", "jinja2", "markdown", "casebook.searchindex", "nh3", "pygments",
                 "watchfiles", "rich", "urllib.request", "concurrent.futures.process", "pypinyin", "charset_normalizer")
_PROBE = (
    "import sys\n"
    "from casebook.cli import main\n"
    "status = main(['import', sys.argv[1], '--out', sys.argv[2]])\n"
    "print(status, ' '.join(m for m in sys.argv[3:] if m in sys.modules))\n"
)


def _loaded_by_import(path: Path, out: Path) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(out), *_NOT_FOR_TEXT],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    status, _, loaded = done.stdout.splitlines()[-1].partition(" ")
    return status, set(loaded.split())


def test_text_import_does_not_load_html_renderer_or_network_modules(tmp_path: Path) -> None:
    status, loaded = _loaded_by_import(DATA / "clean" / "clean_hunan.txt", tmp_path / "txt")
    assert status == "0" and loaded == set()
    # The probe sees lazy imports when they happen: an HTML page does load trafilatura.
    status, loaded = _loaded_by_import(HTML, tmp_path / "html")
    assert status == "0" and {"trafilatura", "lxml"} <= loaded
    assert not loaded & {"jinja2", "markdown", "casebook.searchindex"}
