"""``import --images`` on page layouts the importer was not written against: each page below
is modelled on a common Chinese CMS or news layout (a TRS government portal, a table-laid
old county site, a provincial news site with ``srcset``, ``<picture>``, a WeChat article, a
DedeCMS site, a related-news strip, pages with nothing of their own) and carries the
furniture real pages carry. Each page states which pictures the bundle keeps, in which order
and with which caption; everything else must stay out. Pictures are drawn with Pillow
(:mod:`.test_images`): photos are gradients under noise, QR codes and logos flat colours."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from casebook.importer import photos
from casebook.importer.convert import Context, Imported, convert
from casebook.importer.fetch import RawInput

from .conftest import PRACTICES, front_and_body
from .test_images import SPACER, animation, logo, photo, qr_code, serving

P1 = "2024年以来，街道党工委坚持以党建引领基层治理，将辖区划分为32个网格，每个网格配备专职网格员和楼栋长，推行“网格吹哨、部门报到”工作机制，累计解决群众急难愁盼问题1200余件。"
P2 = "在老旧小区改造中，社区召开居民议事会18场，围绕加装电梯、停车位划线、垃圾分类投放点选址等事项充分听取意见，形成“居民提事、议事会议事、两委决事、群众评事”的闭环。"
P3 = "社区还依托党群服务中心开设老年食堂和四点半课堂，组织党员志愿者开展助餐、助浴、助医服务，辖区60岁以上独居老人全部纳入结对帮扶名单，每周至少上门走访一次。"
P4 = "下一步，街道将持续深化“红色物业”建设，推动物业企业、业主委员会和社区党组织协同发力，把矛盾纠纷化解在基层、解决在萌芽状态，不断增强居民群众的获得感和幸福感。"


def jpeg_qr() -> bytes:
    """A QR code saved as a JPEG (compression blurs its edges into many near colours)."""
    out = io.BytesIO()
    Image.open(io.BytesIO(qr_code(430))).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def gif_photo(seed: int) -> bytes:
    """A still photo saved as a one-frame GIF (older county sites publish these)."""
    out = io.BytesIO()
    Image.open(io.BytesIO(photo(640, 480, seed))).convert("P", palette=Image.Palette.ADAPTIVE).save(out, "GIF")
    return out.getvalue()


def icon(side: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Layout:
    """One page: its HTML (given the folder or address its files are under), its files, the
    pictures the bundle keeps in order with their captions, and whether it is served over
    HTTP (a page fetched by URL) or saved beside its files (a page saved by a browser)."""

    html: Callable[[str], str]
    files: dict[str, bytes]
    kept: list[tuple[str, str | None]]
    served: bool = False


def gov_trs(f: str) -> str:
    """A TRS government portal: lazy images behind ``loading.gif``, centred photo paragraphs
    with the caption in the next centred paragraph, an editor's QR code under 责任编辑."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某街道党建引领基层治理见实效_某某区人民政府</title>
<meta name="ArticleTitle" content="某某街道党建引领基层治理见实效"><meta name="PubDate" content="2024-06-03 10:20"></head>
<body><div class="top"><img src="{f}/images/logo_zf.png"><div class="search"><input></div></div>
<div class="dh"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<div class="con"><h1>某某街道党建引领基层治理见实效</h1>
<div class="xx">发布时间：2024-06-03 来源：某某街道办事处 <span>【字体：大 中 小】</span></div>
<div class="TRS_Editor"><p>{P1}</p>
<p style="text-align: center;"><img src="{f}/images/loading.gif" data-original="{f}/W020240603512345678.jpg" oldsrc="W020240603512345678.jpg"></p>
<p style="text-align: center;">图为网格员入户走访独居老人。</p>
<p>{P2}</p>
<p style="text-align: center;"><img src="{f}/images/loading.gif" data-original="{f}/W020240603512345999.jpg"></p>
<p style="text-align: center;">居民议事会现场（李明 摄）</p>
<p>{P3}</p><p>{P4}</p></div>
<div class="bjxx"><p>责任编辑：王芳</p><p><img src="{f}/W020230101000111222.jpg"></p></div>
<div class="bdsharebuttonbox"><a class="bds_weixin"><img src="{f}/images/wx.png"></a></div></div>
<div class="foot"><img src="{f}/images/dzjg.png"><p>主办：某某区人民政府办公室</p></div></body></html>"""


GOV_TRS = Layout(gov_trs, {
    "W020240603512345678.jpg": photo(1024, 683, 21), "W020240603512345999.jpg": photo(900, 600, 22),
    "W020230101000111222.jpg": jpeg_qr(), "images/loading.gif": SPACER, "images/logo_zf.png": logo(),
    "images/wx.png": icon(), "images/dzjg.png": logo(),
}, [("W020240603512345678.jpg", "图为网格员入户走访独居老人。"), ("W020240603512345999.jpg", "居民议事会现场")])


def county_table(f: str) -> str:
    """An old county site laid out in tables: each photo in a one-cell table with its caption
    in the next row, one of them a still GIF; a 1x1 counter and a banner-sized ad cell."""
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>县城关镇推行“院坝会”议事</title></head>
<body><table width="100%"><tr><td><img src="{f}/top.jpg" width="1000" height="120"></td></tr></table>
<table width="760" align="center"><tr><td class="title"><h2>县城关镇推行“院坝会”议事</h2></td></tr>
<tr><td class="content"><p>　　{P1}</p>
<table width="500" border="0" align="center"><tr><td align="center"><img src="{f}/20240603_01.jpg" border="0"></td></tr>
<tr><td align="center">图为城关镇干部在院坝会上听取群众意见</td></tr></table>
<p>　　{P2}</p>
<table width="500" border="0" align="center"><tr><td align="center"><img src="{f}/20240603_02.gif" border="0"></td></tr>
<tr><td align="center">村民代表举手表决</td></tr></table>
<p>　　{P3}</p><p>　　{P4}</p>
<p><img src="{f}/count.gif" width="1" height="1"></p></td></tr></table>
<table><tr><td><a href="http://www.example-shop.com/promo"><img src="{f}/hd.jpg"></a></td></tr></table>
</body></html>"""


