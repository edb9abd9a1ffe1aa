"""The desk driven with Pilot: open a generated newsroom, navigate, filter, edit with live
re-parse, fix, approve, save (really writing the JPEG), undo, and quit with unsaved edits.

The check result is the stand-in of tui_helpers (fixed findings); saving goes through the real
writer. Tests wait on workers, never on time.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pyexiv2
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static, TextArea
from tui_helpers import desk_test, make_newsroom, standin_services, static_text

from mediameta.config import Config
from mediameta.tui.app import DeskScreen, MediaDeskApp, create_app
from mediameta.tui.screens.dialogs import ConfirmScreen, TextScreen
from mediameta.tui.screens.duplicates import DuplicatesScreen
from mediameta.tui.screens.edit import EditScreen
from mediameta.tui.services import MemoryReviews, Services


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return make_newsroom(tmp_path)


def desk_app(
    root: Path, reviews: MemoryReviews | None = None, services: Services | None = None
) -> MediaDeskApp:
    return create_app(
        [root],
        Config(),
        reviews if reviews is not None else MemoryReviews(),
        preview="off",
        services=services or standin_services(root),
    )


async def loaded(pilot: Pilot[None]) -> DeskScreen:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    desk = pilot.app.screen
    assert isinstance(desk, DeskScreen)
    assert desk.loaded
    return desk


async def settle(pilot: Pilot[None]) -> None:
    """Let callbacks start their workers, wait for the workers, then for their messages."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def select(pilot: Pilot[None], desk: DeskScreen, display: str) -> None:
    key = next(item.key for item in desk.items.values() if item.display == display)
    assert desk.picture_list.select_key(key)
    await pilot.pause()
    assert desk.current is not None and desk.current.display == display


def xmp_credit(path: Path) -> str | None:
    with pyexiv2.Image(str(path)) as handle:
        value = handle.read_xmp().get("Xmp.photoshop.Credit")
    return value if isinstance(value, str) else None


@desk_test
async def test_lists_pictures_unlinked_captions_and_unreadable_files(newsroom: Path) -> None:
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        rows = {item.display: item for item in desk.items.values()}
        assert set(rows) == {
            "images/valencia.jpg",
            "images/paris.jpg",
            "images/blank.jpg",
            "images/broken.jpg",
            "articles/floods.txt:9",
        }
        assert rows["images/blank.jpg"].severity == "error"
        assert rows["images/broken.jpg"].message == "not a JPEG: no SOI marker"
        # The repeated caption (line 11) links to valencia: its MM501 lands on that picture.
        assert [f.code for f in rows["images/valencia.jpg"].findings] == ["MM501"]
        assert desk.picture_list.row_count == 5
        title = str(desk.query_one("#title", Label).render())
        assert "newsroom/" in title and "3 pictures" in title and "1 unlinked captions" in title


@desk_test
async def test_keyboard_moves_through_rows_and_findings(newsroom: Path) -> None:
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        first = desk.current
        assert first is not None and first.display == "articles/floods.txt:9"  # sorted by file
        await pilot.press("j")
        assert desk.current is not None and desk.current.display == "images/blank.jpg"
        await pilot.press("k")
        assert desk.current is first
        # n walks finding by finding, then to the next row that has findings.
        await pilot.press("n")
        assert desk.current is not None and desk.current.display == "images/blank.jpg"
        await pilot.press("n")
        assert desk.current is not None and desk.current.display == "images/paris.jpg"
        await pilot.press("p")
        assert desk.current is not None and desk.current.display == "images/blank.jpg"
        # u jumps to the next unreviewed row after approving the current one.
        await pilot.press("a", "u")
        assert desk.current is not None and desk.current.display == "images/broken.jpg"


