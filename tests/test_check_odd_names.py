"""File names that are not UTF-8 (Latin-1 bytes from an old share; Python keeps them as surrogate-
escaped str) through ``mediameta check``: cold and warm cache, every output format. Nothing may
crash, each file gets its findings, and every output is valid UTF-8 with the odd bytes as ``\\xNN``
(as ``mediameta scan`` prints them)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mediameta.checks.engine import run_check
from mediameta.cli import main
from mediameta.config import Config

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PICTURE = os.fsdecode(b"caf\xe9.jpg")  # carries mojibake in its caption: MM703
ARTICLE = os.fsdecode(b"st\xf6ry.txt")  # prints its caption twice: MM501
CAPTION = "Customers sit at a cafe in Montmartre, Paris, France, November 20, 2026. REUTERS/Benoit Tessier"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes are POSIX")


@pytest.fixture
def odd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    folder = tmp_path / "odd"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "images" / "cafe-paris.jpg", folder / PICTURE)
    body = "The cafe opened at six and the first customers came in soon after."
    (folder / ARTICLE).write_text(f"A quiet morning\n\n{CAPTION}\n\n{body}\n\n{CAPTION}\n")
    return folder


def _check(capsys: pytest.CaptureFixture[str], fmt: str, *extra: str) -> tuple[int, str]:
    code = main(["check", "odd", "--select", "MM501,MM703,MM9", "--jobs", "1", "--format", fmt, *extra])
    captured = capsys.readouterr()
    captured.out.encode("utf-8")  # strict: a lone surrogate here is a crash on a UTF-8 stdout
    return code, captured.out


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
def test_every_format_cold_and_warm_gives_each_file_its_findings_as_valid_utf8(
    odd: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    cold = _check(capsys, fmt)
    warm = _check(capsys, fmt)  # answered from the check cache
    assert cold == warm
    code, out = cold
    assert code == 1
    picture, article = os.path.join("odd", "caf\\xe9.jpg"), os.path.join("odd", "st\\xf6ry.txt")
    if fmt == "json":
        findings = {(f["path"], f["code"]) for f in json.loads(out)["findings"]}
        assert findings == {(picture, "MM703"), (article, "MM501")}
    elif fmt == "sarif":
        (run,) = json.loads(out)["runs"]
        located = {
            (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
            for r in run["results"]
        }
        assert {code for _uri, code in located} == {"MM703", "MM501"}
        assert all("\\xe9" in uri or "\\xf6" in uri for uri, _code in located), located
    elif fmt == "junit":
        cases = {case.get("name"): case for case in ET.fromstring(out).iter("testcase")}
        assert set(cases) == {picture, article}
        assert all(case.find("failure") is not None for case in cases.values())
    else:
        assert "MM901" not in out and "MM999" not in out
        assert f"{picture}:description: MM703" in out or f"file={picture}" in out
        assert f"{article}:7:1: MM501" in out or f"file={article},line=7" in out


def test_output_file_is_valid_utf8(odd: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, _ = _check(capsys, "json", "--no-cache", "--output", str(report))
    assert code == 1
    document = json.loads(report.read_bytes().decode("utf-8"))
    assert {f["path"] for f in document["findings"]} == {
        os.path.join("odd", "caf\\xe9.jpg"),
        os.path.join("odd", "st\\xf6ry.txt"),
    }


def test_in_process_callers_keep_the_real_names(odd: Path) -> None:
    run = run_check([Path("odd")], Config(select=["MM501", "MM703", "MM9"]), jobs=1)
    assert {os.path.basename(path) for path in run.report.files} == {PICTURE, ARTICLE}
    assert {(os.path.basename(f.path), f.code) for f in run.report.findings} == {
        (PICTURE, "MM703"),
        (ARTICLE, "MM501"),
    }
