"""Where a picture was taken, as the caption writes it.

Reads the forms newsroom captions use — ``… in Washington, D.C., July 25, 2018``, ``in Sioux Center,
Iowa``, Getty datelines ``LONDON, ENGLAND - JULY 04:``, ``at the Western Wall in Jerusalem``,
French/German ``à Toulouse``/``in Köln`` — and sorts the parts into sublocation / city / region /
country with the gazetteer (countries, regions, cities) and the shape of the phrase. Nothing is
inferred: a country that is not written stays None.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from mediameta.captions.gazetteer import CITIES, COUNTRIES, NOT_PLACES, REGIONS, place_key

# Possessive quantifiers: a name is the longest run of capitalised words, never given back, which
# keeps the engine from backtracking through every shorter reading.
_CAP_WORD = r"(?:(?:St|Ste|Ft|Mt)\.|[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’]*+(?:-[\w'’]++)*+)"
_LINK_WORD = r"(?:de|del|da|do|dos|la|le|les|of|upon|am|sur|al|el)"
_NAME = rf"{_CAP_WORD}(?:[ \t]+(?:{_CAP_WORD}|{_LINK_WORD}(?=[ \t]+[A-ZÀ-Þ])))*+"
_ABBREV = r"(?:[A-Z]\.(?:[ ]?[A-Z]\.)+|[A-Z][a-z]{1,4}\.|[A-Z]{2,3}\b)"
_REGION_WORD = r"(?:[ \t]+(?:region|province|oblast|governorate|district|county|prefecture|state|territory))?"
_PART = rf"(?:{_ABBREV}|{_NAME}{_REGION_WORD})"
_DIRECTION = r"(?:(?:(?:north|south)(?:east|west)?|east|west|central|northern|southern|eastern|western|(?:north|south)(?:eastern|western))[ \t]+)?"

_IN_CORE = (
    rf"(?P<prep>in|near|outside|à|au|en|im|bei|nahe|aus|from|at|on|of)[ \t]+(?:the[ \t]+)?{_DIRECTION}"
    rf"(?P<a>{_NAME}{_REGION_WORD})(?:,[ \t]*{_DIRECTION}(?P<b>{_PART}))?(?:,[ \t]*{_DIRECTION}(?P<c>{_PART}))?"
)
# The leading character class lets the regex engine skip ahead fast instead of trying every position.
_IN_PHRASE = re.compile(rf"[\s(]{_IN_CORE}")
_IN_PHRASE_AT_START = re.compile(_IN_CORE)
_DATELINE = re.compile(
    r"\s*(?P<a>[A-ZÀ-Þ][A-ZÀ-Þ .'’\-]{1,40}?),\s*(?P<b>[A-ZÀ-Þ][A-ZÀ-Þ .'’\-]{0,40}?)\s*[-–—]\s*"
    r"(?=[A-Z]{3,9}\.?\s+\d{1,2}\b)"
)
# dpa: "03.03.2025, Berlin: Bundeskanzler …", "Bayern, München: …", "Köln (Nordrhein-Westfalen): …".
_DPA_DATELINE = re.compile(
    rf"\s*(?P<date>\d{{1,2}}\.\d{{1,2}}\.\d{{4}},\s*)?(?:(?P<b>{_NAME}),[ \t]*)?(?P<a>{_NAME})"
    rf"(?:[ \t]*\((?P<c>{_NAME})\))?:[ \t]"
)
# "Maracana stadium, Rio de Janeiro, Brazil- July 18, 2018" (Reuters sports slug, no preposition).
_COMMA_LIST = re.compile(
    rf"(?P<a>{_NAME}),[ \t]*(?P<b>{_NAME})(?:,[ \t]*(?P<c>{_PART}))?[ \t]*[-–—,]?[ \t]*(?=[A-Z][a-z]+\.?[ \t]+\d)"
)

_MONTH_DAY = re.compile(r"[A-Z][a-z]+\.?[ \t]+\d")  # _COMMA_LIST's closing lookahead
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.|\b[A-Z][a-z]{1,4}\.)$")
_POSSESSIVE = re.compile(r"['’]s\b")

_PREP_WEIGHT = {
    "in": 2,
    "à": 2,
    "au": 1,
    "en": 1,
    "im": 1,
    "near": 1,
    "outside": 1,
    "bei": 1,
    "nahe": 1,
    "aus": 0,
    "from": 0,
    "at": 0,
    "on": 0,
    "of": 0,
}


class PlacePart(NamedTuple):
    """A place name as written, with its offsets (a tuple: cheap to make)."""

    value: str
    start: int
    end: int


class LocationMatch(NamedTuple):
    """The parts of a location a caption names; a part it does not name is None."""

    sublocation: PlacePart | None = None
    city: PlacePart | None = None
    region: PlacePart | None = None
    country: PlacePart | None = None


def is_place_name(name: str) -> bool:
    """True for a known country, region or city ("London", "UK", "N.J.")."""
    key = place_key(name)
    return key in COUNTRIES or key in REGIONS or key in CITIES


def _kind(name: str) -> str | None:
    key = place_key(name)
    if key in NOT_PLACES:
        return None
    if key in COUNTRIES:
        return "country"
    if key in REGIONS or key.endswith((" region", " province", " oblast", " state", " county", " district")):
        return "region"
    if key in CITIES:
        return "city"
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing dots that end a sentence (keep abbreviation dots: "N.J.", "Penn.")."""
    value = text[start:end]
    if value.endswith(".") and not _ABBREVIATION_END.search(value):
        end -= 1
    if value.endswith(("'s", "’s")):
        end -= 2
    return start, end


