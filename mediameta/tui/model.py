"""The desk's view model: one row per picture (or per caption with no picture), pure Python.

Nothing here imports Textual, so the filtering, sorting, status and comparison logic is unit-tested
without an app. The widgets only render what these functions compute.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.captions.parse import parse_caption
from mediameta.checks.context import CaptionLink, CheckContext
from mediameta.models import (
    SEVERITY_RANK,
    Article,
    Caption,
    CaptionOccurrence,
    FieldValue,
    Finding,
    MediaRecord,
)

if TYPE_CHECKING:
    from mediameta.article_fixes import ArticleFixes

ItemKind = Literal["picture", "caption", "article", "file"]
ReviewStatus = Literal["approved", "flagged", "unreviewed"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("approved", "flagged", "unreviewed")
SORT_KEYS: tuple[str, ...] = ("file", "date", "photographer", "findings")
STATUS_FILTERS: tuple[str, ...] = ("error", "warning", "clean", "approved", "flagged", "unreviewed", "edited")
FAMILIES: dict[str, str] = {
    "MM1": "caption text",
    "MM2": "credit",
    "MM3": "date",
    "MM4": "location",
    "MM5": "duplication",
    "MM6": "linking",
    "MM7": "embedded metadata",
    "MM9": "unreadable input",
}
# The fields the desk edits and writes back (MediaRecord names, the writer's ``changes`` keys).
EDITABLE_FIELDS: tuple[str, ...] = ("description", "credit_line", "creators", "source")


class ReviewLike(Protocol):
    """What the desk reads from the catalog's review state."""

    @property
    def status(self) -> str: ...

    @property
    def note(self) -> str | None: ...


@dataclass(frozen=True)
class StagedCaptionFix:
    """An article caption fix applied with ``x`` and not written yet: the caption's text before and
    after, and the article's bytes when it was applied (the save writes only over those)."""

    finding: Finding
    old: str
    new: str
    before: bytes = field(repr=False)

    @property
    def article(self) -> str:
        return self.finding.path

    @property
    def place(self) -> tuple[int, int]:
        return (self.finding.line or 0, self.finding.column or 0)


@dataclass
class UndoEntry:
    """What ``ctrl+z`` writes back for one save: each picture's previous values, and each article's
    written caption fixes (undone by putting back the bytes they replaced)."""

    pictures: dict[str, dict[str, FieldValue | None]] = field(default_factory=dict)
    articles: dict[str, ArticleFixes] = field(default_factory=dict)


