"""``mediameta scan`` end to end with the real reader: output formats (golden files), exit codes, cache.

The pictures are generated here (wire-photo JPEGs from bench/fixtures.py at thumbnail size, a
truncated copy, a PNG without metadata) with fixed modification times, and scanned through a
relative path, so the goldens hold no absolute path and no clock. To accept a deliberate change
of the output contract: ``MEDIAMETA_UPDATE_GOLDEN=1 pytest tests/test_scan_cli.py`` and review
the diff of tests/golden/scan_*.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from PIL import Image

from mediameta import catalog as catalog_module
from mediameta import cli
from mediameta.catalog import Catalog
from mediameta.cli import main
from mediameta.commands import scan as scan_command
from mediameta.media.scan import PARALLEL_THRESHOLD, scan

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
sys.path.insert(0, str(REPO / "bench"))
from fixtures import make_wire_jpegs  # noqa: E402

MTIME_NS = 1_700_000_000_000_000_000


def make_photos(root: Path, wire_count: int = 3) -> Path:
    photos = root / "photos"
    wire = make_wire_jpegs(photos, wire_count, seed=7, megapixels=0.02)
    (photos / "damaged").mkdir()
    (photos / "damaged" / "truncated.jpg").write_bytes(wire[0].read_bytes()[:300])
    Image.new("RGB", (40, 30), (200, 120, 40)).save(photos / "plain.png")
    (photos / ".hidden.jpg").write_bytes(wire[1].read_bytes())
    (photos / "notes.txt").write_text("not a picture")
    for path in photos.rglob("*"):
        os.utime(path, ns=(MTIME_NS, MTIME_NS))
    return photos


@pytest.fixture(autouse=True)
def only_scan_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the real CLI with just this command: other commands being written must not break these tests."""
    monkeypatch.setattr(cli, "COMMANDS", ("scan",))


@pytest.fixture
def photos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "140")
    return make_photos(tmp_path)


def run_scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MEDIAMETA_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.is_file(), f"missing golden {path}: run with MEDIAMETA_UPDATE_GOLDEN=1 and review it"
    with path.open(encoding="utf-8", newline="") as golden:
        expected = golden.read()
    assert text == expected, f"output differs from {path} (MEDIAMETA_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("jsonl", "scan_photos.jsonl"),
        ("json", "scan_photos.json"),
        ("csv", "scan_photos.csv"),
        ("table", "scan_photos.table.txt"),
    ],
)
def test_output_formats_match_their_golden_files(
    photos: Path, capsys: pytest.CaptureFixture[str], fmt: str, golden: str
) -> None:
    code, out, err = run_scan(capsys, "photos", "--format", fmt, "--no-cache", "--jobs", "1")
    check_golden(golden, out)
    assert code == 1  # the truncated file has errors
    assert err == ""


