"""Captions: parse caption strings (credit, date, place) and find captions in articles.

Public API: :func:`mediameta.captions.parse.parse_caption` and the agency catalogue in
:mod:`mediameta.captions.catalogue`.
"""

from __future__ import annotations
