"""``mediameta scan``: read the caption, credit and metadata of every picture under some folders.

    mediameta scan photos/                          # a table on a terminal, JSON Lines in a pipe
    mediameta scan photos/ --format csv > photos.csv
    mediameta scan photos/ --exclude 'rejects/' --include '*.jpg' --jobs 4
    mediameta scan photos/ --no-cache               # read every file again

Output: one object per file (``jsonl``: one a line; ``json``: one array), the ``MediaRecord``
fields: ``path`` (as walked from the PATH given), ``format``, ``width``, ``height``, ``size``,
``mtime_ns``, the IPTC-named fields (``description``, ``creators``, ``credit_line``...), ``gps``
(``{"lat", "lon", "alt"}`` or null), ``sources`` (field -> block), ``blocks`` (each block's own
values), ``conflicts`` and ``errors`` (``[{"block", "message"}]``). ``csv``: one row per file,
lists joined with ``"; "``. Exit status: 0 every file read cleanly, 1 some file had errors,
2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from mediameta.catalog import Catalog, CatalogError
from mediameta.console import ExitCode, UsageError, warn
from mediameta.media.scan import ScanResult, printable_path, record_json, scan_results
from mediameta.models import MEDIA_LIST_FIELDS, MEDIA_TEXT_FIELDS, MediaRecord

FORMATS = ("jsonl", "json", "csv", "table")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="read the caption, credit and metadata (EXIF, IPTC, XMP) of every picture under PATH...",
        description="Read every picture under PATH... (files or folders) into one record per file: "
        "caption, credit, creators, dates, places, camera, which block each value came from, and "
        "every error. Unchanged files are answered from the catalog's cache.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to scan")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="jsonl (one object a line), json (one array), csv, table (default on a terminal, else jsonl)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="reader processes (default: the number of cores)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file; neither use nor fill the cache"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="PATH",
        help="catalog file to use (default: .mediameta/catalog.sqlite in the scanned folder, "
        "or the user cache dir when that folder is read-only)",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="only files matching GLOB (a name, or a path relative to PATH with '/', '**' spans folders); repeatable",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders matching GLOB ('rejects/' = folders only); repeatable",
    )
    parser.add_argument(
        "--hidden", action="store_true", help="also scan files and folders whose name starts with '.'"
    )
    parser.set_defaults(handler=run)


# --------------------------------------------------------------------------- output contract


def _csv_columns() -> tuple[str, ...]:
    """MediaRecord's fields in model order, ``gps`` split in three, the per-block detail left out."""
    columns: list[str] = []
    for name in MediaRecord.model_fields:
        if name == "gps":
            columns += ["gps_lat", "gps_lon", "gps_alt"]
        elif name not in ("sources", "blocks", "conflicts", "errors"):
            columns.append(name)
    return (*columns, "sources", "conflicts", "errors")


CSV_COLUMNS = _csv_columns()


def csv_row(record: MediaRecord) -> list[str]:
    """One CSV row: lists joined with ``"; "``, sources as ``field=block``, errors as ``block: message``."""
    values: dict[str, Any] = record.model_dump(include=set(MEDIA_TEXT_FIELDS) | set(MEDIA_LIST_FIELDS))
    values.update(
        path=record.path,
        format=record.format,
        width=record.width,
        height=record.height,
        size=record.size,
        mtime_ns=record.mtime_ns,
        creators="; ".join(record.creators),
        keywords="; ".join(record.keywords),
        gps_lat=record.gps.lat if record.gps else None,
        gps_lon=record.gps.lon if record.gps else None,
        gps_alt=record.gps.alt if record.gps else None,
        sources="; ".join(f"{name}={block}" for name, block in record.sources.items()),
        conflicts="; ".join(conflict.field for conflict in record.conflicts),
        errors="; ".join(f"{error.block}: {error.message}" for error in record.errors),
    )
    return [
        "" if values.get(column) is None else printable_path(str(values[column])) for column in CSV_COLUMNS
    ]


def write_jsonl(results: Iterable[ScanResult], out: TextIO) -> None:
    """The MediaRecord's own JSON form (``model_dump_json``), one a line; cache hits print as stored."""
    for result in results:
        out.write(result.json + "\n")


