"""The picture preview: textual-image where the terminal has a graphics protocol, else half blocks.

The half-block renderer is ours and deterministic (tests and snapshots use it): each character
cell shows two pixels, the upper as the foreground of "▀" and the lower as its background.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from PIL import Image
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.widget import Widget
from textual.widgets import Static

PreviewMode = Literal["auto", "halfblock", "off"]
# Decoded previews are small: the JPEG decoder scales down while decoding (draft mode).
DECODE_BOX = (320, 240)


def load_preview(path: str) -> Image.Image:
    """Decode a small RGB copy of the picture (raises OSError/ValueError when it can't)."""
    with Image.open(Path(path)) as image:
        image.draft("RGB", DECODE_BOX)
        small = image.convert("RGB")
    small.thumbnail(DECODE_BOX)
    return small


class HalfBlocks:
    """A Rich renderable: ``image`` fitted into width × height cells, two pixels per cell."""

    def __init__(self, image: Image.Image, height: int) -> None:
        self.image = image
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        max_width = max(1, options.max_width)
        max_height = max(1, options.height or self.height)
        width, height = self.image.size
        scale = min(max_width / width, (max_height * 2) / height)
        cols = max(1, int(width * scale))
        rows = max(2, int(height * scale) // 2 * 2)
        pixels = self.image.resize((cols, rows), Image.Resampling.BILINEAR).load()
        assert pixels is not None
        pad = " " * (max_width - cols)
        for y in range(0, rows, 2):
            for x in range(cols):
                top: Any = pixels[x, y]
                bottom: Any = pixels[x, y + 1]
                yield Segment(
                    "▀",
                    Style(color=Color.from_rgb(*top[:3]), bgcolor=Color.from_rgb(*bottom[:3])),
                )
            if pad:
                yield Segment(pad)
            yield Segment.line()


class HalfBlockImage(Widget):
    """Shows a PIL image as half blocks; ``image = None`` shows nothing."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._image: Image.Image | None = None

    @property
    def image(self) -> Image.Image | None:
        return self._image

    @image.setter
    def image(self, value: Image.Image | None) -> None:
        self._image = value
        self.refresh()

    def render(self) -> Any:
        if self._image is None:
            return ""
        return HalfBlocks(self._image, self.size.height or 1)


def make_preview_widget(mode: PreviewMode) -> Widget:
    """The widget for ``mode``: textual-image's best protocol (``auto``) or our half blocks."""
    if mode == "auto":
        from textual_image.widget import Image as TerminalImage

        widget: Widget = TerminalImage(id="preview-image")
        return widget
    if mode == "off":
        return Static("", id="preview-image")
    return HalfBlockImage(id="preview-image")


def set_preview_image(widget: Widget, image: Image.Image | None) -> None:
    if isinstance(widget, Static):
        return
    widget.image = image  # type: ignore[attr-defined]
