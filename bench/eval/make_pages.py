"""Writes the saved-HTML half of the import evaluation corpus.

Each case (``pages_dev.py``, ``pages_holdout.py``) is the article an editor would
keep (headings, paragraphs, captions, in order) plus its labels and the furniture
of the page it was saved from. A page skeleton per kind of site (national outlet,
provincial / city / county news site, government portal, WeChat, self-media
platforms) wraps the article in that site's chrome, and every text it adds
outside the article is recorded as ``junk``, so the label file lists exactly
the furniture the page carries. The generated ``NAME.html`` / ``NAME.yaml`` are
committed; the generator only keeps them consistent. ``--check`` verifies that
every article and junk item occurs in the page's visible text, that no junk item
occurs in the article, and reports how much of the article trafilatura's
defaults extract.

    .venv/bin/python bench/eval/make_pages.py [--check]

The body of a case is a small line format:

    ## heading                      a section heading
    >> text                         an editor's note (编者按：text)
    @@ text                         in-body furniture (byline, editor line): junk
    [[prefix]]text                  a paragraph opened by a dateline/byline credit
    text || credit                  a paragraph closed by a credit (（记者 …）, （完）)
    !fig FILE | caption [| credit]  a photo with its caption (figure/figcaption or a p below)
    !img FILE                       a photo without caption
    !imgname FILE | 10.jpg某某网     a photo whose file name shows as text (junk)
    anything else                   a paragraph
"""

from __future__ import annotations

import argparse
import html as htmlmod
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


# ---------------------------------------------------------------- the article

@dataclass
class Block:
    kind: str  # heading, para, note, furniture, fig, img, imgname
    text: str = ""
    prefix: str = ""
    credit: str = ""
    file: str = ""


def parse_body(body: str) -> list[Block]:
    blocks = []
    for raw in body.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith(">> "):
            blocks.append(Block("note", line[3:].strip()))
        elif line.startswith("@@ "):
            blocks.append(Block("furniture", line[3:].strip()))
        elif line.startswith("!"):
            head, _, rest = line.partition(" ")
            parts = [p.strip() for p in rest.split("|")]
            kind = head[1:]
            b = Block(kind, file=parts[0])
            if len(parts) > 1:
                b.text = parts[1]
            if len(parts) > 2:
                b.credit = parts[2]
            blocks.append(b)
        else:
            prefix = ""
            m = re.match(r"\[\[(.+?)\]\](.*)", line)
            if m:
                prefix, line = m.group(1), m.group(2)
            text, _, credit = line.partition("||")
            blocks.append(Block("para", text.strip(), prefix=prefix, credit=credit.strip()))
    return blocks


def article_items(blocks: list[Block]) -> list[str]:
    items = []
    for b in blocks:
        if b.kind in ("heading", "para", "note"):
            items.append(b.text)
        elif b.kind == "fig":
            items.append(b.text)
    return items


# ---------------------------------------------------------------- the page

#: Two-character furniture words distinctive enough to score (never written in an article).
DISTINCT_SHORT = frozenset({"配色", "重置", "连读", "指读", "举报", "点赞", "在看"})


class Page:
    """Collects the junk texts a skeleton writes while it writes them."""

    def __init__(self, case: dict):
        self.case = case
        self.junk: list[str] = []

    def j(self, text: str, key: str | None = None) -> str:
        """Escaped ``text``, recorded as junk (``key``: the distinctive part to record)."""
        record = key if key is not None else text
        # one- and two-character buttons (分享, 评论, 顶) are not distinctive enough to score
        if record and (len(record) >= 3 or record in DISTINCT_SHORT) and record not in self.junk:
            self.junk.append(record)
        return esc(text)

    def mark(self, key: str) -> None:
        """Record furniture text spread over several elements (crumbs) as one junk item."""
        if key not in self.junk:
            self.junk.append(key)


def esc(text: str) -> str:
    return htmlmod.escape(text, quote=False)


