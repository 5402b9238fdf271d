"""Link integrity of a built site: broken internal links, missing assets, missing
``#anchors`` and duplicate ids, over files in memory or an ``output/`` folder on disk;
and the placeholder text of ``build.py new`` left in the cases a build publishes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from .links import resolve
from .model import Article


@dataclass(frozen=True)
class Finding:
    page: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


class _Scan(HTMLParser):
    LINK_ATTRS: ClassVar[frozenset[str]] = frozenset({"href", "src"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.append(value)
            elif name in self.LINK_ATTRS:
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def check_files(files: Mapping[str, bytes], base_url: str, reported: Collection[tuple[str, str]] = ()) -> list[Finding]:
    """``files`` maps output-relative paths to bytes; links are resolved as a browser would
    against ``base_url`` (:func:`casebook.links.resolve`); links to other hosts are not
    followed. ``reported``: (page, link) pairs already reported at their Markdown line."""
    scans: dict[str, _Scan] = {}
    findings: list[Finding] = []
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        scan = _Scan()
        scan.feed(data.decode("utf-8", "replace"))
        scans[path] = scan
        seen: set[str] = set()
        for i in scan.ids:
            if i in seen:
                findings.append(Finding(path, f"duplicate id {i!r}"))
            seen.add(i)
    for path, scan in scans.items():
        for link in scan.links:
            if (path, link) in reported:
                continue
            target = resolve(link, path, base_url, files.__contains__)
            if target is None:
                continue
            if isinstance(target, str):
                findings.append(Finding(path, target))
            elif target.path is None:
                findings.append(Finding(path, f"broken link {link!r}"))
            elif target.fragment and target.path.endswith(".html") and target.fragment not in scans[target.path].ids:
                findings.append(Finding(path, f"link {link!r}: no id {target.fragment!r} in {target.path}"))
    return sorted(findings, key=lambda f: (f.page, f.message))


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


#: What ``check`` (a problem) and ``build`` (a warning) say at a line still holding the
#: placeholder text ``build.py new`` wrote (``casebook.schema.PLACEHOLDERS``).
LEFTOVER = "placeholder text from 'build.py new' is still here: write the case in its place"


def leftovers(articles: Iterable[Article]) -> list[tuple[str, int]]:
    """(file, line) of each placeholder left in ``articles`` (the cases a build publishes:
    a draft may keep them while it is being written)."""
    return [(a.path, line) for a in articles for line in a.placeholders]
