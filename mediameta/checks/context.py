"""What a rule sees: every article, every image record, the links between them, the config."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mediameta.config import Config
from mediameta.models import Article, CaptionOccurrence, LinkMethod, MediaRecord


@dataclass
class CaptionLink:
    """A caption found in an article and the image it belongs to (None: unlinked)."""

    occurrence: CaptionOccurrence
    record: MediaRecord | None
    method: LinkMethod | None = None
    score: float | None = None
    image_ref: str | None = None  # the path the article named, resolved, even when missing
    candidates: list[str] = field(default_factory=list)  # equally good images (ambiguous match)


@dataclass
class Unreadable:
    """A file that could not be read as an article or an image."""

    path: str
    message: str


@dataclass
class CheckContext:
    config: Config
    articles: list[Article] = field(default_factory=list)
    records: list[MediaRecord] = field(default_factory=list)
    links: list[CaptionLink] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    image_hashes: dict[str, str] = field(default_factory=dict)  # path -> perceptual hash (hex)
    today: dt.date = field(default_factory=dt.date.today)

    def links_for(self, record: MediaRecord) -> list[CaptionLink]:
        return [link for link in self.links if link.record is not None and link.record.path == record.path]