def render_body(pg: Page, blocks: list[Block], style: str = "plain") -> str:
    """The article's HTML in one of a few CMS dialects.

    plain: <p>; indent: <p> with 　　 indentation and <p align=center> photos;
    wechat: <section>/<p><span> with inline styles; figure: <figure>/<figcaption>;
    br: an old CMS's one text cell, paragraphs separated by <br /> and 　　 indentation.
    """
    if style == "br":
        return render_br(pg, blocks)
    out = []
    for b in blocks:
        if b.kind == "heading":
            if style == "wechat":
                out.append(f'<section style="margin:16px 0;text-align:center;"><p style="text-align:center;"><span style="color:#c00000;font-size:17px;"><strong>{esc(b.text)}</strong></span></p></section>')
            elif style == "indent":
                out.append(f'<p style="text-indent:2em;"><strong>{esc(b.text)}</strong></p>')
            elif style == "figure":
                out.append(f"<h3>{esc(b.text)}</h3>")
            else:
                out.append(f"<p><strong>{esc(b.text)}</strong></p>")
        elif b.kind == "note":
            if style == "wechat":
                out.append(f'<section style="padding:10px;background:#f6f6f6;"><p><span style="font-size:14px;color:#888;"><strong>编者按：</strong>{esc(b.text)}</span></p></section>')
            else:
                out.append(f'<p class="bianzhe"><strong>编者按：</strong>{esc(b.text)}</p>')
        elif b.kind == "furniture":
            pg.j(b.text)
            if style == "wechat":
                out.append(f'<p style="text-align:right;"><span style="font-size:12px;color:#888;">{esc(b.text)}</span></p>')
            else:
                out.append(f'<p style="text-align:right;">{esc(b.text)}</p>')
        elif b.kind == "para":
            pre = f"{pg.j(b.prefix)}" if b.prefix else ""
            cred = pg.j(b.credit) if b.credit else ""
            if style == "wechat":
                out.append(f'<p style="line-height:1.75em;text-indent:2em;"><span style="font-size:15px;letter-spacing:1px;">{pre}{esc(b.text)}{cred}</span></p>')
            elif style == "indent":
                out.append(f'<p style="text-indent:2em;">{pre}{esc(b.text)}{cred}</p>')
            else:
                out.append(f"<p>{pre}{esc(b.text)}{cred}</p>")
        elif b.kind in ("fig", "img", "imgname"):
            src = img_src(pg, b.file)
            cap = esc(b.text) if b.kind == "fig" else ""
            cred = pg.j(b.credit) if b.credit else ""
            if b.kind == "imgname":
                pg.j(b.text)
                out.append(f'<p style="text-align:center;"><img src="{src}" border="0" /></p>'
                           f'<p style="text-align:center;"><span class="img_name">{esc(b.text)}</span></p>')
            elif b.kind == "img":
                if style == "wechat":
                    out.append(f'<p style="text-align:center;"><img class="rich_pages wxw-img" data-src="{src}" src="{src}" data-ratio="0.75" data-w="1080" style="width:100%;" /></p>')
                else:
                    out.append(f'<p style="text-align:center;"><img src="{src}" alt="" /></p>')
            elif style == "figure":
                out.append(f'<figure class="article-img"><img src="{src}" alt="{cap}" /><figcaption>{cap}{cred}</figcaption></figure>')
            elif style == "wechat":
                out.append(f'<p style="text-align:center;"><img class="rich_pages wxw-img" data-src="{src}" src="{src}" data-ratio="0.6667" data-w="1080" style="width:100%;" /></p>'
                           f'<p style="text-align:center;"><span style="font-size:12px;color:#7f7f7f;">{cap}{cred}</span></p>')
            else:
                out.append(f'<p style="text-align:center;"><img src="{src}" alt="" /></p>'
                           f'<p style="text-align:center;">{cap}{cred}</p>')
    return "\n".join(out)


def render_br(pg: Page, blocks: list[Block]) -> str:
    """Paragraphs as runs of text in one cell, split by <br />: what old TRS/gov CMSs write."""
    out = []
    for b in blocks:
        if b.kind == "heading":
            out.append(f"<strong>　　{esc(b.text)}</strong><br />")
        elif b.kind == "note":
            out.append(f"<strong>　　编者按：</strong>{esc(b.text)}<br />")
        elif b.kind == "furniture":
            out.append(f"　　{pg.j(b.text)}<br />")
        elif b.kind == "para":
            pre = pg.j(b.prefix) if b.prefix else ""
            cred = pg.j(b.credit) if b.credit else ""
            out.append(f"　　{pre}{esc(b.text)}{cred}<br />")
        elif b.kind in ("fig", "img", "imgname"):
            out.append(f'<div align="center"><img src="{img_src(pg, b.file)}" border="0" /></div>')
            if b.kind == "fig":
                cred = pg.j(b.credit) if b.credit else ""
                out.append(f'<div align="center">{esc(b.text)}{cred}</div>')
            elif b.kind == "imgname":
                out.append(f'<div align="center">{pg.j(b.text)}</div>')
    return "\n".join(out)


def img_src(pg: Page, file: str) -> str:
    return f"./{pg.case['name']}_files/{file}"


def items(pg: Page, entries) -> str:
    """A list of furniture links, each recorded as junk."""
    return "\n".join(f'<li><a href="#" target="_blank">{pg.j(e)}</a></li>' for e in entries)


