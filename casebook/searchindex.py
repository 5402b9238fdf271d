"""Full-text search index written by casebook itself: character bigrams, sharded static files.

Why its own index: the off-the-shelf indexer measured (Pagefind, until issue 15) needed
about 0.55 MB of memory per Chinese page (5.6 GB at 10,000 cases) and re-indexed the whole
site on any change; split into bundles, a reader's first search fetched several files per
bundle (figures in ``bench/SEARCH.md``). The build writes this index as its search stage
(:mod:`casebook.pipeline`) and checks it whole (:func:`check_index`) before publishing.

**Analysis** (the reader's ``search.js`` applies the same rules to the query): text is
folded character by character (Traditional to Simplified with a table generated from
OpenCC, full-width ASCII to ASCII, lower case), so positions in the folded text are
positions in the original, which the excerpts rely on. Each run of Han (and kana, hangul)
characters gives its overlapping bigrams and its single characters (Lucene's CJK analyzer
without a dictionary: no segmentation errors, and a one-character query still works); each
run of Latin letters or digits is one term.

**Files** under ``search-index/`` of the site:

- ``meta.json``: document count, the tombstoned document ids, the first term of each shard
  with its file name, and the fold table for the characters the index holds.
- ``s/<hash>.bin``: shards of bounded size, terms in code-point order; each term has its
  document frequency and its postings: document-id gaps and a one-byte weight (a BM25
  term-frequency part, title and place counted several times), varints.
- ``d/<id>.json``: one document (URL, title, place, practices, text, headings) fetched for
  the top results only: it gives the excerpt and proves the exact phrase.

**Incremental**: document ids only grow. A new or changed page gets the next id, so its
postings are appended to the lists without re-encoding them; the old id is tombstoned
(listed in ``meta.json``, skipped by the reader). When tombstones pass a share of the
documents, the next update re-indexes everything (ids compacted). Shards are named by their
content hash, so a reader never combines an old file with a new one under the same name.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from . import children
from .errors import CasebookError

FOLDER = "search-index"
FORMAT = 1
SHARD_BYTES = 16_000  # a shard is cut after the term that passes this size
TITLE_WEIGHT, META_WEIGHT = 4, 2  # a title hit counts as four body hits, place and practices as two
K1, B, REFERENCE_LENGTH = 1.2, 0.75, 2_000  # BM25, with a fixed length norm: weights never change
WEIGHT_SCALE = 32  # BM25 tf part (0..K1+1) times this, rounded, fits a byte
DEAD_SHARE = 0.05  # tombstones above this share of the documents: re-index from scratch

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"[{CJK}]+|[0-9a-z\u00c0-\u024f]+")
_HAN_GAP = re.compile(f"(?<=[{CJK}])[ \\t]*\\n\\s*(?=[{CJK}])")  # a soft line break between two Han characters
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


@dataclass(frozen=True)
class Page:
    """What the index holds of one page. ``headings``: (offset in ``text``, anchor id, title)."""

    url: str  # relative to the site root, e.g. ``cases/slug/``
    title: str
    place: str = ""
    text: str = ""
    terms: tuple[str, ...] = ()
    headings: tuple[tuple[int, str, str], ...] = ()

    def fingerprint(self) -> str:
        return hashlib.sha1(json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass
class State:
    """The index between builds (the build keeps it in its cache; pickles as plain data)."""

    key: str  # FORMAT and the fold table: another key means another index
    docs: dict[str, tuple[int, str]] = field(default_factory=dict)  # url -> (id, fingerprint)
    postings: dict[str, bytearray] = field(default_factory=dict)  # term -> encoded gaps and weights
    last: dict[str, int] = field(default_factory=dict)  # term -> its last document id
    df: dict[str, int] = field(default_factory=dict)  # term -> postings count (tombstones included)
    next_id: int = 0
    dead: set[int] = field(default_factory=set)
    bounds: list[str] = field(default_factory=list)  # first term of each shard
    meta_digest: str = ""  # sha1 of the meta.json last written


# ---------- analysis ----------------------------------------------------------------------------

@cache
def fold_table() -> dict[int, str]:
    """Character-for-character folding: OpenCC ``t2s`` applied to each CJK character alone
    (phrase rules would change lengths), full-width letters and digits to ASCII, upper to
    lower case. Punctuation is left alone: terms never hold it, and most texts then need
    no translation at all."""
    import opencc  # here: only builds with search pay for loading its dictionaries

    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1 and b < "\U00010000"}
    table.update({c: chr(c - 0xFEE0).lower() for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()})
    table.update({c: chr(c).lower() for c in range(0x41, 0x250)
                  if chr(c).lower() != chr(c) and len(chr(c).lower()) == 1})
    return table


@cache
def _folded_chars() -> re.Pattern[str]:
    """Any character :func:`fold` changes: most texts have none and are returned as they are."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(fold_table())) + "]")


