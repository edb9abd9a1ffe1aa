"""The catalog: one SQLite file holding the scan cache and the desk's review state.

Where it lives: ``<root>/.mediameta/catalog.sqlite`` for the scanned root, or, when the root is
not writable, ``<user cache dir>/mediameta/catalog-<hash of root>.sqlite``; or any path given.

- **Scan cache**: a ``MediaRecord`` (as JSON) per file, keyed by absolute path, size and
  modification time in nanoseconds. A record is only trusted while all three match and the
  reading code is unchanged: the cache carries a version derived from the schema number and the
  source of ``mediameta.models`` and ``mediameta.media``, so upgrading mediameta (or editing the
  reader) empties it.
- **Review state**: approved / flagged / unreviewed plus a note per picture, stored relative to
  the root when the picture is under it (moving the folder keeps the reviews).

One connection guarded by a lock: safe from a Textual worker thread and the UI thread at once.
WAL journal: readers never wait for the writer, a crash mid-write loses nothing committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from mediameta import __version__
from mediameta.models import MediaRecord

__all__ = [
    "CACHE_SCHEMA",
    "CacheKey",
    "CachedRecord",
    "Catalog",
    "CatalogError",
    "ReviewState",
    "ReviewStatus",
    "cache_version",
    "sqlite_path",
    "text_of_sqlite_path",
]

ReviewStatus = Literal["approved", "flagged", "unreviewed"]
REVIEW_STATUSES: tuple[str, ...] = get_args(ReviewStatus)

CACHE_SCHEMA = 3
"""Bump when the tables change shape; the cache version below also follows the reader's code."""

CATALOG_FILE = "catalog.sqlite"
_SQL_BATCH = 500  # parameters per IN (...) query: well under SQLite's limit

_SCAN_CACHE = """
CREATE TABLE IF NOT EXISTS scan_cache (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    stamp TEXT NOT NULL,
    record TEXT NOT NULL,
    has_errors INTEGER NOT NULL
) WITHOUT ROWID;
"""
_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
    + _SCAN_CACHE
    + """
CREATE TABLE IF NOT EXISTS review (
    path TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('approved', 'flagged', 'unreviewed')),
    note TEXT,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
"""
)


class CatalogError(Exception):
    """The catalog cannot be opened or written (bad path, not a database, disk full)."""


class CacheKey(NamedTuple):
    """What must not have changed for a cached record to stand.

    ``stamp`` covers the files read besides the picture itself (``.xmp`` sidecars: name, size,
    mtime), so editing a sidecar invalidates the picture's record too.
    """

    path: str  # absolute
    size: int
    mtime_ns: int
    stamp: str = ""


class CachedRecord(NamedTuple):
    """A scan-cache row: the record's JSON as stored and whether the record has errors."""

    json: str
    has_errors: bool


