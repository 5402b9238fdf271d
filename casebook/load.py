"""content/*.md -> validated :class:`Article` objects.

Every file is checked against the front-matter schema; all problems across all files
are collected and raised together as :class:`CasebookErrors`, each with file and line.
"""

from __future__ import annotations

import calendar
import dataclasses
import hashlib
import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import schema
from .cache import file_sha
from .errors import CasebookError, CasebookErrors, did_you_mean
from .frontmatter import Parsed, Path_, parse
from .images import Bundle, Pictures, name_problem
from .listing import bundle_paths
from .model import Article, Figure, SubCase
from .safeyaml import read_bytes
from .taxonomy import SLUG_RE, Term, Vocabulary, load_provinces

MAX_FILE_BYTES = 5 * 1024 * 1024  # a case study is ~10 KB; 5 MB means a wrong file
DATE_RE = re.compile(schema.DATE_PATTERN)
ANCHOR_RE = re.compile(schema.ANCHOR_PATTERN)
#: Separators of a list typed as one text: "养老服务，志愿服务" is two practices.
_LIST_IN_TEXT_RE = re.compile(r"\s*[，,、；;]\s*")


class _Invalid(Exception):
    """A value failed its check; carries the message and the key path it belongs to."""

    def __init__(self, message: str, where: Path_):
        super().__init__(message)
        self.where = where
        self.each: tuple[_Invalid, ...] = (self,)  # several, from one list (every bad name in it)

    @staticmethod
    def several(problems: list[_Invalid]) -> _Invalid:
        first = problems[0]
        first.each = tuple(problems)
        return first


def _text(value: Any, where: Path_) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Invalid(f"{where[-1]} must be text, not {type(value).__name__}", where)
    text = str(value).strip()
    if not text:
        raise _Invalid(f"{where[-1]} is empty", where)
    return text


