"""Import security (issue 14, item 14): what a scraped page or a planted file can make the
importer do. Network tests talk only to servers on 127.0.0.1 started here; addresses of
other ranges are only classified, never contacted."""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from casebook.importer import fetch, writer
from casebook.importer.structure import Block
from casebook.markup import MarkdownRenderer

from ..chromium import serve
from .conftest import DATA, front_and_body, redirecting_server

HTML = DATA / "noisy" / "page_jiangsu.html"
GBK = DATA / "noisy" / "gbk_henan.txt"
ARTICLE = "苏州市姑苏区双塔街道在辖区8个社区推广志愿服务“时间银行”"


# -- private addresses ------------------------------------------------------------------------


@pytest.fixture()
def local_pages() -> Iterator[str]:
    with serve(DATA / "noisy") as base:
        yield base.rstrip("/")


def test_loopback_url_is_refused_unless_allowed(import_cli, tmp_path: Path, local_pages: str) -> None:
    url = f"{local_pages}/page_jiangsu.html"
    status, out, err = import_cli(url)
    assert status == 1 and not out
    assert f"refused {url}" in err and "loopback" in err and "--allow-private" in err
    assert not list((tmp_path / "content").glob("*.md"))
    status, out, err = import_cli(url, "--allow-private")
    assert status == 0, err
    assert ARTICLE in next((tmp_path / "content").glob("*.md")).read_text("utf-8")


def test_redirect_to_a_private_address_is_refused(import_cli, tmp_path: Path, local_pages: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that passes the check redirects to the machine's own server: refused there."""
    target = f"{local_pages}/page_jiangsu.html"
    real = fetch.resolve
    with redirecting_server(target) as port:
        # The redirecting server stands in for a public one: its port alone counts as public.
        monkeypatch.setattr(fetch, "resolve", lambda host, p, allow=False: real(host, p, allow or p == port))
        status, out, err = import_cli(f"http://127.0.0.1:{port}/article.html")
    assert status == 1 and not out
    assert f"it redirects to {target}" in err and "loopback" in err and "--allow-private" in err
    assert not list((tmp_path / "content").glob("*.md"))


def test_redirect_to_another_scheme_is_not_followed(import_cli) -> None:
    with redirecting_server("ftp://127.0.0.1/secret.txt") as port:
        status, _, err = import_cli(f"http://127.0.0.1:{port}/a.html", "--allow-private")
    assert status == 1 and "only http and https" in err


@pytest.mark.parametrize("address,reason", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("fd12:3456::1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "reserved"), ("224.0.0.1", "reserved"), ("100.64.0.1", "not a public"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("2002:a00:1::", "private"),
    ("93.184.216.34", None), ("2606:4700::1111", None),
])
def test_address_classification(address: str, reason: str | None) -> None:
    found = fetch.refusal(ipaddress.ip_address(address))
    assert (found is None) if reason is None else (found is not None and reason in found)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "2130706433"])
def test_names_of_the_machine_itself_are_refused(host: str) -> None:
    """Resolved locally (no DNS query leaves the machine for these), then refused."""
    try:
        socket.getaddrinfo(host, 9, type=socket.SOCK_STREAM)
    except socket.gaierror:
        pytest.skip(f"{host} does not resolve here")
    with pytest.raises(fetch.CasebookError, match="loopback"):
        fetch.resolve(host, 9)
    assert fetch.resolve(host, 9, allow_private=True)


# -- an overall deadline ----------------------------------------------------------------------


@contextmanager
def drip_server(headers_first: bool) -> Iterator[int]:
    """A server on 127.0.0.1 that sends its answer one byte every 0.2 s (headers too unless
    ``headers_first``), for at most 15 s; stopped when the test ends."""
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    body = HTML.read_bytes()
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                try:
                    if headers_first:
                        conn.sendall(head)
                    drip = body if headers_first else head + body
                    for i in range(75):  # bounded: 15 s at most
                        if stop.wait(0.2):
                            break
                        conn.sendall(drip[i:i + 1])
                except OSError:
                    pass  # the client gave up

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        listener.close()