def write_json(results: Iterable[ScanResult], out: TextIO) -> None:
    """One JSON array, written as records arrive (nothing is collected first)."""
    out.write("[")
    first = True
    for result in results:
        text = record_json(result.record, indent=2)
        out.write(("\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_csv(results: Iterable[ScanResult], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        writer.writerow(csv_row(result.record))


def _clip(text: str, width: int, *, keep_end: bool = False) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return "…" + text[len(text) - width + 1 :] if keep_end else text[: max(0, width - 1)] + "…"


def write_table(results: Iterable[ScanResult], out: TextIO, width: int | None = None) -> None:
    """For people: one line per file fitted to the terminal (paths clipped from the left); the
    ERRORS column counts errors and names their blocks (``--format jsonl`` has the messages)."""
    total_width = width or shutil.get_terminal_size((120, 24)).columns
    path_width = min(48, max(24, total_width // 4))
    errors_width = 16
    fixed = [("PATH", path_width), ("CREATOR", 18), ("CREDIT", 16), ("DATE", 10)]
    caption_width = max(20, total_width - sum(w + 2 for _, w in fixed) - errors_width - 2)
    header = [*(title.ljust(w) for title, w in fixed), "CAPTION".ljust(caption_width), "ERRORS"]
    out.write("  ".join(header) + "\n")
    widths = [w for _, w in fixed] + [caption_width]
    for result in results:
        record = result.record
        cells = [
            _clip(printable_path(record.path), path_width, keep_end=True),
            _clip(", ".join(record.creators) or "-", 18),
            _clip(record.credit_line or "-", 16),
            _clip((record.date_created or "-")[:10], 10),
            _clip(record.description or record.headline or "-", caption_width),
        ]
        line = "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True))
        blocks = ", ".join(dict.fromkeys(error.block for error in record.errors))
        problems = _clip(f"{len(record.errors)} ({blocks})", errors_width) if record.errors else "-"
        out.write(f"{line}  {problems}\n")


WRITERS = {"jsonl": write_jsonl, "json": write_json, "csv": write_csv, "table": write_table}


# --------------------------------------------------------------------------- progress


class Progress:
    """A one-line counter on stderr, only on a terminal and only once the run has taken a while."""

    DELAY = 0.75  # seconds before the first draw: quick scans print nothing
    INTERVAL = 0.1

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.enabled = stream.isatty()
        self.started = clock()
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.DELAY or now - self.last < self.INTERVAL:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        if total:
            width = 24
            filled = int(width * done / total)
            text = f"scanning [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files, {rate:,.0f}/s"
        else:
            text = f"scanning {done} files, {rate:,.0f}/s"
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# --------------------------------------------------------------------------- running


def scan_root(paths: list[Path]) -> Path:
    """The folder whose ``.mediameta/`` holds the catalog: the common folder of every PATH."""
    folders = [os.path.abspath(path if path.is_dir() else path.parent) for path in paths]
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives (Windows)
        return Path(folders[0])


def open_cache(args: argparse.Namespace) -> Catalog | None:
    if args.no_cache:
        return None
    root = scan_root(args.paths)
    try:
        catalog = Catalog.open(args.cache, root=root)
    except CatalogError as exc:
        if args.cache is not None:
            raise UsageError(f"cannot use --cache {args.cache}: {exc}") from exc
        warn(f"scanning without a cache: {exc}")
        return None
    for message in catalog.warnings:
        warn(message)
    return catalog


def _counting(results: Iterator[ScanResult], counts: dict[str, int]) -> Iterator[ScanResult]:
    for result in results:
        counts["files"] += 1
        if result.has_errors:
            counts["with_errors"] += 1
        yield result


def run(args: argparse.Namespace) -> int:
    missing = [str(path) for path in args.paths if not os.path.exists(path)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}")
    output_format = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    catalog = open_cache(args)
    progress = Progress(sys.stderr)
    counts = {"files": 0, "with_errors": 0}
    try:
        results = scan_results(
            args.paths,
            include=args.include,
            exclude=args.exclude,
            hidden=args.hidden,
            jobs=args.jobs,
            cache=catalog,
            progress=progress,
        )
        WRITERS[output_format](_counting(results, counts), sys.stdout)
        sys.stdout.flush()
    finally:
        progress.close()
        if catalog is not None:
            catalog.close()
    if counts["files"] == 0:
        warn("no pictures found (see --include/--exclude/--hidden)")
    return ExitCode.FINDINGS if counts["with_errors"] else ExitCode.OK
