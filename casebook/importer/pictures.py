"""``--images``: which ``<img>`` of an HTML page are the article's own photos, and where each goes.

A page carries far more images than its article: the site's logo, navigation icons,
share buttons, QR codes, ads and banners, avatars of commenters, tracking pixels and
spacer GIFs. An image is the article's only when no rule below says otherwise; each
rule is a small named check on one kind of evidence, and its reason goes to the
removal report so an editor sees why a picture was left out:

- **position**: inside page furniture (:func:`~casebook.importer.htmltext.in_chrome`:
  header, navigation, sidebar, share bar, comments, footer), above the headline (logos
  and banners), or inside a link to another site (an ad); and last, not beside any line
  of the article's text (trafilatura's), which leaves out everything outside the article;
- **name**: the file name, path or host, the ``alt`` text, ``class`` or ``id`` say logo,
  icon, QR code (``qrcode``, ``ewm``, ``erweima``, 二维码), share, ad, banner, avatar,
  spacer or tracking (:data:`NAME_WORDS`, :data:`NAME_PARTS`, :data:`ALT_WORDS`);
- **size** as the page states it: a ``width`` / ``height`` attribute (or inline style)
  below ``attr_min_side`` or a banner's shape (``max_aspect``).

What the picture's bytes show (format, file size, pixels, a flat graphic such as a QR
code) is judged once it is downloaded, in :mod:`casebook.importer.photos`.

A photo kept goes into the text as a line of its own (:func:`~casebook.importer.lines.
picture_line`) right where the page shows it: above its caption when the caption is
below it (``<figcaption>`` or the short block after a photo-only block), after the line
of a paragraph it sits in, else after the text block before it (or before the one
after it). The cleaning passes never remove such a line (:func:`~casebook.importer.lines.keep`),
and a caption beside it stays its caption (:func:`~casebook.importer.credits.strip_orphan_captions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from .credits import CAPTION_MARK
from .htmltext import (
    caption_below,
    element_text,
    headline_element,
    in_chrome,
    neighbours,
    page_tree,
    photo_only,
    squash,
)
from .lines import picture_line
from .settings import setting

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: A width or height attribute below this marks an icon, avatar or spacer.
ATTR_MIN_SIDE = setting("pictures", "attr_min_side")
#: Longer side over shorter side above this: a banner or a divider.
MAX_ASPECT = setting("pictures", "max_aspect")
#: Pictures kept per article at most.
MAX_COUNT = setting("pictures", "max_count")

#: Whole words of a URL's path or host (split at anything not a letter or digit, trailing
#: digits dropped: ``logo2.png``, ``ad_01.jpg``) that name a picture that is not a photo.
NAME_WORDS = frozenset({
    "logo", "icon", "icons", "ico", "favicon", "qr", "qrcode", "ewm", "erweima", "share", "fenxiang",
    "ad", "ads", "adv", "advert", "gg", "guanggao", "banner", "avatar", "avatars", "touxiang", "btn", "button",
    "spacer", "blank", "pixel", "clear", "dot", "loading", "placeholder", "sprite", "bg", "emoji", "emoticon",
    "wx", "weixin", "wechat", "weibo", "print", "close", "arrow", "track", "tracking", "beacon", "counter",
    "count", "stat", "stats", "analytics", "cnzz",
})
#: Parts of a file name long and distinctive enough to count inside a word (``sitelogo.png``,
#: ``wxqrcode.jpg``, ``topbanner.gif``).
NAME_PARTS = ("logo", "qrcode", "erweima", "favicon", "banner", "avatar", "spacer", "sprite", "placeholder")
#: Words of an ``alt``, ``title``, ``class`` or ``id`` that name a picture that is not a photo
#: (words a photo's description uses too, 分享 or 标志着, are not among them).
ALT_WORDS = re.compile(
    r"二维码|扫一扫|扫码|长按识别|头像|图标|返回顶部|(?<![a-z])(?:logo|icon|qr-?code|avatar)(?![a-z])", re.I
)
#: Whole words of a ``class`` or ``id`` that mark a button, an ad or a banner.
CLASS_WORDS = re.compile(r"(?<![a-z])(?:share|ad|ads|advert|banner|emoji|qr|btn|button)(?![a-z])", re.I)
#: Attributes holding a picture's address, lazy-loading ones first (WeChat's ``data-src``).
SOURCE_ATTRIBUTES = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "_src", "src")
_STYLE_SIZE = re.compile(r"(?<![-\w])(width|height)\s*:\s*(\d+(?:\.\d+)?)px", re.I)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Found:
    """One image the page shows in its article, and where it goes in the text."""

    index: int  # its place among the page's images (the token's number)
    source: str  # an http(s) URL, or (a page read from disk) a path relative to the page's folder
    caption: str | None
    gap: int  # goes between line ``gap - 1`` and line ``gap`` of the text


@dataclass(frozen=True)
class LeftOut:
    """An image of the page that is not the article's, and why (for the removal report)."""

    source: str
    reason: str