def _part(text: str, match: re.Match[str], group: str) -> PlacePart | None:
    if match.group(group) is None:
        return None
    start, end = match.start(group), match.end(group)
    possessive = _POSSESSIVE.search(text, start, end)
    if possessive is not None:  # "in Manhattan's Chelsea neighborhood" → Manhattan
        end = possessive.start()
        if group != "a":
            return None
    start, end = _trim(text, start, end)
    if group != "a":
        # "in Kyiv, Ukraine May 30, 2023": the name ran into the date.
        words = text[start:end].split()
        while len(words) > 1 and place_key(words[-1]) in NOT_PLACES:
            end = start + len(text[start:end].rstrip()) - len(words[-1])
            end = start + len(text[start:end].rstrip())
            words.pop()
    return PlacePart(text[start:end], start, end)


_MAX_READING = 6  # the highest score _reading gives
_MAX_PHRASE_SCORE = _MAX_READING + max(_PREP_WEIGHT.values())  # the most a preposition phrase scores


def _reading(a: PlacePart, b: PlacePart | None, c: PlacePart | None) -> tuple[int, LocationMatch] | None:
    """Score and sort ``a[, b[, c]]`` into location fields; None when it is not a place."""
    kind_a, kind_b = _kind(a.value), _kind(b.value) if b else None
    kind_c = _kind(c.value) if c else None
    if place_key(a.value) in NOT_PLACES or (place_key(a.value.split()[0]) in NOT_PLACES and kind_a is None):
        return None
    if kind_b == "country" and kind_c == "country" and b is not None and place_key(b.value) in REGIONS:
        kind_b = "region"  # "Augusta, Georgia, U.S.": the state, then the country
    if b is not None and kind_b is not None:
        if kind_b == "city" and kind_a != "country":
            # "Flushing, Queens", "Bushwick, Brooklyn": neighbourhood, city
            if kind_a == "region" or (kind_a == "city" and place_key(b.value) in REGIONS):
                return 5, LocationMatch(city=a, region=b)
            return 5, LocationMatch(
                sublocation=a,
                city=b,
                country=c if kind_c == "country" else None,
                region=c if kind_c == "region" else None,
            )
        if kind_b == "region":
            return 6, LocationMatch(city=a, region=b, country=c if kind_c == "country" else None)
        if kind_b == "country":
            if kind_a == "country":
                return None
            if kind_a == "region" and place_key(a.value) not in CITIES:
                return 5, LocationMatch(region=a, country=b)  # "the Kursk region, Russia"
            return 6, LocationMatch(city=a, country=b)
    if kind_a == "city" or (kind_a == "region" and place_key(a.value) in CITIES):
        return 4, LocationMatch(city=a)  # "in New York on November 9": the city
    if kind_a == "country":
        return 3, LocationMatch(country=a)
    if kind_a == "region":
        return 2, LocationMatch(region=a)
    return None


