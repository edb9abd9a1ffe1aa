"""The desk end to end on the real core: engine, rules, reader, writer and SQLite catalog.

Open a generated newsroom, navigate, filter, edit with the live re-check of the real rules, approve,
save into the JPEG, reopen and find the state. Also the folders a new user may point it at: empty,
articles only, unreadable files, and the repository's samples/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyexiv2
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static
from tui_helpers import desk_test, make_newsroom, static_text

from mediameta.catalog import Catalog
from mediameta.tui.app import DeskScreen, create_app
from mediameta.tui.screens.edit import EditScreen
from mediameta.tui.services import MemoryReviews

REPO = Path(__file__).resolve().parents[1]


async def loaded(pilot: Pilot[None]) -> DeskScreen:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    desk = pilot.app.screen
    assert isinstance(desk, DeskScreen)
    label = str(desk.query_one("#progress-label", Label).render())
    assert desk.loaded and not label.startswith("Loading failed"), label
    return desk


def codes(desk: DeskScreen, display: str) -> set[str]:
    item = next(item for item in desk.items.values() if item.display == display)
    return {finding.code for finding in item.findings}


@desk_test
async def test_review_edit_save_and_reopen_on_the_real_core(tmp_path: Path) -> None:
    root = make_newsroom(tmp_path)
    picture = root / "images" / "paris.jpg"
    with Catalog.open(tmp_path / "catalog.sqlite", root=root) as catalog:
        app = create_app([root], None, catalog, preview="off")
        async with app.run_test(size=(120, 40)) as pilot:
            desk = await loaded(pilot)
            displays = {item.display for item in desk.items.values()}
            assert {
                "images/paris.jpg",
                "images/valencia.jpg",
                "images/blank.jpg",
                "images/broken.jpg",
            } <= displays
            assert "articles/floods.txt:9" in displays  # the caption with no picture
            assert any(code.startswith("MM9") for code in codes(desk, "images/broken.jpg"))
            paris_codes = codes(desk, "images/paris.jpg")
            assert any(code.startswith("MM2") for code in paris_codes), paris_codes

            # Filter to the credit family, then find paris with the keyboard.
            desk.filter_input.value = "rule:MM2 paris"
            await pilot.pause()
            assert [desk.items[key].display for key in desk.order] == ["images/paris.jpg"]
            await pilot.press("enter")
            modal = pilot.app.screen
            assert isinstance(modal, EditScreen)
            live = modal.query_one("#edit-live", Static)
            assert any(code in static_text(live) for code in paris_codes)
            modal.query_one("#edit-credit", Input).value = "AFP"
            modal.query_one("#edit-creators", Input).value = "Joel Saget"
            modal.query_one("#edit-source", Input).value = "AFP"
            await pilot.pause()
            after_edit = static_text(live)
            assert "agency: AFP" in after_edit
            assert not any(code in after_edit for code in paris_codes if code.startswith("MM2")), after_edit
            await pilot.press("ctrl+s")
            item = desk.current
            assert item is not None and item.dirty

            await pilot.press("a", "ctrl+s", "y")
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert not item.dirty
            assert item.record is not None and item.record.credit_line == "AFP"
            assert item.record.creators == ["Joel Saget"]
            assert not any(code.startswith("MM2") for code in codes(desk, "images/paris.jpg"))
        with pyexiv2.Image(str(picture)) as handle:
            assert handle.read_xmp()["Xmp.photoshop.Credit"] == "AFP"

    with Catalog.open(tmp_path / "catalog.sqlite", root=root) as catalog:
        app = create_app([root], None, catalog, preview="off")
        async with app.run_test(size=(80, 24)) as pilot:
            desk = await loaded(pilot)
            paris = next(item for item in desk.items.values() if item.display == "images/paris.jpg")
            assert paris.review == "approved"
            assert paris.record is not None and paris.record.credit_line == "AFP"
            assert not any(code.startswith("MM2") for code in codes(desk, "images/paris.jpg"))


@desk_test
async def test_an_empty_folder_opens_with_nothing_to_review(tmp_path: Path) -> None:
    app = create_app([tmp_path], None, MemoryReviews(), preview="off")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await loaded(pilot)
        assert desk.items == {} and desk.picture_list.row_count == 0
        await pilot.press("j", "n", "u", "enter", "x", "a", "d", "escape", "ctrl+s")
        assert isinstance(pilot.app.screen, DeskScreen)


@desk_test
async def test_a_folder_with_only_articles_lists_their_captions(tmp_path: Path) -> None:
    root = make_newsroom(tmp_path)
    shutil.rmtree(root / "images")
    app = create_app([root], None, MemoryReviews(), preview="off")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await loaded(pilot)
        kinds = {item.kind for item in desk.items.values()}
        assert kinds == {"caption"}
        assert len(desk.items) == 4
        await pilot.press("enter")  # a caption with no picture has nothing to write into
        assert isinstance(pilot.app.screen, DeskScreen)


@desk_test
async def test_unreadable_files_get_a_row_with_the_reason(tmp_path: Path) -> None:
    root = make_newsroom(tmp_path)
    (root / "images" / "empty.jpg").write_bytes(b"")
    (root / "articles" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    app = create_app([root], None, MemoryReviews(), preview="halfblock")
    async with app.run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        empty = next(item for item in desk.items.values() if item.display == "images/empty.jpg")
        assert any(finding.code.startswith("MM9") for finding in empty.findings)
        assert empty.severity in ("error", "warning")
        assert desk.picture_list.select_key(empty.key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the preview worker fails quietly
        await pilot.pause()
        assert "empty.jpg" in static_text(desk.query_one("#detail-header", Static))
        assert "MM9" in static_text(desk.query_one("#detail-findings", Static))


@pytest.mark.skipif(not (REPO / "samples" / "images").is_dir(), reason="samples/ not built")
@desk_test
async def test_the_quick_start_samples_load(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    shutil.copytree(REPO / "samples", samples, ignore=shutil.ignore_patterns(".mediameta", "out"))
    app = create_app([samples], None, MemoryReviews(), preview="off")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await loaded(pilot)
        pictures = sorted(item.display for item in desk.items.values() if item.kind == "picture")
        on_disk = sorted(f"images/{path.name}" for path in (samples / "images").glob("*.jpg"))
        readable = [name for name in on_disk if name in pictures]
        assert len(readable) >= len(on_disk) - 1  # samples plant one damaged upload
        assert sum(len(item.findings) for item in desk.items.values()) > 0
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape", "o", "o", "o", "o")


def _review(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "mediameta", "review", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_review_command_refuses_a_missing_path_and_a_non_terminal(tmp_path: Path) -> None:
    missing = _review("no-such-folder", cwd=tmp_path)
    assert missing.returncode == 2
    assert "mediameta: error: no such file or folder: no-such-folder" in missing.stderr
    piped = _review(cwd=tmp_path)
    assert piped.returncode == 2
    assert "review needs a terminal" in piped.stderr
    assert piped.stdout == ""


@desk_test
async def test_review_state_survives_opening_the_folder_through_a_symlink(tmp_path: Path) -> None:
    root = make_newsroom(tmp_path)
    link = tmp_path / "desk-link"
    link.symlink_to(root, target_is_directory=True)
    with Catalog.open(root=link) as catalog:
        app = create_app([link], None, catalog, preview="off")
        async with app.run_test(size=(80, 24)) as pilot:
            desk = await loaded(pilot)
            valencia = next(item for item in desk.items.values() if item.display == "images/valencia.jpg")
            assert desk.picture_list.select_key(valencia.key)
            await pilot.pause()
            await pilot.press("a")
    with Catalog.open(root=link) as catalog:
        app = create_app([link], None, catalog, preview="off")
        async with app.run_test(size=(80, 24)) as pilot:
            desk = await loaded(pilot)
            valencia = next(item for item in desk.items.values() if item.display == "images/valencia.jpg")
            assert valencia.review == "approved"