def find(html: str, text: str, title: str | None, page_url: str | None) -> tuple[list[Found], list[LeftOut]]:
    """The article's images in page order (at most ``max_count``) and the images left out.

    ``text`` is the article's text as extracted (captions marked); ``page_url`` resolves
    relative addresses (with the page's ``<base href>``); without it (a page read from
    disk) a relative address stays a path for :mod:`~casebook.importer.photos` to find
    beside the page.
    """
    _, tree = page_tree(html, "page")
    if tree is None:
        return [], []
    base = _base(tree, page_url)
    address = page_url or _declared_address(tree, html)
    heading = headline_element(tree, title)
    order = {el: i for i, el in enumerate(tree.iter())}
    lines = _Lines(text)
    found: list[Found] = []
    left: list[LeftOut] = []
    for index, img in enumerate(tree.xpath("//body//img")):
        source = _source(img, base)
        if source is None:
            continue  # no address at all: nothing to report
        reason = (_scheme(source) or _furniture(img) or _above(img, heading, order) or _named(img, source)
                  or _stated_size(img) or _linked_away(img, address) or _teaser(img))
        gap = None if reason else _gap(img, lines, order)
        if reason is None and gap is None:
            reason = "not beside the article's text"
        if reason is None and len(found) >= MAX_COUNT:
            reason = f"more than {MAX_COUNT} pictures in one article"
        if reason:
            left.append(LeftOut(source, reason))
        else:
            assert gap is not None
            found.append(Found(index, source, _caption(img), gap))
    return found, left


def insert(text: str, kept: list[Found]) -> str:
    """``text`` with a picture line for each kept image at its place, and its caption marked
    as one beside it: the caption's line right there is marked (a table row's ``|`` dropped),
    and a caption the extracted text lost (trafilatura drops small grey spans and table
    rows) is put back under the picture, so it stays with its picture."""
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    by_gap: dict[int, list[str]] = {}
    for item in sorted(kept, key=lambda f: (f.gap, f.index)):
        placed = by_gap.setdefault(item.gap, [])
        placed.append(picture_line(item.index))
        key = squash(item.caption or "")
        if item.caption is None or not key:
            continue
        beside = [i for i in (item.gap, item.gap - 1) if 0 <= i < len(lines) and keys[i] == key]
        if beside:
            lines[beside[0]] = CAPTION_MARK + item.caption
        elif not any(key in line for line in keys):
            placed.append(CAPTION_MARK + item.caption)
    out: list[str] = []
    for i, line in enumerate(lines):
        out += by_gap.get(i, [])
        out.append(line)
    out += by_gap.get(len(lines), [])
    return "\n".join(out)


# -- where the picture is --------------------------------------------------------------------


