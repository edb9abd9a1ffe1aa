"""The desk's child-process check gives exactly what the in-process engine gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import make_newsroom

from mediameta.checks.engine import run_check
from mediameta.config import Config
from mediameta.models import MediaRecord
from mediameta.tui.isolated import Cancelled, ChildFailed, run_isolated


def test_child_run_matches_the_engine_run(tmp_path: Path) -> None:
    root = make_newsroom(tmp_path)
    expected = run_check([root], Config())
    stages: list[str] = []
    streamed: list[MediaRecord] = []
    got = run_isolated(
        [root], Config(), None, root, lambda stage, done, total: stages.append(stage), streamed.append
    )
    assert got.report.model_dump() == expected.report.model_dump()
    assert [record.path for record in got.context.records] == [
        record.path for record in expected.context.records
    ]
    assert streamed == got.context.records
    assert [(link.occurrence, link.record.path if link.record else None) for link in got.context.links] == [
        (link.occurrence, link.record.path if link.record else None) for link in expected.context.links
    ]
    # A linked caption points at the very record object the desk holds.
    linked = [link for link in got.context.links if link.record is not None]
    assert linked and all(any(link.record is record for record in streamed) for link in linked)
    assert got.context.articles == expected.context.articles
    assert stages


def test_a_failing_check_is_reported_and_cancelling_stops_the_child(tmp_path: Path) -> None:
    bad = Config(rules={"MM201": {"bogus": 1}})  # valid to build, refused when the rules are made
    with pytest.raises(ChildFailed, match=r"ConfigError: .*bogus"):
        run_isolated([tmp_path], bad, None, tmp_path, lambda *a: None, lambda r: None)
    with pytest.raises(Cancelled):
        run_isolated([tmp_path], Config(), None, tmp_path, lambda *a: None, lambda r: None, lambda: True)
