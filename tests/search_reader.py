"""A reader of ``search-index/`` in Python, step for step what ``search.js`` does (fold, cut
the query, look terms up in their shards, intersect, rank, prove the phrase), so the index
format and the query semantics are tested without a browser (the browser test runs the JS)."""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from pathlib import Path

from casebook import searchindex


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """The runs a result must hold and the terms looked up (bigrams at even offsets plus
    the last, a lone character, a Latin word)."""
    runs = searchindex._RUN.findall(searchindex.fold(query))
    terms: list[str] = []
    for run in runs:
        if run[0] < "\u3000" or len(run) == 1:
            terms.append(run)
            continue
        terms += [run[i:i + 2] for i in range(0, len(run) - 1, 2)]
        if len(run) % 2:
            terms.append(run[-2:])
    return runs, list(dict.fromkeys(terms))


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
    runs, terms = query_terms(query)
    if not terms:
        return []
    bounds = [searchindex.utf16(b) for b, _ in meta["shards"]]
    found: dict[str, tuple[int, bytes]] = {}
    for term in terms:
        name = meta["shards"][bisect_right(bounds, searchindex.utf16(term)) - 1][1]
        shard = shard_terms((folder / "s" / f"{name}.bin").read_bytes())
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
    for doc in ranked[:20]:
        record = json.loads((folder / "d" / f"{doc}.json").read_text("utf-8"))
        text = searchindex.fold("\n".join((record["t"], record["p"], "、".join(record["k"]), record["x"])))
        if all(run in text for run in runs):
            shown.append(record["u"])
    return shown[:limit]
