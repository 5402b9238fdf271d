"""``build.py new``: scaffold a case file an editor then fills in.

What it writes is checked by the build's own code (:func:`casebook.load.check_meta`,
then the whole file as ``build`` reads it), so ``new`` never leaves a file the next
build rejects. Every new case is a draft until the editor removes ``draft: true``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from . import schema
from .errors import CasebookError, CasebookErrors
from .frontmatter import parse
from .listing import not_utf8
from .load import _Invalid, check_meta, validate
from .pinyin import HAN, pinyin_word, place_words, slug_words
from .taxonomy import Vocabulary

#: How many Chinese characters of the title go into a generated slug (拼音, joined).
TITLE_CHARS = 4
_HAN_RE = re.compile(f"[{HAN}]")
_HEADLINE_RE = re.compile(r"^[^：:]*[：:]\s*(?=\S)")  # "嵩明县嵩阳街道：" before the headline


def new_case(content_dir: Path, title: str, province: str, practices: Vocabulary, *,
             city: str | None = None, county: str | None = None, place: str | None = None,
             practice_names: list[str] | None = None, slug: str | None = None,
             date: str | None = None) -> Path:
    """Write ``content/<slug>.md`` as a draft and return its path; never overwrite a file."""
    given: dict[str, object] = {"title": title, "province": province, "practices": practice_names or [],
                                "slug": slug, "date": date, "city": city, "county": county, "place": place}
    meta = {k: v for k, v in given.items() if v is not None}
    _refuse_bad_text(meta)
    meta.update(summary=schema.SUMMARY_PLACEHOLDER, draft=True)
    values, problems = check_meta(meta, practices)
    if not title.strip():  # a draft may lack a title; a new case is named by one
        problems.insert(0, _Invalid("title is empty", ("title",)))
    if problems:
        raise CasebookErrors(CasebookError(f"{_flag(p.where)}: {p}") for p in problems)
    _check_folder(content_dir)
    if slug is None:
        meta["slug"] = slug = _free_slug(content_dir, _readable_slug(title, values["province"].slug, county or city))
    path = content_dir / f"{slug}.md"
    if path.exists():
        raise CasebookError("a case with this slug already exists; choose another --slug", path)
    front = yaml.safe_dump(schema.in_schema_order(meta), allow_unicode=True, sort_keys=False, width=4096)
    body = "".join(f"\n## {heading}\n\n{text}\n" for heading, text in schema.NEW_SECTIONS)
    text = f"---\n{front}---\n{body}"
    validate(parse(text, str(path)), str(path), slug, practices)  # the file as build will read it
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        raise CasebookError(f"cannot write the new case: {exc.strerror}", path) from None
    return path


def _flag(where: tuple[object, ...]) -> str:
    """The command-line flag a problem's key came from: ``--practice`` for ``practices``."""
    key = str(where[0]) if where else "title"
    return {"title": "title", "practices": "--practice"}.get(key, f"--{key}")


def _refuse_bad_text(meta: dict[str, object]) -> None:
    """Arguments a GBK terminal sent (not UTF-8) are refused, naming their GBK reading."""
    errors = []
    for key, value in meta.items():
        for text in value if isinstance(value, list) else [value]:
            guess = not_utf8(str(text))
            if guess is not None:
                errors.append(CasebookError(f"{_flag((key,))} is not valid UTF-8{guess}: set the terminal to "
                                            "UTF-8 (chcp 65001 on Windows) and type it again"))
    if errors:
        raise CasebookErrors(errors)


def _check_folder(content_dir: Path) -> None:
    """The content folder exists or can be made, and is a folder (``--content`` may name a file)."""
    if content_dir.exists() and not content_dir.is_dir():
        raise CasebookError("is not a folder: --content must name the folder of case files", content_dir)
    try:
        content_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CasebookError(f"cannot make the content folder: {exc.strerror}", content_dir) from None


def _readable_slug(title: str, province_slug: str, place: str | None) -> str:
    """``pidu-xinanli``: the pinyin of the county (else the city, else the province's slug)
    and of the first few Chinese characters of the title's headline (its first words, if
    it has no Chinese)."""
    where = place_words(place)[:1] if place else []
    headline = _HEADLINE_RE.sub("", title)
    han = "".join(_HAN_RE.findall(headline))[:TITLE_CHARS]
    short = pinyin_word(han) if han else "-".join(slug_words(headline).split("-")[:3])
    return "-".join(w for w in (*(where or [province_slug]), short) if w)


def _free_slug(content_dir: Path, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``…: the first that no case file in the folder is named."""
    taken = {p.stem for p in content_dir.rglob("*.md")}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug

