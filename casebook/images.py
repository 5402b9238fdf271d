"""Pictures of page bundles: ``content/<slug>/index.md`` with its photos beside it.

A picture is named relative to its case's folder, in the body (``![caption](hall.jpg)``)
or as the front-matter ``cover``. Three moments:

* **load** (:class:`Bundle`, in the load workers): each picture a case names is hashed and
  its header read (size, EXIF orientation), never decoded. The case's
  :attr:`casebook.model.Article.pictures` keeps what the page needs (:class:`Picture`: its
  hash, shown size, the widths it is published in), so a cached article renders its
  pictures without touching them again. A missing or unreadable picture is a ``file:line``
  error at the line naming it.
* **publish** (:func:`publish`, after loading): every picture of the site is resized into
  :data:`WIDTHS` (never upscaled), written as WebP and JPEG with EXIF orientation applied
  and every metadata block (EXIF with GPS, XMP, comments) left out, in forked workers. The
  files are named by the picture's hash and the encoder settings, and kept in the build
  cache: an unchanged picture is never encoded again, whatever else changed.
* **markup** (:mod:`casebook.imagemarkup`): ``<picture>`` with ``srcset``, ``width`` and
  ``height`` in the body, and the cover in the theme.

AVIF (Pillow 13 has it) was measured on five sample photos at 800 px: AVIF quality 55 gave
35.0 KB against WebP quality 72's 35.0 KB, and took 7 times as long to encode (2.2 s
against 0.33 s); no gain for these pictures, so it is not produced.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema, urls
from .config import Config
from .errors import CasebookError, CasebookErrors
from .model import Article, Output
from .plan import Stored
from .progress import Progress
from .workers import Run, Task

if TYPE_CHECKING:
    from PIL.Image import Image

_NAME_RE = re.compile(schema.IMAGE_PATTERN)
_STEM_RE = re.compile(r"[^a-z0-9]+")

#: The widths (px) each picture is published in; a narrower picture only in its own.
WIDTHS = (480, 800, 1200)
#: The longest side of the full-size picture a tap opens.
FULL_MAX = 2400
#: The formats of each width, best first: ``(suffix, MIME type, Pillow save options)``.
FORMATS: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("webp", "image/webp", {"quality": 72, "method": 5}),
    ("jpg", "image/jpeg", {"quality": 78, "optimize": True, "progressive": True}),
)
#: In every published name: new settings give new names, and old files are never reused.
ENCODING = "v2:" + repr(WIDTHS) + repr(FULL_MAX) + repr(FORMATS)  # v2: converted to sRGB
_ORIENTATION = 0x0112  # the EXIF tag
_TURNED = {5, 6, 7, 8}  # orientations that swap width and height


#: The folder of encoded files in an output folder's build cache.
PHOTO_STORE = "photos"


def name_problem(name: str) -> str | None:
    """None for a usable picture name, else why not: a bundle's pictures are files inside
    its folder, so no URL, no absolute path and no ``..`` (a case must not publish a file
    from elsewhere on the machine that builds the site)."""
    if "://" in name or name.startswith(("/", "\\")):
        return f"picture {name!r} must be a file in the case's folder, not a URL or an absolute path"
    if ".." in name.replace("\\", "/").split("/"):
        return f"picture {name!r} must be inside the case's folder ('..' is not allowed)"
    if name.lower().endswith(".svg"):
        return f"picture {name!r} is an SVG, which can carry scripts; save it as a .png"
    if not _NAME_RE.match(name):
        return f"picture {name!r} must be a .jpg, .jpeg, .png, .webp or .gif file name"
    return None


@dataclass(frozen=True)
class Picture:
    """One picture of a case, as loaded: enough to write its markup without opening it."""

    name: str  # as the case names it, relative to its folder
    source: str  # its file, relative to the project
    sha: str  # SHA-1 of its bytes
    size: int  # bytes
    width: int  # as shown: EXIF orientation applied
    height: int
    line: int = 1  # where the case first names it (for messages; not in any key)

    @property
    def fingerprint(self) -> str:
        """What the markup is made from: part of the case's keys (the line is not)."""
        return f"{self.name}|{self.sha}|{self.width}x{self.height}"

    @property
    def stem(self) -> str:
        """Readable start of the published names: the file name in ASCII, else ``photo``."""
        return _STEM_RE.sub("-", Path(self.name).stem.lower()).strip("-")[:40] or "photo"

    @property
    def key(self) -> str:
        return hashlib.sha1(f"{self.sha}{ENCODING}".encode()).hexdigest()[:12]

    @property
    def widths(self) -> tuple[int, ...]:
        """The published widths, ascending, never wider than the picture."""
        return tuple(sorted({min(w, self.width) for w in WIDTHS}))

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def file(self, width: int, suffix: str) -> str:
        return f"{self.stem}-{self.key}-{width}.{suffix}"

    @property
    def full(self) -> str:
        """The full-size picture (longest side at most :data:`FULL_MAX`), as JPEG."""
        return f"{self.stem}-{self.key}.jpg"

    @property
    def full_size(self) -> tuple[int, int]:
        scale = min(1.0, FULL_MAX / max(self.width, self.height))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    def files(self) -> list[str]:
        return [self.file(w, suffix) for w in self.widths for suffix, _mime, _opts in FORMATS] + [self.full]


