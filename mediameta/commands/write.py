"""``mediameta write``: put a caption, credit and the other IPTC fields into image files.

    mediameta write photo.jpg --description "…" --creator "Leah Millis" --credit-line "REUTERS/Leah Millis"
    mediameta write *.jpg --source Reuters --dry-run         # print the field-by-field diff, write nothing
    mediameta write IMG_0001.CR2 --credit-line Staff         # RAW files always get an .xmp sidecar

For each file stdout gets one line ``PATH: N changes (written|dry run|unchanged)[ -> SIDECAR]``
followed by the diff, one change a line (``block tag: old -> new (note)``). Warnings (an IIM value
truncated to its limit, a RAW file written to a sidecar) and refusals go to stderr. Exit 0 when every
file was written (or had nothing to change), 1 when any was refused, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

from mediameta.console import ExitCode, UsageError, error, warn
from mediameta.media.write import (
    PROCESS_BATCH_MIN,
    SIDECAR_HINT,
    ChangeValue,
    WriteOptions,
    WriteRefused,
    WriteResult,
    iter_changes_text,
    write_many,
    write_metadata,
)
from mediameta.media.write_fields import FIELD_SPECS

# CLI option -> MediaRecord field; list fields take the option once per value.
FIELD_OPTIONS: dict[str, str] = {
    "--description": "description",
    "--headline": "headline",
    "--title": "title",
    "--creator": "creators",
    "--credit-line": "credit_line",
    "--source": "source",
    "--copyright": "copyright",
    "--date-created": "date_created",
    "--sublocation": "sublocation",
    "--city": "city",
    "--state": "state",
    "--country": "country",
    "--country-code": "country_code",
    "--instructions": "instructions",
    "--job-id": "job_id",
    "--description-writer": "description_writer",
    "--keyword": "keywords",
}


def add_write_options(parser: argparse.ArgumentParser) -> None:
    """--sidecar / --dry-run / --backup / --iim / --no-exif, shared by write, apply and fix."""
    parser.add_argument(
        "--sidecar", action="store_true", help="write an .xmp sidecar next to the file instead"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the field-by-field diff; write nothing")
    parser.add_argument(
        "--backup", action="store_true", help="keep the original as FILE.bak (kept if it exists)"
    )
    parser.add_argument(
        "--iim",
        choices=("auto", "always", "never"),
        default="auto",
        help="IPTC IIM: auto = only where the file already has IIM (default), always, never",
    )
    parser.add_argument(
        "--no-exif", action="store_true", help="leave EXIF ImageDescription/Artist/Copyright alone"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help=f"worker processes for batches of {PROCESS_BATCH_MIN}+ files (default: cores; 1: this process only)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "write",
        help="write caption, credit and other IPTC fields into image files (XMP, IIM, EXIF), losslessly",
        description="Write fields into each FILE's XMP, IPTC IIM and EXIF, keeping them in step; "
        "the image data and every other tag are kept byte for byte. An empty value removes the field.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    for option, field in FIELD_OPTIONS.items():
        spec = FIELD_SPECS[field]
        if spec.is_list:
            parser.add_argument(
                option, dest=field, action="append", metavar="VALUE", help=f"{field} (repeatable)"
            )
        else:
            parser.add_argument(option, dest=field, metavar="VALUE", help=field.replace("_", " "))
    add_write_options(parser)
    parser.set_defaults(handler=run)


def options_from(args: argparse.Namespace) -> WriteOptions:
    return WriteOptions(iim=args.iim, exif=not args.no_exif)


def changes_from(args: argparse.Namespace) -> dict[str, ChangeValue]:
    changes: dict[str, ChangeValue] = {}
    for field in FIELD_OPTIONS.values():
        value = getattr(args, field, None)
        if value is None:
            continue
        if isinstance(value, list):
            changes[field] = None if value == [""] else [item for item in value if item]
        else:
            changes[field] = value or None
    return changes


WRITE_WORKERS = 4  # files whose disk work (write, fsync, rename) overlaps; see write_many


@dataclass(frozen=True)
class FileWriter:
    """Write one file the way every command does: a format that can't be written embedded goes to
    a sidecar (with a warning in the result). Raises WriteRefused for everything else. Plain data,
    so that write_many's worker processes can run it."""

    options: WriteOptions
    sidecar: bool = False
    backup: bool = False
    dry_run: bool = False

    def __call__(self, path: Path, changes: Mapping[str, ChangeValue]) -> WriteResult:
        write = partial(write_metadata, backup=self.backup, dry_run=self.dry_run, config=self.options)
        try:
            return write(path, changes, sidecar=self.sidecar)
        except WriteRefused as refused:
            if refused.reason != "format" or self.sidecar:
                raise
            result = write(path, changes, sidecar=True)
            reason = str(refused).replace(SIDECAR_HINT, "")
            verb = "would go to" if self.dry_run else "written to"
            result.warnings.insert(0, f"{reason}; {verb} the sidecar {result.written_to.name} instead")
            return result


def file_writer(args: argparse.Namespace) -> FileWriter:
    return FileWriter(options_from(args), sidecar=args.sidecar, backup=args.backup, dry_run=args.dry_run)


def write_with_fallback(
    path: Path, changes: Mapping[str, ChangeValue], args: argparse.Namespace
) -> WriteResult:
    """``FileWriter`` for the command line's options, for one file."""
    return file_writer(args)(path, changes)


def write_jobs(
    jobs: Iterable[tuple[Path, Mapping[str, ChangeValue]]],
    args: argparse.Namespace,
    writer: Callable[[Path, Mapping[str, ChangeValue]], WriteResult] | None = None,
) -> Iterator[tuple[Path, WriteResult | WriteRefused]]:
    """``writer`` (default: ``file_writer(args)``) over many files, several at a time, in worker
    processes for a big batch (``--jobs``), results in input order."""
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}")
    from mediameta.media.scan import default_jobs

    processes = default_jobs() if args.jobs is None else args.jobs
    return write_many(jobs, writer or file_writer(args), workers=WRITE_WORKERS, processes=processes)


def print_result(result: WriteResult, out: TextIO, shown: Path | None = None) -> None:
    """``PATH: N changes (state)[ -> SIDECAR]`` and the diff; ``shown`` is the path as the user gave it."""
    if not result.changes:
        state = "unchanged"
    elif result.dry_run:
        state = "dry run, nothing written"
    else:
        state = "written"
    name = shown if shown is not None else result.path
    target = f" -> {name.parent / result.written_to.name}" if result.written_to != result.path else ""
    count = len(result.changes)
    out.write(f"{name}: {count} change{'s' if count != 1 else ''} ({state}){target}\n")
    for line in iter_changes_text(result.changes):
        out.write(line + "\n")
    for message in result.warnings:
        warn(message)


def run(args: argparse.Namespace) -> int:
    changes = changes_from(args)
    if not changes:
        raise UsageError(
            "nothing to write: give at least one field option (e.g. --description, --credit-line)"
        )
    return write_files(args.files, changes, args, sys.stdout)


def write_files(
    files: Iterable[Path], changes: Mapping[str, ChangeValue], args: argparse.Namespace, out: TextIO
) -> int:
    failed = 0
    for path, outcome in write_jobs(((path, changes) for path in files), args):
        if isinstance(outcome, WriteRefused):
            error(str(outcome))
            if outcome.reason == "invalid":
                return ExitCode.USAGE
            failed += 1
            continue
        print_result(outcome, out, shown=path)
    return ExitCode.FINDINGS if failed else ExitCode.OK
