"""Site settings: ``site.yaml`` validated once into a frozen :class:`Config`.

Every key is checked against a typed schema; an unknown key or a wrong type is an error
with its line (no silent defaults for bad values). Command-line flags override the file.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from . import safeyaml
from .errors import CasebookError, CasebookErrors, did_you_mean
from .taxonomies import read_taxonomies
from .taxonomy import DEFAULT_TAXONOMIES, Taxonomy


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know besides the content itself."""

    root: Path  # folder holding site.yaml; relative paths below resolve against it
    title: str = "案例集"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "zh-CN"
    author: str = ""
    theme: str = "default"
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    themes_dir: Path = Path("themes")
    practices_file: Path = Path("data/practices.yaml")
    per_page: int = 12
    home_latest: int = 6
    feed_limit: int = 20
    related_limit: int = 4
    pygments_style: str = "friendly"
    pygments_dark_style: str = "monokai"
    search: bool = True
    # A bundle's picture larger than this (MB) is an error (casebook.images.check_sizes).
    max_picture_mb: int = 20
    drafts: bool = False
    # Paths in the output folder a build never removes (casebook.write.Keep): dotfiles
    # (.git, .nojekyll) and CNAME by default, so output/ can be a GitHub Pages checkout.
    keep: tuple[str, ...] = (".*", "CNAME")
    # How cases are grouped into term pages (casebook.taxonomies reads site.yaml's list).
    taxonomies: tuple[Taxonomy, ...] = DEFAULT_TAXONOMIES
    # Broken links in case bodies fail the build instead of warning (``build --strict``).
    # Not in the repr: the repr keys every page, and this changes no page.
    strict: bool = dataclasses.field(default=False, repr=False)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: ``/`` or ``/showcase/``."""
        return urlsplit(self.base_url).path or "/"

    def url(self, path: str) -> str:
        """Absolute URL (for feeds, sitemap, canonical links) of a site-relative path."""
        return self.base_url + path.lstrip("/")


_FIELDS = {f.name: f for f in dataclasses.fields(Config) if f.name != "root"}
_PATH_KEYS = {name for name, f in _FIELDS.items() if f.type == "Path"}
_TYPES: dict[str, type[Any]] = {"str": str, "int": int, "bool": bool, "Path": str, "tuple[str, ...]": list}
# What each type is called in a message, for someone who has never heard of "int".
_KINDS = {"str": "text", "int": "a whole number", "bool": "true or false", "Path": "a path",
          "tuple[str, ...]": "a list"}
SETTINGS_FILE = "site.yaml"
THEME_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a theme's folder name (casebook.themes checks it)


def find_config(start: Path) -> Path:
    """``site.yaml`` in ``start`` or the nearest folder above it, as git finds ``.git``: a
    command run from ``content/`` works, and one run elsewhere writes nothing there."""
    for folder in (start, *start.parents):
        candidate = folder / SETTINGS_FILE
        if candidate.exists():  # not is_file(): a FIFO or folder named so is reported when read
            return candidate
    raise CasebookError(f"no {SETTINGS_FILE} in {start} or any parent folder: run build.py inside your project "
                        f"(the folder holding {SETTINGS_FILE}), or pass --config path/to/{SETTINGS_FILE}")


def settings_file(path: Path) -> Path:
    """A settings file named with ``--config``: it must exist (a typo must not build with defaults)."""
    if not path.exists():
        raise CasebookError(f"settings file not found (check --config {path})", path)
    return path


def _shown(value: Any) -> str:
    """A value as it was written in YAML, for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value)


def _wrong_type(key: str, field: dataclasses.Field[Any], value: Any) -> str:
    kind = _KINDS[str(field.type)]
    default = field.default
    if isinstance(default, tuple):
        example = "[" + ", ".join(repr(v) for v in default) + "]"
    else:
        example = _shown(default) if isinstance(default, bool) else str(default)
    hint = f", e.g. {key}: {example}" if example and str(field.type) != "bool" else ""
    return f"{key} must be {kind}{hint}, not {_shown(value)}"


def missing_theme(name: str, themes_dir: Path) -> str:
    """The message for a theme that is not there, listing those that are."""
    names = sorted(d.name for d in themes_dir.iterdir() if d.is_dir()) if themes_dir.is_dir() else []
    listed = ", ".join(names) if names else "none"
    return f"theme {name!r} not found in {themes_dir} (available: {listed}){did_you_mean(name, names)}"


