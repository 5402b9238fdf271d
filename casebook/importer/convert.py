"""One raw article -> one Markdown file and its removal report.

The stages, in order: decode bytes; extract main text (HTML only); run the
cleaning passes; split into title and blocks; place the article with the
gazetteer; find profiled places (``cases``); classify practices; read the rest
of the metadata; render. Everything that is expensive to build (OpenCC, the
gazetteer, the keyword patterns) lives in :class:`Context`, made once per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CasebookError
from ..taxonomy import Vocabulary, load_practices, load_provinces
from . import metadata, naming, writer
from .encoding import decode_bytes
from .fetch import RawInput
from .hanzi import traditional_to_simplified
from .htmltext import HtmlMeta, extract
from .passes import OPTIONAL, Removal, clean
from .place import Gazetteer, Place, gazetteer, locality
from .practices import Classifier
from .structure import Block, parse, place_segment, with_anchor

#: Practices listed for each profiled place (the article lists up to five).
CASE_PRACTICES = 3
#: A heading names a profiled place when its place segment holds one of these.
_LOCAL_UNIT = re.compile(r"社区|村|街道|镇|乡")


@dataclass(frozen=True)
class Context:
    """What every article of a run shares."""

    gazetteer: Gazetteer
    classifier: Classifier
    provinces: Vocabulary
    skip: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, practices_file: Path, keep_traditional: bool = False) -> Context:
        skip = frozenset({OPTIONAL["keep_traditional"]}) if keep_traditional else frozenset()
        return cls(gazetteer(), Classifier.from_vocabulary(load_practices(practices_file)), load_provinces(), skip)


@dataclass(frozen=True)
class Imported:
    slug: str
    markdown: str
    report: str
    province: str
    practices: tuple[str, ...]
    lines_removed: int
    applied: tuple[str, ...]


def convert(raw: RawInput, ctx: Context) -> Imported:
    """Clean and structure one article; raises CasebookError naming the input."""
    text = decode_bytes(raw.data, raw.name, raw.charset)
    meta = HtmlMeta(url=raw.url)
    if raw.is_html:
        text, meta = extract(text, raw.name, raw.url)
    cleaned = clean(text, ctx.skip)
    structure = parse(cleaned.text, meta.title)
    removed = cleaned.removed + tuple(Removal("title_repeat", line, True) for line in structure.repeats)
    blocks = list(structure.blocks)
    if not any(b.kind == "para" for b in blocks):
        raise CasebookError("no article text left after cleaning", raw.name)
    # Places and keywords are Simplified data: analyse a Simplified copy when the
    # output keeps Traditional characters.
    simplified = traditional_to_simplified if OPTIONAL["keep_traditional"] in ctx.skip else str
    body = simplified("\n".join(b.text for b in blocks if b.kind != "heading"))
    strong = simplified("\n".join([structure.title or ""] + [b.text for b in blocks if b.kind == "heading"]))

    source = metadata.source(removed, structure.source, meta.sitename)
    place = ctx.gazetteer.resolve(body, strong)
    if not place.province and source:
        place = ctx.gazetteer.resolve(source)  # 陕西日报, 云南网: the outlet's province
    if not place.province:
        raise CasebookError("cannot tell the province: the text names no place in the gazetteer", raw.name)
    # Place names are not practice evidence (自治 in 广西壮族自治区, 新区, 城关区...).
    practices = ctx.classifier.classify(ctx.gazetteer.mask(body, " "), ctx.gazetteer.mask(strong, " "))
    if not practices:
        raise CasebookError("no practice keyword from the vocabulary occurs in the text", raw.name)
    blocks, cases = _cases(blocks, place, ctx, simplified)
    where = locality(body, ctx.gazetteer)
    title = structure.title or _derived_title(place, where, practices)
    province_term = ctx.provinces.by_name(place.province)

    values: dict[str, Any] = {
        "title": title,
        "province": place.province,
        "practices": practices,
        "slug": naming.slug(province_term.slug if province_term else None, place.county or place.city, raw.name),
        "date": metadata.date(removed, meta.date),
        "city": place.city,
        "county": place.county,
        "place": None if cases else where,  # several places: each case names its own
        "source": source,
        "source_url": raw.url or meta.url,
        "authors": metadata.authors(removed, meta.author),
        "summary": metadata.summary(blocks),
        "figures": metadata.figures(blocks),
        "cases": cases,
    }
    document = writer.front_matter(values) + "\n" + writer.markdown(blocks)
    return Imported(
        slug=values["slug"],
        markdown=document,
        report=writer.report(raw.name, cleaned.applied, removed, html=raw.is_html),
        province=place.province,
        practices=tuple(practices),
        lines_removed=sum(1 for r in removed if r.whole_line),
        applied=cleaned.applied,
    )


def _derived_title(place: Place, where: str | None, practices: list[str]) -> str:
    """A title for a page without a headline: where, then what (嵩明县嵩阳街道：党群服务阵地)."""
    label = (place.county or place.city or place.province or "") + (where or "")
    return f"{label}：{'、'.join(practices[:2])}"


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
        body = ctx.gazetteer.mask(simplified("\n".join(b.text for b in section)), " ")
        cases.append({
            "name": name,
            "province": place.province,
            "city": place.city,
            "county": place.county,
            "anchor": anchor,
            "practices": ctx.classifier.classify(body, simplified(blocks[i].text), CASE_PRACTICES),
        })
        blocks[i] = with_anchor(blocks[i], anchor)
    return blocks, cases
