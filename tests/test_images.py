"""Page bundles and their pictures (issue 16): markup, errors, privacy, sizes and the cache."""

from __future__ import annotations

import builtins
import io
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from casebook import images
from casebook.cache import FINE_RACY_NS
from casebook.config import load_config
from casebook.errors import CasebookError
from casebook.pipeline import build

from .conftest import tree

FRONT = "title: 青石社区照片\nprovince: 浙江省\npractices: [党群服务阵地]\nslug: photos\n"


def photo(width: int = 1000, height: int = 700, colour: tuple[int, int, int] = (200, 80, 60),
          exif: Image.Exif | None = None) -> bytes:
    img = Image.new("RGB", (width, height), colour)
    img.paste((20, 40, 160), (0, 0, width // 3, height // 5))  # a mark in the top-left corner
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, **({"exif": exif} if exif is not None else {}))
    return buf.getvalue()


@pytest.fixture
def site(project: Path) -> Path:
    """The project with one plain case besides one page bundle, ``content/photos/``."""
    for path in sorted((project / "content").iterdir())[1:]:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    bundle = project / "content" / "photos"
    bundle.mkdir()
    (bundle / "hall.jpg").write_bytes(photo())
    (bundle / "yard.jpg").write_bytes(photo(colour=(60, 160, 80)))
    write_bundle(project, "cover: yard.jpg\n", "开头一段。\n\n![大厅里的居民](hall.jpg)\n\n中间一段。\n\n"
                 "![](yard.jpg \"院子\")\n\n文中 ![小图](hall.jpg) 一张。\n")
    return project


def write_bundle(project: Path, front: str, body: str) -> None:
    (project / "content" / "photos" / "index.md").write_text(f"---\n{FRONT}{front}---\n\n{body}", "utf-8")


def run(project: Path, **settings: object) -> Path:
    config = load_config(project / "site.yaml", {"search": False, **settings})
    build(config, workers=1)
    return config.output_dir


def page(out: Path) -> str:
    return (out / "cases" / "photos" / "index.html").read_text("utf-8")


def test_a_bundle_becomes_figures_with_srcset_sizes_and_captions(site: Path) -> None:
    out = run(site)
    html = page(out)
    body = html[html.index('class="prose'):]
    figures = re.findall(r'<figure class="photo">.*?</figure>', body, re.DOTALL)
    assert len(figures) == 2  # the third picture is inside a line of text: no figure
    first = figures[0]
    assert "<figcaption>大厅里的居民</figcaption>" in first and 'alt="大厅里的居民"' in first
    assert 'height="700"' in first and 'width="1000"' in first and 'loading="lazy"' in first and 'decoding="async"' in first
    assert re.search(r'<source sizes="[^"]+" srcset="/photos/hall-\w+-480\.webp 480w, /photos/hall-\w+-800\.webp '
                     r'800w, /photos/hall-\w+-1000\.webp 1000w" type="image/webp">', first)
    assert re.search(r'<a class="photo-link" href="/photos/hall-\w+\.jpg"', first)  # full size: a plain link
    assert 'alt="青石社区照片"' in figures[1] and 'title="院子"' in figures[1] and "<figcaption>" not in figures[1]
    assert '<picture>' in body.split("</figure>")[-1]  # the inline one
    cover = html[html.index('class="photo cover"'):]
    assert 'fetchpriority="high"' in cover.split("</figure>")[0] and 'loading="lazy"' not in cover.split("</figure>")[0]
    assert re.search(r'<meta property="og:image" content="http://localhost:8000/photos/yard-\w+-1000\.jpg">', html)
    for url in re.findall(r'/photos/[\w.-]+', html):
        assert (out / url.lstrip("/")).is_file(), url
    assert "<picture>" in (out / "index.html").read_text("utf-8")  # the card shows the cover


def test_the_sub_path_base_url_prefixes_every_picture_url(site: Path) -> None:
    html = page(run(site, base_url="https://example.org/showcase/"))
    urls = re.findall(r'(?:src|href|srcset)="(/[^"]*photos/[^"]*)"', html)
    assert urls and all(u.startswith("/showcase/photos/") for u in urls)
    assert all(u.startswith("/showcase/") for u in re.findall(r'(/\S*photos/\S+) \d+w', html))


def test_without_a_cover_the_first_picture_is_not_lazy(site: Path) -> None:
    write_bundle(site, "", "![一](hall.jpg)\n\n![二](yard.jpg)\n")
    imgs = re.findall(r"<img [^>]*>", page(run(site)))
    assert 'fetchpriority="high"' in imgs[0] and "loading" not in imgs[0] and 'loading="lazy"' in imgs[1]


def test_a_missing_or_unreadable_picture_is_an_error_at_its_line(site: Path) -> None:
    (site / "content" / "photos" / "bad.jpg").write_bytes(b"not a picture")
    write_bundle(site, "cover: gone.jpg\n", "一段。\n\n![不在](missing.jpg)\n\n![坏](bad.jpg)\n")
    with pytest.raises(CasebookError) as exc:
        run(site)
    text = str(exc.value)
    assert "content/photos/index.md:6: picture 'gone.jpg' not found" in text
    assert "content/photos/index.md:11: picture 'missing.jpg' not found" in text
    assert "content/photos/index.md:13: picture 'bad.jpg' is not a readable image" in text


def test_a_picture_in_a_plain_case_file_asks_for_a_bundle(site: Path) -> None:
    plain = next((site / "content").glob("*.md"))
    plain.write_text(plain.read_text("utf-8") + "\n![图](hall.jpg)\n", "utf-8")
    with pytest.raises(CasebookError, match=r"a case with pictures is a folder, content/<slug>/index\.md"):
        run(site)


def test_a_picture_over_the_size_limit_is_an_error(site: Path) -> None:
    with (site / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("max_picture_mb: 1\n")
    (site / "content" / "photos" / "hall.jpg").write_bytes(photo() + b"\0" * 1_100_000)
    with pytest.raises(CasebookError, match=r"content/photos/index\.md:11: picture 'hall\.jpg' is 1\.\d MB; "
                                            r"pictures may be at most 1 MB"):
        run(site)


def test_exif_orientation_is_applied_and_location_is_stripped(site: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: shown 700 wide, 1000 high
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 52.0, 1.0), 3: "E", 4: (120.0, 5.0, 2.0)})  # GPS
    source = photo(exif=exif)
    assert b"PhoneMaker" in source
    (site / "content" / "photos" / "hall.jpg").write_bytes(source)
    out = run(site)
    assert 'height="1000"' in page(out) and 'width="700"' in page(out)
    published = sorted((out / "photos").glob("hall-*"))
    assert {p.name.rsplit("-", 1)[-1] for p in published if p.name.count("-") == 2} == \
        {"480.webp", "480.jpg", "700.webp", "700.jpg"}
    for path in published:
        data = path.read_bytes()
        assert b"Exif" not in data and b"PhoneMaker" not in data and b"GPS" not in data, path.name
        with Image.open(path) as img:
            assert not img.getexif() and img.width < img.height
            corner = img.convert("RGB").getpixel((img.width - 5, 5))  # the mark, turned to the top-right
            assert corner[2] > 120 and corner[0] < 80, (path.name, corner)


