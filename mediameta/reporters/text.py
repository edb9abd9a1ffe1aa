"""``--format text``: one line per finding, then a summary — for people and for editors' error parsers.

``path:line:col: CODE message`` for a finding in an article, ``path:field: CODE message`` for one in
an image's metadata, ``path: CODE message`` when neither applies. Colour (ANSI) only when asked for,
which the CLI does only when stdout is a terminal and ``NO_COLOR`` is not set.
"""

from __future__ import annotations

from mediameta.models import Finding, Report, Summary

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def location(finding: Finding) -> str:
    """``path:line:col``, ``path:line``, ``path:field`` or ``path``."""
    if finding.line is not None:
        return f"{finding.path}:{finding.line}" + (f":{finding.column}" if finding.column is not None else "")
    if finding.field:
        return f"{finding.path}:{finding.field}"
    return finding.path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    checked = (
        f"{_plural(summary.files, 'file')} checked ({_plural(summary.articles, 'article')}, "
        f"{_plural(summary.images, 'image')}, {_plural(summary.captions, 'caption')}"
        + (f", {summary.unreadable} unreadable" if summary.unreadable else "")
        + ")"
    )
    total = summary.errors + summary.warnings + summary.infos
    if total == 0:
        return f"No problems found: {checked}."
    return (
        f"Found {_plural(total, 'problem')} ({_plural(summary.errors, 'error')}, "
        f"{_plural(summary.warnings, 'warning')}, {summary.infos} info): {checked}."
    )


def render(report: Report, *, color: bool = False) -> str:
    lines: list[str] = []
    for finding in report.findings:
        where = location(finding)
        if color:
            colour = _COLOURS[finding.severity]
            lines.append(f"{_BOLD}{where}{_RESET}: {colour}{finding.code}{_RESET} {finding.message}")
        else:
            lines.append(f"{where}: {finding.code} {finding.message}")
    if report.findings:
        lines.append("")
    lines.append(summary_line(report.summary))
    return "\n".join(lines) + "\n"
