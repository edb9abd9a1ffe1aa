"""Find image files under folders and read them all: in parallel, streaming, cached.

``walk`` yields every file under the given paths (include/exclude globs, hidden files skipped by
default, symlink loops safe, folders that cannot be listed reported as error entries);
``iter_image_files`` keeps the pictures; ``scan`` turns them into ``MediaRecord`` s, in walk order,
reading cache misses in worker processes and answering unchanged files from the ``Catalog``.

Memory stays flat in the number of files: paths flow through a bounded window of chunks, nothing
collects the whole tree.
"""

from __future__ import annotations

import collections
import itertools
import json
import multiprocessing
import os
import re
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pydantic_core

from mediameta.catalog import CachedRecord, CacheKey, Catalog
from mediameta.models import BlockError, MediaRecord

__all__ = [
    "IMAGE_SUFFIXES",
    "RAW_SUFFIXES",
    "GlobFilter",
    "Reader",
    "ScanResult",
    "WalkEntry",
    "is_image_path",
    "iter_image_files",
    "printable_path",
    "record_json",
    "scan",
    "scan_results",
    "walk",
]

RAW_SUFFIXES: frozenset[str] = frozenset(
    {
        ".3fr", ".ari", ".arw", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf", ".fff", ".iiq",
        ".k25", ".kdc", ".mef", ".mos", ".mrw", ".nef", ".nrw", ".orf", ".pef", ".raf", ".raw",
        ".rw2", ".rwl", ".sr2", ".srf", ".srw", ".x3f",
    }
)  # fmt: skip
"""Camera RAW files (lower case, with the dot): they carry EXIF/XMP like TIFFs do."""

IMAGE_SUFFIXES: frozenset[str] = (
    frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png", ".webp", ".gif", ".heic", ".heif", ".avif"})
    | RAW_SUFFIXES
)
"""Suffixes (lower case, with the dot) of the files mediameta treats as pictures."""

CATALOG_DIR = ".mediameta"
"""The per-root folder holding the catalog; never walked, even with ``hidden=True``."""

Reader = Callable[[Path], MediaRecord]
ProgressCallback = Callable[[int, int | None], None]

CHUNK_SIZE = 48  # files per task sent to a worker: ~20 ms of reading, small enough to balance
PARALLEL_THRESHOLD = 192  # fewer files than this are read in-process: a pool costs more than it saves
CHUNK_TIMEOUT = 120.0  # seconds a worker may spend on one chunk before it counts as hung
FILE_TIMEOUT = 30.0  # seconds for one file read on its own (after a chunk hung or crashed)


def is_image_path(path: Path | str) -> bool:
    """True when the file name has one of ``IMAGE_SUFFIXES`` (case-insensitive)."""
    return os.path.splitext(path)[1].lower() in IMAGE_SUFFIXES


@dataclass(frozen=True, slots=True)
class WalkEntry:
    """A file found by ``walk``, or a place that could not be walked (``error`` is set).

    ``explicit`` is True for a path named by the caller (not discovered inside a folder).
    ``sidecars`` is set for pictures found in a folder listing (the listing says which ``.xmp``
    sidecars exist without a ``stat`` each); None means not looked up.
    """

    path: Path
    error: str | None = None
    explicit: bool = False
    sidecars: tuple[Path, ...] | None = None  # a picture's .xmp sidecars when the walk listed its folder