@desk_test
async def test_filter_by_text_rule_family_and_status(newsroom: Path) -> None:
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await pilot.press("slash", *"paris")
        assert [desk.items[key].display for key in desk.order] == ["images/paris.jpg"]
        await pilot.press("escape")
        assert len(desk.order) == 5
        desk.filter_input.value = "rule:MM6"
        await pilot.pause()
        assert [desk.items[key].display for key in desk.order] == ["articles/floods.txt:9"]
        desk.filter_input.value = ""
        await pilot.pause()
        await pilot.press("1")  # is:error
        assert desk.filter_input.value == "is:error"
        assert [desk.items[key].display for key in desk.order] == ["images/blank.jpg", "images/broken.jpg"]
        await pilot.press("1")  # again: off
        assert len(desk.order) == 5
        await pilot.press("r")  # cycles rule families present: MM2 first
        assert desk.filter_input.value == "rule:MM2"
        assert {desk.items[key].display for key in desk.order} == {"images/blank.jpg", "images/paris.jpg"}


@desk_test
async def test_sort_cycles_file_date_photographer_findings(newsroom: Path) -> None:
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await pilot.press("o")
        assert desk.sort_key == "date"
        assert [desk.items[key].display for key in desk.order][:2] == [
            "images/paris.jpg",
            "images/valencia.jpg",
        ]
        await pilot.press("o")
        assert desk.sort_key == "photographer"
        assert desk.items[desk.order[0]].photographer == "Eva Manez"
        await pilot.press("o")
        assert desk.sort_key == "findings"
        counts = [len(desk.items[key].findings) for key in desk.order]
        assert counts == sorted(counts, reverse=True)


@desk_test
async def test_edit_modal_reparses_and_rechecks_while_typing(newsroom: Path) -> None:
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await select(pilot, desk, "images/paris.jpg")
        assert [f.code for f in desk.current.findings] == ["MM204"]  # type: ignore[union-attr]
        await pilot.press("enter")
        modal = pilot.app.screen
        assert isinstance(modal, EditScreen)
        live = modal.query_one("#edit-live", Static)
        assert "MM204" in static_text(live)
        credit = modal.query_one("#edit-credit", Input)
        credit.value = ""
        await pilot.press("tab")  # focus stays in the modal
        modal.query_one("#edit-credit", Input).focus()
        await pilot.press(*"AFP/JOEL SAGET")
        text = static_text(live)
        assert "agency: AFP" in text, text
        assert "MM204" not in text and "No findings" in text
        caption = modal.query_one("#edit-caption", TextArea)
        caption.text = "A man walks past a closed shop in Lyon, France, October 5, 2024."
        await pilot.pause()
        assert "Lyon" in static_text(live)
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, DeskScreen)
        item = desk.current
        assert item is not None and item.dirty
        assert item.edits == {
            "credit_line": "AFP/JOEL SAGET",
            "description": "A man walks past a closed shop in Lyon, France, October 5, 2024.",
        }
        assert item.findings == []
        assert "*" in desk.picture_list.row_text(item.key)


@desk_test
async def test_fix_save_shows_diff_writes_the_file_and_undo_restores(newsroom: Path) -> None:
    picture = newsroom / "images" / "paris.jpg"
    assert xmp_credit(picture) == "AP"
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await select(pilot, desk, "images/paris.jpg")
        await pilot.press("x")
        item = desk.current
        assert item is not None and item.edits == {"credit_line": "AFP"}
        assert xmp_credit(picture) == "AP"  # nothing written before save
        await pilot.press("ctrl+s")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmScreen)
        diff = static_text(confirm.query_one(".dialog-body Static", Static))
        assert "images/paris.jpg" in diff and "AFP" in diff and "AP" in diff
        await pilot.press("y")
        await settle(pilot)
        assert xmp_credit(picture) == "AFP"
        assert not item.dirty and item.record is not None and item.record.credit_line == "AFP"
        assert [entry.pictures for entry in desk.undo_stack] == [{str(picture): {"credit_line": "AP"}}]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert xmp_credit(picture) == "AP"
        assert item.record.credit_line == "AP"