def dated(pg: Page, entries) -> str:
    """Sidebar headlines with a [MM-DD] date: the headline is the junk item."""
    out = []
    for date, text in entries:
        out.append(f'<li><span class="date">[{date}]</span><a href="#" target="_blank">{pg.j(text)}</a></li>')
    return "\n".join(out)


def saved_from(url: str) -> str:
    return f"<!-- saved from url=({len(url):04d}){url} -->"


# ---------------------------------------------------------------- running

def load_cases() -> list[dict]:
    import pages_dev
    import pages_holdout
    for c in pages_dev.CASES:
        c["set"] = "dev"
    for c in pages_holdout.CASES:
        c["set"] = "holdout"
    return pages_dev.CASES + pages_holdout.CASES


def build(case: dict) -> tuple[bytes, dict]:
    import skeletons
    blocks = parse_body(case["body"])
    pg = Page(case)
    page = getattr(skeletons, case["skeleton"])(pg, blocks)
    charset = case.get("charset", "utf-8")
    data = page.encode(charset, errors="xmlcharrefreplace") if charset != "utf-8" else page.encode("utf-8")
    label = {
        "label": case["label"],
        "province": case["province"],
        "city": case["city"],
        "county": case["county"],
        "title": case["title"],
        "date": case["date"],
        "source": case["source"],
        "authors": case["authors"],
        "practices": case["practices"],
        "article": article_items(blocks),
        "junk": pg.junk + [j for j in case.get("extra_junk", []) if j not in pg.junk],
    }
    return data, label


def dump_yaml(label: dict) -> str:
    """The label file in the shared layout: short lists inline, article and junk one item a line."""
    def scalar(v) -> str:
        return yaml.safe_dump(v, allow_unicode=True, width=10_000, default_style=None).removesuffix("\n...\n").strip()

    out = []
    for key, value in label.items():
        if key in ("article", "junk"):
            out.append(f"{key}:")
            out.extend(f"  - {scalar(v)}" for v in value)
        elif isinstance(value, list):
            out.append(f"{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            out.append(f"{key}: {scalar(value)}")
    text = "\n".join(out) + "\n"
    assert yaml.safe_load(text) == label, label["title"]
    return text


def visible_text(data: bytes, charset: str) -> str:
    from lxml import html as lh
    tree = lh.fromstring(data.decode("gbk" if charset != "utf-8" else "utf-8"))
    for bad in tree.xpath("//script|//style|//noscript|//title|//head"):
        bad.drop_tree()
    return re.sub(r"\s+", " ", tree.text_content())


def _scorer_keys():
    """The scorer's way of looking for a junk item in a line, if the scorer is there."""
    try:
        sys.path.insert(0, str(HERE.parent))
        from eval_import import junk_key, line_key
        return junk_key, line_key
    except ImportError:
        return (lambda s: s), (lambda s: s)


def check(case: dict, data: bytes, label: dict) -> list[str]:
    import trafilatura
    problems = []
    charset = case.get("charset", "utf-8")
    text = visible_text(data, charset)
    norm = lambda s: re.sub(r"\s+", " ", s)
    for item in label["article"]:
        if norm(item) not in text:
            problems.append(f"article item not in page: {item[:30]}")
    junk_key, line_key = _scorer_keys()
    for item in label["junk"]:
        if norm(item) not in text:
            problems.append(f"junk item not in page: {item}")
        for art in label["article"] + [label["title"]]:
            if item in art or junk_key(item) in line_key(art):
                problems.append(f"junk item occurs in the article: {item} / {art[:20]}")
                break
    html = data.decode("gbk" if charset != "utf-8" else "utf-8")
    extracted = trafilatura.extract(html) or ""
    paras = [a for a in label["article"]]
    found = sum(1 for a in paras if a in extracted)
    for a in paras:
        if a not in extracted:
            print("    trafilatura misses:", a[:40])
    chars = sum(len(a) for a in label["article"])
    junk_left = [j for j in label["junk"] if j in extracted]
    print(f"{case['set']:8} {case['name']:28} {chars:5} chars  trafilatura: {found}/{len(paras)} items, "
          f"{len(junk_left)} junk {junk_left[:4]}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify the labels against the pages")
    args = ap.parse_args()
    status = 0
    names = set()
    for case in load_cases():
        assert case["name"] not in names, case["name"]
        names.add(case["name"])
        data, label = build(case)
        folder = HERE / case["set"]
        folder.mkdir(exist_ok=True)
        (folder / f"{case['name']}.html").write_bytes(data)
        (folder / f"{case['name']}.yaml").write_text(dump_yaml(label), encoding="utf-8")
        if args.check:
            for p in check(case, data, label):
                print(f"  {case['name']}: {p}")
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
