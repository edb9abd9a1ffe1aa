"""MM7xx, MM4xx and MM1xx details: mojibake repair, IIM byte limits, place normalisation, caption text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediameta.checks.examples import run_example
from mediameta.checks.registry import Example
from mediameta.checks.rules.caption_text import camera_default, placeholder, unbalanced
from mediameta.checks.rules.embedded import BlockConflict, IimFieldTooLong, Mojibake, repair_mojibake
from mediameta.checks.rules.location import same_city, same_country


def garble(text: str) -> str:
    """What a cp1252 reader makes of UTF-8 bytes (undefined bytes fall back to Latin-1)."""
    out = []
    for byte in text.encode("utf-8"):
        if byte < 0x80:
            out.append(chr(byte))
            continue
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


_CLEAN = st.text(alphabet="abcXYZ 019.,-éüñçøשלוםкий", max_size=40)
_ANY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(_ANY)
def test_garbled_text_is_repaired_exactly(text: str) -> None:
    repaired, count = repair_mojibake(garble(text))
    assert repaired == text
    assert count == sum(1 for char in text if ord(char) >= 0x80)


@given(_CLEAN)
def test_clean_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == (text, 0)


@given(st.text(max_size=200))
def test_repair_never_raises(text: str) -> None:
    repaired, count = repair_mojibake(text)
    assert isinstance(repaired, str) and count >= 0


def test_mojibake_fix_per_field_and_list() -> None:
    example = Example(
        "t", fails=True, images={"a.jpg": {"creators": ["Conor Oâ€™Neill", "Ana Lima"], "city": "SÃ£o Paulo"}}
    )
    findings = {f.field: f for f in run_example(Mojibake, example)}
    assert findings["creators"].fix is not None and findings["creators"].fix.changes == {
        "creators": ["Conor O’Neill", "Ana Lima"]
    }
    assert findings["city"].fix is not None and findings["city"].fix.changes == {"city": "São Paulo"}


@pytest.mark.parametrize(
    ("fields", "count"),
    [
        ({"creators": ["A" * 32]}, 0),
        ({"creators": ["A" * 33]}, 1),
        ({"creators": ["é" * 16]}, 0),  # 32 bytes
        ({"creators": ["é" * 17]}, 1),  # 17 characters, 34 bytes
        ({"description": "x" * 2000}, 0),
        ({"description": "x" * 2001}, 1),
        ({"keywords": ["k" * 65, "short"]}, 1),
        ({"country_code": "ISR"}, 0),
        ({"credit_line": "REUTERS", "blocks": {"iptc": {"credit_line": "R" * 40}}}, 1),
    ],
)
def test_iim_limits_in_bytes(fields: dict[str, object], count: int) -> None:
    assert (
        len(run_example(IimFieldTooLong, Example("t", fails=bool(count), images={"a.jpg": fields}))) == count
    )


def test_block_conflict_fix_writes_the_reconciled_value() -> None:
    example = BlockConflict.examples[0]
    (finding,) = run_example(BlockConflict, example)
    assert finding.field == "creators"
    assert finding.fix is not None and finding.fix.changes == {"creators": ["Evelyn Hockstein"]}
    assert "IPTC 'Leah Millis'" in finding.message and "XMP 'Evelyn Hockstein'" in finding.message


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("US", "United States", True),
        ("U.S.", "USA", True),
        ("Britain", "United Kingdom", True),
        ("the Netherlands", "Holland", True),
        ("Israel", "ISR", True),
        ("Israel", "Lebanon", False),
    ],
)
def test_same_country(first: str, second: str, same: bool) -> None:
    assert same_country(first, second) is same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Kiev", "Kyiv", True),
        ("München", "Munich", True),
        ("Gaza", "Gaza City", True),
        ("Washington, D.C.", "Washington", True),
        ("New York", "York", False),
        ("Haifa", "Tel Aviv", False),
    ],
)
def test_same_city(first: str, second: str, same: bool) -> None:
    assert same_city(first, second) is same


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ("OLYMPUS DIGITAL CAMERA", True),
        ("  sony dsc ", True),
        ("IMG_1234.JPG", True),
        ("DSC01234", True),
        ("[None]", True),
        ("Default", True),
        ("Sony chief executive speaks in Tokyo", False),
        ("", False),
    ],
)
def test_camera_default(text: str, default: bool) -> None:
    assert camera_default(text) is default


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Caption TK", "caption TK"),
        ("Lorem ipsum dolor", "lorem ipsum"),
        ("PM meets TK in Berlin", "TK"),
        ("Fans at Super Bowl XXX", None),
        ("INSERT CAPTION HERE", "insert caption"),
        ("TKO in round three", None),
    ],
)
def test_placeholder(text: str, label: str | None) -> None:
    assert placeholder(text) == label


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a (b) [c] {d} “e” «f»", False),
        ("a (b", True),
        ("a b)", True),
        ("a [b)", True),
        ('say "hi', True),
        ('say "hi"', False),
    ],
)
def test_unbalanced(text: str, problem: bool) -> None:
    assert (unbalanced(text) is not None) is problem
