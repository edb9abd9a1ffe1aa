"""``--format sarif``: SARIF 2.1.0 for code-scanning tools.

* ``tool.driver.rules``: every registered rule (sorted by code: the ``ruleIndex`` of a code only changes
  when rules are added before it), with its summary, documentation and default level; ``ruleId`` is the
  stable rule code (``MM502``).
* ``artifactLocation.uri``: the path as a URI reference (percent-encoded where a URI needs it).
* Results: one per finding; article findings carry a region (line/column); image findings carry no
  region (images have no lines) but a logical location naming the metadata field.
* ``partialFingerprints["mediameta/v1"]``: computed by us, since images have no lines to hash: SHA-256 of
  the code, the path, the field and the message with its numbers removed (so a finding keeps its
  fingerprint when lines move), plus a counter for identical keys in one file.
* Unreadable input (the ``MM9xx`` family) also goes into ``invocations[0].toolExecutionNotifications``:
  files the tool could not read.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from typing import Any
from urllib.parse import quote

from mediameta import __version__
from mediameta.models import Finding, Position, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_NUMBERS = re.compile(r"\d+")


def _rules() -> list[dict[str, Any]]:
    from mediameta.checks.registry import all_rules

    rules: list[dict[str, Any]] = []
    for code, cls in all_rules().items():
        doc = inspect.cleandoc(cls.__doc__ or "")
        rules.append(
            {
                "id": code,
                "name": cls.name,
                "shortDescription": {"text": cls.summary()},
                "fullDescription": {"text": doc or cls.summary()},
                "defaultConfiguration": {"level": _LEVEL[cls.severity]},
                "help": {"text": f"mediameta explain {code}"},
            }
        )
    return rules


def artifact_uri(path: str) -> str:
    """A path as a SARIF ``uri`` (a URI reference): spaces, ``#``, ``%``, ``?``, ``:`` and other
    characters that are not allowed or mean something else in a URI are percent-encoded (UTF-8);
    ``/`` separates segments. A name that was not UTF-8 arrives here already printable (a backslash,
    ``x`` and two hex digits: see ``mediameta.reporters.printable_report``) and keeps its backslashes."""
    return quote(path.replace(os.sep, "/") if os.sep != "/" else path, safe="/\\")


def _location(position: Position | Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(position.path)}}
    if position.line is not None:
        region: dict[str, int] = {"startLine": position.line}
        if position.column is not None:
            region["startColumn"] = position.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    field = getattr(position, "field", None)
    if field:
        location["logicalLocations"] = [{"name": field, "kind": "member"}]
    return location


def fingerprint(finding: Finding, occurrence: int) -> str:
    key = "\0".join(
        [finding.code, finding.path, finding.field or "", _NUMBERS.sub("#", finding.message), str(occurrence)]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def render(report: Report, *, color: bool = False) -> str:
    rules = _rules()
    known = {rule["id"] for rule in rules}
    for finding in report.findings:  # e.g. MM999 rule-crashed: not a registered rule
        if finding.code not in known:
            known.add(finding.code)
            rules.append(
                {
                    "id": finding.code,
                    "name": finding.name,
                    "shortDescription": {"text": finding.name},
                    "defaultConfiguration": {"level": _LEVEL[finding.severity]},
                }
            )
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    seen: dict[tuple[str, str, str, str], int] = {}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for finding in report.findings:
        key = (finding.code, finding.path, finding.field or "", _NUMBERS.sub("#", finding.message))
        seen[key] = seen.get(key, 0) + 1
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [_location(finding)],
            "partialFingerprints": {"mediameta/v1": fingerprint(finding, seen[key])},
        }
        if finding.related:
            result["relatedLocations"] = [
                {"id": number, **_location(position)} for number, position in enumerate(finding.related, 1)
            ]
        if finding.fix is not None:
            result["properties"] = {
                "fix": {"description": finding.fix.description, "changes": finding.fix.changes}
            }
        results.append(result)
        if finding.code.startswith("MM9") and finding.code != "MM999":
            notifications.append(
                {
                    "level": _LEVEL[finding.severity],
                    "message": {"text": f"{finding.path}: {finding.message}"},
                    "locations": [_location(finding)],
                    "descriptor": {"id": finding.code},
                }
            )
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mediameta",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