def _base(tree: HtmlElement, page_url: str | None) -> str | None:
    """What relative addresses resolve against: the page's ``<base href>`` (itself resolved
    against the page's URL), else the page's URL; None for a page read from disk."""
    if page_url is None:
        return None
    hrefs = tree.xpath("//head/base/@href")
    return urljoin(page_url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else page_url


def _declared_address(tree: HtmlElement, html: str) -> str | None:
    """Where a page read from disk was published: its canonical link, ``og:url``, or the
    ``saved from url`` mark a browser writes at the top of a page it saves."""
    declared = tree.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
    saved = _SAVED_FROM.search(html[:2048])
    found = [v.strip() for v in declared] + ([saved.group(1)] if saved else [])
    return next((v for v in found if urlsplit(v).scheme in ("http", "https")), None)


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


def _source(img: HtmlElement, base: str | None) -> str | None:
    """The image's address, resolved against ``base``: the first lazy-loading attribute that is
    not an inline ``data:`` placeholder; then, for a page with an address, the widest candidate
    of its ``srcset`` (``src`` is often the narrowest); then ``src``; last, for an ``<img>``
    holding only a placeholder, the first ``<source>`` of the ``<picture>`` around it. A page
    read from disk takes ``src`` before ``srcset``: that is the file its browser saved."""
    lazy = [img.get(name) for name in SOURCE_ATTRIBUTES[:-1]]
    widest = _widest(img.get("data-srcset")) or _widest(img.get("srcset"))
    picture = next((a for a in img.iterancestors() if a.tag == "picture"), None)
    sources = picture.xpath(".//source") if picture is not None else []
    fallback = [_widest(s.get("data-srcset")) or _widest(s.get("srcset")) for s in sources]
    ordered = [*lazy, widest, img.get("src")] if base is not None else [*lazy, img.get("src"), widest]
    for value in (v.strip() for v in [*ordered, *fallback] if v):
        if value and not value.lower().startswith("data:"):
            if base is not None:
                return urljoin(base, value)
            return "https:" + value if value.startswith("//") else value
    return None


def _widest(srcset: str | None) -> str | None:
    """The candidate of a ``srcset`` with the largest width (``1200w``) or density (``2x``)."""
    best: tuple[float, str] | None = None
    for candidate in (srcset or "").split(","):
        parts = candidate.split()
        if not parts or parts[0].lower().startswith("data:"):
            continue
        descriptor = parts[1].lower() if len(parts) > 1 else "1x"
        size = descriptor[:-1]
        weight = float(size) if descriptor[-1:] in ("w", "x") and size.replace(".", "", 1).isdigit() else 0.0
        if best is None or weight > best[0]:
            best = (weight, parts[0])
    return best[1] if best else None


def _scheme(source: str) -> str | None:
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https", ""):
        return None
    return f"only http(s) pictures are fetched, not {scheme}:"


def _furniture(img: HtmlElement) -> str | None:
    if in_chrome(img):
        return "in the page's furniture (header, menu, sidebar, share bar, comments or footer)"
    return None


def _above(img: HtmlElement, heading: HtmlElement | None, order: dict[HtmlElement, int]) -> str | None:
    if heading is not None and order.get(img, 0) < order.get(heading, 0):
        return "above the headline (a logo or banner)"
    return None


def _named(img: HtmlElement, source: str) -> str | None:
    """A name that says what the picture is: the URL's words, then alt, title, class and id."""
    parts = urlsplit(source)
    path = unquote(parts.path).lower()
    words = {w.rstrip("0123456789") for w in _WORD.findall(f"{parts.hostname or ''} {path}")}
    filename = path.rsplit("/", 1)[-1]
    hit = next((w for w in sorted(words & NAME_WORDS)), None) or next((p for p in NAME_PARTS if p in filename), None)
    if hit:
        return f"its address says {hit!r}"
    for attribute in ("alt", "title", "class", "id"):
        match = ALT_WORDS.search(img.get(attribute) or "")
        if match is None and attribute in ("class", "id"):
            match = CLASS_WORDS.search(img.get(attribute) or "")
        if match:
            return f"its {attribute} says {match.group(0)!r}"
    return None


def _stated_size(img: HtmlElement) -> str | None:
    """The size the page gives the image (attributes or inline style), when it gives one."""
    sizes: dict[str, float] = {}
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.replace(".", "", 1).isdigit():
            sizes[name] = float(value)
    for name, value in _STYLE_SIZE.findall(img.get("style") or ""):
        sizes.setdefault(name.lower(), float(value))
    if len(sizes) == 2 and max(sizes.values()) > MAX_ASPECT * min(sizes.values()):
        return f"shown {sizes['width']:g}x{sizes['height']:g} px: a banner's shape"
    if any(v < ATTR_MIN_SIDE for v in sizes.values()):
        return f"shown {'x'.join(f'{v:g}' for v in sizes.values())} px: an icon, avatar or spacer"
    return None


def _linked_away(img: HtmlElement, page_url: str | None) -> str | None:
    """Inside a link to a page of another site: an advertisement."""
    if page_url is None:
        return None
    link = next((a for a in img.iterancestors() if a.tag == "a"), None)
    href = urljoin(page_url, (link.get("href") or "").strip()) if link is not None else ""
    target = urlsplit(href)
    if target.scheme in ("http", "https") and target.hostname and _site(target.hostname) != _site(
            urlsplit(page_url).hostname or ""):
        if not _IMAGE_FILE.search(target.path):  # not the full-size photo
            return f"a link to another site ({target.hostname}): an advertisement"
    return None


def _teaser(img: HtmlElement) -> str | None:
    """Inside a link to another page that a headline links to as well (the link's own text,
    or a link to the same address beside it): the thumbnail of another article, as in a list
    page, a related-news strip or a previous/next pair. A photo linking to its full size, or
    a picture linking alone to a page, is not one."""
    link = next((a for a in img.iterancestors() if a.tag == "a"), None)
    href = (link.get("href") or "").strip() if link is not None else ""
    if link is None or not href or href.startswith(("#", "javascript:")) or _IMAGE_FILE.search(urlsplit(href).path):
        return None
    item = link if element_text(link) else next((a for a in link.iterancestors() if element_text(a)), None)
    if item is not None and (item is link or any(
            a is not link and (a.get("href") or "").strip() == href and element_text(a) for a in item.iter("a"))):
        return "a thumbnail linking to another article beside its headline (a list or related news)"
    return None


_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|webp|gif)$", re.I)


