"""The writer on real third-party files (../shared/corpus): edits land, nothing else changes.

Every image is copied and given a caption/credit/creator edit. A file exiv2 or we refuse must be left
byte-identical (a clean refusal); a written file must keep its compressed image data byte for byte,
keep every other value our reader sees in each block, and — checked with exiftool when installed —
keep every other tag exiftool reports, minus the tags that only say where things are in the file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mediameta.media.read import read_record
from mediameta.media.write import WriteRefused, write_metadata
from mediameta.media.write_imagedata import image_data

pytestmark = pytest.mark.corpus

EDIT = {
    "description": "Änderung: a corrected caption, FILE PHOTO",
    "credit_line": "REUTERS/Jane Doe",
    "creators": ["Jane Doe"],
}
EDITED_FIELDS = set(EDIT)
# exiftool tags that name what we edit, in any group
EDITED_TAGS = {
    "Description",
    "Caption-Abstract",
    "ImageDescription",
    "Credit",
    "By-line",
    "Creator",
    "Artist",
}
# Tags derived from where things sit in the file, or that a write legitimately updates.
DERIVED_TAGS = {
    "IPTCDigest",  # updated to match the new IIM
    "CurrentIPTCDigest",
    "CodedCharacterSet",  # 1:90 set to UTF-8 with the IIM edit
    "XMPToolkit",  # exiv2 re-serialises the XMP packet
    "ThumbnailOffset",
    "StripOffsets",
    "PreviewImageStart",
    "MPImageStart",
    "WebP_Flags",  # the XMP flag of an extended WebP
}
# exiv2's XMP toolkit moves a legacy rdf:about UUID into xmpMM:InstanceID (same value).
XMP_MIGRATIONS = {"XMP-rdf:About", "XMP-xmpMM:InstanceID"}
IGNORED_GROUPS = {"System", "ExifTool", "Composite", "File"}
WRITABLE_SUFFIXES = {".jpg", ".jpeg", ".jps", ".tif", ".tiff", ".png", ".webp"}
FORMAT_BY_SUFFIX = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jps": "JPEG",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".png": "PNG",
    ".webp": "WEBP",
}


def _corpus_images(corpus_dir: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (corpus_dir / "images_truth.jsonl").read_text().splitlines() if line]
    return [row for row in rows if Path(row["file"]).suffix.lower() in WRITABLE_SUFFIXES]


@pytest.fixture(scope="module")
def written(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Copies of every writable-format corpus image: ``before/`` untouched, ``after/`` edited."""
    base = tmp_path_factory.mktemp("corpus_write")
    before_dir, after_dir = base / "before", base / "after"
    before_dir.mkdir()
    after_dir.mkdir()
    ok: list[str] = []
    refused: dict[str, str] = {}
    problems: list[str] = []
    for index, row in enumerate(_corpus_images(corpus_dir)):
        source = corpus_dir / "images" / row["file"]
        name = f"{index:03d}{source.suffix}"
        shutil.copyfile(source, before_dir / name)
        shutil.copyfile(source, after_dir / name)
        original = source.read_bytes()
        try:
            write_metadata(after_dir / name, EDIT)
        except WriteRefused as exc:
            refused[row["file"]] = f"{exc.reason}: {exc}"
            if (after_dir / name).read_bytes() != original:
                problems.append(f"{row['file']}: refused but changed")
            if exc.reason not in ("damaged", "format"):
                problems.append(f"{row['file']}: unexpected refusal {exc.reason}: {exc}")
            continue
        except Exception as exc:  # the writer must never raise anything else
            problems.append(f"{row['file']}: raised {type(exc).__name__}: {exc}")
            continue
        ok.append(name)
    leftovers = [p.name for p in after_dir.iterdir() if p.name.startswith(".")]
    return {
        "before": before_dir,
        "after": after_dir,
        "ok": ok,
        "refused": refused,
        "problems": problems,
        "leftovers": leftovers,
    }


def test_every_file_is_written_or_cleanly_refused(written: dict[str, Any]) -> None:
    assert written["problems"] == []
    assert written["leftovers"] == []
    print(f"\nwritten: {len(written['ok'])}, refused: {len(written['refused'])}")
    for name, why in sorted(written["refused"].items()):
        print(f"  refused {name}: {why[:140]}")
    # the reference images with real metadata are all writable; only damaged ones are refused
    assert len(written["ok"]) >= 90
    for name, why in written["refused"].items():
        assert "/Tests/images/" in name or "panorama360" in name, f"{name} refused: {why}"


def test_compressed_image_data_is_byte_identical(written: dict[str, Any]) -> None:
    for name in written["ok"]:
        fmt = FORMAT_BY_SUFFIX[Path(name).suffix.lower()]
        before = (written["before"] / name).read_bytes()
        after = (written["after"] / name).read_bytes()
        assert image_data(after, fmt) == image_data(before, fmt), name


