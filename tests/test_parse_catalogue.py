"""The agency catalogue: shipped data loads, lookups ignore case/punctuation/"the", newsroom entries."""

from __future__ import annotations

import pytest

from mediameta.captions.catalogue import AGENCY_KINDS, AgencyCatalogue, default_catalogue, load_catalogue_text


def test_shipped_catalogue_is_large_and_well_formed() -> None:
    catalogue = default_catalogue()
    assert len(catalogue) >= 300
    names = [agency.name for agency in catalogue.agencies]
    assert len(names) == len(set(names)), "canonical names are unique"
    assert {agency.kind for agency in catalogue.agencies} <= set(AGENCY_KINDS)
    assert default_catalogue() is catalogue, "loaded once per process"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("AP Photo", "AP"),
        ("the associated press", "AP"),
        ("ASSOCIATED PRESS", "AP"),
        ("Agence France-Presse", "AFP"),
        ("EPA-EFE", "EPA"),
        ("Getty", "Getty Images"),
        ("picture-alliance", "picture alliance"),
        ("imago images", "IMAGO"),
        ("FLASH90", "Flash90"),
        ("Government Press Office", "GPO"),
        ("THE JERUSALEM POST", "The Jerusalem Post"),
        ("New York Times", "The New York Times"),
        ("IDF SPOKESPERSON'S UNIT", "IDF Spokesperson's Unit"),
        ("The Canadian Press", "Canadian Press"),
    ],
)
def test_lookup_by_alias(written: str, canonical: str) -> None:
    agency = default_catalogue().lookup(written)
    assert agency is not None, written
    assert agency.name == canonical


def test_unknown_names_are_not_found() -> None:
    catalogue = default_catalogue()
    assert catalogue.lookup("Evan Vucci") is None
    assert catalogue.lookup("") is None
    assert catalogue.lookup("   ") is None


def test_extended_adds_and_overrides_without_touching_the_original() -> None:
    base = default_catalogue()
    extended = base.extended(
        [{"name": "Harbour Gazette", "aliases": ["HG"], "kind": "newspaper"}, {"name": "Staff Photo Desk"}]
    )
    assert extended.lookup("hg") is not None and extended.lookup("hg").name == "Harbour Gazette"  # type: ignore[union-attr]
    assert extended.lookup("Staff Photo Desk").kind == "organisation"  # type: ignore[union-attr]
    assert base.lookup("HG") is None
    assert extended.lookup("Reuters") is not None


@pytest.mark.parametrize(
    "entry",
    [
        {},
        {"name": ""},
        {"name": "X", "aliases": [1]},
        {"name": "X", "kind": 3},
        {"name": "X", "colour": "red"},
    ],
)
def test_bad_entries_are_rejected_with_the_reason(entry: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="agency entry 0"):
        AgencyCatalogue([]).extended([entry])


def test_catalogue_text_format() -> None:
    catalogue = load_catalogue_text('[[agency]]\nname = "Foo Wire"\nkind = "wire"\naliases = ["FW"]\n')
    assert catalogue.lookup("fw").name == "Foo Wire"  # type: ignore[union-attr]


def test_aliases_report_the_canonical_name_and_variants_stay_as_written() -> None:
    catalogue = default_catalogue()
    assert catalogue.credit_name("AP Photo") == "AP"
    assert catalogue.credit_name("Associated Press") == "AP"
    assert catalogue.credit_name("Reuters TV") == "Reuters TV"  # a variant: recognised, kept as written
    assert catalogue.lookup("Reuters TV").name == "Reuters"  # type: ignore[union-attr]
    assert catalogue.credit_name("Anadolu Agency") == "Anadolu Agency"
    assert catalogue.credit_name("Evan Vucci") is None


def test_variants_in_parsed_credits() -> None:
    from mediameta.captions.parse import parse_caption

    caption = parse_caption("Protesters in Istanbul. Anadolu Agency via Getty Images")
    assert caption.credit is not None
    assert caption.credit.agencies == ["Anadolu Agency", "Getty Images"]
    assert parse_caption("A rally. Photo: Jane Doe/AP Photo").credit.agencies == ["AP"]  # type: ignore[union-attr]


def test_newsroom_entries_may_have_variants() -> None:
    catalogue = default_catalogue().extended([{"name": "Harbour Gazette", "variants": ["HG Weekend"]}])
    assert catalogue.credit_name("HG Weekend") == "HG Weekend"
    assert catalogue.lookup("hg weekend").name == "Harbour Gazette"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="variants"):
        catalogue.extended([{"name": "X", "variants": [1]}])
