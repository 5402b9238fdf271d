"""Score the importer on the labelled evaluation corpus in ``bench/eval/``.

Every case is a raw page (``NAME.txt`` / ``NAME.html``) and its labels
(``NAME.yaml``, format in ``bench/eval/README.md``). Each page goes through the
importer in-process (``read`` then ``convert``, as ``build.py import`` does); an
exception of any kind counts as "no file written" and the run goes on. The
metrics are the ones of issue 12, per set and separately for text and HTML:

* files written, drafts; province, city and county right (over all cases);
* junk lines left: a junk item is left when its text occurs in a body line or
  in the title (over the files written);
* article text lost: article sentences (split on 。！？ and line ends) whose
  text, ignoring spaces and punctuation, is not in the body (files written); a
  caption the import moved to the removal report because its picture is gone
  (``[orphan_captions]``, issue 16) is counted apart, as moved, not lost;
* mojibake left (files written); title, date, source and authors right (a case without a
  headline is not counted for the title); practice precision / recall / F1,
  micro-averaged over the cases; and for text, pairs of cases that must share
  one slug (``same_slug_as``).

    .venv/bin/python bench/eval_import.py [--set dev|holdout|all] [--verbose] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import opencc
import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "bench" / "eval"
PRACTICES = ROOT / "data" / "practices.yaml"
SETS = ("dev", "holdout", "holdout2")
KINDS = ("text", "html")
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
sys.path.insert(0, str(ROOT))

_T2S = opencc.OpenCC("t2s")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")
_ANCHOR = re.compile(r"\s*\{#[^}]*\}\s*$")
#: A caption the importer moved to the removal report because its picture is gone.
ORPHAN_CAPTION = "[orphan_captions] "


# ---------------------------------------------------------------- text keys

def junk_key(item: str) -> str:
    """A junk item as it is looked for: width-folded, no spaces, outer brackets and
    punctuation trimmed (``（记者 王敏）`` -> ``记者王敏``) unless that leaves under 2 characters
    (``（完）`` stays ``(完)``)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", item))
    trimmed = re.sub(r"^[\W_]+|[\W_]+$", "", text)
    return trimmed if len(trimmed) >= 2 else text


def line_key(line: str) -> str:
    """A body line as junk is looked for in it (width-folded, no spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))


def text_key(text: str) -> str:
    """Text without spaces and punctuation, for comparing sentences."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences (split after 。！？ and at line ends); empty pieces dropped."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if len(text_key(s)) >= 2]


def squeeze(value: Any) -> str:
    """A front-matter value compared as text: no spaces, '' for nothing."""
    return "" if value is None else re.sub(r"\s+", "", str(value))


# ---------------------------------------------------------------- cases

@dataclass
class Case:
    name: str
    set: str
    kind: str
    path: Path
    labels: dict[str, Any]


def load_cases(sets: tuple[str, ...]) -> list[Case]:
    """Every labelled case of the chosen sets, sorted by set and name."""
    cases = []
    for set_name in sets:
        for label in sorted((EVAL / set_name).glob("*.yaml")):
            inputs = [label.with_suffix(s) for s in SUFFIXES if label.with_suffix(s).exists()]
            if not inputs:
                print(f"warning: {label} has no input file", file=sys.stderr)
                continue
            labels = yaml.safe_load(label.read_text(encoding="utf-8")) or {}
            cases.append(Case(label.stem, set_name, SUFFIXES[inputs[0].suffix], inputs[0], labels))
    return cases


@dataclass
class Outcome:
    """What the importer made of one case, and every way it differs from the labels."""

    name: str
    set: str
    kind: str
    written: bool = False
    error: str = ""
    draft: bool = False
    slug: str = ""
    got: dict[str, Any] = field(default_factory=dict)
    right: dict[str, bool] = field(default_factory=dict)
    junk_total: int = 0
    junk_left: list[str] = field(default_factory=list)
    sentences_total: int = 0
    sentences_lost: list[str] = field(default_factory=list)
    captions_moved: list[str] = field(default_factory=list)  # to the report: their picture is gone
    pictures: int = 0  # <img> elements of an HTML page
    mojibake_total: int = 0
    mojibake_left: list[str] = field(default_factory=list)
    practices_tp: int = 0
    practices_got: int = 0
    practices_expected: int = 0


