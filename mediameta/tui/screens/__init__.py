"""The desk's screens and modals."""

from __future__ import annotations
