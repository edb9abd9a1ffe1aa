"""Readers behind :mod:`mediameta.captions.extract`: one module per article format, sharing
:mod:`mediameta.captions.articles.common` (decoding, positions, caption vs body text)."""

from __future__ import annotations
