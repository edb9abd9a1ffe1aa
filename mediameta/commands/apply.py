"""``mediameta apply MANIFEST``: batch edits from a CSV or JSON manifest, all-or-nothing per file.

CSV: a header row with ``file`` and field columns named after MediaRecord fields (``description``,
``credit_line``, ``creators``, … — hyphens work too: ``credit-line``); one row per file. An empty cell
leaves the field alone; list fields (``creators``, ``keywords``) are separated by ``;``.
JSON: a list of objects ``{"file": ..., "<field>": value}``; lists are JSON arrays and ``null``
removes the field. Paths are relative to the manifest's folder.

Each file is written in one atomic write (or refused and left as it was); stdout gets each file's
diff and, last, ``N written, N refused, N unchanged``. Exit 1 if any file was refused.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediameta.commands.write import add_write_options, print_result, write_jobs
from mediameta.console import ExitCode, UsageError, error
from mediameta.media.write import ChangeValue, WriteRefused
from mediameta.media.write_fields import FIELD_SPECS

LIST_SEPARATOR = ";"


@dataclass
class ManifestRow:
    where: str  # "manifest.csv:3" for messages
    path: Path
    changes: dict[str, ChangeValue]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "apply",
        help="apply batch edits from a CSV/JSON manifest (one row per file, all-or-nothing per file)",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("manifest", type=Path, metavar="MANIFEST", help="a .csv or .json manifest")
    add_write_options(parser)
    parser.set_defaults(handler=run)


def _field_name(column: str, where: str) -> str:
    name = column.strip().replace("-", "_")
    if name not in FIELD_SPECS:
        raise UsageError(f"{where}: unknown column {column!r} (fields: file, {', '.join(FIELD_SPECS)})")
    return name


def _csv_rows(manifest: Path, text: str) -> list[ManifestRow]:
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or "file" not in [name.strip() for name in reader.fieldnames]:
        raise UsageError(f"{manifest}: the header row needs a 'file' column")
    columns = {name: _field_name(name, str(manifest)) for name in reader.fieldnames if name.strip() != "file"}
    rows: list[ManifestRow] = []
    for line_number, raw in enumerate(reader, start=2):
        where = f"{manifest}:{line_number}"
        if None in raw:
            raise UsageError(f"{where}: more cells than columns")
        file_cell = next((value for key, value in raw.items() if key.strip() == "file"), "") or ""
        if not file_cell.strip():
            raise UsageError(f"{where}: the 'file' cell is empty")
        changes: dict[str, ChangeValue] = {}
        for column, field in columns.items():
            cell = raw.get(column) or ""
            if not cell.strip():
                continue  # empty: leave the field alone
            if FIELD_SPECS[field].is_list:
                changes[field] = [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
            else:
                changes[field] = cell
        rows.append(ManifestRow(where, manifest.parent / file_cell.strip(), changes))
    return rows


def _json_value(value: Any, field: str, where: str) -> ChangeValue:
    if value is None or isinstance(value, str):
        return value
    if (
        isinstance(value, list)
        and all(isinstance(item, str) for item in value)
        and FIELD_SPECS[field].is_list
    ):
        return list(value)
    raise UsageError(
        f"{where}: {field} must be a string{' or a list of strings' if FIELD_SPECS[field].is_list else ''}"
    )


def _json_rows(manifest: Path, text: str) -> list[ManifestRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{manifest}: not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise UsageError(f"{manifest}: expected a JSON list of objects")
    rows: list[ManifestRow] = []
    for index, item in enumerate(data):
        where = f"{manifest}[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"].strip():
            raise UsageError(f"{where}: expected an object with a 'file' string")
        changes: dict[str, ChangeValue] = {}
        for key, value in item.items():
            if key == "file":
                continue
            field = _field_name(key, where)
            changes[field] = _json_value(value, field, where)
        rows.append(ManifestRow(where, manifest.parent / item["file"].strip(), changes))
    return rows


def read_manifest(manifest: Path) -> list[ManifestRow]:
    """Parse and validate the whole manifest before anything is written (a usage error stops it all)."""
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{manifest}: cannot read: {exc.strerror or exc}") from exc
    suffix = manifest.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(manifest, text)
    elif suffix == ".json":
        rows = _json_rows(manifest, text)
    else:
        raise UsageError(f"{manifest}: a manifest is a .csv or a .json file")
    seen: dict[Path, str] = {}
    for row in rows:
        key = row.path.resolve()
        if key in seen:
            raise UsageError(f"{row.where}: {row.path} is already in the manifest at {seen[key]}")
        seen[key] = row.where
    return rows


def run(args: argparse.Namespace) -> int:
    rows = read_manifest(args.manifest)
    written = refused = 0
    unchanged = sum(1 for row in rows if not row.changes)
    where = {row.path: row.where for row in rows}
    jobs = [(row.path, row.changes) for row in rows if row.changes]
    for path, outcome in write_jobs(jobs, args):
        if isinstance(outcome, WriteRefused):
            error(f"{where[path]}: {outcome}")
            refused += 1
            continue
        print_result(outcome, sys.stdout, shown=path)
        if outcome.changes:
            written += 1
        else:
            unchanged += 1
    verb = "would be written" if args.dry_run else "written"
    sys.stdout.write(f"{written} {verb}, {refused} refused, {unchanged} unchanged\n")
    return ExitCode.FINDINGS if refused else ExitCode.OK
