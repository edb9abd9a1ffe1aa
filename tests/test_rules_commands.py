"""`mediameta rules` and `mediameta explain`: what a user types and reads; docs/rules.md never drifts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from mediameta.checks.registry import all_rules
from mediameta.commands import explain, rules
from mediameta.console import ExitCode, UsageError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def run(module: object, argv: list[str]) -> int:
    """Run one command module the way the CLI dispatcher does (independent of other commands)."""
    parser = argparse.ArgumentParser(prog="mediameta")
    subparsers = parser.add_subparsers(dest="command")
    module.register(subparsers)  # type: ignore[attr-defined]
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_rules_table_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(rules, ["rules"]) == ExitCode.OK
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["CODE", "NAME", "SEVERITY", "SUMMARY"]
    codes = [line.split()[0] for line in out[1:]]
    assert codes == list(all_rules())
    row = next(line for line in out if line.startswith("MM304"))
    assert row.split()[1:3] == ["weekday-mismatch", "error"]


def test_rules_json_has_options_and_select(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(rules, ["rules", "--format", "json", "--select", "MM1"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert {row["code"] for row in data} == {code for code in all_rules() if code.startswith("MM1")}
    short = next(row for row in data if row["code"] == "MM104")
    assert short == {
        "code": "MM104",
        "name": "short-caption",
        "severity": "info",
        "enabled": True,
        "summary": all_rules()["MM104"].summary(),
        "options": {"min-words": 3},
    }


def test_rules_with_a_config_shows_effective_severity_and_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mediameta.toml"
    config.write_text('ignore = ["MM301"]\nseverity = {MM104 = "warning"}\n', encoding="utf-8")
    assert run(rules, ["rules", "--config", str(config), "--select", "MM1,MM3"]) == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "ON", "SUMMARY"]
    assert next(line for line in lines if line.startswith("MM104")).split()[2:4] == ["warning", "yes"]
    assert next(line for line in lines if line.startswith("MM301")).split()[2:4] == ["info", "no"]


@pytest.mark.parametrize("key", ["MM304", "mm304", "weekday-mismatch"])
def test_explain_by_code_or_name(key: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(explain, ["explain", key]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("MM304 weekday-mismatch (error)\n\nWeekday written with the date")
    assert "  fails: Friday that was a Monday" in out
    assert "→ a.jpg:description: MM304 'Friday, March 3, 2025': 2025-03-03 was a Monday, not a Friday" in out
    assert "→ no finding" in out


def test_explain_shows_options_and_fix(capsys: pytest.CaptureFixture[str]) -> None:
    run(explain, ["explain", "MM104"])
    assert "  min-words = 3" in capsys.readouterr().out
    run(explain, ["explain", "MM703"])
    assert "  fix: decode the garbled characters" in capsys.readouterr().out


def test_explain_unknown_code_is_a_usage_error() -> None:
    with pytest.raises(
        UsageError, match=r"unknown rule 'MM999' \(did you mean 'MM9\d\d'\?\); `mediameta rules` lists them"
    ):
        run(explain, ["explain", "MM999"])
    with pytest.raises(UsageError, match="needs a rule CODE"):
        run(explain, ["explain"])


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    expected = explain.rules_markdown()
    assert DOCS.is_file(), (
        "docs/rules.md missing: run `mediameta explain --all --format markdown > docs/rules.md`"
    )
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is out of date: run `mediameta explain --all --format markdown > docs/rules.md`"
    )
