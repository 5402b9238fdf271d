"""Build the holdout2 cases (NAME.txt|html + NAME.yaml) from src_text.py / src_html.py.

Text sources: one page per case, each line prefixed with its kind:

    "A "  an article paragraph, heading or caption (kept by an editor)
    "M "  an article paragraph that gets UTF-8-read-as-GBK damage (listed under mojibake)
    "J "  a furniture line (the whole line is a junk item)
    "T "  the headline line (neither article nor junk: it belongs in the title)
    "O "  a neutral line (neither)
    ""    a blank line

Inside an A/M line, ``{{…}}`` marks a trailing credit: it stays on the page and becomes a
junk item, but is not part of the article item.

HTML sources: a full page where ``[[A:…]]`` marks article text, ``[[J:…]]`` junk text and
``[[T:…]]`` headline text; the markers are replaced by their text.

Damage (``damage:`` in a case): ``trad`` (OpenCC s2t), ``pinyin`` (tone-marked pinyin glued
after every third converted character), ``gbk`` (GBK bytes), ``crlf``, ``bom``.

    .venv/bin/python bench/eval/holdout2/make_holdout2.py [--check]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import opencc
import yaml
from pypinyin import Style, pinyin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parents[2]

S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")
CREDIT = re.compile(r"\{\{(.*?)\}\}")
MARK = re.compile(r"\[\[([ATJ]):(.*?)\]\]", re.S)
PINYIN_GLUE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
KEYS = ("label", "province", "city", "county", "title", "date", "source", "authors", "practices")


def glue_pinyin(simplified: str, traditional: str, mojibake: list[str]) -> str:
    """After every third character that s2t changed, glue its tone-marked pinyin."""
    out, n = [], 0
    for s, t in zip(simplified, traditional):
        out.append(t)
        if s != t:
            if n % 3 == 0:
                glued = "(" + pinyin(s, style=Style.TONE)[0][0] + ")"
                out.append(glued)
                if len(mojibake) < 3 and (t + glued) not in mojibake:
                    mojibake.append(t + glued)
            n += 1
    return "".join(out)


def u8gbk(line: str) -> str:
    return line.encode("utf-8").decode("gbk", errors="replace")


def garbled_pieces(text: str) -> list[str]:
    """Two distinctive 4-character pieces of a garbled line, without replacement marks."""
    pieces = [p for p in re.split(r"[\ufffd\s]+", text) if len(p) >= 4]
    out = []
    for p in pieces:
        if re.search(r"[\u4e00-\u9fff]{2}", p[:4]):
            out.append(p[:4])
        if len(out) == 2:
            break
    return out


def build_text(case: dict) -> tuple[str, dict]:
    article, junk, mojibake, damaged = [], [], [], []
    lines = []
    for raw in case["page"].strip("\n").split("\n"):
        kind, text = (raw[:1], raw[2:]) if raw else ("", "")
        if kind in ("A", "M"):
            credits = CREDIT.findall(text)
            item = CREDIT.sub("", text).rstrip()
            article.append(item)
            junk.extend(credits)
            text = CREDIT.sub(lambda m: m.group(1), text)
            if kind == "M":
                damaged.append(len(lines))
        elif kind == "J":
            junk.append(text.strip())
        elif kind not in ("T", "O", ""):
            raise ValueError(f"{case['name']}: bad line {raw!r}")
        lines.append(text)
    damage = case.get("damage", [])
    if "trad" in damage:
        simp = lines
        lines = [S2T.convert(x) for x in lines]
        if "pinyin" in damage:
            lines = [glue_pinyin(s, t, mojibake) if len(s) == len(t) else t for s, t in zip(simp, lines)]
    for i in damaged:
        lines[i] = u8gbk(lines[i])
        mojibake.extend(garbled_pieces(lines[i]))
    page = "\n".join(lines) + "\n"
    return page, {"article": article, "junk": junk, "mojibake": mojibake}


def build_html(case: dict) -> tuple[str, dict]:
    article, junk = [], []

    def repl(m: re.Match) -> str:
        kind, text = m.group(1), m.group(2)
        if kind == "A":
            article.append(text)
        elif kind == "J":
            junk.append(text.strip())
        return text

    page = MARK.sub(repl, case["page"].strip("\n")) + "\n"
    if "[[" in page:
        raise ValueError(f"{case['name']}: unclosed marker")
    return page, {"article": article, "junk": junk, "mojibake": []}


def visible_text(page: str, html: bool) -> str:
    if html:
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
        page = re.sub(r"<[^>]+>", "\n", page)
        page = page.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return page


def junk_key(item: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", item))
    trimmed = re.sub(r"^[\W_]+|[\W_]+$", "", text)
    return trimmed if len(trimmed) >= 2 else text


def check(case: dict, page_text: str, items: dict, vocab: set[str]) -> list[str]:
    problems = []
    name = case["name"]
    plain = T2S.convert(PINYIN_GLUE.sub("", page_text)) if "trad" in case.get("damage", []) else page_text
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", plain))
    art_len = sum(len(a) for a in items["article"])
    if not 300 <= art_len <= 1600:
        problems.append(f"article length {art_len}")
    damaged_ok = set()
    if "M " in case.get("page", ""):
        damaged_ok = {CREDIT.sub("", ln[2:]).rstrip() for ln in case["page"].split("\n") if ln.startswith("M ")}
    for a in items["article"]:
        if a in damaged_ok:
            continue
        if re.sub(r"\s+", "", unicodedata.normalize("NFKC", a)) not in flat:
            problems.append(f"article not in page: {a[:30]}")
        if "trad" in case.get("damage", []) and T2S.convert(S2T.convert(a)) != a:
            problems.append(f"round trip changes: {a[:30]}")
    body_keys = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", a)) for a in items["article"]]
    title_key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", case.get("title") or ""))
    for j in items["junk"]:
        k = junk_key(j)
        if k not in flat:
            problems.append(f"junk not in page: {j[:30]}")
        if any(k in b for b in body_keys) or k in title_key:
            problems.append(f"junk inside article/title: {j[:30]}")
    if len(set(items["junk"])) != len(items["junk"]):
        problems.append("duplicate junk items")
    for p in case["practices"]:
        if p not in vocab:
            problems.append(f"unknown practice {p}")
    if case.get("title") and title_key not in flat:
        problems.append("title not in page")
    for m in items["mojibake"]:
        if m not in page_text:
            problems.append(f"mojibake not in page: {m}")
    return problems


def main() -> int:
    from src_html import CASES as HTML
    from src_text import CASES as TEXT

    vocab = {p["name"] for p in yaml.safe_load((ROOT / "data" / "practices.yaml").read_text(encoding="utf-8"))}
    only_check = "--check" in sys.argv
    bad = 0
    counts = {"txt": 0, "html": 0, "article": 0, "junk": 0, "mojibake": 0}
    for case, ext in [*[(c, "txt") for c in TEXT], *[(c, "html") for c in HTML]]:
        page, items = (build_text if ext == "txt" else build_html)(case)
        damage = case.get("damage", [])
        for p in check(case, visible_text(page, ext == "html"), items, vocab):
            print(f"{case['name']}: {p}")
            bad += 1
        counts[ext] += 1
        for k in ("article", "junk", "mojibake"):
            counts[k] += len(items[k])
        if only_check:
            continue
        labels = {k: case.get(k) for k in KEYS}
        labels["authors"] = labels["authors"] or []
        labels.update({"article": items["article"], "junk": items["junk"]})
        if items["mojibake"]:
            labels["mojibake"] = items["mojibake"]
        if "crlf" in damage:
            page = page.replace("\n", "\r\n")
        data = page.encode("gbk") if "gbk" in damage else page.encode("utf-8")
        if "bom" in damage:
            data = b"\xef\xbb\xbf" + data
        (HERE / f"{case['name']}.{ext}").write_bytes(data)
        (HERE / f"{case['name']}.yaml").write_text(
            yaml.safe_dump(labels, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    print(counts, "problems:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
