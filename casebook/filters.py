"""Jinja filters available to every theme (registered by the renderer)."""

from __future__ import annotations


def cn_date(date: str | None) -> str:
    """``2025-04-22`` -> ``2025年4月22日``; ``2025-04`` -> ``2025年4月``."""
    if not date:
        return ""
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, ("年", "月", "日")))


FILTERS = {"cn_date": cn_date}
