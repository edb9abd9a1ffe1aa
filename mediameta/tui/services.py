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
from typing import Any, Protocol

from mediameta.checks.context import CheckContext
from mediameta.config import Config
from mediameta.models import FieldValue, Finding, MediaRecord

Changes = Mapping[str, FieldValue | None]
ProgressCallback = Callable[[str, int, int | None], None]
RecordCallback = Callable[[MediaRecord], None]


class CheckRunLike(Protocol):
    """What the desk reads from ``mediameta.checks.engine.CheckRun``."""

    @property
    def context(self) -> CheckContext: ...

    @property
    def report(self) -> Any: ...


Runner = Callable[[Sequence[Path], Config, ProgressCallback, RecordCallback], CheckRunLike]


@dataclass(frozen=True)
class ReviewState:
    path: str
    status: str
    note: str | None = None


class ReviewStore(Protocol):
    """The catalog's review-state interface (``mediameta.catalog.Catalog``)."""

    def get_review(self, path: str) -> Any: ...

    def set_review(self, path: str, status: Any, note: str | None) -> None: ...

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


@dataclass
class Services:
    """The core functions the desk calls. Each is a plain callable so the app stays thin."""

    run: Runner
    recheck: Callable[[CheckContext], list[Finding]] | None
    plan: Callable[[str, Changes], Any]
    write: Callable[[str, Changes, Any], Any]
    stamp: Callable[[str], Any]
    read: Callable[[str], MediaRecord] | None
    refused: tuple[type[BaseException], ...]

    @classmethod
    def default(cls, cache: Any = None) -> Services:
        """The real engine, rules, writer and reader."""
        from mediameta.checks.engine import run_check, run_rules
        from mediameta.config import enabled_rules
        from mediameta.media.write import FileStamp, WriteRefused, plan_write, write_metadata

        rules_by_config: dict[int, list[Any]] = {}

        def run(
            paths: Sequence[Path], config: Config, progress: ProgressCallback, on_record: RecordCallback
        ) -> Any:
            return run_check(list(paths), config, cache=cache, progress=progress, on_record=on_record)

        def recheck(ctx: CheckContext) -> list[Finding]:
            rules = rules_by_config.setdefault(id(ctx.config), list(enabled_rules(ctx.config)))
            return list(run_rules(ctx, rules))

        def write(path: str, changes: Changes, expected: Any) -> Any:
            try:
                return write_metadata(path, dict(changes), expected=expected)
            except WriteRefused as refused:
                if refused.reason != "format":
                    raise
                # Not writable embedded (RAW, an unsupported format): the issue's .xmp sidecar.
                return write_metadata(path, dict(changes), expected=expected, sidecar=True)

        read: Callable[[str], MediaRecord] | None
        try:
            from mediameta.media.read import read_record

            def read(path: str) -> MediaRecord:
                return read_record(Path(path))
        except ImportError:
            read = None

        return cls(
            run=run,
            recheck=recheck,
            plan=lambda path, changes: plan_write(path, dict(changes)),
            write=write,
            stamp=lambda path: FileStamp.of(Path(path)),
            read=read,
            refused=(WriteRefused,),
        )


def plan_changes(plan: Any) -> list[Any]:
    """The field changes of a writer plan (``WritePlan.changes``), tolerant of a bare list."""
    if isinstance(plan, list):
        return plan
    changes: Iterable[Any] = getattr(plan, "changes", [])
    return list(changes)
