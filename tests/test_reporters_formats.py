"""Reporter details the golden files don't pin: colour, escaping, SARIF notifications and fingerprints."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from mediameta.commands.check import choose_format
from mediameta.models import Finding, Fix, Link, LinkCaption, Position, Report, Summary
from mediameta.reporters import FORMATS, render
from mediameta.reporters.github import annotation
from mediameta.reporters.sarif import fingerprint


def report(*findings: Finding) -> Report:
    return Report(
        summary=Summary(
            files=2,
            articles=1,
            images=1,
            captions=1,
            errors=sum(f.severity == "error" for f in findings),
            warnings=sum(f.severity == "warning" for f in findings),
        ),
        findings=list(findings),
        links=[
            Link(
                caption=LinkCaption(path="a.txt", line=3, column=1, text="Boats."),
                image="b.jpg",
                method="embedded-match",
                score=0.93,
            )
        ],
        files=["a.txt", "b.jpg"],
    )


ARTICLE = Finding(code="MM501", name="duplicate-caption-in-article", severity="warning", message="caption repeated (to line 3)",
                  path="a.txt", line=4, column=1, related=[Position(path="a.txt", line=3, column=1)])  # fmt: skip
IMAGE = Finding(code="MM901", name="unreadable-file", severity="error", message="cannot read file: truncated, 50% lost",
                path="b.jpg", field="file", fix=Fix(description="re-export", changes={"description": "x"}))  # fmt: skip


def test_text_lines_and_colour_only_on_request() -> None:
    plain = render(report(ARTICLE, IMAGE), "text")
    assert plain.splitlines()[:2] == [
        "a.txt:4:1: MM501 caption repeated (to line 3)",
        "b.jpg:file: MM901 cannot read file: truncated, 50% lost",
    ]
    assert "\x1b[" not in plain
    assert "\x1b[31mMM901" in render(report(ARTICLE, IMAGE), "text", color=True)
    assert render(report(), "text") == "No problems found: 2 files checked (1 article, 1 image, 1 caption).\n"


def test_json_follows_the_contract() -> None:
    document = json.loads(render(report(ARTICLE, IMAGE), "json"))
    assert list(document) == ["version", "summary", "findings", "links"]
    assert list(document["findings"][0]) == [
        "code",
        "name",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "field",
        "related",
        "fix",
    ]
    assert document["findings"][1]["fix"] == {"description": "re-export", "changes": {"description": "x"}}
    assert document["links"] == [
        {
            "caption": {"path": "a.txt", "line": 3, "column": 1, "text": "Boats."},
            "image": "b.jpg",
            "method": "embedded-match",
            "score": 0.93,
        }
    ]


def test_junit_has_a_testcase_per_file_and_failures_for_findings() -> None:
    root = ET.fromstring(render(report(IMAGE), "junit"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {"a.txt", "b.jpg"}
    assert cases["a.txt"].find("failure") is None
    failure = cases["b.jpg"].find("failure")
    assert failure is not None and failure.get("type") == "error" and "MM901" in (failure.text or "")
    assert root.get("tests") == "2" and root.get("failures") == "1"


def test_github_annotations_escape_what_github_requires() -> None:
    tricky = IMAGE.model_copy(update={"path": "a,b:c.jpg", "message": "50% lost\nsecond line"})
    assert annotation(tricky) == (
        "::error file=a%2Cb%3Ac.jpg,title=MM901 unreadable-file (file)::50%25 lost%0Asecond line"
    )
    info = ARTICLE.model_copy(update={"severity": "info"})
    assert annotation(info).startswith(
        "::notice file=a.txt,line=4,col=1,title=MM501 duplicate-caption-in-article::"
    )


def test_sarif_levels_notifications_and_regions() -> None:
    document = json.loads(render(report(ARTICLE, IMAGE), "sarif"))
    run = document["runs"][0]
    assert document["version"] == "2.1.0"
    results = run["results"]
    assert [r["level"] for r in results] == ["warning", "error"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 1}
    assert "region" not in results[1]["locations"][0]["physicalLocation"]  # images have no lines
    assert results[1]["locations"][0]["logicalLocations"] == [{"name": "file", "kind": "member"}]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["descriptor"] == {"id": "MM901"} and "b.jpg" in notification["message"]["text"]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)


def test_sarif_fingerprint_survives_moved_lines_but_not_another_file() -> None:
    moved = ARTICLE.model_copy(update={"line": 40, "message": "caption repeated (to line 39)"})
    assert fingerprint(ARTICLE, 1) == fingerprint(moved, 1)
    assert fingerprint(ARTICLE, 1) != fingerprint(ARTICLE.model_copy(update={"path": "z.txt"}), 1)
    assert fingerprint(ARTICLE, 1) != fingerprint(ARTICLE, 2)


def test_format_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert choose_format(None) == "github" and choose_format("json") == "json"
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert choose_format(None) == "text"
    assert set(FORMATS) == {"text", "json", "junit", "sarif", "github"}


def test_sarif_uris_are_uri_references() -> None:
    from mediameta.reporters.sarif import artifact_uri

    assert artifact_uri("articles/story.md") == "articles/story.md"  # plain paths unchanged
    assert artifact_uri("photos/IMG 0001 #2 100%.jpg") == "photos/IMG%200001%20%232%20100%25.jpg"
    assert artifact_uri("a:b/c?.jpg") == "a%3Ab/c%3F.jpg"  # no scheme, no query
    assert artifact_uri("Zürich/é.jpg") == "Z%C3%BCrich/%C3%A9.jpg"
    spaced = ARTICLE.model_copy(update={"path": "my articles/a b.txt"})
    document = json.loads(render(report(spaced), "sarif"))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20articles/a%20b.txt"
