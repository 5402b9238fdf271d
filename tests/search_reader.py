"""A reader of ``search-index/`` in Python, step for step what ``search.js`` does (fold, cut
the query, look terms up in their shards, intersect, rank, prove the phrase), so the index
format and the query semantics are tested without a browser (the browser test runs the JS)."""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

from casebook import searchindex

SHARDS = 7  # search.js: at most this many shard files for one query


def query_terms(query: str) -> tuple[list[str], list[str], list[str]]:
    """The runs a result must hold, the terms that cover every character (bigrams at even
    offsets plus the last, a lone character, a Latin word) and the bigrams between them."""
    runs = searchindex._RUN.findall(searchindex.fold(query))
    cover: list[str] = []
    joins: list[str] = []
    for run in runs:
        if run[0] < "\u3000" or len(run) == 1:
            cover.append(run)
            continue
        for i in range(len(run) - 1):
            (cover if i % 2 == 0 or i == len(run) - 2 else joins).append(run[i:i + 2])
    return runs, list(dict.fromkeys(cover)), joins


def chosen_terms(query: str, shard_of: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """The runs and the terms looked up: the cover, then joins while within SHARDS files."""
    runs, terms, joins = query_terms(query)
    files = {shard_of(t) for t in terms}
    for term in joins:
        if term not in terms and (shard_of(term) in files or len(files) < SHARDS):
            files.add(shard_of(term))
            terms.append(term)
    return runs, terms


def shard_terms(blob: bytes) -> dict[str, tuple[int, bytes]]:
    """Every term of one shard file: (document frequency, postings)."""
    out, pos = {}, 0
    while pos < len(blob):
        size = blob[pos]
        term = blob[pos + 1:pos + 1 + size].decode()
        pos += 1 + size
        df, pos = searchindex.read_varint(blob, pos)
        length, pos = searchindex.read_varint(blob, pos)
        out[term] = (df, blob[pos:pos + length])
        pos += length
    return out


def search(site: Path, query: str, limit: int = 10) -> list[str]:
    """URLs of the top ``limit`` proven results, as the search page lists them."""
    folder = site / searchindex.FOLDER
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    bounds = [searchindex.utf16(b) for b, _ in meta["shards"]]

    def shard_of(term: str) -> str:
        return str(meta["shards"][bisect_right(bounds, searchindex.utf16(term)) - 1][1])
    runs, terms = chosen_terms(query, shard_of)
    if not terms:
        return []
    found: dict[str, tuple[int, bytes]] = {}
    for term in terms:
        shard = shard_terms((folder / "s" / f"{shard_of(term)}.bin").read_bytes())
        if term not in shard:
            return []
        found[term] = shard[term]
    dead, total = set(meta["dead"]), meta["docs"] + len(meta["dead"])
    scores: dict[int, float] | None = None
    for term in sorted(terms, key=lambda t: found[t][0]):
        df, data = found[term]
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        hits = {doc: w * idf for doc, w in searchindex.decode(data) if doc not in dead}
        scores = hits if scores is None else {d: s + hits[d] for d, s in scores.items() if d in hits}
    assert scores is not None
    ranked = sorted(scores, key=lambda d: (-scores[d], d))
    shown = []
    for doc in ranked[:limit]:
        record = json.loads((folder / "d" / f"{doc}.json").read_text("utf-8"))
        text = searchindex.fold("\n".join((record["t"], record["p"], "、".join(record["k"]), record["x"])))
        if all(run in text for run in runs):
            shown.append(record["u"])
    return shown