# -- load: the pictures a case names ----------------------------------------------------------------

class Pictures:
    """The pictures a body may show, by name, and the alt text of one without a caption
    (the case's title). The Markdown extension asks :meth:`get`; a name it cannot give
    is remembered in :attr:`missing` with the reason."""

    def __init__(self, known: Iterable[Picture], title: str, cover: str | None):
        self.known = {p.name: p for p in known}
        self.title = title
        self.cover = cover
        self.missing: dict[str, str] = {}
        self.used: dict[str, Picture] = {}

    def get(self, name: str) -> Picture | None:
        picture = self.known.get(name)
        if picture is None:
            self.missing.setdefault(name, f"picture {name!r} not found")
        else:
            self.used.setdefault(name, picture)
        return picture


class Bundle(Pictures):
    """A case file's pictures read from its folder: a page bundle's (``index.md``), or none
    for a plain ``content/<slug>.md`` (whose pictures are then errors saying so)."""

    def __init__(self, index: Path, rel: str, title: str, cover: str | None):
        super().__init__((), title, cover)
        self.folder = index.parent if index.name == "index.md" else None
        self.rel_folder = os.path.dirname(rel)

    def get(self, name: str) -> Picture | None:
        if name in self.known:
            return super().get(name)
        problem = name_problem(name)
        if problem is None and self.folder is None:
            problem = (f"picture {name!r}: a case with pictures is a folder, content/<slug>/index.md, "
                       "with its pictures beside it")
        if problem is None:
            assert self.folder is not None
            try:
                self.known[name] = _read_picture(self.folder / name, name, os.path.join(self.rel_folder, name))
                return super().get(name)
            except _Unreadable as exc:
                problem = str(exc)
        self.missing.setdefault(name, problem)
        return None

    def errors(self, body: str, body_line: int, cover_line: int, cover: str | None) -> list[CasebookError]:
        """The missing pictures as errors at the line naming each (the cover's at its key)."""
        out = []
        for name, problem in self.missing.items():
            out.append(CasebookError(problem, self.rel_path, cover_line if name == cover else
                                     _line_of(body, name, body_line)))
        return out

    @property
    def rel_path(self) -> str:
        return os.path.join(self.rel_folder, "index.md") if self.folder is not None else self.rel_folder

    def with_lines(self, body: str, body_line: int, cover_line: int, cover: str | None) -> tuple[Picture, ...]:
        """The pictures used, in order of use, each with the line first naming it."""
        return tuple(Picture(p.name, p.source, p.sha, p.size, p.width, p.height,
                             cover_line if p.name == cover else _line_of(body, p.name, body_line))
                     for p in self.used.values())


class _Unreadable(Exception):
    pass


def _line_of(body: str, name: str, body_line: int) -> int:
    """The line of the body naming picture ``name`` (``](name``), else the body's first."""
    for needle in (f"]({name}", f"](<{name}>", name):
        at = body.find(needle)
        if at >= 0:
            return body_line + body.count("\n", 0, at)
    return body_line


def _read_picture(path: Path, name: str, source: str) -> Picture:
    """Hash a picture and read its header (size, orientation), without decoding it."""
    from PIL import Image, UnidentifiedImageError

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _Unreadable(f"picture {name!r} not found (it must be in the case's folder)") from None
    except IsADirectoryError:
        raise _Unreadable(f"picture {name!r} is a folder") from None
    except OSError as exc:
        raise _Unreadable(f"picture {name!r} cannot be read: {exc.strerror}") from None
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            orientation = img.getexif().get(_ORIENTATION, 1)
            animated = img.format == "GIF" and getattr(img, "is_animated", False)
    except UnidentifiedImageError:
        raise _Unreadable(f"picture {name!r} is not a readable image (not JPEG, PNG, WebP or GIF data)") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt
        raise _Unreadable(f"picture {name!r} is not a readable image ({exc})") from None
    if animated:  # published as still WebP and JPEG files: only its first frame would show
        raise _Unreadable(f"picture {name!r} is an animated GIF; a picture must be still (save one frame)")
    if orientation in _TURNED:
        width, height = height, width
    return Picture(name, source, hashlib.sha1(data).hexdigest(), len(data), width, height)


