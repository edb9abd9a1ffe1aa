"""The check engine: files on disk → articles and image records → links → rules → a Report.

``run_check`` is what ``mediameta check`` and the desk's loader call; ``run_rules`` re-runs the rules
on a context the desk has edited. Errors are data throughout: a file that cannot be read becomes an
``Unreadable`` (or a record/article with errors) that the MM9xx rules report, and a rule that crashes
becomes an ``MM999 rule-crashed`` finding instead of stopping the run.

What is checked under the given paths (hidden files and the ``.mediameta`` cache folder are skipped):

* pictures: the scanner's ``IMAGE_SUFFIXES`` (read with the scan cache, in ``jobs`` processes);
* caption sidecars: ``IMG_1.txt`` / ``IMG_1.json`` (or ``IMG_1.jpg.txt``) next to ``IMG_1.jpg``;
* caption manifests: ``captions.csv``, ``captions.json``, ``manifest.csv``, ``manifest.json``;
* articles: the article reader's suffixes (``.txt``, ``.md``, ``.html`` ...), except project files
  named README, CHANGELOG, LICENSE, CONTRIBUTING, NOTICE or AUTHORS (any suffix);
* a picture an article names that lies outside the given paths is read too, so it is not reported
  as missing.

With a cache (a ``mediameta.catalog.Catalog``), image records come from the catalog's scan cache, and
perceptual hashes, parsed articles and parsed embedded captions from ``catalog-check.sqlite`` next
to it, keyed by absolute path, size and mtime (articles and captions also by the caption code's version
and the agency catalogue): a second check of an unchanged folder reads and parses nothing again.
The links and findings of a run are cached too, keyed by every input file's path, size and mtime, the
config, the day (``today``: date rules depend on it) and the code's fingerprint; when all of them
match, the rules don't run again (any change to any of them: they all do, since rules are cross-file).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError

from mediameta.checks.context import CaptionLink, CheckContext, Unreadable
from mediameta.checks.registry import Rule
from mediameta.config import Config, catalogue_for, enabled_rules, is_ignored, load_config, with_overrides
from mediameta.dedup import HASH_VERSION, image_hash
from mediameta.link import (
    MANIFEST_NAMES,
    SIDECAR_SUFFIXES,
    known_parsed,
    link_captions,
    path_key,
    read_manifest,
    read_sidecar,
    remember_parsed,
    resolve_ref,
    sidecar_image,
)
from mediameta.models import (
    SEVERITY_RANK,
    Article,
    Caption,
    Finding,
    Link,
    LinkCaption,
    MediaRecord,
    Report,
    Summary,
)

if TYPE_CHECKING:
    from mediameta.catalog import Catalog

_Model = TypeVar("_Model", bound=BaseModel)
ProgressCallback = Callable[[str, int, int | None], None]
ArticleCallback = Callable[[Article], None]
RecordCallback = Callable[[MediaRecord], None]

CRASH_CODE = "MM999"
CRASH_NAME = "rule-crashed"
PROJECT_FILES: frozenset[str] = frozenset(
    {"readme", "changelog", "license", "contributing", "notice", "authors"}
)
CHECK_CACHE_SUFFIX = "-check.sqlite"  # next to the catalog: catalog.sqlite -> catalog-check.sqlite
_HASH_TABLE = f"hashes_v{HASH_VERSION}"  # a new hash algorithm starts a new table
_PARALLEL_HASHES = 256  # fewer misses than this are hashed in-process
_PARALLEL_ARTICLES = 32  # fewer articles than this are read in-process
_KEPT_RUNS = 8  # cached whole-run results kept
_FALLBACK_ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})


@dataclass
class CheckRun:
    """The outcome of a check: everything the rules saw, and the report they produced."""

    context: CheckContext
    report: Report


@dataclass
class Discovery:
    """The files under the checked paths, by kind."""

    images: list[Path] = field(default_factory=list)
    articles: list[Path] = field(default_factory=list)
    sidecars: list[tuple[Path, str]] = field(default_factory=list)  # (caption file, image file name)
    manifests: list[Path] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


def article_suffixes() -> frozenset[str]:
    try:
        from mediameta.captions.extract import ARTICLE_SUFFIXES
    except ImportError:  # the article reader not installed in this build: the common suffixes
        return _FALLBACK_ARTICLE_SUFFIXES
    return frozenset(ARTICLE_SUFFIXES)


def discover(paths: Iterable[Path]) -> Discovery:
    """Walk ``paths`` and sort every file into pictures, articles, sidecars and manifests."""
    from mediameta.media.scan import is_image_path, walk

    found = Discovery()
    entries = list(walk(paths))
    images_by_folder: dict[str, list[str]] = {}
    for entry in entries:
        if entry.error is None and is_image_path(entry.path):
            images_by_folder.setdefault(str(entry.path.parent), []).append(entry.path.name)
    suffixes = article_suffixes()
    for entry in entries:
        path = entry.path
        if entry.error is not None:
            found.unreadable.append(Unreadable(path=str(path), message=entry.error))
            continue
        suffix = path.suffix.lower()
        if is_image_path(path):
            found.images.append(path)
        elif path.name.lower() in MANIFEST_NAMES:
            found.manifests.append(path)
        elif suffix in SIDECAR_SUFFIXES and (
            image := sidecar_image(path, images_by_folder.get(str(path.parent), []))
        ):
            found.sidecars.append((path, image))
        elif suffix in suffixes and path.stem.split(".")[0].lower() not in PROJECT_FILES:
            found.articles.append(path)
        elif entry.explicit:
            found.unreadable.append(
                Unreadable(
                    path=str(path), message="not a picture, an article, a caption sidecar or a manifest"
                )
            )
    return found


# --------------------------------------------------------------------------- cache


class CheckCache:
    """Perceptual hashes and parsed articles, keyed by (absolute path, size, mtime_ns)."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(
            f"CREATE TABLE IF NOT EXISTS {_HASH_TABLE} (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
            " hash TEXT) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
            " version TEXT, article TEXT) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS captions (text TEXT PRIMARY KEY, version TEXT, caption TEXT) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS runs (key TEXT UNIQUE, links TEXT, findings TEXT);"
        )

    @classmethod
    def beside(cls, catalog: Catalog) -> CheckCache | None:
        """The check cache next to a catalog's file; None when it cannot be opened (no cache then)."""
        from mediameta.catalog import cache_version

        try:
            location = Path(catalog.path)
            version = f"{cache_version()}:{parser_version()}"  # articles and captions are parsed
            return cls(location.with_name(location.stem + CHECK_CACHE_SUFFIX), version)
        except (sqlite3.Error, OSError):
            return None

    def _lookup(
        self, table: str, column: str, keys: dict[str, tuple[int, int]], version: str | None
    ) -> dict[str, str]:
        """The ``column`` of the rows whose path, size and mtime (and ``version``, when given) match.
        Paths are stored as ``sqlite_path`` makes them: a file name that is not UTF-8 as its bytes."""
        from mediameta.catalog import sqlite_path

        found: dict[str, str] = {}
        stored = {sqlite_path(path): path for path in keys}
        wanted = list(stored)
        with self._lock:
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                rows = self._connection.execute(
                    f"SELECT path, size, mtime_ns, {column}{', version' if version is not None else ''} FROM {table} "
                    f"WHERE path IN ({','.join('?' * len(batch))})",
                    batch,
                ).fetchall()
                for row in rows:
                    path = stored.get(row[0])
                    if path is None:
                        continue
                    if keys[path] == (row[1], row[2]) and (version is None or row[4] == version):
                        found[path] = row[3]
        return found

    def hashes(self, keys: dict[str, tuple[int, int]]) -> dict[str, str]:
        return self._lookup(_HASH_TABLE, "hash", keys, version=None)

    def store_hashes(self, rows: Sequence[tuple[str, int, int, str]]) -> None:
        from mediameta.catalog import sqlite_path

        with self._lock:
            self._connection.execute("BEGIN")
            self._connection.executemany(
                f"INSERT OR REPLACE INTO {_HASH_TABLE} VALUES (?, ?, ?, ?)",
                [(sqlite_path(path), size, mtime, value) for path, size, mtime, value in rows],
            )
            self._connection.execute("COMMIT")

    def articles(self, keys: dict[str, tuple[int, int]], flavour: str) -> dict[str, str]:
        """Parsed articles (JSON), for this code version and agency catalogue (``flavour``)."""
        return self._lookup("articles", "article", keys, version=f"{self.version}:{flavour}")

    def store_articles(self, rows: Sequence[tuple[str, int, int, str]], flavour: str) -> None:
        from mediameta.catalog import sqlite_path

        version = f"{self.version}:{flavour}"
        with self._lock:
            self._connection.execute("BEGIN")
            self._connection.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                [(sqlite_path(path), size, mtime, version, text) for path, size, mtime, text in rows],
            )
            self._connection.execute("COMMIT")

    def captions(self, texts: Sequence[str], flavour: str) -> dict[str, str]:
        """Parsed captions (JSON) of embedded descriptions, for this code version and agency catalogue."""
        from mediameta.media.scan import is_utf8

        found: dict[str, str] = {}
        version = f"{self.version}:{flavour}"
        texts = [text for text in texts if is_utf8(text)]  # SQLite text holds no lone surrogate
        with self._lock:
            for start in range(0, len(texts), 500):
                batch = list(texts[start : start + 500])
                rows = self._connection.execute(
                    f"SELECT text, version, caption FROM captions WHERE text IN ({','.join('?' * len(batch))})",
                    batch,
                ).fetchall()
                found.update((text, caption) for text, row_version, caption in rows if row_version == version)
        return found

    def store_captions(self, rows: Sequence[tuple[str, str]], flavour: str) -> None:
        from mediameta.media.scan import is_utf8

        version = f"{self.version}:{flavour}"
        with self._lock:
            self._connection.execute("BEGIN")
            self._connection.executemany(
                "INSERT OR REPLACE INTO captions VALUES (?, ?, ?)",
                [(text, version, js) for text, js in rows if is_utf8(text)],
            )
            self._connection.execute("COMMIT")

    def run(self, key: str) -> tuple[str, str] | None:
        """The links and findings (JSON) of an earlier run with exactly these inputs, or None."""
        with self._lock:
            row = self._connection.execute(
                "SELECT links, findings FROM runs WHERE key = ?", (key,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def store_run(self, key: str, links: str, findings: str) -> None:
        with self._lock:
            self._connection.execute("BEGIN")
            self._connection.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (key, links, findings))
            # keep the latest few: a changed file makes a new key, old ones are never asked for again
            self._connection.execute(
                f"DELETE FROM runs WHERE rowid NOT IN (SELECT rowid FROM runs ORDER BY rowid DESC LIMIT {_KEPT_RUNS})"
            )
            self._connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def model_json(model: BaseModel) -> str:
    """A model as JSON for the cache or a worker's reply. A file name that is not UTF-8 (a
    surrogate-escaped str) cannot go into UTF-8 JSON: such a model is written with ASCII escapes,
    which :func:`model_from_json` reads back to the same str."""
    try:
        return model.model_dump_json()
    except PydanticSerializationError:
        return json.dumps(model.model_dump(mode="json"))


def model_from_json(cls: type[_Model], text: str) -> _Model:
    """The model :func:`model_json` wrote (pydantic's own JSON parser refuses lone surrogate escapes)."""
    try:
        return cls.model_validate_json(text)
    except ValidationError:
        return cls.model_validate(json.loads(text))


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return os.path.abspath(path), info.st_size, info.st_mtime_ns


# --------------------------------------------------------------------------- stages


def _article_worker(
    paths: list[str], agencies: Sequence[dict[str, Any]] = ()
) -> list[tuple[str | None, str | None]]:
    """Worker-process task: read articles with the shipped agency catalogue extended by ``agencies``
    (the config's entries: plain data crosses to a worker process, the catalogue is rebuilt there),
    return (Article JSON, None) or (None, error) per path."""
    from mediameta.captions.extract import read_article

    catalogue = catalogue_for(Config(agencies=list(agencies)))
    results: list[tuple[str | None, str | None]] = []
    for path in paths:
        try:
            results.append((model_json(read_article(Path(path), catalogue=catalogue)), None))
        except Exception as exc:  # the reader promises not to raise; the run must survive if it does
            results.append((None, f"article reader failed: {type(exc).__name__}: {exc}"))
    return results


def _read_articles(
    found: Discovery,
    config: Config,
    cache: CheckCache | None,
    progress: ProgressCallback | None,
    on_article: ArticleCallback | None,
    jobs: int = 1,
) -> tuple[list[Article], list[Unreadable]]:
    """Articles (from the cache, else read; in ``jobs`` processes when there are many), then sidecars
    and manifests, all parsed with the config's agency catalogue. The result keeps discovery order
    whatever order they were read in."""
    total = len(found.articles) + len(found.sidecars) + len(found.manifests)
    stamps = {str(path): _stamp(path) for path in found.articles}
    keys = {stamp[0]: (stamp[1], stamp[2]) for stamp in stamps.values() if stamp is not None}
    flavour = _agencies_flavour(config)
    catalogue = catalogue_for(config)
    cached = cache.articles(keys, flavour) if cache is not None else {}
    by_path: dict[str, Article] = {}
    unreadable: list[Unreadable] = []
    fresh: list[tuple[str, int, int, str]] = []
    done = 0

    def add(article: Article) -> None:
        nonlocal done
        by_path[article.path] = article
        done += 1
        if on_article is not None:
            on_article(article)
        if progress is not None:
            progress("articles", done, total)

    missing: list[str] = []
    for path in found.articles:
        stamp = stamps[str(path)]
        text = cached.get(stamp[0]) if stamp is not None else None
        if text is None:
            missing.append(str(path))
            continue
        article = model_from_json(Article, text)
        article.path = str(path)
        for occurrence in article.captions:
            occurrence.path = str(path)
        add(article)

    def take(path: str, result: tuple[str | None, str | None]) -> None:
        nonlocal done
        data, problem = result
        if data is None:
            unreadable.append(Unreadable(path=path, message=problem or "article reader failed"))
            done += 1
            return
        stamp = stamps[path]
        if stamp is not None:
            fresh.append((*stamp, data))
        add(model_from_json(Article, data))

    if jobs > 1 and len(missing) >= _PARALLEL_ARTICLES:
        chunk = max(8, len(missing) // (jobs * 8))
        batches = [missing[i : i + chunk] for i in range(0, len(missing), chunk)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
            worker = functools.partial(_article_worker, agencies=config.agencies)
            for batch, results in zip(batches, pool.map(worker, batches), strict=True):
                for name, result in zip(batch, results, strict=True):
                    take(name, result)
    else:
        for name in missing:
            take(name, _article_worker([name], config.agencies)[0])
    if cache is not None and fresh:
        cache.store_articles(fresh, flavour)
    articles = [by_path[str(path)] for path in found.articles if str(path) in by_path]
    for sidecar, image in found.sidecars:
        add(read_sidecar(sidecar, image, catalogue))
        articles.append(by_path[str(sidecar)])
    for manifest in found.manifests:
        add(read_manifest(manifest, catalogue))
        articles.append(by_path[str(manifest)])
    return articles, unreadable


def _referenced_outside(articles: Sequence[Article], records: Sequence[MediaRecord]) -> list[Path]:
    """Pictures the articles name that exist on disk but lie outside the checked paths."""
    from mediameta.media.scan import is_image_path

    known = {path_key(record.path) for record in records}
    extra: dict[str, Path] = {}
    for article in articles:
        for occurrence in article.captions:
            if not occurrence.image_ref:
                continue
            resolved = resolve_ref(article.path, occurrence.image_ref)
            if resolved is None or not is_image_path(resolved):
                continue
            key = path_key(resolved)
            if key not in known and key not in extra and os.path.isfile(resolved):
                extra[key] = Path(resolved)
    return list(extra.values())


def _hash_worker(paths: list[str]) -> list[str | None]:
    return [image_hash(Path(path)) for path in paths]


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _hash_records(
    records: Sequence[MediaRecord], cache: CheckCache | None, jobs: int, progress: ProgressCallback | None
) -> dict[str, str]:
    hashable = [record for record in records if not any(error.block == "file" for error in record.errors)]
    stamps: dict[str, tuple[str, int, int]] = {}
    for record in hashable:
        if record.size is not None and record.mtime_ns is not None:
            stamps[record.path] = (os.path.abspath(record.path), record.size, record.mtime_ns)
        elif (stamp := _stamp(Path(record.path))) is not None:
            stamps[record.path] = stamp
    cached = (
        cache.hashes({stamp[0]: (stamp[1], stamp[2]) for stamp in stamps.values()})
        if cache is not None
        else {}
    )
    hashes: dict[str, str] = {}
    missing: list[str] = []
    for record in hashable:
        stamp = stamps.get(record.path)
        value = cached.get(stamp[0]) if stamp is not None else None
        if value is not None:
            hashes[record.path] = value
        else:
            missing.append(record.path)
    total = len(hashable)
    if progress is not None:
        progress("hashes", len(hashes), total)
    computed: list[str | None]
    if jobs > 1 and len(missing) >= _PARALLEL_HASHES:
        chunk = max(16, len(missing) // (jobs * 8))
        batches = [missing[i : i + chunk] for i in range(0, len(missing), chunk)]
        computed = []
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
            for result in pool.map(_hash_worker, batches):
                computed.extend(result)
                if progress is not None:
                    progress("hashes", len(hashes) + len(computed), total)
    else:
        computed = []
        for index, path in enumerate(missing, 1):
            computed.append(image_hash(Path(path)))
            if progress is not None and (index % 256 == 0 or index == len(missing)):
                progress("hashes", len(hashes) + index, total)
    fresh: list[tuple[str, int, int, str]] = []
    for path, value in zip(missing, computed, strict=True):
        if value is not None:
            hashes[path] = value
            stamp = stamps.get(path)
            if stamp is not None:
                fresh.append((*stamp, value))
    if cache is not None and fresh:
        cache.store_hashes(fresh)
    return hashes


def folder_fingerprint(folder: Path) -> str:
    """A digest of every file under ``folder`` (names and bytes; compiled caches left out)."""
    digest = hashlib.sha256()
    files = sorted(path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    for source in files:
        with contextlib.suppress(OSError):
            digest.update(str(source.relative_to(folder)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:24]


@functools.cache
def parser_version() -> str:
    """A fingerprint of the caption parser and article extraction: their code and data (agency
    catalogue, gazetteer), so that cached parses are dropped when any of it changes."""
    return folder_fingerprint(Path(__file__).resolve().parents[1] / "captions")


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """A fingerprint of the code a run's links and findings depend on (readers, parser, rules, linker)."""
    from mediameta.catalog import cache_version

    digest = hashlib.sha256(cache_version().encode())
    digest.update(parser_version().encode())
    package = Path(__file__).resolve().parents[1]
    sources = sorted((package / "checks").rglob("*.py")) + [
        package / name for name in ("link.py", "dedup.py", "config.py", "models.py")
    ]
    for source in sources:
        with contextlib.suppress(OSError):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _run_key(ctx: CheckContext, found: Discovery) -> str | None:
    """The identity of a run's inputs: every file (path, size, mtime), the config, the day, the code.
    None when a file cannot be stat'ed (then nothing is cached)."""
    digest = hashlib.sha256(_code_version().encode())
    digest.update(ctx.config.model_dump_json().encode())
    # per-file ignores are relative to the config's folder; names not UTF-8 are hashed as their bytes
    digest.update(str(getattr(ctx.config, "root", None)).encode("utf-8", "surrogatepass"))
    digest.update(ctx.today.isoformat().encode())
    paths = sorted(
        {str(path) for path in found.images}
        | {str(path) for path in found.articles}
        | {str(path) for path, _image in found.sidecars}
        | {str(path) for path in found.manifests}
        | {record.path for record in ctx.records}
        | {item.path for item in ctx.unreadable}
    )
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            if any(item.path == path for item in ctx.unreadable):
                digest.update(f"{path}\0missing\n".encode("utf-8", "surrogatepass"))
                continue
            return None
        digest.update(
            f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogatepass")
        )
    return digest.hexdigest()


def _links_json(links: Sequence[CaptionLink]) -> str:
    return json.dumps(
        [
            [
                link.record.path if link.record is not None else None,
                link.method,
                link.score,
                link.image_ref,
                link.candidates,
            ]
            for link in links
        ]
    )


def _links_from_json(
    data: str, articles: Sequence[Article], records: Sequence[MediaRecord]
) -> list[CaptionLink] | None:
    rows = json.loads(data)
    occurrences = [occurrence for article in articles for occurrence in article.captions]
    if not isinstance(rows, list) or len(rows) != len(occurrences):
        return None
    by_path = {record.path: record for record in records}
    links: list[CaptionLink] = []
    for occurrence, (image, method, score, image_ref, candidates) in zip(occurrences, rows, strict=True):
        record = by_path.get(image) if image is not None else None
        if image is not None and record is None:
            return None
        links.append(
            CaptionLink(
                occurrence=occurrence,
                record=record,
                method=method,
                score=score,
                image_ref=image_ref,
                candidates=list(candidates),
            )
        )
    return links


def _agencies_flavour(config: Config) -> str:
    return hashlib.sha256(repr(config.agencies).encode("utf-8")).hexdigest()[:16]


def _preload_captions(records: Sequence[MediaRecord], config: Config, cache: CheckCache | None) -> set[str]:
    """Seed the parse memo with the cached parses of the pictures' embedded descriptions."""
    if cache is None:
        return set()
    catalogue = catalogue_for(config)
    texts = sorted({record.description for record in records if record.description})
    loaded: set[str] = set()
    for text, data in cache.captions(texts, _agencies_flavour(config)).items():
        try:
            remember_parsed(text, catalogue, model_from_json(Caption, data))
        except ValueError:
            continue
        loaded.add(text)
    return loaded


def _store_captions(
    records: Sequence[MediaRecord], config: Config, cache: CheckCache | None, preloaded: set[str]
) -> None:
    if cache is None:
        return
    catalogue = catalogue_for(config)
    rows: list[tuple[str, str]] = []
    for text in sorted({record.description for record in records if record.description} - preloaded):
        caption = known_parsed(text, catalogue)
        if caption is not None:
            rows.append((text, model_json(caption)))
    if rows:
        cache.store_captions(rows, _agencies_flavour(config))


# --------------------------------------------------------------------------- rules and report


def _crash_finding(rule: Rule, exc: BaseException, path: str) -> Finding:
    return Finding(
        code=CRASH_CODE,
        name=CRASH_NAME,
        severity="error",
        message=f"rule {rule.code} ({rule.name}) crashed: {type(exc).__name__}: {exc}; its findings are missing",
        path=path,
    )


def finding_sort_key(finding: Finding) -> tuple[str, int, int, str, str, str]:
    return (
        finding.path,
        finding.line if finding.line is not None else 0,
        finding.column if finding.column is not None else 0,
        finding.code,
        finding.field or "",
        finding.message,
    )


def run_rules(ctx: CheckContext, rules: Sequence[Rule], *, crash_path: str | None = None) -> list[Finding]:
    """Apply ``rules`` to ``ctx``: findings sorted by path/line/column/code, per-file ignores applied.

    A rule that raises does not stop the others: it becomes one ``MM999 rule-crashed`` error finding
    (on ``crash_path``, default the first article or image) naming the rule and the exception.
    """
    findings: list[Finding] = []
    for rule in rules:
        try:
            produced = list(rule.check(ctx))
        except Exception as exc:
            paths = [article.path for article in ctx.articles] + [record.path for record in ctx.records]
            fallback = crash_path or (paths[0] if paths else ".")
            findings.append(_crash_finding(rule, exc, fallback))
            continue
        findings.extend(finding for finding in produced if not is_ignored(ctx.config, finding))
    findings.sort(key=finding_sort_key)
    return findings


def _link_model(link: CaptionLink) -> Link:
    occurrence = link.occurrence
    return Link(
        caption=LinkCaption(
            path=occurrence.path, line=occurrence.line, column=occurrence.column, text=occurrence.text
        ),
        image=link.record.path if link.record is not None else None,
        method=link.method if link.record is not None else None,
        score=link.score if link.record is not None else None,
    )


def build_report(ctx: CheckContext, findings: Sequence[Finding]) -> Report:
    """The Report of a checked context: summary counts, sorted findings, one link per caption, files."""
    files = sorted(
        {article.path for article in ctx.articles}
        | {record.path for record in ctx.records}
        | {item.path for item in ctx.unreadable}
    )
    unreadable = {item.path for item in ctx.unreadable} | {
        record.path for record in ctx.records if any(error.block == "file" for error in record.errors)
    }
    summary = Summary(
        files=len(files),
        articles=len(ctx.articles),
        images=len(ctx.records),
        captions=len(ctx.links),
        unreadable=len(unreadable),
        errors=sum(finding.severity == "error" for finding in findings),
        warnings=sum(finding.severity == "warning" for finding in findings),
        infos=sum(finding.severity == "info" for finding in findings),
    )
    return Report(
        summary=summary, findings=list(findings), links=[_link_model(link) for link in ctx.links], files=files
    )


def fails(report: Report, fail_on: str) -> bool:
    """Whether the report has a finding at or above the ``fail_on`` severity."""
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[finding.severity] >= threshold for finding in report.findings)


# --------------------------------------------------------------------------- entry point


def run_check(
    paths: Sequence[Path | str],
    config: Config | None = None,
    *,
    article_date: str | None = None,
    jobs: int | None = None,
    cache: Catalog | None = None,
    today: dt.date | None = None,
    progress: ProgressCallback | None = None,
    on_article: ArticleCallback | None = None,
    on_record: RecordCallback | None = None,
    rules: Sequence[Rule] | None = None,
) -> CheckRun:
    """Check the files under ``paths``: discover, read, link, hash, run the enabled rules.

    ``config`` defaults to the configuration found upward from the first path (``load_config``;
    a ``ConfigError`` propagates: the CLI turns it into exit 2). ``article_date`` overrides the
    config's. ``cache`` is an open ``Catalog`` (scan cache) or None; ``jobs`` the worker processes
    (default: the usable cores). ``progress(stage, done, total)`` is called with the stages
    ``discover``, ``images``, ``articles``, ``hashes``, ``linking`` and ``rules``; ``on_record`` and
    ``on_article`` as each item is ready. ``rules`` replaces ``enabled_rules(config)``.
    """
    from mediameta.media.scan import default_jobs, scan

    roots = [Path(path) for path in paths]
    if config is None:
        config = load_config(roots[0] if roots else None)
    if article_date is not None:
        config = with_overrides(config, article_date=article_date)
    workers = default_jobs() if jobs is None else max(1, jobs)
    check_cache = CheckCache.beside(cache) if cache is not None else None
    try:
        if progress is not None:
            progress("discover", 0, None)
        found = discover(roots)
        if progress is not None:
            progress(
                "discover", len(found.images) + len(found.articles), len(found.images) + len(found.articles)
            )

        records: list[MediaRecord] = []

        def image_progress(done: int, total: int | None) -> None:
            if progress is not None:
                progress("images", done, total)

        for record in scan(found.images, jobs=workers, cache=cache, progress=image_progress):
            records.append(record)
            if on_record is not None:
                on_record(record)
        articles, unreadable = _read_articles(found, config, check_cache, progress, on_article, workers)
        for record in scan(_referenced_outside(articles, records), jobs=1, cache=cache):
            records.append(record)
            if on_record is not None:
                on_record(record)

        ctx = CheckContext(
            config=config,
            articles=articles,
            records=records,
            unreadable=[*found.unreadable, *unreadable],
            today=today or dt.date.today(),
        )
        ctx.image_hashes = _hash_records(records, check_cache, workers, progress)
        if progress is not None:
            progress("linking", 0, None)
        # The same inputs, config, day and code as a cached run: its links and findings stand.
        key = _run_key(ctx, found) if check_cache is not None and rules is None else None
        remembered = check_cache.run(key) if check_cache is not None and key is not None else None
        cached_links = _links_from_json(remembered[0], articles, records) if remembered else None
        preloaded = _preload_captions(records, config, check_cache)
        ctx.links = cached_links if cached_links is not None else link_captions(articles, records, config)
        if progress is not None:
            progress("linking", len(ctx.links), len(ctx.links))
        chosen = list(rules) if rules is not None else enabled_rules(config)
        if progress is not None:
            progress("rules", 0, len(chosen))
        if remembered is not None and cached_links is not None:
            findings = [Finding.model_validate(item) for item in json.loads(remembered[1])]
        else:
            findings = run_rules(ctx, chosen, crash_path=str(roots[0]) if roots else None)
            if check_cache is not None and key is not None:
                check_cache.store_run(
                    key, _links_json(ctx.links), json.dumps([f.model_dump(mode="json") for f in findings])
                )
        if progress is not None:
            progress("rules", len(chosen), len(chosen))
        _store_captions(records, config, check_cache, preloaded)
        return CheckRun(context=ctx, report=build_report(ctx, findings))
    finally:
        if check_cache is not None:
            check_cache.close()


__all__ = [
    "CRASH_CODE",
    "CheckCache",
    "CheckRun",
    "Discovery",
    "build_report",
    "discover",
    "fails",
    "finding_sort_key",
    "run_check",
    "run_rules",
]
