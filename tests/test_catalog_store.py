"""The catalog: where it lives, the scan cache's keys and versioning, review state, threads."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from mediameta import catalog as catalog_module
from mediameta.catalog import CachedRecord, CacheKey, Catalog, CatalogError
from mediameta.models import MediaRecord


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user-cache fallback inside the test's folder."""
    folder = tmp_path / "user-cache"
    monkeypatch.setattr(catalog_module, "_user_cache_dir", lambda: folder)
    return folder


def record_row(
    path: str, size: int = 10, mtime_ns: int = 5, caption: str = "a caption", stamp: str = ""
) -> tuple[CacheKey, CachedRecord]:
    text = MediaRecord(path=path, description=caption).model_dump_json()
    return CacheKey(path, size, mtime_ns, stamp), CachedRecord(text, False)


def test_default_location_is_the_roots_mediameta_folder(tmp_path: Path) -> None:
    with Catalog.open(root=tmp_path) as catalog:
        assert catalog.path == tmp_path / ".mediameta" / "catalog.sqlite"
        assert catalog.warnings == []
    assert (tmp_path / ".mediameta" / ".gitignore").read_text().splitlines()[-1] == "*"
    mode = (
        sqlite3.connect(tmp_path / ".mediameta" / "catalog.sqlite").execute("PRAGMA journal_mode").fetchone()
    )
    assert mode == ("wal",)


def test_an_unwritable_root_falls_back_to_the_user_cache_dir(tmp_path: Path, user_cache: Path) -> None:
    root = tmp_path / "readonly"
    root.mkdir()
    (root / ".mediameta").write_text("a file where the folder would go")  # mkdir fails, even for root
    with Catalog.open(root=root) as catalog:
        assert catalog.path.parent == user_cache
        assert "not writable" in catalog.warnings[0]
        catalog.set_review(root / "a.jpg", "approved")
    with Catalog.open(root=root) as again:  # the same root finds the same fallback catalog
        assert again.get_review(root / "a.jpg") is not None


def test_an_explicit_path_that_cannot_be_used_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(CatalogError, match="cannot create"):
        Catalog.open(tmp_path / "file" / "catalog.sqlite")


def test_a_damaged_catalog_is_moved_aside_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with Catalog.open(path) as catalog:
        assert "damaged" in catalog.warnings[0]
        catalog.store_records([record_row("/x.jpg")])
    assert [p.name.startswith("catalog.sqlite.damaged-") for p in tmp_path.iterdir()].count(True) == 1


def test_lookup_matches_on_path_size_and_mtime(tmp_path: Path) -> None:
    with Catalog.open(tmp_path / "c.sqlite") as catalog:
        catalog.store_records([record_row("/p/a.jpg", 10, 5, "A"), record_row("/p/b.jpg", 20, 6, "B")])
        found = catalog.lookup_records(
            [CacheKey("/p/a.jpg", 10, 5), CacheKey("/p/b.jpg", 21, 6), CacheKey("/p/c.jpg", 1, 1)]
        )
        assert {path: record.description for path, record in found.items()} == {"/p/a.jpg": "A"}
        assert catalog.lookup_records([CacheKey("/p/b.jpg", 20, 7)]) == {}
        catalog.store_records([record_row("/p/b.jpg", 21, 6, "B2")])
        assert catalog.lookup_records([CacheKey("/p/b.jpg", 21, 6)])["/p/b.jpg"].description == "B2"
        catalog.store_records([record_row("/p/c.jpg", 1, 1, "C", stamp="c.xmp:10:99")])
        assert catalog.lookup([CacheKey("/p/c.jpg", 1, 1)]) == {}  # its sidecar is not known to match
        assert catalog.lookup([CacheKey("/p/c.jpg", 1, 1, "c.xmp:10:99")]) != {}
        catalog.forget(["/p/b.jpg"])
        assert catalog.cached_count() == 2


def test_lookups_work_in_batches_larger_than_sqlites_parameter_limit(tmp_path: Path) -> None:
    rows = [record_row(f"/p/{index}.jpg", index, index) for index in range(2500)]
    with Catalog.open(tmp_path / "c.sqlite") as catalog:
        catalog.store_records(rows)
        assert len(catalog.lookup_records([key for key, _ in rows])) == 2500


def test_a_new_reader_version_empties_the_cache_but_keeps_reviews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite"
    with Catalog.open(path, root=tmp_path) as catalog:
        catalog.store_records([record_row("/p/a.jpg")])
        catalog.set_review(tmp_path / "a.jpg", "flagged", "credit missing")
    with Catalog.open(path, root=tmp_path) as same:
        assert same.cached_count() == 1
    monkeypatch.setattr(catalog_module, "cache_version", lambda: "a-newer-reader")
    with Catalog.open(path, root=tmp_path) as upgraded:
        assert upgraded.cached_count() == 0
        review = upgraded.get_review(tmp_path / "a.jpg")
        assert review is not None and review.note == "credit missing"


def test_the_cache_version_follows_the_reader_source() -> None:
    version = catalog_module.cache_version()
    assert len(version) == 24 and version == catalog_module.cache_version()


