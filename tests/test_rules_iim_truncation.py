"""MM701 and the writer's own IIM truncation: a value longer than its IIM dataset allows is written
whole to XMP and cut (on a character boundary) in IIM. That cut is the writer's intent, not two
blocks disagreeing: the reader must count it as agreeing, whatever the field and the IIM charset."""

from __future__ import annotations

from pathlib import Path

from media_read_samples import iim, iptc_resources, jpeg, seq, xmp_packet
from write_helpers import wire_file

from mediameta.checks.engine import run_check
from mediameta.config import Config
from mediameta.media.read import read_record_bytes
from mediameta.media.write import write_metadata
from mediameta.media.write_fields import FIELD_SPECS
from mediameta.models import MediaRecord

LONG_VALUES: dict[str, object] = {
    "description": "Café crowds gather on the boulevard as the results come in. " * 40,  # 2,440 bytes
    "headline": "Élection: " + "la nuit la plus longue " * 13,
    "title": "Ночь выборов в Санкт-Петербурге и Ленинградской области",
    "creators": ["Zoë Ångström-Öberg-Lindqvist Ekström"],
    "credit_line": "Reuters Pictures via The Associated Press Wire",
    "source": "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdéfgh",  # the cut falls inside "é"
    "city": "Sankt Peterburg–Ленинградская область",
    "country": "Federal Democratic Republic of Nepal and the Kingdom of Bhutan, Asia",
    "instructions": "Embargoed until 06:00 GMT. " * 12,
    "job_id": "REU-2026-11-20-ELECTION-NIGHT-0042-A",
    "description_writer": "Søren Kierkegaard-Østergård Jørgensen",
    "keywords": ["politics", "an extremely long keyword about the regional election night in the city"],
}


def test_a_file_our_writer_truncates_in_iim_is_not_a_block_conflict(tmp_path: Path) -> None:
    path = wire_file(tmp_path, iptc=True)
    write_metadata(path, LONG_VALUES)
    run = run_check([path], Config(select=["MM701", "MM702"]), jobs=1)
    codes = [(finding.code, finding.field) for finding in run.report.findings]
    assert [code for code in codes if code[0] == "MM701"] == []
    # the values are still too long for IIM: that is MM702's to say, once per field
    assert {field for code, field in codes if code == "MM702"} == set(LONG_VALUES)


def _read(iim_fields: list[tuple[int, bytes | str]], xmp: str, utf8: bool = True) -> MediaRecord:
    data = jpeg(iptc=iptc_resources(iim(iim_fields, utf8=utf8), digest=True), xmp=xmp_packet(xmp))
    return read_record_bytes(data, "x.jpg")


def test_a_utf8_cut_inside_a_character_is_forgiven_for_every_limited_field() -> None:
    full = "Agence Française de Presse —é Paris"  # "é" takes bytes 32-33: the cut at 32 splits it
    encoded = full.encode("utf-8")
    cut = encoded[:32].decode("utf-8", errors="ignore")
    assert len(cut.encode("utf-8")) == 31
    record = _read([(110, cut)], f'photoshop:Credit="{full}"')
    assert record.conflicts == []
    assert record.credit_line == full and FIELD_SPECS["credit_line"].iim_limit == 32


def test_a_cp1252_iim_cut_at_its_byte_limit_is_forgiven() -> None:
    full = "Zoë Ångström-Öberg-Lindqvist Ekström"  # 36 cp1252 bytes
    record = _read([(80, full.encode("cp1252")[:32])], seq("dc:creator", full), utf8=False)
    assert record.blocks["iptc"]["_charset"] == "cp1252"
    assert record.conflicts == []


def test_a_cut_shorter_than_the_limit_or_a_different_value_is_still_a_conflict() -> None:
    full = "Reuters Pictures via The Associated Press Wire"
    assert [c.field for c in _read([(110, "Reuters Pictures")], f'photoshop:Credit="{full}"').conflicts] == [
        "credit_line"
    ]
    assert [c.field for c in _read([(110, full[:31] + "X")], f'photoshop:Credit="{full}"').conflicts] == [
        "credit_line"
    ]
    # a value that fits its dataset must be equal, not a prefix
    assert [c.field for c in _read([(90, "Jerusa")], 'photoshop:City="Jerusalem"').conflicts] == ["city"]