@desk_test
async def test_save_refused_when_the_file_changed_keeps_the_edits(newsroom: Path) -> None:
    picture = newsroom / "images" / "paris.jpg"
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await select(pilot, desk, "images/paris.jpg")
        await pilot.press("x")  # the stamp is taken at the first edit
        picture.write_bytes(picture.read_bytes() + b"\0")  # someone else touched the file
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        item = desk.current
        assert item is not None and item.dirty
        assert xmp_credit(picture) == "AP"


@desk_test
async def test_review_state_is_stored_and_shown_on_the_next_start(newsroom: Path) -> None:
    reviews = MemoryReviews()
    async with desk_app(newsroom, reviews).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await select(pilot, desk, "images/valencia.jpg")
        await pilot.press("a", "m")
        await pilot.pause()
        await pilot.press(*"check the date", "enter")
        await select(pilot, desk, "images/paris.jpg")
        await pilot.press("f")
    key = os.path.abspath(newsroom / "images" / "valencia.jpg")
    state = reviews.get_review(key)
    assert state is not None and (state.status, state.note) == ("approved", "check the date")
    async with desk_app(newsroom, reviews).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        by_name = {item.display: item for item in desk.items.values()}
        assert by_name["images/valencia.jpg"].review == "approved"
        assert by_name["images/valencia.jpg"].note == "check the date"
        assert by_name["images/paris.jpg"].review == "flagged"
        assert "APP" in desk.picture_list.row_text(by_name["images/valencia.jpg"].key)


@desk_test
async def test_quitting_with_unsaved_edits_asks_first(newsroom: Path) -> None:
    app = desk_app(newsroom)
    async with app.run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await select(pilot, desk, "images/paris.jpg")
        await pilot.press("x", "q")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(pilot.app.screen, DeskScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0
    assert xmp_credit(newsroom / "images" / "paris.jpg") == "AP"


@desk_test
async def test_duplicates_help_explain_and_palette(newsroom: Path) -> None:
    async with desk_app(newsroom).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot)
        await pilot.press("d")
        screen = pilot.app.screen
        assert isinstance(screen, DuplicatesScreen)
        assert len(screen.clusters) == 1
        members = screen.clusters[0].members
        assert [member.where for member in members] == ["articles/floods.txt:5", "articles/floods.txt:11"]
        assert all(member.picture == "images/valencia.jpg" for member in members)
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, TextScreen)
        help_body = pilot.app.screen.query_one(".dialog-body Static", Static)
        assert "Jump to the next unreviewed picture" in static_text(help_body)
        await pilot.press("escape")
        await select(pilot, desk, "images/blank.jpg")
        await pilot.press("e")
        assert isinstance(pilot.app.screen, TextScreen)
        await pilot.press("escape")
        # The palette runs any action of the registry by name.
        await pilot.press("ctrl+p")
        await pilot.press(*"Approve")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert desk.current is not None and desk.current.review == "approved"


@desk_test
async def test_a_failing_load_is_shown_not_raised(newsroom: Path) -> None:
    services = standin_services(newsroom)

    def broken(*args: object) -> object:
        raise RuntimeError("disk on fire")

    services.run = broken  # type: ignore[assignment]
    async with desk_app(newsroom, services=services).run_test(size=(80, 24)) as pilot:
        desk = await loaded(pilot)
        assert "disk on fire" in str(desk.query_one("#progress-label", Label).render())
        await pilot.press("j", "k", "enter", "x", "a", "d", "escape")
        assert desk.current is None


