"""MWG reconciliation (which block wins) and conflict reporting (which blocks disagree)."""

from __future__ import annotations

from media_read_samples import alt, exif_bytes, iim, iptc_resources, jpeg, seq, xmp_packet

from mediameta.media.read import read_record_bytes
from mediameta.media.reconcile import split_artist
from mediameta.models import MediaRecord


def _read(**parts: object) -> MediaRecord:
    return read_record_bytes(jpeg(**parts), "x.jpg")  # type: ignore[arg-type]


def test_exif_wins_description_copyright_creators_when_not_blank() -> None:
    record = _read(
        exif=exif_bytes({0x010E: "EXIF caption", 0x8298: "EXIF (c)", 0x013B: "Exif Artist"}),
        iptc=iptc_resources(iim([(120, "IIM caption"), (116, "IIM (c)"), (80, "Iim Byline")])),
        xmp=xmp_packet(
            alt("dc:description", ("x-default", "XMP caption")) + seq("dc:creator", "Xmp Creator")
        ),
    )
    assert (record.description, record.copyright, record.creators) == (
        "EXIF caption",
        "EXIF (c)",
        ["Exif Artist"],
    )
    assert {record.sources[f] for f in ("description", "copyright", "creators")} == {"exif"}
    assert {c.field for c in record.conflicts} == {"description", "copyright", "creators"}
    description = next(c for c in record.conflicts if c.field == "description")
    assert description.values == {"exif": "EXIF caption", "iptc": "IIM caption", "xmp": "XMP caption"}


def test_xmp_wins_when_the_digest_matches() -> None:
    record = _read(
        iptc=iptc_resources(iim([(105, "IIM headline")]), digest=True),
        xmp=xmp_packet('photoshop:Headline="XMP headline"'),
    )
    assert record.headline == "XMP headline" and record.sources["headline"] == "xmp"
    assert record.blocks["iptc"]["_digest"] == "match"


def test_xmp_wins_when_there_is_no_digest() -> None:
    record = _read(
        iptc=iptc_resources(iim([(105, "IIM headline")]), digest=None),
        xmp=xmp_packet('photoshop:Headline="XMP headline"'),
    )
    assert record.headline == "XMP headline"
    assert record.blocks["iptc"]["_digest"] == "absent"


def test_iim_wins_when_the_digest_says_it_was_edited_after_xmp() -> None:
    record = _read(
        iptc=iptc_resources(iim([(105, "Edited in an old tool")]), digest=b"\x00" * 16),
        xmp=xmp_packet('photoshop:Headline="Stale XMP" photoshop:City="Only in XMP"'),
    )
    assert record.headline == "Edited in an old tool" and record.sources["headline"] == "iptc"
    assert record.city == "Only in XMP" and record.sources["city"] == "xmp"
    assert record.blocks["iptc"]["_digest"] == "mismatch"
    assert [c.field for c in record.conflicts] == ["headline"]


def test_truncated_iim_value_is_recovered_from_xmp_and_not_a_conflict() -> None:
    full = "Wolfeschlegelsteinhausenbergerdorff Junior"
    record = _read(
        iptc=iptc_resources(iim([(80, full[:32])]), digest=b"\x00" * 16),
        xmp=xmp_packet(seq("dc:creator", full)),
    )
    assert record.creators == [full] and record.sources["creators"] == "xmp"
    assert record.conflicts == []


def test_date_created_prefers_exif_then_xmp_then_iim() -> None:
    exif = exif_bytes(exif_ifd={0x9003: "2024:11:01 10:20:30"})
    iptc = iptc_resources(iim([(55, "20241101"), (60, "102030+0100")]))
    xmp = xmp_packet('photoshop:DateCreated="2024-11-01T10:20:30+01:00"')
    assert _read(exif=exif, iptc=iptc, xmp=xmp).sources["date_created"] == "exif"
    assert _read(iptc=iptc, xmp=xmp).sources["date_created"] == "xmp"
    only_iim = _read(iptc=iptc)
    assert (only_iim.date_created, only_iim.sources["date_created"]) == ("2024-11-01T10:20:30+01:00", "iptc")


