"""The writer's behaviour on small generated files: blocks kept in step, limits, refusals, dry-run, sidecars."""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from write_helpers import WIRE_IPTC, encode, read_blocks, wire_file, with_metadata

from mediameta.media.read import read_record
from mediameta.media.write import (
    FileStamp,
    WriteOptions,
    WriteRefused,
    plan_write,
    remove_stale_temp_files,
    sidecar_path_for,
    write_many,
    write_metadata,
)
from mediameta.media.write_imagedata import image_data

EDIT = {
    "description": "Palestinians walk past the Damascus Gate in Jerusalem's Old City, March 5, 2024.",
    "credit_line": "REUTERS/Ammar Awad",
    "creators": ["Ammar Awad"],
}
FORMATS = [("JPEG", "wire.jpg"), ("TIFF", "wire.tif"), ("PNG", "wire.png"), ("WEBP", "wire.webp")]


@pytest.mark.parametrize(("fmt", "name"), FORMATS)
def test_write_puts_the_edit_in_every_block_and_keeps_the_image_data(
    tmp_path: Path, fmt: str, name: str
) -> None:
    path = wire_file(tmp_path, name, fmt)
    before = path.read_bytes()

    result = write_metadata(path, EDIT)

    after = path.read_bytes()
    assert image_data(after, fmt) == image_data(before, fmt)
    exif, iptc, xmp = read_blocks(path)
    assert xmp["Xmp.dc.description"]['lang="x-default"'] == EDIT["description"]
    assert xmp["Xmp.photoshop.Credit"] == EDIT["credit_line"]
    assert xmp["Xmp.dc.creator"] == ["Ammar Awad"]
    assert exif["Exif.Image.ImageDescription"] == EDIT["description"]
    assert exif["Exif.Image.Artist"] == "Ammar Awad"
    if fmt in ("JPEG", "TIFF"):  # the files that had IIM get IIM
        assert iptc["Iptc.Application2.Caption"] == EDIT["description"]
        assert iptc["Iptc.Application2.Credit"] == EDIT["credit_line"]
        assert iptc["Iptc.Application2.Byline"] == ["Ammar Awad"]
        assert iptc["Iptc.Envelope.CharacterSet"] == "\x1b%G"
    else:
        assert iptc == {}
    # untouched values stay
    assert exif["Exif.Image.Make"] == "Canon"
    assert exif["Exif.Photo.ExposureTime"] == "1/250"
    assert xmp["Xmp.xmp.Rating"] == "3"
    assert xmp["Xmp.photoshop.City"] == "Jerusalem"
    record = read_record(path)
    assert record.description == EDIT["description"]
    assert record.credit_line == EDIT["credit_line"]
    assert record.creators == ["Ammar Awad"]
    assert record.city == "Jerusalem"
    assert not record.conflicts, record.conflicts
    assert result.written_to == path.resolve()
    assert {change.block for change in result.changes} >= {"xmp", "exif"}


