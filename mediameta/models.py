"""The values every part of mediameta passes around.

Frozen models are values (a parsed credit, a finding); the others are records built up by one
stage and read by the next. Their JSON form (``model_dump(mode="json")``) is the output contract of
``mediameta parse``, ``scan`` and ``check``: field names here are not renamed lightly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}

Qualifier = Literal["file", "pool", "handout", "illustration", "courtesy", "screenshot", "stock", "licence"]
QUALIFIERS: tuple[str, ...] = (
    "file",
    "pool",
    "handout",
    "illustration",
    "courtesy",
    "screenshot",
    "stock",
    "licence",
)

Block = Literal["file", "exif", "iptc", "xmp", "sidecar"]
LinkMethod = Literal["html", "markdown", "sidecar", "manifest", "embedded-match"]


class Value(BaseModel):
    """Base for immutable values."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Record(BaseModel):
    """Base for mutable records."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- captions


class Span(Value):
    """Character offsets ``[start, end)`` into the caption text."""

    start: int
    end: int


class Credit(Value):
    """A parsed credit line: ``REUTERS/LEAH MILLIS/FILE PHOTO``."""

    raw: str
    photographers: list[str] = Field(default_factory=list)
    agencies: list[str] = Field(default_factory=list)
    qualifiers: list[Qualifier] = Field(default_factory=list)


class CaptionDate(Value):
    """The date of the pictured scene as the caption states it."""

    iso: str  # YYYY-MM-DD | YYYY-MM | YYYY
    text: str  # as written, e.g. "March 3, 2025"
    weekday: str | None = None  # a weekday written next to the date ("Friday"), English name


class Location(Value):
    """Where the picture was taken, as written in the caption."""

    sublocation: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None


class Caption(Record):
    """One caption string, parsed."""

    text: str
    body: str | None = None
    credit: Credit | None = None
    date: CaptionDate | None = None
    location: Location | None = None
    file_marker: bool = False  # a leading "FILE PHOTO:" / "FILE -" marker
    spans: dict[str, Span] = Field(default_factory=dict)


class CaptionOccurrence(Record):
    """A caption found in an article, with where it stands (1-based line and column)."""

    path: str
    line: int
    column: int
    text: str
    caption: Caption
    image_ref: str | None = None  # the file the article names for it (src, markdown target)
    source: str = "paragraph"  # paragraph | alt | figcaption | markdown | credit-line | ...


class TextBlock(Value):
    """A paragraph of article body text (not a caption), for copied-caption checks."""

    line: int
    column: int
    text: str


class Article(Record):
    """An article and the captions in it."""

    path: str
    format: Literal["text", "markdown", "html"]
    title: str | None = None
    date: str | None = None  # ISO date of publication, when the article states one
    date_source: str | None = None  # "html-time", "html-meta", "front-matter", "dateline", "cli"
    captions: list[CaptionOccurrence] = Field(default_factory=list)
    paragraphs: list[TextBlock] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- media


class BlockError(Value):
    block: Block
    message: str


class GPS(Value):
    lat: float
    lon: float
    alt: float | None = None


class FieldConflict(Value):
    """One field whose blocks disagree: ``{"iptc": "A", "xmp": "B"}``."""

    field: str
    values: dict[str, str | list[str]]


FieldValue = str | list[str]

MEDIA_TEXT_FIELDS: tuple[str, ...] = (
    "description",
    "headline",
    "title",
    "creator_job_title",
    "credit_line",
    "source",
    "copyright",
    "date_created",
    "sublocation",
    "city",
    "state",
    "country",
    "country_code",
    "instructions",
    "job_id",
    "description_writer",
    "make",
    "model",
)
MEDIA_LIST_FIELDS: tuple[str, ...] = ("creators", "keywords")


class MediaRecord(Record):
    """Everything mediameta knows about one image file's metadata.

    Field names follow the IPTC Photo Metadata Standard. ``sources`` says which block each
    reconciled value came from; ``blocks`` keeps each block's own values (same field names) so a
    UI can show IPTC vs XMP vs EXIF side by side; ``errors`` is per block and never raised.
    """

    path: str
    format: str | None = None
    width: int | None = None
    height: int | None = None
    size: int | None = None
    mtime_ns: int | None = None

    description: str | None = None
    headline: str | None = None
    title: str | None = None
    creators: list[str] = Field(default_factory=list)
    creator_job_title: str | None = None
    credit_line: str | None = None
    source: str | None = None
    copyright: str | None = None
    date_created: str | None = None
    sublocation: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    country_code: str | None = None
    keywords: list[str] = Field(default_factory=list)
    instructions: str | None = None
    job_id: str | None = None
    description_writer: str | None = None
    gps: GPS | None = None
    make: str | None = None
    model: str | None = None

    sources: dict[str, Block] = Field(default_factory=dict)
    blocks: dict[str, dict[str, FieldValue]] = Field(default_factory=dict)
    conflicts: list[FieldConflict] = Field(default_factory=list)
    errors: list[BlockError] = Field(default_factory=list)


# --------------------------------------------------------------------------- checks


class Position(Value):
    """A place in a file: line/column for articles, None for images."""

    path: str
    line: int | None = None
    column: int | None = None


class Fix(Value):
    """An automatic correction a rule offers.

    ``changes`` maps a MediaRecord field name (or ``"caption"`` for article text) to its new value.
    """

    description: str
    changes: dict[str, str | list[str]]


class Finding(Value):
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    related: list[Position] = Field(default_factory=list)
    fix: Fix | None = None


class LinkCaption(Value):
    path: str
    line: int
    column: int
    text: str


class Link(Value):
    caption: LinkCaption
    image: str | None
    method: LinkMethod | None = None
    score: float | None = None


class Summary(Record):
    files: int = 0
    articles: int = 0
    images: int = 0
    captions: int = 0
    unreadable: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0


class Report(Record):
    version: Literal[1] = 1
    summary: Summary = Field(default_factory=Summary)
    findings: list[Finding] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)  # every file checked, for per-file reporters
