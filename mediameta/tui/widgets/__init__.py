"""The desk's widgets."""

from __future__ import annotations
