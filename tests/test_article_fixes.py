"""Caption fixes in article text (``mediameta.article_fixes``): the core that ``mediameta fix`` and
the desk share. Planned on the bytes as read, written only over those bytes, undone only over what
was written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mediameta.article_fixes import (
    captions_moved,
    plan_article_fixes,
    undo_article_fixes,
    write_article_fixes,
)
from mediameta.captions.extract import read_article
from mediameta.models import Article, Finding, Fix

GARBLED = "Crowds in ZÃ¼rich, March 3, 2025. (photo credit: REUTERS/JANE DOE)"
REPAIRED = "Crowds in Zürich, March 3, 2025. (photo credit: REUTERS/JANE DOE)"


def caption_fix(article: Article, index: int, new: str, code: str = "MM703") -> Finding:
    occurrence = article.captions[index]
    return Finding(
        code=code,
        name="garbled",
        severity="warning",
        message="garbled characters",
        path=article.path,
        line=occurrence.line,
        column=occurrence.column,
        fix=Fix(description="decode the garbled characters", changes={"caption": new}),
    )


def story(tmp_path: Path, text: str, name: str = "story.md") -> tuple[Path, Article]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path, read_article(path)


def test_plans_and_writes_only_the_caption_keeping_a_bom(tmp_path: Path) -> None:
    text = f"\ufeff# Story\r\n\r\nSome text.\r\n\r\n{GARBLED}\r\n\r\nThe end.\r\n"
    path, article = story(tmp_path, text)
    fixes = plan_article_fixes(article, [caption_fix(article, 0, REPAIRED)])
    assert fixes.refused is None and fixes.skipped == ()
    assert [(edit.old, edit.new) for edit in fixes.edits] == [(GARBLED, REPAIRED)]
    assert path.read_bytes() == text.encode("utf-8")  # planning writes nothing
    written = write_article_fixes(fixes)
    assert written.written and written.refused is None
    assert path.read_bytes() == text.replace(GARBLED, REPAIRED).encode("utf-8")


def test_markup_inside_a_caption_is_skipped_as_not_auto_applicable(tmp_path: Path) -> None:
    html = (
        "<html><body><figure><img src='a.jpg'><figcaption>Crowds in Z&Atilde;&frac14;rich, March 3, "
        "2025. (photo credit: REUTERS/JANE DOE)</figcaption></figure></body></html>\n"
    )
    path, article = story(tmp_path, html, "page.html")
    finding = caption_fix(article, 0, REPAIRED)
    fixes = plan_article_fixes(article, [finding])
    assert fixes.edits == () and [skip.reason for skip in fixes.skipped] == ["not-plain"]
    assert fixes.skipped[0].message == (
        f"{path}:1:{finding.column}: MM703 fix is not auto-applicable "
        "(the caption is not plain text in the file): decode the garbled characters"
    )
    assert write_article_fixes(fixes) == fixes  # nothing to write
    assert path.read_text(encoding="utf-8") == html


def test_overlapping_and_misplaced_fixes_are_skipped(tmp_path: Path) -> None:
    _, article = story(tmp_path, f"# Story\n\n{GARBLED}\n")
    first = caption_fix(article, 0, REPAIRED, "MM703")
    second = caption_fix(article, 0, "FILE PHOTO: " + GARBLED, "MM305")
    nowhere = first.model_copy(update={"line": 40})
    fixes = plan_article_fixes(article, [second, nowhere, first])
    assert [edit.finding.code for edit in fixes.edits] == ["MM305"]  # the first by code wins
    assert [(skip.finding.code, skip.reason) for skip in fixes.skipped] == [
        ("MM703", "overlap"),
        ("MM703", "no-caption"),
    ]


def test_an_article_that_is_not_utf8_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Caf\xe9 story\n\n" + GARBLED.encode("utf-8") + b"\n")
    article = read_article(path)
    fixes = plan_article_fixes(article, [caption_fix(article, 0, REPAIRED)])
    assert fixes.refused is not None and fixes.refused.startswith(f"{path}: cannot apply caption fixes:")
    assert fixes.edits == ()


def test_a_file_changed_since_it_was_read_is_refused_and_left_alone(tmp_path: Path) -> None:
    path, article = story(tmp_path, f"# Story\n\n{GARBLED}\n")
    fixes = plan_article_fixes(article, [caption_fix(article, 0, REPAIRED)])
    path.write_text(f"# Story, edited elsewhere\n\n{GARBLED}\n", encoding="utf-8")
    refused = write_article_fixes(fixes)
    assert not refused.written and refused.refused is not None and "changed on disk" in refused.refused
    assert path.read_text(encoding="utf-8") == f"# Story, edited elsewhere\n\n{GARBLED}\n"


def test_planning_on_earlier_bytes_and_undoing(tmp_path: Path) -> None:
    original = f"# Story\n\n{GARBLED}\n"
    path, article = story(tmp_path, original)
    fixes = plan_article_fixes(article, [caption_fix(article, 0, REPAIRED)], data=original.encode())
    written = write_article_fixes(fixes)
    assert written.written
    undone = undo_article_fixes(written)
    assert undone.written and path.read_text(encoding="utf-8") == original
    # Undo only over what the fix wrote: a second undo finds the original and refuses.
    again = undo_article_fixes(written)
    assert (
        not again.written
        and again.refused == f"{path}: changed on disk since the fix was written; not undone"
    )
    assert path.read_text(encoding="utf-8") == original


def test_the_core_imports_no_tui() -> None:
    code = (
        "import sys, mediameta.article_fixes, mediameta.commands.fix\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_captions_moved_tells_an_edit_that_shifts_captions_from_one_that_does_not(tmp_path: Path) -> None:
    text = f"# Story\n\n{GARBLED}\n"
    _, article = story(tmp_path, text)
    assert captions_moved(article, text.encode()) is None
    assert captions_moved(article, (text + "\nA closing paragraph.\n").encode()) is None
    assert captions_moved(article, ("An added line\n" + text).encode()) == (
        "the caption at line 3 is no longer what the check read there"
    )
    assert captions_moved(article, b"# Story\n") == "it holds 0 captions where the check read 1"
