"""IPTC IIM (Information Interchange Model) and the Photoshop image resources that carry it.

JPEG keeps IIM inside an APP13 "Photoshop 3.0" segment as image resource 0x0404, next to the
IPTC digest (0x0425: the MD5 of the IIM bytes when XMP was last synchronised with them). TIFF keeps
IIM in tag 33723 and the resources in tag 34377; PSD has the resources in its header.

Character set (documented in docs/metadata.md): when dataset 1:90 says ``ESC % G`` the text is
UTF-8. Otherwise every text dataset is tried as strict UTF-8 first (pure ASCII is reported as
"ascii"); if any dataset is not valid UTF-8 the whole block is decoded as cp1252, with the five
bytes cp1252 leaves undefined taken as latin-1. The charset used is stored under ``_charset``, so
nothing is ever decoded to mojibake without saying so.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

from mediameta.media.write_fields import FIELD_SPECS

# Dataset number (record 2) -> MediaRecord field. Repeatable datasets become lists.
IIM_FIELDS: dict[int, str] = {
    5: "title",  # Object Name
    25: "keywords",
    40: "instructions",  # Special Instructions
    80: "creators",  # By-line
    85: "creator_job_title",  # By-line Title
    90: "city",
    92: "sublocation",
    95: "state",  # Province/State
    100: "country_code",  # Country/Primary Location Code
    101: "country",  # Country/Primary Location Name
    103: "job_id",  # Original Transmission Reference
    105: "headline",
    110: "credit_line",  # Credit
    115: "source",
    116: "copyright",  # Copyright Notice
    120: "description",  # Caption/Abstract
    122: "description_writer",  # Writer/Editor
}
IIM_LIST_FIELDS = frozenset({"keywords", "creators"})
DATE_CREATED = 55
TIME_CREATED = 60
_WANTED = frozenset((*IIM_FIELDS, DATE_CREATED, TIME_CREATED))

# The IIM length limits in bytes (field -> limit; per value for repeatable datasets), used to
# recognise values an IIM writer truncated. The writer's field table is the one source of truth:
# what it cuts is what the reader forgives. Date Created is not text. By-line Title is not
# written by mediameta, but other tools cut it at 32 bytes all the same.
IIM_LIMITS: dict[str, int] = {
    name: spec.iim_limit
    for name, spec in FIELD_SPECS.items()
    if spec.iim_limit is not None and name != "date_created"
}
IIM_LIMITS.setdefault("creator_job_title", 32)

IRB_SIGNATURES = (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR")
IRB_IPTC = 0x0404
IRB_XMP = 0x0424
IRB_DIGEST = 0x0425
IRB_EXIF = 0x0422
_UTF8_ESCAPE = b"\x1b%G"
_MAX_DATASETS = 10_000


class IptcError(Exception):
    """The IIM or resource stream is damaged beyond the point named in the message."""


@dataclass
class ImageResources:
    """The Photoshop image resources mediameta cares about."""

    iptc: bytes | None = None
    digest: bytes | None = None
    xmp: bytes | None = None
    exif: bytes | None = None
    errors: list[str] = field(default_factory=list)


def parse_resources(data: bytes) -> ImageResources:
    """Walk a Photoshop image-resource stream (``8BIM`` blocks); damage stops the walk, not the read."""
    found = ImageResources()
    pos = 0
    end = len(data)
    while pos + 12 <= end:
        if data[pos : pos + 4] not in IRB_SIGNATURES:
            if data[pos:].strip(b"\x00"):
                found.errors.append(f"image resources: unexpected bytes at offset {pos}")
            break
        resource_id = struct.unpack_from(">H", data, pos + 4)[0]
        name_len = data[pos + 6]
        name_field = 1 + name_len
        name_field += name_field & 1  # Pascal string padded to an even length
        size_at = pos + 6 + name_field
        if size_at + 4 > end:
            found.errors.append(f"image resources: resource 0x{resource_id:04x} is truncated")
            break
        size = struct.unpack_from(">I", data, size_at)[0]
        start = size_at + 4
        if start + size > end:
            found.errors.append(f"image resources: resource 0x{resource_id:04x} runs past the end")
            size = end - start
        payload = bytes(data[start : start + size])
        if resource_id == IRB_IPTC and found.iptc is None:
            found.iptc = payload
        elif resource_id == IRB_DIGEST and found.digest is None:
            found.digest = payload
        elif resource_id == IRB_XMP and found.xmp is None:
            found.xmp = payload
        elif resource_id == IRB_EXIF and found.exif is None:
            found.exif = payload
        pos = start + size + (size & 1)
    return found


@dataclass
class IimData:
    """Decoded IIM: field values, the date/time datasets and how the text was decoded."""

    values: dict[str, str | list[str]] = field(default_factory=dict)
    date: str | None = None
    time: str | None = None
    charset: str = "ascii"
    errors: list[str] = field(default_factory=list)


def iim_digest(iim: bytes) -> bytes:
    """The MD5 Photoshop stores in resource 0x0425 (exiftool's CurrentIPTCDigest)."""
    return hashlib.md5(iim, usedforsecurity=False).digest()


def _datasets(data: bytes, errors: list[str]) -> list[tuple[int, int, bytes]]:
    """The datasets mediameta maps (1:90 and record 2's mapped ones); the rest are walked over."""
    out: list[tuple[int, int, bytes]] = []
    pos = 0
    end = len(data)
    for _ in range(_MAX_DATASETS):
        if pos >= end:
            break
        if data[pos] != 0x1C:
            if data[pos:].strip(b"\x00 "):
                errors.append(f"IIM: unexpected byte 0x{data[pos]:02x} at offset {pos}; rest ignored")
            break
        if pos + 5 > end:
            errors.append("IIM: truncated dataset header")
            break
        record, dataset = data[pos + 1], data[pos + 2]
        length = struct.unpack_from(">H", data, pos + 3)[0]
        pos += 5
        if length & 0x8000:  # extended dataset: the low bits give the size of the length field
            nbytes = length & 0x7FFF
            if nbytes > 4 or pos + nbytes > end:
                errors.append(f"IIM: bad extended length in {record}:{dataset}")
                break
            length = int.from_bytes(data[pos : pos + nbytes], "big")
            pos += nbytes
        if pos + length > end:
            errors.append(f"IIM: dataset {record}:{dataset} runs past the end (truncated)")
            length = end - pos
        if (record == 2 and dataset in _WANTED) or (record == 1 and dataset == 90):
            out.append((record, dataset, data[pos : pos + length]))
        pos += length
    return out


def _decode_cp1252(raw: bytes) -> str:
    return "".join(
        ch if ch != "\ufffd" else chr(byte)
        for ch, byte in zip(raw.decode("cp1252", errors="replace"), raw, strict=True)
    )


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()


def parse_iim(data: bytes) -> IimData:
    """Decode the IIM datasets mediameta maps (record 2) with the charset rule in the module doc."""
    result = IimData()
    datasets = _datasets(data, result.errors)
    declared_utf8 = any(rec == 1 and ds == 90 and _UTF8_ESCAPE in raw for rec, ds, raw in datasets)
    texts = [(ds, raw) for rec, ds, raw in datasets if rec == 2]

    decoded: list[tuple[int, str]] = []
    if declared_utf8:
        result.charset = "utf-8 (declared 1:90)"
        for ds, raw in texts:
            try:
                decoded.append((ds, raw.decode("utf-8")))
            except UnicodeDecodeError:
                result.errors.append(
                    f"IIM 2:{ds:03d}: not valid UTF-8 although 1:90 declares it; read as cp1252"
                )
                decoded.append((ds, _decode_cp1252(raw)))
    else:
        try:
            decoded = [(ds, raw.decode("utf-8")) for ds, raw in texts]
            if any(not raw.isascii() for _, raw in texts):
                result.charset = "utf-8 (undeclared)"
        except UnicodeDecodeError:
            result.charset = "cp1252"
            decoded = [(ds, _decode_cp1252(raw)) for ds, raw in texts]

    for ds, text in decoded:
        value = _clean(text)
        if ds == DATE_CREATED:
            result.date = value or None
            continue
        if ds == TIME_CREATED:
            result.time = value or None
            continue
        if not value:
            continue
        name = IIM_FIELDS[ds]
        if name in IIM_LIST_FIELDS:
            existing = result.values.setdefault(name, [])
            assert isinstance(existing, list)
            existing.append(value)
        elif name not in result.values:
            result.values[name] = value
    return result


def iim_datetime(date: str | None, time: str | None) -> str | None:
    """IIM 2:55 ``CCYYMMDD`` + 2:60 ``HHMMSS±HHMM`` -> ISO 8601 (``2024-03-01T10:20:00+02:00``).

    Unknown month/day (``00``) shorten the date (``2024`` / ``2024-03``); a malformed date gives None.
    """
    if not date:
        return None
    digits = date.replace("-", "").replace(":", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    year, month, day = digits[:4], digits[4:6], digits[6:8]
    if year == "0000":
        return None
    if month == "00":
        return year
    if day == "00":
        return f"{year}-{month}"
    iso = f"{year}-{month}-{day}"
    if time:
        clock = time.replace(":", "")
        if len(clock) >= 6 and clock[:6].isdigit():
            iso += f"T{clock[0:2]}:{clock[2:4]}:{clock[4:6]}"
            zone = clock[6:]
            if len(zone) == 5 and zone[0] in "+-" and zone[1:].isdigit():
                iso += f"{zone[0]}{zone[1:3]}:{zone[3:5]}"
            elif zone == "Z":
                iso += "Z"
    return iso
