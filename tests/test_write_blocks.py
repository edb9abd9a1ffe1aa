"""The byte-level EXIF / IIM / JPEG edits: other bytes kept, values read back by exiv2, no growth."""

from __future__ import annotations

import functools

import pyexiv2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from write_helpers import WIRE_EXIF, WIRE_IPTC, encode, with_metadata

from mediameta.media.write_blocks import (
    EXIF_HEADER,
    BlockEditError,
    assemble_jpeg,
    edit_iim,
    edit_tiff_strings,
    parse_iim,
    read_jpeg_blocks,
    with_iim,
)
from mediameta.media.write_fields import truncate_utf8
from mediameta.media.write_imagedata import image_data

DESCRIPTION, ARTIST = 0x010E, 0x013B
text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300
).filter(lambda s: s.strip() == s and s != "")


@functools.cache
def _jpeg_with() -> bytes:
    return with_metadata(encode("JPEG"), exif=WIRE_EXIF, iptc=WIRE_IPTC)


@functools.cache
def _jpeg_exif_only() -> bytes:
    return with_metadata(encode("JPEG"), exif=WIRE_EXIF)


def _exiv2(data: bytes) -> tuple[dict[str, object], dict[str, object]]:
    image = pyexiv2.ImageData(data)
    try:
        return image.read_exif(), image.read_iptc()
    finally:
        image.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description=text_values, artist=text_values)
def test_exif_strings_read_back_and_other_tags_keep_their_values(description: str, artist: str) -> None:
    base = _jpeg_exif_only()
    blocks = read_jpeg_blocks(base)
    assert blocks.exif is not None
    edited = edit_tiff_strings(blocks.exif, {DESCRIPTION: description, ARTIST: artist})
    # nothing before the old end of the block moved, except IFD0 and the freed old value
    new = assemble_jpeg(base, exif=edited)
    exif, _ = _exiv2(new)
    assert exif["Exif.Image.ImageDescription"] == description
    assert exif["Exif.Image.Artist"] == artist
    for key in (
        "Exif.Image.Make",
        "Exif.Image.Model",
        "Exif.Photo.DateTimeOriginal",
        "Exif.Photo.ExposureTime",
    ):
        assert exif[key] == _exiv2(base)[0][key]
    assert image_data(new, "JPEG") == image_data(base, "JPEG")


def test_repeated_exif_edits_do_not_grow_the_block_or_leave_old_text() -> None:
    base = with_metadata(encode("JPEG"), exif=WIRE_EXIF)
    block = read_jpeg_blocks(base).exif
    assert block is not None
    sizes = []
    for index in range(30):
        block = edit_tiff_strings(block, {DESCRIPTION: f"caption {index % 3} " + "x" * (index % 7)})
        sizes.append(len(block))
    assert max(sizes[10:]) - min(sizes[10:]) <= 16
    assert block.count(b"caption") == 1


def test_exif_can_be_created_from_nothing() -> None:
    base = encode("JPEG")
    new = assemble_jpeg(base, exif=edit_tiff_strings(b"", {DESCRIPTION: "A caption", ARTIST: "Me"}))
    exif, _ = _exiv2(new)
    assert exif["Exif.Image.ImageDescription"] == "A caption"
    assert new[2:4] in (b"\xff\xe0", b"\xff\xe1")  # EXIF at the front (after a JFIF APP0)
    assert new.index(EXIF_HEADER) < 40


def test_not_a_tiff_structure_is_refused() -> None:
    with pytest.raises(BlockEditError):
        edit_tiff_strings(b"garbage!" * 4, {DESCRIPTION: "x"})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caption=text_values, keywords=st.lists(text_values, min_size=1, max_size=5))
