"""The picture list: a virtualised DataTable, one row per DeskItem, keyed by the item's key."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from mediameta.tui.model import DeskItem, status_mark, status_of

COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "Status"),
    ("count", "#"),
    ("file", "File"),
    ("photographer", "Photographer"),
    ("date", "Date"),
    ("caption", "Caption"),
)
STATUS_STYLES: dict[str, str] = {
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "clean": "green",
    "approved": "bold green",
    "flagged": "bold magenta",
    "loading": "dim",
}
CAPTION_WIDTH = 60


def _cells(item: DeskItem) -> tuple[Text, str, str, str, str, str]:
    caption = " ".join(item.caption_text.split())
    if len(caption) > CAPTION_WIDTH:
        caption = caption[: CAPTION_WIDTH - 1] + "…"
    count = str(len(item.findings)) if item.checked else ""
    return (
        Text(status_mark(item), style=STATUS_STYLES[status_of(item)]),
        count,
        item.display,
        item.photographer[:24],
        item.date,
        caption,
    )


class PictureList(DataTable[object]):
    """Rows are replaced in place (``update_item``) or rebuilt in one go (``show``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    @property
    def current_key(self) -> str | None:
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def show(self, items: Sequence[DeskItem], keep: str | None = None) -> None:
        """Replace every row; the cursor stays on ``keep`` when that row is still there."""
        self.clear()
        self.add_rows_keyed(items)
        if keep is not None:
            self.select_key(keep)

    def add_rows_keyed(self, items: Sequence[DeskItem]) -> None:
        for item in items:
            self.add_row(*_cells(item), key=item.key)

    def select_key(self, key: str) -> bool:
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index, animate=False, scroll=True)
        return True

    def update_item(self, item: DeskItem) -> None:
        try:
            self.get_row_index(item.key)
        except RowDoesNotExist:
            return
        for (column, _), value in zip(COLUMNS, _cells(item), strict=True):
            self.update_cell(item.key, column, value)