@dataclass
class DeskItem:
    """One row of the picture list: a picture, a caption linked to no picture, or an unreadable file."""

    key: str  # stable id: the record's path, or "article:line:col" for an unlinked caption
    kind: ItemKind
    path: str  # the image (or article / unreadable file) path as the engine reports it
    display: str  # path relative to the review root, for people and snapshots
    record: MediaRecord | None = None
    links: list[CaptionLink] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    review: ReviewStatus = "unreviewed"
    note: str | None = None
    message: str | None = None  # why a file is unreadable
    edits: dict[str, FieldValue | None] = field(default_factory=dict)  # unsaved changes
    caption_fixes: list[StagedCaptionFix] = field(default_factory=list)  # unsaved article text fixes
    checked: bool = True  # False while the folder is still loading (findings not known yet)
    # The writer's FileStamp, taken at the first edit and checked against the record's size and
    # mtime (the file as the desk read it, see changed_since_read); a save refuses if either moved.
    stamp: Any = None
    _haystack: tuple[tuple[Any, ...], str] | None = field(default=None, repr=False, compare=False)

    @property
    def haystack(self) -> str:
        """Everything the text filter searches, lower-cased; rebuilt only when the row changed."""
        signature = (
            id(self.record),
            id(self.findings),
            len(self.findings),
            repr(self.edits),
            len(self.caption_fixes),
            self.note,
        )
        if self._haystack is None or self._haystack[0] != signature:
            self._haystack = (signature, _haystack(self))
        return self._haystack[1]

    # ------------------------------------------------------------------ derived values
    @property
    def review_key(self) -> str:
        """The catalog key: an absolute path (plus the line for a caption with no picture)."""
        # abspath, not resolve(): no file-system calls per row (10,000 rows load in a blink), and
        # the catalog keys paths by abspath too.
        base = os.path.abspath(self.path)
        if self.kind == "caption" and self.links:
            return f"{base}#L{self.links[0].occurrence.line}"
        return base

    @property
    def dirty(self) -> bool:
        return bool(self.edits or self.caption_fixes)

    @property
    def unsaved(self) -> list[str]:
        """What the unsaved edits change, for people: field names, then article captions."""
        return sorted(self.edits) + [
            f"{os.path.basename(fix.article)}:{fix.place[0]} caption" for fix in self.caption_fixes
        ]

    @property
    def effective_record(self) -> MediaRecord | None:
        """The record as it will be after the unsaved edits are written."""
        if self.record is None:
            return None
        if not self.edits:
            return self.record
        return self.record.model_copy(update=dict(self.edits))

    @property
    def occurrences(self) -> list[CaptionOccurrence]:
        return [link.occurrence for link in self.links]

    @property
    def severity(self) -> str:
        """Worst finding severity, or "clean"."""
        worst = max((SEVERITY_RANK[f.severity] for f in self.findings), default=0)
        if self.message is not None and self.kind == "file":
            worst = 3  # an unreadable file is an error even before a rule says so
        return {3: "error", 2: "warning", 1: "info", 0: "clean"}[worst]

    @property
    def caption_text(self) -> str:
        record = self.effective_record
        if record is not None and record.description:
            return record.description
        if self.links:
            occurrence = self.links[0].occurrence
            staged = (occurrence.path, occurrence.line, occurrence.column)
            for fix in self.caption_fixes:
                if (fix.article, *fix.place) == staged:
                    return fix.new
            return occurrence.text
        return self.message or ""

    @property
    def photographer(self) -> str:
        record = self.effective_record
        if record is not None and record.creators:
            return record.creators[0]
        for occurrence in self.occurrences:
            credit = occurrence.caption.credit
            if credit is not None and credit.photographers:
                return credit.photographers[0]
        return ""

    @property
    def date(self) -> str:
        record = self.effective_record
        if record is not None and record.date_created:
            return record.date_created[:10]
        for occurrence in self.occurrences:
            if occurrence.caption.date is not None:
                return occurrence.caption.date.iso
        return ""


# ---------------------------------------------------------------------- status marks

STATUS_MARKS: dict[str, str] = {
    # Readable without colour: a glyph and a word, never colour alone.
    "approved": "✔ APP",
    "flagged": "⚑ FLG",
    "error": "✖ ERR",
    "warning": "▲ WRN",
    "info": "● INF",
    "clean": "✓ OK ",
    "loading": "… ",
}


def status_of(item: DeskItem) -> str:
    """The one status the list shows: review state wins over findings (the editor decided)."""
    if item.review in ("approved", "flagged"):
        return item.review
    if not item.checked:
        return "loading"
    return item.severity


def status_mark(item: DeskItem) -> str:
    mark = STATUS_MARKS[status_of(item)]
    return f"{mark}{'*' if item.dirty else ' '}"


# ---------------------------------------------------------------------- building the rows


def display_path(path: str, root: Path | None) -> str:
    """``path`` relative to ``root`` when it is under it (snapshots and people never see /tmp/...).

    String arithmetic only (``os.path``): it runs for every row of a 10,000-picture folder.
    """
    if root is None:
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive (Windows)
        return path
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path
    return relative.replace(os.sep, "/")


def _caption_key(occurrence: CaptionOccurrence) -> str:
    return f"{occurrence.path}:{occurrence.line}:{occurrence.column}"