#: Display P3 (a phone camera's colour space) as an ICC matrix/TRC profile: its primaries
#: adapted to D50 (XYZ), gamma 2.2 for a simple tone curve.
P3_PRIMARIES = ((0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841))
D50 = (0.9642, 1.0, 0.8249)
#: XYZ (D50) to linear sRGB: the inverse of sRGB's D50-adapted primaries (Bradford).
XYZ_TO_SRGB = ((3.1339, -1.6169, -0.4907), (-0.9785, 1.9160, 0.0334), (0.0720, -0.2290, 1.4057))


def p3_profile() -> bytes:
    """An ICC v2 RGB display profile with P3 primaries, written field by field (ICC.1:2001)."""
    def s15(v: float) -> bytes:
        return int(round(v * 65536)).to_bytes(4, "big", signed=True)

    def xyz(v: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(map(s15, v))

    curve = b"curv\0\0\0\0" + (1).to_bytes(4, "big") + int(2.2 * 256).to_bytes(2, "big") + b"\0\0"
    text = b"desc\0\0\0\0" + (8).to_bytes(4, "big") + b"test P3\0" + bytes(4 + 4 + 2 + 1 + 67)
    text += bytes(-len(text) % 4)
    tags = [(b"desc", text), (b"wtpt", xyz(D50)), (b"rXYZ", xyz(P3_PRIMARIES[0])), (b"gXYZ", xyz(P3_PRIMARIES[1])),
            (b"bXYZ", xyz(P3_PRIMARIES[2])), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        table += sig + (offset + len(data)).to_bytes(4, "big") + len(body).to_bytes(4, "big")
        data += body
    size = offset + len(data)
    header = (size.to_bytes(4, "big") + bytes(4) + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + bytes(12) + b"acsp"
              + bytes(24) + bytes(4) + b"".join(map(s15, D50)) + bytes(4) + bytes(16) + bytes(28))
    assert len(header) == 128
    return header + len(tags).to_bytes(4, "big") + table + data


def p3_as_srgb(rgb: tuple[int, int, int]) -> tuple[int, ...]:
    """What a P3 colour is in sRGB, by the matrices above: the oracle, independent of LittleCMS."""
    linear = [(c / 255) ** 2.2 for c in rgb]
    x_y_z = [sum(P3_PRIMARIES[j][i] * linear[j] for j in range(3)) for i in range(3)]
    out = [min(1.0, max(0.0, sum(XYZ_TO_SRGB[i][k] * x_y_z[k] for k in range(3)))) for i in range(3)]
    return tuple(round(255 * (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)) for v in out)


@pytest.mark.parametrize("profile", ["P3", "broken", "none"])
def test_colours_are_published_in_srgb(site: Path, profile: str) -> None:
    """A phone's picture in Display P3 is converted to sRGB: its files carry no profile, and
    read as sRGB its colours would come out dull. A broken profile is ignored."""
    colour = (200, 90, 60)
    img = Image.new("RGB", (600, 400), colour)
    buf = io.BytesIO()
    icc = {"P3": p3_profile(), "broken": b"not a profile", "none": None}[profile]
    img.save(buf, "PNG", **({"icc_profile": icc} if icc else {}))
    (site / "content" / "photos" / "hall.png").write_bytes(buf.getvalue())
    write_bundle(site, "", "![大厅](hall.png)\n")
    out = run(site)
    published = next((out / "photos").glob("hall-*-480.jpg"))
    with Image.open(published) as shown:
        assert "icc_profile" not in shown.info
        got = shown.convert("RGB").getpixel((300, 200))
    expected = p3_as_srgb(colour) if profile == "P3" else colour
    assert all(abs(g - e) <= 3 for g, e in zip(got, expected)), (got, expected)
    if profile == "P3":
        assert max(abs(g - c) for g, c in zip(got, colour)) >= 10, "P3 read as sRGB"


def test_a_narrow_picture_is_never_upscaled(site: Path) -> None:
    (site / "content" / "photos" / "hall.jpg").write_bytes(photo(300, 200))
    out = run(site)
    widths = {Image.open(p).width for p in (out / "photos").glob("hall-*")}
    assert widths == {300}
    assert re.search(r"hall-\w+-300\.webp 300w\"", page(out))


def test_pictures_are_encoded_once_and_again_only_when_changed(site: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[str] = []
    real = images.encode_picture
    monkeypatch.setattr(images, "encode_picture", lambda data, p: encoded.append(p.name) or real(data, p))
    out = run(site)
    assert sorted(encoded) == ["hall.jpg", "yard.jpg"]
    first = tree(out)
    encoded.clear()
    write_bundle(site, "cover: yard.jpg\n", "改过的开头。\n\n![大厅里的居民](hall.jpg)\n\n![](yard.jpg)\n")
    run(site)
    assert encoded == []  # a body edit: no picture encoded again
    (site / "content" / "photos" / "hall.jpg").write_bytes(photo(colour=(10, 10, 10)))
    run(site)
    assert encoded == ["hall.jpg"]
    after = tree(out)
    assert after["cases/photos/index.html"] != first["cases/photos/index.html"]
    clean = tree(_clean_build(site))
    assert {k: v for k, v in after.items() if not k.startswith(".")} == \
        {k: v for k, v in clean.items() if not k.startswith(".")}


def test_a_build_reads_only_the_pictures_it_writes(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Published pictures are planned by their names in the cache's store (casebook.plan.Stored),
    not by their bytes: a build that leaves them as they are does not open them."""
    time.sleep(2 * FINE_RACY_NS / 1e9)  # the photos' stat proves their content (see casebook.cache.settled)
    out = run(site)
    opened: list[str] = []
    real = io.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file) if isinstance(file, (str, os.PathLike)) else "")
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(builtins, "open", spy)
    content = site / "content"
    plain = next(content.glob("*.md"))
    plain.write_text(plain.read_text("utf-8") + "\n新加的一段。\n", "utf-8")
    assert run(site) == out
    assert not [p for p in opened if p.endswith((".jpg", ".webp"))]  # neither the photos nor their files
    write_bundle(site, "cover: yard.jpg\n", "改过的开头。\n\n![大厅里的居民](hall.jpg)\n\n![](yard.jpg)\n")
    opened.clear()
    run(site)
    published = [p for p in opened if p.endswith((".jpg", ".webp")) and not p.startswith(str(content))]
    assert published == []  # the case's text changed: its photos are read again, their published files not
    monkeypatch.undo()
    assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == \
        {k: v for k, v in tree(_clean_build(site)).items() if not k.startswith(".")}


def _published(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site by its inode and mtime: which files a build replaced."""
    return {str(f.relative_to(out)): (f.stat().st_ino, f.stat().st_mtime_ns) for f in out.rglob("*") if f.is_file()}


def test_a_picture_added_to_or_changed_in_a_body_plans_only_that_case(site: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Listings show a case's cover, not the pictures of its body: adding one or changing one
    is planned as a body edit (casebook.plan.body_plan), and the old picture's files go."""
    import casebook.pipeline

    out = run(site)
    (site / "content" / "photos" / "porch.jpg").write_bytes(photo(600, 400, colour=(90, 90, 200)))
    write_bundle(site, "cover: yard.jpg\n", "开头一段。\n\n![大厅里的居民](hall.jpg)\n\n中间一段。\n\n"
                 "![](yard.jpg \"院子\")\n\n![门廊](porch.jpg)\n")
    hall = site / "content" / "photos" / "hall.jpg"
    for change in ("add porch.jpg", "change hall.jpg"):
        before = _published(out)
        with monkeypatch.context() as patch:
            patch.setattr(casebook.pipeline, "plan_site", lambda *a, c=change: pytest.fail(f"{c}: the whole site planned"))
            run(site)
        after = _published(out)
        replaced = {p for p in after if before.get(p) != after[p]}
        gone = set(before) - set(after)
        assert "cases/photos/index.html" in replaced, change
        assert all(p.startswith(("cases/photos/", "photos/")) or p.endswith(".xml") for p in replaced | gone), \
            (change, replaced, gone)
        assert any(p.startswith("photos/porch-" if change.startswith("add") else "photos/hall-") for p in replaced)
        assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == \
            {k: v for k, v in tree(_clean_build(site)).items() if not k.startswith(".")}, change
        hall.write_bytes(photo(colour=(10, 120, 10)))
    assert any(p.startswith("photos/hall-") for p in gone)  # the old hall.jpg's files, no longer used


def test_a_changed_cover_renders_the_lists_showing_it_again(site: Path) -> None:
    out = run(site)
    before = _published(out)
    (site / "content" / "photos" / "yard.jpg").write_bytes(photo(colour=(200, 200, 40)))
    run(site)
    after = _published(out)
    assert before["index.html"] != after["index.html"] and before["cases/index.html"] != after["cases/index.html"]
    assert {k: v for k, v in tree(out).items() if not k.startswith(".")} == \
        {k: v for k, v in tree(_clean_build(site)).items() if not k.startswith(".")}


def _clean_build(project: Path) -> Path:
    config = load_config(project / "site.yaml", {"search": False, "output_dir": str(project / "clean")})
    build(config, use_cache=False, workers=1)
    return config.output_dir


def test_a_changed_picture_is_seen_by_the_nothing_changed_check(site: Path) -> None:
    config = load_config(site / "site.yaml", {"search": False})
    build(config, workers=1)
    built, _ = build(config, workers=1)
    assert built.rendered == [] and built.reparsed == 0
    hall = site / "content" / "photos" / "hall.jpg"
    hall.write_bytes(photo(colour=(0, 0, 200)))
    st = hall.stat()
    os.utime(hall, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))  # an old mtime: the ctime still tells
    built, _ = build(config, workers=1)
    assert "cases/photos/index.html" in built.rendered
    assert any(p.startswith("photos/hall-") for p in built.rendered)


@pytest.mark.parametrize("name", ["../x.jpg", "/etc/x.jpg", "https://a.example/x.jpg", "x.svg", "x.bmp"])
def test_picture_names_stay_in_the_bundle(name: str) -> None:
    assert images.name_problem(name)
    assert images.name_problem("photos/大厅.jpg") is None


def test_a_still_gif_is_published_like_the_others_and_an_animated_one_is_an_error(site: Path) -> None:
    still, animated = io.BytesIO(), io.BytesIO()
    Image.open(io.BytesIO(photo(900, 600))).convert("P").save(still, "GIF")
    frames = [Image.new("RGB", (300, 200), c) for c in ((200, 0, 0), (0, 0, 200))]
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:], duration=100)
    (site / "content" / "photos" / "old.gif").write_bytes(still.getvalue())
    write_bundle(site, "cover: old.gif\n", "一段。\n\n![旧照片](old.gif)\n")
    out = run(site)
    published = sorted(p.name for p in (out / "photos").glob("old-*"))
    widths = [p.rsplit("-", 1)[-1] for p in published if p.count("-") == 2]
    assert widths == ["480.jpg", "480.webp", "800.jpg", "800.webp", "900.jpg", "900.webp"] and len(published) == 7
    with Image.open(out / "photos" / next(p for p in published if p.endswith("900.webp"))) as img:
        assert img.size == (900, 600) and img.format == "WEBP"
    (site / "content" / "photos" / "sticker.gif").write_bytes(animated.getvalue())
    write_bundle(site, "", "一段。\n\n![动图](sticker.gif)\n\n![矢量](logo.svg)\n")
    with pytest.raises(CasebookError) as exc:
        run(site)
    assert "content/photos/index.md:10: picture 'sticker.gif' is an animated GIF" in str(exc.value)
    assert "content/photos/index.md:12: picture 'logo.svg' is an SVG, which can carry scripts" in str(exc.value)
