"""``import --images`` (issue 16): an HTML page gives a bundle whose pictures are the
article's and no others. Every picture is drawn here with Pillow (photos: gradients and
noise; logos, QR codes, icons: flat colours); pages are served by servers on 127.0.0.1
started and stopped by each test, or saved as a browser saves them (``page_files/``)."""

from __future__ import annotations

import hashlib
import http.server
import io
import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from casebook.importer import fetch, photos, pictures
from casebook.importer.convert import Context, convert
from casebook.importer.fetch import RawInput

from ..chromium import running
from .conftest import PRACTICES, front_and_body, redirecting_server

# -- pictures drawn for the tests ------------------------------------------------------------


def photo(width: int, height: int, seed: int, kind: str = "JPEG") -> bytes:
    """A photo-like picture: a colour gradient under noise (its colours spread like a photo's)."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height))
    channels = [Image.blend(base, Image.effect_noise((width, height), 40 + 10 * i), 0.5) for i in range(3)]
    image = Image.merge("RGB", channels)
    ImageDraw.Draw(image).ellipse((rng.randint(0, width // 2), rng.randint(0, height // 2), width - 10, height - 10),
                                  outline=(rng.randint(0, 255), 90, 30), width=8)
    out = io.BytesIO()
    image.save(out, kind, quality=85) if kind == "JPEG" else image.save(out, kind)
    return out.getvalue()


def qr_code(side: int = 300) -> bytes:
    """Black and white modules, as a QR code."""
    rng = random.Random(7)
    image = Image.new("RGB", (side, side), "white")
    draw, cell = ImageDraw.Draw(image), side // 25
    for y in range(25):
        for x in range(25):
            if rng.random() < 0.5:
                draw.rectangle((x * cell, y * cell, x * cell + cell - 1, y * cell + cell - 1), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def logo() -> bytes:
    image = Image.new("RGB", (400, 200), (200, 20, 30))
    ImageDraw.Draw(image).rectangle((40, 40, 360, 160), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def animation() -> bytes:
    frames = [Image.open(io.BytesIO(photo(300, 300, s))).convert("P") for s in (1, 2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


SPACER = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")

#: The article's own photos (one a PNG saved under a .jpg name: its format decides).
HALL, VOLUNTEERS, LAZY = photo(1200, 800, 1), photo(800, 600, 2), photo(640, 480, 3, "PNG")
PICTURES = {
    "hall.jpg": HALL, "volunteers.jpg": VOLUNTEERS, "lazy_loaded.jpg": LAZY,
    # everything else on the page is not the article's:
    "sitelogo.png": logo(), "weibo.png": logo(), "gongan.png": logo(), "hot1.jpg": photo(400, 300, 4),
    "avatar_1.jpg": photo(200, 200, 5), "ewm.jpg": photo(300, 300, 6), "scan.png": qr_code(),
    "spacer.gif": SPACER, "promo.jpg": photo(600, 400, 7), "divider.jpg": photo(1200, 60, 8),
    "tiny.jpg": photo(90, 90, 9), "sticker.gif": animation(), "headerbg.jpg": photo(1000, 400, 10),
}
ARTICLE_PHOTOS = {HALL, VOLUNTEERS, LAZY}
LONG = "社区以网格化管理为依托，将社区划为18个综合网格，不断提升基层党组织服务群众效能，居民满意度明显提高，办事时间缩短一半。"


def page(folder: str, ad_host: str = "ads.example.com") -> str:
    """A news page: chrome with logos and icons, an article with three photos (two captioned),
    a QR code, a spacer, an ad, a banner-shaped divider, a thumbnail and a sticker inside
    it, a sidebar photo, a share bar, comments with avatars and a footer badge."""
    f = folder
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>嵩阳社区：党群服务中心暖民心_某某新闻网</title>
<meta property="og:title" content="嵩阳社区：党群服务中心暖民心"></head><body>
<div class="header"><a href="/"><img src="{f}/sitelogo.png"></a><img src="{f}/headerbg.jpg"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/news">新闻</a></li></ul>
<div class="main"><div class="article">
<h1>嵩阳社区：党群服务中心暖民心</h1>
<div class="info">2024-06-03 10:20 来源：某某日报</div>
<p>近日，河南省郑州市登封市嵩阳街道嵩阳社区党群服务中心正式启用，{LONG}</p>
<figure><img src="{f}/hall.jpg" width="1200" height="800"><figcaption>改造后的党群服务中心大厅。</figcaption></figure>
<p>中心设有便民服务窗口、老年活动室和四点半课堂，{LONG}</p>
<p style="text-align:center"><img src="{f}/volunteers.jpg"></p>
<p style="text-align:center">志愿者为社区老人义务理发。</p>
<p>社区还组建了党员志愿服务队，定期上门走访独居老人，{LONG}</p>
<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{f}/lazy_loaded.jpg"></p>
<p>下一步，社区将持续完善服务功能，让居民在家门口享受更多便利，{LONG}</p>
<p><img src="{f}/spacer.gif" width="1" height="1"><img src="{f}/tiny.jpg"></p>
<p><img src="{f}/divider.jpg"></p>
<p><a href="http://{ad_host}/buy?id=3"><img src="{f}/promo.jpg"></a></p>
<p><img src="{f}/sticker.gif"></p>
<p><img src="{f}/scan.png"></p>
<p><img src="{f}/ewm.jpg"></p>
<p>扫码关注某某新闻公众号</p>
<div class="share-bar">分享到：<img src="{f}/weibo.png"></div>
</div>
<div class="sidebar"><h3>热门文章</h3><img src="{f}/hot1.jpg"><a href="/x">某区举办广场舞大赛</a></div>
<div class="comments"><div class="reply"><img src="{f}/avatar_1.jpg"><span>网友甲：点赞</span></div></div>
</div>
<div class="footer"><img src="{f}/gongan.png"><p>版权所有 某某新闻网</p></div>
</body></html>"""


