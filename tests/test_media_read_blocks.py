"""Each block's decoding: IPTC charsets and damage, XMP forms and hostile XML, EXIF details, sidecars."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest
from media_read_samples import (
    alt,
    dataset,
    exif_bytes,
    extended_xmp_segments,
    iim,
    iptc_resources,
    jpeg,
    seq,
    xmp_packet,
)
from PIL.TiffImagePlugin import IFDRational

from mediameta.media.iptc import iim_datetime
from mediameta.media.read import read_record, read_record_bytes

# ------------------------------------------------------------------------------------------ IPTC


def test_iptc_declared_utf8() -> None:
    data = jpeg(iptc=iptc_resources(iim([(120, "Café in Zürich")], utf8=True)))
    record = read_record_bytes(data, "x.jpg")
    assert record.description == "Café in Zürich"
    assert record.blocks["iptc"]["_charset"] == "utf-8 (declared 1:90)"


def test_iptc_undeclared_utf8_is_recognised_and_labelled() -> None:
    data = jpeg(iptc=iptc_resources(iim([(120, "Café in Zürich")], utf8=False)))
    record = read_record_bytes(data, "x.jpg")
    assert record.description == "Café in Zürich"
    assert record.blocks["iptc"]["_charset"] == "utf-8 (undeclared)"


def test_iptc_legacy_cp1252_falls_back_and_says_so() -> None:
    caption = "Caf\xe9 \x93quoted\x94 \x80 price"  # cp1252 bytes: not valid UTF-8
    data = jpeg(iptc=iptc_resources(iim([(120, caption.encode("latin-1"))], utf8=False)))
    record = read_record_bytes(data, "x.jpg")
    assert record.description == "Café “quoted” € price"
    assert record.blocks["iptc"]["_charset"] == "cp1252"


def test_iptc_bytes_cp1252_leaves_undefined_are_latin1_not_replacement_chars() -> None:
    data = jpeg(iptc=iptc_resources(iim([(120, b"A\x81B\xe9")], utf8=False)))
    record = read_record_bytes(data, "x.jpg")
    assert record.description == "A\x81Bé"


def test_iptc_declared_utf8_that_is_not_is_an_error_not_mojibake() -> None:
    data = jpeg(iptc=iptc_resources(iim([(120, "Caf\xe9".encode("latin-1"))], utf8=True)))
    record = read_record_bytes(data, "x.jpg")
    assert record.description == "Café"
    assert any("not valid UTF-8 although 1:90 declares it" in e.message for e in record.errors)


def test_iptc_repeatable_datasets_become_lists_in_order() -> None:
    fields = [(80, "Jane Doe"), (80, "John Roe"), (25, "flood"), (25, "rescue"), (25, "Spain")]
    record = read_record_bytes(jpeg(iptc=iptc_resources(iim(fields))), "x.jpg")
    assert record.creators == ["Jane Doe", "John Roe"]
    assert record.keywords == ["flood", "rescue", "Spain"]


def test_iptc_all_mapped_datasets() -> None:
    fields = [
        (5, "title"),
        (40, "instructions"),
        (85, "job title"),
        (90, "city"),
        (92, "sublocation"),
        (95, "state"),
        (100, "ESP"),
        (101, "Spain"),
        (103, "job-1"),
        (105, "headline"),
        (110, "credit"),
        (115, "source"),
        (116, "copyright"),
        (120, "description"),
        (122, "writer"),
        (55, "20241101"),
        (60, "102030+0100"),
    ]
    record = read_record_bytes(jpeg(iptc=iptc_resources(iim(fields))), "x.jpg")
    assert (record.title, record.instructions, record.creator_job_title) == (
        "title",
        "instructions",
        "job title",
    )
    assert (record.city, record.sublocation, record.state) == ("city", "sublocation", "state")
    assert (record.country_code, record.country, record.job_id) == ("ESP", "Spain", "job-1")
    assert (record.headline, record.credit_line, record.source) == ("headline", "credit", "source")
    assert (record.copyright, record.description, record.description_writer) == (
        "copyright",
        "description",
        "writer",
    )
    assert record.date_created == "2024-11-01T10:20:30+01:00"


@pytest.mark.parametrize(
    ("date", "time", "iso"),
    [
        ("20241101", None, "2024-11-01"),
        ("20241101", "102030", "2024-11-01T10:20:30"),
        ("20241101", "102030-0500", "2024-11-01T10:20:30-05:00"),
        ("20241100", None, "2024-11"),
        ("20240000", "102030", "2024"),
        ("00000000", None, None),
        ("2024-11-01", None, "2024-11-01"),
        ("garbage", None, None),
        (None, "102030", None),
    ],
)
def test_iim_dates(date: str | None, time: str | None, iso: str | None) -> None:
    assert iim_datetime(date, time) == iso


def test_iptc_damage_keeps_what_came_before() -> None:
    damaged = iim([(105, "Headline survives")]) + dataset(2, 120, b"x" * 50)[:-30]
    record = read_record_bytes(jpeg(iptc=iptc_resources(damaged, digest=None)), "x.jpg")
    assert record.headline == "Headline survives"
    assert any("runs past the end" in e.message and e.block == "iptc" for e in record.errors)


def test_iptc_split_over_two_app13_segments_is_joined() -> None:
    res = iptc_resources(iim([(105, "Joined")]))
    half = len(res) // 2
    first = b"\xff\xed" + (len(res[:half]) + 16).to_bytes(2, "big") + b"Photoshop 3.0\x00" + res[:half]
    second = b"\xff\xed" + (len(res[half:]) + 16).to_bytes(2, "big") + b"Photoshop 3.0\x00" + res[half:]
    record = read_record_bytes(jpeg(extra=[first, second]), "x.jpg")
    assert record.headline == "Joined"


def test_iptc_in_an_afcp_trailer_is_read_when_there_is_no_app13() -> None:
    body = jpeg()
    payload = iim([(105, "From the trailer")], utf8=False)
    start = len(body)
    header = b"AXS!" + b"\x00\x01" + (1).to_bytes(2, "big") + b"\x00" * 4
    data_at = start + 12 + 12
    directory = b"IPTC" + len(payload).to_bytes(4, "big") + data_at.to_bytes(4, "big")
    trailer = header + directory + payload + b"AXS!" + start.to_bytes(4, "big") + b"\x00" * 4
    record = read_record_bytes(body + trailer, "x.jpg")
    assert record.headline == "From the trailer"
    assert record.blocks["iptc"]["_location"] == "AFCP trailer"


def test_iptc_in_a_fotostation_trailer_is_read_when_there_is_no_app13() -> None:
    payload = iim([(120, "Desk caption"), (40, "Embargo")], utf8=False)
    soft_edit = b"\x00" * 48
    trailer = soft_edit + struct.pack(">HI", 2, len(soft_edit) + 10) + b"\xa1\xb2\xc3\xd4"
    trailer = payload + struct.pack(">HI", 1, len(payload) + 10) + b"\xa1\xb2\xc3\xd4" + trailer
    record = read_record_bytes(jpeg() + trailer, "x.jpg")
    assert (record.description, record.instructions) == ("Desk caption", "Embargo")
    assert record.blocks["iptc"]["_location"] == "FotoStation trailer"
    with_app13 = read_record_bytes(
        jpeg(iptc=iptc_resources(iim([(120, "APP13 caption")]))) + trailer, "x.jpg"
    )
    assert with_app13.description == "APP13 caption"


# ------------------------------------------------------------------------------------------ XMP


def test_xmp_alt_lang_prefers_x_default_then_first() -> None:
    body = alt("dc:description", ("de", "Deutsch"), ("x-default", "Default"), ("en", "English"))
    body += alt("dc:title", ("fr", "Titre"), ("en", "Title"))
    record = read_record_bytes(jpeg(xmp=xmp_packet(body)), "x.jpg")
    assert record.description == "Default"
    assert record.title == "Titre"


def test_xmp_seq_and_bag_lists_and_attribute_form() -> None:
    body = 'photoshop:Credit="AFP" Iptc4xmpCore:CountryCode="UKR"'
    body += seq("dc:creator", "Jane Doe", "John Roe") + seq("dc:subject", "war", "drone", kind="Bag")
    record = read_record_bytes(jpeg(xmp=xmp_packet(body)), "x.jpg")
    assert record.creators == ["Jane Doe", "John Roe"]
    assert record.keywords == ["war", "drone"]
    assert record.credit_line == "AFP" and record.country_code == "UKR"


def test_xmp_all_mapped_properties() -> None:
    body = (
        'photoshop:Headline="h" photoshop:AuthorsPosition="pos" photoshop:Source="src" '
        'photoshop:City="c" photoshop:State="s" photoshop:Country="co" photoshop:Instructions="i" '
        'photoshop:TransmissionReference="job" photoshop:CaptionWriter="w" Iptc4xmpCore:Location="loc" '
        'photoshop:DateCreated="2024-11-01T10:20:30+01:00" tiff:Make="Sony" tiff:Model="A1" '
        'exif:GPSLatitude="39,28.5N" exif:GPSLongitude="0,22.5W"'
    )
    body += alt("dc:rights", ("x-default", "(c) me"))
    record = read_record_bytes(jpeg(xmp=xmp_packet(body)), "x.jpg")
    assert (record.headline, record.creator_job_title, record.source) == ("h", "pos", "src")
    assert (record.city, record.state, record.country, record.sublocation) == ("c", "s", "co", "loc")
    assert (record.instructions, record.job_id, record.description_writer) == ("i", "job", "w")
    assert (record.make, record.model, record.copyright) == ("Sony", "A1", "(c) me")
    assert record.date_created == "2024-11-01T10:20:30+01:00"
    assert record.gps is not None and (record.gps.lat, record.gps.lon) == (39.475, -0.375)


def test_several_packets_merge_first_wins() -> None:
    first = xmp_packet('photoshop:Headline="first"')
    second = xmp_packet('photoshop:Headline="second" photoshop:City="Haifa"')
    record = read_record_bytes(jpeg(xmp=[first, second]), "x.jpg")
    assert record.headline == "first" and record.city == "Haifa"
    assert record.blocks["xmp"]["_packets"] == "2"


def test_extended_xmp_is_reassembled() -> None:
    extension = xmp_packet(alt("dc:description", ("x-default", "A long caption " * 40)), wrapper=False)
    guid = hashlib.md5(extension).hexdigest().upper().encode()
    main = xmp_packet(f'xmpNote:HasExtendedXMP="{guid.decode()}" photoshop:City="Gaza"')
    record = read_record_bytes(jpeg(xmp=main, extra=extended_xmp_segments(guid, extension)), "x.jpg")
    assert record.city == "Gaza"
    assert record.description == ("A long caption " * 40).strip()
    assert "_extended_guid" not in record.blocks["xmp"]


def test_utf16_packet() -> None:
    packet = xmp_packet('photoshop:City="Kraków"', wrapper=False).decode().encode("utf-16")
    record = read_record_bytes(jpeg(xmp=packet), "x.jpg")
    assert record.city == "Kraków"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="&lol9;"/>
</rdf:RDF></x:xmpmeta>"""


