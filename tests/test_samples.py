"""The demo newsroom: `mediameta check samples/` finds every planted problem and nothing else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mediameta.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

PLANTED = sorted(
    [
        ("articles/election-night.html", 16, "MM204"),
        ("articles/election-night.html", 24, "MM401"),
        ("articles/election-night.html", 31, "MM502"),
        ("articles/election-night.html", 36, "MM603"),
        ("articles/flood-relief.md", 19, "MM201"),
        ("articles/flood-relief.md", 25, "MM303"),
        ("articles/flood-relief.md", 30, "MM102"),
        ("articles/flood-relief.md", 36, "MM305"),
        ("articles/jpost-trump-putin.txt", 6, "MM501"),
        ("articles/jpost-trump-putin.txt", 18, "MM501"),
        ("images/cafe-paris.jpg", None, "MM703"),
        ("images/damaged-upload.jpg", None, "MM901"),
        ("images/damaged-upload.jpg", None, "MM902"),
        ("images/harbour-dawn.jpg", None, "MM101"),
        ("images/kursk-handout.jpg", None, "MM503"),
        ("images/market-jerusalem.jpg", None, "MM701"),
        ("images/stadium-flares.jpg", None, "MM702"),
    ],
    key=repr,
)


def test_check_samples_finds_exactly_the_planted_problems(tmp_path: Path, capsys: object) -> None:
    # A copy, so the check's cache never lands in the repository and the files stay untouched.
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".mediameta"))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out = tmp_path / "report.json"
    code = main(["check", str(root), "--format", "json", "--output", str(out), "--no-cache"])
    assert code == 1
    report = json.loads(out.read_text())
    found = sorted(
        (
            (Path(f["path"]).resolve().relative_to(root.resolve()).as_posix(), f["line"], f["code"])
            for f in report["findings"]
        ),
        key=repr,
    )
    assert found == PLANTED
    assert {p: p.read_bytes() for p in before} == before, "checking modified a file"


def test_samples_readme_lists_every_planted_code() -> None:
    readme = (SAMPLES / "README.md").read_text()
    for _path, _line, code in PLANTED:
        assert code in readme