class ReviewState(BaseModel):
    """What the desk decided about one picture."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str  # absolute, symbolic links resolved (as Path.resolve() gives)
    status: ReviewStatus
    note: str | None = None
    updated_at: str  # ISO 8601, UTC


def cache_version() -> str:
    """A fingerprint of everything a cached record depends on: schema, version, reader source."""
    digest = hashlib.sha256(f"{CACHE_SCHEMA}:{__version__}".encode())
    sources: list[Path] = []
    for package in ("mediameta.media",):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                sources.extend(sorted(Path(location).glob("*.py")))
    models = importlib.util.find_spec("mediameta.models")
    if models is not None and models.origin:
        sources.append(Path(models.origin))
    for source in sources:
        if (
            source.name.startswith("write") and source.name != "write_fields.py"
        ) or source.name == "xmp_edit.py":
            continue  # the writer does not shape what is read (its IIM limits table does)
        with contextlib.suppress(OSError):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:24]


def _user_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("mediameta", appauthor=False))


def default_location(root: Path) -> Path:
    return root / ".mediameta" / CATALOG_FILE


def fallback_location(root: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(os.path.abspath(root))).hexdigest()[:16]
    return _user_cache_dir() / f"catalog-{digest}.sqlite"


class Catalog:
    """An open catalog. Use ``Catalog.open(...)``; close it (or use ``with``) when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path, root: Path | None) -> None:
        self._connection = connection
        self._lock = threading.RLock()
        self.path = path
        self.root = Path(os.path.realpath(root)) if root is not None else None
        self.warnings: list[str] = []  # things the user should hear about (the CLI prints them)
        self._version = cache_version()
        self._closed = False

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path | None = None, *, root: Path | None = None) -> Catalog:
        """Open (creating if needed) the catalog at ``path``, or the default one for ``root``.

        Without ``path``: ``<root>/.mediameta/catalog.sqlite``, falling back to the user cache
        dir when that cannot be created or written. Raises ``CatalogError`` when an explicit
        ``path`` cannot be used, or when neither default location works.
        """
        if path is not None:
            return cls._open_at(Path(path), root)
        base = Path(os.path.abspath(root if root is not None else Path.cwd()))
        try:
            return cls._open_at(default_location(base), base, make_ignore=True)
        except CatalogError as first:
            try:
                catalog = cls._open_at(fallback_location(base), base)
            except CatalogError as second:
                raise CatalogError(f"{first}; and {second}") from second
            catalog.warnings.append(
                f"{default_location(base).parent} is not writable; using the catalog in {catalog.path}"
            )
            return catalog

    @classmethod
    def _open_at(cls, path: Path, root: Path | None, *, make_ignore: bool = False) -> Catalog:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if make_ignore:
                ignore = path.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# mediameta's catalog: a cache and review state, not source\n*\n")
        except OSError as exc:
            raise CatalogError(f"cannot create {path.parent}: {exc.strerror or exc}") from exc
        warnings: list[str] = []
        try:
            connection = cls._connect(path)
        except sqlite3.DatabaseError as exc:
            damaged = "not a database" in str(exc) or "malformed" in str(exc)
            if not (path.is_file() and damaged):
                raise CatalogError(f"cannot open catalog {path}: {exc}") from exc
            # A damaged catalog must not stop the desk: keep it aside for inspection and start afresh.
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = path.with_name(f"{path.name}.damaged-{stamp}")
            try:
                path.replace(aside)
                connection = cls._connect(path)
            except (OSError, sqlite3.DatabaseError) as again:
                raise CatalogError(f"cannot open catalog {path}: {exc}; {again}") from again
            warnings.append(
                f"catalog {path} was damaged ({exc}); moved it to {aside.name} and started a new one"
            )
        catalog = cls(connection, path, root)
        catalog.warnings.extend(warnings)
        catalog._check_version()
        return catalog

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(
            os.fspath(path), timeout=10.0, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute("PRAGMA busy_timeout = 10000")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.executescript(_SCHEMA)
            # A read-only file or folder opens fine and fails on the first write: find out now.
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (_now(),))
            connection.execute("COMMIT")
        except sqlite3.Error as exc:
            connection.close()
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                raise
            raise sqlite3.DatabaseError(f"{exc} (is {path.parent} writable?)") from exc
        return connection

    def _check_version(self) -> None:
        with self._lock:
            row = self._connection.execute("SELECT value FROM meta WHERE key = 'cache_version'").fetchone()
            if row is not None and row[0] == self._version:
                return
            with self._transaction():
                # Dropped, not emptied: an older catalog's table may have another shape.
                self._connection.execute("DROP TABLE IF EXISTS scan_cache")
                self._connection.execute(_SCAN_CACHE)
                self._connection.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('cache_version', ?)", (self._version,)
                )

    # ------------------------------------------------------------------ plumbing

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise CatalogError(f"catalog {self.path} is closed")
            yield self._connection

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._reading():
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._connection.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ scan cache

    def lookup(self, keys: Sequence[CacheKey]) -> dict[str, CachedRecord]:
        """Cached records for the keys that still match (path, size, mtime and stamp), by path.

        The JSON is returned as stored (parsing it is left to whoever needs a model: printing
        it as JSON needs none).
        """
        found: dict[str, CachedRecord] = {}
        if not keys:
            return found
        wanted = {sqlite_path(key.path): key for key in keys}
        paths = list(wanted)
        with self._reading() as connection:
            for start in range(0, len(paths), _SQL_BATCH):
                batch = paths[start : start + _SQL_BATCH]
                rows = connection.execute(
                    "SELECT path, size, mtime_ns, stamp, record, has_errors FROM scan_cache "
                    f"WHERE path IN ({','.join('?' * len(batch))})",
                    batch,
                ).fetchall()
                for path, size, mtime_ns, stamp, text, has_errors in rows:
                    key = wanted[path]
                    if (key.size, key.mtime_ns, sqlite_path(key.stamp)) == (size, mtime_ns, stamp):
                        found[key.path] = CachedRecord(text, bool(has_errors))
        return found

    def lookup_records(self, keys: Sequence[CacheKey]) -> dict[str, MediaRecord]:
        """Like ``lookup``, parsed; a row that no longer parses counts as a miss."""
        records: dict[str, MediaRecord] = {}
        for path, cached in self.lookup(keys).items():
            try:
                records[path] = MediaRecord.model_validate_json(cached.json)
            except ValidationError:
                continue
        return records

    def store_records(self, rows: Sequence[tuple[CacheKey, CachedRecord]]) -> None:
        """Remember records under their keys, in one transaction."""
        if not rows:
            return
        with self._transaction() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO scan_cache VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        sqlite_path(key.path),
                        key.size,
                        key.mtime_ns,
                        sqlite_path(key.stamp),
                        cached.json,
                        cached.has_errors,
                    )
                    for key, cached in rows
                ],
            )

    def forget(self, paths: Sequence[str]) -> None:
        """Drop cached records (absolute paths), e.g. after the writer changed the files."""
        with self._transaction() as connection:
            connection.executemany(
                "DELETE FROM scan_cache WHERE path = ?", [(sqlite_path(path),) for path in paths]
            )

    def clear_cache(self) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM scan_cache")

    def cached_count(self) -> int:
        with self._reading() as connection:
            return int(connection.execute("SELECT count(*) FROM scan_cache").fetchone()[0])

    # ------------------------------------------------------------------ review state

    def _review_key(self, path: Path | str) -> str:
        absolute = os.path.realpath(path)
        if self.root is not None:
            relative = os.path.relpath(absolute, self.root)
            if not relative.startswith(os.pardir + os.sep) and relative != os.pardir:
                return Path(relative).as_posix()
        return absolute

    def _review_path(self, key: str) -> str:
        if os.path.isabs(key) or self.root is None:
            return key
        return os.path.join(self.root, *key.split("/"))

    def get_review(self, path: Path | str) -> ReviewState | None:
        """The review state of one picture (any spelling of its path), or None if never reviewed."""
        with self._reading() as connection:
            row = connection.execute(
                "SELECT path, status, note, updated_at FROM review WHERE path = ?",
                (sqlite_path(self._review_key(path)),),
            ).fetchone()
        return None if row is None else self._state(row)

    def set_review(self, path: Path | str, status: ReviewStatus, note: str | None = None) -> ReviewState:
        """Record a decision about a picture; returns the stored state."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"review status must be one of {', '.join(REVIEW_STATUSES)}, not {status!r}")
        key = self._review_key(path)
        updated_at = _now()
        with self._transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO review VALUES (?, ?, ?, ?)",
                (sqlite_path(key), status, note, updated_at),
            )
        return ReviewState(path=self._review_path(key), status=status, note=note, updated_at=updated_at)

    def all_reviews(self) -> dict[str, ReviewState]:
        """Every review, keyed by the picture's resolved absolute path (``Path.resolve()``)."""
        with self._reading() as connection:
            rows = connection.execute("SELECT path, status, note, updated_at FROM review").fetchall()
        states = (self._state(row) for row in rows)
        return {state.path: state for state in states}

    def _state(self, row: tuple[str | bytes, str, str | None, str]) -> ReviewState:
        key, status, note, updated_at = row
        return ReviewState.model_validate(
            {
                "path": self._review_path(text_of_sqlite_path(key)),
                "status": status,
                "note": note,
                "updated_at": updated_at,
            }
        )


def sqlite_path(text: str) -> str | bytes:
    """A path for SQLite: as text, or as the raw bytes when the name is not UTF-8 (Linux allows
    any bytes; SQLite text cannot hold them). Both kinds compare equal only to themselves."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return os.fsencode(text)
        except UnicodeEncodeError:  # a surrogate no file name decodes to
            return text.encode("utf-8", "surrogatepass")
    return text


def text_of_sqlite_path(value: str | bytes) -> str:
    """The path :func:`sqlite_path` stored, as Python names it again."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
