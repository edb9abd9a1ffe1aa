"""Rule modules, one per family. Importing this package registers every rule."""

from __future__ import annotations

from mediameta.checks.rules import (
    caption_text,  # MM1xx
    credit,  # MM2xx
    dates,  # MM3xx
    duplication,  # MM5xx (engine helper)
    embedded,  # MM7xx
    linking,  # MM6xx (engine helper)
    location,  # MM4xx
    unreadable,  # MM9xx
)

__all__ = ["caption_text", "credit", "dates", "duplication", "embedded", "linking", "location", "unreadable"]
