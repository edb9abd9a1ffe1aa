"""``--format github``: GitHub Actions workflow-command annotations, then the summary line.

``::error file=PATH,line=L,col=C,title=CODE name::message`` (``warning`` and ``notice`` by severity);
for a finding in an image's metadata the field goes into the title (``title=MM503 same-picture-two-
captions (description)``) since images have no lines. Values are escaped as GitHub requires (``%``,
CR, LF everywhere; also ``:`` and ``,`` in properties). Chosen automatically when ``GITHUB_ACTIONS``
is ``true`` and no ``--format`` is given.
"""

from __future__ import annotations

from mediameta.models import Finding, Report
from mediameta.reporters.text import summary_line

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = [f"file={_property(finding.path)}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
        if finding.column is not None:
            properties.append(f"col={finding.column}")
    title = f"{finding.code} {finding.name}" + (f" ({finding.field})" if finding.field else "")
    properties.append(f"title={_property(title)}")
    return f"::{_LEVEL[finding.severity]} {','.join(properties)}::{_data(finding.message)}"


def render(report: Report, *, color: bool = False) -> str:
    lines = [annotation(finding) for finding in report.findings]
    lines.append(summary_line(report.summary))
    return "\n".join(lines) + "\n"
