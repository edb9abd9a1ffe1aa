"""Which captions the rules look at: alt text of captioned figures is skipped, stand-ins stay single."""

from __future__ import annotations

from mediameta.checks.examples import run_example
from mediameta.checks.registry import Example
from mediameta.checks.rules.caption_text import EmptyCaption, ShortCaption
from mediameta.checks.rules.credit import MissingCredit
from mediameta.checks.rules.dates import MissingDate
from mediameta.checks.rules.location import LocationMismatch, MissingLocation

FIGURE = (
    "<figure>\n"
    '  <img src="a.jpg" alt="Supporters at a rally">\n'
    "  <figcaption>Supporters cheer at a rally in Philadelphia, Pennsylvania, U.S., November 3, 2026.\n"
    '    <span class="credit">REUTERS/Rachel Wisniewski</span></figcaption>\n'
    "</figure>\n"
)


def test_alt_text_of_a_captioned_figure_is_not_a_caption() -> None:
    example = Example(
        "t",
        fails=False,
        articles={"story.html": FIGURE},
        images={"a.jpg": {"creators": ["Rachel Wisniewski"]}},
    )
    for rule in (MissingCredit, ShortCaption, MissingDate, MissingLocation):
        assert run_example(rule, example) == [], rule.code


def test_alt_text_alone_is_checked_like_a_caption() -> None:
    example = Example(
        "t", fails=True, articles={"story.md": "![Supporters at a rally](a.jpg)\n"}, images={"a.jpg": {}}
    )
    assert [f.line for f in run_example(MissingCredit, example)] == [1]


def test_camera_default_is_reported_once_not_as_short_undated_and_placeless() -> None:
    example = Example("t", fails=False, images={"a.jpg": {"description": "SONY DSC", "creators": ["A B"]}})
    for rule in (ShortCaption, MissingDate, MissingLocation, EmptyCaption):
        assert run_example(rule, example) == [], rule.code


def test_unreadable_images_are_left_to_mm9xx() -> None:
    example = Example(
        "t",
        fails=False,
        images={"a.jpg": {"description": "x", "errors": [{"block": "file", "message": "truncated"}]}},
    )
    for rule in (ShortCaption, MissingDate, MissingLocation, MissingCredit):
        assert run_example(rule, example) == [], rule.code


def test_location_country_code_only() -> None:
    caption = "Lawmakers arrive in Washington, U.S., March 3, 2025. REUTERS/Leah Millis"
    agree = Example("t", fails=False, images={"a.jpg": {"description": caption, "country_code": "US"}})
    differ = Example("t", fails=True, images={"a.jpg": {"description": caption, "country_code": "GB"}})
    unknown_code = Example("t", fails=False, images={"a.jpg": {"description": caption, "country_code": "XQ"}})
    assert run_example(LocationMismatch, agree) == []
    assert run_example(LocationMismatch, differ)
    assert run_example(LocationMismatch, unknown_code) == []