def build_items(
    ctx: CheckContext,
    findings: Iterable[Finding],
    reviews: Mapping[str, ReviewLike] | None = None,
    root: Path | None = None,
) -> list[DeskItem]:
    """One row per picture, per caption linked to no picture, and per unreadable file.

    Every finding lands on exactly one row: an image finding on its picture, an article finding on
    the caption at its line (which is the picture that caption is linked to, when it is).
    """
    items: dict[str, DeskItem] = {}
    by_article_line: dict[tuple[str, int], str] = {}
    first_in_article: dict[str, str] = {}

    for record in ctx.records:
        items[record.path] = DeskItem(
            key=record.path,
            kind="picture",
            path=record.path,
            display=display_path(record.path, root),
            record=record,
        )
    for link in ctx.links:
        occurrence = link.occurrence
        if link.record is not None and link.record.path in items:
            key = link.record.path
            items[key].links.append(link)
        else:
            key = _caption_key(occurrence)
            items[key] = DeskItem(
                key=key,
                kind="caption",
                path=occurrence.path,
                display=f"{display_path(occurrence.path, root)}:{occurrence.line}",
                links=[link],
            )
        by_article_line.setdefault((occurrence.path, occurrence.line), key)
        first_in_article.setdefault(occurrence.path, key)
    for unreadable in ctx.unreadable:
        if unreadable.path in items:
            items[unreadable.path].message = unreadable.message
            continue
        items[unreadable.path] = DeskItem(
            key=unreadable.path,
            kind="file",
            path=unreadable.path,
            display=display_path(unreadable.path, root),
            message=unreadable.message,
        )
    article_paths = {article.path for article in ctx.articles}

    for finding in findings:
        found = _finding_key(finding, items, by_article_line, first_in_article)
        if found is not None:
            key = found
        else:
            kind: ItemKind = "article" if finding.path in article_paths else "file"
            key = finding.path
            items[key] = DeskItem(
                key=key, kind=kind, path=finding.path, display=display_path(finding.path, root)
            )
            if kind == "article":
                first_in_article.setdefault(finding.path, key)
        items[key].findings.append(finding)

    if reviews:
        for item in items.values():
            state = reviews.get(item.review_key)
            if state is not None:
                apply_review(item, state.status, state.note)
    return list(items.values())


def _finding_key(
    finding: Finding,
    items: Mapping[str, DeskItem],
    by_article_line: Mapping[tuple[str, int], str],
    first_in_article: Mapping[str, str],
) -> str | None:
    if finding.path in items and items[finding.path].kind in ("picture", "file", "article"):
        return finding.path
    if finding.line is not None and (finding.path, finding.line) in by_article_line:
        return by_article_line[(finding.path, finding.line)]
    return first_in_article.get(finding.path)


def reviews_by_abspath(reviews: Mapping[str, ReviewLike], root: Path) -> dict[str, ReviewLike]:
    """The catalog's reviews keyed the way rows name themselves (``os.path.abspath``).

    The catalog returns paths under its root spelled from the root's real path; when the folder
    was opened through a symlink those differ from the rows' spelling, so map the prefix once here
    rather than resolve every row's path.
    """
    real_root = os.path.realpath(root)
    abs_root = os.path.abspath(root)
    if real_root == abs_root:
        return dict(reviews)
    mapped: dict[str, ReviewLike] = {}
    for key, state in reviews.items():
        if key == real_root or key.startswith(real_root + os.sep):
            key = abs_root + key[len(real_root) :]
        mapped[key] = state
    return mapped


def apply_review(item: DeskItem, status: str, note: str | None) -> None:
    item.review = next((known for known in REVIEW_STATUSES if known == status), "unreviewed")
    item.note = note


def loading_item(record: MediaRecord, root: Path | None) -> DeskItem:
    """A row for a record that arrived while the folder loads: findings not known yet."""
    return DeskItem(
        key=record.path,
        kind="picture",
        path=record.path,
        display=display_path(record.path, root),
        record=record,
        checked=False,
    )


# ---------------------------------------------------------------------- filter and sort


@dataclass(frozen=True)
class FilterSpec:
    """What the filter box says: free text plus ``rule:MM2`` and ``is:error`` tokens."""

    text: str = ""
    families: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query: str) -> FilterSpec:
        words: list[str] = []
        families: list[str] = []
        statuses: list[str] = []
        for token in query.split():
            lowered = token.lower()
            if lowered.startswith("rule:") and len(token) > 5:
                families.append(token[5:].upper())
            elif lowered.startswith("is:") and len(token) > 3:
                statuses.append(lowered[3:])
            else:
                words.append(lowered)
        return cls(" ".join(words), tuple(families), tuple(statuses))

    def matches(self, item: DeskItem) -> bool:
        if self.families and not any(
            finding.code.upper().startswith(family) for finding in item.findings for family in self.families
        ):
            return False
        if self.statuses and not any(_has_status(item, status) for status in self.statuses):
            return False
        if self.text:
            return all(word in item.haystack for word in self.text.split())
        return True


def _has_status(item: DeskItem, status: str) -> bool:
    if status in ("approved", "flagged", "unreviewed"):
        return item.review == status
    if status == "edited":
        return item.dirty
    if status in ("error", "errors"):
        return item.severity == "error"
    if status in ("warning", "warnings"):
        return item.severity == "warning"
    if status == "clean":
        return item.checked and item.severity in ("clean", "info")
    return False


