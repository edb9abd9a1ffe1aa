"""The desk's view model without an app: rows, status marks, filters, sorting, comparison, clusters."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from tui_helpers import ARTICLE, standin_context, standin_findings

from mediameta.checks.context import CheckContext
from mediameta.config import Config
from mediameta.models import Finding, MediaRecord
from mediameta.tui.model import (
    DeskItem,
    FilterSpec,
    build_items,
    changed_fields,
    comparison,
    duplicate_clusters,
    merge_rechecked,
    parse_edit,
    previous_values,
    recheck_context,
    relinked,
    sort_items,
    status_mark,
    visible_items,
    word_diff,
)
from mediameta.tui.services import ReviewState

ROOT = Path("/srv/desk/newsroom")


def items_by_name(reviews: dict[str, ReviewState] | None = None) -> dict[str, DeskItem]:
    ctx = standin_context(ROOT)
    items = build_items(ctx, standin_findings(ctx), reviews, ROOT)
    return {item.display: item for item in items}


def test_every_finding_lands_on_exactly_one_row() -> None:
    ctx = standin_context(ROOT)
    findings = standin_findings(ctx)
    items = build_items(ctx, findings, None, ROOT)
    assert sum(len(item.findings) for item in items) == len(findings)
    rows = {item.display: item for item in items}
    assert rows["articles/floods.txt:9"].kind == "caption"
    assert [f.code for f in rows["articles/floods.txt:9"].findings] == ["MM601"]
    assert rows["images/broken.jpg"].kind == "file"
    # An article finding on a linked caption's line goes to the picture the caption is on.
    assert [f.code for f in rows["images/valencia.jpg"].findings] == ["MM501"]


def test_a_finding_on_an_unknown_file_gets_its_own_row() -> None:
    ctx = CheckContext(config=Config())
    finding = Finding(
        code="MM901", name="unreadable", severity="error", message="x", path="/srv/desk/newsroom/a.tif"
    )
    (item,) = build_items(ctx, [finding], None, ROOT)
    assert (item.kind, item.display, item.severity) == ("file", "a.tif", "error")


def test_status_marks_read_without_colour() -> None:
    rows = items_by_name()
    assert status_mark(rows["images/blank.jpg"]).startswith("✖ ERR")
    assert status_mark(rows["images/paris.jpg"]).startswith("▲ WRN")
    rows["images/paris.jpg"].edits = {"credit_line": "AFP"}
    assert status_mark(rows["images/paris.jpg"]).endswith("*")
    key = os.path.abspath(ROOT / "images" / "valencia.jpg")
    approved = items_by_name({key: ReviewState(key, "approved", "fine")})
    assert status_mark(approved["images/valencia.jpg"]).startswith("✔ APP")
    assert approved["images/valencia.jpg"].note == "fine"


def test_filter_tokens_combine_with_text() -> None:
    rows = list(items_by_name().values())

    def shown(query: str) -> list[str]:
        return [item.display for item in visible_items(rows, FilterSpec.parse(query), "file")]

    assert shown("PARIS") == ["images/paris.jpg"]
    assert shown("paris walks") == ["images/paris.jpg"]  # every word, in any order
    assert shown("rule:mm2") == ["images/blank.jpg", "images/paris.jpg"]
    assert shown("rule:MM204") == ["images/paris.jpg"]
    assert shown("is:error") == ["images/blank.jpg", "images/broken.jpg"]
    assert shown("is:warning rule:MM5") == ["images/valencia.jpg"]
    assert shown("is:unreviewed nosuchword") == []
    assert shown("is:clean") == []  # the unreadable file counts as an error


@given(st.text())
def test_any_filter_text_is_accepted(query: str) -> None:
    spec = FilterSpec.parse(query)
    rows = list(items_by_name().values())
    assert len(visible_items(rows, spec, "findings")) <= len(rows)


def test_sorting_puts_empty_values_last() -> None:
    rows = list(items_by_name().values())
    by_date = [item.display for item in sort_items(rows, "date")]
    assert by_date[:2] == ["images/paris.jpg", "images/valencia.jpg"]
    by_photographer = [item.photographer for item in sort_items(rows, "photographer")]
    named = [name for name in by_photographer if name]
    assert by_photographer[: len(named)] == named == sorted(named, key=str.casefold)
    assert named[0] == "Eva Manez" and by_photographer[-1] == ""
    counts = [len(item.findings) for item in sort_items(rows, "findings")]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_comparison_marks_disagreements_between_article_and_blocks() -> None:
    rows = items_by_name()
    paris = {row.label: row for row in comparison(rows["images/paris.jpg"])}
    assert paris["Credit"].values == {"article": "AFP/JOEL SAGET", "iptc": "AP", "xmp": "AP", "exif": ""}
    assert paris["Credit"].disagree
    valencia = {row.label: row for row in comparison(rows["images/valencia.jpg"])}
    assert not valencia["Caption"].disagree  # same words, whatever the case and spacing
    # Unsaved edits show as what every block will hold.
    rows["images/paris.jpg"].edits = {"credit_line": "AFP/JOEL SAGET"}
    edited = {row.label: row for row in comparison(rows["images/paris.jpg"])}
    assert edited["Credit"].values["iptc"] == "AFP/JOEL SAGET"
    assert not edited["Credit"].disagree


def test_duplicate_clusters_join_related_positions() -> None:
    rows = list(items_by_name().values())
    (cluster,) = duplicate_clusters(rows, ROOT)
    assert cluster.codes == ("MM501",)
    assert [member.where for member in cluster.members] == ["articles/floods.txt:5", "articles/floods.txt:11"]
    assert {member.picture for member in cluster.members} == {"images/valencia.jpg"}


def test_word_diff_marks_only_changed_words() -> None:
    runs = word_diff("a man walks in Paris", "a man runs in Paris today")
    assert ("runs", True) in runs and ("today", True) in runs
    assert ("a man", False) in runs


def test_edit_parse_joins_caption_and_credit() -> None:
    caption = parse_edit("A man walks in Paris, France, October 5, 2024.", "AFP/JOEL SAGET")
    assert caption.credit is not None and caption.credit.agencies == ["AFP"]
    assert caption.date is not None and caption.date.iso == "2024-10-05"


def test_only_real_changes_are_edits_and_undo_restores_them() -> None:
    record = MediaRecord(path="/x.jpg", credit_line="AP", creators=["A"], description=None)
    edits = changed_fields(record, {"credit_line": "AP", "creators": ["B"], "description": ""})
    assert edits == {"creators": ["B"]}
    assert previous_values(record, ["creators", "description"]) == {"creators": ["A"], "description": None}


def test_recheck_context_holds_only_the_edited_picture() -> None:
    ctx = standin_context(ROOT)
    rows = {item.display: item for item in build_items(ctx, standin_findings(ctx), None, ROOT)}
    paris = rows["images/paris.jpg"]
    paris.edits = {"credit_line": "AFP"}
    small = recheck_context(ctx, paris)
    assert [record.path for record in small.records] == [paris.path]
    assert small.records[0].credit_line == "AFP"
    assert all(link.record is small.records[0] for link in small.links)
    assert merge_rechecked(paris, standin_findings(small)) == []
    # Folder-wide duplication findings survive a re-check of one picture.
    valencia = rows["images/valencia.jpg"]
    assert [f.code for f in merge_rechecked(valencia, [])] == ["MM501"]
    assert ARTICLE.count("Valencia, Spain") == 2


def test_changed_since_read_compares_the_stamp_with_the_record_as_read() -> None:
    from mediameta.media.write import FileStamp
    from mediameta.tui.model import changed_since_read

    record = MediaRecord(path="a.jpg", size=1000, mtime_ns=5)
    assert changed_since_read(record, FileStamp(1000, 5, "ab")) is None
    moved = changed_since_read(record, FileStamp(1004, 9, "cd"))
    assert moved is not None and "size 1000 -> 1004 bytes, modification time" in moved
    assert changed_since_read(record, FileStamp(1000, 6, "ab")) is not None
    # a record whose stat is unknown (built by hand, or after a save the desk could not re-read)
    assert changed_since_read(MediaRecord(path="a.jpg"), FileStamp(1000, 5, "ab")) is None


def test_a_caption_row_rechecks_only_its_own_lines_and_keeps_what_landed_on_it() -> None:
    ctx = standin_context(ROOT)
    rows = {item.display: item for item in build_items(ctx, standin_findings(ctx), None, ROOT)}
    unlinked = rows["articles/floods.txt:9"]
    article = unlinked.path
    elsewhere = Finding(code="MM401", name="x", severity="info", message="m", path=article, line=5)
    no_line = Finding(code="MM901", name="x", severity="error", message="m", path=article)
    unlinked.findings = [*unlinked.findings, no_line]
    fresh = standin_findings(recheck_context(ctx, unlinked))
    merged = merge_rechecked(unlinked, [*fresh, elsewhere])
    # Its own line's findings are the fresh ones; another caption's line (same article path) is
    # not its to take; an article finding with no line that landed here stays.
    assert sorted(f.code for f in merged) == ["MM601", "MM901"]


def test_relinked_moves_links_onto_the_captions_read_again() -> None:
    ctx = standin_context(ROOT)
    was = ctx.articles[0]
    now = was.model_copy(
        update={"captions": [c.model_copy(update={"text": c.text.upper()}) for c in was.captions]}
    )
    moved = relinked(ctx.links, was, now)
    assert moved is not None and len(moved) == len(ctx.links)
    assert [moved[id(link)].occurrence.text for link in ctx.links] == [c.text.upper() for c in was.captions]
    assert all(moved[id(link)].record is link.record for link in ctx.links)
    fewer = was.model_copy(update={"captions": was.captions[1:]})
    assert relinked(ctx.links, was, fewer) is None  # not the same captions: check the folder again
