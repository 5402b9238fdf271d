"""``--images``: the bytes of the article's pictures, and whether they are photos.

:mod:`casebook.importer.pictures` chose the images the page shows in its article;
here each one is fetched and looked at:

- **where from**: an http(s) address through :func:`casebook.importer.fetch.download`
  (public addresses only, checked at every connection and redirect, unless the page
  itself came from a private or loopback address; a per-read timeout, an overall
  ``deadline`` and ``max_bytes``); a relative address of a page read from disk is the
  file a browser saved beside it (``page_files/x.jpg``), read only inside the page's
  folder (never ``..`` or a link out of it);
- **what it is**, with Pillow: a JPEG, PNG, WebP or still GIF (what the site's bundles
  take; the extension comes from the format, never from the address), not an animation
  (a sticker or an animated banner: a bundle's pictures are still),
  not a tracking pixel or spacer (``min_bytes``), at least ``min_side`` pixels on its
  shorter side, not a banner's shape (``max_aspect``), and not a flat graphic (a QR
  code, logo or icon: its 8 most common colours cover ``flat_share`` of it; a
  photo's colours spread).

A photo kept loses its location, camera serial number and every other metadata block but
its orientation (:mod:`casebook.importer.privacy`), its pixels untouched, and is named by
its content (a hash and the extension of its format), so the same picture imported again
gets the same name and nothing is overwritten.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import CasebookError
from . import pictures
from .fetch import RawInput, download
from .lines import picture_line
from .passes import Removal
from .privacy import stripped
from .settings import setting

MIN_SIDE = setting("pictures", "min_side")
MAX_ASPECT = setting("pictures", "max_aspect")
MIN_BYTES = setting("pictures", "min_bytes")
MAX_BYTES = setting("pictures", "max_bytes")
DEADLINE_SECONDS = setting("pictures", "deadline")
FLAT_SHARE = setting("pictures", "flat_share")
#: Formats the site's page bundles take, with the extension each is saved under (a still
#: GIF is a photo on older sites; the build encodes it like the others).
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
_ORIENTATION = 0x0112  # the EXIF tag
#: Side of the thumbnail whose colours tell a photo from a flat graphic.
_PROBE = 64
#: Colour levels kept per channel for that count (noise and gradients of a photo stay apart).
_LEVEL_MASK = 0xF8


@dataclass(frozen=True)
class Photo:
    """A picture of the article, as it is saved in the case's bundle."""

    name: str  # content hash + the extension of its format
    data: bytes
    width: int
    height: int
    source: str  # where it came from (for the report)


@dataclass(frozen=True)
class Gathered:
    """The article's text with its photos' lines, the photos by their page index, and why
    every other image of the page was left out."""

    text: str
    photos: dict[int, Photo] = field(default_factory=dict)
    left_out: tuple[Removal, ...] = ()


def gather(html: str, text: str, title: str | None, raw: RawInput) -> Gathered:
    """Find, fetch and check the article's photos of one page; place their lines in ``text``."""
    found, left = pictures.find(html, text, title, raw.url)
    kept: dict[int, Photo] = {}
    for item in found:
        photo = obtain(item.source, raw)
        if isinstance(photo, str):
            left.append(pictures.LeftOut(item.source, photo))
        else:
            kept[item.index] = photo
    placed = pictures.insert(text, [item for item in found if item.index in kept])
    return Gathered(placed, kept, tuple(Removal("pictures", f"{o.source}: {o.reason}", False) for o in left))


def replace_lines(removed: tuple[Removal, ...], photos: dict[int, Photo]) -> tuple[Removal, ...]:
    """Removals with a photo's line (a pass cut it with the text around it) shown as its address."""
    lines = {picture_line(index): photo.source for index, photo in photos.items()}
    return tuple(Removal(r.pass_name, f"picture {lines[r.text]}", r.whole_line) if r.text in lines else r
                 for r in removed)


def obtain(source: str, raw: RawInput) -> Photo | str:
    """The photo at ``source`` (a URL, or a path beside the page ``raw`` was read from); or why not."""
    try:
        data = _fetched(source, raw) if urlsplit(source).scheme else _beside(source, raw.path)
    except CasebookError as exc:
        return str(exc)
    return judge(data, source)


def _fetched(url: str, raw: RawInput) -> bytes:
    # A public page's pictures come only from public addresses, whatever --allow-private says.
    answer = download(url, raw.private, accept="image/*", max_bytes=MAX_BYTES, deadline=DEADLINE_SECONDS,
                      what="download")
    return answer.data


def _beside(relative: str, page: Path | None) -> bytes:
    """A file the page refers to by a relative path, inside the page's folder tree."""
    if page is None:
        raise CasebookError("a relative address, and the page has no address to resolve it against")
    folder = page.parent.resolve()
    target = (folder / unquote(urlsplit(relative).path)).resolve()
    if not target.is_relative_to(folder):
        raise CasebookError(f"outside the page's folder ({target})")
    try:
        if target.stat().st_size > MAX_BYTES:
            raise CasebookError(f"larger than {MAX_BYTES / 1024 / 1024:g} MB")
        return target.read_bytes()
    except OSError as exc:
        raise CasebookError(f"cannot read {target}: {exc.strerror}") from None


def judge(data: bytes, source: str) -> Photo | str:
    """``data`` as a :class:`Photo`, or why it is not one."""
    from PIL import Image, UnidentifiedImageError  # only --images needs Pillow

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format or "?", image.size
            orientation = image.getexif().get(_ORIENTATION, 1)
            if kind not in EXTENSIONS:
                return f"a {kind} file, not a photo (the site takes {', '.join(EXTENSIONS)})"
            if getattr(image, "n_frames", 1) > 1:
                return "an animation (a sticker or banner), not a photo"
            if max(width, height) > MAX_ASPECT * min(width, height):
                return f"{width}x{height} pixels: a banner's shape"
            if min(width, height) < MIN_SIDE:
                return f"{width}x{height} pixels: an icon, avatar or thumbnail"
            if _flat(image):
                return "a few flat colours: a QR code, logo or graphic, not a photo"
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return "cannot be read as a picture (an SVG, an icon file or damaged)"
    if len(data) < MIN_BYTES:
        return f"{len(data)} bytes: a tracking pixel or spacer"
    data = stripped(data, kind, orientation)  # no GPS, serial number or thumbnail in content/
    name = hashlib.sha256(data).hexdigest()[:16] + EXTENSIONS[kind]
    return Photo(name, data, width, height, source)


def _flat(image: object) -> bool:
    """Most of the picture in a handful of colours: drawn, not photographed."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    probe = image.convert("RGB").resize((_PROBE, _PROBE)).point(lambda v: v & _LEVEL_MASK)
    counts = sorted((count for count, _ in probe.getcolors(_PROBE * _PROBE) or []), reverse=True)
    return sum(counts[:8]) >= FLAT_SHARE * _PROBE * _PROBE
