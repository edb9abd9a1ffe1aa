"""Camera RAW files that are not plain TIFF: Canon CR3 (ISO base media), Fujifilm RAF (an embedded
JPEG), Minolta MRW (a TIFF block in a block list), and the size of a Panasonic RW2 (sensor borders).
Built in memory here; the corpus's real files are held to exiftool by test_media_conformance."""

from __future__ import annotations

import struct

import pytest
from media_read_samples import alt, cr3, exif_bytes, jpeg, mrw, raf, rw2, xmp_packet

from mediameta.media.read import read_record_bytes

IFD0 = {0x010F: "Canon", 0x0110: "Canon EOS R5", 0x0100: 8192, 0x0101: 5464, 0x013B: "Jane Doe"}
EXIF_IFD = {0x9003: "2025:03:03 10:11:12", 0x9011: "+02:00"}
GPS = {1: "N", 2: (31.0, 46.0, 0.0), 3: "E", 4: (35.0, 13.0, 0.0)}
XMP = xmp_packet('photoshop:Credit="REUTERS"' + alt("dc:description", ("x-default", "Caption text")))


def test_cr3_reads_ifd0_exif_gps_and_xmp() -> None:
    record = read_record_bytes(cr3(IFD0, EXIF_IFD, GPS, XMP), "IMG_0001.CR3")
    assert record.format == "CR3"
    assert (record.width, record.height) == (8192, 5464)
    assert (record.make, record.model, record.creators) == ("Canon", "Canon EOS R5", ["Jane Doe"])
    assert record.date_created == "2025-03-03T10:11:12+02:00"
    assert record.gps is not None and record.gps.lat == pytest.approx(31.7667, abs=1e-3)
    assert (record.description, record.credit_line) == ("Caption text", "REUTERS")
    assert not record.errors


def test_cr3_without_canon_boxes_is_an_error_not_a_crash() -> None:
    data = cr3(IFD0).replace(b"CMT1", b"XXXX")
    record = read_record_bytes(data, "broken.cr3")
    assert record.format == "CR3"
    assert any("CMT1" in error.message for error in record.errors)


@pytest.mark.parametrize("cut", [10, 40, 100, 200])
def test_truncated_cr3_gives_an_error(cut: int) -> None:
    record = read_record_bytes(cr3(IFD0, EXIF_IFD)[:cut], "cut.cr3")
    assert record.errors
    assert not any(error.message.startswith("internal error") for error in record.errors)


def test_cr3_box_claiming_more_than_the_file_is_an_error() -> None:
    data = bytearray(cr3(IFD0, EXIF_IFD))
    moov = data.index(b"moov") - 4
    struct.pack_into(">I", data, moov, 0x7FFFFFFF)
    record = read_record_bytes(bytes(data), "huge.cr3")
    assert any("runs past" in error.message for error in record.errors)


def test_raf_reads_the_embedded_jpeg() -> None:
    preview = jpeg(exif=exif_bytes({0x010F: "FUJIFILM", 0x0110: "X-T3"}, EXIF_IFD), xmp=XMP, size=(32, 24))
    record = read_record_bytes(raf(preview), "DSCF0001.RAF")
    assert record.format == "RAF"
    assert (record.make, record.model) == ("FUJIFILM", "X-T3")
    assert (record.width, record.height) == (32, 24)  # the preview's size, as exiftool gives it
    assert record.credit_line == "REUTERS"
    assert record.date_created == "2025-03-03T10:11:12+02:00"


def test_raf_pointing_outside_the_file_is_an_error() -> None:
    data = bytearray(raf(jpeg(size=(8, 8))))
    struct.pack_into(">I", data, 84, len(data) + 10)
    record = read_record_bytes(bytes(data), "bad.raf")
    assert any("outside the file" in error.message for error in record.errors)


def test_mrw_reads_its_tiff_block() -> None:
    tiff = exif_bytes({0x010F: "Konica Minolta", 0x0110: "DiMAGE A2", 0x0100: 3264, 0x0101: 2448}, EXIF_IFD)
    record = read_record_bytes(mrw(tiff), "PICT0001.MRW")
    assert record.format == "MRW"
    assert (record.make, record.model, record.width, record.height) == (
        "Konica Minolta",
        "DiMAGE A2",
        3264,
        2448,
    )


def test_truncated_mrw_is_an_error() -> None:
    tiff = exif_bytes({0x010F: "Konica Minolta"})
    record = read_record_bytes(mrw(tiff)[:50], "cut.mrw")
    assert record.format == "MRW"
    assert any("MRW" in error.message for error in record.errors)


def test_rw2_size_comes_from_the_sensor_borders() -> None:
    record = read_record_bytes(rw2((6, 8, 2742, 3656)), "P1.RW2")
    assert (record.width, record.height) == (3648, 2736)
    assert record.make == "Panasonic"


def test_rw2_with_nonsense_borders_has_no_size() -> None:
    record = read_record_bytes(rw2((2742, 3656, 6, 8)), "P2.RW2")
    assert (record.width, record.height) == (None, None)


def test_borders_in_an_ordinary_tiff_are_not_a_size() -> None:
    data = exif_bytes({0x0004: 6, 0x0005: 8, 0x0006: 2742, 0x0007: 3656, 0x010F: "Canon"})
    record = read_record_bytes(data, "plain.tif")
    assert (record.width, record.height) != (3648, 2736)
