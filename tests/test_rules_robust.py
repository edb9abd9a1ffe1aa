"""Errors are data: no rule raises on hostile metadata or captions, whatever the bytes say."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediameta.captions.parse import parse_caption
from mediameta.checks.context import CaptionLink, CheckContext
from mediameta.checks.registry import all_rules
from mediameta.config import validate_config
from mediameta.models import Article, BlockError, CaptionOccurrence, FieldConflict, MediaRecord

OWN_FAMILIES = ("MM1", "MM2", "MM3", "MM4", "MM7", "MM9")
CONFIG = validate_config(
    {
        "house-credit-style": "(photo credit: {AGENCY}/{PHOTOGRAPHER})",
        "staff-photographers": ["Marc Israel Sellem"],
        "article-date": "2025-06-01",
    }
)

_text = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(
        [
            "2025-02-30",
            "0000:00:00 00:00:00",
            "9999-12-31T99:99",
            "FILE PHOTO: (photo credit: )",
            "(((((",
            "Ã©Ã",
            "REUTERS/",
            "Friday, March 3, 2025",
            "US",
            "\x00\x1b[31m",
        ]
    ),
)
_names = st.lists(st.text(max_size=20), max_size=3)


@st.composite
def records(draw: st.DrawFn) -> MediaRecord:
    return MediaRecord(
        path=draw(st.sampled_from(["a.jpg", "b.jpg", "c.tif"])),
        description=draw(_text),
        creators=draw(_names),
        credit_line=draw(_text),
        source=draw(_text),
        date_created=draw(_text),
        city=draw(_text),
        country=draw(_text),
        country_code=draw(_text),
        keywords=draw(_names),
        conflicts=draw(
            st.lists(
                st.builds(
                    FieldConflict,
                    field=st.sampled_from(["description", "creators", "nonexistent"]),
                    values=st.dictionaries(
                        st.sampled_from(["iptc", "xmp", "exif"]), st.text(max_size=10), max_size=3
                    ),
                ),
                max_size=2,
            )
        ),
        errors=draw(
            st.lists(
                st.builds(
                    BlockError,
                    block=st.sampled_from(["file", "exif", "iptc", "xmp", "sidecar"]),
                    message=st.text(max_size=30),
                ),
                max_size=2,
            )
        ),
        blocks=draw(
            st.dictionaries(st.sampled_from(["iptc", "xmp"]), st.just({"creators": ["x" * 40]}), max_size=2)
        ),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(records(), max_size=3),
    st.lists(st.text(max_size=120), max_size=3),
    st.one_of(st.none(), st.sampled_from(["2025-06-01", "1900-01-01", "bad"])),
)
def test_rules_never_raise(
    records_: list[MediaRecord], captions: list[str], article_date: str | None
) -> None:
    article = Article(
        path="story.txt", format="text", date=article_date, errors=["x"] if article_date == "bad" else []
    )
    links = []
    for index, text in enumerate(captions):
        occurrence = CaptionOccurrence(
            path="story.txt", line=index + 1, column=1, text=text, caption=parse_caption(text)
        )
        article.captions.append(occurrence)
        record = records_[index] if index < len(records_) else None
        links.append(CaptionLink(occurrence=occurrence, record=record))
    ctx = CheckContext(config=CONFIG, articles=[article], records=records_, links=links)
    for code, cls in all_rules().items():
        if not code.startswith(OWN_FAMILIES):
            continue
        for finding in cls().check(ctx):
            assert finding.code == code
            assert finding.message
