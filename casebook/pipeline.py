"""The whole build as one readable function: load -> group -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass

from . import search
from .config import Config
from .group import group
from .load import load_articles
from .model import Output
from .render import Renderer, render_site
from .taxonomy import load_practices, load_provinces
from .themes import resolve
from .write import WriteReport, write_site


@dataclass(frozen=True)
class Built:
    outputs: list[Output]
    cases: int


def render(config: Config) -> Built:
    """Everything up to (not including) writing: used by ``build`` and ``check``."""
    provinces = load_provinces()
    practices = load_practices(config.practices_file)
    theme = resolve(config.themes_dir, config.theme)
    renderer = Renderer(config, theme, provinces, practices)
    articles = load_articles(config.content_dir, config.root, practices, drafts=config.drafts)
    site = group(articles, provinces, practices, config.related_limit)
    return Built(render_site(site, renderer), len(articles))


def build(config: Config) -> tuple[Built, WriteReport]:
    built = render(config)
    report = write_site(built.outputs, config.output_dir, search.index if config.search else None)
    return built, report
