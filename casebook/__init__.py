"""casebook: a static site generator for grassroots-governance case studies.

The pipeline, one module per stage:
import (raw -> Markdown) -> load (parse, validate) -> group (provinces, practices)
-> render (Markdown, templates) -> write (atomic output); serve and search around it.
"""

__version__ = "0.1.0"
