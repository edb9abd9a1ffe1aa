"""EXIF / TIFF: the handful of IFD tags a caption desk needs, read straight from the TIFF structure.

Why not exifread here: exifread decodes every tag of every IFD (and the thumbnail) before it
returns; on camera JPEGs that is 250-300 µs per file (measured, details=False), the whole budget
of a 2,500 files/s scan. This reader visits IFD0, the EXIF IFD and the GPS IFD only, looks up the
tags in the table below and nothing else (about 20 µs). Offsets are bounds-checked and every IFD
is visited at most once, so damaged or looping structures end the walk with an error, never an
exception or a hang.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field

# (ifd, tag) -> name. ifd: 0 = IFD0, 1 = EXIF IFD, 2 = GPS IFD.
TAGS: dict[tuple[int, int], str] = {
    (0, 0x0004): "SensorTopBorder",  # these four: Panasonic RW2 only (checked by the caller)
    (0, 0x0005): "SensorLeftBorder",
    (0, 0x0006): "SensorBottomBorder",
    (0, 0x0007): "SensorRightBorder",
    (0, 0x0100): "ImageWidth",
    (0, 0x0101): "ImageLength",
    (0, 0x010E): "ImageDescription",
    (0, 0x010F): "Make",
    (0, 0x0110): "Model",
    (0, 0x013B): "Artist",
    (0, 0x8298): "Copyright",
    (0, 0x02BC): "XMP",
    (0, 0x83BB): "IPTC-NAA",
    (0, 0x8649): "PhotoshopSettings",
    (0, 0x8769): "ExifOffset",
    (0, 0x8825): "GPSInfo",
    (1, 0x9003): "DateTimeOriginal",
    (1, 0x9011): "OffsetTimeOriginal",
    (1, 0x9291): "SubSecTimeOriginal",
    (2, 0x0001): "GPSLatitudeRef",
    (2, 0x0002): "GPSLatitude",
    (2, 0x0003): "GPSLongitudeRef",
    (2, 0x0004): "GPSLongitude",
    (2, 0x0005): "GPSAltitudeRef",
    (2, 0x0006): "GPSAltitude",
}
_WANTED: dict[int, frozenset[int]] = {
    ifd: frozenset(tag for (i, tag) in TAGS if i == ifd) for ifd in (0, 1, 2)
}
# TIFF type -> (size in bytes, struct code)
_TYPES: dict[int, tuple[int, str]] = {
    1: (1, "B"),
    2: (1, "s"),
    3: (2, "H"),
    4: (4, "I"),
    5: (8, "II"),
    6: (1, "b"),
    7: (1, "s"),
    8: (2, "h"),
    9: (4, "i"),
    10: (8, "ii"),
    11: (4, "f"),
    12: (8, "d"),
    13: (4, "I"),
}
_MAX_ENTRIES = 2000

TagValue = str | bytes | int | float | tuple[float, ...]


@dataclass
class ExifData:
    tags: dict[str, TagValue] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    charset: str = "ascii"


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.end = len(data)
        order = bytes(data[:2])
        if order == b"II":
            self.bo = "<"
        elif order == b"MM":
            self.bo = ">"
        else:
            raise ValueError("not a TIFF structure (no II/MM byte order mark)")
        if self.end < 8:
            raise ValueError("TIFF header is truncated")
        self.ifd0 = struct.unpack_from(self.bo + "I", data, 4)[0]

    def value(self, typ: int, count: int, offset_field: int) -> TagValue | None:
        size, code = _TYPES[typ]
        total = size * count
        if total > self.end:
            return None
        at = offset_field if total <= 4 else struct.unpack_from(self.bo + "I", self.data, offset_field)[0]
        if at + total > self.end:
            return None
        if typ in (2, 7, 1) and (typ != 1 or count > 4):
            return bytes(self.data[at : at + total])
        if typ in (5, 10):
            nums = struct.unpack_from(f"{self.bo}{count * 2}{code[0]}", self.data, at)
            # x/0 is "unknown" in EXIF (blank GPS fields): NaN, so it never reads as 0 degrees
            return tuple(nums[i] / nums[i + 1] if nums[i + 1] else math.nan for i in range(0, len(nums), 2))
        values = struct.unpack_from(f"{self.bo}{count}{code}", self.data, at)
        if count == 1:
            single = values[0]
            return single if isinstance(single, int | float) else bytes(single)
        return tuple(float(v) for v in values)

    def ifd(self, offset: int, wanted: frozenset[int], out: dict[int, TagValue], errors: list[str]) -> None:
        if offset < 8 or offset + 2 > self.end:
            errors.append(f"IFD offset {offset} is outside the data")
            return
        count = struct.unpack_from(self.bo + "H", self.data, offset)[0]
        if count > _MAX_ENTRIES:
            errors.append(f"IFD at {offset} claims {count} entries")
            return
        pos = offset + 2
        if pos + 12 * count > self.end:  # like exiftool, a directory cut short is not trusted at all
            errors.append(f"IFD at {offset} is truncated ({count} entries claimed); ignored")
            return
        # one unpack for the whole table; only the wanted entries are looked at further
        halfwords = struct.unpack_from(f"{self.bo}{6 * count}H", self.data, pos)
        for index, tag in enumerate(halfwords[::6]):
            if tag not in wanted:
                continue
            entry = pos + 12 * index
            typ, n = struct.unpack_from(self.bo + "HI", self.data, entry + 2)
            if typ in _TYPES and n:
                val = self.value(typ, n, entry + 8)
                if val is None:
                    errors.append(f"tag 0x{tag:04x} points outside the data")
                else:
                    out.setdefault(tag, val)  # the first of duplicated tags wins, as in exiftool


def _text(raw: TagValue, exif: ExifData) -> str | None:
    if not isinstance(raw, bytes):
        return str(raw)
    raw = raw.split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
        if not raw.isascii():
            exif.charset = "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        exif.charset = "cp1252"
    text = text.strip()
    return text or None


def parse_tiff(data: bytes, sub_ifds: dict[int, bytes] | None = None) -> ExifData:
    """Read the mapped tags from TIFF-structured bytes (an EXIF APP1 body or a whole TIFF file).

    ``sub_ifds``: for containers that keep the EXIF IFD (1) and GPS IFD (2) apart from IFD0 (Canon
    CR3), TIFF structures whose first IFD is that directory; read instead of IFD0's pointers.
    """
    exif = ExifData()
    try:
        reader = _Reader(data)
    except (ValueError, struct.error) as exc:
        exif.errors.append(str(exc))
        return exif
    raw: dict[int, TagValue] = {}
    try:
        reader.ifd(reader.ifd0, _WANTED[0], raw, exif.errors)
    except struct.error as exc:
        exif.errors.append(f"IFD0: {exc}")
    names = {tag: TAGS[(0, tag)] for tag in raw}
    for tag, value in raw.items():
        name = names[tag]
        if name in ("ImageDescription", "Make", "Model", "Artist", "Copyright"):
            text = _text(value, exif)
            if text:
                exif.tags[name] = text
        elif name in ("XMP", "IPTC-NAA", "PhotoshopSettings"):
            exif.tags[name] = _blob(value, reader.bo)
        elif name in ("ImageWidth", "ImageLength") and isinstance(value, int):
            exif.tags[name] = value
    if bytes(data[2:4]) == b"U\x00" and "ImageWidth" not in exif.tags:  # Panasonic RW2
        _rw2_size(raw, exif)
    for tag, ifd_index in ((0x8769, 1), (0x8825, 2)):
        pointer = raw.get(tag)
        sub: dict[int, TagValue] = {}
        if sub_ifds is not None:
            if ifd_index in sub_ifds:
                try:
                    apart = _Reader(sub_ifds[ifd_index])
                    apart.ifd(apart.ifd0, _WANTED[ifd_index], sub, exif.errors)
                except (ValueError, struct.error) as exc:
                    exif.errors.append(f"{TAGS[(0, tag)]}: {exc}")
        elif isinstance(pointer, int):
            try:
                reader.ifd(pointer, _WANTED[ifd_index], sub, exif.errors)
            except struct.error as exc:
                exif.errors.append(f"{TAGS[(0, tag)]}: {exc}")
        for sub_tag, value in sub.items():
            name = TAGS[(ifd_index, sub_tag)]
            if isinstance(value, bytes):
                text = _text(value, exif)
                if text:
                    exif.tags[name] = text
            else:
                exif.tags[name] = value
    return exif


def _rw2_size(raw: dict[int, TagValue], exif: ExifData) -> None:
    """Panasonic RW2 gives the picture's size as sensor borders (IFD0 tags 4-7), not ImageWidth."""
    top, left, bottom, right = (raw.get(tag) for tag in (0x0004, 0x0005, 0x0006, 0x0007))
    if not (
        isinstance(top, int) and isinstance(left, int) and isinstance(bottom, int) and isinstance(right, int)
    ):
        return
    if right > left and bottom > top:
        exif.tags["ImageWidth"] = right - left
        exif.tags["ImageLength"] = bottom - top


