"""MM3xx: the date — missing, in the future, disagreeing with the file, wrong weekday, FILE PHOTO.

Dates are compared at the precision the caption writes them: a caption that says "May 2024" is
a range (May 1–31), so a file dated May 20 agrees with it and one dated June 2 does not.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.checks.rules._support import RuleOptions, Target, article_targets, targets
from mediameta.checks.rules.caption_text import stand_in
from mediameta.checks.rules.credit import credit_block, credit_qualifiers, render_house_credit
from mediameta.config import catalogue_for
from mediameta.models import CaptionDate, Finding, Fix

_ISO = re.compile(r"^\s*(?P<year>\d{4})(?:[-:](?P<month>\d{1,2})(?:[-:](?P<day>\d{1,2}))?)?")
_FILE_MARKER = re.compile(r"^\s*(?:FILE\s+PHOTO|FILE\s+PICTURE|FILE)\s*(?::|-|–|—)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    """The days a date may mean: one day for a full date, a month or a year otherwise."""

    first: dt.date
    last: dt.date
    precision: str  # "day" | "month" | "year"

    def describe(self) -> str:
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "month":
            return self.first.strftime("%Y-%m")
        return str(self.first.year)


def date_range(value: str | None) -> DateRange | None:
    """The range an ISO-like date means (``2025-03-03``, ``2025-03``, ``2025``, EXIF ``2025:03:03 …``)."""
    if not value:
        return None
    match = _ISO.match(value)
    if match is None:
        return None
    try:
        year = int(match.group("year"))
        if match.group("month") is None:
            return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        month = int(match.group("month"))
        if match.group("day") is None:
            last_day = calendar.monthrange(year, month)[1]
            return DateRange(dt.date(year, month, 1), dt.date(year, month, last_day), "month")
        day = dt.date(year, month, int(match.group("day")))
        return DateRange(day, day, "day")
    except ValueError:  # month 13, February 30, year 0
        return None


def caption_range(date: CaptionDate | None) -> DateRange | None:
    return date_range(date.iso) if date is not None else None


def days_apart(caption: DateRange, file: DateRange) -> int:
    """Days between the nearest ends of two ranges (0 when they overlap)."""
    if file.last < caption.first:
        return (caption.first - file.last).days
    if file.first > caption.last:
        return (file.first - caption.last).days
    return 0


def picture_range(target: Target) -> DateRange | None:
    """When the picture was taken: the file's date created, else the caption's date."""
    if target.record is not None:
        found = date_range(target.record.date_created)
        if found is not None:
            return found
    return caption_range(target.caption.date)


def article_date(ctx: CheckContext, target: Target) -> dt.date | None:
    """The publication date the FILE PHOTO rules measure against (article's own, else configured)."""
    value = target.article.date if target.article is not None and target.article.date else None
    value = value or ctx.config.article_date
    found = date_range(value)
    return found.first if found is not None and found.precision == "day" else None


def has_file_marker(target: Target) -> bool:
    caption = target.caption
    return caption.file_marker or (caption.credit is not None and "file" in caption.credit.qualifiers)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


@register
class MissingDate(Rule):
    """Caption states no date for the picture.

    Wire and news captions say when the picture was taken ("March 3, 2025"); without it a reader
    cannot tell a fresh picture from an archive one. Month-only and year-only dates count as dates.

    Fails: ``Protesters march in Tel Aviv, Israel. REUTERS/Amir Cohen``.
    Passes: ``Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen``.
    """

    code = "MM301"
    name = "missing-date"
    severity = "info"
    examples = (
        Example(
            "no date",
            fails=True,
            images={"a.jpg": {"description": "Protesters march in Tel Aviv, Israel. REUTERS/Amir Cohen"}},
        ),
        Example(
            "dated",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            if (
                target.caption.date is None
                and target.caption.text.strip()
                and not stand_in(target.caption.text)
            ):
                yield self.finding("caption states no date", **target.where)


@register
class FutureDate(Rule):
    """Caption date is in the future.

    Usually a typo in the year (2052 for 2025) or a date copied from an event announcement. A
    month-only or year-only date is in the future only when all of it is ("July 2025" is fine on
    July 1).

    Fails: ``Protesters march in Tel Aviv, Israel, March 3, 2052. REUTERS/Amir Cohen`` (today 2025-06-30).
    Passes: ``Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen``.
    """

    code = "MM302"
    name = "future-date"
    severity = "error"
    examples = (
        Example(
            "a typo in the year",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, March 3, 2052. REUTERS/Amir Cohen"
                }
            },
        ),
        Example(
            "a past date",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen"
                }
            },
        ),
        Example(
            "this month",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, in June 2025. REUTERS/Amir Cohen"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            stated = caption_range(target.caption.date)
            if stated is not None and stated.first > ctx.today:
                assert target.caption.date is not None
                yield self.finding(
                    f"caption date '{target.caption.date.text}' is in the future (today is {ctx.today.isoformat()})",
                    **target.where,
                )


@register
class DateMismatch(Rule):
    """Caption date disagrees with the file's date created by more than ``date-tolerance-days``.

    Compared at the caption's precision: "May 2024" agrees with any day in May 2024 (plus the
    tolerance). A difference means the caption was written for another picture, or the camera clock
    was wrong; either way the desk must look. Silent when either date is missing.

    Fails: caption ``... March 3, 2025 ...`` on a file created 2025-02-14.
    Passes: caption ``... March 3, 2025 ...`` on a file created 2025-03-03T21:40:00 (or ``... March 2025 ...``
    on a file created 2025-03-28).
    """

    code = "MM303"
    name = "date-mismatch"
    severity = "warning"
    examples = (
        Example(
            "weeks apart",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen",
                    "date_created": "2025-02-14",
                }
            },
        ),
        Example(
            "same day",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen",
                    "date_created": "2025-03-03T21:40:00+02:00",
                }
            },
        ),
        Example(
            "month-only caption, day in that month",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, in March 2025. REUTERS/Amir Cohen",
                    "date_created": "2025-03-28",
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        tolerance = ctx.config.date_tolerance_days
        for target in targets(ctx):
            stated = caption_range(target.caption.date)
            record = target.record
            created = date_range(record.date_created) if record is not None else None
            if stated is None or created is None or record is None:
                continue
            apart = days_apart(stated, created)
            if apart > tolerance:
                assert target.caption.date is not None
                yield self.finding(
                    f"caption date '{target.caption.date.text}' is {_days(apart)} from the file's date created "
                    f"({created.describe()}; tolerance {tolerance})",
                    **target.where,
                )


@register
class WeekdayMismatch(Rule):
    """Weekday written with the date is not that date's weekday ("Friday, March 3, 2025" was a Monday).

    Fails: ``Lawmakers meet in Jerusalem on Friday, March 3, 2025. REUTERS/Leah Millis``.
    Passes: ``Lawmakers meet in Jerusalem on Monday, March 3, 2025. REUTERS/Leah Millis``.
    """

    code = "MM304"
    name = "weekday-mismatch"
    severity = "error"
    examples = (
        Example(
            "Friday that was a Monday",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Lawmakers meet in Jerusalem on Friday, March 3, 2025. REUTERS/Leah Millis"
                }
            },
        ),
        Example(
            "the right weekday",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Lawmakers meet in Jerusalem on Monday, March 3, 2025. REUTERS/Leah Millis"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            date = target.caption.date
            stated = caption_range(date)
            if date is None or date.weekday is None or stated is None or stated.precision != "day":
                continue
            actual = calendar.day_name[stated.first.weekday()]
            if date.weekday.casefold() != actual.casefold():
                yield self.finding(
                    f"'{date.text}': {stated.first.isoformat()} was a {actual}, not a {date.weekday}",
                    **target.where,
                )


def _file_photo_fix(ctx: CheckContext, target: Target) -> Fix | None:
    caption = target.caption
    style = ctx.config.house_credit_style
    credit = caption.credit
    if style is not None and credit is not None and (credit.photographers or credit.agencies):
        block = credit_block(caption)
        if block is not None:
            catalogue = catalogue_for(ctx.config)
            agencies = [
                agency.name if (agency := catalogue.lookup(name)) is not None else name
                for name in credit.agencies
            ]
            house = render_house_credit(
                style, list(credit.photographers), agencies, [*credit_qualifiers(caption), "file"]
            )
            start, end = block
            before = caption.text[:start].rstrip()
            new_text = (f"{before} {house}" if before else house) + caption.text[end:]
            return Fix(description=f"add FILE PHOTO to the credit: {house}", changes={"caption": new_text})
    return Fix(
        description="prefix the caption with FILE PHOTO:",
        changes={"caption": f"FILE PHOTO: {caption.text.lstrip()}"},
    )


@register
class MissingFilePhoto(Rule):
    """Picture is older than ``file-photo-days`` before the article date but not marked FILE PHOTO.

    Readers must be told when a picture is from the archive. Article captions only (an image's own
    caption has no publication date): the picture's date is the linked file's date created, else
    the caption's date; a month-only date counts from its last day, so only pictures
    that are certainly old are reported. The article date is the article's own (HTML ``<time>``,
    front matter, dateline) or ``article-date`` / ``--article-date``; without one this rule stays
    silent rather than guess. A leading ``FILE PHOTO:`` / ``FILE -`` or a ``/FILE PHOTO`` qualifier
    in the credit counts as the marker.

    Fix: add ``/FILE PHOTO`` to the credit in the house form when ``house-credit-style`` is set,
    else prefix the caption with ``FILE PHOTO:``.

    Fails: a caption dated May 14, 2018 in an article of 2025-06-01, without a marker.
    Passes: ``FILE PHOTO: ...`` with the same dates; or no article date at all.
    """

    code = "MM305"
    name = "missing-file-photo"
    severity = "warning"
    examples = (
        Example(
            "archive picture without the marker",
            fails=True,
            article_date="2025-06-01",
            articles={
                "story.txt": "The US embassy opens in Jerusalem, May 14, 2018. (photo credit: REUTERS/RONEN ZVULUN)\n"
            },
        ),
        Example(
            "marked in the credit",
            fails=False,
            article_date="2025-06-01",
            articles={
                "story.txt": "The US embassy opens in Jerusalem, May 14, 2018. "
                "(photo credit: REUTERS/RONEN ZVULUN/FILE PHOTO)\n"
            },
        ),
        Example(
            "no article date: silent",
            fails=False,
            articles={
                "story.txt": "The US embassy opens in Jerusalem, May 14, 2018. (photo credit: REUTERS/RONEN ZVULUN)\n"
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        window = ctx.config.file_photo_days
        for target in article_targets(ctx):
            published = article_date(ctx, target)
            taken = picture_range(target)
            if published is None or taken is None or has_file_marker(target):
                continue
            age = (published - taken.last).days
            if age > window:
                yield self.finding(
                    f"picture from {taken.describe()} is {_days(age)} older than the article ({published.isoformat()}) "
                    "but is not marked FILE PHOTO",
                    fix=_file_photo_fix(ctx, target),
                    **target.where,
                )


class NeedlessFilePhotoOptions(RuleOptions):
    fresh_days: int = Field(
        default=2, ge=0, description="a picture taken this many days or fewer before the article is fresh"
    )


@register
class NeedlessFilePhoto(Rule):
    """Picture is marked FILE PHOTO but was taken within ``fresh-days`` (default 2) of the article date.

    A FILE PHOTO marker on a picture from the same news cycle misleads the reader. Wire services
    mark any picture not made for the story as a file photo, so only pictures from the last
    ``fresh-days`` days are reported. Article captions only: the picture's date is the linked file's
    date created, else the caption's date; a month-only date counts from its first day. Silent
    without an article date.

    Options: ``fresh-days`` (int, default 2).

    Fix (when the marker is a leading ``FILE PHOTO:``): remove it.

    Fails: ``FILE PHOTO: Protesters march in Tel Aviv, May 30, 2025. REUTERS/Amir Cohen`` in an article of 2025-06-01.
    Passes: the same caption in an article of 2025-06-14.
    """

    code = "MM306"
    name = "needless-file-photo"
    severity = "info"
    Options = NeedlessFilePhotoOptions
    examples = (
        Example(
            "two days old and marked",
            fails=True,
            article_date="2025-06-01",
            articles={
                "story.txt": "FILE PHOTO: Protesters march in Tel Aviv, May 30, 2025. REUTERS/Amir Cohen\n"
            },
        ),
        Example(
            "two weeks old and marked",
            fails=False,
            article_date="2025-06-14",
            articles={
                "story.txt": "FILE PHOTO: Protesters march in Tel Aviv, May 30, 2025. REUTERS/Amir Cohen\n"
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert isinstance(self.options, NeedlessFilePhotoOptions)
        window = self.options.fresh_days
        for target in article_targets(ctx):
            published = article_date(ctx, target)
            taken = picture_range(target)
            if published is None or taken is None or not has_file_marker(target):
                continue
            age = (published - taken.first).days
            if 0 <= age <= window:
                fix = None
                marker = _FILE_MARKER.match(target.caption.text)
                if marker is not None and target.caption.file_marker:
                    fix = Fix(
                        description="remove the FILE PHOTO marker",
                        changes={"caption": target.caption.text[marker.end() :]},
                    )
                yield self.finding(
                    f"marked FILE PHOTO but the picture ({taken.describe()}) was taken {_days(age)} before the "
                    f"article ({published.isoformat()})",
                    fix=fix,
                    **target.where,
                )
