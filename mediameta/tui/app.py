"""The desk: a Textual app in which a picture editor reviews, fixes and approves captions and credits.

``create_app`` is the one factory, used by ``mediameta review`` and by the tests. Loading runs in a
thread worker that only posts messages; the handlers on :class:`DeskScreen` own every state change.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, ProgressBar
from textual.worker import get_current_worker

from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.config import Config, catalogue_for
from mediameta.models import Article, Finding, MediaRecord
from mediameta.tui.actions import ACTIONS, APP_ACTIONS, bindings
from mediameta.tui.isolated import Cancelled
from mediameta.tui.messages import (
    LoadFailed,
    LoadFinished,
    LoadProgress,
    PreviewReady,
    RecordsArrived,
    SaveDone,
)
from mediameta.tui.model import (
    FAMILIES,
    SORT_KEYS,
    DeskItem,
    FilterSpec,
    StagedCaptionFix,
    UndoEntry,
    apply_review,
    build_items,
    changed_fields,
    changed_since_read,
    duplicate_clusters,
    loading_item,
    merge_rechecked,
    previous_values,
    recheck_context,
    relinked,
    reviews_by_abspath,
    visible_items,
)
from mediameta.tui.screens.dialogs import ConfirmScreen, NoteScreen, TextScreen, help_text
from mediameta.tui.screens.duplicates import DuplicatesScreen
from mediameta.tui.screens.edit import Edits, EditScreen
from mediameta.tui.services import (
    MemoryReviews,
    ReviewStore,
    Services,
    open_reviews,
    plan_changes,
    prepare_process_pools,
)
from mediameta.tui.widgets.detail import DetailPane
from mediameta.tui.widgets.picture_list import PictureList
from mediameta.tui.widgets.preview import PreviewMode, load_preview, set_preview_image

if TYPE_CHECKING:
    from mediameta.article_fixes import ArticleFixes

# An article's staged caption fixes, to write in one go: the article as the check read it, the
# findings whose fixes to apply, and the article's bytes when they were staged.
ArticleJob = tuple[Article, list[Finding], bytes]

RECORD_BATCH = 500  # records per RecordsArrived message while loading
MESSAGE_INTERVAL = 0.1  # seconds between collapsed progress / record messages
LOADING_SWITCH_INTERVAL = 0.0005  # seconds: GIL switch interval while the loader thread runs


class _Cancelled(BaseException):
    """Raised inside the engine's callbacks to stop a superseded load (not an Exception, so a
    rule-crash guard in the engine does not swallow it)."""


class DeskCommands(Provider):
    """The command palette: every action of the registry, by name."""

    def _commands(self) -> Iterable[tuple[str, str, Any]]:
        screen = self.screen
        desk = screen if isinstance(screen, DeskScreen) else None
        for action in ACTIONS:
            if desk is not None:
                yield action.description, action.help, partial(desk.run_action, action.action)
        for action in APP_ACTIONS:
            yield action.description, action.help, partial(self.app.run_action, action.action)

    async def discover(self) -> Hits:
        for name, help_line, command in self._commands():
            yield DiscoveryHit(name, command, help=help_line)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_line, command in self._commands():
            score = max(matcher.match(name), matcher.match(help_line))
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_line)


class DeskScreen(Screen[None]):
    """The list of pictures, the detail pane, the filter box and the loading progress."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(ACTIONS)

    def __init__(
        self,
        paths: Sequence[Path],
        root: Path,
        config: Config | None,
        services: Services,
        reviews: ReviewStore,
        preview: PreviewMode,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.root = root
        self.config = config
        self.services = services
        self.reviews = reviews
        self.preview_mode: PreviewMode = preview
        self.items: dict[str, DeskItem] = {}
        self.order: list[str] = []  # keys of the visible rows, in list order
        self.context: Any = None  # CheckContext once loaded
        self.sort_key = "file"
        self.filter = FilterSpec()
        self.selected_finding = 0
        self.generation = 0
        self.loaded = False
        # the check's files, errors, warnings, and the rows' (errors, warnings) when it finished
        self._checked: tuple[int, int, int, tuple[int, int]] | None = None
        self.undo_stack: list[UndoEntry] = []
        self._review_cache: dict[str, Any] = {}

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Label(self._title_text(), id="title")
        yield Input(
            placeholder="/ filter: words · rule:MM2 · is:error|warning|clean|approved|flagged|unreviewed|edited",
            id="filter",
        )
        with Container(id="main"):
            yield PictureList(id="list")
            yield DetailPane(self.preview_mode, id="detail")
        with Horizontal(id="status"):
            yield Label("Loading…", id="progress-label")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    @property
    def picture_list(self) -> PictureList:
        return self.query_one(PictureList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def catalogue(self) -> AgencyCatalogue | None:
        """The config's agency catalogue (None until the config is known: the shipped one then)."""
        config = self.context.config if self.context is not None else self.config
        return catalogue_for(config) if config is not None else None

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self.picture_list.focus()
        self.detail.show(None, 0)
        # Paint the (empty) desk first: the loader's imports and reads compete for the GIL.
        self.call_after_refresh(self.start_load)

    def _title_text(self) -> str:
        name = self.root.name or str(self.root)
        kinds = Counter(item.kind for item in self.items.values())
        dirty = sum(1 for item in self.items.values() if item.dirty)
        pictures, captions = kinds["picture"], kinds["caption"]
        others = len(self.items) - pictures - captions
        parts = [f"mediameta · {name}/", f"{pictures} pictures"]
        if captions:
            parts.append(f"{captions} unlinked captions")
        if others:
            parts.append(f"{others} other files")
        shown = f"{len(self.order)} shown" if len(self.order) != len(self.items) else ""
        if shown:
            parts.append(shown)
        parts.append(f"sort: {self.sort_key}")
        if dirty:
            parts.append(f"{dirty} unsaved")
        return " · ".join(parts)

    def refresh_title(self) -> None:
        self.query_one("#title", Label).update(self._title_text())

    # ------------------------------------------------------------------ loading (worker + handlers)
    def start_load(self) -> None:
        gc.unfreeze()  # the previous load's objects may be collected again
        self.generation += 1
        self.loaded = False
        self._checked = None
        self.items.clear()
        self.order.clear()
        self.context = None
        self.picture_list.clear()
        try:
            self._review_cache = reviews_by_abspath(self.reviews.all_reviews(), self.root)
        except Exception as exc:  # a broken catalog must not stop the desk
            self._review_cache = {}
            self.notify(f"could not read review state: {exc}", severity="warning")
        self.query_one("#status").remove_class("-done")
        self.query_one("#progress-label", Label).update("Loading…")
        self.load(self.generation)

    @work(thread=True, exclusive=True, group="load")
    def load(self, generation: int) -> None:
        worker = get_current_worker()
        batch: list[MediaRecord] = []
        last_post = [time.monotonic(), time.monotonic()]  # records, progress

        def check_cancelled() -> None:
            if worker.is_cancelled:
                raise _Cancelled

        def on_record(record: MediaRecord) -> None:
            check_cancelled()
            batch.append(record)
            now = time.monotonic()
            if len(batch) >= RECORD_BATCH or now - last_post[0] >= MESSAGE_INTERVAL:
                self.post_message(RecordsArrived(batch.copy()))
                batch.clear()
                last_post[0] = now

        last_stage = [""]

        def progress(stage: str, done: int, total: int | None) -> None:
            check_cancelled()
            if batch:  # the pictures read so far show up now, not at the next picture
                self.post_message(RecordsArrived(batch.copy()))
                batch.clear()
                last_post[0] = time.monotonic()
            now = time.monotonic()
            finished = total is not None and done >= total
            if stage != last_stage[0] or finished or now - last_post[1] >= MESSAGE_INTERVAL:
                last_stage[0] = stage
                last_post[1] = now
                self.post_message(LoadProgress(stage, done, total))

        # The loader runs Python in this thread; a short GIL switch interval lets the UI thread
        # take the interpreter back within a millisecond when a key arrives (default: 5 ms, paid
        # several times per keypress).
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, LOADING_SWITCH_INTERVAL))
        # A full garbage collection over a loaded 10,000-picture folder takes most of a second, in
        # whichever thread triggers it, UI included. Collect nothing while loading, then freeze
        # what was loaded (it lives as long as the desk shows it; a reload unfreezes it).
        collecting = gc.isenabled()
        gc.disable()
        try:
            if self.config is None:
                # Found upward from the folder, like `mediameta check`; loaded here, off the UI thread.
                from mediameta.config import load_config

                self.config = load_config(self.root)
            run = self.services.run(self.paths, self.config, progress, on_record, lambda: worker.is_cancelled)
        except (_Cancelled, Cancelled):
            return
        except Exception as exc:  # errors are data: show them, keep the desk up
            self.post_message(LoadFailed(f"{type(exc).__name__}: {exc}", generation))
        else:
            if batch:
                self.post_message(RecordsArrived(batch.copy()))
            # The rows are built here, off the UI thread (10,000 of them take a moment); the
            # handler only swaps them in. The review states were read before the worker started.
            items = build_items(run.context, run.report.findings, self._review_cache, self.root)
            self.post_message(LoadFinished(run, generation, items))
        finally:
            sys.setswitchinterval(interval)
            if collecting:
                gc.freeze()
                gc.enable()

    def on_load_progress(self, message: LoadProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        total = f"/{message.total}" if message.total is not None else ""
        self.query_one("#progress-label", Label).update(f"{message.stage} {message.done}{total}")

    def on_records_arrived(self, message: RecordsArrived) -> None:
        if self.loaded:
            return
        table = self.picture_list
        fresh: list[DeskItem] = []
        for record in message.records:
            if record.path in self.items:
                continue
            item = loading_item(record, self.root)
            state = self._review_cache.get(item.review_key)
            if state is not None:
                apply_review(item, state.status, state.note)
            self.items[item.key] = item
            if self.filter.matches(item):
                fresh.append(item)
        first = not self.order
        table.add_rows_keyed(fresh)
        self.order.extend(item.key for item in fresh)
        if first and fresh:
            self.select_current()
        self.refresh_title()

    def on_load_finished(self, message: LoadFinished) -> None:
        if message.generation != self.generation:
            return
        run = message.run
        self.context = run.context
        # Rows arrived unsorted while loading; the cursor stays where the editor put it, or goes
        # to the top of the sorted list when they did not move it.
        keep = self.picture_list.current_key if self.picture_list.cursor_row > 0 else None
        previous = self.items
        self.items = {item.key: item for item in message.items}
        for key, item in self.items.items():
            earlier = previous.get(key)
            if earlier is not None:
                # What the editor did while the folder loaded (approve, note, edit) stays.
                item.review, item.note = earlier.review, earlier.note
                if earlier.edits:
                    item.edits, item.stamp = earlier.edits, earlier.stamp
                    self._recheck_in(run.context, item)
        self.loaded = True
        self.refresh_list(keep)
        status = self.query_one("#status")
        summary = run.report.summary
        self._checked = (summary.files, summary.errors, summary.warnings, self._finding_counts())
        self._show_counts()
        status.add_class("-done")
        if not self.items:
            self.detail.show(None, 0)
            self.notify("Nothing to review here: no pictures and no captions found.")

    def on_load_failed(self, message: LoadFailed) -> None:
        if message.generation != self.generation:
            return
        self.loaded = True
        self.query_one("#progress-label", Label).update(f"Loading failed: {message.message}")
        self.notify(message.message, title="Loading failed", severity="error", timeout=10)

    # ------------------------------------------------------------------ the list
    def refresh_list(self, keep: str | None = None) -> None:
        visible = visible_items(self.items.values(), self.filter, self.sort_key)
        self.order = [item.key for item in visible]
        self.picture_list.show(visible, keep=keep)
        if keep is None or keep not in self.order:
            self.picture_list.move_cursor(row=0)
        self.select_current()
        self.refresh_title()

    @property
    def current(self) -> DeskItem | None:
        key = self.picture_list.current_key
        return self.items.get(key) if key is not None else None

    def select_current(self) -> None:
        self.selected_finding = 0
        self.show_current()
        item = self.current
        if item is not None and self.preview_mode != "off":
            self.load_preview(item.key, item.path if item.kind == "picture" else None)

    def show_current(self) -> None:
        item = self.current
        if item is not None:
            self.selected_finding = min(self.selected_finding, max(0, len(item.findings) - 1))
        self.detail.show(item, self.selected_finding, self.catalogue)

    def update_item(self, item: DeskItem) -> None:
        self.picture_list.update_item(item)
        if self.current is item:
            self.show_current()
        self.refresh_title()

    @on(PictureList.Highlighted)
    def row_highlighted(self, event: PictureList.Highlighted) -> None:
        self.select_current()

    @on(PictureList.Selected)
    def row_selected(self, event: PictureList.Selected) -> None:
        self.action_edit()

    # ------------------------------------------------------------------ preview
    @work(thread=True, exclusive=True, group="preview")
    def load_preview(self, key: str, path: str | None) -> None:
        if path is None:
            self.post_message(PreviewReady(key, None))
            return
        try:
            image = load_preview(path)
        except Exception as exc:  # a damaged picture shows no preview, with the reason
            self.post_message(PreviewReady(key, None, str(exc)))
            return
        self.post_message(PreviewReady(key, image))

    def on_preview_ready(self, message: PreviewReady) -> None:
        if message.key != self.picture_list.current_key:
            return
        set_preview_image(self.detail.preview_widget, message.image)

    # ------------------------------------------------------------------ moving
    def action_cursor_down(self) -> None:
        self.picture_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.picture_list.action_cursor_up()

    def _select_key(self, key: str) -> None:
        self.picture_list.select_key(key)

    def _index(self) -> int:
        key = self.picture_list.current_key
        return self.order.index(key) if key in self.order else -1

    def action_next_finding(self) -> None:
        item = self.current
        if item is not None and self.selected_finding + 1 < len(item.findings):
            self.selected_finding += 1
            self.show_current()
            return
        start = self._index()
        for key in self.order[start + 1 :]:
            if self.items[key].findings:
                self._select_key(key)
                return
        self.notify("No more findings below.")

    def action_prev_finding(self) -> None:
        item = self.current
        if item is not None and self.selected_finding > 0:
            self.selected_finding -= 1
            self.show_current()
            return
        start = self._index()
        for key in reversed(self.order[: max(start, 0)]):
            if self.items[key].findings:
                self._select_key(key)
                self.selected_finding = len(self.items[key].findings) - 1
                self.show_current()
                return
        self.notify("No more findings above.")

    def action_next_unreviewed(self) -> None:
        start = self._index()
        for key in self.order[start + 1 :] + self.order[: start + 1]:
            if self.items[key].review == "unreviewed" and key != self.picture_list.current_key:
                self._select_key(key)
                return
        self.notify("Every picture shown has been reviewed.")

    # ------------------------------------------------------------------ filter and sort
    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        self.picture_list.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = FilterSpec.parse(event.value)
        self.refresh_list(self.picture_list.current_key)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        self.picture_list.focus()

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.refresh_list(self.picture_list.current_key)
        self.notify(f"Sorted by {self.sort_key}")

    def _set_token(self, prefix: str, value: str | None) -> None:
        words = [word for word in self.filter_input.value.split() if not word.lower().startswith(prefix)]
        if value is not None:
            words.append(f"{prefix}{value}")
        self.filter_input.value = " ".join(words)

    def action_filter_status(self, status: str) -> None:
        current = f"is:{status}" in self.filter_input.value.lower().split()
        self._set_token("is:", None if current else status)

    def action_cycle_family(self) -> None:
        present = sorted(
            {finding.code[:3].upper() for item in self.items.values() for finding in item.findings}
            & set(FAMILIES)
        )
        current = self.filter.families[0] if self.filter.families else None
        options: list[str | None] = [*present, None]
        following = options[(options.index(current) + 1) % len(options)] if current in options else options[0]
        self._set_token("rule:", following)
        if following is not None:
            self.notify(f"Rule family {following}xx: {FAMILIES[following]}")

    # ------------------------------------------------------------------ editing
    def _recheck(self, item: DeskItem) -> None:
        if self.context is not None and item.checked:
            self._recheck_in(self.context, item)

    def _recheck_in(self, context: Any, item: DeskItem) -> None:
        if self.services.recheck is None:
            return
        try:
            fresh = self.services.recheck(recheck_context(context, item))
        except Exception as exc:
            self.notify(f"re-check failed: {exc}", severity="error")
            return
        item.findings = merge_rechecked(item, fresh)
        if self._checked is not None:
            self._show_counts()

    def _finding_counts(self) -> tuple[int, int]:
        """Errors and warnings among the findings the rows show now (each finding once)."""
        seen: set[tuple[Any, ...]] = set()
        errors = warnings = 0
        for item in self.items.values():
            for finding in item.findings:
                key = (
                    finding.code,
                    finding.path,
                    finding.line,
                    finding.column,
                    finding.field,
                    finding.message,
                )
                if key in seen:
                    continue
                seen.add(key)
                errors += finding.severity == "error"
                warnings += finding.severity == "warning"
        return errors, warnings

    def _show_counts(self) -> None:
        """The status line: the check's totals, moved by what re-checks since then changed."""
        assert self._checked is not None
        files, errors, warnings, (loaded_errors, loaded_warnings) = self._checked
        now_errors, now_warnings = self._finding_counts()
        errors += now_errors - loaded_errors
        warnings += now_warnings - loaded_warnings
        self.query_one("#progress-label", Label).update(
            f"Checked {files} files: {errors} errors, {warnings} warnings"
        )

    def live_findings(self, item: DeskItem, edits: Edits) -> list[Any]:
        """The findings the item would have with ``edits`` (for the edit modal, per keystroke)."""
        if item.record is None or self.context is None or self.services.recheck is None:
            return list(item.findings)
        probe = DeskItem(
            key=item.key,
            kind=item.kind,
            path=item.path,
            display=item.display,
            record=item.record,
            links=item.links,
            findings=item.findings,
            edits=changed_fields(item.record, edits),
        )
        try:
            fresh = self.services.recheck(recheck_context(self.context, probe))
        except Exception as exc:
            self.notify(f"re-check failed: {exc}", severity="error")
            return list(item.findings)
        return merge_rechecked(probe, fresh)

    def set_edits(self, item: DeskItem, edits: Edits) -> None:
        assert item.record is not None
        if not item.edits and edits and item.stamp is None:
            try:
                item.stamp = self.services.stamp(item.path)
            except Exception as exc:
                self.notify(f"{item.display}: {exc}", severity="error")
                return
            # Say so now, not only when the save is refused: the editor is looking at an old view.
            moved = changed_since_read(item.record, item.stamp)
            if moved is not None:
                self.notify(f"{item.display}: {moved}", title="Saving will be refused", severity="warning")
        item.edits = changed_fields(item.record, edits)
        self._recheck(item)
        self.update_item(item)

    def action_edit(self) -> None:
        item = self.current
        if item is None:
            return
        if item.record is None:
            what = (
                "an unreadable file"
                if item.kind == "file"
                else "a caption with no picture (fix it in the article)"
            )
            self.notify(f"{item.display} is {what}: nothing to write into.", severity="warning")
            return

        def done(edits: Edits | None) -> None:
            if edits is not None:
                self.set_edits(item, {**item.edits, **edits})

        self.app.push_screen(EditScreen(item, partial(self.live_findings, item), self.catalogue), done)

    def action_apply_fix(self) -> None:
        item = self.current
        if item is None or not item.findings:
            self.notify("No finding selected.")
            return
        ordered = [item.findings[self.selected_finding], *item.findings]
        finding = next((f for f in ordered if f.fix is not None), None)
        if finding is None or finding.fix is None:
            self.notify("No auto-fix for these findings.")
            return
        changes = dict(finding.fix.changes)
        if changes.pop("caption", None) is not None:
            self.stage_caption_fix(item, finding)
        if item.record is None or not changes:
            return
        unknown = [name for name in changes if name not in MediaRecord.model_fields]
        if unknown:
            self.notify(f"fix names unknown fields: {', '.join(unknown)}", severity="error")
            return
        self.set_edits(item, {**item.edits, **changes})
        self.notify(f"{finding.code}: {finding.fix.description} (unsaved)")

    def staged_caption_fixes(self, article_path: str) -> list[StagedCaptionFix]:
        """Every unsaved caption fix on ``article_path``, whichever row it was applied on."""
        return [
            fix for item in self.items.values() for fix in item.caption_fixes if fix.article == article_path
        ]

    def stage_caption_fix(self, item: DeskItem, finding: Finding) -> None:
        """Apply a fix that rewrites a caption in the article text, unsaved: planned now on the
        article's bytes (which must still hold the captions where the check found them), written
        by ``ctrl+s`` only over those same bytes."""
        assert finding.fix is not None
        name = _name(finding.path, self.root)
        article = (
            next((found for found in self.context.articles if found.path == finding.path), None)
            if self.context is not None
            else None
        )
        if article is None:
            self.notify(f"{finding.code}: {name} is not an article the desk read.", severity="warning")
            return
        staged = self.staged_caption_fixes(article.path)
        if any(fix.finding == finding for fix in staged):
            self.notify(f"{finding.code}: already applied, not saved yet (ctrl+s writes it).")
            return
        try:
            data = self.services.read_bytes(article.path)
        except OSError as exc:
            self.notify(f"{name}: {exc.strerror or exc}", title="Fix not applied", severity="error")
            return
        if staged and staged[0].before != data:
            self.notify(
                f"{name} changed on disk since the first fix was applied to it: revert (R) its fixes, "
                "reload (ctrl+r) and apply them again.",
                title="Fix not applied",
                severity="error",
                timeout=10,
            )
            return
        plan = self.services.plan_article(
            article, [*(fix.finding for fix in staged), finding], data, self.context.config
        )
        if plan.refused is not None:
            reason = _without_path(plan.refused, plan.path)
            self.notify(f"{name}: {reason}", title="Fix not applied", severity="error", timeout=10)
            return
        edit = next((edit for edit in plan.edits if edit.finding == finding), None)
        if edit is None:
            skipped = next((skip for skip in plan.skipped if skip.finding == finding), None)
            reason = skipped.reason if skipped is not None else "no-caption"
            where = f"line {finding.line}, column {finding.column} of {name}"
            explained = {
                "not-plain": f"not auto-applicable: the caption at {where} is not plain text in the file "
                "(markup or entities in it). Edit the article by hand",
                "overlap": "this caption already has an unsaved fix: save it (ctrl+s) first, then see "
                "whether this one still applies",
                "no-caption": f"no caption at {where}: reload (ctrl+r)",
            }[reason]
            self.notify(
                f"{finding.code}: {explained}: {finding.fix.description}",
                title="Fix not applied",
                severity="warning",
                timeout=10,
            )
            return
        item.caption_fixes.append(StagedCaptionFix(finding, edit.old, edit.new, data))
        self.update_item(item)
        self.notify(f"{finding.code}: {finding.fix.description} (unsaved: ctrl+s writes it into {name})")

    def action_revert(self) -> None:
        item = self.current
        if item is None or not item.dirty:
            return
        if item.caption_fixes:
            item.caption_fixes = []
            self.update_item(item)
        if item.edits and item.record is not None:
            self.set_edits(item, {})
        self.notify(f"Dropped the edits of {item.display}")

    # ------------------------------------------------------------------ review state (catalog)
    def _store_review(self, item: DeskItem) -> None:
        try:
            self.reviews.set_review(item.review_key, item.review, item.note)
        except Exception as exc:
            self.notify(f"could not save review state: {exc}", severity="error")
        self.update_item(item)

    def action_approve(self) -> None:
        item = self.current
        if item is not None:
            apply_review(item, "unreviewed" if item.review == "approved" else "approved", item.note)
            self._store_review(item)

    def action_flag(self) -> None:
        item = self.current
        if item is not None:
            apply_review(item, "unreviewed" if item.review == "flagged" else "flagged", item.note)
            self._store_review(item)

    def action_note(self) -> None:
        item = self.current
        if item is None:
            return

        def done(note: str | None) -> None:
            if note is not None:
                item.note = note or None
                self._store_review(item)

        self.app.push_screen(NoteScreen(item.display, item.note), done)

    def action_explain(self) -> None:
        item = self.current
        if item is None or not item.findings:
            self.notify("No finding selected.")
            return
        finding = item.findings[self.selected_finding]
        from mediameta.checks.registry import all_rules

        rule = all_rules().get(finding.code)
        body = Text()
        body.append(f"{finding.code} {finding.name} ({finding.severity})\n\n", style="bold")
        body.append(f"{finding.message}\n\n")
        doc = (rule.__doc__ or "").strip() if rule is not None else ""
        body.append(_dedent(doc) if doc else "No documentation for this rule.", style="" if doc else "dim")
        self.app.push_screen(TextScreen(f"Explain {finding.code}", body))

    # ------------------------------------------------------------------ saving
    def dirty_items(self) -> list[DeskItem]:
        return [item for item in self.items.values() if item.dirty]

    def action_save(self) -> None:
        dirty = self.dirty_items()
        if not dirty:
            self.notify("Nothing to save.")
            return
        table = Table(expand=True, box=None, pad_edge=False)
        table.add_column("File", no_wrap=True, style="bold")
        table.add_column("Block")
        table.add_column("Field")
        table.add_column("Before", overflow="fold", ratio=1)
        table.add_column("After", overflow="fold", ratio=1)
        problems: list[str] = []
        pictures = [item for item in dirty if item.edits]
        for item in pictures:
            try:
                changes = plan_changes(self.services.plan(item.path, item.edits))
            except Exception as exc:
                problems.append(f"{item.display}: {exc}")
                continue
            for change in changes:
                note = getattr(change, "note", None)
                table.add_row(
                    item.display,
                    str(getattr(change, "block", "")),
                    str(getattr(change, "field", "") or getattr(change, "tag", "")),
                    _short(getattr(change, "old", None)),
                    _short(getattr(change, "new", None)) + (f" ({note})" if note else ""),
                )
        # Article captions are whole sentences: shown before / after in full, not in table cells.
        articles = self.article_jobs()
        captions = Text()
        for article, _, _ in articles:
            for fix in sorted(self.staged_caption_fixes(article.path), key=lambda fix: fix.place):
                line, column = fix.place
                captions.append(f"\n{_name(article.path, self.root)}", style="bold")
                captions.append(f"  article text, line {line}, column {column} ({fix.finding.code})\n")
                captions.append(f"- {fix.old}\n", style="red")
                captions.append(f"+ {fix.new}\n", style="green")
        parts: list[Table | Text] = [table] if pictures else []
        if captions:
            parts.append(captions)
        body = Group(*parts, *(Text(problem, style="red") for problem in problems))
        count = len(pictures) + len(articles)
        config = self.context.config if self.context is not None else self.config

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.write_files(
                    [(item.path, dict(item.edits), item.stamp, item.record) for item in pictures],
                    articles=articles,
                    config=config,
                )

        self.app.push_screen(
            ConfirmScreen(f"Write {count} file{'s' if count != 1 else ''}?", body, yes="Write", no="Cancel"),
            done,
        )

    def article_jobs(self) -> list[ArticleJob]:
        """The staged caption fixes grouped by article, each to be written in one go."""
        if self.context is None:
            return []
        jobs: list[ArticleJob] = []
        for article in self.context.articles:
            staged = self.staged_caption_fixes(article.path)
            if staged:
                jobs.append((article, [fix.finding for fix in staged], staged[0].before))
        return jobs

    @work(thread=True, exclusive=True, group="save")
    def write_files(
        self,
        jobs: list[tuple[str, dict[str, Any], Any, MediaRecord | None]],
        undo: bool = False,
        *,
        articles: Sequence[ArticleJob] = (),
        undo_articles: Sequence[ArticleFixes] = (),
        config: Config | None = None,
    ) -> None:
        written: dict[str, tuple[MediaRecord | None, dict[str, Any]]] = {}
        refused: dict[str, str] = {}
        rewritten = self._write_articles(articles, undo_articles, config, refused)
        for path, changes, stamp, record in jobs:
            try:
                expected = stamp if stamp is not None else self.services.stamp(path)
                # The stamp is checked against the file as the desk read it (the record's stat):
                # the writer then refuses anything that moved after the stamp was taken.
                moved = changed_since_read(record, expected)
                if moved is not None:
                    refused[path] = moved
                    continue
                self.services.write(path, changes, expected)
            except Exception as exc:  # WriteRefused and anything else: shown, edits kept
                refused[path] = str(exc) or type(exc).__name__
                continue
            before = previous_values(record, changes) if record is not None else {}
            fresh: MediaRecord | None = None
            if self.services.read is not None:
                try:
                    fresh = self.services.read(path)
                except Exception:
                    fresh = None
            if fresh is None and record is not None:
                # The file's new size and mtime are not known: not compared at the next save.
                fresh = record.model_copy(update={**changes, "size": None, "mtime_ns": None})
            written[path] = (fresh, before)
        self.post_message(SaveDone(written, refused, undo, rewritten))

    def _write_articles(
        self,
        jobs: Sequence[ArticleJob],
        undo: Sequence[ArticleFixes],
        config: Config | None,
        refused: dict[str, str],
    ) -> dict[str, tuple[Article | None, ArticleFixes]]:
        """Write the articles' caption fixes (or undo them), each all or nothing, and read each
        written article again: (the article now, what was written) by path. Runs in the save worker."""
        results: list[tuple[str, ArticleFixes]] = []
        for article, findings, before in jobs:
            try:
                plan = self.services.plan_article(article, findings, before, config or Config())
                if plan.refused is None and plan.skipped:
                    # Planned on the same bytes as when they were applied: cannot happen, but a
                    # partial write of what the editor saw as one save must not either.
                    plan = replace(plan, refused="; ".join(skip.message for skip in plan.skipped))
                results.append((article.path, plan if plan.refused else self.services.write_article(plan)))
            except Exception as exc:
                refused[article.path] = str(exc) or type(exc).__name__
        for fixes in undo:
            try:
                results.append((str(fixes.path), self.services.undo_article(fixes)))
            except Exception as exc:
                refused[str(fixes.path)] = str(exc) or type(exc).__name__
        rewritten: dict[str, tuple[Article | None, ArticleFixes]] = {}
        for path, result in results:
            if result.refused is not None or not result.written:
                reason = _without_path(result.refused or "nothing written", result.path)
                if not undo:
                    reason += " (the fix stays unsaved: drop it with R, reload with ctrl+r, apply it again)"
                refused[path] = reason
                continue
            try:
                fresh: Article | None = self.services.read_article(path, config or Config())
            except Exception:
                fresh = None
            rewritten[path] = (fresh, result)
        return rewritten

    def on_save_done(self, message: SaveDone) -> None:
        undo_entry = UndoEntry()
        for path, (fresh, before) in message.written.items():
            item = self.items.get(path)
            if item is None:
                continue
            if fresh is not None:
                item.record = fresh
            item.edits = {}
            item.stamp = None
            undo_entry.pictures[path] = before
            self._recheck(item)
            self.update_item(item)
        for path, (article, fixes) in message.articles.items():
            if not message.undo:
                undo_entry.articles[path] = fixes
                for item in self.items.values():
                    if any(fix.article == path for fix in item.caption_fixes):
                        item.caption_fixes = [fix for fix in item.caption_fixes if fix.article != path]
                        self.update_item(item)
            self.article_rewritten(path, article)
        if (undo_entry.pictures or undo_entry.articles) and not message.undo:
            self.undo_stack.append(undo_entry)
        for path, reason in message.refused.items():
            self.notify(
                f"{_name(path, self.root)}: {reason}", title="Not written", severity="error", timeout=10
            )
        if message.written or message.articles:
            verb = "Undid the save of" if message.undo else "Saved"
            count = len(message.written) + len(message.articles)
            self.notify(
                f"{verb} {count} file{'s' if count != 1 else ''}"
                + ("" if message.undo else " (ctrl+z undoes)")
            )
        self.refresh_title()

    def article_rewritten(self, path: str, fresh: Article | None) -> None:
        """After a save wrote an article: its captions as read again replace the ones the check
        read (same captions, new text and places), and the rows with captions in it are re-checked."""
        context = self.context
        was = (
            next((article for article in context.articles if article.path == path), None) if context else None
        )
        moved = relinked(context.links, was, fresh) if context and was and fresh else None
        if context is None or was is None or fresh is None or moved is None:
            self.notify(
                f"{_name(path, self.root)} was written but could not be matched with what the desk "
                "shows: ctrl+r checks the folder again.",
                severity="warning",
                timeout=10,
            )
            return
        context.articles = [fresh if article is was else article for article in context.articles]
        context.links = [moved.get(id(link), link) for link in context.links]
        for item in self.items.values():
            if any(id(link) in moved for link in item.links):
                item.links = [moved.get(id(link), link) for link in item.links]
                self._recheck(item)
                self.update_item(item)

    def action_undo_save(self) -> None:
        if not self.undo_stack:
            self.notify("No save to undo.")
            return
        entry = self.undo_stack.pop()
        jobs = [
            (path, values, None, self.items[path].record if path in self.items else None)
            for path, values in entry.pictures.items()
        ]
        config = self.context.config if self.context is not None else self.config
        self.write_files(jobs, undo=True, undo_articles=list(entry.articles.values()), config=config)

    # ------------------------------------------------------------------ other views
    def action_duplicates(self) -> None:
        self.app.push_screen(DuplicatesScreen(duplicate_clusters(list(self.items.values()), self.root)))

    def action_toggle_preview(self) -> None:
        self.detail.toggle_class("-no-preview")

    def action_reload(self) -> None:
        if self.dirty_items():
            self.notify("Save or revert the edits before reloading.", severity="warning")
            return
        self.start_load()


def _short(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(part) for part in value)
    return str(value)


def _without_path(message: str, path: Path) -> str:
    """A core message without the file's path in front (the desk names files relative to its root)."""
    for spelled in (str(path), os.path.realpath(path)):
        if message.startswith(f"{spelled}: "):
            return message[len(spelled) + 2 :]
    return message


def _name(path: str, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def _dedent(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


class MediaDeskApp(App[None]):
    """The desk. Build it with :func:`create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "mediameta desk"
    COMMANDS = App.COMMANDS | {DeskCommands}
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP_ACTIONS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual declares it so)

    def __init__(
        self,
        paths: Sequence[Path],
        root: Path,
        config: Config | None,
        services: Services,
        reviews: ReviewStore,
        preview: PreviewMode,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.desk = DeskScreen(paths, root, config, services, reviews, preview)
        self.notice = notice

    def on_mount(self) -> None:
        self.push_screen(self.desk)
        if self.notice:
            self.notify(self.notice, severity="warning", timeout=8)

    def action_help(self) -> None:
        self.push_screen(TextScreen("Keys", help_text()))

    async def action_quit(self) -> None:
        dirty = self.desk.dirty_items()
        if not dirty:
            self.exit()
            return

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.exit()

        count = len(dirty)
        self.push_screen(
            ConfirmScreen(
                f"Quit without saving {count} edited picture{'s' if count != 1 else ''}?",
                Text("\n".join(item.display for item in dirty[:20])),
                yes="Quit",
                no="Stay",
            ),
            done,
        )


def review_root(paths: Sequence[Path]) -> Path:
    """The folder the desk is about: the one folder given, or the common parent of the paths."""
    if not paths:
        return Path.cwd()
    resolved = [Path(os.path.abspath(path)) for path in paths]
    folders = [path if path.is_dir() else path.parent for path in resolved]
    return Path(os.path.commonpath([str(folder) for folder in folders]))


def create_app(
    paths: Sequence[Path],
    config: Config | None = None,
    catalog: ReviewStore | None = None,
    *,
    preview: PreviewMode = "auto",
    services: Services | None = None,
) -> MediaDeskApp:
    """The one factory for the desk (the CLI and the tests both use it).

    ``paths`` are the folders/files to review (empty = the current folder); ``config`` defaults to
    the one found upward from them (loaded by the loading worker; a bad one shows as a load error); ``catalog`` holds review state (default: the review root's).
    ``preview="auto"`` picks textual-image's best protocol and must be chosen before the app runs.
    """
    paths = list(paths) or [Path.cwd()]
    root = review_root(paths)
    notice: str | None = None
    if catalog is None:
        catalog, notice = open_reviews(root)
    prepare_process_pools()
    if services is None:
        services = Services.default(cache=None if isinstance(catalog, MemoryReviews) else catalog)
    return MediaDeskApp(paths, root, config, services, catalog, preview, notice)
