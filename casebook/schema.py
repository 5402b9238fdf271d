"""The front-matter schema: the one table of the keys a case file may have.

Every other copy derives from it: the validation in :mod:`casebook.load` (known keys,
required keys, each value's check by its ``kind``), the key order of the importer's
files (:mod:`casebook.importer.writer`) and of ``build.py new`` (:mod:`casebook.scaffold`),
the README's front-matter table (``tests/test_schema.py`` compares them) and the JSON
Schema that ``build.py schema`` prints for editors. ``model.Article`` spells its fields
out for the type checker; the same test ties them to this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .taxonomy import SLUG_RE, Vocabulary


@dataclass(frozen=True)
class Field:
    """One front-matter key. ``kind`` names its check in :mod:`casebook.load` and its
    JSON Schema in :data:`KINDS`; ``meaning`` is the README's wording (Markdown)."""

    name: str
    kind: str
    required: bool
    meaning: str


FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "the case's headline"),
    Field("province", "province", True, "full Simplified name of one of the 34 provincial-level divisions, "
          "e.g. `云南省` (`casebook/data/provinces.yaml`)"),
    Field("practices", "practices", True, "practice types from the vocabulary (`data/practices.yaml`)"),
    Field("slug", "slug", False, "URL name; defaults to the file name, which must then be a valid slug"),
    Field("date", "date", False, "the article's own date (quote it in YAML)"),
    Field("city", "text", False, "prefecture-level city, e.g. `昆明市`"),
    Field("county", "text", False, "county / district, e.g. `嵩明县`"),
    Field("place", "text", False, "street or community"),
    Field("source", "text", False, "publication, e.g. `人民网`"),
    Field("source_url", "url", False, "link to the original"),
    Field("authors", "texts", False, "reporters, correspondents, photographers"),
    Field("summary", "text", False, "one or two sentences; used in lists, feeds and the meta description, "
          "and shown above the body unless the body starts with the same words"),
    Field("tags", "texts", False, "free keywords"),
    Field("cover", "image", False, "a picture in the case's folder (`content/<slug>/index.md`), e.g. `hall.jpg`: "
          "shown on cards, at the top of the case page and as the link preview's image"),
    Field("figures", "figures", False, "key numbers shown as cards, e.g. `{value: 18个, label: 综合网格}`"),
    Field("cases", "cases", False, "places profiled inside a multi-place article; `name`, `province` and "
          "`anchor` are required, `practices` defaults to the article's. Each is listed on its own province "
          "and practice pages and links to the heading written `## … {#anchor}`"),
    Field("draft", "bool", False, "drafts are built only with `--drafts` (and in `serve`), and only once "
          "they have a title, province and practices"),
)

#: The keys of one ``figures`` entry.
FIGURE_FIELDS: tuple[Field, ...] = (
    Field("value", "text", True, "the number, with its unit: `18个`"),
    Field("label", "text", True, "what it counts: `综合网格`"),
)

#: The keys of one ``cases`` entry (a place profiled inside the article).
CASE_FIELDS: tuple[Field, ...] = (
    Field("name", "text", True, "the place's name, as its heading says it"),
    Field("province", "province", True, "its province's full name"),
    Field("city", "text", False, "its prefecture-level city"),
    Field("county", "text", False, "its county or district"),
    Field("anchor", "anchor", True, "the `{#id}` of its heading in the body"),
    Field("practices", "practices", False, "its practice types (default: the article's)"),
)

KEYS = tuple(f.name for f in FIELDS)
REQUIRED = tuple(f.name for f in FIELDS if f.required)

DATE_PATTERN = r"^(\d{4})-(\d{2})(?:-(\d{2}))?$"
ANCHOR_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
URL_PATTERN = r"^https?://[^\s/?#]+"
#: A picture's name in a page bundle: a relative path, no URL, no backslash (the build also
#: refuses ``..`` and checks the suffix: :func:`casebook.images.name_problem`).
IMAGE_PATTERN = r"^[^/\\:?#\s][^\\:?#]*\.(jpg|jpeg|png|webp|gif|JPG|JPEG|PNG|WEBP|GIF)$"

#: What ``build.py new`` writes where the editor has to write the case, found again by
#: ``check`` (a problem) and ``build`` (a warning) until it is replaced.
SUMMARY_PLACEHOLDER = "一句话概括这个案例（120 字以内）。"
NEW_SECTIONS = (("背景", "在这里写案例的背景。"), ("做法", "在这里写具体做法。"), ("成效", "在这里写成效与数据。"))
PLACEHOLDERS = (SUMMARY_PLACEHOLDER, *(text for _, text in NEW_SECTIONS))

_TEXT = {"type": ["string", "number"], "pattern": r"\S"}

#: Each kind: the README's wording of its type, and the JSON Schema of a value (the
#: vocabulary kinds get their names in :func:`json_schema`).
KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "text": ("text", _TEXT),
    "texts": ("list of text", {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]}),
    "slug": ("`[a-z0-9-]+`", {"type": "string", "pattern": SLUG_RE.pattern}),
    "date": ("`YYYY-MM-DD` or `YYYY-MM`", {"type": "string", "pattern": DATE_PATTERN}),
    "url": ("http(s) URL", {"type": "string", "pattern": URL_PATTERN}),
    "image": ("file name (`.jpg`, `.png`, `.webp`, still `.gif`)", {"type": "string", "pattern": IMAGE_PATTERN}),
    "bool": ("`true` / `false`", {"type": "boolean"}),
    "anchor": ("`[A-Za-z][A-Za-z0-9_-]*`", {"type": "string", "pattern": ANCHOR_PATTERN}),
    "province": ("text", {}),
    "practices": ("list of text (≥ 1)", {}),
    "figures": (f"list of `{{{', '.join(f.name for f in FIGURE_FIELDS)}}}`", {}),
    "cases": (f"list of `{{{', '.join(f.name for f in CASE_FIELDS)}}}`", {}),
}


def in_schema_order(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with their keys in the table's order (how every written file lists them)."""
    unknown = set(values) - set(KEYS)
    if unknown:
        raise ValueError(f"not front-matter keys: {sorted(unknown)}")
    return {k: values[k] for k in KEYS if k in values}


def json_schema(provinces: Vocabulary, practices: Vocabulary) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a case's front-matter, province and practice names
    included, so an editor completes them while typing."""
    practice_names = {"enum": practices.names}
    kinds = {k: v[1] for k, v in KINDS.items()}
    kinds["province"] = {"enum": provinces.names}
    kinds["practices"] = {"anyOf": [practice_names, {"type": "array", "items": practice_names,
                                                     "minItems": 1, "uniqueItems": True}]}
    kinds["figures"] = {"type": "array", "items": _object(FIGURE_FIELDS, kinds)}
    kinds["cases"] = {"type": "array", "items": _object(CASE_FIELDS, kinds)}
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "casebook case front-matter",
        **_object(FIELDS, kinds, required=False),
        # Required unless draft: true (a draft may lack what is still to be found out).
        "if": {"properties": {"draft": {"const": True}}, "required": ["draft"]},
        "else": {"required": list(REQUIRED)},
    }
    return schema


def _object(fields: tuple[Field, ...], kinds: dict[str, dict[str, Any]], required: bool = True) -> dict[str, Any]:
    """A JSON Schema object of ``fields``; unknown keys are errors, as in the build."""
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: {**kinds[f.kind], "description": f.meaning} for f in fields},
        "additionalProperties": False,
    }
    if required:
        out["required"] = [f.name for f in fields if f.required]
    return out
