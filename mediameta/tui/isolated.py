"""Run the check engine in a child process and stream its callbacks back.

The desk's loading worker is a thread, and the engine does a lot of Python (and C that keeps the
GIL: hashing, fuzzy matching, SQLite) while a folder loads; in the desk's own process that competes
with the UI thread for the interpreter and stalls keypresses. In a child process it competes for
nothing: the worker thread only waits on a pipe and unpickles small batches.

Nothing here imports Textual: it is core plumbing the desk uses.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import multiprocessing.util  # its exit handler first, so ours (registered later) runs before it
import os
import queue
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediameta.checks.context import CaptionLink, CheckContext
from mediameta.config import Config
from mediameta.models import Article, Finding, Link, MediaRecord, Report

BATCH = 250  # records per message from the child
INTERVAL = 0.05  # seconds: the child sends what it has at least this often
CHILD_NICENESS = 5  # the desk's UI process wins the cores when they are busy


_LIVE: set[Any] = set()  # check processes still running, stopped at exit


def _stop(child: Any) -> None:
    """Stop the check process and everything it started (the engine's process pools and their
    forkserver would otherwise be orphaned and keep hashing): the child leads its own process group."""
    if not child.is_alive():
        return
    killpg = getattr(os, "killpg", None)
    if killpg is not None and child.pid is not None:
        with contextlib.suppress(OSError):
            killpg(child.pid, signal.SIGTERM)
            return
    child.terminate()


def _stop_live_children() -> None:
    """At exit (the editor quit while a folder loads) stop the check at once; multiprocessing's
    own exit handler would otherwise wait for it. Registered after that handler, so it runs first."""
    for child in list(_LIVE):
        _stop(child)


atexit.register(_stop_live_children)


class Cancelled(Exception):
    """The caller asked to stop (a reload replaced this load)."""


class ChildFailed(RuntimeError):
    """The engine raised in the child process (the message names the exception)."""


def _child(
    paths: list[str], config: Config, catalog_path: str | None, root: str, results: Any
) -> None:  # pragma: no cover - runs in the child process (covered by the desk's engine tests)
    # The terminal belongs to the desk: nothing the child prints may land on it. And the desk's
    # UI comes first when the cores are busy (the engine's own pools inherit the niceness).
    setpgrp = getattr(os, "setpgrp", None)
    if setpgrp is not None:
        setpgrp()  # a group of its own, so the desk can stop it with everything it starts
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICENESS)
    try:
        from mediameta.checks.engine import run_check

        cache = None
        if catalog_path is not None:
            from mediameta.catalog import Catalog

            try:
                cache = Catalog.open(Path(catalog_path), root=Path(root))
            except Exception:
                cache = None
        batch: list[MediaRecord] = []
        sent = [time.monotonic()]

        def flush() -> None:
            if batch:
                results.put(("records", batch.copy()))
                batch.clear()
            sent[0] = time.monotonic()

        def on_record(record: MediaRecord) -> None:
            batch.append(record)
            if len(batch) >= BATCH or time.monotonic() - sent[0] >= INTERVAL:
                flush()

        def progress(stage: str, done: int, total: int | None) -> None:
            flush()
            results.put(("progress", stage, done, total))

        run = run_check(
            [Path(path) for path in paths], config, cache=cache, progress=progress, on_record=on_record
        )
        flush()
        _send_result(run, results)
        if cache is not None:
            cache.close()
    except BaseException as exc:
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _send_result(run: Any, results: Any) -> None:  # pragma: no cover - runs in the child process
    """The CheckRun in pieces: each message is unpickled on its own by the desk's loading thread,
    which releases the interpreter between pieces (one big pickle would hold it for a long while).
    Records are not sent again: the desk has every one from ``on_record``."""
    ctx = run.context
    report = run.report
    for chunk in _chunks(ctx.articles, 100):
        results.put(("articles", chunk))
    links = [
        (
            link.occurrence,
            link.record.path if link.record is not None else None,
            link.method,
            link.score,
            link.image_ref,
            link.candidates,
        )
        for link in ctx.links
    ]
    for chunk in _chunks(links, 500):
        results.put(("links", chunk))
    for chunk in _chunks(report.findings, 2000):
        results.put(("findings", chunk))
    for chunk in _chunks(report.links, 2000):
        results.put(("report_links", chunk))
    shell = report.model_copy(update={"findings": [], "links": []})
    results.put(("done", ctx.config, ctx.unreadable, ctx.image_hashes, ctx.today, shell, len(ctx.records)))


@dataclass
class IsolatedRun:
    """The child's CheckRun, put back together in the desk's process."""

    context: CheckContext
    report: Report


def run_isolated(
    paths: Sequence[Path],
    config: Config,
    catalog_path: Path | None,
    root: Path,
    progress: Callable[[str, int, int | None], None],
    on_record: Callable[[MediaRecord], None],
    cancelled: Callable[[], bool] | None = None,
) -> Any:
    """``run_check`` in a child process; the callbacks run here, in the calling thread.

    ``cancelled()`` is polled while waiting; when it says so the child is terminated and
    ``Cancelled`` raised. Returns the ``CheckRun``; raises ``ChildFailed`` when the engine raised,
    or the child died.
    """
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(
        target=_child,
        args=(
            [str(path) for path in paths],
            config,
            str(catalog_path) if catalog_path else None,
            str(root),
            results,
        ),
        daemon=False,  # the engine starts its own process pools; daemonic processes may not
    )
    child.start()
    _LIVE.add(child)
    records: list[MediaRecord] = []
    articles: list[Article] = []
    links: list[tuple[Any, ...]] = []
    findings: list[Finding] = []
    report_links: list[Link] = []
    try:
        while True:
            try:
                message = results.get(timeout=0.1)
            except queue.Empty:
                if cancelled is not None and cancelled():
                    raise Cancelled from None
                if not child.is_alive():
                    raise ChildFailed(f"the check process exited with code {child.exitcode}") from None
                continue
            kind = message[0]
            if kind == "records":
                for record in message[1]:
                    records.append(record)
                    on_record(record)
            elif kind == "progress":
                progress(message[1], message[2], message[3])
            elif kind == "articles":
                articles.extend(message[1])
            elif kind == "links":
                links.extend(message[1])
            elif kind == "findings":
                findings.extend(message[1])
            elif kind == "report_links":
                report_links.extend(message[1])
            elif kind == "done":
                return _assemble(message, records, articles, links, findings, report_links)
            else:
                raise ChildFailed(message[1])
    except BaseException:
        _stop(child)  # cancelled or failed: nobody wants the rest, stop now rather than wait
        raise
    finally:
        if child.is_alive():
            child.join(timeout=2)
        if child.is_alive():
            _stop(child)
            child.join(timeout=2)
        _LIVE.discard(child)
        results.close()


def _assemble(
    done: tuple[Any, ...],
    records: list[MediaRecord],
    articles: list[Article],
    links: list[tuple[Any, ...]],
    findings: list[Finding],
    report_links: list[Link],
) -> IsolatedRun:
    _, config, unreadable, image_hashes, today, shell, record_count = done
    if record_count != len(records):
        raise ChildFailed(f"the check process sent {len(records)} of {record_count} pictures")
    by_path = {record.path: record for record in records}
    caption_links = [
        CaptionLink(
            occurrence=occurrence,
            record=by_path.get(path) if path is not None else None,
            method=method,
            score=score,
            image_ref=image_ref,
            candidates=candidates,
        )
        for occurrence, path, method, score, image_ref, candidates in links
    ]
    context = CheckContext(
        config=config,
        articles=articles,
        records=records,
        links=caption_links,
        unreadable=unreadable,
        image_hashes=image_hashes,
        today=today,
    )
    report = shell.model_copy(update={"findings": findings, "links": report_links})
    return IsolatedRun(context=context, report=report)
