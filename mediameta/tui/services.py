"""The core calls the desk makes, in one place: check, re-check, plan/write/read, review state.

The desk is a thin layer: every check, parse and write here is the same core function the CLI
uses. ``Services.default()`` binds the real ones; tests may pass their own (e.g. a runner that
counts calls), never a different behaviour.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mediameta.checks.context import CheckContext
from mediameta.config import Config
from mediameta.models import Article, FieldValue, Finding, MediaRecord

if TYPE_CHECKING:
    from mediameta.article_fixes import ArticleFixes

Changes = Mapping[str, FieldValue | None]
ProgressCallback = Callable[[str, int, int | None], None]
RecordCallback = Callable[[MediaRecord], None]


class CheckRunLike(Protocol):
    """What the desk reads from ``mediameta.checks.engine.CheckRun``."""

    @property
    def context(self) -> CheckContext: ...

    @property
    def report(self) -> Any: ...


# (paths, config, progress, on_record, cancelled) -> CheckRun
Runner = Callable[
    [Sequence[Path], Config, ProgressCallback, RecordCallback, Callable[[], bool]], CheckRunLike
]


@dataclass(frozen=True)
class ReviewState:
    path: str
    status: str
    note: str | None = None


class ReviewStore(Protocol):
    """The catalog's review-state interface (``mediameta.catalog.Catalog``)."""

    def get_review(self, path: str) -> Any: ...

    def set_review(self, path: str, status: Any, note: str | None) -> object: ...

    def all_reviews(self) -> Mapping[str, Any]: ...


class MemoryReviews:
    """Review state kept in memory, used only when the catalog cannot be opened (read-only
    folder and no user cache dir): the desk says so instead of failing."""

    def __init__(self) -> None:
        self._states: dict[str, ReviewState] = {}
        self._lock = threading.Lock()

    def get_review(self, path: str) -> ReviewState | None:
        with self._lock:
            return self._states.get(path)

    def set_review(self, path: str, status: Any, note: str | None) -> None:
        with self._lock:
            self._states[path] = ReviewState(path, str(status), note)

    def all_reviews(self) -> dict[str, ReviewState]:
        with self._lock:
            return dict(self._states)


def open_reviews(root: Path) -> tuple[ReviewStore, str | None]:
    """The catalog for ``root``; on failure an in-memory store and the reason to show."""
    try:
        from mediameta.catalog import Catalog

        catalog = Catalog.open(root=root)
    except Exception as exc:  # an unwritable folder must not stop the desk
        return MemoryReviews(), f"review state not saved: catalog unavailable ({exc})"
    return catalog, "; ".join(catalog.warnings) or None


def plan_article(article: Article, findings: Sequence[Finding], data: bytes, config: Config) -> ArticleFixes:
    """Caption fixes planned on ``data``, the article's bytes as the desk took them; refused when
    they no longer hold the captions where the check found them (the findings' places are stale)."""
    from mediameta.article_fixes import ArticleFixes, captions_moved, plan_article_fixes
    from mediameta.config import catalogue_for

    moved = captions_moved(article, data, catalogue_for(config))
    if moved is not None:
        return ArticleFixes(
            Path(article.path),
            data,
            refused=f"changed on disk since the desk read it ({moved}): reload (ctrl+r) and apply the fix again",
        )
    return plan_article_fixes(article, findings, data)


def write_article(fixes: ArticleFixes) -> ArticleFixes:
    from mediameta.article_fixes import write_article_fixes

    return write_article_fixes(fixes)


def undo_article(fixes: ArticleFixes) -> ArticleFixes:
    from mediameta.article_fixes import undo_article_fixes

    return undo_article_fixes(fixes)


def read_article(path: str, config: Config) -> Article:
    """The article read again as the check reads it (with the config's agency catalogue)."""
    from mediameta.captions.extract import read_article as read
    from mediameta.config import catalogue_for

    return read(Path(path), catalogue=catalogue_for(config))


def read_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