@pytest.fixture(scope="module")
def images_ctx() -> Context:
    return Context.load(PRACTICES, images=True)


def saved_page(folder: Path) -> Path:
    """The page as a browser saves it: ``page.html`` and ``page_files/``."""
    files = folder / "page_files"
    files.mkdir(parents=True)
    for name, data in PICTURES.items():
        (files / name).write_bytes(data)
    target = folder / "page.html"
    saved_from = "<!-- saved from url=(0037)https://news.example.org/a/1234.html -->\n"
    target.write_text(saved_from + page("./page_files"), "utf-8")
    return target


def bundle_of(content: Path) -> tuple[Path, dict, str]:
    [index] = content.glob("*/index.md")
    front, body = front_and_body(index.read_text("utf-8"))
    return index.parent, front, body


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def assert_article_bundle(folder: Path, front: dict, body: str) -> None:
    """The acceptance criterion: the bundle's pictures are the article's and no others, each
    in the body where the page shows it, captioned, named by content and real format."""
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "index.md"}
    assert set(files.values()) == ARTICLE_PHOTOS
    assert {n.split(".")[0] for n in files} == {digest(d) for d in ARTICLE_PHOTOS}
    hall, volunteers, lazy = (f"{digest(HALL)}.jpg", f"{digest(VOLUNTEERS)}.jpg", f"{digest(LAZY)}.png")
    assert set(files) == {hall, volunteers, lazy}  # the PNG saved as .png whatever its address said
    blocks = body.strip().split("\n\n")
    at = {b: i for i, b in enumerate(blocks)}
    figure1, figure2 = f"![改造后的党群服务中心大厅。]({hall})", f"![志愿者为社区老人义务理发。]({volunteers})"
    assert blocks[at[figure1] - 1].startswith("近日") and blocks[at[figure1] + 1].startswith("中心设有")
    assert blocks[at[figure2] - 1].startswith("中心设有") and blocks[at[figure2] + 1].startswith("社区还组建")
    assert blocks[at[f"![]({lazy})"] - 1].startswith("社区还组建")
    assert "*改造后的党群服务中心大厅。*" not in body and "志愿者为社区老人义务理发。\n" not in body  # no orphans
    assert front["cover"] == hall  # the biggest


# -- the acceptance criterion ----------------------------------------------------------------


def test_saved_page_gives_a_bundle_of_the_articles_photos(import_cli, tmp_path: Path) -> None:
    source = saved_page(tmp_path / "saved")
    status, out, err = import_cli(str(source), "--images")
    assert status == 0, err
    folder, front, body = bundle_of(tmp_path / "content")
    assert_article_bundle(folder, front, body)
    assert f"kept {len(ARTICLE_PHOTOS)} photos" in out  # the summary line counts them
    assert not list((tmp_path / "content").glob("*.md"))  # a bundle, not a file beside it
    report = (tmp_path / "content" / ".import" / f"{folder.name}.removed.txt").read_text("utf-8")
    for name, reason in [("sitelogo.png", "furniture"), ("ewm.jpg", "'ewm'"), ("scan.png", "QR code"),
                         ("spacer.gif", "spacer"), ("divider.jpg", "banner"), ("tiny.jpg", "icon"),
                         ("sticker.gif", "animation"), ("hot1.jpg", "furniture"), ("avatar_1.jpg", "furniture"),
                         ("weibo.png", "furniture"), ("gongan.png", "furniture")]:
        line = next(line for line in report.splitlines() if f"/{name}:" in line)
        assert line.startswith("[pictures]") and reason in line, line


