"""The picture list: a virtualised list of DeskItems drawn line by line.

Only the visible rows are rendered (Textual's line API), so 10,000 rows cost nothing until they
scroll into view, and re-filtering or re-sorting replaces a Python list instead of rebuilding
thousands of table cells. The first line is a sticky header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mediameta.tui.model import DeskItem, status_mark, status_of

# (key, header, width); width 0 = the rest of the line.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("status", "Status", 7),
    ("count", "#", 3),
    ("file", "File", 0),  # sized to the longest path shown, within bounds
    ("photographer", "Photographer", 16),
    ("date", "Date", 10),
    ("caption", "Caption", 0),
)
FILE_WIDTH_BOUNDS = (12, 40)
STATUS_STYLES: dict[str, str] = {
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "clean": "green",
    "approved": "bold green",
    "flagged": "bold magenta",
    "loading": "dim",
}


def row_cells(item: DeskItem) -> dict[str, str]:
    return {
        "status": status_mark(item),
        "count": str(len(item.findings)) if item.checked else "",
        "file": item.display,
        "photographer": item.photographer,
        "date": item.date,
        "caption": " ".join(item.caption_text.split()),
    }


def _fit(text: str, width: int, *, keep_end: bool = False) -> str:
    """``text`` padded or cut to ``width``; paths keep their end (file name and line number)."""
    if width <= 0:
        return ""
    if len(text) > width:
        if width == 1:
            return "…"
        return "…" + text[-(width - 1) :] if keep_end else text[: width - 1] + "…"
    return text.ljust(width)


class PictureList(ScrollView, can_focus=True):
    """Rows of the desk; posts ``Highlighted`` when the cursor moves and ``Selected`` on enter."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"picture-list--header", "picture-list--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    DEFAULT_CSS = """
    PictureList > .picture-list--header { text-style: bold; }
    PictureList > .picture-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    PictureList:blur > .picture-list--cursor { background: $block-cursor-blurred-background; }
    """

    @dataclass
    class Highlighted(Message):
        key: str

    @dataclass
    class Selected(Message):
        key: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[DeskItem] = []
        self._positions: dict[str, int] = {}
        self.cursor_row = 0
        self._file_width = FILE_WIDTH_BOUNDS[0]

    # ------------------------------------------------------------------ content
    @property
    def row_count(self) -> int:
        return len(self._items)

    @property
    def current_key(self) -> str | None:
        if not self._items:
            return None
        return self._items[self.cursor_row].key

    def clear(self) -> None:
        self.show([])

    def show(self, items: Sequence[DeskItem], keep: str | None = None) -> None:
        """Replace every row; the cursor stays on ``keep`` when that row is still there."""
        self._items = list(items)
        self._positions = {item.key: index for index, item in enumerate(self._items)}
        self._file_width = self._measure_files(self._items, reset=True)
        self.cursor_row = self._positions.get(keep, 0) if keep is not None else 0
        self._resized()

    def add_rows_keyed(self, items: Sequence[DeskItem]) -> None:
        """Append rows (while loading); the cursor does not move."""
        for item in items:
            self._positions[item.key] = len(self._items)
            self._items.append(item)
        self._file_width = max(self._file_width, self._measure_files(items))
        self._resized()

    def _measure_files(self, items: Sequence[DeskItem], reset: bool = False) -> int:
        low, high = FILE_WIDTH_BOUNDS
        widest = max((len(item.display) for item in items), default=0)
        return min(high, max(low if reset else 0, widest))

    def _resized(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._items) + 1)
        self._scroll_cursor_into_view()
        self.refresh()

    def update_item(self, item: DeskItem) -> None:
        index = self._positions.get(item.key)
        if index is not None:
            self._items[index] = item
            self.refresh()

    def row_text(self, key: str) -> str:
        """The row as plain text (for tests and people reading logs)."""
        item = self._items[self._positions[key]]
        return " ".join(row_cells(item).values())

    # ------------------------------------------------------------------ cursor
    def select_key(self, key: str) -> bool:
        index = self._positions.get(key)
        if index is None:
            return False
        self.move_cursor(row=index)
        return True

    def move_cursor(self, row: int) -> None:
        if not self._items:
            return
        row = max(0, min(row, len(self._items) - 1))
        changed = row != self.cursor_row
        self.cursor_row = row
        self._scroll_cursor_into_view()
        self.refresh()
        if changed:
            self.post_message(self.Highlighted(self._items[row].key))

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 1)

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._page:
            self.scroll_to(y=self.cursor_row - self._page + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._items) - 1)

    def action_select(self) -> None:
        if self._items:
            self.post_message(self.Selected(self._items[self.cursor_row].key))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = round(self.scroll_offset.y) + event.y - 1
        if 0 <= row < len(self._items):
            if row == self.cursor_row or event.chain > 1:
                self.move_cursor(row)
                self.action_select()
            else:
                self.move_cursor(row)

    # ------------------------------------------------------------------ drawing
    def _widths(self, total: int) -> dict[str, int]:
        widths: dict[str, int] = {}
        used = 0
        for key, _, width in COLUMNS:
            if key == "file":
                width = min(self._file_width, max(FILE_WIDTH_BOUNDS[0], total // 3))
            if width:
                widths[key] = width
                used += width + 1
        widths["caption"] = max(0, total - used)
        return widths

    def _line(self, cells: dict[str, str], widths: dict[str, int]) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        for key, _, _ in COLUMNS:
            parts.append((key, _fit(cells[key], widths[key], keep_end=key == "file")))
        return parts

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        widths = self._widths(width)
        if y == 0:
            style = self.get_component_rich_style("picture-list--header")
            header = {key: title for key, title, _ in COLUMNS}
            text = " ".join(part for _, part in self._line(header, widths))
            return Strip([Segment(text, style)]).adjust_cell_length(width, style)
        index = round(self.scroll_offset.y) + y - 1
        base = self.rich_style
        if not 0 <= index < len(self._items):
            return Strip.blank(width, base)
        item = self._items[index]
        cursor = index == self.cursor_row
        line_style = self.get_component_rich_style("picture-list--cursor") if cursor else Style()
        segments: list[Segment] = []
        for key, part in self._line(row_cells(item), widths):
            style = base + line_style
            if key == "status" and not cursor:
                style = style + Style.parse(STATUS_STYLES[status_of(item)])
            segments.append(Segment(part, style))
            segments.append(Segment(" ", base + line_style))
        return Strip(segments).adjust_cell_length(width, base + line_style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._items) + 1)
