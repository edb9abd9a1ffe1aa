"""Plain-text articles: paragraphs separated by blank lines, captions recognised by their credit.

The title is the first line when it stands alone and reads as a headline (no closing full stop).
The publication date comes from a labelled line ("Published: March 3, 2025", "Date: 2025-03-03",
"Veröffentlicht am 03.03.2025") anywhere, or else from a dateline/byline near the top whose text
starts with a full date ("By Jane Doe | March 3, 2025", "WASHINGTON, March 3, 2025 …"). A month
and day without a year is not a publication date: nothing is guessed.
"""

from __future__ import annotations

import re

from mediameta.captions.articles.common import (
    Found,
    Piece,
    caption_of,
    classify_block,
    is_boilerplate,
    is_credit_only,
    iso_date,
    split_lines,
)
from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.captions.dates import find_date
from mediameta.captions.parse import parse_caption
from mediameta.models import Article

_LABELLED_DATE = re.compile(
    r"^(?P<label>(?:first\s+)?published|posted|updated|last\s+updated|date|dated|pubdate|"
    r"veröffentlicht|erschienen|aktualisiert|stand|publié|mis\s+à\s+jour|publicado)"
    r"(?:\s+(?:on|at|am|le|el))?\s*[:\-–—]?\s*(?P<value>.{4,120})$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?:(?i:by)\s+[^|•·–—\n]{1,60}?\s*[|•·–—,]\s*|[A-ZÀ-Þ][A-ZÀ-Þ .'\-]{1,40},\s*|[|•·–—]\s*)?(?P<rest>.+)$",
)
_DATELINE_SCAN = 8  # dateline/byline lines are near the top


def read_text(text: str, article: Article, catalogue: AgencyCatalogue | None) -> None:
    """Fill ``article`` (format "text") from the article's text."""
    blocks: list[list[Piece]] = []
    current: list[Piece] = []
    for number, line in enumerate(split_lines(text), start=1):
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(current)
                current = []
            continue
        column = len(line) - len(line.lstrip()) + 1
        current.append(Piece(stripped, number, column))
    if current:
        blocks.append(current)

    used: set[int] = set()  # lines taken as title or date
    if blocks and len(blocks[0]) == 1:
        first = blocks[0][0]
        if len(first.text) <= 200 and not first.text.endswith(".") and not _looks_credited(first.text):
            article.title = first.text
            used.add(first.line)
    _find_date(blocks, article, used)

    found = Found()
    remaining = [kept for block in blocks if (kept := [piece for piece in block if piece.line not in used])]
    for block in _credit_after_blank_line(remaining, catalogue, found):
        classify_block(block, article.path, catalogue, found)
    article.captions.extend(found.captions)
    article.paragraphs.extend(found.paragraphs)


def _credit_after_blank_line(
    blocks: list[list[Piece]], catalogue: AgencyCatalogue | None, found: Found
) -> list[list[Piece]]:
    """Join a credit-only paragraph to the paragraph above it when that one reads as a caption
    without its credit (short, no credit, states a date or a place, not a quotation)."""
    merged: list[list[Piece]] = []
    for block in blocks:
        if merged and len(block) == 1 and _may_be_credit(block[0].text):
            credit = caption_of(block[0].text, catalogue)
            if credit is not None and is_credit_only(credit) and _uncredited_caption(merged[-1], catalogue):
                merged[-1] = [*merged[-1], *block]
                continue
            found.parsed[(block[0].line, block[0].text)] = credit  # classify_block reuses it
        merged.append(block)
    return merged


def _may_be_credit(text: str) -> bool:
    """Cheap pre-check: a credit line is short and has a credit mark or does not end a sentence."""
    if len(text) > 120:
        return False
    return any(mark in text for mark in "/(©:|") or not text.endswith((".", "!", "?", '"', "”", "’"))


def _uncredited_caption(block: list[Piece], catalogue: AgencyCatalogue | None) -> bool:
    text = " ".join(piece.text for piece in block)
    if len(block) > 3 or len(text) > 500 or text[:1] in "\"“„«‘'" or is_boilerplate(text):
        return False
    parsed = parse_caption(text, catalogue)
    return parsed.credit is None and (parsed.date is not None or parsed.location is not None)


def _looks_credited(text: str) -> bool:
    return "credit" in text.casefold() or "/" in text


def _find_date(blocks: list[list[Piece]], article: Article, used: set[int]) -> None:
    updated: tuple[str, int] | None = None
    for block in blocks:
        for piece in block:
            if len(piece.text) > 160:
                continue
            match = _LABELLED_DATE.match(piece.text)
            if match is None:
                continue
            iso = iso_date(_leading_date(match.group("value")) or "")
            if iso is None:
                continue
            if "updat" in match.group("label").casefold() or "aktual" in match.group("label").casefold():
                updated = updated or (iso, piece.line)
                continue
            article.date, article.date_source = iso, "dateline"
            used.add(piece.line)
            return
    if updated is not None:
        article.date, article.date_source = updated[0], "dateline"
        used.add(updated[1])
        return
    seen = 0
    for block in blocks:
        for piece in block:
            seen += 1
            if seen > _DATELINE_SCAN:
                return
            if piece.line in used or _looks_credited(piece.text):  # a caption states the scene date
                continue
            match = _DATELINE.match(piece.text)
            if match is None:
                continue
            leading = _leading_date(match.group("rest"))
            iso = iso_date(leading) if leading else None
            if iso is not None:
                article.date, article.date_source = iso, "dateline"
                if len(piece.text) <= 120:
                    used.add(piece.line)
                return


def _leading_date(text: str) -> str | None:
    """The full date ``text`` starts with (a weekday before it allowed), as written."""
    found = find_date(text, 0, min(len(text), 80))
    if found is None or len(found.iso) != 10:
        return None
    lead = text[: found.start].strip(" ,")
    if lead and not re.fullmatch(r"(?:on\s+)?(?:[A-Za-z]{3,9}\.?,?)?", lead, re.IGNORECASE):
        return None
    return found.text