def _haystack(item: DeskItem) -> str:
    parts = [item.display, item.caption_text, item.photographer, item.note or ""]
    record = item.effective_record
    if record is not None:
        parts.extend([record.credit_line or "", record.source or "", record.city or "", record.country or ""])
    parts.extend(finding.code + " " + finding.message for finding in item.findings)
    parts.extend(occurrence.text for occurrence in item.occurrences)
    return "\n".join(parts).lower()


def sort_items(items: Sequence[DeskItem], sort_key: str) -> list[DeskItem]:
    """Stable sort; empty values go last so the useful rows come first."""
    if sort_key == "findings":
        return sorted(
            items, key=lambda item: (-len(item.findings), -SEVERITY_RANK.get(item.severity, 0), item.display)
        )
    if sort_key == "date":
        return sorted(items, key=lambda item: (item.date == "", item.date, item.display))
    if sort_key == "photographer":
        return sorted(
            items, key=lambda item: (item.photographer == "", item.photographer.casefold(), item.display)
        )
    return sorted(items, key=lambda item: item.display)


def visible_items(items: Iterable[DeskItem], spec: FilterSpec, sort_key: str) -> list[DeskItem]:
    return sort_items([item for item in items if spec.matches(item)], sort_key)


# ---------------------------------------------------------------------- side-by-side comparison


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the side-by-side table: a field as the article, IPTC, XMP and EXIF state it."""

    label: str
    values: dict[str, str]  # source name -> value ("" when absent)
    disagree: bool


COMPARISON_SOURCES: tuple[str, ...] = ("article", "iptc", "xmp", "exif")


def _as_text(value: FieldValue | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return value


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def _disagree(values: Iterable[str], *, date: bool = False) -> bool:
    present = {(_norm(value)[:10] if date else _norm(value)) for value in values if value.strip()}
    return len(present) > 1


def article_caption(item: DeskItem) -> Caption | None:
    """The caption as it stands in the article (the first occurrence)."""
    return item.links[0].occurrence.caption if item.links else None


def comparison(item: DeskItem) -> list[ComparisonRow]:
    """Caption, credit, by-line, source, date and place in every source, disagreements marked.

    The article's caption body is compared with the embedded description, its credit with the credit
    line, its parsed photographers with the by-line: the same pairs the MM2xx/MM3xx/MM4xx rules use.
    """
    record = item.effective_record
    caption = article_caption(item)
    blocks: Mapping[str, Mapping[str, FieldValue]] = record.blocks if record is not None else {}
    if record is not None and item.edits:
        # Unsaved edits are what every block will say after the save.
        blocks = {name: {**values, **_present(item.edits)} for name, values in blocks.items()} or {
            "xmp": _present(item.edits)
        }

    def block_values(field_name: str) -> dict[str, str]:
        return {name: _as_text(blocks.get(name, {}).get(field_name)) for name in ("iptc", "xmp", "exif")}

    rows: list[ComparisonRow] = []

    def add(label: str, article_value: str, field_name: str, *, date: bool = False) -> None:
        values = {"article": article_value, **block_values(field_name)}
        if not any(values.values()):
            return
        rows.append(ComparisonRow(label, values, _disagree(values.values(), date=date)))

    location = caption.location if caption is not None else None
    credit = caption.credit if caption is not None else None
    add("Caption", (caption.body or caption.text) if caption is not None else "", "description")
    add("Credit", credit.raw if credit is not None else "", "credit_line")
    add("By-line", "; ".join(credit.photographers) if credit is not None else "", "creators")
    add("Source", "; ".join(credit.agencies) if credit is not None else "", "source")
    add("Date", caption.date.iso if caption is not None and caption.date else "", "date_created", date=True)
    add("City", location.city or "" if location is not None else "", "city")
    add("Country", location.country or "" if location is not None else "", "country")
    add("Headline", "", "headline")
    add("Copyright", "", "copyright")
    return rows


def _present(edits: Mapping[str, FieldValue | None]) -> dict[str, FieldValue]:
    return {name: value for name, value in edits.items() if value is not None}


@dataclass(frozen=True)
class ParsedView:
    """What the parser made of the caption that the desk shows: photographer, agency, date, place."""

    photographers: str
    agencies: str
    qualifiers: str
    date: str
    location: str
    body: str


def parsed_view(caption: Caption | None) -> ParsedView:
    if caption is None:
        return ParsedView("", "", "", "", "", "")
    credit = caption.credit
    location = caption.location
    place = ""
    if location is not None:
        place = ", ".join(
            part for part in (location.sublocation, location.city, location.region, location.country) if part
        )
    date = ""
    if caption.date is not None:
        date = caption.date.iso + (f" ({caption.date.weekday})" if caption.date.weekday else "")
    return ParsedView(
        photographers="; ".join(credit.photographers) if credit else "",
        agencies="; ".join(credit.agencies) if credit else "",
        qualifiers="; ".join(credit.qualifiers) if credit else "",
        date=date,
        location=place,
        body=caption.body or "",
    )


def parse_edit(caption_text: str, credit_text: str, catalogue: AgencyCatalogue | None = None) -> Caption:
    """Parse the caption being edited the way the article would print it: body, then credit, with
    ``catalogue`` (the config's agency catalogue, as the check parses; default: the shipped one).

    The embedded description usually carries no credit; the credit line does. Joining them in the
    house form lets one parse report photographer, agency, date and place together.
    """
    body = caption_text.strip()
    credit = credit_text.strip()
    if credit and credit.casefold() not in body.casefold():
        return parse_caption(f"{body} (credit: {credit})" if body else credit, catalogue)
    return parse_caption(body, catalogue)


# ---------------------------------------------------------------------- duplicates


@dataclass(frozen=True)
class ClusterMember:
    """One caption of a duplicate cluster: where it stands and which picture it sits on."""

    where: str  # display path (+ :line for article captions)
    picture: str  # the picture it is on ("" when none)
    text: str


@dataclass(frozen=True)
class DuplicateCluster:
    codes: tuple[str, ...]
    members: tuple[ClusterMember, ...]


def duplicate_clusters(items: Sequence[DeskItem], root: Path | None) -> list[DuplicateCluster]:
    """Group the MM5xx findings into clusters: each finding joins its position to its related ones."""
    parent: dict[tuple[str, int | None], tuple[str, int | None]] = {}

    def find(node: tuple[str, int | None]) -> tuple[str, int | None]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    codes: dict[tuple[str, int | None], set[str]] = {}
    for item in items:
        for finding in item.findings:
            if not finding.code.upper().startswith("MM5"):
                continue
            here = (finding.path, finding.line)
            root_here = find(here)
            for position in finding.related:
                other = find((position.path, position.line))
                if other != root_here:
                    parent[other] = root_here
            codes.setdefault(here, set()).add(finding.code)

    occurrence_at: dict[tuple[str, int | None], tuple[CaptionOccurrence, DeskItem]] = {}
    record_at: dict[str, DeskItem] = {}
    for item in items:
        if item.record is not None:
            record_at[item.record.path] = item
        for occurrence in item.occurrences:
            occurrence_at.setdefault((occurrence.path, occurrence.line), (occurrence, item))

    groups: dict[tuple[str, int | None], list[tuple[str, int | None]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)

    clusters: list[DuplicateCluster] = []
    for nodes in groups.values():
        if len(nodes) < 2:
            continue
        members: list[ClusterMember] = []
        for path, line in sorted(nodes, key=lambda node: (node[0], node[1] or 0)):
            if (path, line) in occurrence_at:
                occurrence, owner = occurrence_at[(path, line)]
                picture = owner.display if owner.kind == "picture" else ""
                members.append(
                    ClusterMember(
                        f"{display_path(path, root)}:{line}",
                        picture,
                        occurrence.caption.body or occurrence.text,
                    )
                )
            elif path in record_at:
                owner = record_at[path]
                members.append(ClusterMember(owner.display, owner.display, owner.caption_text))
            else:
                members.append(ClusterMember(display_path(path, root) + (f":{line}" if line else ""), "", ""))
        found = sorted({code for node in nodes for code in codes.get(node, set())})
        clusters.append(DuplicateCluster(tuple(found), tuple(members)))
    clusters.sort(key=lambda cluster: cluster.members[0].where)
    return clusters


def word_diff(reference: str, other: str) -> list[tuple[str, bool]]:
    """``other`` split into (words, differs-from-reference) runs, for highlighting."""
    ref_words = reference.split()
    other_words = other.split()
    runs: list[tuple[str, bool]] = []
    matcher = difflib.SequenceMatcher(a=ref_words, b=other_words, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if j1 == j2:
            continue
        runs.append((" ".join(other_words[j1:j2]), tag != "equal"))
    return runs


# ---------------------------------------------------------------------- re-checking an edit


def recheck_context(ctx: CheckContext, item: DeskItem) -> CheckContext:
    """A small context holding only ``item`` (as edited) and its articles, for a live re-check.

    Rules that need the whole folder (MM5xx duplication) are not re-run on it: their findings from
    the full run are kept by :func:`merge_rechecked`.
    """
    record = item.effective_record
    article_paths = {occurrence.path for occurrence in item.occurrences}
    links = [replace(link, record=record) if link.record is not None else link for link in item.links]
    hashes = {item.path: ctx.image_hashes[item.path]} if item.path in ctx.image_hashes else {}
    return CheckContext(
        config=ctx.config,
        articles=[article for article in ctx.articles if article.path in article_paths],
        records=[record] if record is not None else [],
        links=links,
        image_hashes=hashes,
        today=ctx.today,
    )


def merge_rechecked(item: DeskItem, fresh: Iterable[Finding]) -> list[Finding]:
    """The item's findings after a re-check: fresh ones for it, plus its folder-wide MM5xx ones.

    "For it" means on its picture or at the lines of its captions. A caption row's path is the
    article's, so only its lines count; findings that landed on a row for want of a better one
    (an article finding with no line) are not the re-check's to drop, and are kept.
    """
    own_lines = {(occurrence.path, occurrence.line) for occurrence in item.occurrences}

    def own(finding: Finding) -> bool:
        if (finding.path, finding.line) in own_lines:
            return True
        return item.kind != "caption" and finding.path == item.path

    def folder_wide(finding: Finding) -> bool:
        return finding.code.upper().startswith("MM5")

    kept = [finding for finding in item.findings if folder_wide(finding) or not own(finding)]
    mine = [finding for finding in fresh if not folder_wide(finding) and own(finding)]
    return sorted(kept + mine, key=lambda finding: (-SEVERITY_RANK[finding.severity], finding.code))


def relinked(links: Iterable[CaptionLink], was: Article, now: Article) -> dict[int, CaptionLink] | None:
    """The links to ``was``'s captions moved onto the same captions in ``now`` (the article read
    again after a fix rewrote some caption text), keyed by ``id()`` of the old link; None when the
    two do not hold the same number of captions (the folder needs checking again)."""
    if len(was.captions) != len(now.captions):
        return None
    place = {(old.line, old.column): new for old, new in zip(was.captions, now.captions, strict=True)}
    moved: dict[int, CaptionLink] = {}
    for link in links:
        occurrence = link.occurrence
        if occurrence.path != was.path:
            continue
        new = place.get((occurrence.line, occurrence.column))
        if new is None:
            return None
        moved[id(link)] = replace(link, occurrence=new)
    return moved


def changed_fields(
    record: MediaRecord, edits: Mapping[str, FieldValue | None]
) -> dict[str, FieldValue | None]:
    """Only the edits that change something (editing a field back to its value is no edit)."""
    changed: dict[str, FieldValue | None] = {}
    for name, value in edits.items():
        current = getattr(record, name)
        empty_now = current in (None, "", [])
        empty_new = value in (None, "", [])
        if (empty_now and empty_new) or current == value:
            continue
        changed[name] = value
    return changed


def changed_since_read(record: MediaRecord | None, stamp: Any) -> str | None:
    """Why the file on disk is no longer the one the desk read and shows, or None when it is.

    ``record`` is the picture as the desk read it (its ``size`` and ``mtime_ns`` are the stat the
    reader took); ``stamp`` is the writer's FileStamp of the file now. A change made by another tool
    between loading and editing would otherwise be overwritten by a save of the stale view.
    Unknown (None) sizes or times are not compared.
    """
    if record is None or stamp is None:
        return None
    moved: list[str] = []
    size, mtime_ns = getattr(stamp, "size", None), getattr(stamp, "mtime_ns", None)
    if record.size is not None and size is not None and size != record.size:
        moved.append(f"size {record.size} -> {size} bytes")
    if record.mtime_ns is not None and mtime_ns is not None and mtime_ns != record.mtime_ns:
        moved.append("modification time")
    if not moved:
        return None
    return (
        f"changed on disk since the desk read it ({', '.join(moved)}), so the edits were made on an "
        "old view of it: revert them (R), reload (ctrl+r) and redo them"
    )


def previous_values(record: MediaRecord, fields: Iterable[str]) -> dict[str, FieldValue | None]:
    """What to write back to undo a save of ``fields``: the values as they were read."""
    values: dict[str, FieldValue | None] = {}
    for name in fields:
        current = getattr(record, name)
        values[name] = None if current in (None, "", []) else current
    return values
