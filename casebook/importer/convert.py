"""One raw article -> one Markdown file and its removal report.

The stages, in order: decode bytes; extract main text (HTML only); with
``--images``, find, fetch and place the article's photos (:mod:`~casebook.importer.photos`);
run the cleaning passes; split into title and blocks; place the article with the
gazetteer; find profiled places (``cases``); classify practices; read the rest
of the metadata; render. Everything that is expensive to build (OpenCC, the
gazetteer, the keyword patterns) lives in :class:`Context`, made once per run.

An article is never refused for what the importer cannot tell: a field it
cannot determine (province, practices, title) is left empty, the file is
written with ``draft: true``, and :attr:`Imported.missing` names the fields so
the command line can warn once per field. Values given on the command line
(:class:`Fixed`) win over detection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import CasebookError
from ..taxonomy import Vocabulary, load_practices, load_provinces
from . import metadata, naming, photos, writer
from .encoding import decode_bytes
from .fetch import RawInput
from .hanzi import traditional_to_simplified
from .htmltext import HtmlMeta, extract
from .passes import OPTIONAL, PASSES, Removal, clean
from .place import Gazetteer, Place, gazetteer, locality
from .practices import Classifier, Evidence
from .settings import setting
from .structure import Block, parse, place_segment, with_anchor

#: Practices listed for each profiled place.
CASE_PRACTICES = setting("practices", "max_practices")
#: A heading names a profiled place when its place segment holds one of these.
_LOCAL_UNIT = re.compile(r"社区|村|街道|镇|乡")
#: Passes skipped when cleaning left no paragraph: only the repairs run then.
_STRIPPING = frozenset(p.name for p in PASSES if p.strips)


@dataclass(frozen=True)
class Fixed:
    """Front-matter values the editor gave on the command line; they win over detection."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    practices: tuple[str, ...] = ()

    def place(self, detected: Place) -> Place:
        """The detected place, with each level the editor fixed replaced (lower levels
        of a fixed higher level are dropped when they belong elsewhere)."""
        if not (self.province or self.city or self.county):
            return detected
        province = self.province or detected.province
        city = self.city or (detected.city if detected.province == province else None)
        county = self.county or (detected.county if detected.city == city else None)
        return Place(province, city, county)


@dataclass(frozen=True)
class Context:
    """What every article of a run shares."""

    gazetteer: Gazetteer
    classifier: Classifier
    provinces: Vocabulary
    skip: frozenset[str] = field(default_factory=frozenset)
    fixed: Fixed = field(default_factory=Fixed)
    #: Keep the article's photos of HTML pages (``--images``).
    images: bool = False

    @classmethod
    def load(cls, practices_file: Path, keep_traditional: bool = False,
             province: str | None = None, city: str | None = None, county: str | None = None,
             practices: tuple[str, ...] = (), images: bool = False) -> Context:
        """Build the shared state; command-line values are checked against the data here,
        once, so a typo is one clear error before any article is read."""
        skip = frozenset({OPTIONAL["keep_traditional"]}) if keep_traditional else frozenset()
        vocabulary = load_practices(practices_file)
        provinces = load_provinces()
        gaz = gazetteer()
        for name in practices:
            if name not in {t.name for t in vocabulary.terms}:
                raise CasebookError(f"--practice {name!r} is not a practice type in {practices_file}", practices_file)
        fixed = _fixed_place(gaz, provinces, province, city, county)
        return cls(gaz, Classifier.from_vocabulary(vocabulary), provinces, skip,
                   Fixed(fixed.province, fixed.city, fixed.county, tuple(practices)), images)


def _fixed_place(gaz: Gazetteer, provinces: Vocabulary, province: str | None,
                 city: str | None, county: str | None) -> Place:
    """Complete the editor's place from the gazetteer: ``--county 白河县`` implies its city and province."""
    if province is not None:
        term = provinces.by_name(province) or next((t for t in provinces.terms if t.short == province), None)
        if term is None:
            raise CasebookError(f"--province {province!r} is not a province-level division")
        province = term.name
    named = " ".join(n for n in (province, city, county) if n)
    found = gaz.resolve(named, named) if named else Place()
    if county and found.county != county or city and found.city != city:
        found = Place(province or found.province)  # not in the gazetteer (or elsewhere): trust the editor
    return Place(province or found.province, city or found.city, county or found.county)


@dataclass(frozen=True)
class Imported:
    slug: str
    markdown: str
    report: str
    province: str | None
    practices: tuple[str, ...]
    lines_removed: int
    applied: tuple[str, ...]
    #: What the editor must supply (front-matter fields left empty, or "body" when cleaning
    #: left nothing and the whole text was kept): the file is then a draft.
    missing: tuple[str, ...] = ()
    #: The photos the body shows (``--images``), by file name: the article is then a bundle.
    pictures: dict[str, bytes] = field(default_factory=dict)