def split_markdown(document: str) -> tuple[dict[str, Any], list[str]]:
    """Front matter and body lines (heading marks, anchors, caption stars and escapes removed)."""
    front: dict[str, Any] = {}
    body = document
    if document.startswith("---\n"):
        end = document.find("\n---\n", 4)
        front = yaml.safe_load(document[4:end]) or {}
        body = document[end + 5:]
    lines = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        line = _ANCHOR.sub("", re.sub(r"^#{1,6}\s+", "", line))
        if len(line) > 1 and line.startswith("*") and line.endswith("*"):
            line = line[1:-1]
        lines.append(line.replace("\\", ""))
    return front, lines


def run_case(case: Case, ctx: Any) -> Outcome:
    """Import one case and compare it with its labels."""
    from casebook.importer.convert import convert
    from casebook.importer.fetch import read

    labels = case.labels
    out = Outcome(case.name, case.set, case.kind)
    expected_practices = set(labels.get("practices") or [])
    out.practices_expected = len(expected_practices)
    try:
        result = convert(read(str(case.path)), ctx)
    except Exception as exc:  # noqa: BLE001 - any failure is "no file written"
        out.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return out
    out.written, out.slug = True, result.slug
    front, body = split_markdown(result.markdown)
    out.draft = bool(front.get("draft"))
    title = str(front.get("title") or "")
    out.got = {k: front.get(k) for k in ("province", "city", "county", "title", "date", "source", "authors",
                                         "practices")}
    for key in ("province", "city", "county", "date", "source"):
        out.right[key] = squeeze(front.get(key)) == squeeze(labels.get(key))
    if labels.get("title"):
        out.right["title"] = squeeze(title) == squeeze(labels["title"])
    out.right["authors"] = set(front.get("authors") or []) == set(labels.get("authors") or [])

    keyed = [line_key(line) for line in [*body, title]]
    junk = labels.get("junk") or []
    out.junk_total = len(junk)
    out.junk_left = [j for j in junk if any(junk_key(j) in line for line in keyed)]

    whole = text_key("".join(body))
    moved = text_key("".join(line for line in result.report.splitlines() if line.startswith(ORPHAN_CAPTION)))
    all_sentences = [s for item in labels.get("article") or [] for s in sentences(str(item))]
    out.sentences_total = len(all_sentences)
    missing = [s for s in all_sentences if text_key(s) not in whole]
    out.captions_moved = [s for s in missing if text_key(s) in moved]
    out.sentences_lost = [s for s in missing if text_key(s) not in moved]
    if case.kind == "html":
        out.pictures = case.path.read_bytes().lower().count(b"<img")

    text = "\n".join([*body, title])
    mojibake = labels.get("mojibake") or []
    out.mojibake_total = len(mojibake)
    out.mojibake_left = [m for m in mojibake if m in text or _T2S.convert(m) in text]

    got_practices = set(front.get("practices") or [])
    out.practices_got = len(got_practices)
    out.practices_tp = len(got_practices & expected_practices)
    return out


# ---------------------------------------------------------------- the table

def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f} %" if total else "–"


