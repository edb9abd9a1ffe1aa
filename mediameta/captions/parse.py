"""Parse one caption string into a :class:`~mediameta.models.Caption`.

``parse_caption(text)`` finds the credit (:mod:`.credit`), cuts the body out of what is left
(without a leading ``FILE PHOTO:``/``FILE -`` marker or web-page noise), and reads the scene date
(:mod:`.dates`) and location (:mod:`.places`) from the body. ``spans`` maps part names to
``[start, end)`` offsets into ``text``: ``body``, ``credit``, ``date``, ``location``, ``sublocation``,
``city``, ``region``, ``country``, ``photographer:N``, ``agency:N``, ``qualifier:N``, ``file_marker``.

It never raises: input it cannot read yields a Caption with just ``text`` (and ``body``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mediameta.captions.catalogue import AgencyCatalogue, default_catalogue
from mediameta.captions.credit import CreditMatch, find_credit
from mediameta.captions.dates import find_date
from mediameta.captions.places import LocationMatch, find_location
from mediameta.models import Caption, Qualifier

_FILE_MARKER = re.compile(
    r"\s*(?:(?P<file>FILE\s+PHOTO|FILE\s+PICTURE|FILE\s+IMAGE|FILE|ARCHIV(?:BILD|FOTO)?|ARCHIVE\s+PHOTO)"
    r"|(?:TOPSHOT|EDITORS?\s+NOTE|BESTPIX|RECROP|CORRECTION|UPDATED))\s*(?:[-–—:]|\s-)\s*",
)
_FILE_PHRASE = re.compile(
    r"\b(?:file|archive)\s+(?:photo|picture|image)\b|\bArchiv(?:bild|foto)\b", re.IGNORECASE
)
_HANDOUT_PHRASE = re.compile(r"\b(?:in\s+this|a)\s+handout\s+(?:photo|picture|image|video)\b", re.IGNORECASE)
_BODY_TRIM = " \t\r\n|-–—:;,/\u200b\u200c\u200d\ufeff"
_BODY_NOISE = re.compile(
    r"(?:\bhide\s+caption\b.*|\btoggle\s+caption\b.*|\bPurchase\s+Licensing\s+Rights\b.*|\bopens\s+new\s+tab\b"
    r"|\[\d+/\d+\]|\(\d{5,}[a-z]{0,2}\)|\bEnlarge\s+this\s+image\b|\bCredit(?:\s+Credit)?(?:\.\.\.|…)?)\s*$",
    re.IGNORECASE,
)
_TRAILING_TAGS = re.compile(r"(?:\s*<[^<>]{0,200}>)+\s*$")
_ALNUM = re.compile(r"[^\W_]")
_BODY_NOISE_ENDINGS = ("caption", "rights", "tab", "]", ")", "image", "credit", "...", "…")
_BODY_NOISE_LAST = frozenset(ending[-1] for ending in _BODY_NOISE_ENDINGS)
_LEADING_NOISE = re.compile(
    r"\s*(?:\[\d+/\d+\]|Enlarge\s+this\s+image|Slide:\s*\d+\s*/\s*of\s*\d+\s*\.?)\s*", re.IGNORECASE
)


def parse_caption(text: str, catalogue: AgencyCatalogue | None = None) -> Caption:
    """Split ``text`` into body, credit, date and location, with character spans for each."""
    if not isinstance(text, str):  # callers with untyped data (JSON, config) still get a Caption
        text = str(text)  # type: ignore[unreachable]
    try:
        return _parse(text, catalogue if catalogue is not None else default_catalogue())
    except Exception:  # errors are data: a caption we cannot read is still a caption
        body = text.strip()
        return Caption(text=text, body=body or None)


def _parse(text: str, catalogue: AgencyCatalogue) -> Caption:
    # Built as plain data and validated once: one pydantic call instead of one per span and part.
    spans: dict[str, dict[str, int]] = {}
    match = find_credit(text, catalogue)
    body_start, body_end = _body_span(text, match)
    file_marker = False
    marker = None
    # Every marker starts with a capital in "FATEBRCU" (FILE, ARCHIV…, TOPSHOT, EDITOR'S NOTE …).
    if body_end > body_start and (text[body_start] in "FATEBRCU" or text[body_start].isspace()):
        marker = _FILE_MARKER.match(text, body_start, body_end)
    if marker is not None and marker.end() < body_end:
        if marker.group("file"):
            file_marker = True
            spans["file_marker"] = {"start": marker.start("file"), "end": marker.end("file")}
        body_start = marker.end()
    body = text[body_start:body_end] if body_end > body_start else None
    if body is not None:
        spans["body"] = {"start": body_start, "end": body_end}

    credit = None
    if match is not None:
        hints: list[Qualifier] = []
        lowered = body.lower() if body else ""
        if file_marker or (("file" in lowered or "archiv" in lowered) and _FILE_PHRASE.search(lowered)):
            hints.append("file")
        if "handout" in lowered and _HANDOUT_PHRASE.search(lowered):
            hints.append("handout")
        credit = _credit(text, match, spans, hints)

    date = None
    location = None
    if body is not None:
        found_date = find_date(text, body_start, body_end)
        if found_date is not None:
            date = {"iso": found_date.iso, "text": found_date.text, "weekday": found_date.weekday}
            spans["date"] = {"start": found_date.start, "end": found_date.end}
        found_place = find_location(text, body_start, body_end, found_date.start if found_date else None)
        if found_place is not None:
            location = _location(found_place, spans)
    return _validate_caption(
        {
            "text": text,
            "body": body,
            "credit": credit,
            "date": date,
            "location": location,
            "file_marker": file_marker,
            "spans": spans,
        }
    )


# Caption.model_validate without its Python wrapper: the same validator, called directly.
_validate_caption: Callable[[dict[str, Any]], Caption] = Caption.__pydantic_validator__.validate_python


def _body_span(text: str, match: CreditMatch | None) -> tuple[int, int]:
    """The longest description part of ``text`` around the credit block."""
    regions = [(0, len(text))] if match is None else [(0, match.block_start), (match.block_end, len(text))]
    best = (0, 0)
    for start, end in regions:
        start, end = _trim(text, start, end)
        if end - start > best[1] - best[0]:
            best = (start, end)
    return best


def _may_end_in_noise(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` ends (before spaces, within 30 characters) in a noise ending."""
    low = max(start, end - 30)
    last = end
    while last > low and text[last - 1].isspace():
        last -= 1
    # Every noise ending ends in one of these (lowercased): test that before slicing and lowering.
    if last == low or text[last - 1].lower() not in _BODY_NOISE_LAST:
        return False
    return text[low:last].lower().endswith(_BODY_NOISE_ENDINGS)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    first = text[start : start + 1]
    # The noise starts with "[", "Enlarge" or "Slide" ("ſ" folds onto "s"), maybe after spaces.
    leading = _LEADING_NOISE.match(text, start, end) if first in "[EeSsſ" or first.isspace() else None
    if leading is not None:
        start = leading.end()
    while _may_end_in_noise(text, start, end):
        noise = _BODY_NOISE.search(text, max(start, end - 200), end)
        if noise is None or noise.start() == noise.end():
            break
        end = noise.start()
    if text[end - 1 : end] == ">":  # markup left behind by a scraped caption: "… anomaly?<br><small>"
        tags = _TRAILING_TAGS.search(text, max(start, end - 400), end)
        if tags is not None:
            end = tags.start()
    while start < end and text[start] in _BODY_TRIM:
        start += 1
    while end > start and text[end - 1] in _BODY_TRIM:
        end -= 1
    # A body is words, not a stray bracket or punctuation left over from the credit.
    if _ALNUM.search(text, start, end) is None:
        return (0, 0)
    return start, end