def _texts(value: Any, where: Path_) -> tuple[str, ...]:
    """A list of strings; a single string is accepted as a one-item list."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return (_text(value, where),)
    if not isinstance(value, list):
        raise _Invalid(f"{where[-1]} must be a list", where)
    return tuple(_text(v, (*where, i)) for i, v in enumerate(value))


def _slug(value: Any, where: Path_) -> str:
    text = _text(value, where)
    if not SLUG_RE.match(text):
        raise _Invalid(f"slug {text!r} must be lowercase ASCII letters, digits and single hyphens", where)
    return text


def _date(value: Any, where: Path_) -> str:
    text = _text(value, where)
    m = DATE_RE.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), m[3]
        if 1 <= month <= 12 and (day is None or 1 <= int(day) <= calendar.monthrange(year, month)[1]):
            return text
    raise _Invalid(f"date {text!r} is not a date (use YYYY-MM-DD or YYYY-MM)", where)


def _url(value: Any, where: Path_) -> str:
    text = _text(value, where)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _Invalid(f"source_url {text!r} must be an http:// or https:// URL", where)
    return text


def _image(value: Any, where: Path_) -> str:
    name = _text(value, where)
    problem = name_problem(name)
    if problem:
        raise _Invalid(problem, where)
    return name


def _bool(value: Any, where: Path_) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{where[-1]} must be true or false", where)
    return value


def _anchor(value: Any, where: Path_) -> str:
    anchor = _text(value, where)
    if not ANCHOR_RE.match(anchor):
        raise _Invalid(f"anchor {anchor!r} must be ASCII letters, digits, '-' or '_'", where)
    return anchor


def _term(vocab: Vocabulary, value: Any, where: Path_) -> Term:
    name = _text(value, where)
    term = vocab.by_name(name)
    if term is None:
        by_short = next((t for t in vocab.terms if name in (t.short, t.slug)), None)
        hint = f" (did you mean {by_short.name!r}?)" if by_short else did_you_mean(name, vocab.names)
        raise _Invalid(f"unknown {vocab.kind} {name!r}{hint}", where)
    return term


def _terms(vocab: Vocabulary, value: Any, where: Path_) -> tuple[Term, ...]:
    if isinstance(value, str) and vocab.by_name(value.strip()) is None:
        _refuse_list_in_text(vocab, value, where)
    names = _texts(value, where)
    if not names:
        raise _Invalid(f"{where[-1]} is empty: {_examples(vocab)}", where)
    terms, bad = [], []
    for i, name in enumerate(names):
        try:
            terms.append(_term(vocab, name, (*where, i)))
        except _Invalid as exc:
            bad.append(exc)
    if bad:
        raise _Invalid.several(bad)
    if len(set(terms)) != len(terms):
        raise _Invalid(f"{where[-1]} lists a {vocab.kind} twice", where)
    return tuple(terms)


def _refuse_list_in_text(vocab: Vocabulary, text: str, where: Path_) -> None:
    """``practices: 养老服务，志愿服务`` is one text, not a list: say so, and show the list."""
    parts = [p for p in _LIST_IN_TEXT_RE.split(text.strip()) if p]
    if len(parts) > 1:
        raise _Invalid(f"{where[-1]} {text.strip()!r} looks like several {vocab.kind}s written as one text: "
                       f"write a YAML list, {where[-1]}: [{', '.join(parts)}]", where)


def _examples(vocab: Vocabulary) -> str:
    """A hint naming a few valid terms, for an empty list."""
    return f"list at least one {vocab.kind}, e.g. [{', '.join(vocab.names[:3])}]"


def _mapping(value: Any, where: Path_, fields: tuple[schema.Field, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"{where[-2]} entries must be mappings", where)
    allowed = tuple(f.name for f in fields)
    for key in value:
        if key not in allowed:
            raise _Invalid(f"unknown key {key!r}{did_you_mean(str(key), allowed)}", (*where, key))
    for f in fields:
        if f.required and value.get(f.name) in (None, ""):
            raise _Invalid(f"{where[-2]} entry is missing {f.name!r}", where)
    return value


Check = Callable[[Any, Path_], Any]


def _record(value: Any, where: Path_, fields: tuple[schema.Field, ...], checks: dict[str, Check]) -> dict[str, Any]:
    """One ``figures`` or ``cases`` entry: its keys checked by kind, absent ones left out."""
    item = _mapping(value, where, fields)
    return {f.name: checks[f.kind](item[f.name], (*where, f.name)) for f in fields if item.get(f.name) is not None}


def _figures(value: Any, where: Path_) -> tuple[Figure, ...]:
    if not isinstance(value, list):
        raise _Invalid("figures must be a list of {value, label}", where)
    return tuple(Figure(**_record(item, (*where, i), schema.FIGURE_FIELDS, _CHECKS)) for i, item in enumerate(value))


def _cases(value: Any, where: Path_, checks: dict[str, Check],
           default_practices: tuple[Term, ...]) -> tuple[SubCase, ...]:
    if not isinstance(value, list):
        raise _Invalid("cases must be a list of {name, province, anchor, ...}", where)
    out: list[SubCase] = []
    for i, item in enumerate(value):
        fields = _record(item, (*where, i), schema.CASE_FIELDS, checks)
        if any(c.anchor == fields["anchor"] for c in out):
            raise _Invalid(f"anchor {fields['anchor']!r} is used twice", (*where, i, "anchor"))
        out.append(SubCase(**{"practices": default_practices, **fields}))
    return tuple(out)


#: The check of each kind of value that needs no vocabulary (see ``schema.KINDS``).
_CHECKS: dict[str, Check] = {
    "text": _text, "texts": _texts, "slug": _slug, "date": _date, "url": _url, "bool": _bool,
    "anchor": _anchor, "figures": _figures, "image": _image,
}


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def check_meta(meta: dict[str, Any], practices: Vocabulary) -> tuple[dict[str, Any], list[_Invalid]]:
    """The values of a front-matter mapping as :class:`Article` fields, and every problem
    found in it, each with the key path it belongs to (``build`` turns those into lines,
    ``new`` into flags)."""
    problems: list[_Invalid] = []
    for key in meta:
        if key not in schema.KEYS:
            problems.append(_Invalid(f"unknown key {key!r}{did_you_mean(str(key), schema.KEYS)}", (key,)))
    # A draft may lack what the importer could not determine (its title, province,
    # practices); whatever it does have is checked as strictly as a published case's.
    draft = meta.get("draft") is True
    provinces = load_provinces()
    vocabularies = {"province": provinces, "practices": practices}
    if not draft:
        for key in schema.REQUIRED:
            if key not in meta:
                problems.append(_Invalid(f"missing required key {key!r}", ()))
            elif _empty(meta[key]):
                hint = f": {_examples(vocabularies[key])}" if key in vocabularies else ""
                problems.append(_Invalid(f"{key} is empty{hint}", (key,)))
    checks: dict[str, Check] = {
        **_CHECKS,
        "province": lambda v, w: _term(provinces, v, w),
        "practices": lambda v, w: _terms(practices, v, w),
    }
    values: dict[str, Any] = {}
    for f in schema.FIELDS:
        value = meta.get(f.name)
        if value is None or (f.required and _empty(value)) or f.kind == "cases":
            continue  # absent, or reported above (empty required keys may stay empty in a draft)
        try:
            values[f.name] = checks[f.kind](value, (f.name,))
        except _Invalid as exc:
            problems.extend(exc.each)
    # Sub-cases default to the article's practices: not checked when those are wrong (a
    # draft without practices gives its sub-cases none until it has some).
    if meta.get("cases") is not None and not any(p.where[:1] == ("practices",) for p in problems):
        try:
            values["cases"] = _cases(meta["cases"], ("cases",), checks, values.get("practices", ()))
        except _Invalid as exc:
            problems.extend(exc.each)
    return values, problems


def validate(parsed: Parsed, path: str, default_slug: str, practices: Vocabulary) -> Article:
    """Check one parsed file against the schema; raise every problem found in it."""

    def line(where: Path_) -> int:
        while where and where not in parsed.lines:
            where = where[:-1]
        return parsed.lines.get(where, 1)

    values, problems = check_meta(parsed.meta, practices)
    errors = [CasebookError(str(p), path, line(p.where)) for p in problems]
    if "slug" not in values and not errors:
        if not SLUG_RE.match(default_slug):
            errors.append(CasebookError(
                f"file name {default_slug!r} is not a usable URL slug: add 'slug:' (lowercase ASCII)", path, 1))
        values["slug"] = default_slug
    if errors:
        raise CasebookErrors(errors)
    values.setdefault("title", "")
    values.setdefault("province", None)
    values.setdefault("practices", ())
    opening = first_paragraph(parsed.body)
    return Article(path=path, body=parsed.body, body_line=parsed.body_line, excerpt=excerpt(opening),
                   lead_repeats_body=repeats(values.get("summary"), opening),
                   slug_line=line(("slug",) if "slug" in parsed.meta else ("title",)),
                   placeholders=placeholders(parsed, line), **values)


def placeholders(parsed: Parsed, line: Callable[[Path_], int]) -> tuple[int, ...]:
    """The lines still holding the text ``build.py new`` wrote for the editor to replace."""
    found = [line(("summary",))] if parsed.meta.get("summary") == schema.SUMMARY_PLACEHOLDER else []
    body = parsed.body
    for text in schema.PLACEHOLDERS:
        at = body.find(text)
        if at >= 0:
            found.append(parsed.body_line + body.count("\n", 0, at))
    return tuple(sorted(found))


# -- the body's first paragraph: excerpt and repeated lead ---------------------------------------

EXCERPT_MAX = 120  # characters: as long as the importer's summaries
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Lines that open a block other than a paragraph of prose: a heading, table, list item, quote,
# HTML block, rule, indented code, link or footnote definition, definition, or an image alone.
_NOT_PROSE_RE = re.compile(r"""^(?:\s{4}|\s{0,3}(?:\#{1,6}(?:\s|$)|\||[-+*]\s|\d{1,9}[.)]\s|>|<|:\s
    |(?:[-*_]\s*){3,}$|\[[^\]]+\]:|!\[[^\]]*\]\([^)]*\)\s*$))""", re.VERBOSE)
_SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_TABLE_RULE_RE = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$")
# A paragraph that is all emphasis is a photo caption (the importer writes them so).
_CAPTION_RE = re.compile(r"^(\*|_)(?!\1)(?:\\.|(?!\1).)+(?<!\\)\1$", re.DOTALL)
_INLINE_RES = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),  # links: their text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"(?<!\\)(?:\*+|~~|`+|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z]))"), ""),  # emphasis, code marks
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),  # backslash escapes
)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP_RE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_SPACES_RE = re.compile(r"\s+")
_LABEL_RE = re.compile(r"^[^，。：:]{1,8}[：:]")  # "编者按：", "摘要：" before an editor's note
_ELLIPSIS_END_RE = re.compile(r"(?:…|\.{3})+$")
_CLOSING = "。．.！!？?；;，,、：: \u3000"
_SENTENCE_END_RE = re.compile(r"[。！？!?；;]")
_PHRASE_END_RE = re.compile(r"[，,、：:]")


def _plain(markdown: str) -> str:
    """Inline Markdown as plain text, on one line (no space between two CJK characters)."""
    text = markdown
    for rx, repl in _INLINE_RES:
        text = rx.sub(repl, text)
    text = _CJK_GAP_RE.sub("", html.unescape(text))
    return _SPACES_RE.sub(" ", text).strip()


def first_paragraph(body: str) -> str:
    """Plain text of the first paragraph of prose in a Markdown body, "" if it has none.

    Headings, photo captions, images, code, tables, lists, quotes, HTML blocks, rules and
    definition terms are passed over: the first paragraph is what a reader takes for the
    article's lead. A few lines of block syntax, not a Markdown parser: it errs towards
    finding no paragraph (then there is no excerpt, and the summary is shown)."""
    block: list[str] = []
    fence = ""
    for line in (*body.split("\n"), ""):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            continue
        if block:
            if _SETEXT_RE.match(line) or line.lstrip().startswith(":"):
                block = []  # it was a heading, or a definition list's term
                continue
            if line.strip() and (not _NOT_PROSE_RE.match(line) or line.startswith("    ")):
                block.append(line.strip())
                continue
            plain = _paragraph_text(block)
            if plain:
                return plain
            block = []
        if not line.strip():
            continue
        m = _FENCE_RE.match(line)
        if m:
            fence = m[1]
        elif not _NOT_PROSE_RE.match(line):
            block.append(line.strip())
    return ""


def _paragraph_text(lines: list[str]) -> str:
    """The plain text of a block of lines, "" if it is a caption or a table."""
    text = " ".join(lines)
    if _CAPTION_RE.match(text) or any(_TABLE_RULE_RE.match(line) for line in lines[1:2]):
        return ""
    return _plain(text)


def excerpt(paragraph: str, limit: int = EXCERPT_MAX) -> str:
    """``paragraph`` shortened to at most ``limit`` characters, at the last sentence end (else
    phrase end) in the second half of that span, with "…" when shortened."""
    if len(paragraph) <= limit:
        return paragraph
    span = paragraph[: limit - 1]
    for rx in (_SENTENCE_END_RE, _PHRASE_END_RE):
        ends = [m.end() for m in rx.finditer(span) if m.end() >= limit // 2]
        if ends:
            cut = span[: ends[-1]]
            return cut if rx is _SENTENCE_END_RE else cut.rstrip(_CLOSING) + "…"
    return span.rstrip() + "…"


def _squeeze(text: str) -> str:
    return _SPACES_RE.sub("", text)


def repeats(summary: str | None, paragraph: str) -> bool:
    """Whether ``summary`` only repeats the start of ``paragraph`` (the body's first paragraph
    of prose): equal to it or to its beginning, ignoring markup, spaces, a closing "…" or
    punctuation, and a short label such as "编者按：" before the paragraph."""
    if not summary or not paragraph:
        return False
    said = _squeeze(_ELLIPSIS_END_RE.sub("", _plain(summary)).rstrip(_CLOSING))
    if not said:
        return False
    text = _squeeze(paragraph)
    label = _LABEL_RE.match(text)
    return text.startswith(said) or bool(label and text[label.end():].startswith(said))


def _decode(data: bytes, path: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        raise CasebookError("file is not UTF-8 text (save it as UTF-8)", path, bad_line) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise CasebookError("file contains NUL bytes: is it a binary file?", path, line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_checked(file: Path, rel: str, size: int) -> bytes:
    """The file's bytes, refusing oversized files before reading them, and anything but a
    regular file (a named pipe called ``x.md`` would block the build forever)."""
    if size > MAX_FILE_BYTES:
        raise CasebookError(f"file is {size // 1024 // 1024} MB; a case file may be at most 5 MB", rel)
    return read_bytes(file, rel, MAX_FILE_BYTES)


def read_article(file: Path, rel: str, practices: Vocabulary) -> Article:
    """Read, decode, parse and validate one case file."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise CasebookError(f"cannot read file: {exc.strerror}", rel) from None
    parsed = parse(_decode(_read_checked(file, rel, size), rel), rel)
    return validate(parsed, rel, file.stem, practices)


