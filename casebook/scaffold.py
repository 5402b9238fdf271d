"""``build.py new``: scaffold a case file an editor then fills in."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .errors import CasebookError
from .load import _term, _terms, _Invalid  # the same checks the loader applies
from .taxonomy import SLUG_RE, Vocabulary, load_provinces


def new_case(content_dir: Path, title: str, province: str, practices: Vocabulary, *,
             city: str | None = None, county: str | None = None, place: str | None = None,
             practice_names: list[str] | None = None, slug: str | None = None,
             date: str | None = None) -> Path:
    """Write ``content/<slug>.md`` and return its path; never overwrite a file."""
    try:
        prov = _term(load_provinces(), province, ("province",))
        chosen = _terms(practices, practice_names or [practices.terms[0].name], ("practices",))
    except _Invalid as exc:
        raise CasebookError(str(exc)) from None
    if slug is None:
        # Titles are Chinese, so the slug is the province plus a stable hash of the title.
        slug = f"{prov.slug}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"
    if not SLUG_RE.match(slug):
        raise CasebookError(f"slug {slug!r} must be lowercase ASCII letters, digits and hyphens")
    path = content_dir / f"{slug}.md"
    if path.exists():
        raise CasebookError("a case with this slug already exists; choose another --slug", path)
    meta: dict[str, object] = {"title": title, "slug": slug}
    if date:
        meta["date"] = date
    meta["province"] = prov.name
    for key, value in (("city", city), ("county", county), ("place", place)):
        if value:
            meta[key] = value
    meta["practices"] = [t.name for t in chosen]
    meta["summary"] = "一句话概括这个案例（120 字以内）。"
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    body = "\n## 背景\n\n在这里写案例的背景。\n\n## 做法\n\n在这里写具体做法。\n\n## 成效\n\n在这里写成效与数据。\n"
    content_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n{body}", "utf-8")
    return path