def test_iim_edit_replaces_only_its_datasets(caption: str, keywords: list[str]) -> None:
    base = _jpeg_with()
    blocks = read_jpeg_blocks(base)
    assert blocks.iim is not None and blocks.photoshop is not None
    iim = edit_iim(
        blocks.iim,
        {"Iptc.Application2.Caption": caption, "Iptc.Application2.Keywords": keywords},
    )
    new = assemble_jpeg(base, photoshop=with_iim(blocks.photoshop, iim))
    _, iptc = _exiv2(new)
    assert iptc["Iptc.Application2.Caption"] == caption
    assert iptc["Iptc.Application2.Keywords"] == keywords
    old = {(d.record, d.number): d.raw for d in parse_iim(blocks.iim)}
    new_sets = parse_iim(iim)
    for dataset in new_sets:
        key = (dataset.record, dataset.number)
        if key not in ((2, 120), (2, 25)):
            assert old[key] == dataset.raw  # untouched datasets keep their bytes
    edited = {(2, 120), (2, 25)}
    kept_order = [(d.record, d.number) for d in new_sets if (d.record, d.number) not in edited]
    assert kept_order == [
        (d.record, d.number) for d in parse_iim(blocks.iim) if (d.record, d.number) not in edited
    ]


def test_iim_removal_and_dates() -> None:
    iim = edit_iim(
        b"\x1c\x02\x00\x00\x02\x00\x04\x1c\x02\x78\x00\x03old",
        {
            "Iptc.Application2.Caption": None,
            "Iptc.Application2.DateCreated": "2024-03-05",
            "Iptc.Application2.TimeCreated": "10:11:12+02:00",
        },
    )
    values = {(d.record, d.number): d.value for d in parse_iim(iim)}
    assert values == {(2, 0): b"\x00\x04", (2, 55): b"20240305", (2, 60): b"101112+0200"}


def test_damaged_iim_is_refused() -> None:
    with pytest.raises(BlockEditError):
        edit_iim(b"\x1c\x02\x78\xff\xff", {"Iptc.Application2.Caption": "x"})


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("abc", 5, "abc"), ("abcdef", 3, "abc"), ("aé", 2, "a"), ("日本語", 7, "日本"), ("👍👍", 5, "👍")],
)
def test_truncation_keeps_whole_characters(text: str, limit: int, expected: str) -> None:
    assert truncate_utf8(text, limit) == expected


def test_big_photoshop_block_is_split_across_app13_segments() -> None:
    base = _jpeg_with()
    blocks = read_jpeg_blocks(base)
    assert blocks.iim is not None and blocks.photoshop is not None
    caption = "x" * 70000  # more than one segment holds (never written by the writer: IIM caps at 2000)
    iim = edit_iim(blocks.iim, {"Iptc.Application2.Caption": caption})
    new = assemble_jpeg(base, photoshop=with_iim(blocks.photoshop, iim))
    assert new.count(b"Photoshop 3.0\x00") == 2
    again = read_jpeg_blocks(new)
    assert again.iim == iim
    assert image_data(new, "JPEG") == image_data(base, "JPEG")


def test_a_damaged_offset_into_other_data_is_not_blanked() -> None:
    """ImageDescription's offset points into a binary value: that value must survive the edit."""
    binary = bytes(range(1, 40))  # not a NUL-terminated string
    block = bytearray(b"II*\x00" + (8).to_bytes(4, "little"))
    block += (2).to_bytes(2, "little")
    block += (0x010E).to_bytes(2, "little") + (2).to_bytes(2, "little") + (20).to_bytes(4, "little")
    block += (48).to_bytes(4, "little")  # -> the middle of the binary value below
    block += (0x9286).to_bytes(2, "little") + (7).to_bytes(2, "little") + (39).to_bytes(4, "little")
    block += (38).to_bytes(4, "little")
    block += b"\x00\x00\x00\x00"
    assert len(block) == 38
    block += binary
    edited = edit_tiff_strings(bytes(block), {DESCRIPTION: "A new caption"})
    assert edited[38 : 38 + len(binary)] == binary
