"""``python -m casebook.importer PATH_OR_URL...``: the importer without the core CLI.

Defaults match a site checked out in the current folder: ``content/`` and
``data/practices.yaml``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.importer",
                                     description="Import raw articles as Markdown case studies.")
    add_arguments(parser)
    return run(parser.parse_args(argv), Path("content"), Path("data/practices.yaml"))


if __name__ == "__main__":
    sys.exit(main())
