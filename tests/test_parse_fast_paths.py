"""The parser's shortcuts read captions exactly as the plain scans they replace.

Each shortcut (a regex rewritten to start with a literal class, a cheap test before a costlier regex, a
pattern skipped when the text next to a year rules it out) must not change a single parse: these
property tests compare each one with the straightforward version on generated caption fragments.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediameta.captions import credit, dates, places
from mediameta.captions.catalogue import default_catalogue, normalise_name

PIECES = [
    "Photo",
    "photo",
    "PHOTO",
    "Photo by ",
    "photos courtesy of ",
    "Image source, ",
    "Picture",
    "pictured",
    "Foto: ",
    "Bild",
    "Video by ",
    "credit",
    "Credit",
    " Credit Credit… ",
    "crédit photo",
    "Mandatory Credit: ",
    "Quelle",
    "source:",
    "Illustration by ",
    "caption",
    "copyright ",
    "Copyright © ",
    "©",
    "(c)",
    "(C) ",
    "(",
    ")",
    "[",
    "]",
    "İ",
    "ı",
    "ſ",
    "Getty Images",
    "REUTERS",
    "Evan Vucci",
    "St. ",
    "Mt. ",
    "Dr. ",
    "frdl. ",
    "gen. ",
    "von. ",
    "A. ",
    "/",
    "//",
    "|",
    " | ",
    " via ",
    ", via ",
    " VIA ",
    " for ",
    " on Unsplash",
    " on ",
    " - ",
    " – ",
    "—",
    ";",
    ",",
    ".",
    ". ",
    "! ",
    "? ",
    "…",
    ": ",
    ") ",
    '" ',
    "” ",
    "  ",
    "\t",
    "\n",
    "\xa0",
    "x",
    "Berlin",
    "1",
    "2",
    "03",
    "18",
    "19",
    "1989",
    "2025",
    "12025",
    "3 ",
    "3rd, ",
    "14.05.",
    "-05-14",
    "March ",
    "3. März ",
    "de marzo de ",
    "May, ",
    "14 May ",
    "4th July ",
    "Monday, Aug. 8, ",
    "June 3rd, ",
    "Dec. 8,  ",
    "3 de marzo, de ",
    "le 30 avril ",
]
captions = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The regexes as they were first written (plain alternations); the parser's versions are rewritten
# to start with a literal class, which must not change what they match.
PLAIN = {
    "_SEPARATOR": re.compile(
        r"(?://?|\||,?\s+v[ií]a\s+|\s+for\s+|\s+on\s+(?=unsplash|pexels|pixabay|flickr|instagram)"
        r"|\s[-–—]\s|[–—]|;|,|(?-i:(?<!\b[A-Z]))(?<!\b(?:st|jr|sr|dr|mt|ft))(?<!\bfrdl)(?<!\bgen)(?<!\bvon)"
        r"\.\s+(?-i:(?=[A-Z])))",
        re.IGNORECASE,
    ),
    "_CHAIN_SEPARATOR_HINT": re.compile(r"[/|—–]| - | v[ií]a | for "),
    "_MAYBE_SEPARATOR": re.compile(r"[/|,;–—.]| - | v[ií]a | for | on "),
    "_BOUNDARY": re.compile(r"(?:[.!?…]['\"”’)]*\s+|\s+[|]\s*|\s[-–—]\s+|[–—]\s*|:\s+|\)\s+|[\"”]\s+)"),
    "_NYT_LABEL": re.compile(r"(?:(?<=^)|(?<=\s))Credit(?:\s+Credit)?(?:\s*(?:\.\.\.|…))?\s+(?=[A-ZÀ-Þ])"),
}


def spans(pattern: re.Pattern[str], text: str, start: int) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text, start)]


@SETTINGS
@given(captions, st.integers(0, 8))
def test_rewritten_regexes_match_what_the_plain_alternations_match(text: str, start: int) -> None:
    start = min(start, len(text))
    for name, plain in PLAIN.items():
        assert spans(getattr(credit, name), text, start) == spans(plain, text, start), name
    plain_year = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
    assert spans(dates._ANY_YEAR, text, start) == spans(plain_year, text, start)


@SETTINGS
@given(captions)
def test_a_part_prefix_starts_with_one_of_the_listed_heads(text: str) -> None:
    for position in range(len(text)):
        if credit._PART_PREFIX.match(text, position) is not None:
            head = text[position : position + 2]
            assert not head.isascii() or head.lower() in credit._PART_PREFIX_HEADS, head


@SETTINGS
@given(captions)
def test_label_at_is_the_label_regex(text: str) -> None:
    for position in range(len(text) + 1):
        fast = credit._label_at(text, position, len(text))
        plain = credit._LABEL.match(text, position, len(text))
        assert (fast and fast.span()) == (plain and plain.span())


def labels_found_keyword_by_keyword(text: str, end: int) -> list[tuple[int, int]]:
    """Every occurrence of every keyword tried in order (what _label_matches shortcuts)."""
    lowered = text[:end].lower()
    if len(lowered) != end:
        return [match.span() for match in credit._LABEL.finditer(text, 0, end)]
    positions = {
        match.start() for key in credit._LABEL_KEYS for match in re.finditer(f"(?={re.escape(key)})", lowered)
    }
    found: list[tuple[int, int]] = []
    for position in sorted(positions):
        if found and position < found[-1][1]:
            continue
        match = credit._LABEL.match(text, position, end)
        if match is not None and match.end() > match.start():
            found.append(match.span())
    return found


@SETTINGS
@given(captions)
def test_label_matches_finds_the_labels_a_scan_of_every_keyword_finds(text: str) -> None:
    for end in (len(text), len(text) // 2):
        assert [m.span() for m in credit._label_matches(text, end)] == labels_found_keyword_by_keyword(
            text, end
        )


def full_dates_every_form(
    text: str, window_start: int, window_end: int, year_start: int
) -> list[dates.DateMatch]:
    """dates._full_dates running every full-date pattern, whatever stands next to the year."""
    if (
        not dates._DIGIT.search(text, window_start, year_start)
        and text[year_start + 4 : year_start + 5] != "-"
    ):
        return []
    found: list[dates.DateMatch] = []
    for pattern in dates._FULL_PATTERNS:
        for match in pattern.finditer(text, window_start, window_end):
            if match.start("year") != year_start:
                continue
            named = "month" in pattern.groupindex
            month = dates._month(match.group("month")) if named else int(match.group("mnum"))
            if month is None:
                continue
            if (
                named
                and match.group("month")[:1].islower()
                and match.group("month") in dates._ENGLISH_LOWER_WORDS
            ):
                continue
            try:
                day = dt.date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                continue
            found.append(dates._make(text, match, day.isoformat()))
    return found


# What stands before and after a year in the date forms (and in near misses).
BEFORE_YEAR = ["", " ", "in ", "3 ", "03, ", "3rd, ", "14 May ", "May, ", "March 3 ", "Monday, Aug. 8, "]
BEFORE_YEAR += [
    "3. März ",
    "3 de marzo de ",
    "le 30 avril ",
    "4th July ",
    "14.05.",
    "4.3.",
    "x.",
    "May 2, ",
    "-",
]
AFTER_YEAR = ["", ".", "-05-14", "-5-14", "-13-01", " ", "s", ", 2019"]
dated_captions = st.tuples(
    captions,
    st.sampled_from(BEFORE_YEAR),
    st.sampled_from(["1989", "2018", "2025"]),
    st.sampled_from(AFTER_YEAR),
).map("".join)


@SETTINGS
@given(dated_captions)
def test_date_patterns_skipped_next_to_a_year_would_find_nothing(text: str) -> None:
    for year in dates._ANY_YEAR.finditer(text):
        window = (max(0, year.start() - dates._WINDOW), min(len(text), year.end() + 20), year.start())
        assert dates._full_dates(text, *window) == full_dates_every_form(text, *window)


@SETTINGS
@given(captions)
def test_a_dpa_dateline_ends_at_the_first_colon(text: str) -> None:
    match = places._DPA_DATELINE.match(text)
    if match is not None:
        colon = text.find(":")
        assert match.end() == colon + 2 and text[colon + 1] in " \t"


@given(
    st.lists(
        st.sampled_from(["The", "the", "Getty", "Images", "AP", "Photo", "Associated", "Press", "-", "x"])
    )
)
def test_catalogue_names_start_and_end_with_listed_words(words: list[str]) -> None:
    catalogue = default_catalogue()
    for count in range(1, len(words) + 1):
        name = " ".join(words[:count])
        if catalogue.lookup(name) is None:
            continue
        first = normalise_name(words[0])
        last = normalise_name(words[count - 1])
        assert not first or first.startswith("the") or first.partition(" ")[0] in catalogue.first_words
        assert not last or last.rpartition(" ")[2] in catalogue.last_words


def name_key_the_long_way(name: str) -> str:
    key = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    key = re.sub(r"\s+", " ", re.sub(r"[^\w\s'&+]", " ", key)).strip()
    return key[4:] if key.startswith("the ") else key


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            ["The ", "the", " ", "  ", "\t", "AP", "Photo", "x_y", "&", "+", "'", "’", "é", "ﬁ", "."]
        )
    )
)
def test_name_keys_take_the_short_way_only_where_it_gives_the_same_key(pieces: list[str]) -> None:
    name = "".join(pieces)
    assert normalise_name.__wrapped__(name) == name_key_the_long_way(name)
