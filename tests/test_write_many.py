"""Batches: write_many in threads and in worker processes gives the same results, in input order,
with refusals coming back whole; the commands' --jobs reaches it."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from write_helpers import read_blocks, wire_file

from mediameta.cli import main
from mediameta.commands.write import FileWriter
from mediameta.media.write import PROCESS_BATCH_MIN, WriteOptions, WriteRefused, WriteResult, write_many


def batch(folder: Path, count: int) -> list[Path]:
    first = wire_file(folder, "p000.jpg")
    paths = [first]
    for index in range(1, count):
        copy = folder / f"p{index:03d}.jpg"
        shutil.copyfile(first, copy)
        paths.append(copy)
    return paths


def test_refusals_survive_pickling() -> None:
    refused = pickle.loads(pickle.dumps(WriteRefused("x.jpg: changed", reason="changed")))
    assert isinstance(refused, WriteRefused)
    assert (str(refused), refused.reason) == ("x.jpg: changed", "changed")
    writer = pickle.loads(pickle.dumps(FileWriter(WriteOptions(iim="always"), backup=True)))
    assert writer.options.iim == "always" and writer.backup


@pytest.mark.parametrize("processes", [1, 2])
def test_a_batch_in_threads_or_processes_writes_every_file_in_order(tmp_path: Path, processes: int) -> None:
    paths = batch(tmp_path, PROCESS_BATCH_MIN + 6)
    missing = tmp_path / "missing.jpg"
    jobs = [
        (path, {"description": f"Caption {index}", "credit_line": "AP"}) for index, path in enumerate(paths)
    ]
    jobs.insert(10, (missing, {"description": "x"}))
    outcomes = list(write_many(jobs, workers=3, processes=processes))
    assert [path for path, _ in outcomes] == [path for path, _ in jobs]
    refused = outcomes.pop(10)[1]
    assert isinstance(refused, WriteRefused) and refused.reason == "io"
    for index, (path, outcome) in enumerate(outcomes):
        assert isinstance(outcome, WriteResult) and outcome.changes, (path, outcome)
        assert read_blocks(path)[2]["Xmp.dc.description"] == {'lang="x-default"': f"Caption {index}"}


def test_write_command_with_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = batch(tmp_path, PROCESS_BATCH_MIN)
    code = main(["write", *map(str, paths), "--credit-line", "REUTERS/Ammar Awad", "--jobs", "2"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("(written)") == len(paths)
    assert out.index(str(paths[0])) < out.index(str(paths[-1]))  # input order
    assert all(read_blocks(path)[2]["Xmp.photoshop.Credit"] == "REUTERS/Ammar Awad" for path in paths)


def test_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wire_file(tmp_path)
    assert main(["write", str(path), "--source", "x", "--jobs", "0"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


def test_a_caller_that_stops_reading_drops_the_chunks_not_started(tmp_path: Path) -> None:
    paths = batch(tmp_path, PROCESS_BATCH_MIN * 4)
    jobs = [(path, {"credit_line": f"AP {index}"}) for index, path in enumerate(paths)]
    outcomes = write_many(jobs, workers=2, processes=2)
    first = next(outcomes)
    outcomes.close()  # the pool is shut down with the rest cancelled
    assert isinstance(first[1], WriteResult)
    written = sum(read_blocks(path)[2].get("Xmp.photoshop.Credit", "").startswith("AP") for path in paths)
    assert 1 <= written < len(paths)
