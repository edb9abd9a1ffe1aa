"""Caption fixes applied to article text: the core behind ``mediameta fix`` and the desk's ``x``.

A rule's fix ``{"caption": new text}`` on an article finding (its line and column) replaces the
caption's text in the article file, only where the file still holds exactly the text that was
checked there. A caption whose source differs from its extracted text (HTML entities, markup inside
it) is "not auto-applicable": it is skipped with the reason, to be fixed by hand.

Planning reads (or is given) the article's bytes and computes the new bytes; writing replaces the
file atomically and only if it still holds the bytes the plan was made from. Nothing here prints:
the results say what was done, skipped or refused, and the callers word it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from mediameta.captions.articles.common import decode_article
from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.captions.extract import read_article_text
from mediameta.media.write import WriteRefused, replace_file_bytes
from mediameta.models import Article, Finding

SkipReason = Literal["no-caption", "not-plain", "overlap"]
BOM = "\ufeff"
ASSEMBLED_SOURCES = frozenset({"sidecar", "manifest"})  # captions built from fields, not read in place


@dataclass(frozen=True)
class CaptionEdit:
    """One caption's text replaced: ``old`` at ``start`` (an offset into the text after any BOM)."""

    finding: Finding
    start: int
    old: str
    new: str


@dataclass(frozen=True)
class SkippedFix:
    """A caption fix that was not planned, why (``reason``), and the sentence that says so."""

    finding: Finding
    reason: SkipReason
    message: str


@dataclass(frozen=True)
class ArticleFixes:
    """The caption fixes of one article: planned against ``before`` (the bytes as read), giving
    ``after``. ``refused`` says why nothing can be (or was) written; ``written`` that it was."""

    path: Path
    before: bytes = b""
    after: bytes = b""
    edits: tuple[CaptionEdit, ...] = ()
    skipped: tuple[SkippedFix, ...] = ()
    refused: str | None = None
    written: bool = False


def _offset(text: str, line: int, column: int) -> int | None:
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines) or column < 1:
        return None
    return sum(len(item) for item in lines[: line - 1]) + column - 1


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code}"


def plan_caption_edits(
    text: str, article: Article, findings: Sequence[Finding]
) -> tuple[list[CaptionEdit], list[SkippedFix]]:
    """Where each caption fix goes in the article ``text`` (without BOM); the ones that cannot be
    placed (no caption there, not plain text in the file, overlapping another) are skipped."""
    occurrences = {(occ.line, occ.column): occ for occ in article.captions}
    edits: list[CaptionEdit] = []
    skipped: list[SkippedFix] = []
    for finding in sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.code)):
        new = finding.fix.changes.get("caption") if finding.fix is not None else None
        occurrence = occurrences.get((finding.line or 0, finding.column or 0))
        if not isinstance(new, str) or occurrence is None:
            message = f"{_where(finding)} caption fix has no caption there; skipped"
            skipped.append(SkippedFix(finding, "no-caption", message))
            continue
        start = _offset(text, occurrence.line, occurrence.column)
        if start is None or text[start : start + len(occurrence.text)] != occurrence.text:
            # the caption's source text differs from its extracted text (markup, entities): by hand
            description = finding.fix.description if finding.fix is not None else ""
            message = (
                f"{_where(finding)} fix is not auto-applicable "
                f"(the caption is not plain text in the file): {description}"
            )
            skipped.append(SkippedFix(finding, "not-plain", message))
            continue
        end = start + len(occurrence.text)
        if any(edit.start < end and start < edit.start + len(edit.old) for edit in edits):
            message = f"{_where(finding)} fix overlaps another fix; skipped"
            skipped.append(SkippedFix(finding, "overlap", message))
            continue
        edits.append(CaptionEdit(finding, start, occurrence.text, new))
    return edits, skipped


def plan_article_fixes(
    article: Article, findings: Sequence[Finding], data: bytes | None = None
) -> ArticleFixes:
    """The caption fixes of ``findings`` planned on ``article``'s file: its bytes now, or ``data``
    (the bytes as a caller read them earlier; a write then refuses unless the file still holds them).

    An article that cannot be read or is not UTF-8 is refused whole (its text cannot be rewritten
    byte for byte); a leading BOM is kept.
    """
    path = Path(article.path)
    try:
        raw = path.read_bytes() if data is None else data
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return ArticleFixes(path, refused=f"{path}: cannot apply caption fixes: {exc}")
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    edits, skipped = plan_caption_edits(body, article, findings)
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        body = body[: edit.start] + edit.new + body[edit.start + len(edit.old) :]
    after = ((BOM if bom else "") + body).encode("utf-8")
    return ArticleFixes(path, raw, after, tuple(edits), tuple(skipped))


def write_article_fixes(fixes: ArticleFixes) -> ArticleFixes:
    """Write a plan's new bytes atomically, only over the bytes it was planned from.

    A plan with a refusal or no edits is returned unchanged (nothing to write); a file that changed
    since it was read comes back ``refused`` (with the writer's reason) and is left untouched.
    """
    if fixes.refused is not None or not fixes.edits:
        return fixes
    try:
        replace_file_bytes(fixes.path, fixes.after, expected=fixes.before)
    except WriteRefused as exc:
        return replace(fixes, refused=str(exc))
    return replace(fixes, written=True)


def undo_article_fixes(fixes: ArticleFixes) -> ArticleFixes:
    """Put back the bytes a written plan replaced, only if the file still holds what it wrote."""
    undone = ArticleFixes(fixes.path, fixes.after, fixes.before, fixes.edits)
    try:
        replace_file_bytes(fixes.path, fixes.before, expected=fixes.after)
    except WriteRefused as exc:
        if exc.reason == "changed":
            return replace(
                undone, refused=f"{fixes.path}: changed on disk since the fix was written; not undone"
            )
        return replace(undone, refused=str(exc))
    return replace(undone, written=True)


def captions_moved(article: Article, data: bytes, catalogue: AgencyCatalogue | None = None) -> str | None:
    """Why ``data`` (the article's bytes now) no longer holds ``article``'s captions where the check
    found them, or None when it still does.

    An article edited since the check may still hold a caption's text, elsewhere: its findings'
    lines and columns are stale, and a fix placed by them would be refused or land wrong. Sidecars
    and manifests (captions assembled from fields) are not compared.
    """
    if any(occurrence.source in ASSEMBLED_SOURCES for occurrence in article.captions):
        return None
    text, _ = decode_article(data, html=article.format == "html")
    now = read_article_text(text, article.path, article.format, catalogue=catalogue)
    was = [(occurrence.line, occurrence.column, occurrence.text) for occurrence in article.captions]
    found = [(occurrence.line, occurrence.column, occurrence.text) for occurrence in now.captions]
    if was == found:
        return None
    for before, after in zip(was, found, strict=False):
        if before != after:
            return f"the caption at line {before[0]} is no longer what the check read there"
    return f"it holds {len(found)} captions where the check read {len(was)}"
