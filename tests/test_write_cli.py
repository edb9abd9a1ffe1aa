"""``mediameta write``, ``apply`` and ``fix``: output contract, exit codes, all-or-nothing per file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from write_helpers import encode, read_blocks, wire_file, with_metadata

from mediameta.cli import main

GOLDEN = Path(__file__).parent / "golden"
DRY_RUN_GOLDEN = (GOLDEN / "write_dry_run.txt").read_text(encoding="utf-8")

WRITE_ARGS = [
    "--description",
    "Damascus Gate, Jerusalem",
    "--creator",
    "Ammar Awad",
    "--creator",
    "Jane Doe",
    "--credit-line",
    "REUTERS/Ammar Awad",
]


def test_write_dry_run_prints_the_diff_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = wire_file(tmp_path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    monkeypatch.chdir(tmp_path)
    assert main(["write", "wire.jpg", *WRITE_ARGS, "--dry-run"]) == 0
    assert capsys.readouterr().out == DRY_RUN_GOLDEN
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_write_writes_and_a_second_run_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wire_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["write", "wire.jpg", *WRITE_ARGS]) == 0
    assert capsys.readouterr().out == DRY_RUN_GOLDEN.replace("dry run, nothing written", "written")
    assert main(["write", "wire.jpg", *WRITE_ARGS]) == 0
    assert capsys.readouterr().out == "wire.jpg: 0 changes (unchanged)\n"
    iptc = read_blocks(tmp_path / "wire.jpg")[1]
    assert iptc["Iptc.Application2.Byline"] == ["Ammar Awad", "Jane Doe"]


def test_write_falls_back_to_a_sidecar_for_unsupported_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "anim.gif").write_bytes(encode("GIF"))
    monkeypatch.chdir(tmp_path)
    assert main(["write", "anim.gif", "--credit-line", "AP"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("anim.gif: 1 change (written) -> anim.xmp\n")
    assert "sidecar anim.xmp instead" in captured.err
    assert (tmp_path / "anim.xmp").exists()


def test_write_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wire_file(tmp_path)
    assert main(["write", str(path)]) == 2
    assert "nothing to write" in capsys.readouterr().err
    assert main(["write", str(path), "--date-created", "yesterday"]) == 2
    assert "ISO 8601" in capsys.readouterr().err


def test_write_refusal_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["write", str(tmp_path / "missing.jpg"), "--credit-line", "AP"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_apply_csv_all_or_nothing_per_file_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    wire_file(photos, "a.jpg")
    wire_file(photos, "b.png", "PNG")
    damaged = photos / "c.jpg"
    damaged.write_bytes(b"\xff\xd8\xff\xe1\xff\xff broken")
    wire_file(photos, "d.jpg")
    manifest = tmp_path / "edits.csv"
    manifest.write_text(
        "file,description,credit_line,creators,keywords\n"
        'photos/a.jpg,"Caption A, Jerusalem",REUTERS/Ammar Awad,Ammar Awad,gate;old city\n'
        "photos/b.png,Caption B,AFP,Jane Doe;John Roe,\n"
        "photos/c.jpg,Caption C,AP,,\n"
        "photos/d.jpg,,,,\n"
    )
    assert main(["apply", str(manifest)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "2 written, 1 refused, 1 unchanged"
    assert "edits.csv:4" in captured.err
    _, iptc, xmp = read_blocks(photos / "a.jpg")
    assert iptc["Iptc.Application2.Keywords"] == ["gate", "old city"]
    assert xmp["Xmp.dc.subject"] == ["gate", "old city"]
    assert read_blocks(photos / "b.png")[2]["Xmp.dc.creator"] == ["Jane Doe", "John Roe"]
    assert damaged.read_bytes() == b"\xff\xd8\xff\xe1\xff\xff broken"


def test_apply_json_null_removes_a_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wire_file(tmp_path, "a.jpg")
    manifest = tmp_path / "edits.json"
    manifest.write_text(json.dumps([{"file": "a.jpg", "credit_line": None, "keywords": ["x", "y"]}]))
    assert main(["apply", str(manifest), "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 would be written, 0 refused, 0 unchanged"
    assert main(["apply", str(manifest)]) == 0
    _, iptc, xmp = read_blocks(tmp_path / "a.jpg")
    assert "Xmp.photoshop.Credit" not in xmp and "Iptc.Application2.Credit" not in iptc
    assert xmp["Xmp.dc.subject"] == ["x", "y"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.csv", "path,description\na.jpg,x\n", "'file' column"),
        ("m.csv", "file,colour\na.jpg,red\n", "unknown column 'colour'"),
        ("m.json", '{"file": "a.jpg"}', "JSON list"),
        ("m.json", '[{"file": "a.jpg", "headline": ["a"]}]', "must be a string"),
        ("m.json", '[{"file": "a.jpg"}, {"file": "./a.jpg"}]', "already in the manifest"),
        ("m.txt", "a.jpg", ".csv or a .json"),
    ],
)
def test_apply_rejects_bad_manifests_before_writing_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, message: str
) -> None:
    path = wire_file(tmp_path, "a.jpg")
    before = path.read_bytes()
    (tmp_path / name).write_text(content)
    assert main(["apply", str(tmp_path / name)]) == 2
    assert message in capsys.readouterr().err
    assert path.read_bytes() == before


def test_fix_applies_image_and_article_caption_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    garbled = "People walk in ZÃ¼rich on Monday. REUTERS/Jane Doe"
    (tmp_path / "moji.jpg").write_bytes(
        with_metadata(
            encode("JPEG", seed=3),
            xmp={"Xmp.photoshop.City": "ZÃ¼rich", "Xmp.dc.description": {'lang="x-default"': garbled}},
        )
    )
    article = tmp_path / "story.md"
    article.write_text(
        "# Story\n\nSome text.\n\nCrowds in ZÃ¼rich, March 3, 2025. (photo credit: REUTERS/JANE DOE)\n"
    )
    monkeypatch.chdir(tmp_path)

    assert main(["fix", ".", "--select", "MM703", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "moji.jpg: 3 changes (dry run, nothing written)" in dry
    assert "story.md: 1 caption fix (dry run, nothing written)" in dry
    assert "ZÃ¼rich" in article.read_text()

    assert main(["fix", ".", "--select", "MM703"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "2 files fixed, 0 refused, 0 fixes skipped"
    assert read_blocks(tmp_path / "moji.jpg")[2]["Xmp.photoshop.City"] == "Zürich"
    assert "Crowds in Zürich, March 3, 2025." in article.read_text()
    assert main(["check", ".", "--select", "MM703", "--format", "text"]) == 0