COUNTY_TABLE = Layout(county_table, {
    "20240603_01.jpg": photo(800, 533, 23), "20240603_02.gif": gif_photo(24), "top.jpg": photo(1000, 120, 25),
    "count.gif": SPACER, "hd.jpg": photo(300, 250, 26),
}, [("20240603_01.jpg", "图为城关镇干部在院坝会上听取群众意见"), ("20240603_02.gif", "村民代表举手表决")])


def news_srcset(f: str) -> str:
    """A provincial news site fetched by URL: ``srcset`` offering a wider version than ``src``,
    a share bar of icons, a 1x1 tracker and an ad linking to another site."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>小区议事厅里的“关键小事”_新闻中心_某某网</title>
<meta property="og:title" content="小区议事厅里的“关键小事”"></head><body>
<header class="site-header"><a href="/"><img src="{f}/static/brand.png" alt="某某网"></a></header>
<article class="article"><h1>小区议事厅里的“关键小事”</h1><div class="meta">2024-06-04 08:30 来源：某某日报</div>
<p>{P1}</p>
<figure class="image"><img src="{f}/2024/06/hall-480.jpg" srcset="{f}/2024/06/hall-480.jpg 480w, {f}/2024/06/hall-1200.jpg 1200w" sizes="(max-width: 600px) 100vw, 800px" alt="">
<figcaption>居民在小区议事厅协商停车位划线方案。</figcaption></figure>
<p>{P2}</p><p>{P3}</p>
<p><a href="https://mall.example-ads.com/item/8"><img src="{f}/2024/06/x8.jpg"></a></p>
<p>{P4}</p>
<img src="{f}/c.gif?t=1717000000" width="1" height="1" style="display:none">
<div class="article-share">分享到：<img src="{f}/static/s1.png"><img src="{f}/static/s2.png"></div></article>
<footer><p>某某网版权所有</p></footer></body></html>"""


NEWS_SRCSET = Layout(news_srcset, {
    "2024/06/hall-480.jpg": photo(480, 320, 27), "2024/06/hall-1200.jpg": photo(1200, 800, 27),
    "2024/06/x8.jpg": photo(300, 250, 28), "c.gif": SPACER, "static/brand.png": logo(),
    "static/s1.png": icon(), "static/s2.png": icon(),
}, [("2024/06/hall-1200.jpg", "居民在小区议事厅协商停车位划线方案。")], served=True)


def picture_element(f: str) -> str:
    """``<picture>`` with WebP sources before the JPEG ``<img>``; one lazy, its address only in
    its sources' ``data-srcset`` and its ``<img>``'s ``data-src``."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>“红色物业”让小区焕新颜</title></head><body>
<div class="logo"><img src="{f}/assets/site.png"></div>
<main><h1>“红色物业”让小区焕新颜</h1><p class="time">2024-06-05</p>
<p>{P1}</p>
<picture><source type="image/webp" srcset="{f}/up/a.webp"><img src="{f}/up/a.jpg" alt="改造后的小区"></picture>
<p>{P2}</p>
<picture><source type="image/webp" data-srcset="{f}/up/b.webp"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{f}/up/b.jpg" class="lazyload"></picture>
<p>物业人员为居民维修水管。</p>
<p>{P3}</p><p>{P4}</p></main></body></html>"""


