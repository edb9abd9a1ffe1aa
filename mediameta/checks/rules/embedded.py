"""MM7xx: the embedded metadata itself — IPTC vs XMP vs EXIF disagreeing, IIM limits, mojibake."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.checks.rules._support import article_targets, is_unreadable
from mediameta.media.write_fields import FIELD_SPECS
from mediameta.models import MEDIA_LIST_FIELDS, MEDIA_TEXT_FIELDS, Finding, Fix, MediaRecord

# IPTC IIM 4.2 maximum octets per dataset, by MediaRecord field (repeatable fields: per value),
# from the writer's field table (one source of truth: what MM702 reports is what the writer would
# have to cut). Date Created is left out: the record holds an ISO timestamp that the writer splits
# into 2:55 + 2:60. By-line Title is not written by mediameta but is checked all the same.
IIM_LIMITS: dict[str, tuple[str, int]] = {
    name: (spec.iim_name or name, spec.iim_limit)
    for name, spec in FIELD_SPECS.items()
    if spec.iim_limit is not None and name != "date_created"
}
IIM_LIMITS.setdefault("creator_job_title", ("By-line Title", 32))
BLOCK_NAMES = {"iptc": "IPTC", "xmp": "XMP", "exif": "EXIF", "sidecar": "sidecar", "file": "file"}


def _field_values(record: MediaRecord) -> Iterator[tuple[str, str | list[str]]]:
    for name in MEDIA_TEXT_FIELDS:
        value = getattr(record, name)
        if isinstance(value, str) and value:
            yield name, value
    for name in MEDIA_LIST_FIELDS:
        values = getattr(record, name)
        if values:
            yield name, list(values)


def _show(value: str | list[str]) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    return value if len(value) <= 60 else value[:57] + "..."


def _same_day(values: Iterable[str | list[str]]) -> bool:
    """Whether every block's date created falls on one day (clock seconds and zones ignored)."""
    days = {value[:10].replace(":", "-") for value in values if isinstance(value, str) and value}
    return len(days) <= 1