def _blob(value: TagValue, bo: str) -> bytes:
    """Tags 700/33723/34377 are bytes, but some writers type them LONG: pack the numbers back."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, int):
        return struct.pack(bo + "I", value)
    if isinstance(value, tuple):
        return struct.pack(f"{bo}{len(value)}I", *(int(v) & 0xFFFFFFFF for v in value))
    return b""


def exif_datetime(tags: dict[str, TagValue]) -> str | None:
    """DateTimeOriginal (+ SubSecTimeOriginal, OffsetTimeOriginal) -> ISO 8601, None when blank."""
    value = tags.get("DateTimeOriginal")
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 10 or not text[:4].isdigit() or text[:4] == "0000":
        return None
    date = text[:10].replace(":", "-")
    if not (date[5:7].isdigit() and date[8:10].isdigit()):
        return None
    clock = text[11:19].strip()
    if len(clock) != 8 or not clock.replace(":", "").isdigit():
        return date
    iso = f"{date}T{clock}"
    subsec = tags.get("SubSecTimeOriginal")
    if isinstance(subsec, str) and subsec.strip().isdigit():
        iso += "." + subsec.strip()
    offset = tags.get("OffsetTimeOriginal")
    if isinstance(offset, str) and len(offset.strip()) == 6 and offset.strip()[0] in "+-":
        iso += offset.strip()
    return iso


def exif_gps(tags: dict[str, TagValue]) -> tuple[float, float, float | None] | None:
    """GPS IFD rationals -> signed decimal degrees (and metres), None when absent or damaged."""

    def degrees(value: TagValue | None) -> float | None:
        if isinstance(value, tuple) and len(value) == 3:
            return value[0] + value[1] / 60 + value[2] / 3600
        if isinstance(value, float | int):
            return float(value)
        return None

    lat = degrees(tags.get("GPSLatitude"))
    lon = degrees(tags.get("GPSLongitude"))
    if lat is None or lon is None:
        return None
    if str(tags.get("GPSLatitudeRef", "N")).upper().startswith("S"):
        lat = -lat
    if str(tags.get("GPSLongitudeRef", "E")).upper().startswith("W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for NaN (x/0 rationals)
        return None
    alt_raw = tags.get("GPSAltitude")
    alt: float | None = None
    if isinstance(alt_raw, tuple) and alt_raw and math.isfinite(alt_raw[0]):
        alt = alt_raw[0]
    elif isinstance(alt_raw, int | float):
        alt = float(alt_raw)
    if alt is not None and tags.get("GPSAltitudeRef") in (1, b"\x01"):
        alt = -alt
    return lat, lon, alt