def _site(host: str) -> str:
    """The site a host name belongs to: ``img.news.example.com.cn`` -> ``example.com.cn``."""
    labels = host.lower().split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


#: Second-level names under a country's domain (``gov.cn``, ``com.cn``).
_SECOND_LEVEL = frozenset({"com", "gov", "edu", "org", "net", "ac", "co"})


#: Inline elements wrapped around a picture (its ``<picture>``, a link to its full size;
#: libxml2 does not know ``<source>`` is empty and puts the ``<img>`` inside it).
_WRAPPERS = ("picture", "source", "a")
#: Elements a caption below a wrapped picture may be (an inline one is the paragraph's text).
_CAPTION_BLOCKS = frozenset({"p", "div", "section", "center", "figcaption", "span"})


def _holder(img: HtmlElement) -> HtmlElement:
    """The largest block (or wrapper) around ``img`` that holds only this one picture (no text)."""
    holder = img
    for parent in img.iterancestors():
        wrapper = parent.tag in _WRAPPERS and not element_text(parent)
        if not (wrapper or photo_only(parent)) or len(parent.xpath(".//img")) != 1:
            break
        holder = parent
    return holder


def _caption_element(img: HtmlElement) -> HtmlElement | None:
    """A ``<figcaption>``; else the short block right below the picture's holder: the next
    block of a photo-only block, the block after a ``<picture>`` or a linked photo, the next
    row of a one-cell table row (old sites lay a photo and its caption out as two rows)."""
    figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
    if figure is not None:
        captions = figure.xpath(".//figcaption")
        if captions and element_text(captions[0]) and len(figure.xpath(".//img")) == 1:
            return captions[0]
    holder = _holder(img)
    row = holder.getparent()
    if holder.tag in ("td", "th") and row is not None and row.tag == "tr" and len(row) == 1:
        return caption_below(row)
    nxt = holder.getnext()
    if holder.tag in _WRAPPERS and (nxt is None or nxt.tag not in _CAPTION_BLOCKS):
        return None
    return caption_below(holder) if holder is not img else None


def _caption(img: HtmlElement) -> str | None:
    element = _caption_element(img)
    return element_text(element) if element is not None else None


def _key(line: str) -> str:
    """A line as the page's blocks are matched against it: no spaces, caption mark or the
    ``|`` of a table row trafilatura wrote."""
    return squash(line.strip().removeprefix(CAPTION_MARK)).strip("|").removeprefix(CAPTION_MARK)


class _Lines:
    """The text's lines, found by their text without spaces or the caption mark."""

    #: A block's text found inside a longer line (trafilatura joined it to another) is at least this long.
    PART_MIN = 10

    def __init__(self, text: str):
        self.keys = [_key(line) for line in text.split("\n")]

    def index(self, block_text: str) -> int | None:
        key = squash(block_text)
        if not key:
            return None
        if key in self.keys:
            return self.keys.index(key)
        if len(key) >= self.PART_MIN:
            return next((i for i, line in enumerate(self.keys) if key in line), None)
        return None


def _gap(img: HtmlElement, lines: _Lines, order: dict[HtmlElement, int]) -> int | None:
    """Where ``img`` goes in the text: above its caption below it (below one above it), after
    the paragraph it sits in, after the text block before it or before the one after it."""
    caption = _caption_element(img)
    if caption is not None and (at := lines.index(element_text(caption))) is not None:
        return at if order.get(caption, 0) > order.get(img, 0) else at + 1
    holder = _holder(img)
    if holder is img or holder.tag in _WRAPPERS:  # inside a block with text: after that paragraph
        block = next((a for a in img.iterancestors() if element_text(a)), None)
        if block is not None and (at := lines.index(element_text(block))) is not None:
            return at + 1
    before, after = neighbours(holder)
    if before and (at := lines.index(before)) is not None:
        return at + 1
    if after and (at := lines.index(after)) is not None:
        return at
    return None

