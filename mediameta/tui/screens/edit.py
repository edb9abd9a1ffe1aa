"""The edit modal: caption and credit (plus by-line and source), with the parse and the findings
updating on every keystroke. It returns the edits; the desk keeps them until they are saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.models import FieldValue, Finding
from mediameta.tui.model import DeskItem, parse_edit, parsed_view
from mediameta.tui.widgets.detail import SEVERITY_MARKS

Edits = dict[str, FieldValue | None]
Recheck = Callable[[Edits], list[Finding]]


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(",", ";").split(";") if name.strip()]


class EditScreen(ModalScreen[Edits | None]):
    """Edit caption (description), credit line, by-line (creators) and source of one picture."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep edits", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, item: DeskItem, recheck: Recheck | None, catalogue: AgencyCatalogue | None = None
    ) -> None:
        super().__init__()
        self.item = item
        self.recheck = recheck
        self.catalogue = catalogue  # the config's agencies, so the live parse reads credits as the check does
        record = item.effective_record
        self.initial_caption = (record.description if record else None) or ""
        self.initial_credit = (record.credit_line if record else None) or ""
        self.initial_creators = "; ".join(record.creators) if record else ""
        self.initial_source = (record.source if record else None) or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="edit-dialog"):
            yield Label(f"Edit {self.item.display}", classes="dialog-title")
            yield Label("Caption", classes="field-label")
            yield TextArea(self.initial_caption, id="edit-caption", soft_wrap=True, show_line_numbers=False)
            with Horizontal(id="edit-credit-row"):
                with Vertical():
                    yield Label("Credit line", classes="field-label")
                    yield Input(self.initial_credit, id="edit-credit", placeholder="REUTERS/JANE DOE")
                with Vertical():
                    yield Label("By-line (a; b)", classes="field-label")
                    yield Input(self.initial_creators, id="edit-creators")
                with Vertical():
                    yield Label("Source", classes="field-label")
                    yield Input(self.initial_source, id="edit-source")
            yield Static(id="edit-live")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep edits (ctrl+s)", id="keep", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.refresh_live()

    # ------------------------------------------------------------------ values
    @property
    def caption_value(self) -> str:
        return self.query_one("#edit-caption", TextArea).text

    @property
    def credit_value(self) -> str:
        return self.query_one("#edit-credit", Input).value

    def edits(self) -> Edits:
        """Every editable field as it stands in the modal (unchanged ones are dropped later)."""
        creators = split_names(self.query_one("#edit-creators", Input).value)
        source = self.query_one("#edit-source", Input).value.strip()
        return {
            "description": self.caption_value.strip() or None,
            "credit_line": self.credit_value.strip() or None,
            "creators": creators or None,
            "source": source or None,
        }

    # ------------------------------------------------------------------ live parse + findings
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.refresh_live()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_live()

    def refresh_live(self) -> None:
        caption = parse_edit(self.caption_value, self.credit_value, self.catalogue)
        view = parsed_view(caption)
        text = Text()
        text.append("Parsed  ", style="bold")
        for label, value in (
            ("photographer", view.photographers),
            ("agency", view.agencies),
            ("date", view.date),
            ("location", view.location),
        ):
            text.append(f"{label}: ", style="bold")
            text.append(f"{value or '—'}  ")
        text.append("\n")
        findings = self.recheck(self.edits()) if self.recheck is not None else []
        if not findings:
            text.append("✓ No findings.", style="green")
        for finding in findings:
            mark, style = SEVERITY_MARKS.get(finding.severity, ("?", ""))
            text.append(f"{mark} {finding.code} ", style=style)
            text.append(f"{finding.message}\n")
        self.query_one("#edit-live", Static).update(text)

    # ------------------------------------------------------------------ closing
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keep":
            self.action_keep()
        else:
            self.action_cancel()

    def action_keep(self) -> None:
        self.dismiss(self.edits())

    def action_cancel(self) -> None:
        self.dismiss(None)