# -- publish: every picture in every width and format -----------------------------------------------

def check_sizes(articles: Sequence[Article], limit_mb: int) -> None:
    """A picture over ``limit_mb`` is an error at the line naming it, before anything is
    encoded: a 200 MB scan slows every cold build and makes no better photo on a phone."""
    errors = [CasebookError(f"picture {p.name!r} is {p.size / 1e6:.1f} MB; pictures may be at most {limit_mb} MB "
                            "(max_picture_mb in site.yaml)", a.path, p.line)
              for a in articles for p in a.pictures if p.size > limit_mb * 1_000_000]
    if errors:
        raise CasebookErrors(errors)


def publish(config: Config, articles: Sequence[Article], store: Path | None, workers: int,
            progress: Progress) -> list[Output] | list[Stored]:
    """Every picture of ``articles`` in every published width and format, as site files
    under ``photos/``. With a ``store`` folder (in the build cache), a file already there is
    reused and the others are encoded into it, in parallel; files no picture uses any more
    are removed from it; the site's files then name their file in the store (a
    :class:`casebook.plan.Stored`, never read unless it is written). Without one
    (``--no-cache``, ``check``), everything is encoded, and the files carry their bytes."""
    check_sizes(articles, config.max_picture_mb)
    pictures = list({p.key: p for a in articles for p in a.pictures}.values())
    if store is not None:
        store.mkdir(exist_ok=True)
    todo = [p for p in pictures if store is None or not all((store / f).exists() for f in p.files())]
    progress.start("pictures", len(todo))
    encoded = Run(_encoding(config.root, todo, store), len(todo), workers, 1, parallel_min=2).results(progress)
    progress.done()
    if store is None:
        return [Output(urls.photo(name), data) for pairs in encoded for name, data in pairs]
    wanted = {name for p in pictures for name in p.files()}
    for stale in [f for f in os.listdir(store) if f not in wanted]:
        (store / stale).unlink(missing_ok=True)
    return [Stored(urls.photo(name), str(store / name)) for p in pictures for name in p.files()]


def _encoding(root: Path, todo: list[Picture], store: Path | None) -> Task:
    def encode(lo: int, hi: int) -> list[list[tuple[str, bytes]]]:
        out = []
        for picture in todo[lo:hi]:
            files = encode_picture((root / picture.source).read_bytes(), picture)
            if store is not None:
                for name, data in files:
                    _write_atomically(store / name, data)
                files = []  # in the store, which the plan names: not sent through the pool
            out.append(files)
        return out
    return encode


def encode_picture(data: bytes, picture: Picture) -> list[tuple[str, bytes]]:
    """Every published file of one picture: EXIF orientation applied, colours in sRGB,
    metadata left out (nothing is passed to ``save`` but pixels and encoder options, so no
    EXIF, GPS, XMP, ICC or comment block is written)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        img = _in_srgb(ImageOps.exif_transpose(opened), opened.info.get("icc_profile"))
    out = []
    for width in picture.widths:
        scaled = img if width == img.width else img.resize((width, picture.height_at(width)), Image.Resampling.LANCZOS)
        for suffix, _mime, options in FORMATS:
            out.append((picture.file(width, suffix), _save(scaled, suffix, options)))
    full = img if img.size == picture.full_size else img.resize(picture.full_size, Image.Resampling.LANCZOS)
    out.append((picture.full, _save(full, "jpg", dict(FORMATS[-1][2]))))
    return out


def _in_srgb(img: Image, icc: bytes | None) -> Image:
    """The picture's pixels in sRGB, the colour space a page assumes for an image without a
    profile. The published files carry no profile (no metadata at all), so a picture in
    another space (a phone's Display P3, a CMYK scan) is converted, not reinterpreted:
    its colours would come out dull or wrong. A profile that cannot be read is ignored."""
    from PIL import ImageCms

    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):  # a broken profile, or one not for these pixels
            pass
        else:
            if converted is not None:
                return converted
    return img.convert("RGB") if img.mode != "RGB" else img.copy()


def _save(img: Image, suffix: str, options: dict[str, object]) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG" if suffix == "jpg" else suffix.upper(), **options)
    return buf.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
