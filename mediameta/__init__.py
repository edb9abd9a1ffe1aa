"""mediameta: photo caption and media metadata manager for news photo desks."""

from __future__ import annotations

__version__ = "0.1.0"
