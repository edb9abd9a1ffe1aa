"""The date of the pictured scene, as written: English and common European forms.

Full dates win over month-year, which wins over a bare year; among equals the first in the text
wins (captions state the scene first: "FILE - In this Jan. 27, 2010 file photo …"). A weekday
written next to the date is kept so a rule can check it. A month and day without a year, or a
weekday alone, is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan jänner januar janvier enero gennaio janeiro januari janvāris janvārī styczeń",
        "february feb februar février fevrier febrero febbraio fevereiro februari februāris februārī",
        "march mar märz maerz mars marzo março maart marts marts martā",
        "april apr avril abril aprile aprīlis aprīlī",
        "may mai mayo maggio maio mei maijs maijā",
        "june jun juni juin junio giugno junho jūnijs jūnijā",
        "july jul juli juillet julio luglio julho jūlijs jūlijā",
        "august aug août aout agosto augustus augusts augustā",
        "september sep sept septembre septiembre settembre setembro septembris septembrī",
        "october oct oktober octobre octubre ottobre outubro okt oktobris oktobrī",
        "november nov novembre noviembre novembro novembris novembrī",
        "december dec dezember décembre decembre diciembre dicembre dezembro dez decembris decembrī",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAYS: dict[str, str] = {}
for _english, _names in (
    ("Monday", "monday mon montag lundi lunes"),
    ("Tuesday", "tuesday tue tues dienstag mardi martes"),
    ("Wednesday", "wednesday wed mittwoch mercredi miércoles miercoles"),
    ("Thursday", "thursday thu thur thurs donnerstag jeudi jueves"),
    ("Friday", "friday fri freitag vendredi viernes"),
    ("Saturday", "saturday sat samstag sonnabend samedi sábado sabado"),
    ("Sunday", "sunday sun sonntag dimanche domingo"),
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _english

# Month and weekday names are matched as plain words and looked up in the tables above: a generic
# word class is far cheaper for the regex engine than an alternation of a hundred names.
_MONTH = r"(?P<month>[^\W\d_]{3,10}+)\.?"
_WEEKDAY = r"(?:(?P<weekday>[^\W\d_]{3,10}+)\.?,?\s+(?:(?:the|den|le|el)\s+)?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)"

_FULL_PATTERNS = (
    # March 3, 2025 · Dec. 8, 2016 · Sept. 22, 2018 · Monday, Aug. 8, 2022 · June 3rd, 2019
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.IGNORECASE),
    # 14 May 2018 · 3. März 2025 · le 30 avril 2015 · 4th July 2016 · 3 de marzo de 2025
    re.compile(
        rf"\b{_WEEKDAY}{_DAY}(?:\.|st|nd|rd|th)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}\b", re.IGNORECASE
    ),
    # 14.05.2018 · 3.3.2025 (day first, European)
    re.compile(rf"\b{_WEEKDAY}{_DAY}\.(?P<mnum>[01]?\d)\.{_YEAR}\b", re.IGNORECASE),
    # 2018-05-14 (ISO)
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-{_DAY}\b"),
)
_MONTH_PATTERNS = (
    # in August 2018 · December 2017 · im März 2025
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+|de\s+)?{_YEAR}\b", re.IGNORECASE),
    # 2021.gada janvāris (Latvian), 2021年1月 is not handled
    re.compile(rf"\b{_YEAR}\.?\s*gada\s+{_MONTH}", re.IGNORECASE),
)
_YEAR_PATTERNS = (
    # in 2014 · en 2008 · im Jahr 2019 · circa 1962 · in early 2016
    re.compile(
        rf"\b(?:in|en|im|au|dans|circa|c\.|ca\.|um|year|jahr)\s+(?:(?:early|late|mid|the\s+year|jahr|spring|summer|autumn|fall|winter)[\s-]+)?{_YEAR}\b(?![-–/]\d|\s*[-–]\s*\d|s\b|'s)",
        re.IGNORECASE,
    ),
    # "… in Hollywood, 1963." a year closing the sentence after a comma
    re.compile(rf",\s+{_YEAR}(?=\s*(?:[.)]|$))"),
)


class DateMatch(NamedTuple):
    """A date as written, with its offsets (a tuple: cheap to make)."""

    iso: str
    text: str
    start: int
    end: int
    weekday: str | None = None


# Month abbreviations that are also common lowercase words ("may", "mar", "sun" …).
_ENGLISH_LOWER_WORDS = frozenset(
    {"may", "mar", "jun", "jan", "sept", "dec", "oct", "aug", "nov", "mai", "mars"}
)


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


# A year 1800-2099 not inside a longer number; it starts with a literal class so the engine can
# skip to the 1s and 2s instead of trying every position.
_ANY_YEAR = re.compile(r"[12](?<!\d[12])(?:(?<=1)[89]|(?<=2)0)\d{2}(?!\d)")
_MAX_YEARS = 24
_DIGIT = re.compile(r"\d")
_WINDOW = 40  # characters before a year that a date written around it can take


def find_date(text: str, start: int = 0, end: int | None = None) -> DateMatch | None:
    """The scene date in ``text[start:end]``, or None.

    Every date form contains a four-digit year, so the patterns only run in a short window before
    each year found: linear in the caption length, whatever the caption.
    """
    end = len(text) if end is None else end
    windows: list[tuple[int, int, int]] = []
    for year_match in _ANY_YEAR.finditer(text, start, end):
        windows.append(
            (max(start, year_match.start() - _WINDOW), min(end, year_match.end() + 20), year_match.start())
        )
        if len(windows) == _MAX_YEARS:
            break  # a caption states its date early; a wall of numbers is not worth reading on
    if not windows:
        return None
    # Pass 1: a full date (the first one wins, and windows are in text order, so stop there).
    for window_start, window_end, year_start in windows:
        full = _full_dates(text, window_start, window_end, year_start)
        if full:
            return min(full, key=lambda d: d.start)
    # Pass 2: month and year; pass 3: a bare year in a telling context.
    month_only: list[DateMatch] = []
    for window_start, window_end, year_start in windows:
        for pattern in _MONTH_PATTERNS:
            for match in pattern.finditer(text, window_start, window_end):
                if match.start("year") != year_start:
                    continue
                month = _month(match.group("month"))
                if month is None or _is_may_verb(text, match):
                    continue
                month_only.append(_make(text, match, f"{match.group('year')}-{month:02d}"))
        if month_only:
            return min(month_only, key=lambda d: d.start)
    for window_start, window_end, year_start in windows:
        for pattern in _YEAR_PATTERNS:
            for match in pattern.finditer(text, window_start, window_end):
                if match.start("year") == year_start:
                    year = match.group("year")
                    return DateMatch(year, year, match.start("year"), match.end("year"))
    return None


def _full_dates(text: str, window_start: int, window_end: int, year_start: int) -> list[DateMatch]:
    """Full dates whose year is the one at ``year_start``."""
    # A full date has a day number next to its year: without another digit nearby, skip the patterns.
    if not _DIGIT.search(text, window_start, year_start) and text[year_start + 4 : year_start + 5] != "-":
        return []
    # Each form puts something particular right next to its year; a form whose neighbour is missing
    # cannot end at this year, so its pattern is not run over the window.
    before = year_start  # where the spaces before the year begin
    while before > window_start and text[before - 1].isspace():
        before -= 1
    spaced = before < year_start
    month_end = before - 1 if text[before - 1 : before] == "," else before  # "14 May, 2018"
    possible = (
        # "March 3, 2025", "June 3rd, 2019": the day's digit at most four characters before the spaces
        spaced and _DIGIT.search(text, max(window_start, before - 4), before) is not None,
        # "14 May 2018", "3. März 2025", "3 de marzo de 2025": a month name (or "de") before the spaces
        spaced and month_end > window_start and not text[month_end - 1].isdecimal(),
        # "14.05.2018"
        text[year_start - 1 : year_start] == "."
        and year_start - 2 >= window_start
        and text[year_start - 2].isdecimal(),
        # "2018-05-14"
        text[year_start + 4 : year_start + 5] == "-",
    )
    full: list[DateMatch] = []
    for pattern, maybe in zip(_FULL_PATTERNS, possible, strict=True):
        if not maybe:
            continue
        for match in pattern.finditer(text, window_start, window_end):
            if match.start("year") != year_start:
                continue
            month = int(match.group("mnum")) if "mnum" in pattern.groupindex else _month(match.group("month"))
            if month is None:
                continue
            if (
                "month" in pattern.groupindex
                and match.group("month")[:1].islower()
                and match.group("month") in _ENGLISH_LOWER_WORDS
            ):
                continue
            try:
                day = dt.date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                continue
            full.append(_make(text, match, day.isoformat()))
    return full


def _is_may_verb(text: str, match: re.Match[str]) -> bool:
    """ "may" in "… may 2025 …" is a month only when capitalised."""
    return match.group("month") == "may"


def _make(text: str, match: re.Match[str], iso: str) -> DateMatch:
    groups = match.re.groupindex
    weekday_name = match.group("weekday") if "weekday" in groups else None
    weekday = _WEEKDAYS.get(weekday_name.lower().rstrip(".")) if weekday_name else None
    start = match.start()
    if weekday is None:
        start = match.start("month") if "month" in groups and match.group("month") else start
        if "day" in groups and match.group("day") is not None:
            start = min(start, match.start("day"))
        start = min(start, match.start("year"))
    end = match.end()
    return DateMatch(iso, text[start:end], start, end, weekday)
