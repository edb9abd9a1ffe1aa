"""``mediameta explain CODE``: one rule's documentation, options and examples (run live).

Examples::

    mediameta explain MM204                  # by code
    mediameta explain photographer-mismatch  # or by name
    mediameta explain --all --format markdown > docs/rules.md

Each example is run through the rule as ``mediameta check`` would run it, and the finding it
produces (or "no finding") is printed under it. An unknown code exits 2.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import json
import sys
from typing import Any

from mediameta.checks.registry import Example, Rule, all_rules
from mediameta.console import ExitCode, UsageError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="print a rule's documentation and examples",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "code", nargs="?", metavar="CODE", help="rule code (MM204) or name (photographer-mismatch)"
    )
    parser.add_argument("--all", action="store_true", help="every rule, in code order")
    parser.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="output format (default: text)"
    )
    parser.set_defaults(handler=run)


def find_rule(key: str) -> type[Rule]:
    """The rule with this code or name (case-insensitive), or UsageError with a suggestion."""
    rules = all_rules()
    wanted = key.strip()
    by_code = {code.casefold(): cls for code, cls in rules.items()}
    by_name = {cls.name.casefold(): cls for cls in rules.values()}
    found = by_code.get(wanted.casefold()) or by_name.get(wanted.casefold())
    if found is not None:
        return found
    close = difflib.get_close_matches(
        wanted.upper(), list(rules), n=1, cutoff=0.6
    ) or difflib.get_close_matches(wanted.lower(), [cls.name for cls in rules.values()], n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise UsageError(f"unknown rule '{key}'{hint}; `mediameta rules` lists them")


def _doc(cls: type[Rule]) -> tuple[str, str]:
    doc = inspect.cleandoc(cls.__doc__ or cls.name)
    summary, _, rest = doc.partition("\n")
    return summary.strip(), rest.strip()


def _toml_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _example_inputs(example: Example) -> list[str]:
    lines: list[str] = []
    settings = dict(example.config)
    if example.article_date is not None:
        settings["article-date"] = example.article_date
    for key, value in settings.items():
        lines.append(f"config: {key} = {_toml_value(value)}")
    for key, value in example.options.items():
        lines.append(f"option: {key} = {_toml_value(value)}")
    for path, text in example.articles.items():
        lines.append(f"article {path}:")
        lines.extend(f"    {line}" for line in text.rstrip("\n").splitlines())
    for name, fields in example.images.items():
        lines.append(f"image {name}:")
        lines.extend(f"    {key}: {_toml_value(value)}" for key, value in fields.items())
    for path, message in example.unreadable.items():
        lines.append(f"unreadable {path}: {message}")
    for path, errors in example.article_errors.items():
        lines.extend(f"article {path} read error: {error}" for error in errors)
    return lines


def _example_outcome(cls: type[Rule], example: Example) -> list[str]:
    from mediameta.checks.examples import run_example

    findings = run_example(cls, example)
    if not findings:
        return ["→ no finding"]
    lines = []
    for finding in findings:
        where = finding.path
        if finding.line is not None:
            where += f":{finding.line}:{finding.column or 1}"
        elif finding.field:
            where += f":{finding.field}"
        lines.append(f"→ {where}: {finding.code} {finding.message}")
        if finding.fix is not None:
            lines.append(f"  fix: {finding.fix.description}")
    return lines


def explain_text(cls: type[Rule]) -> str:
    """The plain-text documentation of one rule, with its examples run."""
    summary, rest = _doc(cls)
    out = [f"{cls.code} {cls.name} ({cls.severity})", "", summary]
    if rest:
        out += ["", rest]
    options = cls.Options().model_dump(mode="json", by_alias=True)
    if options:
        out += ["", f"Options ([tool.mediameta.rules.{cls.code}] or rules.{cls.code} in mediameta.toml):"]
        out += [f"  {key} = {_toml_value(value)}" for key, value in options.items()]
    out += ["", "Examples:"]
    for example in cls.examples:
        out.append(f"  {'fails' if example.fails else 'passes'}: {example.title}")
        out += [f"    {line}" for line in _example_inputs(example)]
        out += [f"    {line}" for line in _example_outcome(cls, example)]
    return "\n".join(out) + "\n"


def explain_markdown(cls: type[Rule]) -> str:
    summary, rest = _doc(cls)
    out = [f"## {cls.code} `{cls.name}`", "", f"Default severity: **{cls.severity}**.", "", summary]
    if rest:
        out += ["", rest]
    options = cls.Options().model_dump(mode="json", by_alias=True)
    if options:
        out += ["", f"Options (`rules.{cls.code}`):", ""]
        out += [f"- `{key} = {_toml_value(value)}`" for key, value in options.items()]
    out += ["", "Examples (the test suite runs each; `mediameta explain` shows what they report):", ""]
    for example in cls.examples:
        out.append(f"- **{'fails' if example.fails else 'passes'}**: {example.title}")
        out.append("")
        out.append("  ```text")
        out += [f"  {line}" for line in _example_inputs(example)]
        out.append("  ```")
    return "\n".join(out) + "\n"


def rules_markdown() -> str:
    """docs/rules.md: the whole registry, generated (a test keeps the committed file in step)."""
    rules = all_rules()
    head = [
        "# mediameta rules",
        "",
        "Generated from the rule registry by `mediameta explain --all --format markdown`; do not edit by hand.",
        "",
        'Select and ignore rules by code prefix in the config (`select = ["MM"]`, `ignore = ["MM301"]`),',
        'change a rule\'s severity (`severity = {MM104 = "warning"}`) or options (`rules = {MM104 = {min-words = 2}}`).',
        "Examples run as if today were 2025-06-30.",
        "",
        "| Code | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for code, cls in rules.items():
        summary = cls.summary().replace("|", "\\|")
        head.append(f"| [{code}](#{code.lower()}-{cls.name}) | `{cls.name}` | {cls.severity} | {summary} |")
    return "\n".join(head) + "\n\n" + "\n".join(explain_markdown(cls) for cls in rules.values())


def run(args: argparse.Namespace) -> int:
    if args.all:
        if args.format == "markdown":
            sys.stdout.write(rules_markdown())
        else:
            sys.stdout.write("\n".join(explain_text(cls) for cls in all_rules().values()))
        return ExitCode.OK
    if not args.code:
        raise UsageError("explain needs a rule CODE (or --all); `mediameta rules` lists them")
    cls = find_rule(args.code)
    sys.stdout.write(explain_markdown(cls) if args.format == "markdown" else explain_text(cls))
    return ExitCode.OK
