"""EXIF thumbnails and the perceptual hash: the benchmark/test fixtures write complete thumbnails
(SOI ... EOI, the IFD1 length covering all of it), and the hash still uses a thumbnail whose
end-of-image marker a writer cut off, as real files in the wild have."""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from fixtures import make_wire_jpegs

from mediameta.dedup import _exif_thumbnail, image_hash


def _wire(tmp_path: Path) -> bytes:
    (path,) = make_wire_jpegs(tmp_path / "wire", 1, seed=3, megapixels=0.05)
    return path.read_bytes()


def _thumbnail_length_entry(data: bytes, length: int) -> int:
    entry = struct.pack(">HHII", 0x0202, 4, 1, length)  # IFD1 JPEGInterchangeFormatLength
    assert data.count(entry) == 1
    return data.index(entry)


def test_the_fixture_thumbnail_is_a_whole_jpeg(tmp_path: Path) -> None:
    data = _wire(tmp_path)
    thumbnail = _exif_thumbnail(data)
    assert thumbnail is not None
    assert thumbnail.startswith(b"\xff\xd8") and thumbnail.endswith(b"\xff\xd9")
    _thumbnail_length_entry(data, len(thumbnail))  # IFD1 says exactly how long it is
    with Image.open(io.BytesIO(thumbnail)) as image:
        image.load()
        assert max(image.size) == 160  # the whole thumbnail decodes, no "truncated" error


def test_a_thumbnail_without_its_end_marker_is_still_hashed(tmp_path: Path) -> None:
    data = _wire(tmp_path)
    thumbnail = _exif_thumbnail(data)
    assert thumbnail is not None
    whole = tmp_path / "whole.jpg"
    whole.write_bytes(data)
    # As some writers leave it: IFD1's length two bytes short, so the thumbnail ends without FF D9;
    # and no picture after the metadata, so only the thumbnail can give a hash.
    at = _thumbnail_length_entry(data, len(thumbnail))
    cut = data[:at] + struct.pack(">HHII", 0x0202, 4, 1, len(thumbnail) - 2) + data[at + 12 :]
    end_of_exif = cut.index(thumbnail[:-2]) + len(thumbnail)
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(cut[:end_of_exif])
    short = _exif_thumbnail(truncated.read_bytes())
    assert short is not None and not short.endswith(b"\xff\xd9")
    assert image_hash(truncated) is not None
    assert image_hash(truncated) == image_hash(whole)
