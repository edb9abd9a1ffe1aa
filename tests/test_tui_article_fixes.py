"""The desk applies fixes that rewrite a caption in an article's text: ``x`` stages the fix (the row
is marked unsaved, the detail pane shows the caption before and after), ``ctrl+s`` writes it through
the same core as ``mediameta fix`` (``mediameta.article_fixes``), the article is read again and its
rows re-checked, and ``ctrl+z`` puts the bytes back. A file changed underneath is refused, a caption
that is not plain text in the file is explained.

The real engine and rules run on small generated folders and on a copy of samples/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import desk_test, static_text

from mediameta.checks.engine import run_check
from mediameta.cli import main
from mediameta.config import Config, load_config
from mediameta.tui.app import DeskScreen, MediaDeskApp, create_app
from mediameta.tui.model import DeskItem
from mediameta.tui.screens.dialogs import ConfirmScreen
from mediameta.tui.services import MemoryReviews, Services

SAMPLES = Path(__file__).parent.parent / "samples"
ZURICH = "Crowds in ZÃ¼rich, March 3, 2025. (photo credit: REUTERS/JANE DOE)"
MUNICH = "People in MÃ¼nchen, March 4, 2025. (photo credit: REUTERS/JANE DOE)"
# Two garbled captions on one line (fixing the first moves the second's column), and one whose
# garbling is spelled as HTML entities (not plain text in the file: not auto-applicable).
PAGE = (
    "<html><body><p>Flood story.</p>\n"
    f"<figure><img src='a.jpg'><figcaption>{ZURICH}</figcaption></figure>"
    f"<figure><img src='b.jpg'><figcaption>{MUNICH}</figcaption></figure>\n"
    "<figure><img src='c.jpg'><figcaption>Shops in K&Atilde;&para;ln, March 5, 2025. "
    "(photo credit: REUTERS/JANE DOE)</figcaption></figure>\n"
    "</body></html>\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "page.html").write_bytes(PAGE.encode("utf-8"))
    return root


def desk_app(root: Path, config: Config | None = None) -> MediaDeskApp:
    return create_app(
        [root],
        config or Config(),
        MemoryReviews(),
        preview="off",
        services=Services.default(isolate=False),
    )


async def loaded(pilot: Pilot[None], messages: list[str]) -> DeskScreen:
    recorded = pilot.app.notify

    def notify(message: str, *args: object, **kwargs: object) -> None:
        messages.append(f"{kwargs.get('title') or ''}: {message}")
        recorded(message, *args, **kwargs)  # type: ignore[arg-type]

    pilot.app.notify = notify  # type: ignore[method-assign]
    await settle(pilot)
    desk = pilot.app.screen
    assert isinstance(desk, DeskScreen) and desk.loaded
    return desk


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def holding(desk: DeskScreen, code: str, line: int, column: int) -> tuple[DeskItem, int]:
    """The row holding the finding ``code`` at ``line:column``, and its index in the row."""
    for item in desk.items.values():
        for index, finding in enumerate(item.findings):
            if (finding.code, finding.line, finding.column) == (code, line, column):
                return item, index
    raise AssertionError(f"no {code} at {line}:{column}")


def has_finding(desk: DeskScreen, code: str, line: int, column: int) -> bool:
    return any(
        (finding.code, finding.line, finding.column) == (code, line, column)
        for item in desk.items.values()
        for finding in item.findings
    )


async def apply_fix(pilot: Pilot[None], desk: DeskScreen, code: str, line: int, column: int) -> DeskItem:
    item, index = holding(desk, code, line, column)
    assert desk.picture_list.select_key(item.key)
    await pilot.pause()
    desk.selected_finding = index
    desk.show_current()
    await pilot.press("x")
    return item


async def save(pilot: Pilot[None]) -> str:
    """ctrl+s, the diff the confirmation shows, then y."""
    await pilot.press("ctrl+s")
    confirm = pilot.app.screen
    assert isinstance(confirm, ConfirmScreen)
    diff = static_text(confirm.query_one(".dialog-body Static", Static))
    await pilot.press("y")
    await settle(pilot)
    return diff


@desk_test
async def test_x_stages_the_caption_fix_and_ctrl_s_writes_only_that_caption(folder: Path) -> None:
    article = folder / "articles" / "page.html"
    messages: list[str] = []
    async with desk_app(folder).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot, messages)
        item = await apply_fix(pilot, desk, "MM703", 2, 38)
        # Staged, not written: the row and the detail pane say so, old and new text side by side.
        assert article.read_bytes() == PAGE.encode("utf-8")
        assert item.dirty and desk.dirty_items() == [item]
        assert "*" in desk.picture_list.row_text(item.key)
        header = static_text(desk.query_one("#detail-header", Static))
        assert "* unsaved: page.html:2 caption" in header
        assert f"- {ZURICH}" in header and f"+ {ZURICH.replace('Ã¼', 'ü')}" in header
        assert "1 unsaved" in desk._title_text()

        diff = await save(pilot)
        assert "articles/page.html" in diff and "line 2, column 38 (MM703)" in diff
        assert f"+ {ZURICH.replace('Ã¼', 'ü')}" in diff
        # Byte for byte: the one caption changed, nothing else.
        assert article.read_bytes() == PAGE.replace(ZURICH, ZURICH.replace("Ã¼", "ü")).encode("utf-8")
        assert not item.dirty and not desk.dirty_items()
        assert not has_finding(desk, "MM703", 2, 38)
        assert any(message.startswith(": Saved 1 file") for message in messages)

        # The caption after it on the same line moved one column left; the desk knows where it is
        # now, so its fix lands right too.
        assert not has_finding(desk, "MM703", 2, 163)
        await apply_fix(pilot, desk, "MM703", 2, 162)
        await save(pilot)
        both = PAGE.replace(ZURICH, ZURICH.replace("Ã¼", "ü")).replace(MUNICH, MUNICH.replace("Ã¼", "ü"))
        assert article.read_bytes() == both.encode("utf-8")
        assert not any(
            finding.code == "MM703" and finding.line == 2
            for i in desk.items.values()
            for finding in i.findings
        )
        assert has_finding(desk, "MM703", 3, 38)  # the one left: entities, not plain text


@desk_test
async def test_the_desk_writes_what_mediameta_fix_writes(folder: Path, tmp_path: Path) -> None:
    """The same folder fixed by the CLI and by the desk (every caption fix it can apply) ends up
    byte for byte the same."""
    cli_copy = tmp_path / "cli"
    shutil.copytree(folder, cli_copy)
    assert main(["fix", str(cli_copy), "--select", "MM703"]) == 0
    messages: list[str] = []
    async with desk_app(folder).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot, messages)
        await apply_fix(pilot, desk, "MM703", 2, 38)
        await apply_fix(pilot, desk, "MM703", 2, 163)  # both staged before one save
        await save(pilot)
    page = "articles/page.html"
    assert (folder / page).read_bytes() == (cli_copy / page).read_bytes() != PAGE.encode("utf-8")


@desk_test
async def test_a_caption_that_is_not_plain_text_is_explained_not_applied(folder: Path) -> None:
    article = folder / "articles" / "page.html"
    messages: list[str] = []
    async with desk_app(folder).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot, messages)
        item = await apply_fix(pilot, desk, "MM703", 3, 38)
        assert not item.dirty and not desk.dirty_items()
        assert messages[-1].startswith("Fix not applied: MM703: not auto-applicable: the caption at line 3")
        assert "Edit the article by hand" in messages[-1]
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, DeskScreen)  # nothing to save
    assert article.read_bytes() == PAGE.encode("utf-8")


@desk_test
async def test_an_article_changed_after_the_fix_was_applied_is_refused_and_left_alone(folder: Path) -> None:
    article = folder / "articles" / "page.html"
    messages: list[str] = []
    async with desk_app(folder).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot, messages)
        item = await apply_fix(pilot, desk, "MM703", 2, 38)
        elsewhere = PAGE.replace("Flood story.", "Flood story, edited in another tool.")
        article.write_bytes(elsewhere.encode("utf-8"))
        await save(pilot)
        assert article.read_bytes() == elsewhere.encode("utf-8")  # untouched
        assert item.dirty  # the fix stays staged, to drop with R
        refusal = [message for message in messages if message.startswith("Not written")]
        assert refusal and "articles/page.html: changed on disk" in refusal[0]
        assert has_finding(desk, "MM703", 2, 38)
        await pilot.press("R")
        assert not item.dirty and not desk.dirty_items()


@desk_test
async def test_an_article_whose_captions_moved_since_the_check_is_refused_at_x(folder: Path) -> None:
    article = folder / "articles" / "page.html"
    moved = "<!-- a line added by another tool -->\n" + PAGE
    messages: list[str] = []
    async with desk_app(folder).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot, messages)
        article.write_bytes(moved.encode("utf-8"))
        item = await apply_fix(pilot, desk, "MM703", 2, 38)
        assert not item.dirty
        assert messages[-1].startswith(
            "Fix not applied: articles/page.html: changed on disk since the desk read it"
        )
        assert "reload (ctrl+r)" in messages[-1]
    assert article.read_bytes() == moved.encode("utf-8")


@desk_test
async def test_undo_puts_the_article_back_and_the_finding_returns(folder: Path) -> None:
    article = folder / "articles" / "page.html"
    messages: list[str] = []
    async with desk_app(folder).run_test(size=(120, 40)) as pilot:
        desk = await loaded(pilot, messages)
        await apply_fix(pilot, desk, "MM703", 2, 38)
        await save(pilot)
        assert article.read_bytes() != PAGE.encode("utf-8")
        assert [list(entry.articles) for entry in desk.undo_stack] == [[str(article)]]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert article.read_bytes() == PAGE.encode("utf-8")
        assert has_finding(desk, "MM703", 2, 38) and has_finding(desk, "MM703", 2, 163)
        assert desk.undo_stack == []


@desk_test
async def test_on_samples_the_recheck_after_the_write_agrees_with_a_full_check(tmp_path: Path) -> None:
    """MM305 on flood-relief.md (a 1957 picture not marked FILE PHOTO, linked to a picture): fixed
    from the picture's row; afterwards every row's findings are what a fresh check finds."""
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".mediameta"))
    article = root / "articles" / "flood-relief.md"
    before = article.read_bytes()
    config = load_config(root)
    messages: list[str] = []
    async with desk_app(root, config).run_test(size=(160, 45)) as pilot:
        desk = await loaded(pilot, messages)
        item = await apply_fix(pilot, desk, "MM305", 36, 2)
        assert item.display == "images/valencia-1957.jpg" and item.dirty
        await save(pilot)
        assert not has_finding(desk, "MM305", 36, 2)
        shown = sorted(
            (finding.code, finding.path, finding.line, finding.column)
            for row in desk.items.values()
            for finding in row.findings
        )
    old = "*Residents wade through floodwater in Valencia"
    assert article.read_bytes() == before.replace(old.encode(), b"*FILE PHOTO: " + old[1:].encode())
    fresh = run_check([root], config).report.findings
    assert shown == sorted((f.code, f.path, f.line, f.column) for f in fresh)