@dataclass
class Services:
    """The core functions the desk calls. Each is a plain callable so the app stays thin.

    The article ones (caption fixes into article text, ``mediameta.article_fixes``) have the real
    core functions as defaults: a test's stand-in services write articles like the desk does.
    """

    run: Runner
    recheck: Callable[[CheckContext], list[Finding]] | None
    plan: Callable[[str, Changes], Any]
    write: Callable[[str, Changes, Any], Any]
    stamp: Callable[[str], Any]
    read: Callable[[str], MediaRecord] | None
    read_bytes: Callable[[str], bytes] = read_bytes
    plan_article: Callable[[Article, Sequence[Finding], bytes, Config], ArticleFixes] = plan_article
    write_article: Callable[[ArticleFixes], ArticleFixes] = write_article
    undo_article: Callable[[ArticleFixes], ArticleFixes] = undo_article
    read_article: Callable[[str, Config], Article] = read_article

    @classmethod
    def default(cls, cache: Any = None, *, isolate: bool = True) -> Services:
        """The real engine, rules, writer and reader, imported on first use (in the loading worker)
        so the desk paints its first screen before numpy and friends are loaded.

        ``isolate`` runs the check in a child process (``mediameta.tui.isolated``) so it never
        holds the desk's interpreter; ``cache`` is the catalog, reopened by path in the child.
        """
        rules_by_config: dict[int, list[Any]] = {}

        def run(
            paths: Sequence[Path],
            config: Config,
            progress: ProgressCallback,
            on_record: RecordCallback,
            cancelled: Callable[[], bool],
        ) -> Any:
            if isolate:
                from mediameta.tui.isolated import run_isolated

                catalog_path = getattr(cache, "path", None)
                root = getattr(cache, "root", None) or (paths[0] if paths else Path.cwd())
                return run_isolated(paths, config, catalog_path, Path(root), progress, on_record, cancelled)
            from mediameta.checks.engine import run_check

            return run_check(list(paths), config, cache=cache, progress=progress, on_record=on_record)

        def recheck(ctx: CheckContext) -> list[Finding]:
            from mediameta.checks.engine import run_rules
            from mediameta.config import enabled_rules

            if id(ctx.config) not in rules_by_config:
                rules_by_config[id(ctx.config)] = list(enabled_rules(ctx.config))
            return list(
                run_rules(
                    ctx,
                    rules_by_config[id(ctx.config)],
                    crash_path=ctx.records[0].path if ctx.records else None,
                )
            )

        def plan(path: str, changes: Changes) -> Any:
            from mediameta.media.write import plan_write

            return plan_write(path, dict(changes))

        def write(path: str, changes: Changes, expected: Any) -> Any:
            from mediameta.media.write import WriteRefused, write_metadata

            try:
                return write_metadata(path, dict(changes), expected=expected)
            except WriteRefused as refused:
                if refused.reason != "format":
                    raise
                # Not writable embedded (RAW, an unsupported format): the issue's .xmp sidecar.
                return write_metadata(path, dict(changes), expected=expected, sidecar=True)

        def stamp(path: str) -> Any:
            from mediameta.media.write import FileStamp

            return FileStamp.of(Path(path))

        def read(path: str) -> MediaRecord:
            from mediameta.media.read import read_record

            record: MediaRecord = read_record(Path(path))
            return record

        return cls(run=run, recheck=recheck, plan=plan, write=write, stamp=stamp, read=read)


def prepare_process_pools() -> None:
    """Start multiprocessing's resource tracker now, while ``sys.stderr`` is a real file.

    The engine reads and hashes in worker processes. Inside a Textual app ``sys.stderr`` is a
    capture object whose ``fileno()`` is -1, and starting the tracker from there fails with
    "bad value(s) in fds_to_keep"; once it runs, pools started later reuse it.
    """
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except Exception:  # no tracker: the engine's pools will say so, as data, when they start
        return


def plan_changes(plan: Any) -> list[Any]:
    """The field changes of a writer plan (``WritePlan.changes``), tolerant of a bare list."""
    if isinstance(plan, list):
        return plan
    changes: Iterable[Any] = getattr(plan, "changes", [])
    return list(changes)
