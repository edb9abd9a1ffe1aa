"""``mediameta parse``: input forms, output formats and the JSON contract (golden files, byte for byte).

Regenerate the golden files after an intended change of output with
``MEDIAMETA_UPDATE_GOLDEN=1 pytest tests/test_parse_cli.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from mediameta.cli import main

GOLDEN = Path(__file__).parent / "golden"

# Written for this test in the house styles the parser reads; one line each.
CAPTIONS = [
    {
        "id": "jpost",
        "text": "A man votes in Haifa, Israel, March 3, 2025. (photo credit: REUTERS/AMIR COHEN/FILE PHOTO)",
    },
    {
        "id": "ap",
        "text": "The senator speaks on Capitol Hill, Tuesday, Feb. 6, 2024, in Washington. (AP Photo/J. Scott Applewhite)",
    },
    {
        "id": "getty",
        "text": "MIAMI, FL - JULY 14: Fans watch the match on July 14, 2024 in Miami, Florida. (Photo by Megan Briggs/Getty Images)",
    },
    {
        "id": "dpa",
        "text": "Die Kanzlerin spricht am 3. März 2025 im Bundestag in Berlin. Foto: Kay Nietfeld/dpa",
    },
    {
        "id": "nyt",
        "text": "Voters line up outside a school in Atlanta on Tuesday. Nicole Craine for The New York Times",
    },
    {"id": "credit-only", "text": "Andrew Harnik/Shutterstock"},
    {"id": "no-credit", "text": "Reuters reported on Monday that the company will cut 2,000 jobs."},
    {
        "id": 7,
        "text": "FILE - A container ship in Oakland, Calif., Sept. 22, 2018. (AP Photo/Ben Margot, File)",
    },
]


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["parse", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MEDIAMETA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden {path}: run with MEDIAMETA_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"output differs from {path} (MEDIAMETA_UPDATE_GOLDEN=1 to accept)"


@pytest.fixture
def jsonl_input(tmp_path: Path) -> Path:
    path = tmp_path / "captions.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CAPTIONS), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "golden"), [("jsonl", "parse_captions.jsonl"), ("json", "parse_captions.json")]
)
def test_output_matches_golden(
    fmt: str,
    golden: str,
    jsonl_input: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run(
        capsys, monkeypatch, ["--input", str(jsonl_input), "--input-format", "jsonl", "--format", fmt]
    )
    assert code == 0, err
    compare(golden, out)


def test_table_matches_golden(
    jsonl_input: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        capsys, monkeypatch, ["--input", str(jsonl_input), "--input-format", "jsonl", "--format", "table"]
    )
    assert code == 0
    compare("parse_captions.table.txt", out)


def test_jsonl_echoes_ids_and_carries_the_contract(
    jsonl_input: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run(capsys, monkeypatch, ["--input", str(jsonl_input), "--input-format", "jsonl"])
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["id"] for o in objects] == [c["id"] for c in CAPTIONS]
    for obj, source in zip(objects, CAPTIONS, strict=True):
        assert obj["text"] == source["text"]
        assert {"id", "text", "body", "credit", "date", "location", "spans"} <= set(obj)
        if obj["credit"] is not None:
            assert set(obj["credit"]) == {"raw", "photographers", "agencies", "qualifiers"}
            start, end = obj["spans"]["credit"]
            assert obj["text"][start:end] == obj["credit"]["raw"]
        if obj["date"] is not None:
            assert set(obj["date"]) >= {"iso", "text"}


def test_json_is_one_array_of_the_jsonl_objects(
    jsonl_input: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, lines, _ = run(
        capsys, monkeypatch, ["--input", str(jsonl_input), "--input-format", "jsonl", "--format", "jsonl"]
    )
    _, array, _ = run(
        capsys, monkeypatch, ["--input", str(jsonl_input), "--input-format", "jsonl", "--format", "json"]
    )
    assert json.loads(array) == [json.loads(line) for line in lines.splitlines()]


def test_text_arguments_and_stdin_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        capsys, monkeypatch, ["Andrew Harnik/Shutterstock", "Evan Vucci/AP Photo", "--format", "jsonl"]
    )
    assert code == 0
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["credit"]["agencies"] for o in objects] == [["Shutterstock"], ["AP"]]
    assert all("id" not in o for o in objects)
    code, out, _ = run(
        capsys,
        monkeypatch,
        ["-", "--format", "jsonl"],
        stdin="Evan Vucci/AP Photo\n\nSpencer Platt/Getty Images\n",
    )
    assert code == 0
    assert [json.loads(line)["credit"]["photographers"] for line in out.splitlines()] == [
        ["Evan Vucci"],
        ["Spencer Platt"],
    ]


def test_non_tty_default_is_jsonl(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run(capsys, monkeypatch, ["Evan Vucci/AP Photo"])
    assert json.loads(out)["credit"]["raw"] == "Evan Vucci/AP Photo"


def test_bad_jsonl_lines_are_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('not json\n{"id": 1}\n{"id": 2, "text": "Evan Vucci/AP Photo"}\n', encoding="utf-8")
    code, out, err = run(
        capsys, monkeypatch, ["--input", str(path), "--input-format", "jsonl", "--format", "jsonl"]
    )
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [2]
    assert "line 1" in err and "line 2" in err


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--input", "/nonexistent/captions.txt"],
        ["--article", "/nonexistent/story.txt"],
        ["-", "also text"],
    ],
)
def test_usage_errors_exit_2(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, monkeypatch, args)
    assert code == 2
    assert out == ""
    assert err.startswith("mediameta: error: ")


def test_extra_agencies_file_extends_the_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "agencies.toml"
    extra.write_text(
        '[[agency]]\nname = "Harbour Gazette"\naliases = ["HG"]\nkind = "newspaper"\n', encoding="utf-8"
    )
    _, out, _ = run(capsys, monkeypatch, ["The quay at dusk. Photo: Mia Lund/HG", "--agencies", str(extra)])
    assert json.loads(out)["credit"]["agencies"] == ["Harbour Gazette"]
    extra.write_text('[[agency]]\naliases = ["HG"]\n', encoding="utf-8")
    code, _, err = run(capsys, monkeypatch, ["x", "--agencies", str(extra)])
    assert code == 2 and "name" in err


def test_article_captions_with_line_and_column(
    seed_article: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, monkeypatch, ["--article", str(seed_article), "--format", "jsonl"])
    assert code == 0, err
    objects = [json.loads(line) for line in out.splitlines()]
    bodies = {o["body"] for o in objects}
    assert len(bodies) == 2, "the seed article has two distinct captions"
    assert len(objects) == 4, "each seen twice"
    for obj in objects:
        assert obj["line"] >= 1 and obj["column"] >= 1
        assert obj["credit"]["agencies"] == ["Reuters"]
    first = next(o for o in objects if "LEAH MILLIS" in o["credit"]["raw"])
    assert first["credit"]["photographers"] == ["LEAH MILLIS"]
    assert first["credit"]["qualifiers"] == ["file"]
    assert first["date"]["iso"] == "2025-03-03"
    assert first["location"]["city"] == "Washington"
    second = next(o for o in objects if "YAN DOBRONOSOV" in o["credit"]["raw"])
    assert second["credit"]["photographers"] == ["YAN DOBRONOSOV"]
    assert second["credit"]["qualifiers"] == []
    assert second["date"]["iso"] == "2024-08-16"
    assert (second["location"]["city"], second["location"]["region"], second["location"]["country"]) == (
        "Sudzha",
        "Kursk region",
        "Russia",
    )
    code, table, _ = run(capsys, monkeypatch, ["--article", str(seed_article), "--format", "table"])
    assert f"{seed_article}:" in table
