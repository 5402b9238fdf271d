"""Writes the scraped-TEXT half of the import evaluation corpus (``*.txt`` + ``*.yaml``).

The cases are written by hand in ``texts/dev.src`` and ``texts/holdout.src``: the
labels, then the page exactly as a scraper left it, line by line, in clean
Simplified Chinese. This script marks which lines are article and which are
furniture, applies the damage the case asks for (Traditional script, glued
pinyin, GBK with lost high bits, UTF-8 read as GBK, GBK bytes) and writes
``dev/NAME.txt`` + ``dev/NAME.yaml`` (or ``holdout/``). The generated files are
committed; rerunning the script reproduces them byte for byte (all damage is
deterministic).

    .venv/bin/python bench/eval/make_texts.py [--check]

Source format: a case opens with ``=== NAME``, then ``key: value`` label lines
(``label province city county title date source authors practices damage`` and
optionally ``same_slug_as``; lists comma-separated, ``null`` for none), then a
line ``---``, then the page. Page lines:

    plain text           an article paragraph, heading or caption
    # text               a whole furniture line (junk)
    ~ text               a page line that is neither (the headline as printed)
    {...} inside a line  a junk span: kept in the page, left out of the article
                         (``……幸福感。{（记者 王敏）}``, ``{本报讯}近日，……``)
    (empty line)         an empty line of the page

A junk item is the marked span, or the whole ``#`` line (its first
:data:`JUNK_CHARS` characters when longer). ``--check`` verifies the labels:
no junk item inside the article or title, practices from the vocabulary,
Traditional round trips, and the decoded damage.

``damage:`` is a space-separated list applied in this order:

``trad``      OpenCC ``s2t`` over the whole page
``pinyin``    tone-marked pinyin glued after about a third of the converted
              characters, the same characters everywhere (``社區(qū)``), as
              conversion sites do (implies ``trad``)
``highbit``   GBK whose lead byte lost its high bit at some sentence ends
              (``。現`` -> ``?,F``, see ``casebook/importer/mojibake.py``),
              decoded again dropping invalid pairs, saved as UTF-8
``u8gbk``     UTF-8 bytes decoded as GBK (``我们`` -> ``鎴戜滑``), whole file
``u8gbk:N-M`` the same on page lines N..M only (1-based, inclusive)
``gbk``       the page saved as GBK bytes instead of UTF-8
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import yaml
from pypinyin import Style, pinyin

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PRACTICES = ROOT / "data" / "practices.yaml"
#: A long junk line is identified by its first characters.
JUNK_CHARS = 24
#: How many sentence ends ``highbit`` damages per case.
HIGHBIT_SPOTS = 3
LABEL_KEYS = ("label", "province", "city", "county", "title", "date", "source", "authors", "practices")
_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")
_JUNK_SPAN = re.compile(r"\{(.+?)\}")


@dataclass
class Case:
    name: str
    set: str
    labels: dict[str, object]
    damage: list[str]
    lines: list[str] = field(default_factory=list)  # clean page lines
    kinds: list[str] = field(default_factory=list)  # per page line: article, junk or other
    article: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    same_slug_as: str | None = None


def _value(key: str, text: str) -> object:
    text = text.strip()
    if key in ("authors", "practices"):
        return [] if text in ("", "null", "[]") else [t.strip() for t in re.split(r"[,，]", text) if t.strip()]
    return None if text in ("", "null") else text


def parse(path: Path, set_name: str) -> list[Case]:
    """The cases of one source file, with their page lines sorted into article and junk."""
    cases: list[Case] = []
    case: Case | None = None
    in_page = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("=== "):
            case = Case(raw[4:].strip(), set_name, {}, [])
            cases.append(case)
            in_page = False
            continue
        if case is None:
            continue
        if not in_page:
            if raw.strip() == "---":
                in_page = True
            elif raw.strip():
                key, _, value = raw.partition(":")
                key = key.strip()
                if key == "damage":
                    case.damage = value.split()
                elif key == "same_slug_as":
                    case.same_slug_as = value.strip()
                elif key in LABEL_KEYS:
                    case.labels[key] = _value(key, value)
                else:
                    raise SystemExit(f"{path}: case {case.name}: unknown key {key!r}")
            continue
        _page_line(case, raw)
    for c in cases:
        while c.lines and not c.lines[-1].strip():
            c.lines.pop()
            c.kinds.pop()
    return cases


def _page_line(case: Case, raw: str) -> None:
    """Sort one source line: its page text, article text and junk items."""
    if raw.startswith("# "):
        text = raw[2:]
        spans = _JUNK_SPAN.findall(text)
        text = _JUNK_SPAN.sub(r"\1", text)
        case.lines.append(text)
        case.kinds.append("junk")
        case.junk.extend(_T2S.convert(j.strip()) for j in spans or [text.strip()[:JUNK_CHARS]])
        return
    keep = not raw.startswith("~ ")
    text = raw if keep else raw[2:]
    case.junk.extend(_T2S.convert(s.strip()) for s in _JUNK_SPAN.findall(text))
    page = _JUNK_SPAN.sub(r"\1", text)
    case.lines.append(page)
    article = _JUNK_SPAN.sub("", text).strip()
    case.kinds.append("article" if keep and article else "other")
    if keep and article:
        case.article.append(article)


# ---------------------------------------------------------------- damage

def _picked(ch: str) -> bool:
    """The same third of the characters everywhere, as a conversion site annotates."""
    return hashlib.md5(ch.encode("utf-8")).digest()[0] % 3 == 0


def glue_pinyin(traditional: str, simplified: str) -> str:
    """``社區`` -> ``社區(qū)`` for converted characters the site picked."""
    out = []
    for t, s in zip(traditional, simplified, strict=True):
        out.append(t)
        if t != s and _picked(t):
            out.append(f"({pinyin(s, style=Style.TONE)[0][0]})")
    return "".join(out)


def _decode_dropping(data: bytes) -> str:
    """GBK as the scraper's decoder read it: an invalid pair is dropped, both bytes."""
    out, i = [], 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        try:
            out.append(data[i:i + 2].decode("gbk"))
        except UnicodeDecodeError:
            pass
        i += 2
    return "".join(out)