@contextmanager
def serving(files: dict[str, bytes], delay: float = 0.0, length: int | None = None) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving ``files`` (a picture after ``delay`` seconds per
    KB, a stated Content-Length when given); stopped and joined when the block ends."""
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            data = files.get(self.path.split("?")[0].lstrip("/"))
            if data is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8" if self.path.endswith(".html")
                             else "application/octet-stream")
            self.send_header("Content-Length", str(length if length is not None else len(data)))
            self.end_headers()
            try:
                for i in range(0, len(data), 1024):
                    if delay and stop.wait(delay):
                        return
                    self.wfile.write(data[i:i + 1024])
            except OSError:
                pass  # the client gave up

        def log_message(self, *args: object) -> None:
            pass

    with running(Handler) as server:
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            stop.set()  # a delayed answer gives up before the server stops


def test_page_from_loopback_may_take_its_pictures_from_there(import_cli, tmp_path: Path) -> None:
    files = {f"img/{name}": data for name, data in PICTURES.items()}
    files["news/page.html"] = page("../img").encode("utf-8")
    with serving(files) as base:
        status, _, err = import_cli(f"{base}/news/page.html", "--images", "--allow-private")
    assert status == 0, err
    assert_article_bundle(*bundle_of(tmp_path / "content"))


def test_base_href_resolves_relative_addresses(tmp_path: Path, images_ctx: Context) -> None:
    files = {f"static/{name}": data for name, data in PICTURES.items()}
    html = page("pics").replace("<head>", "<head><base href='/static/x/'>").replace("pics/", "../")
    with serving(files) as base:
        result = convert(RawInput("p.html", html.encode(), True, url=f"{base}/news/p.html", private=True), images_ctx)
    assert set(result.pictures.values()) == ARTICLE_PHOTOS


# -- what a public page cannot make the importer fetch ---------------------------------------


def public_page(url: str, html: str) -> RawInput:
    """A page as fetched from a public address (the fetch said so)."""
    return RawInput("page.html", html.encode("utf-8"), True, url=url, private=False)


def test_a_public_page_cannot_make_the_importer_fetch_loopback(images_ctx: Context) -> None:
    files = {f"img/{name}": data for name, data in PICTURES.items()}
    with serving(files) as base:
        result = convert(public_page("https://news.example.org/a.html", page(f"{base}/img")), images_ctx)
    assert not result.pictures
    assert "refused" in result.report and "loopback" in result.report
    front, body = front_and_body(result.markdown)
    assert "cover" not in front and "![" not in body
    assert "[orphan_captions] ▲改造后的党群服务中心大厅。" in result.report  # captions follow their photos out


def test_a_name_resolving_to_a_private_address_is_refused(images_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS is mocked: ``img.example.org`` resolves to a private address; nothing is contacted."""
    real = socket.getaddrinfo

    def lookup(host: str, *args, **kwargs):  # noqa: ANN202 (socket's signature)
        if host == "img.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    result = convert(public_page("https://news.example.org/a.html", page("http://img.example.org/i")), images_ctx)
    assert not result.pictures and "img.example.org (10.0.0.7) is a private address" in result.report


def test_a_redirect_to_a_private_address_is_refused(images_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"img/{name}": data for name, data in PICTURES.items()}
    with serving(files) as target, redirecting_server(target, with_path=True) as port:
        real = fetch.resolve
        # The redirecting server stands in for a public one: its port alone counts as public.
        monkeypatch.setattr(fetch, "resolve", lambda host, p, allow=False: real(host, p, allow or p == port))
        result = convert(public_page("https://news.example.org/a.html", page(f"http://127.0.0.1:{port}/img")),
                         images_ctx)
    assert not result.pictures
    assert f"it redirects to {target}/img/hall.jpg" in result.report and "loopback" in result.report


#: A page from loopback (its pictures may come from there).
LOOPBACK_PAGE = RawInput("p.html", b"", True, url="http://127.0.0.1/p.html", private=True)


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = LOOPBACK_PAGE
    with serving({"big.jpg": HALL}) as base:
        assert isinstance(photos.obtain(f"{base}/big.jpg", raw), photos.Photo)
        monkeypatch.setattr(photos, "MAX_BYTES", 50_000)
        assert "larger than" in str(photos.obtain(f"{base}/big.jpg", raw))
    monkeypatch.setattr(photos, "MAX_BYTES", 10**9 - 1)
    with serving({"big.jpg": HALL}, length=10**9) as base:  # announced too large: not read at all
        assert "larger than" in str(photos.obtain(f"{base}/big.jpg", raw))


