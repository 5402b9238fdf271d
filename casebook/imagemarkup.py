"""The markup of a bundle's pictures: a Python-Markdown treeprocessor for the body, and the
same ``<picture>`` for the theme's cover (:func:`picture_html`).

``![caption](hall.jpg)`` alone in its paragraph becomes::

    <figure class="photo"><a href="/photos/hall-….jpg">
      <picture><source type="image/webp" srcset="… 480w, … 800w" sizes="…">
        <img src="….jpg" srcset="…" sizes="…" width="1200" height="800" alt="caption"
             loading="lazy" decoding="async"></picture></a>
      <figcaption>caption</figcaption></figure>

and inside a line of text the same ``<a><picture>`` without the figure. ``width`` and
``height`` reserve the picture's room before it arrives (no layout shift); the browser
picks the width it needs from ``srcset``; the link opens the full-size picture without a
script. A picture without a caption takes the case's title as its ``alt`` text. The first
picture of a body without a cover is loaded at once (it may be in the first screen), the
others lazily. Images with a URL (``https://…``, ``/x.png``) are left as they were.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import urls
from .images import FORMATS, Picture, Pictures

#: How wide a body picture is shown: the whole phone screen, else the text column
#: (``--measure`` in the default theme's CSS, 42rem at 17px).
SIZES = "(min-width: 46rem) 714px, 100vw"


def srcset(picture: Picture, suffix: str, prefix: str = "/") -> str:
    return ", ".join(f"{prefix}{urls.photo(picture.file(w, suffix))} {w}w" for w in picture.widths)


def picture_element(picture: Picture, alt: str, eager: bool, sizes: str = SIZES, prefix: str = "/") -> Element:
    """``<a href=full><picture>…</picture></a>`` of one picture, URLs under ``prefix``."""
    link = Element("a", {"href": prefix + urls.photo(picture.full), "class": "photo-link"})
    pic = SubElement(link, "picture")
    *better, (fallback, _mime, _opts) = FORMATS
    for suffix, mime, _options in better:
        SubElement(pic, "source", {"type": mime, "srcset": srcset(picture, suffix, prefix), "sizes": sizes})
    middle = picture.widths[min(1, len(picture.widths) - 1)]
    width = picture.widths[-1]
    attrs = {"src": prefix + urls.photo(picture.file(middle, fallback)), "srcset": srcset(picture, fallback, prefix),
             "sizes": sizes, "width": str(width), "height": str(picture.height_at(width)), "alt": alt,
             "decoding": "async"}
    attrs.update({"fetchpriority": "high"} if eager else {"loading": "lazy"})
    SubElement(pic, "img", attrs)
    return link


def picture_html(picture: Picture, alt: str, prefix: str, sizes: str, eager: bool = False,
                 link: bool = True) -> str:
    """The theme's cover: the same markup, as HTML (``prefix`` is the site's base path);
    without ``link`` the bare ``<picture>`` (a card, whose title is the link)."""
    from xml.etree.ElementTree import tostring

    element = picture_element(picture, alt, eager, sizes, prefix)
    return tostring(element if link else element[0], encoding="unicode", method="html")


def _local(src: str) -> bool:
    """Whether an image source names a file of the case's bundle, not a URL or site path."""
    return bool(src) and not src.startswith(("/", "\\", "#")) and ":" not in src.split("/")[0]


class _Photos(Treeprocessor):
    """Each ``<img>`` naming a bundle file becomes its picture; alone in a paragraph, a figure."""

    def run(self, root: Element) -> None:
        pictures: Pictures | None = getattr(self.md, "pictures", None)
        if pictures is None:  # rendered without a case (a fragment): images stay as they are
            return
        eager = not pictures.cover  # the first picture loads at once, unless a cover is above it
        for parent in list(root.iter()):
            for index, img in enumerate(list(parent)):
                if img.tag != "img" or not _local(img.get("src", "")):
                    continue
                picture = pictures.get(img.get("src", ""))
                if picture is None:  # an error of the build, at its line (casebook.load)
                    continue
                caption = (img.get("alt") or "").strip()
                element = picture_element(picture, caption or pictures.title, eager)
                eager = False
                element.tail = img.tail
                if img.get("title"):
                    element[0][-1].set("title", img.get("title", ""))
                parent.remove(img)
                parent.insert(index, element)
                if parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() \
                        and not (element.tail or "").strip():
                    _make_figure(parent, element, caption)


def _make_figure(paragraph: Element, link: Element, caption: str) -> None:
    """The paragraph holding only a picture, turned into its figure (with its caption)."""
    paragraph.tag = "figure"
    paragraph.attrib = {"class": "photo"}
    paragraph.text = None
    link.tail = None
    if caption:
        SubElement(paragraph, "figcaption").text = caption


class PhotoExtension(Extension):
    """Registers :class:`_Photos` after the inline patterns made the ``<img>`` elements.
    The pictures of the body being rendered are set as ``md.pictures`` (a
    :class:`casebook.images.Pictures`) by :class:`casebook.markup.MarkdownRenderer`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Photos(md), "casebook_photos", 15)