# -- parallel and cached loading ---------------------------------------------------------------

@dataclass
class Loaded:
    """One case file read by :func:`read_source`: the article and the keys of its parts."""

    rel: str
    size: int
    mtime_ns: int
    sha: str
    meta_key: str  # front-matter, path, file name and excerpt: what listings show
    body_key: str  # the Markdown body (with the base path and code version): the HTML
    article: Article | None
    rendered: Any = None  # the body as markup.Rendered, or pickled by a worker (see markup.Body)
    anchored: tuple[Any, ...] = ()  # the body's headings that sub-cases name (markup.Heading)
    errors: tuple[CasebookError, ...] = ()


def _sha1(*parts: bytes) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part)
        h.update(b"\x1f")
    return h.hexdigest()


def body_key(body: str, base_path: str, version: str, pictures: bytes = b"") -> str:
    return _sha1(version.encode(), base_path.encode(), body.encode("utf-8", "surrogatepass"), pictures)


def read_source(file: Path, rel: str, practices: Vocabulary, base_path: str, version: str,
                render: Callable[[str, Pictures], Any] | None = None) -> Loaded:
    """Read, parse and validate one case file, collecting its errors instead of raising, so
    it can run in a worker process. Given ``render``, the body is rendered with the pictures
    it names (a page bundle's: ``article.pictures``) and the article keeps no Markdown text;
    without it, ``article.body`` is the text (to render later) and its pictures are not read."""
    try:
        st = file.stat()
        size, mtime = st.st_size, st.st_mtime_ns
    except OSError:
        size, mtime = -1, -1
    try:
        data = _read_checked(file, rel, size)
        sha = hashlib.sha1(data).hexdigest()
        text = _decode(data, rel)
        parsed = parse(text, rel)
        article = validate(parsed, rel, file.stem, practices)
    except CasebookErrors as exc:
        return Loaded(rel, size, mtime, "", "", "", None, errors=tuple(exc.errors))
    except CasebookError as exc:
        return Loaded(rel, size, mtime, "", "", "", None, errors=(exc,))
    if file.name == "index.md":
        sha = _bundle_sha(sha, str(file))
    rendered = None
    if render is not None:
        pictures = Bundle(file, rel, article.title, article.cover)
        if article.cover:
            pictures.get(article.cover)
        rendered = render(parsed.body, pictures)
        cover_line = parsed.lines.get(("cover",), 1)
        problems = pictures.errors(parsed.body, parsed.body_line, cover_line, article.cover)
        if problems:
            return Loaded(rel, size, mtime, "", "", "", None, errors=tuple(problems))
        article = dataclasses.replace(
            article, pictures=pictures.with_lines(parsed.body, parsed.body_line, cover_line, article.cover))
    front = text[: len(text) - len(parsed.body)]
    # The pictures' hashes and sizes: their published names and markup (not the lines naming them).
    seen = "\n".join(p.fingerprint for p in article.pictures).encode("utf-8", "surrogatepass")
    cover = article.cover_picture
    # What listings show of a case: its front-matter, the excerpt taken from its body, and
    # its cover. A picture of the body only is the body's: changed or added, only the files
    # showing the body are planned again (casebook.plan.body_plan), not the lists.
    meta_key = _sha1(rel.encode(), file.stem.encode(), front.encode("utf-8", "surrogatepass"),
                     article.excerpt.encode("utf-8", "surrogatepass"), b"%d" % article.lead_repeats_body,
                     cover.fingerprint.encode("utf-8", "surrogatepass") if cover else b"")
    bkey = body_key(parsed.body, base_path, version, seen)
    if rendered is None:
        return Loaded(rel, size, mtime, sha, meta_key, bkey, article)
    anchors = {sub.anchor for sub in article.cases}
    anchored = tuple(h for h in rendered.headings if h.id in anchors) if anchors else ()
    # The Markdown text has served its purpose: not kept, nor sent back by a worker process.
    return Loaded(rel, size, mtime, sha, meta_key, bkey, dataclasses.replace(article, body=""), rendered, anchored)


def source_sha(path: str) -> str | None:
    """SHA-1 of a case file as :func:`read_source` records it: a page bundle's
    (``index.md``) covers the bytes of every other file in its folder too, so a changed
    picture is a changed case even when the Markdown is not."""
    sha = file_sha(path)
    if sha is None or os.path.basename(path) != "index.md":
        return sha
    return _bundle_sha(sha, path)


def _bundle_sha(sha: str, index: str) -> str:
    h = hashlib.sha1(sha.encode())
    folder = os.path.dirname(index)
    for path in bundle_paths(index)[1]:
        h.update(f"\0{os.path.relpath(path, folder)}\0{file_sha(path)}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def check_duplicates(articles: list[Article]) -> list[CasebookError]:
    """Cases sharing a slug: the later file in path order is reported, at its ``slug:``
    line (``title:`` when the slug is its file name), naming the earlier one."""
    errors = []
    seen: dict[str, Article] = {}
    for art in sorted(articles, key=lambda a: a.path):
        first = seen.setdefault(art.slug, art)
        if first is not art:
            errors.append(CasebookError(
                f"slug {art.slug!r} is already used by {first.path}: two cases cannot share a URL "
                "(change one 'slug:', or rename a file)", art.path, art.slug_line))
    return errors
