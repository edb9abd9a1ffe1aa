"""Hostile input: damaged metadata never makes the writer raise anything but WriteRefused, never makes
it leave a changed file behind when it refuses, and never changes the image data when it writes."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from write_helpers import WIRE_EXIF, WIRE_IPTC, WIRE_XMP, encode, with_metadata

from mediameta.media.write import WriteRefused, write_metadata
from mediameta.media.write_imagedata import ImageDataError, image_data, jpeg_segments

EDIT = {"description": "A caption", "credit_line": "AP", "creators": ["A. Person"], "keywords": ["k"]}


@functools.cache
def wire_jpeg() -> bytes:
    return with_metadata(encode("JPEG"), exif=WIRE_EXIF, iptc=WIRE_IPTC, xmp=WIRE_XMP)


@functools.cache
def metadata_span() -> tuple[int, int]:
    """Where the metadata segments lie: mutations land there, where the writer parses."""
    _, sos = jpeg_segments(wire_jpeg())
    return 2, sos


def check_write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    try:
        original_pixels: bytes | None = image_data(data, "JPEG")
    except ImageDataError:
        original_pixels = None
    try:
        write_metadata(path, EDIT)
    except WriteRefused:
        assert path.read_bytes() == data, "a refused write changed the file"
        return "refused"
    written = path.read_bytes()
    assert original_pixels is not None, "wrote a file whose image data could not be found"
    assert image_data(written, "JPEG") == original_pixels
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []
    return "written"


@functools.cache
def segment_spans() -> dict[str, tuple[int, int]]:
    """The EXIF and Photoshop (IIM) segments: our own editors parse these."""
    data = wire_jpeg()
    segments, _ = jpeg_segments(data)
    spans = {}
    for seg in segments:
        payload = data[seg.start + 4 : seg.start + 18]
        if seg.marker == 0xE1 and payload.startswith(b"Exif"):
            spans["exif"] = (seg.start + 4, seg.end)
        elif seg.marker == 0xED:
            spans["iim"] = (seg.start + 4, seg.end)
    return spans


@pytest.mark.parametrize("target", ["metadata", "exif", "iim"])
def test_seeded_byte_flips_and_truncations(tmp_path: Path, target: str) -> None:
    rng = random.Random(f"{target}-20261127")
    base = wire_jpeg()
    start, end = metadata_span() if target == "metadata" else segment_spans()[target]
    outcomes = {"written": 0, "refused": 0}
    for index in range(60):
        data = bytearray(base)
        if index % 5 == 4:
            data = data[: rng.randrange(start, end)] + data[end:]  # a segment cut short
        else:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(start, end)] = rng.randrange(256)
        outcomes[check_write(tmp_path / f"f{index}.jpg", bytes(data))] += 1
    # both outcomes occur: damage the writer can work around, and damage it refuses to touch
    assert outcomes["written"] >= 3 and outcomes["refused"] >= 3, outcomes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6))
def test_hypothesis_flips_in_the_metadata(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    start, end = metadata_span()
    data = bytearray(wire_jpeg())
    for position, value in flips:
        data[start + position % (end - start)] = value
    check_write(tmp_path / "h.jpg", bytes(data))


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF"])
def test_flips_in_other_formats(tmp_path: Path, fmt: str) -> None:
    rng = random.Random(7)
    base = with_metadata(encode(fmt), exif=WIRE_EXIF, xmp=WIRE_XMP)
    for index in range(30):
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(8, min(len(data), 4096))] = rng.randrange(256)
        path = tmp_path / f"f{index}.{fmt.lower()}"
        path.write_bytes(bytes(data))
        try:
            write_metadata(path, EDIT)
        except WriteRefused:
            assert path.read_bytes() == bytes(data)
            continue
        try:
            before = image_data(bytes(data), fmt)
        except ImageDataError:
            pytest.fail(f"{fmt} #{index}: written although its image data could not be found")
        assert image_data(path.read_bytes(), fmt) == before
