"""The detail pane: preview, parsed caption, the side-by-side comparison and the findings."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.tui.model import (
    COMPARISON_SOURCES,
    DeskItem,
    article_caption,
    comparison,
    parse_edit,
    parsed_view,
    status_mark,
)
from mediameta.tui.widgets.preview import PreviewMode, make_preview_widget

SEVERITY_MARKS: dict[str, tuple[str, str]] = {
    "error": ("✖", "bold red"),
    "warning": ("▲", "yellow"),
    "info": ("●", "cyan"),
}
SOURCE_LABELS: dict[str, str] = {"article": "Article", "iptc": "IPTC", "xmp": "XMP", "exif": "EXIF"}


def header_text(item: DeskItem) -> Text:
    text = Text()
    text.append(item.display, style="bold")
    text.append(f"  {status_mark(item)}  ")
    count = len(item.findings)
    text.append(f"{count} finding{'s' if count != 1 else ''}" if item.checked else "checking…")
    if item.review != "unreviewed":
        text.append(f"  review: {item.review}")
    if item.note:
        text.append(f"\nnote: {item.note}", style="italic")
    if item.dirty:
        text.append(f"\n* unsaved: {', '.join(item.unsaved)}", style="bold")
    for fix in item.caption_fixes:
        # The article text as it is and as the save will write it.
        line, column = fix.place
        text.append(f"\n  {fix.finding.code} fix, article line {line}, column {column}:")
        text.append(f"\n  - {fix.old}", style="red")
        text.append(f"\n  + {fix.new}", style="green")
    if item.message:
        text.append(f"\nunreadable: {item.message}", style="red")
    return text


def parsed_text(item: DeskItem, catalogue: AgencyCatalogue | None = None) -> Text:
    """What the parser made of the caption: from the article when linked, else the embedded one
    (parsed with ``catalogue``, the config's agencies)."""
    caption = article_caption(item)
    origin = "article"
    record = item.effective_record
    if caption is None and record is not None and (record.description or record.credit_line):
        caption = parse_edit(record.description or "", record.credit_line or "", catalogue)
        origin = "embedded"
    view = parsed_view(caption)
    text = Text()
    text.append(f"Parsed ({origin})\n" if caption is not None else "No caption\n", style="bold underline")
    for label, value in (
        ("Photographer", view.photographers),
        ("Agency", view.agencies),
        ("Qualifiers", view.qualifiers),
        ("Date", view.date),
        ("Location", view.location),
    ):
        text.append(f"{label:<13}", style="bold")
        text.append((value or "—") + "\n")
    for occurrence in item.occurrences[:3]:
        where = f"{occurrence.path.rsplit('/', 1)[-1]}:{occurrence.line}"
        text.append(f"in {where} ({occurrence.source})\n", style="dim")
    return text


class FieldLines:
    """Rows of (label, source, value) with the value wrapped under itself (a hanging indent).

    A light stand-in for a Rich Table: the detail pane re-renders on every cursor move, and
    measuring a table's cells costs tens of milliseconds where wrapping text costs one or two.
    """

    LABEL_WIDTH = 11
    SOURCE_WIDTH = 9

    def __init__(self, rows: list[tuple[Text, str, Text]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.LABEL_WIDTH + self.SOURCE_WIDTH
        width = max(10, options.max_width - indent)
        for label, source, value in self.rows:
            head = Text()
            head.append_text(label)
            head.pad_right(self.LABEL_WIDTH - head.cell_len)
            head.append(source.ljust(self.SOURCE_WIDTH), style="dim")
            for number, line in enumerate(value.wrap(console, width, overflow="fold")):
                prefix = head if number == 0 else Text(" " * indent)
                yield prefix + line


def comparison_table(item: DeskItem) -> RenderableType:
    """Each field with its value in the article, IPTC, XMP and EXIF, one source per line.

    A field whose sources disagree is marked "≠" on its label, and each value that differs from
    the first one is marked "≠" too: the marks carry the meaning, colour only repeats it.
    """
    rows = comparison(item)
    if not rows:
        return Text("No caption or credit in the article or the file.", style="dim")
    lines: list[tuple[Text, str, Text]] = []
    for row in rows:
        label = Text(
            ("≠ " if row.disagree else "  ") + row.label, style="bold red" if row.disagree else "bold"
        )
        reference = " ".join(
            next((value for value in row.values.values() if value.strip()), "").casefold().split()
        )
        first = True
        for source in COMPARISON_SOURCES:
            value = row.values.get(source, "")
            if not value and row.label not in ("Caption", "Credit"):
                continue
            differs = bool(value) and " ".join(value.casefold().split()) != reference
            cell = Text()
            if not value:
                cell.append("— (none)", style="dim")
            else:
                cell.append("≠ " if differs else "  ", style="bold")
                cell.append(value, style="yellow" if differs else "")
            lines.append((label if first else Text(""), SOURCE_LABELS[source], cell))
            first = False
    return FieldLines(lines)


def findings_text(item: DeskItem, selected: int) -> Text:
    text = Text()
    if not item.checked:
        text.append("Checking…", style="dim")
        return text
    if not item.findings:
        text.append("✓ No findings.", style="green")
        return text
    text.append("Findings (n/p move, e explains, x applies a fix)\n", style="bold underline")
    for index, finding in enumerate(item.findings):
        mark, style = SEVERITY_MARKS.get(finding.severity, ("?", ""))
        pointer = "▶ " if index == selected else "  "
        text.append(pointer, style="bold")
        text.append(f"{mark} {finding.code} ", style=style)
        where = (
            f"line {finding.line}: "
            if finding.line is not None
            else (f"{finding.field}: " if finding.field else "")
        )
        text.append(f"{where}{finding.message}")
        if finding.fix is not None:
            text.append(f"  [fix: {finding.fix.description}]", style="italic")
        text.append("\n")
    return text


class DetailPane(VerticalScroll):
    """Everything about the selected row. Rebuilt by ``show``; holds no state of its own."""

    def __init__(self, preview: PreviewMode, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.preview_mode: PreviewMode = preview

    def on_mount(self) -> None:
        if self.preview_mode == "off":
            self.add_class("-no-preview")

    def compose(self) -> ComposeResult:
        # Findings first: at 80×24 they are what must be visible without scrolling.
        yield Static(id="detail-header")
        yield Static(id="detail-findings")
        with Horizontal(id="detail-top"):
            yield make_preview_widget(self.preview_mode)
            yield Static(id="detail-parsed")
        yield Static(id="detail-compare")

    @property
    def preview_widget(self) -> Widget:
        return self.query_one("#preview-image")

    def show(
        self, item: DeskItem | None, selected_finding: int, catalogue: AgencyCatalogue | None = None
    ) -> None:
        header = self.query_one("#detail-header", Static)
        if item is None:
            header.update(Text("Nothing selected.", style="dim"))
            for name in ("#detail-parsed", "#detail-compare", "#detail-findings"):
                self.query_one(name, Static).update("")
            return
        header.update(header_text(item))
        self.query_one("#detail-parsed", Static).update(parsed_text(item, catalogue))
        self.query_one("#detail-compare", Static).update(Group(comparison_table(item)))
        self.query_one("#detail-findings", Static).update(findings_text(item, selected_finding))
