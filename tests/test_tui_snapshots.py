"""Snapshots of the desk's main screens at 80×24 and at a large size.

Deterministic: the stand-in check result, paths relative to the review root (the folder is always
called ``newsroom``), no clock, and the preview either off or in our half-block renderer.
Update with ``pytest tests/test_tui_snapshots.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import make_newsroom, standin_services

from mediameta.config import Config
from mediameta.tui.app import DeskScreen, MediaDeskApp, create_app
from mediameta.tui.services import MemoryReviews
from mediameta.tui.widgets.preview import PreviewMode


def desk(tmp_path: Path, preview: PreviewMode = "off") -> MediaDeskApp:
    root = make_newsroom(tmp_path)
    return create_app([root], Config(), MemoryReviews(), preview=preview, services=standin_services(root))


def after_load(*keys: str, select: str | None = None) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, DeskScreen)
        if select is not None:
            key = next(item.key for item in screen.items.values() if item.display == select)
            screen.picture_list.select_key(key)
            await pilot.pause()
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        # A blinking cursor would be captured on or off depending on timing.
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return run_before


def test_main_screen_80x24(tmp_path: Path, snap_compare: Any) -> None:
    assert snap_compare(
        desk(tmp_path), run_before=after_load(select="images/paris.jpg"), terminal_size=(80, 24)
    )


def test_main_screen_large_with_preview(tmp_path: Path, snap_compare: Any) -> None:
    assert snap_compare(
        desk(tmp_path, "halfblock"),
        run_before=after_load(select="images/paris.jpg"),
        terminal_size=(160, 48),
    )


def test_edit_modal_80x24(tmp_path: Path, snap_compare: Any) -> None:
    assert snap_compare(
        desk(tmp_path),
        run_before=after_load("enter", select="images/paris.jpg"),
        terminal_size=(80, 24),
    )


def test_save_diff_120x30(tmp_path: Path, snap_compare: Any) -> None:
    assert snap_compare(
        desk(tmp_path),
        run_before=after_load("x", "ctrl+s", select="images/paris.jpg"),
        terminal_size=(120, 30),
    )


def test_duplicates_view_120x30(tmp_path: Path, snap_compare: Any) -> None:
    assert snap_compare(desk(tmp_path), run_before=after_load("d"), terminal_size=(120, 30))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_help_screen(tmp_path: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(desk(tmp_path), run_before=after_load("question_mark"), terminal_size=size)