def lose_high_bits(lines: list[str], kinds: list[str], spots: int = HIGHBIT_SPOTS) -> tuple[list[str], list[str]]:
    """Damage ``spots`` sentence ends of article lines, spread over the article.

    Returns the damaged lines and the garbled strings the damage left.
    """
    candidates = [(n, m.start()) for n, (line, kind) in enumerate(zip(lines, kinds, strict=True))
                  if kind == "article" for m in re.finditer(r"。(?=[\u4e00-\u9fff])", line)]
    step = max(1, len(candidates) // spots)
    chosen = candidates[step // 2::step][:spots]
    out = list(lines)
    garble: list[str] = []
    for n in sorted({n for n, _ in chosen}, reverse=True):
        line = out[n]
        data = bytearray()
        positions = {pos for m, pos in chosen if m == n}
        i = 0
        while i < len(line):
            if i in positions:
                nxt = line[i + 1].encode("gbk")
                data += b"?" + bytes([nxt[0] & 0x7F, nxt[1]])
                i += 2
                continue
            data += line[i].encode("gbk")
            i += 1
        out[n] = _decode_dropping(bytes(data))
        for m in re.finditer(r"\?([\x21-\x7e])([^\x00-\x7f]*?)([\x21-\x7e])", out[n]):
            garble.append(m.group(1) + m.group(2) + m.group(3))
    return out, garble


def utf8_read_as_gbk(line: str) -> str:
    return line.encode("utf-8").decode("gbk", errors="replace")


def _garble_items(garbled: str) -> list[str]:
    """Distinctive runs of a garbled line (no replacement characters, 4-8 chars)."""
    runs = [r for r in re.split(r"[\ufffd\s\x00-\x7f]+", garbled) if len(r) >= 4]
    return [runs[0][:8]] if runs else []


def damage(case: Case) -> tuple[bytes, list[str]]:
    """The raw bytes of the page and the garbled strings that must not survive."""
    lines = list(case.lines)
    mojibake: list[str] = []
    if "trad" in case.damage or "pinyin" in case.damage:
        converted = [_S2T.convert(line) for line in lines]
        if "pinyin" in case.damage:
            converted = [glue_pinyin(t, s) if len(t) == len(s) else t for t, s in zip(converted, lines, strict=True)]
        lines = converted
    if "highbit" in case.damage:
        lines, mojibake = lose_high_bits(lines, case.kinds)
    text = "\n".join(lines) + "\n"
    for d in case.damage:
        if d.startswith("u8gbk"):
            split = text.split("\n")
            first, last = 1, len(split)
            if ":" in d:
                first, last = (int(n) for n in d.split(":")[1].split("-"))
            for n in range(first - 1, min(last, len(split))):
                if split[n].strip():
                    split[n] = utf8_read_as_gbk(split[n])
                    mojibake += _garble_items(split[n])
            text = "\n".join(split)
    encoding = "gbk" if "gbk" in case.damage else "utf-8"
    return text.encode(encoding), mojibake


# ---------------------------------------------------------------- output

def label_file(case: Case, mojibake: list[str]) -> str:
    values: dict[str, object] = {k: case.labels.get(k, [] if k in ("authors", "practices") else None)
                                 for k in LABEL_KEYS}
    values["article"] = case.article
    values["junk"] = case.junk
    values["mojibake"] = mojibake
    if case.same_slug_as:
        values["same_slug_as"] = case.same_slug_as
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def check(case: Case, raw: bytes) -> list[str]:
    """Problems with one case's labels (empty when it is consistent)."""
    problems = []
    vocabulary = {t["name"] for t in yaml.safe_load(PRACTICES.read_text(encoding="utf-8"))}
    for p in case.labels.get("practices") or []:
        if p not in vocabulary:
            problems.append(f"practice {p!r} not in the vocabulary")
    if not 1 <= len(case.labels.get("practices") or []) <= 3:
        problems.append("1-3 practices expected")
    body = "\n".join(_norm(a) for a in case.article)
    title = _norm(str(case.labels.get("title") or ""))
    for j in case.junk:
        if not _norm(j):
            problems.append(f"junk item {j!r} is only punctuation")
        elif _norm(j) in body or _norm(j) in title:
            problems.append(f"junk item {j!r} occurs in the article or title")
    size = sum(len(a) for a in case.article)
    if not 300 <= size <= 1600:
        problems.append(f"article is {size} characters")
    if "trad" in case.damage or "pinyin" in case.damage:
        for a in case.article:
            back = _T2S.convert(_S2T.convert(a))
            if back != a:
                diff = [(x, y) for x, y in zip(a, back, strict=False) if x != y]
                problems.append(f"Traditional round trip changes {diff[:3]}")
    if "gbk" in case.damage:
        raw.decode("gbk")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report label problems")
    args = parser.parse_args()
    failed = 0
    names: set[str] = set()
    for set_name in ("dev", "holdout"):
        out = HERE / set_name
        out.mkdir(exist_ok=True)
        for case in parse(HERE / "texts" / f"{set_name}.src", set_name):
            if case.name in names:
                raise SystemExit(f"duplicate case name {case.name}")
            names.add(case.name)
            raw, mojibake = damage(case)
            problems = check(case, raw)
            for p in problems:
                print(f"{set_name}/{case.name}: {p}")
            failed += bool(problems)
            if not args.check:
                (out / f"{case.name}.txt").write_bytes(raw)
                (out / f"{case.name}.yaml").write_text(label_file(case, mojibake), encoding="utf-8")
    print(f"{len(names)} text cases, {failed} with problems", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