@pytest.mark.parametrize(
    "packet",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><c>&ext;</c></x:xmpmeta>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "http://127.0.0.1:9/x.xml">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><c>&ext;</c></x:xmpmeta>',
        b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
        b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
    ],
    ids=["billion-laughs", "external-file", "external-url", "external-dtd", "utf7-disguise"],
)
def test_hostile_xmp_is_an_error_record(packet: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader opened a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    record = read_record_bytes(jpeg(xmp=packet, iptc=iptc_resources(iim([(105, "kept")]))), "x.jpg")
    assert record.headline == "kept"
    assert record.city is None
    xmp_errors = [e.message for e in record.errors if e.block == "xmp"]
    assert len(xmp_errors) == 1
    assert "root:" not in str(record.model_dump())


def test_malformed_xmp_is_an_error_and_other_blocks_survive() -> None:
    record = read_record_bytes(
        jpeg(xmp=b"<x:xmpmeta><unclosed>", exif=exif_bytes({0x010F: "Leica"})), "x.jpg"
    )
    assert record.make == "Leica"
    assert [e.block for e in record.errors] == ["xmp"]
    assert record.errors[0].message.startswith("malformed XML")


# ------------------------------------------------------------------------------------------ EXIF


def test_exif_artist_is_an_mwg_string_list() -> None:
    record = read_record_bytes(jpeg(exif=exif_bytes({0x013B: 'Jane Doe; "Roe; John"; Ann'})), "x.jpg")
    assert record.creators == ["Jane Doe", "Roe; John", "Ann"]


def test_exif_date_with_subseconds_and_offset() -> None:
    exif = exif_bytes(exif_ifd={0x9003: "2024:11:01 10:20:30", 0x9291: "25", 0x9011: "+02:00"})
    record = read_record_bytes(jpeg(exif=exif), "x.jpg")
    assert record.date_created == "2024-11-01T10:20:30.25+02:00"


def test_exif_blank_values_are_absent() -> None:
    exif = exif_bytes({0x010E: "          ", 0x013B: ""}, {0x9003: "0000:00:00 00:00:00"})
    record = read_record_bytes(jpeg(exif=exif), "x.jpg")
    assert (record.description, record.creators, record.date_created) == (None, [], None)


def test_exif_unknown_gps_rationals_do_not_read_as_null_island() -> None:
    unknown = IFDRational(0, 0)  # written as 0/0: what cameras without a fix store
    exif = exif_bytes(gps={2: (unknown,) * 3, 4: (unknown,) * 3})
    assert read_record_bytes(jpeg(exif=exif), "x.jpg").gps is None
    real = exif_bytes(gps={2: (0.0, 0.0, 0.0), 4: (0.0, 0.0, 0.0)})
    assert read_record_bytes(jpeg(exif=real), "x.jpg").gps is not None


def test_exif_cp1252_text_is_decoded_and_labelled() -> None:
    exif = bytearray(exif_bytes({0x013B: "Jose Maria"}))
    exif[exif.find(b"Jose") + 3] = 0xE9
    record = read_record_bytes(jpeg(exif=bytes(exif)), "x.jpg")
    assert record.creators == ["José Maria"]
    assert record.blocks["exif"]["_charset"] == "cp1252"


def test_exif_ifd_loop_and_wild_offsets_end_with_an_error() -> None:
    exif = bytearray(exif_bytes({0x010F: "Canon"}, {0x9003: "2024:11:01 10:20:30"}))
    order = "little" if exif[:2] == b"II" else "big"
    pointer = exif.find((0x8769).to_bytes(2, order))  # the ExifOffset entry
    exif[pointer + 8 : pointer + 12] = (0xFFFFFF).to_bytes(4, order)
    record = read_record_bytes(jpeg(exif=bytes(exif)), "x.jpg")
    assert record.make == "Canon" and record.date_created is None
    assert any(e.block == "exif" for e in record.errors)


# ------------------------------------------------------------------------------------------ sidecars


@pytest.mark.parametrize("name", ["IMG_1.xmp", "IMG_1.jpg.xmp", "IMG_1.XMP"])
def test_sidecar_fills_missing_fields(tmp_path: Path, name: str) -> None:
    image = tmp_path / "IMG_1.jpg"
    image.write_bytes(jpeg(iptc=iptc_resources(iim([(105, "Embedded headline")]))))
    (tmp_path / name).write_bytes(xmp_packet('photoshop:Headline="Sidecar headline" photoshop:City="Lviv"'))
    record = read_record(image)
    assert record.headline == "Embedded headline" and record.sources["headline"] == "iptc"
    assert record.city == "Lviv" and record.sources["city"] == "sidecar"
    assert record.blocks["sidecar"]["_files"] == [name]
    assert [c.field for c in record.conflicts] == ["headline"]


def test_both_sidecars_merge_with_img_xmp_first(tmp_path: Path) -> None:
    image = tmp_path / "IMG_1.jpg"
    image.write_bytes(jpeg())
    (tmp_path / "IMG_1.xmp").write_bytes(xmp_packet('photoshop:City="Adobe style"'))
    (tmp_path / "IMG_1.jpg.xmp").write_bytes(xmp_packet('photoshop:City="darktable" photoshop:State="Lazio"'))
    record = read_record(image)
    assert record.city == "Adobe style" and record.state == "Lazio"
    assert record.blocks["sidecar"]["_files"] == ["IMG_1.xmp", "IMG_1.jpg.xmp"]


def test_sidecars_passed_by_the_caller_skip_the_lookup(tmp_path: Path) -> None:
    image = tmp_path / "IMG_1.jpg"
    image.write_bytes(jpeg())
    (tmp_path / "IMG_1.xmp").write_bytes(xmp_packet('photoshop:City="x"'))
    assert read_record(image, sidecars=[]).city is None
    assert read_record(image, sidecars=[tmp_path / "IMG_1.xmp"]).city == "x"


def test_hostile_sidecar_is_a_sidecar_error(tmp_path: Path) -> None:
    image = tmp_path / "IMG_1.jpg"
    image.write_bytes(jpeg())
    (tmp_path / "IMG_1.xmp").write_bytes(BILLION_LAUGHS)
    record = read_record(image)
    assert [e.block for e in record.errors] == ["sidecar"]


def test_bloated_document_ancestors_and_history_do_not_slow_or_change_the_read() -> None:
    ancestors = "".join(f"<rdf:li>xmp.did:{i:032x}</rdf:li>" for i in range(50_000))
    body = (
        'photoshop:City="Kyiv" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        f"<photoshop:DocumentAncestors><rdf:Bag>{ancestors}</rdf:Bag></photoshop:DocumentAncestors>"
        "<xmpMM:History><rdf:Seq><rdf:li>saved</rdf:li></rdf:Seq></xmpMM:History>"
        + seq("dc:creator", "Jane Doe")
    )
    packet = xmp_packet(body)
    from mediameta.media.xmp import parse_packet

    values, _ = parse_packet(packet)
    assert values == {"city": "Kyiv", "creators": ["Jane Doe"]}
    record = read_record_bytes(packet, "x.xmp")
    assert record.city == "Kyiv" and record.creators == ["Jane Doe"] and record.errors == []


def test_oversized_xmp_packet_is_refused_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from mediameta.media import xmp

    monkeypatch.setattr(xmp, "MAX_PACKET_BYTES", 1000)
    record = read_record_bytes(
        jpeg(xmp=xmp_packet('photoshop:City="x"' + seq("dc:subject", *["k"] * 200))), "x.jpg"
    )
    assert record.city is None
    assert [e.block for e in record.errors] == ["xmp"] and "limit" in record.errors[0].message


EXT = 'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'


def test_location_shown_fills_location_fields_when_the_legacy_ones_are_absent() -> None:
    attributes_form = (
        f"{EXT}<Iptc4xmpExt:LocationShown><rdf:Bag>"
        '<rdf:li Iptc4xmpExt:City="London" Iptc4xmpExt:CountryCode="GB" Iptc4xmpExt:CountryName="UK"/>'
        '<rdf:li Iptc4xmpExt:City="Paris"/></rdf:Bag></Iptc4xmpExt:LocationShown>'
    )
    record = read_record_bytes(xmp_packet(attributes_form), "x.xmp")
    assert (record.city, record.country, record.country_code) == ("London", "UK", "GB")
    resource_form = (
        f'photoshop:City="Legacy city" {EXT}<Iptc4xmpExt:LocationShown><rdf:Bag>'
        '<rdf:li rdf:parseType="Resource"><Iptc4xmpExt:City>Shown city</Iptc4xmpExt:City>'
        "<Iptc4xmpExt:Sublocation>Old Town</Iptc4xmpExt:Sublocation></rdf:li>"
        "</rdf:Bag></Iptc4xmpExt:LocationShown>"
    )
    record = read_record_bytes(xmp_packet(resource_form), "x.xmp")
    assert record.city == "Legacy city" and record.sublocation == "Old Town"


def test_exif_continued_in_a_second_app1_segment_is_joined() -> None:
    exif = exif_bytes({0x010E: "A caption long enough to be stored after the IFD"})
    cut = len(exif) - 20
    continuation = b"\xff\xe1" + (len(exif[cut:]) + 8).to_bytes(2, "big") + b"Exif\x00\x00" + exif[cut:]
    record = read_record_bytes(jpeg(exif=exif[:cut], extra=[continuation]), "x.jpg")
    assert record.description == "A caption long enough to be stored after the IFD"
    other = exif_bytes({0x010F: "Other"})
    second_block = b"\xff\xe1" + (len(other) + 8).to_bytes(2, "big") + b"Exif\x00\x00" + other
    record = read_record_bytes(jpeg(exif=exif, extra=[second_block]), "x.jpg")
    assert record.errors == [] and record.make is None  # a second, complete EXIF block is ignored
