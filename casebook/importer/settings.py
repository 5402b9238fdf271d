"""The importer's thresholds as one table of named settings (``settings.toml``).

Like trafilatura's ``settings.cfg``: every length, zone and weight a pass decides
with has a name and lives in one file, so tuning the importer is editing data and a
reader sees all the knobs at once. Passes read them at import time into module
constants (``MASTHEAD_MAX = setting("masthead", "max_chars")``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).with_name("settings.toml")


@cache
def _table() -> dict[str, dict[str, Any]]:
    with SETTINGS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def setting(section: str, name: str) -> Any:
    """One named threshold; a KeyError names the missing ``[section] name``."""
    try:
        return _table()[section][name]
    except KeyError:
        raise KeyError(f"{SETTINGS_FILE.name} has no [{section}] {name}") from None
