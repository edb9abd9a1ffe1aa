"""Where each writable MediaRecord field lives in XMP, IPTC IIM and EXIF, and the IIM size limits.

The mapping follows the IPTC Photo Metadata Standard and the Metadata Working Group guidelines
(the same pairs exiftool's MWG composite tags use). Tag names are exiv2 keys, as pyexiv2 spells them.
This module is plain data plus the small value conversions the writer needs (IIM truncation on a
UTF-8 character boundary, ISO dates to IIM date/time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

XmpKind = Literal["text", "langalt", "seq", "bag"]


@dataclass(frozen=True)
class FieldSpec:
    """One writable field: its XMP property, IIM dataset (with the standard's byte limit), EXIF tag."""

    field: str
    xmp: str
    xmp_kind: XmpKind
    iim: str | None = None
    iim_name: str | None = None  # the IIM dataset's name as IPTC (and exiftool) call it
    iim_limit: int | None = None  # bytes, per value for repeatable datasets
    exif: str | None = None
    is_list: bool = False


FIELD_SPECS: dict[str, FieldSpec] = {
    spec.field: spec
    for spec in (
        FieldSpec(
            "description",
            "Xmp.dc.description",
            "langalt",
            "Iptc.Application2.Caption",
            "Caption-Abstract",
            2000,
            "Exif.Image.ImageDescription",
        ),
        FieldSpec(
            "headline", "Xmp.photoshop.Headline", "text", "Iptc.Application2.Headline", "Headline", 256
        ),
        FieldSpec("title", "Xmp.dc.title", "langalt", "Iptc.Application2.ObjectName", "ObjectName", 64),
        FieldSpec(
            "creators",
            "Xmp.dc.creator",
            "seq",
            "Iptc.Application2.Byline",
            "By-line",
            32,
            "Exif.Image.Artist",
            is_list=True,
        ),
        FieldSpec("credit_line", "Xmp.photoshop.Credit", "text", "Iptc.Application2.Credit", "Credit", 32),
        FieldSpec("source", "Xmp.photoshop.Source", "text", "Iptc.Application2.Source", "Source", 32),
        FieldSpec(
            "copyright",
            "Xmp.dc.rights",
            "langalt",
            "Iptc.Application2.Copyright",
            "CopyrightNotice",
            128,
            "Exif.Image.Copyright",
        ),
        FieldSpec(
            "date_created",
            "Xmp.photoshop.DateCreated",
            "text",
            "Iptc.Application2.DateCreated",
            "DateCreated",
            8,
        ),
        FieldSpec(
            "sublocation", "Xmp.iptc.Location", "text", "Iptc.Application2.SubLocation", "Sub-location", 32
        ),
        FieldSpec("city", "Xmp.photoshop.City", "text", "Iptc.Application2.City", "City", 32),
        FieldSpec(
            "state", "Xmp.photoshop.State", "text", "Iptc.Application2.ProvinceState", "Province-State", 32
        ),
        FieldSpec(
            "country",
            "Xmp.photoshop.Country",
            "text",
            "Iptc.Application2.CountryName",
            "Country-PrimaryLocationName",
            64,
        ),
        FieldSpec(
            "country_code",
            "Xmp.iptc.CountryCode",
            "text",
            "Iptc.Application2.CountryCode",
            "Country-PrimaryLocationCode",
            3,
        ),
        FieldSpec(
            "instructions",
            "Xmp.photoshop.Instructions",
            "text",
            "Iptc.Application2.SpecialInstructions",
            "SpecialInstructions",
            256,
        ),
        FieldSpec(
            "job_id",
            "Xmp.photoshop.TransmissionReference",
            "text",
            "Iptc.Application2.TransmissionReference",
            "OriginalTransmissionReference",
            32,
        ),
        FieldSpec(
            "description_writer",
            "Xmp.photoshop.CaptionWriter",
            "text",
            "Iptc.Application2.Writer",
            "Writer-Editor",
            32,
        ),
        FieldSpec(
            "keywords",
            "Xmp.dc.subject",
            "bag",
            "Iptc.Application2.Keywords",
            "Keywords",
            64,
            is_list=True,
        ),
    )
}
WRITABLE_FIELDS: tuple[str, ...] = tuple(FIELD_SPECS)

IIM_TIME_TAG = "Iptc.Application2.TimeCreated"
IIM_CHARSET_TAG = "Iptc.Envelope.CharacterSet"
IIM_UTF8 = "\x1b%G"
# IIM datasets that hold several values (pyexiv2 returns them as lists).
IIM_REPEATABLE = frozenset(
    {"Iptc.Application2.Byline", "Iptc.Application2.Keywords", "Iptc.Application2.Writer"}
)
# MWG: EXIF Artist holds several creators separated by "; ".
EXIF_LIST_SEPARATOR = "; "


def truncate_utf8(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 encoding fits in ``limit`` bytes (whole characters)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


_ISO_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True)
class IimDate:
    """An ISO 8601 date split into what IIM 2:55 / 2:60 hold (None when IIM cannot hold it)."""

    date: str | None  # "YYYY-MM-DD", as exiv2 writes IIM dates
    time: str | None  # "HH:MM:SS+HH:MM"


def parse_iso_date(value: str) -> IimDate:
    """Validate an ISO 8601 date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD[THH:MM[:SS][±HH:MM|Z]]``).

    Raises ValueError for anything else. Partial dates (year or month only) are valid XMP but IIM
    2:55 needs a full date, so ``date`` is None for them.
    """
    match = _ISO_DATE.match(value.strip())
    if match is None:
        raise ValueError(f"date_created {value!r} is not an ISO 8601 date (YYYY-MM-DD[THH:MM:SS±HH:MM])")
    month, day = match["month"], match["day"]
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"date_created {value!r}: month {month} is out of range")
    if day is not None and not 1 <= int(day) <= 31:
        raise ValueError(f"date_created {value!r}: day {day} is out of range")
    if day is None:
        return IimDate(None, None)
    date = f"{match['year']}-{month}-{day}"
    if match["hour"] is None:
        return IimDate(date, None)
    tz = match["tz"]
    if tz is None:  # IIM 2:60 needs an offset; inventing one would be wrong
        return IimDate(date, None)
    if tz == "Z":
        tz = "+00:00"
    return IimDate(date, f"{match['hour']}:{match['minute']}:{match['second'] or '00'}{tz}")