PICTURE_ELEMENT = Layout(picture_element, {
    "up/a.jpg": photo(960, 640, 29), "up/a.webp": photo(960, 640, 29, "WEBP"),
    "up/b.jpg": photo(800, 600, 30), "up/b.webp": photo(800, 600, 30, "WEBP"), "assets/site.png": logo(),
}, [("up/a.jpg", None), ("up/b.jpg", "物业人员为居民维修水管。")], served=True)


def wechat(f: str) -> str:
    """A WeChat official-account article: ``data-src`` on mmbiz-like paths with ``wx_fmt``
    instead of an extension, captions in small grey sections, an animated divider, the
    account's avatar and a QR code to follow it at the end."""
    mm = f"{f}/mmbiz_jpg/Qx8fA2"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>网格里的温暖</title>
<meta property="og:title" content="网格里的温暖"></head><body>
<div id="js_article" class="rich_media"><h1 class="rich_media_title" id="activity-name">网格里的温暖</h1>
<div id="meta_content"><span class="rich_media_meta">某某社区</span><em id="publish_time">2024-06-06</em></div>
<div class="rich_media_content js_underline_content" id="js_content">
<section><p><span>{P1}</span></p></section>
<section style="text-align:center"><img class="rich_pages wxw-img" data-src="{mm}/1/640?wx_fmt=jpeg" data-type="jpeg" data-w="1080" data-ratio="0.666"></section>
<section style="text-align:center"><span style="font-size:12px;color:#888">网格员为居民代缴水电费</span></section>
<section><p><span>{P2}</span></p></section>
<section><img data-src="{f}/mmbiz_gif/Qx8fA2/3/640?wx_fmt=gif" data-type="gif" data-w="640"></section>
<section><p><span>{P3}</span></p></section>
<section style="text-align:center"><img class="rich_pages wxw-img" data-src="{mm}/2/640?wx_fmt=jpeg" data-type="jpeg"></section>
<section style="text-align:center"><span style="font-size:12px;color:#888">社区食堂里的老人</span></section>
<section><p><span>{P4}</span></p></section>
<section style="text-align:center"><img class="rich_pages" data-src="{f}/mmbiz_png/Qx8fA2/4/640?wx_fmt=png" data-type="png"></section>
<section style="text-align:center"><p>长按识别二维码</p></section>
</div>
<div class="profile_inner"><img class="profile_avatar" src="{f}/mmhead/Qx8fA2/0" alt=""></div></div>
</body></html>"""


WECHAT = Layout(wechat, {
    "mmbiz_jpg/Qx8fA2/1/640": photo(1080, 720, 31), "mmbiz_jpg/Qx8fA2/2/640": photo(1080, 720, 32),
    "mmbiz_gif/Qx8fA2/3/640": animation(), "mmbiz_png/Qx8fA2/4/640": qr_code(430), "mmhead/Qx8fA2/0": photo(132, 132, 33),
}, [("mmbiz_jpg/Qx8fA2/1/640", "网格员为居民代缴水电费"), ("mmbiz_jpg/Qx8fA2/2/640", "社区食堂里的老人")], served=True)


def related_strip(f: str) -> str:
    """A news page whose article is followed by a strip of related-news thumbnails, each a
    photo linking to another article of the same site, in a box no furniture word names."""
    items = "".join(f'<li><a href="/news/2024/06/0{i}/1234{i}.shtml"><img src="{f}/thumb/t{i}.jpg"></a>'
                    f'<a href="/news/2024/06/0{i}/1234{i}.shtml">某地第{i}期社区议事经验交流</a></li>' for i in (1, 2, 3))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>楼道议事会议出好办法</title></head><body>
<div class="w1200"><h1>楼道议事会议出好办法</h1><div class="source">2024-06-07 来源：某某晚报</div>
<div class="article_con"><p>{P1}</p><p>{P2}</p>
<p><img src="{f}/pic/20240607/main.jpg" style="width:600px"></p>
<p>{P3}</p><p>{P4}</p></div>
<div class="xgxw"><div class="tit">相关新闻</div><ul>{items}</ul></div></div></body></html>"""


RELATED_STRIP = Layout(related_strip, {
    "pic/20240607/main.jpg": photo(1000, 667, 34),
    **{f"thumb/t{i}.jpg": photo(400, 300, 34 + i) for i in (1, 2, 3)},
}, [("pic/20240607/main.jpg", None)])


