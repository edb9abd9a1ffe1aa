"""``mediameta check PATH...``: link captions to pictures, run every rule, report the way CI expects.

Examples::

    mediameta check newsroom/                          # text report; exit 1 on warnings or errors
    mediameta check newsroom/ --format sarif --output mediameta.sarif
    mediameta check newsroom/ --fail-on error --select MM2,MM5 --ignore MM502
    mediameta check story.txt photos/ --article-date 2025-03-14

Exit codes: 0 clean, 1 findings at or above ``--fail-on`` (default: the config's ``fail-on``,
``warning``), 2 usage or configuration error (bad option, unknown config key, missing path).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mediameta.config import load_config, with_overrides
from mediameta.console import ExitCode, UsageError, warn
from mediameta.reporters import FORMATS, render

if TYPE_CHECKING:
    from mediameta.catalog import Catalog

_STAGES = {
    "discover": "finding files",
    "images": "reading images",
    "articles": "reading articles",
    "hashes": "hashing pictures",
    "linking": "linking captions",
    "rules": "running rules",
}


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check captions and metadata under PATH... and report for CI",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="articles, pictures or folders")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: github under GITHUB_ACTIONS=true, else text)",
    )
    parser.add_argument("--output", type=Path, default=None, metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default=None,
        help="lowest severity that makes the exit code 1 (default: config fail-on, else warning)",
    )
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help="use this config file")
    parser.add_argument(
        "--select",
        type=_codes,
        action="extend",
        default=None,
        metavar="CODES",
        help="only these code prefixes",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=None,
        metavar="CODES",
        help="skip these code prefixes",
    )
    parser.add_argument(
        "--article-date",
        type=_date,
        default=None,
        metavar="DATE",
        help="publication date for articles that state none (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file; neither use nor fill the cache"
    )
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="worker processes (default: cores)"
    )
    parser.set_defaults(handler=run)


class Progress:
    """A one-line stage counter on stderr, only on a terminal and only once the run takes a while."""

    DELAY = 0.75
    INTERVAL = 0.1

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or now - self.last < self.INTERVAL:
            return
        self.last = now
        counted = f"{done}/{total}" if total else f"{done}"
        self.stream.write(f"\r{_STAGES.get(stage, stage)} {counted}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _open_cache(paths: list[Path]) -> Catalog | None:
    from mediameta.catalog import Catalog, CatalogError
    from mediameta.commands.scan import scan_root

    try:
        catalog = Catalog.open(root=scan_root(paths))
    except CatalogError as exc:
        warn(f"checking without a cache: {exc}")
        return None
    for message in catalog.warnings:
        warn(message)
    return catalog


def choose_format(requested: str | None) -> str:
    if requested is not None:
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def run(args: argparse.Namespace) -> int:
    from mediameta.checks.engine import fails, run_check

    missing = [str(path) for path in args.paths if not os.path.exists(path)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}")
    config = load_config(args.paths[0], args.config)  # ConfigError is a UsageError: exit 2
    config = with_overrides(
        config, select=args.select, ignore=args.ignore, fail_on=args.fail_on, article_date=args.article_date
    )
    output_format = choose_format(args.format)
    catalog = None if args.no_cache else _open_cache(list(args.paths))
    progress = Progress(sys.stderr)
    try:
        result = run_check(
            args.paths,
            config,
            jobs=args.jobs,
            cache=catalog,
            progress=progress,
        )
    finally:
        progress.close()
        if catalog is not None:
            catalog.close()
    if result.report.summary.files == 0:
        warn("no articles, pictures, caption sidecars or manifests found under the given paths")
    to_terminal = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = render(result.report, output_format, color=to_terminal and output_format == "text")
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write --output {args.output}: {exc.strerror or exc}") from exc
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if args.exit_zero:
        return ExitCode.OK
    return ExitCode.FINDINGS if fails(result.report, config.fail_on) else ExitCode.OK