def find_location(
    text: str, start: int = 0, end: int | None = None, date_start: int | None = None
) -> LocationMatch | None:
    """The best-supported location in ``text[start:end]`` (offsets are into ``text``).

    ``date_start`` (where the caption's date is written) enables the preposition-less Reuters
    slug form "Maracana stadium, Rio de Janeiro, Brazil- July 18, 2018" just before the date.
    """
    end = len(text) if end is None else end
    best: tuple[int, int, LocationMatch] | None = None
    dateline = _DATELINE.match(text, start, end)
    if dateline is not None:
        a = _part(text, dateline, "a")
        b = _part(text, dateline, "b")
        if a is not None:
            reading = _reading(a, b, None)
            if reading is not None:
                best = (reading[0] + 3, -dateline.start(), reading[1])
    dpa = None
    if best is None:
        # The dateline's colon is the first one in the text (nothing before it can hold a colon).
        colon = text.find(":", start, end)
        if colon != -1 and text[colon + 1 : colon + 2] in (" ", "\t") and colon + 2 <= end:
            dpa = _DPA_DATELINE.match(text, start, end)
    if dpa is not None:
        city = _part(text, dpa, "a")
        region = _part(text, dpa, "b") or _part(text, dpa, "c")
        if city is not None and (
            dpa.group("date")
            or _kind(city.value) == "city"
            or (region is not None and _kind(region.value) == "region")
        ):
            region_ok = region is not None and _kind(region.value) == "region"
            best = (9, -dpa.start(), LocationMatch(city=city, region=region if region_ok else None))
    # A reading found later starts later, so it wins only with a higher score: once the best has
    # the highest score a preposition phrase can reach, the rest of the text cannot change it.
    if best is None or best[0] < _MAX_PHRASE_SCORE:
        at_start = _IN_PHRASE_AT_START.match(text, start, end)
        if at_start is not None:
            best = _better(text, at_start, None, best)
        for match in _IN_PHRASE.finditer(text, start, end):
            if best is not None:
                if best[0] >= _MAX_PHRASE_SCORE:
                    break
                if _MAX_READING + _PREP_WEIGHT.get(match.group("prep").lower(), 0) <= best[0]:
                    continue  # even the best reading after this preposition would not score higher
            best = _better(text, match, None, best)
    # A slug scores at most _MAX_READING (no preposition bonus): only read it when it could win.
    if date_start is not None and (best is None or best[0] <= _MAX_READING):
        window = max(start, date_start - 90)
        window_end = min(end, date_start + 40)
        # A slug needs a comma with a "Month D" after it (its lookahead): else there is none to read.
        comma = text.find(",", window, window_end)
        if comma != -1 and _MONTH_DAY.search(text, comma + 1, window_end):
            for match in _COMMA_LIST.finditer(text, window, window_end):
                best = _better(text, match, 0, best)
    if best is None:
        return None
    location = best[2]
    if location.sublocation is None and location.city is not None:
        location = LocationMatch(
            _venue_before(text, start, location.city.start), location.city, location.region, location.country
        )
    return location


def _better(
    text: str, match: re.Match[str], weight: int | None, best: tuple[int, int, LocationMatch] | None
) -> tuple[int, int, LocationMatch] | None:
    """``best`` or the reading of ``match`` if that scores higher (``weight`` None: by its preposition)."""
    a = _part(text, match, "a")
    if a is None:
        return best
    reading = _reading(a, _part(text, match, "b"), _part(text, match, "c"))
    if reading is None:
        return best
    preposition = match.group("prep").lower() if weight is None else ""
    bonus = _PREP_WEIGHT.get(preposition, 0) if weight is None else weight
    score = reading[0] + bonus
    location = reading[1]
    if preposition == "at" and location.city is None and location.country is None:
        return best
    if preposition in {"of", "on", "from"} and reading[0] < 6:
        return best  # "Mayor of Elizabeth, N.J." yes; "of Congress", "on Sunday" no
    candidate = (score, -match.start(), location)
    if best is None or candidate[:2] > best[:2]:
        return candidate
    return best


# "in the Roosevelt Room at the White House in …": one venue may sit inside another.
_VENUE_NAME = rf"{_NAME}(?:[ \t]+[a-z]+)?"
_VENUE = re.compile(
    rf"\b(?:at|in|on|inside|outside)[ \t]+(?:the[ \t]+)?"
    rf"(?P<v>{_VENUE_NAME}(?:[ \t]+(?:at|of|on|in)[ \t]+(?:the[ \t]+)?{_VENUE_NAME})?)[ \t]+in[ \t]+$"
)


def _venue_before(text: str, start: int, city_start: int) -> PlacePart | None:
    """``at the Western Wall in Jerusalem`` → "Western Wall" (the sublocation before "in City")."""
    window_start = max(start, city_start - 120)
    match = _VENUE.search(text, window_start, city_start)
    if match is None:
        return None
    value = match.group("v")
    if _kind(value) is not None:
        return None
    return PlacePart(value, match.start("v"), match.end("v"))
