"""scan(): order, parallel reading, cache hits, error records, streaming, progress.

The reader is replaced by small doubles (module-level, so worker processes can use them) to test
the engine on its own; tests/test_scan_cli.py runs the real reader end to end.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mediameta.catalog import CachedRecord, CacheKey, Catalog
from mediameta.media import scan as scan_module
from mediameta.media.scan import CHUNK_SIZE, PARALLEL_THRESHOLD, scan, scan_results
from mediameta.models import BlockError, MediaRecord

read_paths: list[str] = []


def content_reader(path: Path) -> MediaRecord:
    """Caption = file content; pid of the reading process in job_id; a .bad file gets an error."""
    read_paths.append(str(path))
    text = path.read_text()
    record = MediaRecord(path=str(path), format="JPEG", description=text, job_id=str(os.getpid()))
    if text.startswith("bad"):
        record.errors.append(BlockError(block="iptc", message="damaged IPTC block"))
    return record


def raising_reader(path: Path) -> MediaRecord:
    raise RuntimeError(f"boom on {path.name}")


def make_files(root: Path, count: int, prefix: str = "img") -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = root / f"{prefix}{index:05d}.jpg"
        path.write_text(f"caption {index}")
        paths.append(path)
    return paths


@pytest.fixture(autouse=True)
def clear_reads() -> None:
    read_paths.clear()


def test_records_come_in_walk_order_with_the_walked_path(tmp_path: Path) -> None:
    make_files(tmp_path / "b", 3)
    make_files(tmp_path / "a", 2)
    records = list(scan([tmp_path], jobs=1, reader=content_reader))
    assert [Path(record.path).relative_to(tmp_path).as_posix() for record in records] == [
        "a/img00000.jpg",
        "a/img00001.jpg",
        "b/img00000.jpg",
        "b/img00001.jpg",
        "b/img00002.jpg",
    ]
    assert records[2].description == "caption 0"


def test_parallel_scan_keeps_order_and_uses_worker_processes(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD + 3 * CHUNK_SIZE + 5
    paths = make_files(tmp_path, count)
    records = list(scan([tmp_path], jobs=2, reader=content_reader))
    assert [record.path for record in records] == [str(path) for path in paths]
    assert [record.description for record in records] == [f"caption {i}" for i in range(count)]
    assert {record.job_id for record in records} - {str(os.getpid())}, "nothing was read in a worker"


def test_a_small_folder_is_read_in_process_even_with_jobs(tmp_path: Path) -> None:
    make_files(tmp_path, 5)
    records = list(scan([tmp_path], jobs=4, reader=content_reader))
    assert {record.job_id for record in records} == {str(os.getpid())}


def test_a_reader_that_raises_gives_error_records(tmp_path: Path) -> None:
    make_files(tmp_path, 2)
    records = list(scan([tmp_path], jobs=1, reader=raising_reader))
    assert [error.model_dump() for error in records[0].errors] == [
        {"block": "file", "message": "reader failed: RuntimeError: boom on img00000.jpg"}
    ]


def test_unlistable_folders_become_records_with_a_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_files(tmp_path / "locked", 1)
    make_files(tmp_path / "open", 1)
    real_scandir = os.scandir

    def scandir(path: str) -> os.ScandirIterator[str]:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(scan_module.os, "scandir", scandir)
    records = list(scan([tmp_path], jobs=1, reader=content_reader))
    assert [(Path(r.path).name, [e.model_dump() for e in r.errors]) for r in records] == [
        ("locked", [{"block": "file", "message": "cannot list folder: Permission denied"}]),
        ("img00000.jpg", []),
    ]


def test_a_missing_path_gives_a_record_not_an_exception(tmp_path: Path) -> None:
    (record,) = list(scan([tmp_path / "missing.jpg"], jobs=1, reader=content_reader))
    assert record.errors[0].block == "file" and "No such file" in record.errors[0].message


def test_a_named_non_image_file_is_read_so_the_reader_can_say_what_it_is(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    assert [record.description for record in scan([notes], jobs=1, reader=content_reader)] == [
        "not a picture"
    ]
    assert list(scan([tmp_path], jobs=1, reader=content_reader)) == []


def test_cache_hits_are_not_read_again_and_changes_are(tmp_path: Path) -> None:
    paths = make_files(tmp_path / "photos", 4)
    with Catalog.open(root=tmp_path / "photos") as catalog:
        first = list(scan([tmp_path / "photos"], jobs=1, cache=catalog, reader=content_reader))
        assert len(read_paths) == 4
        read_paths.clear()
        paths[1].write_text("caption changed, longer")  # size and mtime change
        os.utime(paths[2], ns=(1_000_000_000, 1_000_000_000))  # only mtime changes
        second = list(scan([tmp_path / "photos"], jobs=1, cache=catalog, reader=content_reader))
    assert sorted(Path(p).name for p in read_paths) == ["img00001.jpg", "img00002.jpg"]
    assert [r.description for r in second] == [
        "caption 0",
        "caption changed, longer",
        "caption 2",
        "caption 3",
    ]
    assert [r.path for r in second] == [r.path for r in first]


def test_cached_records_carry_the_path_as_walked_this_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_files(tmp_path / "photos", 1)
    with Catalog.open(root=tmp_path / "photos") as catalog:
        list(scan([tmp_path / "photos"], jobs=1, cache=catalog, reader=content_reader))
        monkeypatch.chdir(tmp_path)
        (record,) = list(scan([Path("photos")], jobs=1, cache=catalog, reader=content_reader))
    assert record.path == os.path.join("photos", "img00000.jpg")
    assert len(read_paths) == 1


def test_parallel_scan_fills_the_cache_and_a_rescan_reads_nothing(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD + 10
    make_files(tmp_path, count)
    with Catalog.open(tmp_path / "cache.sqlite", root=tmp_path) as catalog:
        cold = list(scan([tmp_path], jobs=2, cache=catalog, reader=content_reader))
        assert catalog.cached_count() == count
        read_paths.clear()
        warm = list(scan([tmp_path], jobs=2, cache=catalog, reader=content_reader))
    assert read_paths == []
    assert [r.model_dump() for r in warm] == [r.model_dump() for r in cold]


def test_records_stream_out_before_the_walk_is_finished(tmp_path: Path) -> None:
    make_files(tmp_path, CHUNK_SIZE * 5)
    records = scan([tmp_path], jobs=1, reader=content_reader)
    next(records)
    assert len(read_paths) <= CHUNK_SIZE
    records.close()


def test_progress_reports_done_and_the_total_once_known(tmp_path: Path) -> None:
    count = CHUNK_SIZE * 2 + 3
    make_files(tmp_path, count)
    calls: list[tuple[int, int | None]] = []
    list(
        scan(
            [tmp_path],
            jobs=1,
            reader=content_reader,
            progress=lambda done, total: calls.append((done, total)),
        )
    )
    assert calls[-1] == (count, count)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[0][1] is None  # the first chunk comes out before the walk has finished


def crashing_reader(path: Path) -> MediaRecord:
    """Kills its process on a file named crash* (a native crash in a decoder, an OOM kill)."""
    if path.name.startswith("crash"):
        os._exit(3)
    return content_reader(path)


def test_a_file_that_kills_the_worker_gets_an_error_record_and_the_rest_are_read(tmp_path: Path) -> None:
    paths = make_files(tmp_path, PARALLEL_THRESHOLD + 10, prefix="a")
    (tmp_path / "crash.jpg").write_text("boom")
    records = list(scan([tmp_path], jobs=2, reader=crashing_reader))
    assert [record.path for record in records] == [str(path) for path in paths] + [
        str(tmp_path / "crash.jpg")
    ]
    assert [record.description for record in records[:-1]] == [f"caption {i}" for i in range(len(paths))]
    assert [error.message for error in records[-1].errors] == [
        "the reader's process died reading this file (BrokenProcessPool)"
    ]


class NoProcesses:
    """A ProcessPoolExecutor stand-in for a sandbox where processes cannot be started."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")


