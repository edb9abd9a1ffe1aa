"""Exit codes and the one place that writes messages to stderr.

stdout carries data only; everything for people about what went wrong goes through here.
"""

from __future__ import annotations

import sys
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # findings at/above --fail-on (check), files with errors (scan)
    USAGE = 2  # bad arguments or configuration
    INTERRUPTED = 130


class UsageError(Exception):
    """A user mistake (bad argument, bad config): reported on stderr, exit code 2."""


def error(message: str) -> None:
    print(f"mediameta: error: {message}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"mediameta: warning: {message}", file=sys.stderr)


def info(message: str) -> None:
    print(f"mediameta: {message}", file=sys.stderr)