def _credit(
    text: str, match: CreditMatch, spans: dict[str, dict[str, int]], hints: list[Qualifier]
) -> dict[str, Any]:
    spans["credit"] = {"start": match.start, "end": match.end}
    photographers: list[str] = []
    agencies: list[str] = []
    qualifier_index = 0
    for part in match.parts:
        if part.kind == "photographer" and part.value not in photographers:
            spans[f"photographer:{len(photographers)}"] = {"start": part.start, "end": part.end}
            photographers.append(part.value)
        elif part.kind == "agency" and part.value not in agencies:
            spans[f"agency:{len(agencies)}"] = {"start": part.start, "end": part.end}
            agencies.append(part.value)
        elif part.kind == "qualifier":
            spans.setdefault(f"qualifier:{qualifier_index}", {"start": part.start, "end": part.end})
            qualifier_index += 1
    qualifiers: list[Qualifier] = list(match.qualifiers)
    # The body can say it too: "FILE -", "In this Jan. 27, 2010 file photo", "in this handout photo".
    qualifiers.extend(hint for hint in hints if hint not in qualifiers)
    return {
        "raw": text[match.start : match.end],
        "photographers": photographers,
        "agencies": agencies,
        "qualifiers": qualifiers,
    }


def _location(found: LocationMatch, spans: dict[str, dict[str, int]]) -> dict[str, str | None]:
    starts: list[int] = []
    ends: list[int] = []
    values: dict[str, str | None] = {}
    for name, part in zip(found._fields, found, strict=True):
        if part is None:
            values[name] = None
            continue
        values[name] = part.value
        spans[name] = {"start": part.start, "end": part.end}
        starts.append(part.start)
        ends.append(part.end)
    if starts:
        spans["location"] = {"start": min(starts), "end": max(ends)}
    return values
