"""Rule modules, one per family. Importing this package registers every rule."""

from __future__ import annotations

from mediameta.checks.rules import caption_text  # noqa: F401  (MM1xx)
