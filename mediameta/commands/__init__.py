"""One module per CLI command; each exposes ``register(subparsers)`` and sets ``handler``."""

from __future__ import annotations