@pytest.mark.parametrize("headers_first", [False, True], ids=["dripped-headers", "dripped-body"])
def test_a_server_sending_a_byte_at_a_time_meets_the_deadline(import_cli, tmp_path: Path, headers_first: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "DEADLINE_SECONDS", 1.5)
    with drip_server(headers_first) as port:
        started = time.monotonic()
        status, out, err = import_cli(f"http://127.0.0.1:{port}/slow.html", "--allow-private")
        elapsed = time.monotonic() - started
    assert elapsed < 6, f"took {elapsed:.1f} s"
    assert status == 1 and not out and "no complete answer within 1.5 s" in err
    assert not list((tmp_path / "content").glob("*.md"))  # a truncated page is not imported


# -- nesting depth ----------------------------------------------------------------------------


def _nested(depth: int, filler: str = "") -> str:
    html = HTML.read_text("utf-8")
    start, end = html.index("<article>"), html.index("</article>") + len("</article>")
    return html[:start] + f"<div>{filler}" * depth + html[start:end] + "</div>" * depth + html[end:]


@pytest.mark.parametrize("depth,filler", [(254, ""), (300, ""), (5000, ""), (400, "<span>·</span>")],
                         ids=["254", "300", "5000", "300-with-text-at-each-level"])
def test_deep_nesting_never_loses_the_article(import_cli, tmp_path: Path, depth: int, filler: str) -> None:
    page = tmp_path / "deep.html"
    page.write_text(_nested(depth, filler), "utf-8")
    status, _, err = import_cli(str(page))
    assert status == 0, err
    front, body = front_and_body(next((tmp_path / "content").glob("*.md")).read_text("utf-8"))
    assert ARTICLE in body and "让志愿服务更加便捷" in body
    assert front["title"] == "姑苏区双塔街道：“时间银行”让志愿服务可存可取" and front["county"] == "姑苏区"
    assert "热门文章" not in body and "网友评论" not in body


def test_flatten_keeps_text_and_structure() -> None:
    from casebook.importer.htmltext import flatten

    page = "<body><nav class='nav'>菜单</nav>" + "<div>" * 400 + "<p>甲</p><p>乙" + "</div>" * 400 + "</body>"
    flat = flatten(page)
    assert flat.count("<div>") == 3 and flat.count("</div>") == 3  # the chain's outermost and innermost two
    assert "<p>甲</p><p>乙" in flat and "<nav class='nav'>菜单</nav>" in flat
    ordinary = HTML.read_text("utf-8")
    assert flatten(ordinary) == ordinary


# -- Markdown-significant text ----------------------------------------------------------------


LITERAL = [
    "[x]: javascript:alert(1)",
    "<!-- 这段话不能在页面上消失 -->",
    "居民说<script>alert(1)</script>之后",
    "<div>块</div>",
    "<custom-tag onclick=x>标签</custom-tag>",
    "王阿姨说[停车位](javascript:alert(1))的问题",
    "![图片](http://a.example/x.png)",
    "[^1]: 脚注",
    "有人写了&lt;b&gt;和&#60;以及&copy;",
    "`代码`和``两个``",
    "网址<http://a.example/>",
    "反斜杠\\*星号\\[括号",
    "---",
    "***",
    "~~~",
    ": 定义",
    "# 井号开头",
    "> 引号开头",
    "1. 数字开头",
]


def _visible(html: str) -> str:
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("text", LITERAL)
def test_markdown_significant_text_renders_literally(text: str) -> None:
    renderer = MarkdownRenderer()
    for kind in ("para", "heading", "caption"):
        body = writer.markdown([Block("para", "前一段。"), Block(kind, text)])
        html = renderer.render(body).html
        assert _visible(html).split("前一段。", 1)[1].strip() == text, (kind, body, html)
        assert "<script" not in html and "javascript:" not in html.replace(text, "")


def test_ordinary_text_is_written_as_before() -> None:
    texts = ["今年以来，社区推广“时间银行”，5<6 且 AT&T。", "**提示**正文", "[1, 3, 5] 参见", "C:\\Users 路径"]
    assert writer.markdown([Block("para", t) for t in texts]) == "\n\n".join(texts) + "\n"


