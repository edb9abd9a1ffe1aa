"""MM5xx duplication and MM6xx linking rules on hand-built contexts, and the near-duplicate index."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from mediameta.captions.parse import parse_caption
from mediameta.checks.context import CheckContext
from mediameta.checks.rules.duplication import (
    CaptionCopiedFromBody,
    CaptionOnTwoPictures,
    DuplicateCaptionInArticle,
    SamePictureTwoCaptions,
)
from mediameta.checks.rules.linking import (
    AmbiguousMatch,
    CaptionWithoutImage,
    ImageMissing,
    ImageWithoutCaption,
)
from mediameta.config import Config
from mediameta.dedup import clusters, near_duplicate_pairs, similar_hash_pairs
from mediameta.link import link_captions
from mediameta.models import Article, CaptionOccurrence, MediaRecord, TextBlock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from make_newsroom import make_captions

TSMC = (
    "US President Donald Trump makes an announcement about an investment from Taiwan Semiconductor "
    "Manufacturing Company (TSMC), in the Roosevelt Room at the White House in Washington, DC, US, March 3, 2025."
)
SUDZHA = (
    "A Ukrainian serviceman patrols an area in the controlled by Ukrainian army town of Sudzha, "
    "Kursk region, Russia, August 16, 2024."
)
RALLY = "Supporters cheer at an election night rally in Philadelphia, Pennsylvania, U.S., November 3, 2026."


def occ(path: str, line: int, text: str, image_ref: str | None = None) -> CaptionOccurrence:
    return CaptionOccurrence(
        path=path, line=line, column=1, text=text, caption=parse_caption(text), image_ref=image_ref
    )


def context(
    articles: list[Article], records: list[MediaRecord], hashes: dict[str, str] | None = None
) -> CheckContext:
    config = Config()
    return CheckContext(
        config=config,
        articles=articles,
        records=records,
        links=link_captions(articles, records, config),
        image_hashes=hashes or {},
    )


def test_seed_shape_reports_each_repeated_caption_once_with_both_lines() -> None:
    story = Article(
        path="story.txt",
        format="text",
        captions=[
            occ("story.txt", 5, f"{TSMC} (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)"),
            occ("story.txt", 6, f"{TSMC} (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)"),
            occ("story.txt", 17, f"{SUDZHA} (credit: REUTERS/YAN DOBRONOSOV)"),
            occ("story.txt", 18, f"{SUDZHA} (credit: REUTERS/YAN DOBRONOSOV)"),
        ],
    )
    records = [
        MediaRecord(path="tsmc.jpg", description=f"{TSMC} REUTERS/Leah Millis"),
        MediaRecord(path="sudzha.jpg", description=f"{SUDZHA} REUTERS/Yan Dobronosov"),
    ]
    ctx = context([story], records)
    findings = list(DuplicateCaptionInArticle().check(ctx))
    assert [(f.line, [r.line for r in f.related]) for f in findings] == [(6, [5]), (18, [17])]
    assert all(f.code == "MM501" and f.path == "story.txt" for f in findings)
    # linked to their pictures, the repeats are not "one caption on two pictures"
    assert list(CaptionOnTwoPictures().check(ctx)) == []
    assert list(CaptionWithoutImage().check(ctx)) == []


def test_one_caption_on_two_pictures_reported_once_at_the_later_article_line() -> None:
    page = Article(
        path="night.html",
        format="html",
        captions=[
            occ("night.html", 16, f"{RALLY} REUTERS/Rachel Wisniewski", image_ref="rally.jpg"),
            occ("night.html", 30, f"{RALLY} REUTERS/Rachel Wisniewski", image_ref="crowd.jpg"),
        ],
    )
    records = [
        MediaRecord(path="rally.jpg", description=f"{RALLY} REUTERS/Hannah Beier"),
        MediaRecord(path="crowd.jpg", description="A crowd waits for results outside the convention center."),
    ]
    ctx = context([page], records)
    (finding,) = CaptionOnTwoPictures().check(ctx)
    assert (finding.path, finding.line, finding.related[0].line) == ("night.html", 30, 16)
    assert "rally.jpg" in finding.message and finding.severity == "error"
    assert list(DuplicateCaptionInArticle().check(ctx)) == []  # different pictures: MM502 only


def test_the_same_picture_filed_twice_with_its_caption_is_not_mm502() -> None:
    records = [
        MediaRecord(path="a.jpg", description=f"{RALLY} REUTERS/Hannah Beier"),
        MediaRecord(path="b.jpg", description=f"{RALLY} REUTERS/Hannah Beier"),
    ]
    ctx = context([], records, {"a.jpg": "ffff0000ffff0000", "b.jpg": "ffff0000ffff0000"})
    assert list(CaptionOnTwoPictures().check(ctx)) == []
    assert list(SamePictureTwoCaptions().check(ctx)) == []


def test_same_picture_with_another_caption_and_credit() -> None:
    records = [
        MediaRecord(path="patrol.jpg", description=f"{SUDZHA} REUTERS/Yan Dobronosov"),
        MediaRecord(
            path="handout.jpg", description="A soldier walks through a damaged town. Handout via REUTERS"
        ),
        MediaRecord(path="other.jpg", description="Something else entirely, in Haifa. REUTERS/Amir Cohen"),
    ]
    hashes = {
        "patrol.jpg": "ffff0000ffff0000",
        "handout.jpg": "ffff0000ffff0003",
        "other.jpg": "0123456789abcdef",
    }
    (finding,) = SamePictureTwoCaptions().check(context([], records, hashes))
    assert finding.path == "patrol.jpg" and finding.related[0].path == "handout.jpg"
    assert "hash distance 2" in finding.message and "different caption" in finding.message
    assert "different credit" in finding.message


def test_a_picture_filed_many_times_reports_each_odd_copy_once() -> None:
    """Five copies, three captioned one way and two another: the two odd ones are reported, once
    each, against a majority copy (not one finding per pair: six pairs disagree)."""
    majority = f"{SUDZHA} REUTERS/Yan Dobronosov"
    odd = "A soldier walks through a damaged town. Handout via REUTERS"
    records = [
        MediaRecord(path=f"copy{index}.jpg", description=majority if index in (0, 2, 4) else odd)
        for index in range(5)
    ]
    hashes = {record.path: "ffff0000ffff0000" for record in records}
    findings = list(SamePictureTwoCaptions().check(context([], records, hashes)))
    assert sorted(finding.path for finding in findings) == ["copy1.jpg", "copy3.jpg"]
    for finding in findings:
        assert finding.related[0].path == "copy0.jpg"  # the nearest majority copy, by path
        assert {place.path for place in finding.related} == {"copy0.jpg", "copy2.jpg", "copy4.jpg"}
        assert finding.message.startswith("same picture as copy0.jpg (identical) but a different caption")
        assert finding.message.endswith("; 2 other copies disagree too")


def test_the_copy_an_article_captions_is_never_the_suspect() -> None:
    records = [
        MediaRecord(path="a.jpg", description="A soldier walks through a damaged town. Handout via REUTERS"),
        MediaRecord(path="z.jpg", description=f"{SUDZHA} REUTERS/Yan Dobronosov"),
    ]
    article = Article(
        path="story.md",
        format="markdown",
        captions=[occ("story.md", 3, "A soldier walks through a damaged town. Handout via REUTERS", "a.jpg")],
    )
    hashes = {"a.jpg": "ffff0000ffff0000", "z.jpg": "ffff0000ffff0000"}
    (finding,) = SamePictureTwoCaptions().check(context([article], records, hashes))
    assert finding.path == "z.jpg" and finding.related[0].path == "a.jpg"
    assert "; " not in finding.message.split(" but ", 1)[1]  # one partner: no count


def test_caption_copied_from_body() -> None:
    body = "Rescue teams searched flooded garages and basements in Alfafar, Spain, on Monday."
    story = Article(
        path="s.md",
        format="markdown",
        captions=[
            occ("s.md", 9, f"{body} (Photo by JOSE JORDAN / AFP)"),
            occ("s.md", 12, f"{RALLY} REUTERS/A B"),
        ],
        paragraphs=[
            TextBlock(line=3, column=1, text="Officials said on Sunday. " + body + " More rain is due.")
        ],
    )
    (finding,) = CaptionCopiedFromBody().check(context([story], []))
    assert (finding.line, finding.related[0].line) == (9, 3)


def test_linking_rules() -> None:
    story = Article(
        path="s.md",
        format="markdown",
        captions=[
            occ("s.md", 3, "The podium stands empty. REUTERS/Ann Lee", image_ref="podium.jpg"),
            occ("s.md", 5, "Cats sleep on a warm windowsill in Rome, Italy. REUTERS/Ann Lee"),
            occ("s.md", 7, "Boats leave the harbour at dawn in Haifa, Israel. REUTERS/Ann Lee"),
        ],
    )
    records = [
        MediaRecord(path="a.jpg", description="Boats leave the harbour at dawn in Haifa, Israel."),
        MediaRecord(path="b.jpg", description="Boats leave the harbour at dawn in Haifa, Israel."),
        MediaRecord(path="empty.jpg"),
    ]
    ctx = context([story], records)
    assert [f.line for f in ImageMissing().check(ctx)] == [3]
    assert [f.line for f in CaptionWithoutImage().check(ctx)] == [5]
    (ambiguous,) = AmbiguousMatch().check(ctx)
    assert ambiguous.line == 7 and sorted(r.path for r in ambiguous.related) == ["a.jpg", "b.jpg"]
    assert [f.path for f in ImageWithoutCaption().check(ctx)] == ["empty.jpg"]


def test_near_duplicate_index_recall_against_exhaustive() -> None:
    captions = make_captions(3000, seed=7, duplicate_rate=0.08)
    indexed = {(a, b) for a, b, _ in near_duplicate_pairs(captions, 0.9)}
    exhaustive = {(a, b) for a, b, _ in near_duplicate_pairs(captions, 0.9, exhaustive=True)}
    assert len(exhaustive) > 100
    assert indexed <= exhaustive  # every reported pair is verified
    assert len(indexed & exhaustive) / len(exhaustive) >= 0.99


def test_near_duplicates_exact_groups_are_stars_and_clusters_join_them() -> None:
    texts = [
        "Boats at dawn in Haifa.",
        "boats at dawn, in HAIFA",
        "",
        "Boats at dawn in Haifa!",
        "Other text here",
    ]
    pairs = near_duplicate_pairs(texts, 0.9)
    assert pairs == [(0, 1, 1.0), (0, 3, 1.0)]
    assert clusters(len(texts), pairs) == [[0, 1, 3]]


def test_similar_hash_pairs_finds_every_pair_within_distance() -> None:
    rng = random.Random(3)
    hashes = {f"{i:03}.jpg": f"{rng.getrandbits(64):016x}" for i in range(300)}
    base = int(hashes["000.jpg"], 16)
    hashes["copy.jpg"] = f"{base ^ 0b1000001000100:016x}"  # 3 bits flipped
    found = similar_hash_pairs(hashes, 6)
    assert ("000.jpg", "copy.jpg", 3) in found
    brute = sorted(
        (a, b, (int(hashes[a], 16) ^ int(hashes[b], 16)).bit_count())
        for a in hashes
        for b in hashes
        if a < b and (int(hashes[a], 16) ^ int(hashes[b], 16)).bit_count() <= 6
    )
    assert found == brute


def test_small_and_large_pair_finders_agree() -> None:
    from mediameta.checks.rules.duplication import _few_pairs

    texts = make_captions(20, seed=11, duplicate_rate=0.4)
    assert _few_pairs(texts, 0.9) == near_duplicate_pairs(texts, 0.9, exhaustive=True)
