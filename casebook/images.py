"""Pictures of page bundles: ``content/<slug>/index.md`` with its photos beside it.

A picture is named relative to its case's folder, in the body (``![caption](hall.jpg)``)
or as the front-matter ``cover``. Names are checked here once, for both.
"""

from __future__ import annotations

import re

from . import schema

_NAME_RE = re.compile(schema.IMAGE_PATTERN)


def name_problem(name: str) -> str | None:
    """None for a usable picture name, else why not: a bundle's pictures are files inside
    its folder, so no URL, no absolute path and no ``..`` (a case must not publish a file
    from elsewhere on the machine that builds the site)."""
    if "://" in name or name.startswith(("/", "\\")):
        return f"picture {name!r} must be a file in the case's folder, not a URL or an absolute path"
    if ".." in name.replace("\\", "/").split("/"):
        return f"picture {name!r} must be inside the case's folder ('..' is not allowed)"
    if not _NAME_RE.match(name):
        return f"picture {name!r} must be a .jpg, .jpeg, .png or .webp file name"
    return None
