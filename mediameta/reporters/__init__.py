"""Reporters: turn a :class:`~mediameta.models.Report` into what CI reads.

Every format is a function ``render(report, *, color=False) -> str`` in its own module; the output is
a contract (golden-file tests compare it byte for byte), so it never contains timestamps or anything
else that varies between two runs on the same files.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from mediameta.models import Report

FORMATS: tuple[str, ...] = ("text", "json", "junit", "sarif", "github")


class Renderer(Protocol):
    def __call__(self, report: Report, *, color: bool = False) -> str: ...


def renderer(name: str) -> Renderer:
    """The ``render`` function of format ``name`` (one of :data:`FORMATS`)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"mediameta.reporters.{name}")
    render: Renderer = module.render
    return render


def render(report: Report, name: str, *, color: bool = False) -> str:
    return renderer(name)(report, color=color)