def test_dates_agreeing_to_the_precision_both_carry_are_not_a_conflict() -> None:
    record = _read(
        exif=exif_bytes(exif_ifd={0x9003: "2024:11:01 10:20:30"}),
        iptc=iptc_resources(iim([(55, "20241101")])),
        xmp=xmp_packet('photoshop:DateCreated="2024-11-01T10:20:30.51+01:00"'),
    )
    assert record.conflicts == []
    shifted = _read(
        exif=exif_bytes(exif_ifd={0x9003: "2024:11:02 10:20:30"}),
        iptc=iptc_resources(iim([(55, "20241101")])),
    )
    assert [c.field for c in shifted.conflicts] == ["date_created"]


def test_whitespace_and_keyword_order_do_not_make_conflicts() -> None:
    record = _read(
        iptc=iptc_resources(iim([(120, "A  caption\r\nwith breaks"), (25, "b"), (25, "a")])),
        xmp=xmp_packet(
            alt("dc:description", ("x-default", "A caption with breaks")) + seq("dc:subject", "a", "b")
        ),
    )
    assert record.conflicts == []


def test_blocks_keep_their_own_values_side_by_side() -> None:
    record = _read(
        exif=exif_bytes({0x013B: "Jane Doe"}),
        iptc=iptc_resources(iim([(80, "JANE DOE"), (110, "REUTERS")])),
        xmp=xmp_packet('photoshop:Credit="Reuters"' + seq("dc:creator", "Jane Doe")),
    )
    assert record.blocks["exif"]["creators"] == ["Jane Doe"]
    assert record.blocks["iptc"]["creators"] == ["JANE DOE"]
    assert record.blocks["xmp"]["credit_line"] == "Reuters"
    assert {c.field for c in record.conflicts} == {"creators", "credit_line"}


def test_gps_from_exif_before_xmp() -> None:
    record = _read(
        exif=exif_bytes(gps={1: "N", 2: (10.0, 0.0, 0.0), 3: "E", 4: (20.0, 0.0, 0.0)}),
        xmp=xmp_packet('exif:GPSLatitude="11,0.0N" exif:GPSLongitude="21,0.0E"'),
    )
    assert record.gps is not None and (record.gps.lat, record.gps.lon) == (10.0, 20.0)
    assert record.sources["gps"] == "exif"
    assert [c.field for c in record.conflicts] == ["gps"]


def test_split_artist_follows_mwg_quoting() -> None:
    assert split_artist("A; B") == ["A", "B"]
    assert split_artist('"A; B"; C') == ["A; B", "C"]
    assert split_artist('"Say ""hi"""; D') == ['Say "hi"', "D"]
    assert split_artist("Single") == ["Single"]
    assert split_artist("A;B") == ["A;B"]


def test_the_same_position_rounded_differently_is_not_a_conflict() -> None:
    record = _read(
        exif=exif_bytes(gps={1: "N", 2: (10.0, 30.0, 1.0), 3: "E", 4: (20.0, 0.0, 0.0)}),
        xmp=xmp_packet('exif:GPSLatitude="10,30.0167N" exif:GPSLongitude="20,0.0E"'),
    )
    assert record.conflicts == []


def test_a_camera_default_description_does_not_hide_the_iptc_caption() -> None:
    record = _read(
        exif=exif_bytes({0x010E: "OLYMPUS DIGITAL CAMERA         ", 0x010F: "OLYMPUS"}),
        iptc=iptc_resources(iim([(120, "Fishermen at dawn in Jaffa port")])),
    )
    assert record.description == "Fishermen at dawn in Jaffa port" and record.sources["description"] == "iptc"
    make_only = _read(
        exif=exif_bytes({0x010E: "SAMSUNG", 0x010F: "SAMSUNG"}),
        xmp=xmp_packet(alt("dc:description", ("x-default", "A caption"))),
    )
    assert make_only.description == "A caption"
    alone = _read(exif=exif_bytes({0x010E: "SONY DSC"}))
    assert alone.description == "SONY DSC" and alone.sources["description"] == "exif"
