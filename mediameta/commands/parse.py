"""``mediameta parse``: parse caption strings (or the captions of an article) into structured facts.

    mediameta parse "… March 3, 2025. (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)"
    mediameta parse - < captions.txt                     # one caption per line
    mediameta parse --input captions.jsonl --input-format jsonl --format jsonl
    mediameta parse --article story.txt                  # captions found in an article, with line:column

Output (``--format json`` one array, ``jsonl`` one object a line, ``table`` for people; the default
is ``table`` on a terminal and ``jsonl`` otherwise), one object per caption::

    {"id"?, "text", "body", "credit": {"raw", "photographers", "agencies", "qualifiers"} | null,
     "date": {"iso", "text", "weekday"} | null,
     "location": {"sublocation", "city", "region", "country"} | null,
     "file_marker": bool, "spans": {"name": [start, end], ...}}

With ``--article`` each object also has ``path``, ``line``, ``column``, ``source`` and ``image_ref``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from mediameta.captions.catalogue import AgencyCatalogue, default_catalogue
from mediameta.captions.parse import parse_caption
from mediameta.console import ExitCode, UsageError, warn
from mediameta.models import Caption


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "parse",
        help="parse captions: body, credit (photographers, agencies, qualifiers), date, location",
        description="Parse caption strings into body, credit, date and location. "
        "TEXT... are captions; '-' reads captions from stdin, one per line.",
    )
    parser.add_argument("texts", nargs="*", metavar="TEXT", help="caption strings ('-': read stdin)")
    parser.add_argument("--input", type=Path, metavar="FILE", help="read captions from FILE ('-': stdin)")
    parser.add_argument(
        "--input-format",
        choices=("lines", "jsonl"),
        default="lines",
        help='lines: one caption per line (default); jsonl: {"id": ..., "text": ...} per line, id echoed back',
    )
    parser.add_argument(
        "--format",
        choices=("json", "jsonl", "table"),
        default=None,
        help="output: json (one array), jsonl (one object a line), table (default on a terminal)",
    )
    parser.add_argument("--article", type=Path, metavar="FILE", help="print the captions found in an article")
    parser.add_argument(
        "--agencies",
        type=Path,
        metavar="TOML",
        help="extra agency catalogue entries ([[agency]] name/aliases/kind), on top of the shipped one",
    )
    parser.set_defaults(handler=run)


# --------------------------------------------------------------------------- JSON contract


def caption_json(caption: Caption, identifier: Any = None, with_id: bool = False) -> dict[str, Any]:
    """The ``mediameta parse`` output object for one caption (the documented contract)."""
    out: dict[str, Any] = {}
    if with_id:
        out["id"] = identifier
    out["text"] = caption.text
    out["body"] = caption.body
    credit = caption.credit
    out["credit"] = (
        None
        if credit is None
        else {
            "raw": credit.raw,
            "photographers": list(credit.photographers),
            "agencies": list(credit.agencies),
            "qualifiers": list(credit.qualifiers),
        }
    )
    date = caption.date
    out["date"] = None if date is None else {"iso": date.iso, "text": date.text, "weekday": date.weekday}
    location = caption.location
    out["location"] = (
        None
        if location is None
        else {
            "sublocation": location.sublocation,
            "city": location.city,
            "region": location.region,
            "country": location.country,
        }
    )
    out["file_marker"] = caption.file_marker
    out["spans"] = {name: [span.start, span.end] for name, span in caption.spans.items()}
    return out


# --------------------------------------------------------------------------- input


def _read_inputs(args: argparse.Namespace) -> Iterator[tuple[Any, str, bool]]:
    """(id, text, has_id) for every caption the arguments name, in order."""
    streams: list[TextIO] = []
    texts: list[str] = list(args.texts)
    if args.input is not None:
        if str(args.input) == "-":
            streams.append(sys.stdin)
        else:
            try:
                streams.append(args.input.open(encoding="utf-8", errors="replace", newline=""))
            except OSError as exc:
                raise UsageError(f"cannot read --input {args.input}: {exc.strerror or exc}") from exc
    if texts == ["-"]:
        texts = []
        streams.append(sys.stdin)
    elif "-" in texts:
        raise UsageError("'-' (stdin) cannot be mixed with caption arguments")
    for text in texts:
        yield None, text, False
    for stream in streams:
        yield from _read_stream(stream, args.input_format)


def _read_stream(stream: TextIO, input_format: str) -> Iterator[tuple[Any, str, bool]]:
    for number, line in enumerate(stream, start=1):
        line = line.rstrip("\r\n")
        if input_format == "lines":
            if line.strip():
                yield None, line, False
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            warn(f"input line {number}: not JSON ({exc.msg}); skipped")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            warn(f'input line {number}: expected {{"id": ..., "text": "..."}}; skipped')
            continue
        yield record.get("id"), record["text"], True


# --------------------------------------------------------------------------- output


def _write(objects: Iterable[dict[str, Any]], output_format: str, out: TextIO) -> int:
    count = 0
    if output_format == "jsonl":
        for obj in objects:
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            count += 1
    elif output_format == "json":
        items = list(objects)
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        count = len(items)
    else:
        for obj in objects:
            out.write(_table_row(obj))
            count += 1
    return count


def _table_row(obj: dict[str, Any]) -> str:
    lines: list[str] = []
    where = f"{obj['path']}:{obj['line']}:{obj['column']}  " if "path" in obj else ""
    label = f"[{obj['id']}] " if "id" in obj else ""
    lines.append(f"{where}{label}{_shorten(obj['text'], 100)}")
    credit = obj["credit"]
    if credit is None:
        lines.append("  credit:        (none)")
    else:
        lines.append(f"  credit:        {credit['raw']}")
        if credit["photographers"]:
            lines.append(f"  photographers: {', '.join(credit['photographers'])}")
        if credit["agencies"]:
            lines.append(f"  agencies:      {', '.join(credit['agencies'])}")
        if credit["qualifiers"]:
            lines.append(f"  qualifiers:    {', '.join(credit['qualifiers'])}")
    if obj["date"] is not None:
        weekday = f" ({obj['date']['weekday']})" if obj["date"].get("weekday") else ""
        lines.append(f'  date:          {obj["date"]["iso"]}  "{obj["date"]["text"]}"{weekday}')
    if obj["location"] is not None:
        place = ", ".join(f"{k}={v}" for k, v in obj["location"].items() if v)
        lines.append(f"  location:      {place}")
    if obj["body"] is not None and obj["body"] != obj["text"]:
        lines.append(f"  body:          {_shorten(obj['body'], 100)}")
    return "\n".join(lines) + "\n\n"


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --------------------------------------------------------------------------- command


def _catalogue(path: Path | None) -> AgencyCatalogue:
    catalogue = default_catalogue()
    if path is None:
        return catalogue
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read --agencies {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"--agencies {path}: not valid TOML ({exc})") from exc
    entries = data.get("agency", data.get("agencies", []))
    if not isinstance(entries, list):
        raise UsageError(f"--agencies {path}: expected [[agency]] tables")
    try:
        return catalogue.extended(entries)
    except ValueError as exc:
        raise UsageError(f"--agencies {path}: {exc}") from exc


def _article_objects(path: Path, catalogue: AgencyCatalogue) -> Iterator[dict[str, Any]]:
    from mediameta.captions.extract import read_article

    article = read_article(path, catalogue=catalogue)
    for message in article.errors:
        warn(f"{path}: {message}")
    for occurrence in article.captions:
        obj: dict[str, Any] = {
            "path": occurrence.path,
            "line": occurrence.line,
            "column": occurrence.column,
            "source": occurrence.source,
            "image_ref": occurrence.image_ref,
        }
        obj.update(caption_json(occurrence.caption))
        yield obj


def run(args: argparse.Namespace) -> int:
    output_format: str = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    catalogue = _catalogue(args.agencies)
    if args.article is not None:
        if args.texts or args.input is not None:
            raise UsageError("--article cannot be combined with TEXT or --input")
        if not args.article.is_file():
            raise UsageError(f"no such article: {args.article}")
        _write(_article_objects(args.article, catalogue), output_format, sys.stdout)
        return ExitCode.OK
    if not args.texts and args.input is None:
        raise UsageError("give caption TEXT, '-' for stdin, --input FILE or --article FILE")
    objects = (
        caption_json(parse_caption(text, catalogue), identifier, has_id)
        for identifier, text, has_id in _read_inputs(args)
    )
    _write(objects, output_format, sys.stdout)
    return ExitCode.OK
