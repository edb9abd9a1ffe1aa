"""Small modals: yes/no, a note, the help screen, a rule's explanation."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from mediameta.tui.actions import ACTIONS, APP_ACTIONS, key_label


class ConfirmScreen(ModalScreen[bool]):
    """A question with a yes and a no; ``y``/``n``/``escape`` answer it from the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, body: RenderableType = "", *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.body = body
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NoteScreen(ModalScreen[str | None]):
    """Edit the note on a picture; enter keeps it, escape cancels, an empty note removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, note: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Note on {self.title_text}", classes="dialog-title")
            yield Input(
                self.note, placeholder="why it is flagged, what to ask the photographer…", id="note-input"
            )
            yield Label("enter: keep · escape: cancel", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """A scrollable text (help, a rule's explanation); escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, title: str, body: RenderableType) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body)
            yield Label("escape: close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


def help_text() -> Text:
    """Every action from the one registry, grouped, with its keys."""
    text = Text()
    group = ""
    for action in (*ACTIONS, *APP_ACTIONS):
        if action.group != group:
            group = action.group
            text.append(f"{'' if not text else chr(10)}{group}\n", style="bold underline")
        text.append(f"  {key_label(action.keys):<18}", style="bold")
        text.append(f"{action.help}\n")
    text.append("\nctrl+p opens the command palette: every action above, by name.\n", style="italic")
    text.append("Filter box: words, rule:MM2 (a rule family or code), is:error|warning|clean|approved|")
    text.append("flagged|unreviewed|edited.\n")
    text.append("Status marks: ✖ ERR errors · ▲ WRN warnings · ● INF notes · ✓ OK clean · ")
    text.append("✔ APP approved · ⚑ FLG flagged · * unsaved edits\n")
    return text