def fold(text: str) -> str:
    """The index's spelling of ``text``, same length (see :func:`fold_table`)."""
    return text.translate(fold_table()) if _folded_chars().search(text) else text


def tokens(text: str) -> Counter[str]:
    """Terms of already folded text with their counts: per CJK run its characters and
    overlapping bigrams, per Latin or digit run the run itself (counted by C code: most of
    the indexing time is here)."""
    counts: Counter[str] = Counter()
    cjk: list[str] = []
    for run in _RUN.findall(text):
        if run[0] > "\u3000":
            cjk.append(run)
        else:
            counts[run] += 1
    counts.update("".join(cjk))
    counts.update(chain.from_iterable(map(str.__add__, run, run[1:]) for run in cjk))
    return counts


def weights(page: Page) -> tuple[Counter[str], int]:
    """Term frequencies with title and place hits counted several times, and the body's length."""
    body = tokens(fold(page.text))
    length = sum(body.values())
    for term, n in tokens(fold(page.title)).items():
        body[term] += TITLE_WEIGHT * n
    for term, n in tokens(fold(" ".join((page.place, *page.terms)))).items():
        body[term] += META_WEIGHT * n
    return body, length


def quantizer(length: int) -> Callable[[int], int]:
    """The BM25 term-frequency part as a byte (1..255) for a document of ``length`` terms
    (idf is applied by the reader); memoized, as most frequencies are small."""
    norm = K1 * (1 - B + B * length / REFERENCE_LENGTH)

    @cache
    def weight(tf: int) -> int:
        return max(1, min(255, round(WEIGHT_SCALE * tf * (K1 + 1) / (tf + norm))))
    return weight


# ---------- encoding ----------------------------------------------------------------------------