def test_our_reader_sees_the_edit_and_every_other_value_unchanged(written: dict[str, Any]) -> None:
    misses: list[str] = []
    for name in written["ok"]:
        before = read_record(written["before"] / name)
        after = read_record(written["after"] / name)
        if after.description != EDIT["description"] or after.credit_line != EDIT["credit_line"]:
            misses.append(f"{name}: edit not read back ({after.description!r}, {after.credit_line!r})")
        if after.creators != EDIT["creators"]:
            misses.append(f"{name}: creators {after.creators!r}")
        for block in ("exif", "iptc", "xmp"):
            old_values = before.blocks.get(block, {})
            new_values = after.blocks.get(block, {})
            for field, value in old_values.items():
                if field in EDITED_FIELDS or field.startswith("_"):
                    continue
                if new_values.get(field) != value:
                    misses.append(f"{name}: {block}.{field} {value!r} -> {new_values.get(field)!r}")
        new_errors = {e.message for e in after.errors} - {e.message for e in before.errors}
        if new_errors:
            misses.append(f"{name}: new read errors {sorted(new_errors)}")
    assert misses == [], "\n".join(misses)


def _exiftool(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    exiftool = shutil.which("exiftool")
    assert exiftool is not None
    out = subprocess.run(
        [exiftool, "-j", "-G1", "-a", "-n", *[str(folder / name) for name in names]],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {Path(entry["SourceFile"]).name: entry for entry in json.loads(out)}


def test_exiftool_sees_every_other_tag_unchanged_and_no_new_warnings(written: dict[str, Any]) -> None:
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    before = _exiftool(written["before"], written["ok"])
    after = _exiftool(written["after"], written["ok"])
    misses: list[str] = []
    for name in written["ok"]:
        old, new = before[name], after[name]
        for key in set(old) | set(new):
            group, _, tag = key.partition(":")
            if key == "SourceFile" or group in IGNORED_GROUPS or key in XMP_MIGRATIONS:
                continue
            if tag in EDITED_TAGS or tag in DERIVED_TAGS:
                continue
            if old.get(key) != new.get(key):
                misses.append(f"{name}: {key}: {str(old.get(key))[:60]!r} -> {str(new.get(key))[:60]!r}")
        old_warnings = {v for k, v in old.items() if k.endswith(":Warning")}
        new_warnings = {v for k, v in new.items() if k.endswith(":Warning")} - old_warnings
        if new_warnings:
            misses.append(f"{name}: new exiftool warnings {sorted(new_warnings)}")
        if "not current" in str(new.get("ExifTool:Warning", "")):
            misses.append(f"{name}: IPTCDigest not current")
        if new.get("XMP-dc:Description") != EDIT["description"]:
            misses.append(f"{name}: XMP-dc:Description = {new.get('XMP-dc:Description')!r}")
        if new.get("XMP-photoshop:Credit") != EDIT["credit_line"]:
            misses.append(f"{name}: XMP-photoshop:Credit = {new.get('XMP-photoshop:Credit')!r}")
    assert misses == [], "\n".join(misses)


def test_non_image_formats_are_refused_or_sidecarred_never_broken(corpus_dir: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (corpus_dir / "images_truth.jsonl").read_text().splitlines() if line]
    for index, row in enumerate(rows):
        source = corpus_dir / "images" / row["file"]
        if source.suffix.lower() in WRITABLE_SUFFIXES or source.suffix.lower() in {".json", ".xml", ".xmp"}:
            continue
        target = tmp_path / f"{index:03d}{source.suffix}"
        shutil.copyfile(source, target)
        original = target.read_bytes()
        try:
            result = write_metadata(target, EDIT)
        except WriteRefused as exc:
            assert exc.reason in ("format", "damaged"), (row["file"], str(exc))
            result = write_metadata(target, EDIT, sidecar=True)
        assert target.read_bytes() == original, row["file"]
        assert result.written_to.suffix == ".xmp"
        assert read_record(target).blocks.get("sidecar", {}).get("credit_line") == EDIT["credit_line"], row[
            "file"
        ]


def test_head_only_and_whole_file_jpeg_paths_write_the_same_bytes(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big JPEGs are written from their head with the scan copied by the kernel; small ones are read
    whole. Both paths must give the same file, byte for byte (checked on every corpus JPEG)."""
    import mediameta.media.write as write_module
    from mediameta.media.write_imagedata import ImageDataError, jpeg_segments

    compared = 0
    for index, row in enumerate(_corpus_images(corpus_dir)):
        source = corpus_dir / "images" / row["file"]
        data = source.read_bytes()
        if data[:2] != b"\xff\xd8" or data[-12:-9] == b"AXS":
            continue
        try:
            _, sos = jpeg_segments(data)
        except ImageDataError:
            continue
        if sos + 16 >= len(data):
            continue
        outputs: list[bytes | str] = []
        for label, head_read in (("whole", len(data) + 1), ("head", sos + 16)):
            target = tmp_path / f"{index:03d}-{label}{source.suffix}"
            target.write_bytes(data)
            monkeypatch.setattr(write_module, "_HEAD_READ", head_read)
            try:
                write_metadata(target, EDIT)
            except WriteRefused as exc:
                outputs.append(f"refused {exc.reason}")
                continue
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1], row["file"]
        compared += 1
    assert compared >= 60
