"""The MediaRecord JSON the reader produces is a contract (scan output, the desk, the rules): golden file.

The input is a byte-exact JPEG skeleton built here (no pixel encoder involved, so the bytes never
change with a Pillow release): EXIF, IPTC with a stale digest (so IIM wins where EXIF does not),
two XMP packets, blocks that disagree. Regenerate after an intended change with
``MEDIAMETA_UPDATE_GOLDEN=1 pytest tests/test_media_read_golden.py``.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

from media_read_samples import alt, iim, iptc_resources, segment, seq, xmp_packet

from mediameta.media.read import read_record_bytes

GOLDEN = Path(__file__).parent / "golden" / "media_read_record.json"


def _tiff(entries: list[tuple[int, int, bytes]]) -> bytes:
    """A big-endian TIFF structure with one IFD of ASCII/UNDEFINED entries, data after the IFD."""
    ifd_size = 2 + 12 * len(entries) + 4
    data_at = 8 + ifd_size
    table, blob = b"", b""
    for tag, kind, value in entries:
        if len(value) <= 4:
            table += struct.pack(">HHI", tag, kind, len(value)) + value.ljust(4, b"\x00")
        else:
            table += struct.pack(">HHII", tag, kind, len(value), data_at + len(blob))
            blob += value + (b"\x00" if len(value) & 1 else b"")
    return b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", len(entries)) + table + b"\x00" * 4 + blob


def skeleton_jpeg() -> bytes:
    exif = _tiff(
        [
            (0x010E, 2, b"Rescuers search the rubble. REUTERS/Eva Manez\x00"),
            (0x010F, 2, b"Canon\x00"),
            (0x0110, 2, b"Canon EOS R3\x00"),
            (0x013B, 2, b"Eva Manez\x00"),
        ]
    )
    iptc = iptc_resources(
        iim(
            [
                (120, "Rescuers search the rubble in Valencia. REUTERS/Eva Manez"),
                (80, "Eva Manez"),
                (110, "REUTERS"),
                (105, "Floods"),
                (90, "Valencia"),
                (55, "20241101"),
                (60, "102030+0100"),
                (25, "flood"),
                (25, "Spain"),
            ]
        ),
        digest=b"\x11" * 16,
    )
    first = xmp_packet(
        'photoshop:Credit="Reuters" photoshop:City="Valencia" photoshop:DateCreated="2024-11-01T10:20:30+01:00"'
        + alt("dc:description", ("x-default", "Rescuers search the rubble. REUTERS/Eva Manez"))
        + seq("dc:subject", "Spain", "flood", kind="Bag")
    )
    second = xmp_packet('photoshop:Headline="Floods in Spain" photoshop:Country="Spain"')
    sof = segment(0xC0, struct.pack(">BHHB", 8, 480, 640, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01")
    return (
        b"\xff\xd8"
        + segment(0xE1, b"Exif\x00\x00" + exif)
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + first)
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + second)
        + segment(0xED, b"Photoshop 3.0\x00" + iptc)
        + sof
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
        + b"\x00" * 16
        + b"\xff\xd9"
    )


def test_record_json_matches_the_golden_file() -> None:
    record = read_record_bytes(skeleton_jpeg(), "wire/valencia-rescue.jpg")
    rendered = (
        json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    )
    if os.environ.get("MEDIAMETA_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert GOLDEN.is_file(), f"missing {GOLDEN}; run with MEDIAMETA_UPDATE_GOLDEN=1"
    assert rendered == GOLDEN.read_text(encoding="utf-8")