def test_without_processes_the_scan_reads_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_files(tmp_path, PARALLEL_THRESHOLD + 5)
    monkeypatch.setattr(scan_module, "ProcessPoolExecutor", NoProcesses)
    records = list(scan([tmp_path], jobs=2, reader=content_reader))
    assert len(records) == PARALLEL_THRESHOLD + 5
    assert {record.job_id for record in records} == {str(os.getpid())}


def test_warm_results_print_the_same_json_as_cold_ones_under_any_path_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / 'photos "ñ" \\ ü'
    make_files(folder, 3)
    (folder / "img00001.jpg").write_text("bad caption")
    monkeypatch.chdir(tmp_path)
    with Catalog.open(root=folder) as catalog:
        cold = [
            (r.json, r.has_errors)
            for r in scan_results([folder], jobs=1, cache=catalog, reader=content_reader)
        ]
        read_paths.clear()
        warm = [
            (r.json, r.has_errors)
            for r in scan_results([folder], jobs=1, cache=catalog, reader=content_reader)
        ]
        relative = list(scan_results([Path(folder.name)], jobs=1, cache=catalog, reader=content_reader))
    assert read_paths == []
    assert warm == cold
    assert [has_errors for _, has_errors in warm] == [False, True, False]
    assert [MediaRecord.model_validate_json(r.json).path for r in relative] == [
        os.path.join(folder.name, f"img0000{i}.jpg") for i in range(3)
    ]
    assert [r.record.model_dump_json() for r in relative] == [r.json for r in relative]