@desk_test
async def test_review_state_persists_in_the_sqlite_catalog(newsroom: Path) -> None:
    from mediameta.catalog import Catalog

    with Catalog.open(root=newsroom) as catalog:
        async with desk_app(newsroom, catalog).run_test(size=(120, 40)) as pilot:
            desk = await loaded(pilot)
            await select(pilot, desk, "images/paris.jpg")
            await pilot.press("f", "m")
            await pilot.pause()
            await pilot.press(*"ask AFP", "enter")
            await select(pilot, desk, "articles/floods.txt:9")
            await pilot.press("a")
    with Catalog.open(root=newsroom) as reopened:
        async with desk_app(newsroom, reopened).run_test(size=(120, 40)) as pilot:
            desk = await loaded(pilot)
            by_name = {item.display: item for item in desk.items.values()}
            assert (by_name["images/paris.jpg"].review, by_name["images/paris.jpg"].note) == (
                "flagged",
                "ask AFP",
            )
            assert by_name["articles/floods.txt:9"].review == "approved"
            assert by_name["images/valencia.jpg"].review == "unreviewed"


@desk_test
async def test_what_the_editor_does_while_loading_survives_the_end_of_the_load(newsroom: Path) -> None:
    services = standin_services(newsroom)
    run = services.run
    gate: list[object] = []
    released = threading.Event()

    def slow_run(*args: object) -> object:
        # Hold the load until the test has approved and edited (the test posts to the gate).
        paths, config, progress, on_record, cancelled = args
        records = []
        result = run(paths, config, progress, records.append, cancelled)  # type: ignore[operator]
        for record in records:
            on_record(record)  # type: ignore[operator]
        progress("rules", 0, None)  # type: ignore[operator]
        while not gate and not cancelled():  # type: ignore[operator]
            released.wait(0.01)
        return result

    services.run = slow_run  # type: ignore[assignment]
    async with desk_app(newsroom, services=services).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        desk = pilot.app.screen
        assert isinstance(desk, DeskScreen)
        while desk.picture_list.row_count < 3:
            await pilot.pause()
        assert not desk.loaded
        paris = next(item for item in desk.items.values() if item.display == "images/paris.jpg")
        desk.picture_list.select_key(paris.key)
        await pilot.pause()
        await pilot.press("a")
        desk.set_edits(paris, {"credit_line": "AFP"})
        gate.append(True)
        released.set()
        await settle(pilot)
        assert desk.loaded
        after = desk.items[paris.key]
        assert after is not paris  # rebuilt from the check
        assert after.review == "approved" and after.edits == {"credit_line": "AFP"}
        assert [f.code for f in after.findings] == []  # re-checked with the edit


@desk_test
async def test_a_file_changed_between_load_and_edit_is_not_overwritten(newsroom: Path) -> None:
    """The desk read paris.jpg; another tool then rewrote its credit; the editor, still looking at
    what the desk read, edits and saves: the save is refused, the other tool's change is kept, the
    edits stay, and the desk says why."""
    picture = newsroom / "images" / "paris.jpg"
    messages: list[str] = []
    app = desk_app(newsroom, services=Services.default(isolate=False))
    async with app.run_test(size=(120, 40)) as pilot:
        recorded = pilot.app.notify

        def notify(message: str, *args: object, **kwargs: object) -> None:
            messages.append(f"{kwargs.get('title', '')}: {message}")
            recorded(message, *args, **kwargs)  # type: ignore[arg-type]

        pilot.app.notify = notify  # type: ignore[method-assign]
        desk = await loaded(pilot)
        await select(pilot, desk, "images/paris.jpg")
        with pyexiv2.Image(str(picture)) as handle:  # another tool, after the desk read the file
            handle.modify_xmp({"Xmp.photoshop.Credit": "EPA-EFE"})
        await pilot.press("enter")
        modal = pilot.app.screen
        assert isinstance(modal, EditScreen)
        modal.query_one("#edit-credit", Input).value = "AFP"
        await pilot.pause()
        await pilot.press("ctrl+s")
        item = desk.current
        assert item is not None and item.edits == {"credit_line": "AFP"}
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert xmp_credit(picture) == "EPA-EFE"  # the other tool's change survives
        assert item.dirty and item.edits == {"credit_line": "AFP"}
        refusal = [message for message in messages if message.startswith("Not written")]
        assert len(refusal) == 1 and "changed on disk since the desk read it" in refusal[0], messages
        assert "ctrl+r" in refusal[0]  # and how to see the file as it is now
