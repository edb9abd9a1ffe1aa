"""MM2xx: name normalisation, the house credit form and its auto-fix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediameta.captions.parse import parse_caption
from mediameta.checks.examples import run_example
from mediameta.checks.registry import Example
from mediameta.checks.rules._support import same_person
from mediameta.checks.rules.credit import (
    AgencyMismatch,
    HouseCreditStyle,
    MissingCredit,
    PhotographerMismatch,
    UnknownAgency,
    credit_block,
    render_house_credit,
)

HOUSE = "(photo credit: {AGENCY}/{PHOTOGRAPHER})"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Leah Millis", "LEAH MILLIS", True),
        ("Leah Millis", "Millis, Leah", True),
        ("Zoë O'Neil", "Zoe ONeil", True),
        ("Leah Millis", "Leah A. Millis", True),
        ("Leah Millis", "Evelyn Hockstein", False),
        ("Leah Millis", "", False),
    ],
)
def test_same_person(first: str, second: str, same: bool) -> None:
    assert same_person(first, second) is same


@pytest.mark.parametrize(
    ("style", "photographers", "agencies", "qualifiers", "expected"),
    [
        (HOUSE, ["Leah Millis"], ["Reuters"], ["file"], "(photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)"),
        (HOUSE, [], ["Reuters"], [], "(photo credit: REUTERS)"),
        (HOUSE, ["Marc Israel Sellem"], [], [], "(photo credit: MARC ISRAEL SELLEM)"),
        ("{Photographer}/{Agency}", ["Evan Vucci"], ["AP"], ["pool"], "Evan Vucci/AP/Pool"),
        ("({Agency} Photo/{Photographer})", ["Evan Vucci"], ["AP"], [], "(AP Photo/Evan Vucci)"),
        (
            "{PHOTOGRAPHER}/{AGENCY}/{QUALIFIER}",
            ["Kevin Lamarque"],
            ["Reuters"],
            [],
            "KEVIN LAMARQUE/REUTERS",
        ),
    ],
)
def test_render_house_credit(
    style: str, photographers: list[str], agencies: list[str], qualifiers: list[str], expected: str
) -> None:
    assert render_house_credit(style, photographers, agencies, qualifiers) == expected


@given(st.lists(st.text(max_size=20), max_size=3), st.lists(st.text(max_size=20), max_size=3))
def test_render_house_credit_never_raises(photographers: list[str], agencies: list[str]) -> None:
    assert isinstance(render_house_credit(HOUSE, photographers, agencies, ["file", "pool"]), str)


def test_credit_block_covers_label_and_brackets() -> None:
    caption = parse_caption("Lawmakers meet in Jerusalem. (credit: Reuters/Leah Millis)")
    block = credit_block(caption)
    assert block is not None
    assert caption.text[block[0] : block[1]] == "(credit: Reuters/Leah Millis)"


def test_house_style_fix_rewrites_only_the_credit() -> None:
    example = Example(
        "t",
        fails=True,
        config={"house-credit-style": HOUSE},
        articles={"story.txt": "Lawmakers meet in Jerusalem, Israel. (credit: Reuters/Leah Millis)\n"},
    )
    (finding,) = run_example(HouseCreditStyle, example)
    assert finding.line == 1 and finding.column == 1
    assert finding.fix is not None
    assert finding.fix.changes == {
        "caption": "Lawmakers meet in Jerusalem, Israel. (photo credit: REUTERS/LEAH MILLIS)"
    }


def test_house_style_keeps_the_qualifier() -> None:
    example = Example(
        "t",
        fails=False,
        config={"house-credit-style": HOUSE},
        articles={
            "story.txt": "Lawmakers meet in Jerusalem, Israel. (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)\n"
        },
    )
    assert run_example(HouseCreditStyle, example) == []


def test_missing_credit_fix_takes_the_credit_from_the_linked_file() -> None:
    example = Example(
        "t",
        fails=True,
        config={"house-credit-style": HOUSE},
        articles={
            "story.md": "![Rescue workers search the rubble in Gaza City, October 9, 2023.](gaza.jpg)\n"
        },
        images={"gaza.jpg": {"creators": ["Mohammed Salem"], "credit_line": "Reuters"}},
    )
    findings = [f for f in run_example(MissingCredit, example) if f.path == "story.md"]
    assert findings and findings[0].fix is not None
    assert findings[0].fix.changes == {
        "caption": "Rescue workers search the rubble in Gaza City, October 9, 2023. (photo credit: REUTERS/MOHAMMED SALEM)"
    }


def test_article_caption_is_compared_with_its_linked_file_not_itself() -> None:
    example = Example(
        "t",
        fails=True,
        articles={"story.md": "![President Trump speaks in the Oval Office. REUTERS/Leah Millis](a.jpg)\n"},
        images={"a.jpg": {"description": "President Trump speaks.", "creators": ["Evelyn Hockstein"]}},
    )
    (finding,) = run_example(PhotographerMismatch, example)
    assert finding.path == "story.md" and "Evelyn Hockstein" in finding.message


@pytest.mark.parametrize(
    ("credit_line", "fails"),
    [
        ("AP", True),
        ("Reuters Pictures", False),
        ("REUTERS/Leah Millis", False),
        ("Jerusalem Post Photo Desk", False),
    ],
)
def test_agency_mismatch_uses_catalogue_identity(credit_line: str, fails: bool) -> None:
    example = Example(
        "t",
        fails=fails,
        images={"a.jpg": {"description": "Lawmakers meet. REUTERS/Leah Millis", "credit_line": credit_line}},
    )
    assert bool(run_example(AgencyMismatch, example)) is fails


def test_unknown_agency_alias_from_config() -> None:
    example = Example(
        "t",
        fails=False,
        config={"agencies": [{"name": "Acme Photo Wire", "aliases": ["ACME PHOTO WIRE"]}]},
        images={"a.jpg": {"description": "Smoke rises over Kyiv. (photo credit: ACME PHOTO WIRE/JANE ROE)"}},
    )
    assert run_example(UnknownAgency, example) == []


def test_misspelt_agency_fix_respells_inside_the_credit_only() -> None:
    from mediameta.checks.rules.credit import MisspeltAgency, near_agency
    from mediameta.config import catalogue_for, validate_config

    catalogue = catalogue_for(validate_config({}))
    assert near_agency("REUTRES", catalogue) == "Reuters"
    assert near_agency("Reuters", catalogue) is None  # known: not a misspelling
    assert near_agency("AFP", catalogue) is None  # too short to judge
    assert near_agency("Leah Millis", catalogue) is None
    text = "Reutres staff watch REUTRES feed in Kyiv, Ukraine. (photo credit: REUTRES/GLEB GARANICH)"
    example = Example("t", fails=True, images={"a.jpg": {"description": text}})
    (finding,) = run_example(MisspeltAgency, example)
    assert finding.fix is not None
    assert finding.fix.changes == {
        "description": "Reutres staff watch REUTRES feed in Kyiv, Ukraine. (photo credit: REUTERS/GLEB GARANICH)"
    }


def test_courtesy_credits_are_not_unknown_agencies() -> None:
    example = Example(
        "t", fails=False, images={"a.jpg": {"description": "A new listing in Seattle. Courtesy of Zillow"}}
    )
    assert run_example(UnknownAgency, example) == []


def test_house_style_leaves_a_leading_file_photo_marker_alone() -> None:
    text = "FILE PHOTO: Lawmakers meet in Jerusalem, Israel. (photo credit: REUTERS/LEAH MILLIS)\n"
    example = Example("t", fails=False, config={"house-credit-style": HOUSE}, articles={"story.txt": text})
    assert run_example(HouseCreditStyle, example) == []
    inside = "Lawmakers meet in Jerusalem, Israel. Leah Millis/Reuters/File Photo\n"
    (finding,) = run_example(
        HouseCreditStyle,
        Example("t", fails=True, config={"house-credit-style": HOUSE}, articles={"story.txt": inside}),
    )
    assert "(photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)" in finding.message