@register
class BlockConflict(Rule):
    """The IPTC, XMP and EXIF copies of a field disagree (e.g. By-line says one name, XMP dc:creator another).

    Software that reads one block shows one value, software that reads another shows another: the
    archive, the CMS and the wire desk end up with different captions or credits. The reader
    reconciles each field (XMP first, then IPTC, then EXIF, as the IPTC/MWG guidance says); this
    rule reports every field whose blocks still differ after normalising whitespace. Dates created
    that fall on the same day are not reported (EXIF keeps sub-seconds, IIM whole seconds, and
    writers round differently; a desk cares about the day). Nor is an IIM value that is the other
    blocks' value cut at the IIM dataset's byte limit on a character boundary: that is how
    ``mediameta write`` and every MWG writer fit a long value into IIM (MM702 reports the cut).

    Fix: write the reconciled value to every block.

    Fails: IPTC By-line ``Leah Millis``, XMP dc:creator ``Evelyn Hockstein``.
    Passes: the blocks agree.
    """

    code = "MM701"
    name = "block-conflict"
    severity = "warning"
    examples = (
        Example(
            "creator differs between IPTC and XMP",
            fails=True,
            images={
                "a.jpg": {
                    "creators": ["Evelyn Hockstein"],
                    "sources": {"creators": "xmp"},
                    "blocks": {
                        "iptc": {"creators": ["Leah Millis"]},
                        "xmp": {"creators": ["Evelyn Hockstein"]},
                    },
                    "conflicts": [
                        {
                            "field": "creators",
                            "values": {"iptc": ["Leah Millis"], "xmp": ["Evelyn Hockstein"]},
                        }
                    ],
                }
            },
        ),
        Example(
            "blocks agree",
            fails=False,
            images={
                "a.jpg": {
                    "creators": ["Leah Millis"],
                    "blocks": {"iptc": {"creators": ["Leah Millis"]}, "xmp": {"creators": ["Leah Millis"]}},
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for record in ctx.records:
            if is_unreadable(record):
                continue
            for conflict in record.conflicts:
                if conflict.field == "date_created" and _same_day(conflict.values.values()):
                    continue
                parts = ", ".join(
                    f"{BLOCK_NAMES.get(block, block)} '{_show(value)}'"
                    for block, value in sorted(conflict.values.items())
                )
                reconciled = getattr(record, conflict.field, None)
                fix = None
                if isinstance(reconciled, (str, list)) and reconciled:
                    fix = Fix(
                        description=f"write '{_show(reconciled)}' to every block",
                        changes={conflict.field: reconciled},
                    )
                yield self.finding(
                    f"{conflict.field} differs between blocks: {parts}",
                    path=record.path,
                    field=conflict.field,
                    fix=fix,
                )


@register
class IimFieldTooLong(Rule):
    """A value is longer than its IPTC IIM dataset allows (By-line 32 bytes, Caption/Abstract 2000, ...).

    IIM fixes a maximum length in bytes for each dataset (IPTC IIM 4.2): By-line, City, Credit,
    Source, Writer 32; Object Name, Country 64; Copyright 128; Headline, Special Instructions 256;
    Caption/Abstract 2000; Keywords 64 each. Longer values are cut by strict readers and writers,
    or rejected. Measured in UTF-8 bytes (what mediameta writes), so "Zoë" is 4 bytes. Each
    reconciled value is checked, plus the IPTC block's own value when it differs.

    Fails: a credit line of 40 characters.
    Passes: ``REUTERS``.
    """

    code = "MM702"
    name = "iim-field-too-long"
    severity = "warning"
    examples = (
        Example(
            "credit line over 32 bytes",
            fails=True,
            images={"a.jpg": {"credit_line": "Reuters Pictures via The Associated Press Wire"}},
        ),
        Example(
            "accents count as bytes: 31 characters, 35 bytes",
            fails=True,
            images={"a.jpg": {"creators": ["Zoë Ångström-Öberg-Lindqvist Ek"]}},
        ),
        Example(
            "within limits",
            fails=False,
            images={"a.jpg": {"credit_line": "REUTERS", "creators": ["Leah Millis"]}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for record in ctx.records:
            if is_unreadable(record):
                continue
            iptc = record.blocks.get("iptc", {})
            for field, (dataset, limit) in IIM_LIMITS.items():
                seen: set[str] = set()
                for source in (getattr(record, field, None), iptc.get(field)):
                    values = (
                        source if isinstance(source, list) else [source] if isinstance(source, str) else []
                    )
                    for value in values:
                        size = len(value.encode("utf-8"))
                        if size <= limit or value in seen:
                            continue
                        seen.add(value)
                        yield self.finding(
                            f"{field} is {size} bytes; IIM {dataset} allows {limit}, longer is cut ('{_show(value)}')",
                            path=record.path,
                            field=field,
                        )


def _cp1252_bytes() -> dict[str, int]:
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            char = chr(byte)  # undefined in cp1252: decoders fall back to Latin-1
        table[char] = byte
        table.setdefault(chr(byte), byte)
    return table


_CP1252 = _cp1252_bytes()


def _chars(low: int, high: int) -> str:
    return "".join(re.escape(char) for char, byte in _CP1252.items() if low <= byte <= high)


_CONT = f"[{_chars(0x80, 0xBF)}]"
_MOJIBAKE = re.compile(
    f"[{_chars(0xC2, 0xDF)}]{_CONT}|[{_chars(0xE0, 0xEF)}]{_CONT}{{2}}|[{_chars(0xF0, 0xF4)}]{_CONT}{{3}}"
)


def _decode(sequence: str) -> str | None:
    try:
        return bytes(_CP1252[char] for char in sequence).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


def repair_mojibake(text: str) -> tuple[str, int]:
    """``text`` with every UTF-8-read-as-cp1252 sequence decoded ("Ã©" → "é", "â€™" → "’"), and how
    many were repaired. Sequences that do not decode as UTF-8 are left alone."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        decoded = _decode(match.group(0))
        if decoded is None:
            return match.group(0)
        count += 1
        return decoded

    return _MOJIBAKE.sub(replace, text), count


@register
class Mojibake(Rule):
    """Text shows mojibake: UTF-8 bytes read as Windows-1252 ("CafÃ© â€™", "×©×œ×•×" for Hebrew).

    Happens when one program writes UTF-8 and another reads it as Latin-1/cp1252 (IIM without the
    UTF-8 marker is the usual culprit) and writes it back. Checked in every embedded field and in
    article captions. A sequence counts only if it decodes back to valid UTF-8, so real "Ã" in
    Portuguese text is not reported.

    Fix: decode each sequence back (cp1252 bytes → UTF-8): "CafÃ©" → "Café".

    Fails: ``Fans celebrate at a cafÃ© in ParÃ­s. REUTERS/Benoit Tessier``.
    Passes: ``Fans celebrate at a café in París. REUTERS/Benoit Tessier``.
    """

    code = "MM703"
    name = "mojibake"
    severity = "warning"
    examples = (
        Example(
            "accents read as cp1252",
            fails=True,
            images={"a.jpg": {"description": "Fans celebrate at a cafÃ© in ParÃ­s. REUTERS/Benoit Tessier"}},
        ),
        Example(
            "a curly apostrophe in the byline",
            fails=True,
            images={"a.jpg": {"creators": ["Conor Oâ€™Neill"]}},
        ),
        Example(
            "clean UTF-8",
            fails=False,
            images={"a.jpg": {"description": "Fans celebrate at a café in París. REUTERS/Benoit Tessier"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in article_targets(ctx):
            repaired, count = repair_mojibake(target.caption.text)
            if count:
                yield self.finding(
                    f"caption has {count} mojibake sequence{'s' if count > 1 else ''} (UTF-8 read as cp1252)",
                    fix=Fix(description="decode the garbled characters", changes={"caption": repaired}),
                    **target.where,
                )
        for record in ctx.records:
            if is_unreadable(record):
                continue
            for field, value in _field_values(record):
                if isinstance(value, list):
                    results = [repair_mojibake(item) for item in value]
                    count = sum(found for _, found in results)
                    fixed: str | list[str] = [text for text, _ in results]
                else:
                    fixed, count = repair_mojibake(value)
                if count:
                    yield self.finding(
                        f"{field} has mojibake (UTF-8 read as cp1252): '{_show(value)}' → '{_show(fixed)}'",
                        path=record.path,
                        field=field,
                        fix=Fix(description="decode the garbled characters", changes={field: fixed}),
                    )