def test_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = LOOPBACK_PAGE
    monkeypatch.setattr(photos, "DEADLINE_SECONDS", 1)
    with serving({"slow.jpg": HALL}, delay=0.2) as base:
        reason = photos.obtain(f"{base}/slow.jpg", raw)
    assert isinstance(reason, str) and "no complete answer within 1 s" in reason


def test_saved_page_reads_nothing_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(HALL)
    (tmp_path / "site").mkdir()
    page_file = tmp_path / "site" / "page.html"
    raw = RawInput("page.html", b"", True, path=page_file)
    for address in ("../secret.jpg", "page_files/../../secret.jpg", "%2e%2e/secret.jpg"):
        assert "outside the page's folder" in str(photos.obtain(address, raw))
    (tmp_path / "site" / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    assert "outside the page's folder" in str(photos.obtain("link.jpg", raw))


# -- writing: never over an editor's work ----------------------------------------------------


def test_existing_files_are_never_overwritten(import_cli, tmp_path: Path) -> None:
    source = saved_page(tmp_path / "saved")
    content = tmp_path / "content"
    status, _, err = import_cli(str(source))  # without --images: a plain file
    assert status == 0, err
    [plain] = content.glob("*.md")
    status, _, err = import_cli(str(source), "--images")
    assert status == 1 and "exists as a single file" in err and "--force" in err
    assert not list(content.glob("*/")) or not list(content.glob("*/index.md"))
    status, _, err = import_cli(str(source), "--images", "--force")
    assert status == 0, err
    assert not plain.exists()  # one case, not two
    folder, _, _ = bundle_of(content)
    index = folder / "index.md"
    index.write_text(index.read_text("utf-8").replace("正式启用", "正式启用（编辑改）"), "utf-8")
    for picture in folder.glob("*.jpg"):
        picture.unlink()
    status, _, err = import_cli(str(source), "--images")
    assert status == 1 and "exists with different content" in err
    assert "（编辑改）" in index.read_text("utf-8") and not list(folder.glob("*.jpg"))  # nothing added either
    status, out, _ = import_cli(str(source))  # without --images the bundle stays the target
    assert status == 1 and not list(content.glob("*.md"))


def test_without_images_the_captions_go_to_the_report(import_cli, tmp_path: Path) -> None:
    source = saved_page(tmp_path / "saved")
    status, _, err = import_cli(str(source))
    assert status == 0, err
    [written] = (tmp_path / "content").glob("*.md")
    front, body = front_and_body(written.read_text("utf-8"))
    assert "改造后的党群服务中心大厅" not in body and "义务理发" not in body and "cover" not in front
    report = next((tmp_path / "content" / ".import").glob("*.txt")).read_text("utf-8")
    assert "[orphan_captions] ▲改造后的党群服务中心大厅。" in report
    assert "[orphan_captions] ▲志愿者为社区老人义务理发。" in report
    assert "[pictures]" not in report  # without --images no picture is looked at


def test_text_input_keeps_no_picture_and_no_orphan_caption(import_cli, tmp_path: Path) -> None:
    text = f"嵩阳社区党群服务中心启用\n{LONG}\n![](http://example.org/a.jpg)\n改造后的党群服务中心大厅\n{LONG}\n"
    (tmp_path / "a.txt").write_text(text, "utf-8")
    status, _, err = import_cli(str(tmp_path / "a.txt"), "--images")
    assert status == 0, err
    [written] = (tmp_path / "content").glob("*.md")
    assert "改造后的党群服务中心大厅" not in written.read_text("utf-8")


# -- the rules one by one --------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "reason"), [
    ('<img src="/u/2024/06/logo2.png">', "'logo'"),
    ('<img src="/images/wx_qrcode.jpg">', "qrcode"),
    ('<img src="/upload/ewm.png">', "'ewm'"),
    ('<img src="/static/erweima-gzh.jpg">', "erweima"),
    ('<img src="/img/share_weibo.png">', "'share'"),
    ('<img src="https://ad.doubleclick.example/x/12.jpg">', "'ad'"),
    ('<img src="/res/topbanner.jpg">', "banner"),
    ('<img src="/u/pixel.gif?u=1">', "'pixel'"),
    ('<img src="/u/a.jpg" alt="扫码关注公众号">', "扫码"),
    ('<img src="/u/a.jpg" alt="二维码">', "二维码"),
    ('<img src="/u/a.jpg" class="share-icon">', "share"),
    ('<img src="/u/a.jpg" id="ad-slot-3">', "ad"),
    ('<img src="/u/a.jpg" width="16" height="16">', "icon"),
    ('<img src="/u/a.jpg" style="width:48px;height:48px">', "icon"),
    ('<img src="/u/a.jpg" width="960" height="90">', "banner"),
    ('<img src="javascript:alert(1)">', "only http(s)"),
    ('<img src="ftp://example.org/a.jpg">', "only http(s)"),
])
def test_what_is_not_a_photo_by_its_tag(tag: str, reason: str) -> None:
    html = f"<html><body><h1>标题</h1><p>{LONG}</p><p>{tag}</p><p>{LONG}下一段。</p></body></html>"
    found, left = pictures.find(html, f"{LONG}\n{LONG}下一段。", "标题", "https://news.example.org/a.html")
    assert not found and len(left) == 1 and reason in left[0].reason, left


