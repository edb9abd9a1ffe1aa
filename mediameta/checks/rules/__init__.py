"""Rule modules, one per family. Importing this package registers every rule."""

from __future__ import annotations

from mediameta.checks.rules import (
    caption_text,  # MM1xx
    credit,  # MM2xx
    dates,  # MM3xx
)

__all__ = ["caption_text", "credit", "dates"]