def dede(f: str) -> str:
    """A DedeCMS site: ``/uploads/allimg`` photos sized by inline style, alt the headline, a
    WeChat QR code among the template's images, a previous/next pair with thumbnails."""
    return f"""<html><head><meta charset="utf-8"><title>村规民约立起来 乡风文明树起来_某某新闻网</title></head><body>
<div class="head"><img src="{f}/templets/default/images/lg.png"></div>
<div class="viewbox"><div class="title"><h2>村规民约立起来 乡风文明树起来</h2></div>
<div class="info">时间:2024-06-08 来源:某某新闻网 作者:张敏</div>
<div class="content"><p>{P1}</p>
<p align="center"><img src="{f}/uploads/allimg/240608/1-24060Q01Z0.jpg" style="width: 600px; height: 400px;" alt="村规民约立起来 乡风文明树起来"></p>
<p>{P2}</p><p>{P3}</p><p>{P4}</p>
<p align="center"><img src="{f}/templets/default/images/weixin.jpg" alt="村规民约立起来 乡风文明树起来"></p></div>
<div class="context"><ul><li>上一篇：<a href="/a/2024/0607/5.html"><img src="{f}/uploads/allimg/240607/5-lp.jpg">社区开展夏季消防演练</a></li>
<li>下一篇：<a href="/a/2024/0609/7.html"><img src="{f}/uploads/allimg/240609/7-lp.jpg">老旧小区加装电梯提速</a></li></ul></div></div>
</body></html>"""


DEDE = Layout(dede, {
    "uploads/allimg/240608/1-24060Q01Z0.jpg": photo(900, 600, 38), "templets/default/images/lg.png": logo(),
    "templets/default/images/weixin.jpg": jpeg_qr(), "uploads/allimg/240607/5-lp.jpg": photo(400, 300, 39),
    "uploads/allimg/240609/7-lp.jpg": photo(400, 300, 40),
}, [("uploads/allimg/240608/1-24060Q01Z0.jpg", None)])


def nothing_own(f: str) -> str:
    """An article with no photo of its own: a topic banner at its top, a QR code under a
    neutral name after the editor's line, share icons, an ad, a tracker."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>我区召开基层治理工作推进会</title></head><body>
<div id="header"><img src="{f}/res/head.jpg"></div>
<div class="article-main"><h1>我区召开基层治理工作推进会</h1><p class="date">2024-06-09</p>
<p><a href="/zt/jcjl/index.html"><img src="{f}/res/zt_jcjl.jpg"></a></p>
<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p>
<p>（责任编辑：刘洋）</p><p><img src="{f}/res/12345.jpg"></p><p>扫一扫在手机打开当前页</p>
<p><img src="{f}/res/i_wb.png"> <img src="{f}/res/i_wx.png"></p>
<p><a href="https://union.example-ads.cn/click?id=9"><img src="{f}/res/p300.jpg"></a></p>
<img src="{f}/res/t.gif" width="0" height="0"></div></body></html>"""


NOTHING_OWN = Layout(nothing_own, {
    "res/head.jpg": photo(1200, 200, 41), "res/zt_jcjl.jpg": photo(1000, 150, 42), "res/12345.jpg": jpeg_qr(),
    "res/i_wb.png": icon(), "res/i_wx.png": icon(24), "res/p300.jpg": photo(300, 250, 43), "res/t.gif": SPACER,
}, [])


def gallery_list(f: str) -> str:
    """A channel's list page: every picture a thumbnail linking to an article; nothing is its own."""
    items = "".join(f'<li><a href="/xwzx/2024/06/{i}.html"><img src="{f}/list/{i}.jpg"></a>'
                    f'<h3><a href="/xwzx/2024/06/{i}.html">第{i}条社区新闻的标题写在这里</a></h3><p>{p}</p></li>'
                    for i, p in enumerate((P1, P2, P3, P4), 1))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>社区动态_某某网</title></head><body>
