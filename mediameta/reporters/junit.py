"""``--format junit``: JUnit XML, one testcase per checked file (passing files show up as passed).

A file with findings gets one ``<failure>`` whose ``type`` is its most severe finding's severity,
whose ``message`` counts the findings, and whose text lists them as ``--format text`` would. A
finding on a path that is not a checked file (an internal error on the checked folder) gets its own
testcase. No timestamps or durations: the output is the same for the same files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from mediameta.models import SEVERITY_RANK, Finding, Report
from mediameta.reporters.text import location, summary_line


def render(report: Report, *, color: bool = False) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_path[finding.path].append(finding)
    paths = sorted(set(report.files) | set(by_path))
    failures = sum(1 for path in paths if by_path.get(path))
    suites = ET.Element(
        "testsuites", name="mediameta", tests=str(len(paths)), failures=str(failures), errors="0"
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="mediameta check",
        tests=str(len(paths)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname="mediameta.check", name=path, file=path)
        findings = by_path.get(path, [])
        if not findings:
            continue
        worst = max(findings, key=lambda finding: SEVERITY_RANK[finding.severity]).severity
        codes = ", ".join(sorted({finding.code for finding in findings}))
        failure = ET.SubElement(
            case,
            "failure",
            type=worst,
            message=f"{len(findings)} finding{'' if len(findings) == 1 else 's'}: {codes}",
        )
        failure.text = "\n".join(f"{location(f)}: {f.code} {f.message}" for f in findings)
    out = ET.SubElement(suite, "system-out")
    out.text = summary_line(report.summary)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
