"""What a photo downloaded into a bundle must not carry: where and with what it was taken.

A phone's photo holds the GPS position it was taken at (often a resident's home), the
camera's serial number, the maker's notes, the owner's name, a thumbnail that may show
the picture before it was cropped. The bundle's original goes into ``content/``, which
editors may publish in a public repository, so :func:`stripped` takes all that out of it
before it is saved, **without re-encoding its pixels**: the file's metadata blocks are
rewritten and its image data is copied byte for byte (re-encoding a JPEG loses quality
each time, and the build encodes it once more anyway). Only the orientation is kept, in
a new EXIF block holding nothing else, so the photo still shows upright.

- JPEG: the ``APP1`` EXIF segment is replaced; XMP (``APP1``), Photoshop/IPTC
  (``APP13``), comments and every other application segment go; JFIF (``APP0``), the
  colour profile (``APP2``) and Adobe's colour transform (``APP14``) stay, as the
  pixels' meaning depends on them.
- PNG: ``eXIf`` is replaced; text chunks (``tEXt``, ``iTXt``, ``zTXt``) and ``tIME`` go.
- WebP: ``EXIF`` is replaced and ``XMP`` goes, the ``VP8X`` flags told so.
- GIF has no EXIF block; it is kept as it is.

A file with nothing to take out comes back unchanged, byte for byte (its name, a hash of
its bytes, stays what it was).
"""

from __future__ import annotations

import zlib

#: JPEG application segments kept: JFIF, the ICC profile, Adobe's colour transform.
_JPEG_KEPT = frozenset({0xE0, 0xE2, 0xEE})
_JPEG_EXIF = b"Exif\x00\x00"
#: PNG chunks that hold text or a time, written by cameras, editors and phones.
_PNG_DROPPED = frozenset({b"tEXt", b"iTXt", b"zTXt", b"tIME"})
_WEBP_EXIF_FLAG, _WEBP_XMP_FLAG = 0x08, 0x04


def stripped(data: bytes, kind: str, orientation: int) -> bytes:
    """``data`` (a picture of Pillow format ``kind``) without metadata but its orientation."""
    exif = _orientation_only(orientation)
    if kind == "JPEG":
        return _jpeg(data, exif)
    if kind == "PNG":
        return _png(data, exif)
    if kind == "WEBP":
        return _webp(data, exif)
    return data


def _orientation_only(orientation: int) -> bytes | None:
    """An EXIF block (TIFF data, without JPEG's ``Exif`` prefix) holding only the orientation,
    or None when the picture is upright."""
    if orientation == 1:
        return None
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes().removeprefix(_JPEG_EXIF)


def _jpeg(data: bytes, exif: bytes | None) -> bytes:
    out, at = [data[:2]], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the image data follows
            break
        end = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
        segment = data[at:end]
        if marker == 0xE1 and segment[4:10] == _JPEG_EXIF:
            if exif is not None:
                body = _JPEG_EXIF + exif
                out.append(b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body)
                exif = None  # one EXIF block
        elif marker in _JPEG_KEPT or not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            out.append(segment)
        at = end
    out.append(data[at:])
    result = b"".join(out)
    return data if len(result) == len(data) and result == data else result


def _png(data: bytes, exif: bytes | None) -> bytes:
    out, at = [data[:8]], 8
    while at + 12 <= len(data):
        kind = data[at + 4:at + 8]
        end = at + 12 + int.from_bytes(data[at:at + 4], "big")
        if kind == b"eXIf":
            if exif is not None:
                out.append(len(exif).to_bytes(4, "big") + b"eXIf" + exif
                           + zlib.crc32(b"eXIf" + exif).to_bytes(4, "big"))
        elif kind not in _PNG_DROPPED:
            out.append(data[at:end])
        at = end
    out.append(data[at:])
    result = b"".join(out)
    return data if result == data else result


def _webp(data: bytes, exif: bytes | None) -> bytes:
    chunks, at, dropped = [], 12, False
    while at + 8 <= len(data):
        kind, size = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "little")
        end = at + 8 + size + (size & 1)
        if kind in (b"EXIF", b"XMP "):
            dropped = True
        else:
            chunks.append(bytearray(data[at:end]))
        at = end
    if not dropped:
        return data
    if exif is not None:
        chunks.append(bytearray(b"EXIF" + len(exif).to_bytes(4, "little") + exif + b"\x00" * (len(exif) & 1)))
    for chunk in chunks:
        if chunk[:4] == b"VP8X":
            chunk[8] &= ~(_WEBP_EXIF_FLAG | _WEBP_XMP_FLAG) & 0xFF
            chunk[8] |= _WEBP_EXIF_FLAG if exif is not None else 0
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body
