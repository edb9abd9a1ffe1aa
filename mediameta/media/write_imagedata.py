"""Byte-level helpers for the writer: the compressed image data of a file, and the Photoshop IPTC digest.

``image_data(data, fmt)`` returns the bytes that carry the picture (JPEG: every non-metadata segment
before the scan and the scan from the first SOS to EOI; PNG: the image chunks; WebP: the bitstream
chunks; TIFF: every strip and tile of every IFD). The writer compares it before and after a write
and refuses to replace a file whose picture bytes would change; the tests use it the same way.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

ImageFormat = str  # "JPEG" | "PNG" | "WEBP" | "TIFF"


class ImageDataError(ValueError):
    """The file's structure could not be walked far enough to find its image data."""


# --------------------------------------------------------------------------- JPEG


@dataclass(frozen=True)
class JpegSegment:
    marker: int
    start: int  # offset of the 0xFF byte
    end: int  # offset just after the segment


_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))


def jpeg_segments(data: bytes, *, require_sos: bool = True) -> tuple[list[JpegSegment], int]:
    """The marker segments before the first SOS, and the offset of the SOS marker.

    With ``require_sos=False`` a marker-only JPEG (SOI, segments, EOI) is accepted and the offset
    returned is the end of the data.
    """
    if data[:2] != b"\xff\xd8":
        raise ImageDataError("not a JPEG (no SOI marker)")
    segments: list[JpegSegment] = []
    pos = 2
    size = len(data)
    while pos < size:
        if data[pos] != 0xFF:
            raise ImageDataError(f"JPEG marker expected at offset {pos}")
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            break
        marker = data[pos]
        start = pos - 1
        pos += 1
        if marker == 0xDA:  # SOS: the entropy-coded data follows
            return segments, start
        if marker in _STANDALONE:  # stand-alone markers
            segments.append(JpegSegment(marker, start, pos))
            continue
        if marker == 0xD9:
            break
        if pos + 2 > size:
            break
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > size:
            raise ImageDataError(f"JPEG segment 0x{marker:02X} at offset {start} overruns the file")
        segments.append(JpegSegment(marker, start, pos + length))
        pos += length
    if not require_sos:
        return segments, len(data)
    raise ImageDataError("JPEG has no image data (no SOS marker)")


def _is_jpeg_metadata(marker: int) -> bool:
    return 0xE0 <= marker <= 0xEF or marker == 0xFE  # APPn, COM


def _jpeg_image_data(data: bytes) -> bytes:
    segments, sos = jpeg_segments(data)
    parts = [data[seg.start : seg.end] for seg in segments if not _is_jpeg_metadata(seg.marker)]
    # The scan runs to EOI (0xFFD9 cannot occur inside byte-stuffed entropy data); what follows EOI
    # (MPF pictures, an AFCP trailer) is not this picture's data and may hold offsets a write re-bases.
    eoi = data.find(b"\xff\xd9", sos)
    parts.append(data[sos : eoi + 2] if eoi >= 0 else data[sos:])
    return b"".join(parts)


# --------------------------------------------------------------------------- PNG

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IMAGE_CHUNKS = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"acTL", b"fcTL", b"fdAT", b"IEND"})


def _png_image_data(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ImageDataError("not a PNG (bad signature)")
    parts: list[bytes] = []
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ImageDataError(f"PNG chunk {kind!r} at offset {pos} overruns the file")
        if kind in _PNG_IMAGE_CHUNKS:
            parts.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    if not any(part[4:8] == b"IDAT" for part in parts):
        raise ImageDataError("PNG has no IDAT chunk")
    return b"".join(parts)


# --------------------------------------------------------------------------- WebP

_WEBP_IMAGE_CHUNKS = frozenset({b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF"})


def _webp_image_data(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ImageDataError("not a WebP (no RIFF/WEBP header)")
    parts: list[bytes] = []
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + length
        if end > len(data):
            raise ImageDataError(f"WebP chunk {kind!r} at offset {pos} overruns the file")
        if kind in _WEBP_IMAGE_CHUNKS:
            parts.append(data[pos:end])
        pos = end + (length & 1)
    if not parts:
        raise ImageDataError("WebP has no image chunk")
    return b"".join(parts)


# --------------------------------------------------------------------------- TIFF

_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_STRIP_PAIRS = ((273, 279), (324, 325), (513, 514))  # strips, tiles, JPEG thumbnail (offset, length)
_SUB_IFDS = 330


def _tiff_image_data(data: bytes) -> bytes:
    order = data[:2]
    if order == b"II":
        endian = "<"
    elif order == b"MM":
        endian = ">"
    else:
        raise ImageDataError("not a TIFF (bad byte order mark)")
    (magic,) = struct.unpack(endian + "H", data[2:4])
    if magic != 42:
        raise ImageDataError(f"unsupported TIFF variant (magic {magic})")
    (first,) = struct.unpack(endian + "I", data[4:8])

    def values(tag_type: int, count: int, value_field: bytes) -> list[int]:
        size = _TIFF_TYPE_SIZES.get(tag_type, 0) * count
        if tag_type not in (3, 4, 13, 16):
            return []
        raw = value_field if size <= 4 else _at(struct.unpack(endian + "I", value_field)[0], size)
        fmt = {3: "H", 4: "I", 13: "I"}[tag_type]
        return list(struct.unpack(f"{endian}{count}{fmt}", raw[:size]))

    def _at(offset: int, size: int) -> bytes:
        if offset + size > len(data):
            raise ImageDataError(f"TIFF value at offset {offset} overruns the file")
        return data[offset : offset + size]

    parts: list[bytes] = []
    pending = [first]
    seen: set[int] = set()
    while pending:
        ifd = pending.pop(0)
        if ifd == 0 or ifd in seen:
            continue
        if len(seen) > 64:
            raise ImageDataError("too many TIFF IFDs")
        seen.add(ifd)
        (count,) = struct.unpack(endian + "H", _at(ifd, 2))
        tags: dict[int, list[int]] = {}
        for index in range(count):
            entry = _at(ifd + 2 + 12 * index, 12)
            tag, tag_type, n = struct.unpack(endian + "HHI", entry[:8])
            if tag in (273, 279, 324, 325, 513, 514, _SUB_IFDS):
                tags[tag] = values(tag_type, n, entry[8:12])
        for offsets_tag, counts_tag in _STRIP_PAIRS:
            for offset, length in zip(tags.get(offsets_tag, []), tags.get(counts_tag, []), strict=False):
                parts.append(_at(offset, length))
        pending.extend(tags.get(_SUB_IFDS, []))
        (next_ifd,) = struct.unpack(endian + "I", _at(ifd + 2 + 12 * count, 4))
        pending.append(next_ifd)
    if not parts:
        raise ImageDataError("TIFF has no strips or tiles")
    return b"".join(parts)


def image_data(data: bytes, fmt: ImageFormat) -> bytes:
    """The compressed image data of a file (see the module docstring). Raises ImageDataError."""
    try:
        if fmt == "JPEG":
            return _jpeg_image_data(data)
        if fmt == "PNG":
            return _png_image_data(data)
        if fmt == "WEBP":
            return _webp_image_data(data)
        if fmt == "TIFF":
            return _tiff_image_data(data)
    except struct.error as exc:
        raise ImageDataError(f"{fmt} structure is truncated: {exc}") from exc
    raise ImageDataError(f"no image-data walker for {fmt}")
