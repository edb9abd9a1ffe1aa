"""What the rule families share: the captions a rule looks at, name normalisation, rule options.

A rule sees captions as :class:`Target` values. Article captions come from ``ctx.links`` (each with
the image it is linked to, if any); an image that no article caption is linked to contributes its
embedded caption (``record.description``, parsed with the configured agency catalogue), reported on
the image's ``description`` field. So a picture's caption is checked once, where it is published.
Embedded captions are parsed through :func:`mediameta.link.parse_cached`, the memo linking and
the engine's cache already fill, so a description is parsed once per run (zero times when warm).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from mediameta.captions.catalogue import AgencyCatalogue, normalise_name
from mediameta.checks.context import CheckContext
from mediameta.config import catalogue_for
from mediameta.link import parse_cached
from mediameta.models import Article, Caption, CaptionOccurrence, MediaRecord


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class RuleOptions(BaseModel):
    """Base of rule option models: kebab-case keys in TOML, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, alias_generator=_kebab)


@dataclass(frozen=True)
class Target:
    """One caption as a rule sees it, with where to report it."""

    caption: Caption
    path: str
    line: int | None = None
    column: int | None = None
    field: str | None = None  # "description" for an image's embedded caption
    record: MediaRecord | None = None  # the picture: the linked image, or the image itself
    article: Article | None = None
    occurrence: CaptionOccurrence | None = None

    @property
    def in_article(self) -> bool:
        return self.occurrence is not None

    @property
    def where(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`Rule.finding`."""
        return {"path": self.path, "line": self.line, "column": self.column, "field": self.field}


ALT_SOURCES: frozenset[str] = frozenset({"alt", "markdown-alt", "title"})


def _is_alt(occurrence: CaptionOccurrence) -> bool:
    return occurrence.source in ALT_SOURCES or occurrence.source.endswith("-alt")


def captioned_refs(occurrences: Iterable[CaptionOccurrence]) -> set[tuple[str, str]]:
    """The (article, image reference) pairs that have a real caption, not only alt text."""
    return {(o.path, o.image_ref) for o in occurrences if o.image_ref is not None and not _is_alt(o)}


def is_alt_text(occurrence: CaptionOccurrence, captioned: set[tuple[str, str]]) -> bool:
    """Alt/title text of an image that also has a real caption (figcaption, Markdown caption) in
    the same article: accessibility text, not the published caption, so caption rules skip it."""
    return _is_alt(occurrence) and (occurrence.path, occurrence.image_ref or "") in captioned


def article_targets(ctx: CheckContext) -> Iterator[Target]:
    """Every caption found in an article, with its linked picture (alt text of a captioned image
    is left out: see :func:`is_alt_text`)."""
    articles = {article.path: article for article in ctx.articles}
    if ctx.links:
        captioned = captioned_refs(link.occurrence for link in ctx.links)
        for link in ctx.links:
            occurrence = link.occurrence
            if is_alt_text(occurrence, captioned):
                continue
            yield Target(
                caption=occurrence.caption,
                path=occurrence.path,
                line=occurrence.line,
                column=occurrence.column,
                record=link.record,
                article=articles.get(occurrence.path),
                occurrence=occurrence,
            )
        return
    captioned = captioned_refs(o for article in ctx.articles for o in article.captions)
    for article in ctx.articles:
        for occurrence in article.captions:
            if is_alt_text(occurrence, captioned):
                continue
            yield Target(
                caption=occurrence.caption,
                path=occurrence.path,
                line=occurrence.line,
                column=occurrence.column,
                article=article,
                occurrence=occurrence,
            )


def captioned_paths(ctx: CheckContext) -> set[str]:
    return {link.record.path for link in ctx.links if link.record is not None}


def image_targets(ctx: CheckContext, *, all_images: bool = False) -> Iterator[Target]:
    """Embedded captions of images no article caption is linked to (or of every image). Images
    whose file could not be read (a "file" block error) are left to the MM9xx rules."""
    captioned = set() if all_images else captioned_paths(ctx)
    catalogue = catalogue_for(ctx.config)
    for record in ctx.records:
        if record.path in captioned or is_unreadable(record):
            continue
        text = record.description or ""
        caption = parse_cached(text, catalogue) if text.strip() else Caption(text=text)
        yield Target(caption=caption, path=record.path, field="description", record=record)


def targets(ctx: CheckContext) -> Iterator[Target]:
    """Article captions, then the embedded captions of images no article captions."""
    yield from article_targets(ctx)
    yield from image_targets(ctx)


def is_unreadable(record: MediaRecord) -> bool:
    """An image whose file could not be read at all: only MM9xx speaks about it."""
    return any(error.block == "file" for error in record.errors)


# --------------------------------------------------------------------------- names


_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Casefolded, accents and punctuation dropped, spaces collapsed: ``"Zoë  O'Neil"`` → ``"zoe oneil"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().replace("’", "").replace("'", "")
    plain = _NON_WORD.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip()


def person_key(name: str) -> frozenset[str]:
    """A person's name as a set of folded words, so "MILLIS, Leah" and "Leah Millis" agree."""
    return frozenset(fold(name).split())


def same_person(first: str, second: str) -> bool:
    a, b = person_key(first), person_key(second)
    if not a or not b:
        return False
    # "Leah Millis" and "Leah A. Millis": one name's words all in the other's.
    return a <= b or b <= a


def agency_key(name: str, catalogue: AgencyCatalogue) -> str:
    """An agency's canonical identity: the catalogue's entry, else the normalised spelling."""
    agency = catalogue.lookup(name)
    if agency is not None:
        return agency.name.casefold()
    return normalise_name(name)


def record_agencies(record: MediaRecord, catalogue: AgencyCatalogue) -> set[str]:
    """Agency keys a file's credit line and source name (catalogue entries only, ``/``-split)."""
    found: set[str] = set()
    for value in (record.credit_line, record.source):
        if not value:
            continue
        for part in [value, *re.split(r"\s*(?:/|\||\bvia\b|,)\s*", value)]:
            agency = catalogue.lookup(part.strip())
            if agency is not None:
                found.add(agency.name.casefold())
    return found