def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(data: bytes | bytearray, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` and the position after it."""
    n = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, pos
        shift += 7


def decode(data: bytes | bytearray) -> list[tuple[int, int]]:
    """(document id, weight) pairs of one postings list (for tests and compaction checks)."""
    out, pos, doc = [], 0, 0
    while pos < len(data):
        gap, pos = read_varint(data, pos)
        doc += gap
        out.append((doc, data[pos]))
        pos += 1
    return out


Block = dict[str, tuple[int, int, bytes]]  # term -> (count, last id, postings; first id absolute)


def encode_docs(docs: Iterable[tuple[int, Counter[str], int]]) -> Block:
    """Postings of consecutive documents (ids ascending); the first gap of each term is
    its absolute id, so blocks encoded apart are joined by re-encoding one number."""
    lists: dict[str, list[int]] = {}
    for doc, tf, length in docs:
        weight = quantizer(length)
        for term, n in tf.items():
            pair = (doc, weight(n))
            found = lists.get(term)
            if found is None:
                lists[term] = list(pair)
            else:
                found += pair
    return {term: (len(flat) // 2, flat[-2], encode_list(flat)) for term, flat in lists.items()}


def encode_list(flat: list[int]) -> bytes:
    """``[id, weight, id, weight, ...]`` as gaps and weights; one C call when every gap
    fits in a byte (the common case: a term is in many neighbouring documents)."""
    ids = flat[0::2]
    gaps = [ids[0], *map(int.__sub__, ids[1:], ids)]
    if max(gaps) < 0x80:
        out = flat[:]
        out[0::2] = gaps
        return bytes(out)
    return b"".join(varint(g) + bytes((w,)) for g, w in zip(gaps, flat[1::2], strict=True))


def append_block(state: State, block: Block) -> None:
    """Append a block of later documents to the state's postings."""
    for term, (count, last, data) in block.items():
        prev = state.last.get(term)
        if prev is None:
            state.postings[term] = bytearray(data)
        else:
            first, pos = read_varint(data, 0)
            state.postings[term] += varint(first - prev)
            state.postings[term] += data[pos:]
        state.last[term] = last
        state.df[term] = state.df.get(term, 0) + count


# ---------- workers -----------------------------------------------------------------------------
# Set in the parent just before the pool forks: the workers inherit the page source.
_SOURCE: dict[str, Any] = {}


def _index_chunk(items: list[tuple[int, str]]) -> Block:
    """In a worker (or inline): read, analyse and store a chunk of pages."""
    read: Callable[[str], Page] = _SOURCE["read"]
    docs_dir: Path = _SOURCE["docs_dir"]
    analysed = []
    for doc, url in items:
        page = read(url)
        write_atomic(docs_dir / f"{doc}.json", doc_json(page))
        tf, length = weights(page)
        analysed.append((doc, tf, length))
    return encode_docs(analysed)


def doc_json(page: Page) -> bytes:
    record = {"u": page.url, "t": page.title, "p": page.place, "k": list(page.terms), "x": page.text,
              "h": [list(h) for h in page.headings]}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def _blocks(items: list[tuple[int, str]], read: Callable[[str], Page], docs_dir: Path,
            jobs: int) -> Iterator[Block]:
    """Encoded blocks of ``items`` in id order, analysed in ``jobs`` forked workers if worth it."""
    _SOURCE.update(read=read, docs_dir=docs_dir)
    try:
        if jobs < 2 or len(items) < 200:
            yield _index_chunk(items)
            return
        import multiprocessing  # here: write.py imports this module for FOLDER on every build, with work or not
        from concurrent.futures import ProcessPoolExecutor

        size = max(50, min(500, len(items) // (jobs * 4) + 1))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                 **children.pool_options()) as pool:
            yield from pool.map(_index_chunk, chunks)
    finally:
        _SOURCE.clear()


# ---------- the update ------------------------------------------------------------------------------

def state_key() -> str:
    table = fold_table()
    return f"{FORMAT}:{hashlib.sha1(repr(sorted(table.items())).encode()).hexdigest()[:12]}"


def update(out_dir: Path, pages: Mapping[str, str], read: Callable[[str], Page],
           previous: State | None = None, jobs: int = 1) -> State:
    """Bring ``out_dir/search-index/`` up to date and return the state for the next call.

    ``pages`` maps every page's URL to a fingerprint that changes when its content does
    (for example its render key); ``read(url)`` gives the :class:`Page` of a new or changed
    URL (it runs in forked workers when ``jobs`` > 1 and many pages changed). ``previous``
    is what the last call returned for this same folder, or None: then everything is indexed."""
    folder = out_dir / FOLDER
    state = previous if previous is not None and _usable(previous, folder) else None
    changed = _changed(state, pages) if state is not None else None
    if state is not None and not changed and state.docs.keys() <= pages.keys():
        return state  # nothing new, nothing gone: the files stay as they are
    if state is None or changed is None or _needs_compaction(state, pages, changed):
        state = State(state_key())
        _clear(folder)
        changed = sorted(pages)
    else:
        gone = [url for url in state.docs if url not in pages or url in changed]
        for url in gone:
            doc = state.docs.pop(url)[0]
            state.dead.add(doc)
            (folder / "d" / f"{doc}.json").unlink(missing_ok=True)
    items = []
    for url in changed:
        state.docs[url] = (state.next_id, pages[url])
        items.append((state.next_id, url))
        state.next_id += 1
    (folder / "d").mkdir(parents=True, exist_ok=True)
    for block in _blocks(items, read, folder / "d", jobs):
        append_block(state, block)
    _write_shards(state, folder)
    return state


def _usable(state: State, folder: Path) -> bool:
    """The state describes the files in ``folder`` (a fresh output folder gets a full index)."""
    try:
        meta = (folder / "meta.json").read_bytes()
    except OSError:
        return False
    return state.key == state_key() and hashlib.sha1(meta).hexdigest() == state.meta_digest


def _changed(state: State, pages: Mapping[str, str]) -> list[str]:
    return sorted(url for url, fp in pages.items() if state.docs.get(url, (0, ""))[1] != fp)


def _needs_compaction(state: State, pages: Mapping[str, str], changed: list[str]) -> bool:
    gone = sum(1 for url in state.docs if url not in pages) + sum(1 for url in changed if url in state.docs)
    return len(state.dead) + gone > DEAD_SHARE * max(len(pages), 1) + 20


def _clear(folder: Path) -> None:
    for sub in ("s", "d"):
        if (folder / sub).is_dir():
            for entry in os.scandir(folder / sub):
                os.unlink(entry.path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename: a hard-linked copy of the output (the
    build's staging tree) never sees the file change under it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def shard_entry(term: str, df: int, data: bytes | bytearray) -> bytes:
    raw = term.encode()
    return bytes([len(raw)]) + raw + varint(df) + varint(len(data)) + data


def _partition(state: State, terms: list[str]) -> list[list[str]]:
    """Terms (sorted) cut into shards: at the existing bounds, re-cut when a shard grew past
    four times the target or none exist yet."""
    groups: list[list[str]] = [[] for _ in state.bounds] or [[]]
    for term in terms:
        groups[max(0, bisect_right(state.bounds, utf16(term), key=utf16) - 1)].append(term)
    sizes = [sum(len(state.postings[t]) + 8 for t in g) for g in groups]
    if state.bounds and max(sizes) <= 4 * SHARD_BYTES:
        return groups
    cut: list[list[str]] = [[]]
    size = 0
    for term in terms:
        if size >= SHARD_BYTES:
            cut.append([])
            size = 0
        cut[-1].append(term)
        size += len(state.postings[term]) + 8
    state.bounds = [""] + [g[0] for g in cut[1:]]
    return cut


def utf16(term: str) -> bytes:
    """Sort key: JavaScript compares strings by UTF-16 code units, the reader's binary search too."""
    return term.encode("utf-16-be")


def _write_shards(state: State, folder: Path) -> None:
    terms = sorted(state.postings, key=utf16)
    groups = _partition(state, terms)
    (folder / "s").mkdir(parents=True, exist_ok=True)
    names = []
    for group in groups:
        blob = b"".join(shard_entry(t, state.df[t], state.postings[t]) for t in group)
        name = hashlib.sha1(blob).hexdigest()[:16]
        path = folder / "s" / f"{name}.bin"
        if not path.exists():
            write_atomic(path, blob)
        names.append(name)
    meta = json.dumps({"format": FORMAT, "docs": len(state.docs), "dead": sorted(state.dead),
                       "shards": [[b, n] for b, n in zip(state.bounds or [""], names, strict=True)],
                       "fold": fold_pairs(terms)}, ensure_ascii=False, separators=(",", ":")).encode()
    write_atomic(folder / "meta.json", meta)
    state.meta_digest = hashlib.sha1(meta).hexdigest()
    keep = {f"{n}.bin" for n in names}
    for entry in os.scandir(folder / "s"):
        if entry.name not in keep:
            os.unlink(entry.path)


def fold_pairs(terms: Iterable[str]) -> list[str]:
    """The fold table as two strings (from, to), only for characters the index holds:
    the reader folds a Traditional query with it."""
    held = {t for t in terms if len(t) == 1}
    pairs = sorted((chr(c), to) for c, to in fold_table().items() if to in held and c > 0x3000)
    return ["".join(a for a, _ in pairs), "".join(b for _, b in pairs)]


# ---------- pages from a built site ---------------------------------------------------------------

BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "ul", "ol", "blockquote", "pre", "table", "tr",
          "td", "th", "dt", "dd", "figure", "figcaption", "header", "footer", "aside", "section", "br", "hr")
SKIP = ("descendant::*[@data-search-ignore or @data-search-meta or self::nav or self::script or self::style"
        " or self::button or contains(concat(' ', @class, ' '), ' print-only ')]")
LINE = "\ue000"  # a private-use character marks block boundaries while source line breaks are in the text


def read_html(path: Path, url: str) -> Page:
    """The :class:`Page` of a built page file (see :func:`page_from_html`)."""
    return page_from_html(path.read_text("utf-8"), url)


def page_from_html(html: str, url: str) -> Page:
    """What a case page gives the index: the element the theme marks ``data-search-body``,
    without what it marks ``data-search-ignore``, navigation and print-only lines; title
    and place from their ``data-search-meta``, practices from ``data-terms``. Block
    elements are separate lines, so list items and chips are never glued together; a source
    line break between two Han characters is dropped (elsewhere it is a space)."""
    lxml_html: Any = importlib.import_module("lxml.html")  # here: only indexing pays; lxml has no stubs

    at = html.find("data-search-body")
    end = html.find("</main>", at)  # only the marked element is parsed: a third of the time
    found = [] if at < 0 else lxml_html.fromstring(html[html.rfind("<", 0, at):end if end > 0 else len(html)]).xpath(
        "descendant-or-self::*[@data-search-body]")
    if not found:
        return Page(url, "")
    body = found[0]
    title, place = "", ""
    for el in body.xpath(".//*[@data-search-meta]"):
        meta = el.get("data-search-meta")
        if meta == "title":
            title = el.text_content().strip()
        elif meta.startswith("place:"):
            place = meta[6:].strip()
    terms = tuple(t for el in body.xpath(".//*[@data-terms]") for t in el.get("data-terms").split("、") if t)
    for el in body.xpath(SKIP):
        el.drop_tree()
    headings = [(el.get("id"), _inline(el.text_content()).strip())
                for el in body.iter("h2", "h3", "h4") if el.get("id")]
    for el in body.iter(*BLOCKS):
        el.text = LINE + (el.text or "")
        el.tail = LINE + (el.tail or "")
    lines = (line.strip() for line in _inline(body.text_content()).split(LINE))
    text = "\n".join(line for line in lines if line)
    return Page(url, title, place, text, terms, tuple(_locate(headings, text)))


def _inline(text: str) -> str:
    """Source line breaks: none between Han characters, else one space; spaces collapsed."""
    return _SPACE.sub(" ", _HAN_GAP.sub("", text).replace("\n", " "))


def _locate(headings: list[tuple[str, str]], text: str) -> Iterator[tuple[int, str, str]]:
    """Offsets of the headings' lines in the final text, in order."""
    pos = 0
    for anchor, title in headings:
        at = text.find(title, pos)
        if at >= 0:
            pos = at
            yield at, anchor, title


def site_pages(site_dir: Path, pattern: str = "cases/*/index.html") -> dict[str, str]:
    """Case pages of a built site by URL, fingerprinted by their stat (size, mtime, inode)."""
    pages = {}
    for path in site_dir.glob(pattern):
        st = path.stat()
        pages[path.parent.relative_to(site_dir).as_posix() + "/"] = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
    return pages


def index_site(site_dir: Path, previous: State | None = None, jobs: int = 1) -> State:
    """Index the case pages of a built site, reading the HTML (see :func:`read_html`)."""
    return update(site_dir, site_pages(site_dir), _SiteReader(site_dir), previous, jobs)


@dataclass(frozen=True)
class _SiteReader:
    site_dir: Path

    def __call__(self, url: str) -> Page:
        return read_html(self.site_dir / url / "index.html", url)


def index_pages(pages: Iterable[Page], out_dir: Path, previous: State | None = None, jobs: int = 1) -> State:
    """Index pages the caller already holds (fingerprints from their content)."""
    by_url = {p.url: p for p in pages}
    return update(out_dir, {u: p.fingerprint() for u, p in by_url.items()}, by_url.__getitem__, previous, jobs)


# ---------- completeness ----------------------------------------------------------------------------

def check_index(folder: Path) -> None:
    """Refuse an index that is not whole: ``meta.json`` unreadable, or a shard or document
    it names missing or empty (a full disk can leave a file at 0 bytes with no error seen).
    The build then publishes nothing: the previous site stays."""
    problem = _index_problem(folder)
    if problem:
        raise CasebookError(f"search index incomplete: {problem}; the site was not published (is the disk full?)")


def _index_problem(folder: Path) -> str | None:
    try:
        meta = json.loads((folder / "meta.json").read_bytes())
        shards = [f"s/{name}.bin" for _first, name in meta["shards"]]
        dead = set(meta["dead"])
        docs = [f"d/{doc}.json" for doc in range(meta["docs"] + len(dead)) if doc not in dead]
    except (OSError, ValueError, LookupError, TypeError) as exc:
        return f"{FOLDER}/meta.json is missing or unreadable ({type(exc).__name__}: {exc})"
    for rel in chain(shards, docs):
        try:
            size = os.stat(folder / rel).st_size
        except OSError:
            return f"{FOLDER}/{rel} is missing"
        if size == 0:
            return f"{FOLDER}/{rel} is empty"
    return None
