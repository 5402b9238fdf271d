#!/usr/bin/env python3
"""casebook: build, check, preview and import a case-study showcase.

    python build.py            # build content/ into output/
    python build.py --help     # every command and flag
"""

import sys

from casebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