def test_imported_article_text_survives_the_renderer(import_cli, tmp_path: Path) -> None:
    page = tmp_path / "markup.txt"
    lines = ["昆明市五华区：社区议事会解决停车难题",
             "近日，昆明市五华区华山街道的社区议事会召开会议，居民代表讨论小区停车难题。",
             "[x]: javascript:alert(1)",
             "<!-- 居民代表说，这段话不能在页面上消失。 -->",
             "居民王阿姨说[停车位](javascript:alert(1))的问题终于解决了，大家都很高兴。"]
    page.write_text("\n".join(lines) + "\n", "utf-8")
    status, _, err = import_cli(str(page))
    assert status == 0, err
    _, body = front_and_body(next((tmp_path / "content").glob("*.md")).read_text("utf-8"))
    shown = _visible(MarkdownRenderer().render(body).html)
    for line in lines[1:]:
        assert line in shown


# -- safe writes ------------------------------------------------------------------------------


def _slug(import_cli, tmp_path: Path) -> str:
    assert import_cli(str(GBK))[0] == 0
    target = next((tmp_path / "content").glob("*.md"))
    return target.name.removesuffix(".md")


def test_a_planted_temporary_symlink_is_not_followed(import_cli, tmp_path: Path) -> None:
    slug = _slug(import_cli, tmp_path)
    content = tmp_path / "content"
    (content / f"{slug}.md").unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    for name in (f"{slug}.md.tmp", f".{slug}.md.tmp"):
        (content / name).symlink_to(victim)
    status, out, err = import_cli(str(GBK))
    assert status == 0 and "[created]" in out, err
    assert victim.read_text("utf-8") == "precious"
    assert (content / f"{slug}.md").is_file() and not (content / f"{slug}.md").is_symlink()
    leftovers = [p.name for p in content.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]
    assert leftovers == []


@pytest.mark.parametrize("force", [False, True])
def test_a_target_that_is_a_symlink_is_refused(import_cli, tmp_path: Path, force: bool) -> None:
    slug = _slug(import_cli, tmp_path)
    target = tmp_path / "content" / f"{slug}.md"
    target.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    target.symlink_to(victim)
    status, _, err = import_cli(str(GBK), *(["--force"] if force else []))
    assert status == 1 and "symbolic link" in err and target.name in err
    assert victim.read_text("utf-8") == "precious" and target.is_symlink()


def test_a_report_folder_linked_elsewhere_is_refused(import_cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    content = tmp_path / "content"
    content.mkdir()
    (content / ".import").symlink_to(elsewhere, target_is_directory=True)
    status, _, err = import_cli(str(GBK))
    assert status == 1 and "symbolic link" in err and ".import" in err
    assert list(elsewhere.iterdir()) == []


def test_a_special_file_at_the_target_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    with pytest.raises(fetch.CasebookError, match="not a regular file"):
        writer.write_safely(fifo, "text", force=True, base=tmp_path)


def test_safe_write_keeps_the_usual_permissions(tmp_path: Path) -> None:
    assert writer.write_safely(tmp_path / "a.md", "一\n", force=False, base=tmp_path) == "created"
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o666 & ~mask
    assert writer.write_safely(tmp_path / "a.md", "一\n", force=False, base=tmp_path) == "unchanged"
    assert writer.write_safely(tmp_path / "a.md", "二\n", force=True, base=tmp_path) == "updated"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


# -- symlinks in input folders ----------------------------------------------------------------


def test_a_folder_symlink_out_of_the_folder_is_not_read(import_cli, tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir()
    secret = private / "secret.txt"
    secret.write_text("苏州市姑苏区的秘密\n这份私人文件写着银行密码，绝不能被导入并发布出去。\n", "utf-8")
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "article.txt").write_bytes(GBK.read_bytes())
    (folder / "link.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "article.txt")  # stays inside: read (a duplicate)
    status, out, err = import_cli(str(folder))
    assert status == 0, err
    assert f"warning: {folder / 'link.txt'}: a symbolic link out of {folder}" in err
    assert out.count("[created]") == 1 and "skipped" in out and "inside.txt" in out
    written = "".join(p.read_text("utf-8") for p in (tmp_path / "content").rglob("*") if p.is_file())
    assert "银行密码" not in written and "secret" not in written
    # Named on the command line, a link is the user's own choice and is read.
    status, out, _ = import_cli(str(folder / "link.txt"))
    assert status == 0 and "[created]" in out
