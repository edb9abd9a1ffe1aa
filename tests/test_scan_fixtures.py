"""bench/fixtures.py: the wire-photo generator every benchmark measures with must stay realistic and
reproducible (segment sizes of real wire photos, the metadata it claims, byte-identical per seed)."""

from __future__ import annotations

import hashlib
import struct
import sys
from pathlib import Path

from mediameta.media.read import read_record

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from fixtures import make_wire_jpegs, wire_photo  # noqa: E402


def segments(data: bytes) -> dict[str, int]:
    """Sizes of the EXIF, XMP and APP13 segments of a JPEG."""
    sizes: dict[str, int] = {}
    position = 2
    while data[position] == 0xFF and data[position + 1] != 0xDB:
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        payload = data[position + 4 : position + 2 + length]
        if payload.startswith(b"Exif\0\0"):
            sizes["exif"] = length
        elif payload.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
            sizes["xmp"] = length
        elif payload.startswith(b"Photoshop 3.0\0"):
            sizes["iptc"] = length
        position += 2 + length
    return sizes


def test_files_carry_wire_sized_blocks_and_the_metadata_they_claim(tmp_path: Path) -> None:
    paths = make_wire_jpegs(tmp_path, 12, seed=4, megapixels=0.1)
    for index, path in enumerate(paths):
        photo = wire_photo(4, index)
        sizes = segments(path.read_bytes())
        assert 10_000 <= sizes["exif"] <= 20_000 and 5_000 <= sizes["xmp"] <= 10_000 and sizes["iptc"] > 400
        assert 200 <= len(photo.caption) <= 450
        record = read_record(path)
        assert [error.message for error in record.errors] == []
        assert (record.description, record.credit_line, record.creators) == (
            photo.caption,
            photo.credit,
            [photo.byline],
        )
        assert (record.city, record.country_code, record.job_id) == (
            photo.city,
            photo.country_code,
            photo.job_id,
        )
        assert record.gps is not None and abs(record.gps.lat - photo.lat) < 1e-3


def test_credits_follow_the_agencies_house_forms() -> None:
    captions = [wire_photo(0, index) for index in range(200)]
    endings = {photo.agency: photo.caption for photo in captions}
    assert endings["RTR"].split(". ")[-1].startswith("REUTERS/")
    assert endings["AP"].endswith(")") and "(AP Photo/" in endings["AP"]
    assert "/ AFP)" in endings["AFP"] and "/Getty Images)" in endings["GETTY"]
    assert "EPA-EFE/" in endings["EPA"]
    assert any(photo.file_photo for photo in captions)


def test_same_seed_same_bytes_other_seed_other_files(tmp_path: Path) -> None:
    first = make_wire_jpegs(tmp_path / "a", 3, seed=9, megapixels=0.05, unique_pixels=True)
    second = make_wire_jpegs(tmp_path / "b", 3, seed=9, megapixels=0.05, unique_pixels=True)
    other = make_wire_jpegs(tmp_path / "c", 3, seed=10, megapixels=0.05)
    digest = [hashlib.sha256(path.read_bytes()).hexdigest() for path in first]
    assert digest == [hashlib.sha256(path.read_bytes()).hexdigest() for path in second]
    assert [path.name for path in other] != [path.name for path in first]
    assert len(set(digest)) == 3
