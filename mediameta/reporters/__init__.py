"""Reporters: turn a :class:`~mediameta.models.Report` into what CI reads.

Every format is a function ``render(report, *, color=False) -> str`` in its own module; the output is
a contract (golden-file tests compare it byte for byte), so it never contains timestamps or anything
else that varies between two runs on the same files.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any, Protocol

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
    """``report`` in format ``name``, always valid UTF-8 (see :func:`printable_report`)."""
    return renderer(name)(printable_report(report), color=color)


def _strings(report: Report) -> Iterator[str]:
    """Every text of the report that can hold a file name (or text read from one)."""
    yield from report.files
    for finding in report.findings:
        yield finding.path
        yield finding.message
        yield from (place.path for place in finding.related)
        if finding.fix is not None:
            yield finding.fix.description
            for value in finding.fix.changes.values():
                yield from (value if isinstance(value, list) else [value] if isinstance(value, str) else [])
    for link in report.links:
        yield link.caption.path
        yield link.caption.text
        if link.image is not None:
            yield link.image


def _printable(value: Any) -> Any:
    from mediameta.media.scan import printable_path

    if isinstance(value, str):
        return printable_path(value)
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    return value


def printable_report(report: Report) -> Report:
    """``report`` fit for output. A file name that is not UTF-8 (bytes from another system, which
    Python keeps as lone surrogates) cannot be written as UTF-8: its odd bytes are shown as ``\\xNN``,
    as ``mediameta scan`` prints them (``caf\\xe9.jpg``), in paths and messages alike. Every format
    is then valid UTF-8. The report in-process callers get keeps the real names."""
    from mediameta.media.scan import is_utf8

    if all(is_utf8(text) for text in _strings(report)):
        return report
    return Report.model_validate(_printable(report.model_dump(mode="python")))
