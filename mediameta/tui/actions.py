"""The one registry of desk actions: it feeds the key bindings, the footer, the command palette
and the ``?`` help screen, so a new action shows up in all four at once."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class DeskAction:
    """An action the editor can run: keys, the action name on the desk screen, what it does."""

    id: str
    keys: str  # Textual key list, e.g. "j,down"
    action: str  # action string run on the desk screen, e.g. "cursor_down"
    description: str  # short, for the footer
    help: str  # one sentence, for the palette and the help screen
    group: str
    show: bool = False  # shown in the footer (keep the footer fitting in 80 columns)


ACTIONS: tuple[DeskAction, ...] = (
    # moving
    DeskAction("cursor-down", "j,down", "cursor_down", "Down", "Select the next picture", "Move"),
    DeskAction("cursor-up", "k,up", "cursor_up", "Up", "Select the previous picture", "Move"),
    DeskAction("next-finding", "n", "next_finding", "Next finding", "Go to the next finding", "Move"),
    DeskAction("prev-finding", "N,p", "prev_finding", "Prev finding", "Go to the previous finding", "Move"),
    DeskAction(
        "next-unreviewed", "u", "next_unreviewed", "Unreviewed", "Jump to the next unreviewed picture", "Move"
    ),
    DeskAction(
        "focus-filter", "slash", "focus_filter", "Filter", "Filter by text, rule:MM2, is:error", "Find", True
    ),
    DeskAction("clear-filter", "escape", "clear_filter", "Clear filter", "Clear the filter", "Find"),
    DeskAction(
        "cycle-sort", "o", "cycle_sort", "Sort", "Sort by file, date, photographer, findings", "Find", True
    ),
    DeskAction(
        "filter-errors", "1", "filter_status('error')", "Errors", "Show only pictures with errors", "Find"
    ),
    DeskAction(
        "filter-warnings",
        "2",
        "filter_status('warning')",
        "Warnings",
        "Show only pictures with warnings",
        "Find",
    ),
    DeskAction(
        "filter-unreviewed", "3", "filter_status('unreviewed')", "Unreviewed", "Show only unreviewed", "Find"
    ),
    DeskAction("filter-edited", "4", "filter_status('edited')", "Edited", "Show only unsaved edits", "Find"),
    DeskAction("cycle-family", "r", "cycle_family", "Rule family", "Filter by the next rule family", "Find"),
    # reviewing
    DeskAction("edit", "enter,E", "edit", "Edit", "Edit the caption and credit", "Review", True),
    DeskAction("apply-fix", "x", "apply_fix", "Fix", "Apply the selected finding's auto-fix", "Review", True),
    DeskAction("approve", "a", "approve", "Approve", "Approve the picture (again: undo)", "Review", True),
    DeskAction("flag", "f", "flag", "Flag", "Flag the picture for a second look", "Review", True),
    DeskAction("note", "m", "note", "Note", "Write a note on the picture", "Review"),
    DeskAction("explain", "e", "explain", "Explain", "Explain the selected finding's rule", "Review"),
    DeskAction("revert", "R", "revert", "Revert", "Drop the unsaved edits of this picture", "Review"),
    # files
    DeskAction(
        "save", "ctrl+s,w", "save", "Save", "Save edits into the files (shows the diff)", "Files", True
    ),
    DeskAction(
        "undo-save", "ctrl+z", "undo_save", "Undo save", "Write back the values of the last save", "Files"
    ),
    DeskAction(
        "duplicates", "d", "duplicates", "Duplicates", "Show duplicated captions side by side", "Files"
    ),
    DeskAction("toggle-preview", "v", "toggle_preview", "Preview", "Show or hide the image preview", "Files"),
    DeskAction("reload", "ctrl+r", "reload", "Reload", "Check the folder again", "Files"),
)

APP_ACTIONS: tuple[DeskAction, ...] = (
    DeskAction("help", "question_mark", "help", "Help", "Show every key", "App", True),
    DeskAction("quit", "q", "quit", "Quit", "Quit (asks when edits are unsaved)", "App", True),
)


def bindings(actions: tuple[DeskAction, ...]) -> list[BindingType]:
    return [
        Binding(action.keys, action.action, action.description, show=action.show, id=action.id)
        for action in actions
    ]


def key_label(keys: str) -> str:
    """``"ctrl+s,w"`` → ``"ctrl+s / w"`` for the help screen."""
    names = {"slash": "/", "question_mark": "?", "escape": "esc", "enter": "enter"}
    return " / ".join(names.get(key, key) for key in keys.split(","))
