"""MM3xx: dates compared at the caption's precision, FILE PHOTO against the article date."""

from __future__ import annotations

import datetime as dt

import pytest

from mediameta.checks.examples import context_from_example, run_example
from mediameta.checks.registry import Example
from mediameta.checks.rules.dates import (
    DateMismatch,
    FutureDate,
    MissingFilePhoto,
    NeedlessFilePhoto,
    date_range,
    days_apart,
)


def image(description: str, **fields: object) -> dict[str, dict[str, object]]:
    return {"a.jpg": {"description": description, **fields}}


@pytest.mark.parametrize(
    ("value", "first", "last", "precision"),
    [
        ("2025-03-03", "2025-03-03", "2025-03-03", "day"),
        ("2025-03-03T23:59:00+02:00", "2025-03-03", "2025-03-03", "day"),
        ("2025:03:03 10:00:00", "2025-03-03", "2025-03-03", "day"),  # EXIF DateTimeOriginal form
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2023", "2023-01-01", "2023-12-31", "year"),
    ],
)
def test_date_range(value: str, first: str, last: str, precision: str) -> None:
    found = date_range(value)
    assert found is not None
    assert (found.first.isoformat(), found.last.isoformat(), found.precision) == (first, last, precision)


@pytest.mark.parametrize("value", ["", "soon", "2025-13-01", "2025-02-30", None])
def test_date_range_rejects_non_dates(value: str | None) -> None:
    assert date_range(value) is None


def test_days_apart_is_zero_inside_a_month_and_counts_from_its_ends() -> None:
    month = date_range("2025-03")
    assert month is not None
    inside, after, before = date_range("2025-03-17"), date_range("2025-04-02"), date_range("2025-02-27")
    assert inside is not None and after is not None and before is not None
    assert days_apart(month, inside) == 0
    assert days_apart(month, after) == 2
    assert days_apart(month, before) == 2


@pytest.mark.parametrize(
    ("created", "tolerance", "fails"),
    [
        ("2025-03-04", 1, False),  # a day apart (time zones, late events): within the default
        ("2025-03-05", 1, True),
        ("2025-03-05", 2, False),
        ("2025-03-03T01:00:00", 0, False),
    ],
)
def test_date_mismatch_tolerance(created: str, tolerance: int, fails: bool) -> None:
    example = Example(
        "t",
        fails=fails,
        config={"date-tolerance-days": tolerance},
        images=image(
            "Crowds gather in Jerusalem, Israel, March 3, 2025. REUTERS/Ammar Awad", date_created=created
        ),
    )
    assert bool(run_example(DateMismatch, example)) is fails


def test_month_only_caption_compares_by_month() -> None:
    caption = "Crowds gather in Jerusalem, Israel, in March 2025. REUTERS/Ammar Awad"
    same = Example("t", fails=False, images=image(caption, date_created="2025-03-30"))
    other = Example("t", fails=True, images=image(caption, date_created="2025-05-02"))
    assert run_example(DateMismatch, same) == []
    assert run_example(DateMismatch, other)


def test_future_date_uses_ctx_today() -> None:
    example = Example(
        "t", fails=True, images=image("Crowds gather in Jerusalem, Israel, July 4, 2025. REUTERS/Ammar Awad")
    )
    ctx = context_from_example(example)
    assert ctx.today == dt.date(2025, 6, 30)
    assert list(FutureDate().check(ctx))
    ctx.today = dt.date(2025, 7, 4)
    assert list(FutureDate().check(ctx)) == []


OLD_CAPTION = "The US embassy opens in Jerusalem, May 14, 2018. (photo credit: REUTERS/RONEN ZVULUN)\n"


def test_file_photo_rules_are_silent_without_an_article_date() -> None:
    old = Example("t", fails=False, articles={"story.txt": OLD_CAPTION})
    fresh = Example(
        "t",
        fails=False,
        articles={"story.txt": "FILE PHOTO: Crowds gather in Jerusalem, June 29, 2025. REUTERS/Ammar Awad\n"},
    )
    assert run_example(MissingFilePhoto, old) == []
    assert run_example(NeedlessFilePhoto, fresh) == []


def test_file_photo_rules_leave_images_own_captions_alone() -> None:
    example = Example(
        "t",
        fails=False,
        article_date="2025-06-01",
        images=image(
            "Crowds gather in Jerusalem, Israel, May 14, 2018. REUTERS/Ammar Awad", date_created="2018-05-14"
        ),
    )
    assert run_example(MissingFilePhoto, example) == []


def test_article_date_from_the_article_itself_is_used() -> None:
    example = Example("t", fails=True, articles={"story.txt": OLD_CAPTION})
    ctx = context_from_example(example)
    ctx.articles[0].date = "2025-06-01"
    assert [f.code for f in MissingFilePhoto().check(ctx)] == ["MM305"]


def test_missing_file_photo_prefers_the_linked_file_date_and_offers_a_prefix_fix() -> None:
    caption = "Crowds gather in Jerusalem, Israel. REUTERS/Ammar Awad"
    example = Example(
        "t",
        fails=True,
        article_date="2025-06-01",
        articles={"story.md": f"![{caption}](a.jpg)\n"},
        images={"a.jpg": {"date_created": "2024-12-24"}},
    )
    (finding,) = run_example(MissingFilePhoto, example)
    assert finding.path == "story.md"
    assert finding.fix is not None
    assert finding.fix.changes == {"caption": f"FILE PHOTO: {caption}"}


def test_missing_file_photo_fix_uses_the_house_credit_form() -> None:
    example = Example(
        "t",
        fails=True,
        article_date="2025-06-01",
        config={"house-credit-style": "(photo credit: {AGENCY}/{PHOTOGRAPHER})"},
        articles={"story.txt": OLD_CAPTION},
    )
    (finding,) = run_example(MissingFilePhoto, example)
    assert finding.fix is not None
    assert finding.fix.changes == {
        "caption": "The US embassy opens in Jerusalem, May 14, 2018. (photo credit: REUTERS/RONEN ZVULUN/FILE PHOTO)"
    }


@pytest.mark.parametrize(("days", "fails"), [(30, False), (31, True)])
def test_file_photo_window_boundary(days: int, fails: bool) -> None:
    taken = dt.date(2025, 5, 1)
    published = taken + dt.timedelta(days=days)
    example = Example(
        "t",
        fails=fails,
        article_date=published.isoformat(),
        articles={"story.md": "![Crowds gather in Jerusalem, Israel. REUTERS/Ammar Awad](a.jpg)\n"},
        images={"a.jpg": {"date_created": taken.isoformat()}},
    )
    assert bool(run_example(MissingFilePhoto, example)) is fails


def test_needless_file_photo_fix_removes_the_leading_marker() -> None:
    example = Example(
        "t",
        fails=True,
        article_date="2025-06-01",
        articles={
            "story.txt": "FILE PHOTO: Protesters march in Tel Aviv, May 30, 2025. REUTERS/Amir Cohen\n"
        },
    )
    (finding,) = run_example(NeedlessFilePhoto, example)
    assert finding.fix is not None
    assert finding.fix.changes == {
        "caption": "Protesters march in Tel Aviv, May 30, 2025. REUTERS/Amir Cohen"
    }