def _check_base_url(value: str) -> str:
    if any(ch.isspace() or not ch.isprintable() for ch in value):  # it is written into robots.txt's lines
        raise ValueError(f"base_url {value!r} must not contain spaces, line breaks or control characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url {value!r} must be an absolute http(s) URL")
    if parts.query or parts.fragment:
        raise ValueError("base_url must not have a query or fragment")
    return value if value.endswith("/") else value + "/"


def _check_keep(value: list[Any]) -> tuple[str, ...]:
    for pattern in value:
        if not isinstance(pattern, str) or not pattern.strip("/"):
            raise ValueError(f"keep must list file name patterns such as '.*' or 'CNAME', not {pattern!r}")
        if "\\" in pattern or any(part in (".", "..") for part in pattern.strip("/").split("/")):
            raise ValueError(f"keep pattern {pattern!r} must be a path inside the output folder")
    return tuple(value)


def _project_folders(config: Config) -> dict[str, Path]:
    """Folders a build must never write into or replace: the project's own."""
    from . import __file__ as package_init

    folders = {".git": config.root / ".git", "the casebook package": Path(package_init).parent,
               "themes_dir": config.themes_dir, "content_dir": config.content_dir,
               "the vocabulary's folder": config.practices_file.parent,
               ".casebook-cache": config.root / ".casebook-cache"}
    return {name: folder.resolve() for name, folder in folders.items()}


def _check_output_dir(config: Config, path: Path) -> None:
    root, output = config.root, config.output_dir.resolve()
    if output == root or output in root.parents:
        raise CasebookError(f"output_dir {output} would replace the project itself", path)
    for name, folder in _project_folders(config).items():
        if folder == root or folder in root.parents:
            continue  # e.g. a vocabulary file beside site.yaml: its folder is the project itself
        if output == folder or folder in output.parents or output in folder.parents:
            what = "content_dir" if name == "content_dir" else name
            raise CasebookError(f"output_dir {output} must not be, hold or lie inside {what} ({folder}): "
                                "a build replaces its output folder; choose a folder of its own, e.g. output/",
                                path)


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read ``site.yaml`` (if present) and apply command-line overrides.

    Raises :class:`CasebookErrors` listing every bad key at once.
    """
    root = path.parent.resolve()
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    key_lines: dict[safeyaml.Path_, int] = {}
    if path.exists():
        data, key_lines = safeyaml.load(safeyaml.read_text(path, "site settings", 1024 * 1024), str(path))
        if data is not None and not isinstance(data, dict):
            raise CasebookError("site settings must be a YAML mapping", path, 1)
        raw = data or {}
        lines = {key[0]: line for key, line in key_lines.items() if len(key) == 1}
    errors: list[CasebookError] = []
    values: dict[str, Any] = {}
    taxonomies = raw.pop("taxonomies", None)  # a list of mappings, checked by casebook.taxonomies
    for key, value in {**raw, **(overrides or {})}.items():
        line = lines.get(key) if key in raw and not (overrides and key in overrides) else None
        where = path if line else "command line"
        field = _FIELDS.get(key)
        if field is None:
            errors.append(CasebookError(f"unknown setting {key!r}{did_you_mean(str(key), _FIELDS)}", where, line))
            continue
        expected = _TYPES[str(field.type)]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            errors.append(CasebookError(_wrong_type(key, field, value), where, line))
            continue
        try:
            if key == "base_url":
                value = _check_base_url(value)
            elif key == "keep":
                value = _check_keep(value)
            elif key in ("per_page", "home_latest", "feed_limit") and value < 1:
                raise ValueError(f"{key} must be at least 1")
        except ValueError as exc:
            errors.append(CasebookError(str(exc), where, line))
            continue
        values[key] = root / value if key in _PATH_KEYS else value
    for key in _PATH_KEYS - values.keys():
        values[key] = root / cast(Path, _FIELDS[key].default)  # every path field has a Path default
    values["taxonomies"] = read_taxonomies(taxonomies, key_lines, path, values["practices_file"], errors)
    if errors:
        raise CasebookErrors(errors)
    config = Config(root=root, **values)
    themes = config.themes_dir
    if THEME_NAME_RE.match(config.theme) and themes.is_dir() and not (themes / config.theme).is_dir():
        if overrides and "theme" in overrides:
            raise CasebookError(missing_theme(config.theme, config.themes_dir), "command line")
        raise CasebookError(missing_theme(config.theme, config.themes_dir), path, lines.get("theme"))
    content, output = config.content_dir.resolve(), config.output_dir.resolve()
    if content == output or content in output.parents or output in content.parents:
        raise CasebookError(f"content_dir {content} and output_dir {output} must not nest", path)
    _check_output_dir(config, path)
    return config
