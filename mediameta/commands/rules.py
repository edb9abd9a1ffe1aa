"""``mediameta rules``: list every check rule — code, name, severity and what it reports.

Examples::

    mediameta rules                         # a table
    mediameta rules --select MM2 --select MM3
    mediameta rules --format json           # for tools: options and their defaults included
    mediameta rules --config mediameta.toml # severities and on/off as that config sets them

``mediameta explain CODE`` prints one rule's full documentation and examples.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mediameta.checks.registry import Rule, all_rules
from mediameta.config import Config, is_selected, load_config, severity_for
from mediameta.console import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rules",
        help="list the check rules (code, name, severity, summary)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--select",
        action="append",
        default=None,
        metavar="PREFIX",
        help="only rules whose code starts with PREFIX (repeatable, comma-separated allowed)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="show severities and on/off as this config file sets them",
    )
    parser.set_defaults(handler=run)


def option_defaults(cls: type[Rule]) -> dict[str, Any]:
    """The rule's options with their defaults, under their config (kebab-case) names."""
    return cls.Options().model_dump(mode="json", by_alias=True)


def rule_rows(config: Config | None, prefixes: list[str] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for code, cls in all_rules().items():
        if prefixes and not any(code.startswith(prefix) for prefix in prefixes):
            continue
        rows.append(
            {
                "code": code,
                "name": cls.name,
                "severity": severity_for(config, code, cls.severity) if config else cls.severity,
                "enabled": is_selected(config, code) if config else True,
                "summary": cls.summary(),
                "options": option_defaults(cls),
            }
        )
    return rows


def render_table(rows: list[dict[str, Any]], width: int | None = None) -> str:
    """Aligned plain-text columns; the summary is cut to the terminal width when there is one."""
    show_enabled = any(not row["enabled"] for row in rows)
    code_w = max((len(row["code"]) for row in rows), default=4)
    name_w = max((len(row["name"]) for row in rows), default=4)
    sev_w = max(len("SEVERITY"), *(len(row["severity"]) for row in rows)) if rows else 8
    lines = []
    header = f"{'CODE':<{code_w}}  {'NAME':<{name_w}}  {'SEVERITY':<{sev_w}}  "
    if show_enabled:
        header += "ON   "
    lines.append(header + "SUMMARY")
    for row in rows:
        line = f"{row['code']:<{code_w}}  {row['name']:<{name_w}}  {row['severity']:<{sev_w}}  "
        if show_enabled:
            line += "yes  " if row["enabled"] else "no   "
        summary = row["summary"].replace("``", "")  # docstring markup, noise in a table
        if width is not None and len(line) + len(summary) > width > len(line) + 10:
            summary = summary[: width - len(line) - 1] + "…"
        lines.append(line + summary)
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    config = load_config(explicit=args.config) if args.config is not None else None
    prefixes = None
    if args.select:
        prefixes = [
            part.strip().upper() for value in args.select for part in value.split(",") if part.strip()
        ]
    rows = rule_rows(config, prefixes)
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        width = None
        if sys.stdout.isatty():
            import shutil

            width = shutil.get_terminal_size().columns
        sys.stdout.write(render_table(rows, width))
    return ExitCode.OK