def test_jsonl_objects_carry_the_contract_fields(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_scan(capsys, "photos", "--format", "jsonl", "--no-cache")
    objects = [json.loads(line) for line in out.splitlines()]
    assert [obj["path"] for obj in objects][-2:] == [
        os.path.join("photos", "damaged", "truncated.jpg"),
        os.path.join("photos", "plain.png"),
    ]
    wire = objects[0]
    for key in ("path", "description", "creators", "credit_line", "date_created", "gps", "sources", "errors"):
        assert key in wire
    assert set(wire["gps"]) == {"lat", "lon", "alt"}
    assert objects[-1]["gps"] is None
    assert all(set(error) == {"block", "message"} for obj in objects for error in obj["errors"])
    assert objects[-2]["errors"], "the truncated file must report an error"


def test_json_is_one_array_of_the_same_objects_as_jsonl(
    photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, jsonl, _ = run_scan(capsys, "photos", "--format", "jsonl", "--no-cache")
    _, array, _ = run_scan(capsys, "photos", "--format", "json", "--no-cache")
    assert json.loads(array) == [json.loads(line) for line in jsonl.splitlines()]


def test_exit_0_when_every_file_reads_cleanly(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_scan(capsys, "photos", "--exclude", "damaged/", "--no-cache")
    assert code == 0 and len(out.splitlines()) == 4


def test_a_missing_path_is_a_usage_error(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_scan(capsys, "photos", "nowhere")
    assert code == 2 and out == ""
    assert err == "mediameta: error: no such file or folder: nowhere\n"


def test_bad_arguments_are_usage_errors(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_scan(capsys, "photos", "--jobs", "0")[0] == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "photos", "--format", "xml"])
    assert exit_info.value.code == 2


def test_an_explicit_cache_that_cannot_be_used_is_a_usage_error(
    photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_scan(capsys, "photos", "--cache", "photos/notes.txt/catalog.sqlite")
    assert code == 2 and err.startswith(
        "mediameta: error: cannot use --cache photos/notes.txt/catalog.sqlite"
    )


def test_the_cache_lives_in_the_scanned_folder_and_answers_a_rescan(
    photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, cold, _ = run_scan(capsys, "photos", "--format", "jsonl")
    assert (photos / ".mediameta" / "catalog.sqlite").is_file()
    _, warm, _ = run_scan(capsys, "photos", "--format", "jsonl")
    assert warm == cold
    assert not (photos / ".mediameta" / "x").exists()


def test_no_cache_writes_nothing_and_cache_path_is_honoured(
    photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_scan(capsys, "photos", "--no-cache")
    assert not (photos / ".mediameta").exists()
    run_scan(capsys, "photos", "--cache", str(tmp_path / "elsewhere.sqlite"))
    assert (tmp_path / "elsewhere.sqlite").is_file() and not (photos / ".mediameta").exists()


def test_a_named_file_that_is_not_a_picture_gets_an_error_record(
    photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_scan(capsys, "photos/notes.txt", "--no-cache")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and record["path"] == os.path.join("photos", "notes.txt") and record["errors"]


def test_an_empty_folder_prints_nothing_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code, out, err = run_scan(capsys, str(tmp_path / "empty"), "--no-cache", "--format", "json")
    assert (code, out) == (0, "[]\n") and "no pictures found" in err


def test_parallel_and_single_process_output_are_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_wire_jpegs(tmp_path / "many", PARALLEL_THRESHOLD + 40, seed=3, megapixels=0.01)
    _, single, _ = run_scan(capsys, "many", "--no-cache", "--jobs", "1")
    _, parallel, _ = run_scan(capsys, "many", "--no-cache", "--jobs", "2")
    assert len(single.splitlines()) == PARALLEL_THRESHOLD + 40
    assert parallel == single


def test_without_format_a_pipe_gets_jsonl(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_scan(capsys, "photos", "--no-cache")
    assert all(json.loads(line)["path"] for line in out.splitlines())


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_draws_only_on_a_terminal_once_the_scan_is_slow() -> None:
    clock = iter([0.0, 0.1, 1.0, 1.05, 2.0])
    terminal = FakeTerminal(tty=True)
    progress = scan_command.Progress(terminal, clock=lambda: next(clock))  # started at 0.0
    progress(10, None)  # 0.1 s: too early, nothing drawn
    assert terminal.getvalue() == ""
    progress(500, None)  # 1.0 s
    progress(510, None)  # 1.05 s: within the redraw interval
    progress(1000, 2000)  # 2.0 s
    progress.close()
    assert terminal.getvalue() == (
        "\rscanning 500 files, 500/s\x1b[K"
        "\rscanning [############............] 1000/2000 files, 500/s\x1b[K"
        "\r\x1b[K"
    )
    pipe = FakeTerminal(tty=False)
    quiet = scan_command.Progress(pipe, clock=lambda: 5.0)
    quiet(1000, 2000)
    quiet.close()
    assert pipe.getvalue() == ""


def test_editing_a_sidecar_is_seen_by_the_next_cached_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (picture,) = make_wire_jpegs(tmp_path / "raw", 1, seed=2, megapixels=0.01)
    sidecar = picture.with_suffix(".xmp")

    def write_sidecar(city: str) -> None:
        sidecar.write_text(
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
            f'photoshop:City="{city}"/></rdf:RDF></x:xmpmeta>'
        )

    def scanned_city(*paths: str) -> tuple[object, object]:
        _, out, _ = run_scan(capsys, *paths, "--format", "jsonl")
        record = json.loads(out.splitlines()[0])
        return record["blocks"].get("sidecar", {}).get("city"), record["path"]

    write_sidecar("Haifa")
    assert scanned_city("raw") == ("Haifa", os.path.join("raw", picture.name))
    write_sidecar("Eilat, a longer name")  # the picture itself is untouched
    assert scanned_city("raw") == ("Eilat, a longer name", os.path.join("raw", picture.name))
    write_sidecar("Acre")  # named on its own: the sidecar is found through the folder listing
    assert scanned_city(os.path.join("raw", picture.name)) == ("Acre", os.path.join("raw", picture.name))


HOSTILE_NAMES = [
    b"caf\xe9.jpg".decode("utf-8", "surrogateescape"),  # Latin-1 bytes from an old Windows share
    "new\nline.jpg",
    'quote"back\\slash.jpg',
    "tab\tand space .jpg",
]


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes are a POSIX thing")
def test_hostile_file_names_never_break_any_format_or_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (picture,) = make_wire_jpegs(tmp_path / "odd", 1, seed=5, megapixels=0.01)
    for name in HOSTILE_NAMES:
        (tmp_path / "odd" / name).write_bytes(picture.read_bytes())
    picture.unlink()
    outputs = {}
    for fmt in ("jsonl", "json", "csv", "table"):
        code, outputs[fmt], err = run_scan(capsys, "odd", "--format", fmt)
        assert (code, err) == (0, "")
    paths = sorted(json.loads(line)["path"] for line in outputs["jsonl"].splitlines())
    assert paths == sorted(
        [os.path.join("odd", "caf\\xe9.jpg"), *(os.path.join("odd", name) for name in HOSTILE_NAMES[1:])]
    )
    assert run_scan(capsys, "odd", "--format", "jsonl")[1] == outputs["jsonl"]  # answered from the cache
    assert "caf\\xe9.jpg" in outputs["csv"] and "caf\\xe9.jpg" in outputs["table"]
    # in-process callers keep the real name, so they can open the file
    records = list(scan([Path("odd")], jobs=1))
    assert {Path(record.path).name for record in records} == set(HOSTILE_NAMES)
    with Catalog.open(root=tmp_path / "odd") as catalog:
        catalog.set_review(tmp_path / "odd" / HOSTILE_NAMES[0], "flagged", "name from an old share")
        assert catalog.all_reviews()[str(tmp_path / "odd" / HOSTILE_NAMES[0])].status == "flagged"


def test_with_no_writable_catalog_anywhere_the_scan_goes_on_without_cache(
    photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (photos / ".mediameta").write_text("a file where the catalog folder would go")
    (tmp_path / "no-cache-dir").write_text("a file where the user cache dir would go")
    monkeypatch.setattr(catalog_module, "_user_cache_dir", lambda: tmp_path / "no-cache-dir")
    code, out, err = run_scan(capsys, "photos", "--format", "jsonl")
    assert code == 1 and len(out.splitlines()) == 5
    assert err.startswith("mediameta: warning: scanning without a cache: cannot create")