def test_a_cache_row_that_is_not_a_record_is_read_again(tmp_path: Path) -> None:
    (path,) = make_files(tmp_path / "photos", 1)
    info = path.stat()
    with Catalog.open(root=tmp_path / "photos") as catalog:
        catalog.store_records(
            [(CacheKey(str(path), info.st_size, info.st_mtime_ns), CachedRecord("[1, 2]", False))]
        )
        (result,) = list(scan_results([tmp_path / "photos"], jobs=1, cache=catalog, reader=content_reader))
    assert result.record.description == "caption 0"
    assert read_paths == [str(path)]


def test_a_cache_row_altered_into_an_invalid_record_gives_an_error_record(tmp_path: Path) -> None:
    (path,) = make_files(tmp_path / "photos", 1)
    info = path.stat()
    altered = f'{{"path":"{path}","width":"wide"}}'
    with Catalog.open(root=tmp_path / "photos") as catalog:
        catalog.store_records(
            [(CacheKey(str(path), info.st_size, info.st_mtime_ns), CachedRecord(altered, False))]
        )
        (record,) = list(scan([tmp_path / "photos"], jobs=1, cache=catalog, reader=content_reader))
    assert record.path == str(path) and "cached record unreadable" in record.errors[0].message


def hanging_reader(path: Path) -> MediaRecord:
    """Never returns on a file named *hang* (a reader stuck in a loop on hostile input)."""
    if "hang" in path.name:
        time.sleep(600)
    return content_reader(path)


def test_a_file_that_hangs_the_reader_is_stopped_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_module, "CHUNK_SIZE", 4)
    monkeypatch.setattr(scan_module, "PARALLEL_THRESHOLD", 8)
    monkeypatch.setattr(scan_module, "CHUNK_TIMEOUT", 1.5)
    monkeypatch.setattr(scan_module, "FILE_TIMEOUT", 1.0)
    paths = make_files(tmp_path, 20, prefix="a")
    (tmp_path / "a00010_hang.jpg").write_text("stuck")
    started = time.monotonic()
    records = list(scan([tmp_path], jobs=2, reader=hanging_reader))
    assert time.monotonic() - started < 60  # generous: the point is that it ends
    by_name = {Path(record.path).name: record for record in records}
    assert len(records) == 21
    assert [error.message for error in by_name["a00010_hang.jpg"].errors] == [
        "reading took longer than 1 s: stopped"
    ]
    assert all(by_name[path.name].description == f"caption {index}" for index, path in enumerate(paths))
