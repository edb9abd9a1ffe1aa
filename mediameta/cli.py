"""Command line: ``mediameta <command>``. Each command lives in ``mediameta.commands.<name>``.

The CLI is thin: it parses arguments, calls the core and hands the result to a reporter.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Protocol

from mediameta import __version__
from mediameta.console import ExitCode, UsageError, error

# Order is the order of `mediameta --help`.
COMMANDS: tuple[str, ...] = (
    "parse",
    "scan",
    "check",
    "review",
    "rules",
    "explain",
    "write",
    "apply",
    "fix",
)


class CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        error(message)
        raise SystemExit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mediameta", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mediameta {__version__}")
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    for name in COMMANDS:
        module: CommandModule = importlib.import_module(f"mediameta.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        return int(handler(args))
    except UsageError as exc:
        error(str(exc))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        error("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