def summarise(outs: list[Outcome], cases: dict[str, Case]) -> dict[str, str]:
    """One column of the table: metric -> cell."""
    if not outs:
        return {}
    n = len(outs)
    written = [o for o in outs if o.written]

    def count(key: str) -> int:
        return sum(1 for o in outs if o.right.get(key))

    titled = sum(1 for o in outs if cases[o.name].labels.get("title"))
    junk_left = sum(len(o.junk_left) for o in written)
    junk_total = sum(o.junk_total for o in written)
    lost = sum(len(o.sentences_lost) for o in written)
    total = sum(o.sentences_total for o in written)
    tp = sum(o.practices_tp for o in outs)
    got = sum(o.practices_got for o in outs)
    expected = sum(o.practices_expected for o in outs)
    precision = tp / got if got else 0.0
    recall = tp / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    cells = {
        "cases": str(n),
        "a Markdown file written": f"{len(written)} of {n}",
        "of them drafts": str(sum(1 for o in written if o.draft)),
        "province right": f"{count('province')} ({_pct(count('province'), n)})",
        "city / county right": f"{count('city')} / {count('county')}",
        "junk lines left in the body": f"{junk_left} of {junk_total} ({_pct(junk_left, junk_total)})",
        "article text lost (sentences)": f"{lost} of {total}",
        "captions moved to the report (picture gone)": str(sum(len(o.captions_moved) for o in written)),
        "mojibake left": f"{sum(len(o.mojibake_left) for o in written)} of {sum(o.mojibake_total for o in written)}",
        "title right (pages with a headline)": f"{count('title')} of {titled}",
        "date right": f"{count('date')} of {n}",
        "source right": f"{count('source')} of {n}",
        "authors right": f"{count('authors')} of {n}",
        "practice P / R / F1": f"{precision:.2f} / {recall:.2f} / {f1:.2f}",
    }
    pairs = [(o, cases[o.name].labels["same_slug_as"]) for o in outs if cases[o.name].labels.get("same_slug_as")]
    if pairs:
        slugs = {o.name: o.slug for o in outs}
        same = sum(1 for o, other in pairs if o.slug and o.slug == slugs.get(other))
        cells["same slug for the same article (pairs)"] = f"{same // 2} of {len(pairs) // 2}"
    return cells


def table(outs: list[Outcome], cases: dict[str, Case], sets: tuple[str, ...]) -> str:
    """The Markdown table: rows are metrics, columns are kind x set (empty columns left out)."""
    columns = [(k, s) for s in sets for k in KINDS]
    cells = {c: summarise([o for o in outs if (o.kind, o.set) == c], cases) for c in columns}
    columns = [c for c in columns if cells[c]]
    rows = list(dict.fromkeys(r for c in columns for r in cells[c]))
    lines = ["| metric | " + " | ".join(f"{k} {s}" for k, s in columns) + " |",
             "|---|" + "---|" * len(columns)]
    lines += ["| " + r + " | " + " | ".join(cells[c].get(r, "") for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def failures(o: Outcome, case: Case) -> list[str]:
    """Everything wrong with one case, one line each."""
    if not o.written:
        return [f"no file written: {o.error}"]
    lines = []
    for key, ok in o.right.items():
        if not ok:
            lines.append(f"{key}: got {o.got.get(key)!r}, expected {case.labels.get(key)!r}")
    got_p, exp_p = set(o.got.get("practices") or []), set(case.labels.get("practices") or [])
    if got_p != exp_p:
        lines.append(f"practices: got {sorted(got_p)}, expected {sorted(exp_p)}")
    lines += [f"junk left: {j}" for j in o.junk_left]
    lines += [f"sentence lost: {s}" for s in o.sentences_lost]
    lines += [f"mojibake left: {m}" for m in o.mojibake_left]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*SETS, "all"), default="all")
    parser.add_argument("--verbose", action="store_true", help="list every failure of every case")
    parser.add_argument("--json", type=Path, help="write every case's outcome and the table here")
    args = parser.parse_args()
    sets = SETS if args.set == "all" else (args.set,)

    from casebook.importer.convert import Context

    started = time.perf_counter()
    ctx = Context.load(PRACTICES)
    cases = load_cases(sets)
    by_name = {c.name: c for c in cases}
    outs = [run_case(c, ctx) for c in cases]
    elapsed = time.perf_counter() - started

    if args.verbose:
        for o in outs:
            problems = failures(o, by_name[o.name])
            print(f"## {o.set}/{o.name} ({o.kind})" + ("" if problems else ": all right"))
            for p in problems:
                print(f"- {p}")
            print()
    result = table(outs, by_name, sets)
    print(result)
    print(f"\n{len(cases)} cases in {elapsed:.1f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"table": result, "cases": [asdict(o) for o in outs]},
                                        ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