def test_a_row_that_no_longer_parses_is_a_miss(tmp_path: Path) -> None:
    with Catalog.open(tmp_path / "c.sqlite") as catalog:
        bad = CachedRecord('{"path": "/p/a.jpg", "no_such_field": 1}', False)
        catalog.store_records([(CacheKey("/p/a.jpg", 1, 1), bad)])
        assert catalog.lookup_records([CacheKey("/p/a.jpg", 1, 1)]) == {}


def test_review_state_round_trips_and_lists(tmp_path: Path) -> None:
    with Catalog.open(root=tmp_path) as catalog:
        assert catalog.get_review(tmp_path / "a.jpg") is None
        stored = catalog.set_review(tmp_path / "a.jpg", "approved", None)
        catalog.set_review(tmp_path / "sub" / "b.jpg", "flagged", "date disagrees with EXIF")
        catalog.set_review(tmp_path / "a.jpg", "flagged", "second look")
        state = catalog.get_review(str(tmp_path / "a.jpg"))
        assert state is not None and (state.status, state.note) == ("flagged", "second look")
        assert stored.path == str(tmp_path / "a.jpg")
        reviews = catalog.all_reviews()
    assert sorted(reviews) == [str(tmp_path / "a.jpg"), str(tmp_path / "sub" / "b.jpg")]
    assert reviews[str(tmp_path / "sub" / "b.jpg")].note == "date disagrees with EXIF"


def test_reviews_follow_the_folder_when_it_moves(tmp_path: Path) -> None:
    old, new = tmp_path / "desk", tmp_path / "archive"
    old.mkdir()
    with Catalog.open(root=old) as catalog:
        catalog.set_review(old / "a.jpg", "approved", "ok to run")
    shutil.move(old, new)
    with Catalog.open(root=new) as catalog:
        state = catalog.get_review(new / "a.jpg")
        assert state is not None and state.path == str(new / "a.jpg") and state.note == "ok to run"


def test_review_paths_outside_the_root_are_kept_absolute(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    with Catalog.open(root=tmp_path / "root") as catalog:
        catalog.set_review(tmp_path / "elsewhere.jpg", "unreviewed")
        assert list(catalog.all_reviews()) == [str(tmp_path / "elsewhere.jpg")]


def test_a_bad_status_is_refused(tmp_path: Path) -> None:
    with (
        Catalog.open(root=tmp_path) as catalog,
        pytest.raises(ValueError, match="approved, flagged, unreviewed"),
    ):
        catalog.set_review(tmp_path / "a.jpg", "maybe")  # type: ignore[arg-type]


def test_threads_can_share_one_catalog(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    with Catalog.open(root=tmp_path) as catalog:

        def work(thread: int) -> None:
            try:
                for index in range(50):
                    catalog.set_review(tmp_path / f"{thread}-{index}.jpg", "approved", f"t{thread}")
                    catalog.store_records([record_row(f"/p/{thread}-{index}.jpg")])
                    catalog.all_reviews()
            except BaseException as exc:  # collected for the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(catalog.all_reviews()) == 200 and catalog.cached_count() == 200


def test_two_catalog_objects_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    with Catalog.open(root=tmp_path) as desk, Catalog.open(root=tmp_path) as scanner:
        desk.set_review(tmp_path / "a.jpg", "approved")
        scanner.store_records([record_row("/p/a.jpg")])
        assert scanner.get_review(tmp_path / "a.jpg") is not None
        assert desk.cached_count() == 1


def test_a_closed_catalog_refuses_work(tmp_path: Path) -> None:
    catalog = Catalog.open(root=tmp_path)
    catalog.close()
    catalog.close()  # twice is fine
    with pytest.raises(CatalogError, match="closed"):
        catalog.store_records([record_row("/p/a.jpg")])


def test_review_keys_are_resolved_paths_as_the_desk_uses_them(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with Catalog.open(root=tmp_path / "link") as catalog:
        catalog.set_review(tmp_path / "link" / "a.jpg", "approved")
        assert list(catalog.all_reviews()) == [str((real / "a.jpg").resolve())]
        assert catalog.get_review(real / "a.jpg") is not None


def test_lookup_returns_the_stored_json_and_the_error_flag(tmp_path: Path) -> None:
    text = MediaRecord(path="/p/a.jpg", description="A").model_dump_json()
    with Catalog.open(tmp_path / "c.sqlite") as catalog:
        catalog.store_records([(CacheKey("/p/a.jpg", 1, 2), CachedRecord(text, True))])
        assert catalog.lookup([CacheKey("/p/a.jpg", 1, 2)]) == {"/p/a.jpg": CachedRecord(text, True)}


def test_a_catalog_from_an_older_schema_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('cache_version', 'schema-1');"
        "CREATE TABLE scan_cache (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, record TEXT);"
        "INSERT INTO scan_cache VALUES ('/p/a.jpg', 1, 1, '{}');"
        "CREATE TABLE review (path TEXT PRIMARY KEY, status TEXT, note TEXT, updated_at TEXT);"
        "INSERT INTO review VALUES ('/p/a.jpg', 'approved', 'kept', '2026-01-01T00:00:00+00:00');"
    )
    old.commit()
    old.close()
    with Catalog.open(path) as catalog:
        assert catalog.cached_count() == 0
        catalog.store_records([record_row("/p/b.jpg")])
        review = catalog.get_review("/p/a.jpg")
        assert review is not None and review.note == "kept"