def convert(raw: RawInput, ctx: Context) -> Imported:
    """Clean and structure one article; raises CasebookError only for unreadable input."""
    text = decode_bytes(raw.data, raw.name, raw.charset)
    if not text.strip():
        raise CasebookError("the file holds no text", raw.name)
    meta = HtmlMeta(url=raw.url)
    page = text
    if raw.is_html:
        text, meta = extract(page, raw.name, raw.url)
    # ``text`` names the article (its slug) with or without its photos; the passes see their lines.
    found = photos.gather(page, text, meta.title, raw) if raw.is_html and ctx.images else photos.Gathered(text)
    skip = ctx.skip
    cleaned = clean(found.text, skip)
    structure = parse(cleaned.text, meta.title)
    emptied = not any(b.kind == "para" for b in structure.blocks)
    if emptied:  # the passes took everything: keep the whole text for the editor to sort out
        cleaned = clean(found.text, skip | _STRIPPING)
        structure = parse(cleaned.text, meta.title)
    removed = photos.replace_lines(cleaned.removed, found.photos) + found.left_out + tuple(
        Removal("title_repeat", line, True) for line in structure.repeats)
    blocks, shown = _named_pictures(structure.blocks, found.photos)
    # Places and keywords are Simplified data: analyse a Simplified copy when the
    # output keeps Traditional characters.
    simplified = traditional_to_simplified if OPTIONAL["keep_traditional"] in ctx.skip else str
    paragraphs = [simplified(b.text) for b in blocks if b.kind == "para"]
    headings = simplified("\n".join(b.text for b in blocks if b.kind == "heading"))
    title_text = simplified(structure.title or "")
    body = simplified("\n".join(b.text for b in blocks if b.kind != "heading"))  # captions name places too

    source = metadata.source(removed, meta.source, structure.source, meta.sitename)
    place = ctx.gazetteer.resolve(body, title_text + "\n" + headings, lead=paragraphs[0] if paragraphs else "",
                                  outlet=source or meta.sitename or "")
    if not place.province and source:
        place = ctx.gazetteer.resolve(source)  # 陕西日报, 云南网: the outlet's province
    place = ctx.fixed.place(place)
    # Place names are not practice evidence (自治 in 广西壮族自治区, 新区, 城关区...).
    mask = ctx.gazetteer.mask
    evidence = Evidence([mask(p, " ") for p in paragraphs], mask(headings, " "), mask(title_text, " "))
    practices = list(ctx.fixed.practices) or ctx.classifier.classify(evidence)
    blocks, cases = _cases(blocks, place, ctx, simplified) if place.province else (blocks, [])
    where = locality(body, ctx.gazetteer)
    title = structure.title or metadata.lead_title(paragraphs)
    province_term = ctx.provinces.by_name(place.province) if place.province else None
    missing = tuple(name for name, value in (("province", place.province), ("practices", practices),
                                             ("title", title), ("body", not emptied)) if not value)

    values: dict[str, Any] = {
        "title": title,
        "province": place.province,
        "practices": practices,
        "slug": naming.slug(province_term.slug if province_term else None, place.county or place.city,
                            naming.fingerprint(traditional_to_simplified(text))),
        "date": metadata.date(removed, body.split("\n"), meta.date),
        "city": place.city,
        "county": place.county,
        "place": None if cases else where,  # several places: each case names its own
        "source": source,
        "source_url": raw.url or meta.url,
        "authors": metadata.authors(removed, meta.author),
        "summary": metadata.summary(blocks),
        "figures": metadata.figures(blocks),
        "cases": cases,
        "draft": True if missing else None,
    }
    if shown and "cover" in schema.KEYS:  # the biggest photo, the first of equals
        values["cover"] = max(shown, key=lambda p: p.width * p.height).name
    document = writer.front_matter(values) + "\n" + writer.markdown(blocks)
    return Imported(
        slug=values["slug"],
        markdown=document,
        report=writer.report(raw.name, cleaned.applied, removed, html=raw.is_html),
        province=place.province,
        practices=tuple(practices),
        lines_removed=sum(1 for r in removed if r.whole_line),
        applied=cleaned.applied,
        missing=missing,
        pictures={p.name: p.data for p in shown},
    )


def _named_pictures(blocks: tuple[Block, ...], found: dict[int, photos.Photo]
                    ) -> tuple[list[Block], list[photos.Photo]]:
    """The blocks with each photo's file name in place of its page index, and the photos
    the body shows (a pass may have cut one with the text around it), in order."""
    named: list[Block] = []
    shown: list[photos.Photo] = []
    for block in blocks:
        if block.kind == "image":
            photo = found[int(block.picture or -1)]
            block = replace(block, picture=photo.name)
            if photo not in shown:
                shown.append(photo)
        named.append(block)
    return named, shown


def _cases(
    blocks: list[Block], article: Place, ctx: Context, simplified: Callable[[str], str]
) -> tuple[list[Block], list[dict[str, Any]]]:
    """Sections that each profile one place become ``cases`` with anchored headings.

    Needs headings that open with two or more different places (``嵩阳社区：…``,
    ``红塔区高仓街道党群服务中心``); a single place is just a heading.
    """
    starts = []
    for i, block in enumerate(blocks):
        segment = place_segment(simplified(block.text)) if block.kind == "heading" else None
        if segment and (_LOCAL_UNIT.search(segment) or ctx.gazetteer.mentions(segment)):
            starts.append((i, segment))
    if len({name for _, name in starts}) < 2:
        return blocks, []  # one place under several headings is not a multi-place article
    anchors = naming.anchors([name for _, name in starts])
    cases = []
    for k, ((i, name), anchor) in enumerate(zip(starts, anchors, strict=True)):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        section = blocks[i + 1:end]
        place = ctx.gazetteer.resolve(name)
        if place.province != article.province:
            place = article  # names no place, or a namesake in another province
        elif not place.county:
            place = Place(article.province, place.city or article.city, article.county)
        paragraphs = [ctx.gazetteer.mask(simplified(b.text), " ") for b in section if b.kind != "heading"]
        cases.append({
            "name": name,
            "province": place.province,
            "city": place.city,
            "county": place.county,
            "anchor": anchor,
            "practices": ctx.classifier.classify(Evidence(paragraphs, title=simplified(blocks[i].text)),
                                                 CASE_PRACTICES),
        })
        blocks[i] = with_anchor(blocks[i], anchor)
    return blocks, cases
