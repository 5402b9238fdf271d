"""Random Markdown for comparing the two parsers (``tests/test_markup.py``).

Two kinds of document, both deterministic for a seed: ``wild`` ones throw emphasis
markers, symbols, CJK text, escapes and raw HTML together (where the parsers are most
likely to differ); ``tidy`` ones pair their emphasis as writers do, so that most of them
go through markdown-it.rs and the block structure (nested lists, quotes, tables, headings
with ``{#id}``, code, footnotes) is compared too.
"""

from __future__ import annotations

import random

WORDS = ["社区", "党群服务", "中心", "居民", "abc", "Hello", "2023年", "5", "x_y", "“引号”", "（括号）", "，",
         "。", "：", "、", "！", "©", "℃", "¥", "+", "-", "#", "a.b", "\u3000", " ", "&amp;", "&copy;", "&#35;",
         "\\*", "\\_", "`code`", "``a`b``", "<span>", "</span>", "<b>x</b>", "https://e.x/a", "<https://e.x/中>",
         "[链接](/cases/a/)", '[l](https://e.x "题")', "![图](/img/a.png)", '![图 *b*](/i.png "t")', "[ref]",
         "[链接][ref]", "~", "|", "\\|", "中文", "Ｆ", "ｘ", "ー", "の", "한", "\u00a0", "[^1]", "[^note]", "[^x]"]
TIDY_WORDS = [w for w in WORDS if "_" not in w and "*" not in w and "\\|" not in w]
EMPHASISED = ["社区", "党群服务", "abc", "Hello", "2023年", "5", "中文", "居民"]
MARKERS = ["*", "**", "***", "_", "__", "___", "****"]


class Generator:
    def __init__(self, seed: int, tidy: bool):
        self.r = random.Random(seed)
        self.tidy = tidy

    def inline(self, n: int | None = None) -> str:
        r = self.r
        parts = []
        for _ in range(n or r.randint(1, 12)):
            if self.tidy:
                if r.random() < 0.7:
                    parts.append(r.choice(TIDY_WORDS))
                else:
                    m = r.choice(["*", "**", "***", "_", "__"])
                    inner = r.choice(EMPHASISED) + r.choice(["", r.choice(TIDY_WORDS) + r.choice(EMPHASISED)])
                    parts.append(r.choice([" ", "中", "，"]) + m + inner + m + r.choice(["", " ", "中", "，"]))
            elif r.random() < 0.55:
                parts.append(r.choice(WORDS))
            elif r.random() < 0.67:
                m = r.choice(MARKERS)
                closing = m if r.random() < 0.8 else r.choice(MARKERS)
                parts.append(m + r.choice(WORDS) + r.choice(["", r.choice(WORDS)]) + closing)
            else:
                parts.append(r.choice(MARKERS))
        return "".join(parts)

    def block(self, depth: int = 0) -> str:
        r = self.r
        c = r.random()
        if c < 0.25:
            text = self.inline()
            if r.random() < 0.3:
                text += "\n" + self.inline()
            if r.random() < 0.1:
                text += "  \n" + self.inline()
            return r.choice(["", "", "\u3000\u3000"]) + text
        if c < 0.35:
            attrs = r.choice(["", "", " {#id-1}", " {#songyang .wide}", " {.c}", " {: #x }", " {#a k=v}", " {#x}{#y}"])
            return "#" * r.randint(1, 6) + " " + self.inline(r.randint(1, 4)) + attrs
        if c < 0.38:
            return self.inline(3) + "\n" + r.choice(["===", "---"])
        if c < 0.55:
            marker = r.choice(["-", "*", "+", "1.", "3.", "1)"])
            items = []
            for _ in range(r.randint(1, 4)):
                body = self.inline(r.randint(1, 5))
                if depth < 2 and r.random() < 0.25:
                    sub = self.block(depth + 1)
                    gap = "\n" if r.random() < 0.2 else ""
                    body += "\n" + gap + "\n".join("   " + line if line else line for line in sub.split("\n"))
                items.append(marker + " " + body)
            return ("\n\n" if r.random() < 0.3 else "\n").join(items)
        if c < 0.62:
            inner = self.block(depth + 1) if depth < 2 else self.inline()
            return "\n".join("> " + line for line in inner.split("\n"))
        if c < 0.7:
            cols = r.randint(1, 4)
            head = "| " + " | ".join(self.inline(2) for _ in range(cols)) + " |"
            sep = "|" + "|".join(r.choice(["---", ":--", "--:", ":-:"]) for _ in range(cols)) + "|"
            rows = ["| " + " | ".join(self.inline(2) for _ in range(r.randint(1, cols + 1))) + " |"
                    for _ in range(r.randint(0, 3))]
            return "\n".join([head, sep, *rows])
        if c < 0.76:
            lang = r.choice(["", "python", "yaml", "nosuch", "js {.x}"])
            return f"```{lang}\n{self.inline()}\n{r.choice(['a = 1 ** 中', 'x < y & z', ''])}\n```"
        if c < 0.78:
            return "    " + self.inline() + "\n    code ** 中"
        if c < 0.81:
            return r.choice(['<div class="note">' + self.inline() + "</div>", "<!-- c -->", "<script>x</script>",
                             "<details><summary>s</summary>\n\n" + self.inline() + "\n\n</details>"])
        if c < 0.84:
            return r.choice(["***", "---", "___", "* * *"])
        if c < 0.86:
            return "[ref]: /u/" + r.choice(["中", "a b", "x"]) + r.choice(["", ' "t"', " 'T'"])
        if c < 0.92:
            note = f"[^{r.choice(['1', 'note', 'unused'])}]: " + self.inline(r.randint(1, 4))
            more = r.choice(["", "", "\n\n    " + self.inline(2), "\n    - " + self.inline(2), "\n\n    > 引"])
            return note + more
        return self.inline()

    def document(self) -> str:
        return "\n\n".join(self.block() for _ in range(self.r.randint(1, 8))) + "\n"


def documents(seed: int, n: int, tidy: bool) -> list[str]:
    g = Generator(seed, tidy)
    return [g.document() for _ in range(n)]