<div class="nav"><a href="/">首页</a></div><h1>社区动态</h1><ul class="list">{items}</ul></body></html>"""


GALLERY_LIST = Layout(gallery_list, {f"list/{i}.jpg": photo(400, 300, 44 + i) for i in (1, 2, 3, 4)}, [])

LAYOUTS = {
    "gov_trs": GOV_TRS, "county_table": COUNTY_TABLE, "news_srcset": NEWS_SRCSET, "picture_element": PICTURE_ELEMENT,
    "wechat": WECHAT, "related_strip": RELATED_STRIP, "dede": DEDE, "nothing_own": NOTHING_OWN,
    "gallery_list": GALLERY_LIST,
}


@pytest.fixture(scope="module")
def images_ctx() -> Context:
    return Context.load(PRACTICES, images=True)


def imported(layout: Layout, folder: Path, ctx: Context) -> Imported:
    """The page imported with ``--images``: fetched from a server on 127.0.0.1, or saved by a
    browser in ``folder`` (``page.html`` and ``page_files/``)."""
    if layout.served:
        with serving(layout.files) as base:
            html = layout.html(base)
            raw = RawInput("page.html", html.encode("utf-8"), True, url=f"{base}/news/page.html", private=True)
            return convert(raw, ctx)
    for name, data in layout.files.items():
        (folder / "page_files" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "page_files" / name).write_bytes(data)
    page = folder / "page.html"
    page.write_text("<!-- saved from url=(0039)https://www.example.gov.cn/a/1234.html -->\n"
                    + layout.html("./page_files"), "utf-8")
    return convert(RawInput(page.name, page.read_bytes(), True, path=page), ctx)


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_bundle_holds_the_articles_pictures_in_order_with_their_captions(
        name: str, tmp_path: Path, images_ctx: Context) -> None:
    layout = LAYOUTS[name]
    result = imported(layout, tmp_path, images_ctx)
    _, body = front_and_body(result.markdown)
    by_bytes = {data: file for file, data in layout.files.items()}
    shown = [(by_bytes.get(result.pictures[target]), alt or None)
             for alt, target in re.findall(r"!\[([^\]]*)\]\(([^)\s]+)\)", body)]
    assert shown == layout.kept, result.report
    assert len(result.pictures) == len(layout.kept)
    for _, caption in layout.kept:  # a caption is its picture's, never also a line of its own
        assert caption is None or body.count(caption) == 1
    reported = [line for line in result.report.splitlines() if line.startswith("[pictures]")]
    kept_files = {file for file, _ in layout.kept}
    placeholders = {"images/loading.gif"}  # a lazy image's stand-in is not an image of the page
    for file in set(layout.files) - kept_files - placeholders - {"2024/06/hall-480.jpg", "up/a.webp", "up/b.webp"}:
        assert any(f"/{file}" in line for line in reported), (file, reported)  # every other one says why


def test_a_jpeg_qr_code_under_a_neutral_name_is_a_graphic() -> None:
    judged = photos.judge(jpeg_qr(), "https://www.example.gov.cn/W020230101000111222.jpg")
    assert isinstance(judged, str) and "QR code" in judged


# -- privacy: what a downloaded original must not carry into content/ --------------------------


def with_location(kind: str) -> bytes:
    """A photo as a phone writes it: GPS position, maker, serial number, orientation 6 (and,
    for a JPEG, an XMP packet and a comment)."""
    image = Image.open(io.BytesIO(photo(800, 600, 50))).convert("RGB")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "PhoneMaker", "Model X", 6
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 14.0, 52.5), 3: "E", 4: (121.0, 28.0, 11.0)})
    exif.get_ifd(0x8769)[0xA431] = "SN-000123456"  # BodySerialNumber
    out = io.BytesIO()
    extra = {"xmp": b"<x:xmpmeta><GPSLatitude>31,14.875N</GPSLatitude></x:xmpmeta>", "comment": b"home",
             "quality": 88} if kind == "JPEG" else {}
    image.save(out, kind, exif=exif, **extra)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_kept_photo_loses_its_location_and_keeps_its_pixels_and_orientation(kind: str) -> None:
    original = with_location(kind)
    assert b"SN-000123456" in original and b"PhoneMaker" in original
    kept = photos.judge(original, "https://www.example.gov.cn/a.jpg")
    assert isinstance(kept, photos.Photo)
    for secret in (b"SN-000123456", b"PhoneMaker", b"Model X", b"GPSLatitude", b"home"):
        assert secret not in kept.data, secret
    with Image.open(io.BytesIO(kept.data)) as image, Image.open(io.BytesIO(original)) as before:
        exif = image.getexif()
        assert dict(exif) == {0x0112: 6} and not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769)
        assert "xmp" not in image.info and "comment" not in image.info
        assert image.tobytes() == before.tobytes()  # the same pixels: nothing re-encoded
    if kind == "JPEG":  # the image data itself is copied byte for byte
        assert kept.data[kept.data.index(b"\xff\xda"):] == original[original.index(b"\xff\xda"):]
    assert kept.name.startswith(hashlib.sha256(kept.data).hexdigest()[:16])  # named by what is stored


def test_a_photo_without_metadata_is_stored_as_it_came() -> None:
    original = photo(800, 600, 51)
    kept = photos.judge(original, "x")
    assert isinstance(kept, photos.Photo) and kept.data == original