@pytest.mark.parametrize("tag", [
    '<img src="/upload/2024/06/W020240603512345678.jpg">',
    '<img src="/u/IMG_2034.JPG" alt="志愿者分享服务心得" width="600" height="400">',  # 分享 in a description
    '<img src="/u/adam_hall.jpg">',  # "ad" only as a whole word
    '<img src="/u/3ad4f9e1c2.jpg">',
    '<img src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg">',  # WeChat's photos
    '<img src="//img.example.org/2024/hall.jpg" width="100%">',
    '<a href="/u/big/hall.jpg"><img src="/u/hall.jpg"></a>',  # a link to its full size
    '<a href="https://img.example.org/x.html"><img src="/u/hall.jpg"></a>',  # the same site
])
def test_what_is_kept_by_its_tag(tag: str) -> None:
    html = f"<html><body><h1>标题</h1><p>{LONG}</p><p>{tag}</p><p>{LONG}下一段。</p></body></html>"
    found, left = pictures.find(html, f"{LONG}\n{LONG}下一段。", "标题", "https://news.example.org/a.html")
    assert len(found) == 1 and not left, left
    assert found[0].gap == 1 and found[0].source.startswith("https://")


def test_an_image_beside_no_article_text_is_left_out() -> None:
    html = f"<html><body><h1>标题</h1><p>{LONG}</p><div><p>其他新闻</p><img src='/u/x.jpg'><p>更多</p></div></body></html>"
    found, left = pictures.find(html, LONG, "标题", "https://news.example.org/a.html")
    assert not found and left[0].reason == "not beside the article's text"


@pytest.mark.parametrize(("data", "reason"), [
    (photo(800, 600, 11), None),
    (photo(640, 480, 12, "PNG"), None),
    (photo(500, 500, 13, "WEBP"), None),
    (SPACER, "1x1 pixels"),
    (qr_code(), "QR code"),
    (logo(), "logo"),
    (photo(1200, 100, 14), "banner"),
    (photo(120, 120, 15), "icon"),
    (animation(), "an animation"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'>" + b" " * 4000 + b"</svg>", "cannot be read"),
])
def test_what_is_a_photo_by_its_bytes(data: bytes, reason: str | None) -> None:
    judged = photos.judge(data, "x")
    if reason is None:
        assert isinstance(judged, photos.Photo) and judged.name == digest(data) + "." + judged.name.split(".")[1]
    else:
        assert isinstance(judged, str) and reason in judged, judged


def test_photo_lines_survive_the_passes_and_take_their_captions() -> None:
    """A kept photo's line is never taken for furniture (first or last line included), and
    becomes an image block with the caption right below it, else the one right above it."""
    from casebook.importer.lines import picture_line
    from casebook.importer.passes import clean
    from casebook.importer.structure import parse

    text = "\n".join(["标题在此", picture_line(0), LONG, "▲上图：社区食堂一角。", picture_line(1),
                      f"{LONG}另一段。", picture_line(2), "▲居民在议事厅协商。", picture_line(3)])
    cleaned = clean(text)
    assert [line for line in cleaned.text.split("\n") if line.startswith("![")] == [picture_line(i) for i in range(4)]
    blocks = parse(cleaned.text).blocks
    assert [(b.kind, b.text, b.picture) for b in blocks if b.kind in ("image", "caption")] == [
        ("image", "", "0"), ("image", "上图：社区食堂一角。", "1"), ("image", "居民在议事厅协商。", "2"), ("image", "", "3")]
