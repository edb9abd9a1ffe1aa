"""Hostile input never breaks the parser: no exception, spans are valid slices, body and credit are
substrings of the text (hypothesis property tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediameta.captions.parse import parse_caption
from mediameta.models import Caption

# Pieces real captions are made of, so generated strings reach deep into the grammar.
PIECES = [
    "REUTERS/",
    "Leah Millis",
    "/File Photo",
    "(photo credit: ",
    "(credit: ",
    ")",
    "(",
    "[",
    "]",
    "AP Photo/",
    "Photo by ",
    " / AFP",
    "Getty Images",
    " via ",
    " for ",
    "The New York Times",
    "Foto: ",
    "Bild: ",
    "© ",
    "picture alliance / dpa | ",
    "IMAGO/",
    "FILE PHOTO: ",
    "FILE - ",
    "Credit Credit... ",
    "March 3, 2025",
    "3. März 2025",
    "14.05.2018",
    "Dec. 8, 2016",
    " in Washington, D.C.",
    ", U.S., ",
    "in 1989",
    "Courtesy of ",
    "Mandatory Credit: ",
    "hide caption",
    " | ",
    " - ",
    ". ",
    ",",
    "\n",
    "\t",
    "\x00",
    "\u200b",
    "İ",
    "ß",
    "…",
]

caption_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=30).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(caption: Caption, text: str) -> None:
    assert caption.text == text
    for name, span in caption.spans.items():
        assert 0 <= span.start <= span.end <= len(text), (name, span)
    if caption.body is not None:
        assert caption.body in text
        span = caption.spans["body"]
        assert text[span.start : span.end] == caption.body
    if caption.credit is not None:
        assert caption.credit.raw in text
        span = caption.spans["credit"]
        assert text[span.start : span.end] == caption.credit.raw
        for photographer in caption.credit.photographers:
            assert photographer in text
    if caption.date is not None:
        assert caption.date.iso[:4].isdigit()
        span = caption.spans["date"]
        assert text[span.start : span.end] == caption.date.text


@SETTINGS
@given(st.text())
def test_arbitrary_unicode(text: str) -> None:
    check(parse_caption(text), text)


@SETTINGS
@given(caption_like)
def test_caption_shaped_noise(text: str) -> None:
    check(parse_caption(text), text)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("()[]/|©:.,- \n\taAzZ09"), max_size=400))
def test_unbalanced_brackets_and_separators(text: str) -> None:
    check(parse_caption(text), text)


@SETTINGS
@given(st.text(alphabet=st.characters(max_codepoint=0x1F, blacklist_categories=()), max_size=200))
def test_control_characters(text: str) -> None:
    check(parse_caption(text), text)


def test_very_long_strings_parse_without_blowup() -> None:
    texts = [
        "A" * 200_000,
        "(" * 50_000 + "photo credit: REUTERS/X" + ")" * 10,
        "in Washington, " * 20_000 + "March 3, 2025. REUTERS/Leah Millis",
        "Photo: " * 20_000,
        "/" * 100_000,
        "Credit " * 30_000 + "Jane Doe/AP",
        "© " * 30_000,
        "1989 " * 40_000,
        ("Name Surname/" * 10_000) + "Getty Images",
        # shapes that were quadratic once: many bracketed labels, many credits, many years
        "(Photo: " * 5_000,
        "(credit: Jane Doe/AP) " * 5_000,
        "(AP Photo/Evan Vucci)" * 5_000,
        "March 3, 2025, " * 5_000,
    ]
    for text in texts:
        check(parse_caption(text), text)