# --------------------------------------------------------------------------- globs


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a glob: ``**`` spans folders, ``*`` and ``?`` stay inside one name, ``[...]`` classes."""
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif char == "[":
            # As fnmatch: "[!" negates, a "]" right after "[" or "[!" is a member, no "]" = literal "["
            member = index + 1
            if pattern[member : member + 1] == "!":
                member += 1
            if pattern[member : member + 1] == "]":
                member += 1
            end = pattern.find("]", member)
            if end == -1:
                parts.append(re.escape(char))
            else:
                body = "".join("\\" + c if c in "\\[&~|" else c for c in pattern[index + 1 : end])
                if body.startswith("!"):
                    body = "^" + body[1:]
                elif body.startswith("^"):
                    body = "\\" + body
                parts.append(f"[{body}]")
                index = end
        else:
            parts.append(re.escape(char))
        index += 1
    flags = re.IGNORECASE if os.name == "nt" else 0
    try:
        return re.compile("".join(parts) + r"\Z", flags)
    except re.error:  # a class no regex accepts ("[z-a]"): match the pattern as plain text
        return re.compile(re.escape(pattern) + r"\Z", flags)


class GlobFilter:
    """Include/exclude globs, matched against paths relative to the walked root (``/``-separated).

    A pattern without ``/`` matches a file or folder name at any depth (``*.tif``, ``drafts``); a
    pattern with ``/`` matches the whole relative path (``archive/2019/*``, ``**/rejects/*.jpg``);
    a trailing ``/`` matches folders only. An excluded folder is not entered. With include
    patterns, a file is kept only when one of them matches.
    """

    def __init__(self, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> None:
        self.include = tuple(include)
        self.exclude = tuple(exclude)

    @staticmethod
    def _matches(pattern: str, relative: str, *, is_dir: bool) -> bool:
        if pattern.endswith("/"):
            if not is_dir:
                return False
            pattern = pattern.rstrip("/")
        pattern = pattern.removeprefix("./")
        if "/" in pattern:
            return _glob_regex(pattern.lstrip("/")).match(relative) is not None
        return _glob_regex(pattern).match(relative.rsplit("/", 1)[-1]) is not None

    def excludes(self, relative: str, *, is_dir: bool) -> bool:
        return any(self._matches(pattern, relative, is_dir=is_dir) for pattern in self.exclude)

    def keeps_file(self, relative: str) -> bool:
        if self.excludes(relative, is_dir=False):
            return False
        return not self.include or any(self._matches(p, relative, is_dir=False) for p in self.include)


# --------------------------------------------------------------------------- walking


def _describe(exc: OSError | ValueError) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def walk(
    paths: Iterable[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    hidden: bool = False,
) -> Iterator[WalkEntry]:
    """Every file under ``paths``, depth first, names sorted, each file once.

    A path that is a file is yielded as given (``explicit=True``), whatever its name, and not
    again when a folder given too contains it; a folder is walked. Symbolic links are followed,
    but a folder already walked is not entered twice, so link loops end. Names starting with ``.`` are skipped unless
    ``hidden``; the catalog folder ``.mediameta`` always is. Folders that cannot be listed and
    paths that do not exist come out as entries with ``error`` set; nothing raises.
    """
    filters = GlobFilter(include, exclude)
    seen_dirs: set[tuple[int, int]] = set()
    given: list[tuple[Path, os.stat_result | OSError]] = []
    named: dict[str, set[tuple[int, int]]] = {}  # name -> (device, inode) of the files named
    for path in paths:
        try:
            info: os.stat_result | OSError = os.stat(path)
        except OSError as exc:
            info = exc
        except ValueError as exc:  # a NUL in the name
            info = OSError(0, str(exc))
        given.append((Path(path), info))
        if isinstance(info, os.stat_result) and not stat.S_ISDIR(info.st_mode):
            named.setdefault(Path(path).name, set()).add((info.st_dev, info.st_ino))
    yielded: set[tuple[int, int]] = set()
    for path, info in given:
        if isinstance(info, OSError):
            yield WalkEntry(path, error=_describe(info), explicit=True)
        elif not stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) not in yielded:  # named twice: once
                yielded.add((info.st_dev, info.st_ino))
                yield WalkEntry(path, explicit=True)
        else:
            yield from _walk_dir(path, info, filters, hidden, seen_dirs, named)


def _walk_dir(
    root: Path,
    root_info: os.stat_result,
    filters: GlobFilter,
    hidden: bool,
    seen: set[tuple[int, int]],
    named: dict[str, set[tuple[int, int]]],
) -> Iterator[WalkEntry]:
    if (root_info.st_dev, root_info.st_ino) in seen:
        return
    seen.add((root_info.st_dev, root_info.st_ino))
    # Depth first in name order: a stack of (remaining entries of a folder, its relative path).
    stack: list[tuple[Iterator[os.DirEntry[str]], str, frozenset[str]]] = []
    listing = _list(os.fspath(root))
    if isinstance(listing, WalkEntry):
        yield listing
        return
    stack.append((iter(listing), "", _names(listing)))
    while stack:
        entries, relative_folder, names = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        if name == CATALOG_DIR or (not hidden and name.startswith(".")):
            continue
        relative = f"{relative_folder}/{name}" if relative_folder else name
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if not is_dir:
            if filters.keeps_file(relative) and not (name in named and _named_already(entry, named[name])):
                if is_image_path(name):
                    folder = os.path.dirname(entry.path)
                    found = tuple(Path(folder, sidecar) for sidecar in sidecar_names(name, names))
                    yield WalkEntry(Path(entry.path), sidecars=found)
                else:
                    yield WalkEntry(Path(entry.path))
            continue
        if filters.excludes(relative, is_dir=True):
            continue
        try:
            info = entry.stat()
        except OSError as exc:
            yield WalkEntry(Path(entry.path), error=f"cannot open folder: {_describe(exc)}")
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue  # a symlink loop, or a second link to a folder already walked
        seen.add(key)
        listing = _list(entry.path)
        if isinstance(listing, WalkEntry):
            yield listing
        else:
            stack.append((iter(listing), relative, _names(listing)))


def _names(listing: list[os.DirEntry[str]]) -> frozenset[str]:
    return frozenset(entry.name for entry in listing)


def sidecar_names(name: str, names: Iterable[str] | frozenset[str]) -> list[str]:
    """The ``.xmp`` sidecars of picture ``name`` among a folder's ``names``, in the reader's merge
    order (``IMG_1.xmp`` before ``IMG_1.jpg.xmp``, as ``mediameta.media.sidecar`` looks them up)."""
    present = names if isinstance(names, frozenset) else frozenset(names)
    stem = os.path.splitext(name)[0]
    return [
        candidate
        for candidate in (stem + ".xmp", stem + ".XMP", name + ".xmp", name + ".XMP")
        if candidate in present
    ]


def _named_already(entry: os.DirEntry[str], keys: set[tuple[int, int]]) -> bool:
    """The caller also named this file on its own: it comes out there, not twice."""
    try:
        info = entry.stat()
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in keys


def _list(folder: str) -> list[os.DirEntry[str]] | WalkEntry:
    try:
        with os.scandir(folder) as iterator:
            return sorted(iterator, key=lambda entry: entry.name)
    except OSError as exc:
        return WalkEntry(Path(folder), error=f"cannot list folder: {_describe(exc)}")


def iter_image_files(
    paths: Iterable[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    hidden: bool = False,
    keep_explicit: bool = False,
) -> Iterator[WalkEntry]:
    """``walk`` narrowed to pictures (``IMAGE_SUFFIXES``) plus the error entries.

    With ``keep_explicit`` a file the caller named is kept whatever its suffix (``mediameta scan
    notes.txt`` should say "unsupported format", not silently print nothing).
    """
    for entry in walk(paths, include=include, exclude=exclude, hidden=hidden):
        if entry.error is not None or is_image_path(entry.path) or (keep_explicit and entry.explicit):
            yield entry


# --------------------------------------------------------------------------- reading


def _default_reader() -> Reader:
    from mediameta.media.read import read_record

    return read_record


def _failed_record(path: str, message: str) -> MediaRecord:
    return MediaRecord(path=path, errors=[BlockError(block="file", message=message)])


def _read_one(reader: Reader | None, path: str, sidecars: Sidecars = None) -> MediaRecord:
    """Read one file with ``reader``, or with ``read_record`` told the sidecars the walk found."""
    try:
        if reader is not None:
            record = reader(Path(path))
        elif sidecars is None:
            record = _default_reader()(Path(path))
        else:
            from mediameta.media.read import read_record

            record = read_record(Path(path), sidecars=[Path(sidecar) for sidecar in sidecars])
    except Exception as exc:  # the reader promises not to raise; a scan must survive if it does
        return _failed_record(path, f"reader failed: {type(exc).__name__}: {exc}")
    record.path = path
    return record


def _stamp(sidecars: tuple[str, ...]) -> str:
    """Name, size and mtime of each sidecar: part of the cache key, so editing one re-reads."""
    parts = []
    for sidecar in sidecars:
        try:
            info = os.stat(sidecar)
        except OSError:
            parts.append(f"{os.path.basename(sidecar)}:-")
            continue
        parts.append(f"{os.path.basename(sidecar)}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


def _noop_reader(path: Path) -> MediaRecord:
    return MediaRecord(path=str(path))


Sidecars = tuple[str, ...] | None  # a picture's sidecar paths when known, else None (the reader looks)
_Task = tuple[str, Sidecars]
_Read = tuple[str, bool]  # a record as JSON, and whether it has errors


def _read_chunk(reader: Reader | None, tasks: list[_Task]) -> list[_Read]:
    """Worker-process task: read each file; JSON is cheap to ship, to cache and to print."""
    out: list[_Read] = []
    for path, sidecars in tasks:
        record = _read_one(reader, path, sidecars)
        out.append((record_json(record), bool(record.errors)))
    return out


def is_utf8(text: str) -> bool:
    """False for text holding bytes of a file name that are not UTF-8 (kept by Python as lone
    surrogates): such text cannot go into UTF-8 output, JSON or SQLite text as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_path(text: str) -> str:
    """A path (or any text holding one) fit for output: bytes of a file name that are not UTF-8
    (a name from another system; Python keeps them as surrogates) shown as ``\\xNN``."""
    if is_utf8(text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _printable(value: object) -> object:
    if isinstance(value, str):
        return printable_path(value)
    if isinstance(value, dict):
        return {printable_path(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return value


def record_json(record: MediaRecord, indent: int | None = None) -> str:
    """``record.model_dump_json(indent=indent)``; a record holding a non-UTF-8 file name (JSON
    cannot) gets that name printed as ``\\xNN`` instead of failing the whole output."""
    try:
        return record.model_dump_json(indent=indent)
    except (pydantic_core.PydanticSerializationError, UnicodeEncodeError):
        printable = MediaRecord.model_validate(_printable(record.model_dump()))
        return printable.model_dump_json(indent=indent)


_PATH_PREFIX = '{"path":'
_DECODER = json.JSONDecoder()


def _json_with_path(text: str, path: str) -> str:
    """A record's JSON with another ``path`` (the first key, as MediaRecord declares it)."""
    if not text.startswith(_PATH_PREFIX):
        raise ValueError("not a MediaRecord JSON object")
    _, end = _DECODER.raw_decode(text, len(_PATH_PREFIX))
    return _PATH_PREFIX + pydantic_core.to_json(printable_path(path)).decode() + text[end:]


class ScanResult:
    """One scanned file: its ``MediaRecord`` and the record's JSON, each made only when asked.

    A cache hit is JSON already, a record read in a worker process arrives as JSON: printing
    ``json`` then costs no parsing; ``record`` parses once. ``has_errors`` is always known.
    """

    __slots__ = ("_json", "_record", "has_errors", "path")

    def __init__(
        self, path: str, *, record: MediaRecord | None = None, json_text: str | None = None, has_errors: bool
    ) -> None:
        self.path = path
        self._record = record
        self._json = json_text
        self.has_errors = has_errors

    @property
    def record(self) -> MediaRecord:
        if self._record is None:
            try:
                self._record = MediaRecord.model_validate_json(self._json or "")
            except ValueError as exc:  # a catalog row altered behind our back
                message = f"cached record unreadable ({type(exc).__name__}); rescan with --no-cache"
                self._record = _failed_record(self.path, message)
                self.has_errors = True
            self._record.path = self.path
        return self._record

    @property
    def json(self) -> str:
        """``record.model_dump_json()``, without building the record when it is not built yet."""
        if self._json is None:
            self._json = record_json(self.record)
        return self._json


@dataclass(slots=True)
class _Item:
    display: str  # the path as walked: what the record's ``path`` says
    key: CacheKey | None = None
    sidecars: Sidecars = None
    result: ScanResult | None = None  # known already (cache hit, walk error) or once read

    @property
    def task(self) -> _Task:
        return self.display, self.sidecars


@dataclass(slots=True)
class _Chunk:
    items: list[_Item]
    pending: list[_Item]  # items still to read, in order
    future: Future[list[_Read]] | None = None


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's processes now (a hung read never returns; shutdown alone would wait for it)."""
    processes = getattr(pool, "_processes", None) or {}  # no public API for this in the stdlib
    for process in list(processes.values()):
        process.kill()


def _worker_init() -> None:
    """Ctrl-C reaches the whole process group: the parent stops the scan, workers just end quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork is fastest, but forking a process with other threads (a Textual worker) can deadlock."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def scan(
    paths: Iterable[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    hidden: bool = False,
    jobs: int | None = None,
    cache: Catalog | None = None,
    progress: ProgressCallback | None = None,
    reader: Reader | None = None,
    keep_explicit: bool = True,
) -> Iterator[MediaRecord]:
    """One ``MediaRecord`` per picture under ``paths``, in walk order, as soon as each is known.

    Files whose (absolute path, size, mtime_ns) match the ``cache`` are not read again; new
    records are stored back. Cache misses are read in ``jobs`` worker processes (default: the
    usable cores) in chunks, at most a few chunks per worker in flight; ``jobs=1`` or a small
    folder reads in this process. A folder that cannot be listed or a file that cannot be
    stat'ed becomes a record with a ``file`` error. ``progress(done, total)`` is called as records
    come out; ``total`` is None until the walk has finished. ``reader`` replaces
    ``mediameta.media.read.read_record`` (it must be a picklable module-level function when
    ``jobs > 1``).
    """
    for result in scan_results(
        paths,
        include=include,
        exclude=exclude,
        hidden=hidden,
        jobs=jobs,
        cache=cache,
        progress=progress,
        reader=reader,
        keep_explicit=keep_explicit,
    ):
        yield result.record


def scan_results(
    paths: Iterable[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    hidden: bool = False,
    jobs: int | None = None,
    cache: Catalog | None = None,
    progress: ProgressCallback | None = None,
    reader: Reader | None = None,
    keep_explicit: bool = True,
) -> Iterator[ScanResult]:
    """``scan`` yielding ``ScanResult`` s: for callers that print JSON (``mediameta scan``), a
    warm rescan then parses nothing."""
    workers = default_jobs() if jobs is None else max(1, jobs)
    entries = iter_image_files(
        paths, include=include, exclude=exclude, hidden=hidden, keep_explicit=keep_explicit
    )
    yield from _Scanner(entries, workers, cache, progress, reader).run()


class _Scanner:
    def __init__(
        self,
        entries: Iterator[WalkEntry],
        workers: int,
        cache: Catalog | None,
        progress: ProgressCallback | None,
        reader: Reader | None,
    ) -> None:
        self.entries = entries
        self.workers = workers
        self.cache = cache
        self.progress = progress
        self.reader = reader
        self.walked = 0
        self.walk_done = False
        self.done = 0
        self.pool: ProcessPoolExecutor | None = None
        self.listings: dict[str, frozenset[str]] = {}  # folder -> names, for files named on their own

    def _next_chunk(self) -> _Chunk | None:
        items: list[_Item] = []
        for entry in self.entries:
            self.walked += 1
            items.append(self._item(entry))
            if len(items) >= CHUNK_SIZE:
                break
        else:
            self.walk_done = True
        if not items:
            return None
        if self.cache is not None:
            keys = [item.key for item in items if item.key is not None and item.result is None]
            hits = self.cache.lookup(keys)
            for item in items:
                cached = hits.get(item.key.path) if item.key is not None and item.result is None else None
                if cached is None:
                    continue
                try:
                    text = _json_with_path(cached.json, item.display)
                except ValueError:
                    continue  # not a record: read the file again
                item.result = ScanResult(item.display, json_text=text, has_errors=cached.has_errors)
        return _Chunk(items, [item for item in items if item.result is None])

    def _item(self, entry: WalkEntry) -> _Item:
        display = os.fspath(entry.path)
        if entry.error is not None:
            return _Item(
                display,
                result=ScanResult(display, record=_failed_record(display, entry.error), has_errors=True),
            )
        try:
            info = os.stat(display)
        except (OSError, ValueError) as exc:
            failed = _failed_record(display, _describe(exc))
            return _Item(display, result=ScanResult(display, record=failed, has_errors=True))
        if entry.sidecars is not None:
            sidecars: Sidecars = tuple(os.fspath(sidecar) for sidecar in entry.sidecars)
        else:
            sidecars = self._sidecars_of(display)
        stamp = _stamp(sidecars) if sidecars else ""
        return _Item(
            display, CacheKey(os.path.abspath(display), info.st_size, info.st_mtime_ns, stamp), sidecars
        )

    def _sidecars_of(self, path: str) -> Sidecars:
        """Sidecars of a file named on its own: from its folder's listing, listed once per folder."""
        folder = os.path.dirname(path)
        names = self.listings.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder or "."))
            except OSError:
                return None  # the reader will look for itself
            if len(self.listings) >= 8:
                self.listings.pop(next(iter(self.listings)))
            self.listings[folder] = names
        return tuple(os.path.join(folder, name) for name in sidecar_names(os.path.basename(path), names))

    def _submit(self, chunk: _Chunk) -> None:
        if not chunk.pending or self.workers == 1:
            return
        try:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=_pool_context(), initializer=_worker_init
                )
            chunk.future = self.pool.submit(_read_chunk, self.reader, [item.task for item in chunk.pending])
        except Exception:  # no processes here (sandbox, broken pool): read in this process
            self._drop_pool()
            self.workers = 1

    def _drop_pool(self, *, kill: bool = False) -> None:
        if self.pool is not None:
            if kill:
                _kill_workers(self.pool)
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def _recover(self, tasks: list[_Task], *, hung: bool) -> list[_Read]:
        """A worker died or hung under this chunk (or another chunk in flight): try again, then
        file by file.

        A new pool that cannot even run a no-op means processes do not work here: read in this
        process from now on. Otherwise a chunk whose worker died is retried once (it may have died
        for another chunk's file); a chunk that hung, or died again, is read one file per process
        with a time limit, so only the file that kills or hangs the reader gets an error record.
        """
        self._drop_pool(kill=hung)
        try:
            with ProcessPoolExecutor(1, mp_context=_pool_context(), initializer=_worker_init) as probe:
                probe.submit(_read_chunk, _noop_reader, []).result(timeout=FILE_TIMEOUT)
        except Exception:
            self.workers = 1
            return _read_chunk(self.reader, tasks)
        if not hung:
            retry = ProcessPoolExecutor(1, mp_context=_pool_context(), initializer=_worker_init)
            try:
                return retry.submit(_read_chunk, self.reader, tasks).result(timeout=CHUNK_TIMEOUT)
            except Exception:
                _kill_workers(retry)
            finally:
                retry.shutdown(wait=False, cancel_futures=True)
        return [self._read_alone(task) for task in tasks]

    def _read_alone(self, task: _Task) -> _Read:
        alone = ProcessPoolExecutor(1, mp_context=_pool_context(), initializer=_worker_init)
        try:
            return alone.submit(_read_chunk, self.reader, [task]).result(timeout=FILE_TIMEOUT)[0]
        except TimeoutError:
            _kill_workers(alone)
            message = f"reading took longer than {FILE_TIMEOUT:g} s: stopped"
        except Exception as exc:
            message = f"the reader's process died reading this file ({type(exc).__name__})"
        finally:
            alone.shutdown(wait=False, cancel_futures=True)
        return record_json(_failed_record(task[0], message)), True

    def _finish(self, chunk: _Chunk) -> list[ScanResult]:
        if chunk.pending:
            if chunk.future is not None:
                try:
                    read = chunk.future.result(timeout=CHUNK_TIMEOUT)
                except TimeoutError:
                    read = self._recover([item.task for item in chunk.pending], hung=True)
                except Exception:
                    read = self._recover([item.task for item in chunk.pending], hung=False)
                for item, (text, has_errors) in zip(chunk.pending, read, strict=True):
                    item.result = ScanResult(item.display, json_text=text, has_errors=has_errors)
            else:
                for item in chunk.pending:
                    record = _read_one(self.reader, item.display, item.sidecars)
                    item.result = ScanResult(item.display, record=record, has_errors=bool(record.errors))
            if self.cache is not None:
                self.cache.store_records(
                    [
                        (item.key, CachedRecord(item.result.json, item.result.has_errors))
                        for item in chunk.pending
                        if item.key is not None and item.result is not None
                    ]
                )
        out = [item.result for item in chunk.items if item.result is not None]
        self.done += len(out)
        if self.progress is not None:
            self.progress(self.done, self.walked if self.walk_done else None)
        return out

    def run(self) -> Iterator[ScanResult]:
        if self.workers > 1:
            # Look ahead: a folder smaller than the threshold is read in this process.
            head = list(itertools.islice(self.entries, PARALLEL_THRESHOLD))
            if len(head) < PARALLEL_THRESHOLD:
                self.workers = 1
            self.entries = itertools.chain(head, self.entries)
        window: collections.deque[_Chunk] = collections.deque()
        limit = self.workers * 3
        try:
            while True:
                while not self.walk_done and len(window) < limit:
                    chunk = self._next_chunk()
                    if chunk is None:
                        break
                    self._submit(chunk)
                    window.append(chunk)
                    if chunk.future is None and chunk.pending:
                        break  # read in-process: yield it before walking further ahead
                if not window:
                    return
                yield from self._finish(window.popleft())
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = None
