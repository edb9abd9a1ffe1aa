"""Messages the desk's workers post: workers never touch widgets, these handlers do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from mediameta.models import Finding, MediaRecord


@dataclass
class LoadProgress(Message):
    """A loading stage advanced (bursts are collapsed by the worker)."""

    stage: str
    done: int
    total: int | None


@dataclass
class RecordsArrived(Message):
    """A batch of pictures read while the folder loads; shown before they are checked."""

    records: list[MediaRecord]


@dataclass
class LoadFinished(Message):
    """The check run is complete: ``run`` has ``.context`` (CheckContext) and ``.report``."""

    run: Any
    generation: int
    items: list[Any]  # the rows (DeskItem), built by the worker


@dataclass
class LoadFailed(Message):
    message: str
    generation: int


@dataclass
class PreviewReady(Message):
    """A decoded, downscaled picture (a PIL image) for the preview, or None when it can't be shown."""

    key: str
    image: Any
    error: str | None = None


@dataclass
class SaveDone(Message):
    """Files written (or refused): ``written`` maps path → (new record, values to undo with);
    ``articles`` maps an article path → (the article read again, or None; the ArticleFixes written)."""

    written: dict[str, tuple[MediaRecord | None, dict[str, Any]]]
    refused: dict[str, str]
    undo: bool = False
    articles: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class Rechecked(Message):
    key: str
    findings: list[Finding]
