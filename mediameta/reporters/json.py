"""``--format json``: the versioned JSON contract of ``mediameta check``.

``{"version": 1, "summary": {...}, "findings": [...], "links": [...]}`` with the keys in the order the
contract lists them, findings sorted by path/line/column/code, one link per caption found.
"""

from __future__ import annotations

import json
from typing import Any

from mediameta.models import Finding, Link, Report


def finding_object(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "field": finding.field,
        "related": [{"path": p.path, "line": p.line, "column": p.column} for p in finding.related],
        "fix": (
            {"description": finding.fix.description, "changes": finding.fix.changes}
            if finding.fix is not None
            else None
        ),
    }


def link_object(link: Link) -> dict[str, Any]:
    caption = link.caption
    return {
        "caption": {
            "path": caption.path,
            "line": caption.line,
            "column": caption.column,
            "text": caption.text,
        },
        "image": link.image,
        "method": link.method,
        "score": link.score,
    }


def document(report: Report) -> dict[str, Any]:
    return {
        "version": report.version,
        "summary": report.summary.model_dump(mode="json"),
        "findings": [finding_object(finding) for finding in report.findings],
        "links": [link_object(link) for link in report.links],
    }


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
