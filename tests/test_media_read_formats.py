"""Reading each container format, and the file-level failures that must become error records."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from media_read_samples import (
    alt,
    exif_bytes,
    gif_with_xmp,
    iim,
    iptc_resources,
    itxt,
    jpeg,
    png,
    png_chunk,
    seq,
    tiff,
    webp,
    xmp_packet,
)
from PIL import Image

from mediameta.media.read import HEIF_HINT, read_record, read_record_bytes
from mediameta.models import MediaRecord

CAPTION = "Rescuers search the rubble in Valencia, Spain, November 1, 2024. REUTERS/Eva Mañez"


def _errors(record: MediaRecord) -> list[str]:
    return [f"{e.block}: {e.message}" for e in record.errors]


def test_jpeg_reads_all_three_blocks_and_the_size(tmp_path: Path) -> None:
    data = jpeg(
        exif=exif_bytes({0x010F: "Canon", 0x0110: "Canon EOS R3"}, {0x9003: "2024:11:01 10:20:30"}),
        iptc=iptc_resources(iim([(120, CAPTION), (80, "Eva Manez"), (110, "REUTERS")])),
        xmp=xmp_packet(alt("dc:description", ("x-default", CAPTION)) + seq("dc:creator", "Eva Manez")),
        size=(40, 30),
    )
    path = tmp_path / "wire.jpg"
    path.write_bytes(data)
    record = read_record(path)
    assert _errors(record) == []
    assert (record.format, record.width, record.height) == ("JPEG", 40, 30)
    assert record.size == len(data) and record.mtime_ns == os.stat(path).st_mtime_ns
    assert record.description == CAPTION
    assert record.creators == ["Eva Manez"]
    assert record.credit_line == "REUTERS"
    assert record.make == "Canon" and record.model == "Canon EOS R3"
    assert record.date_created == "2024-11-01T10:20:30"
    assert set(record.blocks) == {"exif", "iptc", "xmp"}
    assert record.blocks["iptc"]["description"] == CAPTION
    assert record.blocks["xmp"]["creators"] == ["Eva Manez"]
    assert record.sources["credit_line"] == "iptc"
    assert record.sources["description"] == "xmp"


def test_png_itxt_xmp_exif_chunk_and_text_chunks() -> None:
    data = png(
        [
            itxt("XML:com.adobe.xmp", xmp_packet('photoshop:Credit="AP"'), compressed=True),
            png_chunk(b"eXIf", exif_bytes({0x010F: "Nikon"})),
            png_chunk(b"tEXt", b"Title\x00Harbour at dawn"),
            png_chunk(b"zTXt", b"Author\x00\x00" + zlib.compress(b"Jane Doe")),
        ],
        size=(33, 21),
    )
    record = read_record_bytes(data, "x.png")
    assert _errors(record) == []
    assert (record.format, record.width, record.height) == ("PNG", 33, 21)
    assert record.credit_line == "AP" and record.sources["credit_line"] == "xmp"
    assert record.make == "Nikon"
    assert record.title == "Harbour at dawn" and record.sources["title"] == "file"
    assert record.creators == ["Jane Doe"]


def test_png_raw_profile_iptc_as_written_by_imagemagick_and_exiv2() -> None:
    payload = iptc_resources(iim([(105, "Flood")]), digest=None)
    hexed = payload.hex().encode()
    text = b"\niptc\n" + f"{len(payload):8d}".encode() + b"\n" + hexed + b"\n"
    data = png([png_chunk(b"zTXt", b"Raw profile type iptc\x00\x00" + zlib.compress(text))])
    record = read_record_bytes(data, "x.png")
    assert record.headline == "Flood" and record.sources["headline"] == "iptc"


def test_png_zip_bomb_in_a_text_chunk_is_an_error_not_a_blow_up() -> None:
    bomb = zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)
    data = png([png_chunk(b"zTXt", b"Description\x00\x00" + bomb)])
    record = read_record_bytes(data, "bomb.png")
    assert record.description is None
    assert any("decompresses to more than" in e.message for e in record.errors)


def test_webp_exif_and_xmp_chunks() -> None:
    data = webp(exif=exif_bytes({0x013B: "Jane Doe"}), xmp=xmp_packet('photoshop:City="Kyiv"'), size=(20, 10))
    record = read_record_bytes(data, "x.webp")
    assert _errors(record) == []
    assert (record.format, record.width, record.height) == ("WEBP", 20, 10)
    assert record.creators == ["Jane Doe"] and record.city == "Kyiv"


def test_tiff_text_tags_xmp_tag_700_and_iptc_tag_33723() -> None:
    data = tiff(
        {0x010E: "A caption", 0x8298: "(c) Agency"},
        xmp=xmp_packet('photoshop:Source="EPA"'),
        iim_bytes=iim([(101, "Ukraine")]),
    )
    record = read_record_bytes(data, "x.tif")
    assert _errors(record) == []
    assert (record.format, record.width, record.height) == ("TIFF", 16, 12)
    assert record.description == "A caption" and record.copyright == "(c) Agency"
    assert record.source == "EPA" and record.country == "Ukraine"


def test_gif_xmp_application_extension() -> None:
    record = read_record_bytes(gif_with_xmp(xmp_packet(alt("dc:title", ("x-default", "Rally")))), "x.gif")
    assert _errors(record) == []
    assert (record.format, record.width, record.height) == ("GIF", 16, 12)
    assert record.title == "Rally"


def test_standalone_xmp_file_reads_as_format_xmp() -> None:
    record = read_record_bytes(xmp_packet('photoshop:Headline="Storm"'), "x.xmp")
    assert record.format == "XMP" and record.headline == "Storm" and record.width is None


def test_psd_image_resources() -> None:
    res = iptc_resources(iim([(5, "Object name")]))
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 24, 32, 8, 3)
    data = header + struct.pack(">I", 0) + struct.pack(">I", len(res)) + res + struct.pack(">I", 0)
    record = read_record_bytes(data, "x.psd")
    assert (record.format, record.width, record.height) == ("PSD", 32, 24)
    assert record.title == "Object name"


def test_heif_without_pillow_heif_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_heif(name: str, *args: object, **kwargs: object) -> object:
        if name == "pillow_heif":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_heif)
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    record = read_record_bytes(data, "x.heic")
    assert record.format == "HEIF"
    assert [e.message for e in record.errors] == [f"HEIF: {HEIF_HINT}"]
    # AVIF falls back to Pillow's own plugin when this Pillow has one
    buffer = io.BytesIO()
    try:
        Image.new("RGB", (20, 10)).save(buffer, "AVIF", xmp=xmp_packet('photoshop:City="Oslo"'), quality=30)
    except (KeyError, OSError):
        return
    avif = read_record_bytes(buffer.getvalue(), "x.avif")
    assert (avif.format, avif.width, avif.city, avif.errors) == ("AVIF", 20, "Oslo", [])


@pytest.mark.parametrize("kind", ["HEIF", "AVIF"])
def test_heif_and_avif_with_pillow_heif(kind: str) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    exif = b"Exif\x00\x00" + exif_bytes({0x010F: "Apple"})
    try:
        Image.new("RGB", (64, 48)).save(
            buffer, kind, exif=exif, xmp=xmp_packet('photoshop:City="Oslo"'), quality=30
        )
    except (KeyError, OSError) as exc:
        pytest.skip(f"no {kind} encoder here: {exc}")
    record = read_record_bytes(buffer.getvalue(), f"x.{kind.lower()}")
    assert record.errors == []
    assert (record.format, record.width, record.height) == (kind, 64, 48)
    assert record.make == "Apple" and record.city == "Oslo"


def test_damaged_heif_is_an_error_record() -> None:
    pytest.importorskip("pillow_heif")
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    record = read_record_bytes(data, "x.heic")
    assert record.format == "HEIF"
    assert record.errors[0].message.startswith("HEIF: cannot read the container")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "unsupported format: not an image format"),
        (b"just some text, not a picture\n" * 10, "unsupported format: not an image format"),
        (b"%PDF-1.7\n" + b"\x00" * 100, "unsupported format: not an image format"),
    ],
)
def test_unknown_bytes_give_an_unsupported_format_record(data: bytes, expected: str) -> None:
    record = read_record_bytes(data, "x.bin")
    assert record.format is None
    assert [e.block for e in record.errors] == ["file"]
    assert record.errors[0].message.startswith(expected)


def test_format_pillow_knows_but_we_do_not_read_says_so_with_its_size() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (7, 5)).save(buffer, "BMP")
    record = read_record_bytes(buffer.getvalue(), "x.bmp")
    assert (record.format, record.width, record.height) == ("BMP", 7, 5)
    assert record.errors[0].message == "unsupported format BMP: size read, embedded metadata is not"


def test_decompression_bomb_dimensions_are_an_error_and_metadata_is_still_read() -> None:
    data = bytearray(jpeg(iptc=iptc_resources(iim([(105, "Huge")]))))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 60000, 60000)
    record = read_record_bytes(bytes(data), "bomb.jpg")
    assert (record.width, record.height) == (60000, 60000)
    assert record.headline == "Huge"
    assert any("decompression-bomb limit" in e.message for e in record.errors)


def test_pillow_bomb_error_on_an_unwalked_format_is_caught() -> None:
    header = (
        b"BM"
        + struct.pack("<IHHI", 0, 0, 0, 54)
        + struct.pack("<IiiHHIIiiII", 40, 60000, 60000, 1, 24, 0, 0, 0, 0, 0, 0)
    )
    record = read_record_bytes(header + b"\x00" * 64, "bomb.bmp")
    assert any("decompression bomb" in e.message for e in record.errors)


def test_missing_file_directory_and_empty_file(tmp_path: Path) -> None:
    missing = read_record(tmp_path / "nope.jpg")
    assert missing.errors[0].message.startswith("cannot read: ")
    folder = read_record(tmp_path)
    assert folder.errors[0].message == "not a regular file"
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    record = read_record(empty)
    assert record.size == 0 and record.errors[0].message.startswith("unsupported format")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_an_error_record(tmp_path: Path) -> None:
    path = tmp_path / "locked.jpg"
    path.write_bytes(jpeg())
    path.chmod(0)
    record = read_record(path)
    assert record.errors[0].message.startswith("cannot read: ")


def test_records_survive_validation_round_trip() -> None:
    data = jpeg(
        exif=exif_bytes({0x010E: "x"}, gps={1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 30.0)}),
        iptc=iptc_resources(iim([(25, "a"), (25, "b")])),
    )
    record = read_record_bytes(data, "x.jpg")
    again = MediaRecord.model_validate(record.model_dump(mode="json"))
    assert again == record
    assert record.gps is not None and (record.gps.lat, record.gps.lon) == (51.5, -0.125)


def test_big_jpeg_files_read_from_disk_head_only_or_whole_as_needed(tmp_path: Path) -> None:
    import hashlib

    from media_read_samples import extended_xmp_segments

    from mediameta.media.read import JPEG_HEAD_BYTES

    big_pixels = (1200, 900)  # noise-free but still bigger than the head once metadata is added
    usual = tmp_path / "usual.jpg"
    usual.write_bytes(
        jpeg(xmp=xmp_packet('photoshop:City="Head"'), size=big_pixels) + b"\x00" * JPEG_HEAD_BYTES
    )
    assert usual.stat().st_size > JPEG_HEAD_BYTES
    assert read_record(usual).city == "Head"

    long_caption = "word " * 60_000  # 300 KB of extended XMP: metadata past the head
    extension = xmp_packet(alt("dc:description", ("x-default", long_caption)), wrapper=False)
    guid = hashlib.md5(extension).hexdigest().upper().encode()
    segments = extended_xmp_segments(guid, extension, chunk=60_000)
    main = xmp_packet(f'xmpNote:HasExtendedXMP="{guid.decode()}"')
    huge = tmp_path / "huge.jpg"
    huge.write_bytes(jpeg(xmp=main, extra=segments, size=big_pixels))
    record = read_record(huge)
    assert record.errors == [] and record.description == long_caption.strip()

    body = jpeg(size=big_pixels) + b"\x00" * JPEG_HEAD_BYTES
    payload = b"\x1c\x02\x69\x00\x07Trailer"
    start = len(body)
    trailer = b"AXS!\x00\x01\x00\x01" + b"\x00" * 4
    trailer += b"IPTC" + len(payload).to_bytes(4, "big") + (start + 24).to_bytes(4, "big") + payload
    trailer += b"AXS!" + start.to_bytes(4, "big") + b"\x00" * 4
    afcp = tmp_path / "afcp.jpg"
    afcp.write_bytes(body + trailer)
    assert read_record(afcp).headline == "Trailer"