def test_other_iim_datasets_keep_their_bytes(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    write_metadata(path, {"headline": "New headline"})
    _, iptc, _ = read_blocks(path)
    for key in ("Iptc.Application2.Urgency", "Iptc.Application2.SuppCategory", "Iptc.Application2.Keywords"):
        assert iptc[key] == (WIRE_IPTC[key] if key != "Iptc.Application2.Urgency" else "5")
    assert iptc["Iptc.Application2.Headline"] == "New headline"


def test_langalt_keeps_other_languages(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    write_metadata(path, {"title": "Damascus Gate"})
    _, _, xmp = read_blocks(path)
    assert xmp["Xmp.dc.title"] == {'lang="x-default"': "Damascus Gate", 'lang="de-DE"': "Markt"}


def test_iim_over_its_limit_is_truncated_on_a_character_boundary_and_reported(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    long_byline = "Émilie Ångström-Øverlîe of the Agence Française"  # > 32 bytes in UTF-8
    caption = "é" * 1500  # 3000 bytes in UTF-8, over the 2000-byte Caption-Abstract limit
    result = write_metadata(path, {"creators": [long_byline], "description": caption})
    _, iptc, xmp = read_blocks(path)
    cut = iptc["Iptc.Application2.Byline"][0]
    assert len(cut.encode()) <= 32 and long_byline.startswith(cut) and len(cut) > 20
    assert iptc["Iptc.Application2.Caption"] == "é" * 1000  # 2000 bytes exactly, no half character
    assert xmp["Xmp.dc.creator"] == [long_byline]  # XMP holds it all
    assert xmp["Xmp.dc.description"]['lang="x-default"'] == caption
    notes = [change.note for change in result.changes if change.note]
    assert any("By-line" in note and "32 bytes" in note for note in notes)
    assert any("Caption-Abstract" in note for note in result.warnings)


def test_iim_is_not_added_to_a_file_without_it_unless_asked(tmp_path: Path) -> None:
    path = wire_file(tmp_path, iptc=False)
    write_metadata(path, {"credit_line": "AP"})
    assert read_blocks(path)[1] == {}
    write_metadata(path, {"credit_line": "AFP"}, config=WriteOptions(iim="always"))
    iptc = read_blocks(path)[1]
    assert iptc["Iptc.Application2.Credit"] == "AFP"
    assert iptc["Iptc.Envelope.CharacterSet"] == "\x1b%G"


def test_legacy_latin1_iim_is_reencoded_when_the_utf8_marker_is_added(tmp_path: Path) -> None:
    # A wire picture from an old system: IIM in Latin-1, no 1:90.
    data = with_metadata(encode("JPEG"), xmp={"Xmp.xmp.Rating": "1"})
    iim = b"\x1c\x02\x00\x00\x02\x00\x04" + b"\x1c\x02\x5a\x00\x06" + "Zürich".encode("latin-1")
    iim += b"\x1c\x02\x78\x00\x05Hello"
    resource = b"8BIM\x04\x04\x00\x00" + len(iim).to_bytes(4, "big") + iim + b"\x00" * (len(iim) & 1)
    segment = b"Photoshop 3.0\x00" + resource
    data = data[:2] + b"\xff\xed" + (len(segment) + 2).to_bytes(2, "big") + segment + data[2:]
    path = tmp_path / "legacy.jpg"
    path.write_bytes(data)

    result = write_metadata(path, {"description": "Neue Überschrift"})

    _, iptc, _ = read_blocks(path)
    assert iptc["Iptc.Application2.City"] == "Zürich"
    assert iptc["Iptc.Application2.Caption"] == "Neue Überschrift"
    assert iptc["Iptc.Envelope.CharacterSet"] == "\x1b%G"
    assert any("re-encoded" in warning for warning in result.warnings)


def test_dates_go_to_xmp_and_iim(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    write_metadata(path, {"date_created": "2024-03-05T10:11:12+02:00"})
    _, iptc, xmp = read_blocks(path)
    assert xmp["Xmp.photoshop.DateCreated"] == "2024-03-05T10:11:12+02:00"
    assert iptc["Iptc.Application2.DateCreated"] == "2024-03-05"
    assert iptc["Iptc.Application2.TimeCreated"] == "10:11:12+02:00"
    result = write_metadata(path, {"date_created": "2024-03"})  # IIM cannot hold a partial date
    _, iptc, xmp = read_blocks(path)
    assert xmp["Xmp.photoshop.DateCreated"] == "2024-03"
    assert "Iptc.Application2.DateCreated" not in iptc and "Iptc.Application2.TimeCreated" not in iptc
    assert any("full date" in warning for warning in result.warnings)


def test_none_removes_a_field_from_every_block(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    write_metadata(path, {"description": None, "creators": None})
    exif, iptc, xmp = read_blocks(path)
    assert "Xmp.dc.description" not in xmp and "Xmp.dc.creator" not in xmp
    assert "Iptc.Application2.Caption" not in iptc and "Iptc.Application2.Byline" not in iptc
    assert "Exif.Image.ImageDescription" not in exif
    assert exif["Exif.Image.Make"] == "Canon"


def test_photoshop_iptc_digest_matches_after_writing(tmp_path: Path) -> None:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool is not installed")
    path = wire_file(tmp_path)
    write_metadata(path, EDIT)
    out = subprocess.run(
        [exiftool, "-a", "-G1", "-s", "-IPTCDigest", "-CurrentIPTCDigest", "-Warning", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = {}
    for line in out.strip().splitlines():
        key, _, value = line.partition(":")
        values[key.split()[-1]] = value.strip()
    assert values["IPTCDigest"] == values["CurrentIPTCDigest"]
    assert "not current" not in out


def test_plan_is_a_field_by_field_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    plan = plan_write(path, {"credit_line": "REUTERS", "city": "Jerusalem"})
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    by_block = {(change.block, change.field): (change.old, change.new) for change in plan.changes}
    assert by_block[("xmp", "credit_line")] == ("OLD AGENCY", "REUTERS")
    assert by_block[("iptc", "credit_line")] == ("OLD AGENCY", "REUTERS")
    assert ("xmp", "city") not in by_block and ("iptc", "city") not in by_block  # already right


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    result = write_metadata(path, EDIT, dry_run=True, backup=True)
    assert result.dry_run and result.changes
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wire.jpg"]


def test_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    stamp = FileStamp.of(path)
    write_metadata(path, {"headline": "Someone else's edit"})  # another desk saved first
    changed = path.read_bytes()
    with pytest.raises(WriteRefused) as refused:
        write_metadata(path, EDIT, expected=stamp)
    assert refused.value.reason == "changed"
    assert "changed on disk" in str(refused.value)
    assert path.read_bytes() == changed


def test_refuses_a_same_size_same_mtime_content_change(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    stamp = FileStamp.of(path)
    data = bytearray(path.read_bytes())
    index = data.index(b"Old caption")
    data[index] = ord("X")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stamp.mtime_ns, stamp.mtime_ns))
    with pytest.raises(WriteRefused, match="content"):
        write_metadata(path, EDIT, expected=stamp)


def test_accepts_a_matching_stamp(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    result = write_metadata(path, EDIT, expected=FileStamp.of(path))
    assert result.changes


def test_nothing_to_change_leaves_the_file_alone(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    write_metadata(path, EDIT)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    result = write_metadata(path, EDIT)
    assert result.changes == []
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_permissions_are_kept_and_backup_holds_the_old_bytes(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    path.chmod(0o640)
    before = path.read_bytes()
    result = write_metadata(path, EDIT, backup=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert result.backup == path.with_name("wire.jpg.bak").resolve()
    assert result.backup.read_bytes() == before
    # a second backup keeps the oldest version
    write_metadata(path, {"headline": "again"}, backup=True)
    assert result.backup.read_bytes() == before


def test_symlink_target_is_written_and_the_link_kept(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    link = tmp_path / "link.jpg"
    link.symlink_to(path)
    write_metadata(link, EDIT)
    assert link.is_symlink()
    assert read_blocks(path)[2]["Xmp.photoshop.Credit"] == EDIT["credit_line"]


def test_sidecar_is_created_then_merged(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    image_before = path.read_bytes()
    result = write_metadata(path, {"credit_line": "AP"}, sidecar=True)
    sidecar = tmp_path / "wire.xmp"
    assert result.written_to == sidecar.resolve()
    assert path.read_bytes() == image_before
    # another tool's property in the sidecar survives our next edit
    text = sidecar.read_text()
    assert "AP" in text
    result = write_metadata(path, {"description": "Caption", "keywords": ["a", "b"]}, sidecar=True)
    record = read_record(path)
    assert record.credit_line == "AP" or record.blocks.get("sidecar", {}).get("credit_line") == "AP"
    assert record.blocks["sidecar"]["description"] == "Caption"
    assert {change.block for change in result.changes} == {"sidecar"}


def test_existing_sidecar_keeps_foreign_properties(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    sidecar = tmp_path / "wire.jpg.xmp"
    sidecar.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4" '
        'xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" crs:Exposure2012="+0.50"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    assert sidecar_path_for(path) == sidecar
    write_metadata(path, {"credit_line": "AFP"}, sidecar=True)
    text = sidecar.read_text()
    assert 'Rating="4"' in text and "Exposure2012" in text and "AFP" in text


def test_raw_files_always_get_a_sidecar(tmp_path: Path) -> None:
    raw = tmp_path / "IMG_0001.CR2"
    raw.write_bytes(b"not really a raw file, and never opened")
    result = write_metadata(raw, {"credit_line": "Staff"})
    assert result.written_to == (tmp_path / "IMG_0001.xmp").resolve()
    assert raw.read_bytes() == b"not really a raw file, and never opened"
    assert any("RAW" in warning for warning in result.warnings)


def test_unsupported_format_is_refused_with_a_sidecar_hint(tmp_path: Path) -> None:
    gif = tmp_path / "anim.gif"
    encode_gif = encode("GIF")
    gif.write_bytes(encode_gif)
    with pytest.raises(WriteRefused) as refused:
        write_metadata(gif, EDIT)
    assert refused.value.reason == "format" and "--sidecar" in str(refused.value)
    assert gif.read_bytes() == encode_gif
    assert write_metadata(gif, EDIT, sidecar=True).written_to.suffix == ".xmp"


def test_damaged_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    data = path.read_bytes()
    second_segment = 4 + int.from_bytes(data[4:6], "big")  # right after the first APP segment
    broken = data[:second_segment] + b"\x00" * 8 + data[second_segment + 8 :]  # trample the chain
    path.write_bytes(broken)
    with pytest.raises(WriteRefused) as refused:
        write_metadata(path, EDIT)
    assert refused.value.reason in ("damaged", "format")
    assert path.read_bytes() == broken


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "not a writable field"),
        ({"date_created": "5 March 2024"}, "ISO 8601"),
        ({"date_created": "2024-13-01"}, "month"),
        ({"headline": ["a", "b"]}, "expected a string"),
        ({"description": "a\x00b"}, "control character"),
    ],
)
def test_bad_changes_are_refused(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    path = wire_file(tmp_path)
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match=message) as refused:
        write_metadata(path, changes)  # type: ignore[arg-type]
    assert refused.value.reason == "invalid"
    assert path.read_bytes() == before


def test_stale_temp_files_are_cleaned_but_fresh_ones_kept(tmp_path: Path) -> None:
    path = wire_file(tmp_path)
    stale = tmp_path / ".wire.jpg.mediameta-deadbeef0001.tmp"
    fresh = tmp_path / ".wire.jpg.mediameta-deadbeef0002.tmp"
    other = tmp_path / ".other.jpg.mediameta-deadbeef0003.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert remove_stale_temp_files(path) == [stale]
    assert fresh.exists() and other.exists() and not stale.exists()
    write_metadata(path, EDIT)
    assert fresh.exists()  # a writer working right now keeps its file


def test_refuses_when_the_file_changes_while_the_write_is_being_prepared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program rewrites the file (even restoring size and mtime) after we read it: no replace."""
    import mediameta.media.write as write_module

    path = wire_file(tmp_path)
    original_stat = path.stat()
    real_apply = write_module._apply_embedded

    def apply_then_someone_else_writes(prepared: object) -> object:
        parts = real_apply(prepared)  # type: ignore[arg-type]
        data = bytearray(path.read_bytes())
        data[data.index(b"Old caption")] = ord("X")
        path.write_bytes(bytes(data))
        os.utime(path, ns=(original_stat.st_atime_ns, original_stat.st_mtime_ns))
        return parts

    monkeypatch.setattr(write_module, "_apply_embedded", apply_then_someone_else_writes)
    with pytest.raises(WriteRefused) as refused:
        write_metadata(path, EDIT)
    assert refused.value.reason == "changed"
    assert b"Xld caption" in path.read_bytes()  # the other program's version stays
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@functools.cache
def _wire_bytes() -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="mm-write-prop-"))
    try:
        return wire_file(folder).read_bytes()
    finally:
        shutil.rmtree(folder)


hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
    min_size=1,
    max_size=2500,
).filter(lambda text: text.strip() == text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    description=hostile_text,
    creators=st.lists(hostile_text.filter(lambda t: len(t) < 80), min_size=1, max_size=4),
)
def test_any_text_round_trips_through_xmp_and_fits_iim(
    tmp_path: Path, description: str, creators: list[str]
) -> None:
    path = tmp_path / "prop.jpg"
    path.write_bytes(_wire_bytes())
    write_metadata(path, {"description": description, "creators": creators})
    exif, iptc, xmp = read_blocks(path)
    assert xmp["Xmp.dc.description"]['lang="x-default"'] == description
    assert xmp["Xmp.dc.creator"] == creators
    caption = iptc["Iptc.Application2.Caption"]
    assert description.startswith(caption) and len(caption.encode()) <= 2000
    assert len(caption.encode()) > 2000 - 4 or caption == description
    assert [len(b.encode()) <= 32 for b in iptc["Iptc.Application2.Byline"]] == [True] * len(creators)
    assert exif["Exif.Image.ImageDescription"] == description
    assert image_data(path.read_bytes(), "JPEG") == image_data(_wire_bytes(), "JPEG")


def test_write_many_keeps_order_and_isolates_refusals(tmp_path: Path) -> None:
    paths = [wire_file(tmp_path, f"p{index}.jpg") for index in range(8)]
    missing = tmp_path / "missing.jpg"
    jobs = [(path, {"headline": f"headline {index}"}) for index, path in enumerate(paths)]
    jobs.insert(3, (missing, {"headline": "x"}))
    outcomes = list(write_many(jobs, workers=4))
    assert [path for path, _ in outcomes] == [path for path, _ in jobs]
    refused = [outcome for _, outcome in outcomes if isinstance(outcome, WriteRefused)]
    assert len(refused) == 1 and refused[0].reason == "io"
    for index, path in enumerate(paths):
        assert read_blocks(path)[2]["Xmp.photoshop.Headline"] == f"headline {index}"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
