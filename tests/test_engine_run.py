"""The check engine: discovery, callbacks, cache, crash containment, per-file ignores."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_newsroom import build_newsroom

from mediameta.catalog import Catalog
from mediameta.checks import engine
from mediameta.checks.context import CheckContext
from mediameta.checks.engine import CRASH_CODE, discover, run_check, run_rules
from mediameta.checks.registry import Rule
from mediameta.checks.rules.linking import ImageMissing
from mediameta.config import Config
from mediameta.models import Finding

MINE = Config(select=["MM5", "MM6"])


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return build_newsroom(tmp_path).relative_to(tmp_path)


def test_discovery_sorts_files_by_kind(newsroom: Path) -> None:
    (newsroom / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (newsroom / "notes.json").write_text("{}", encoding="utf-8")
    found = discover([newsroom, newsroom / "notes.json"])
    assert sorted(p.name for p in found.articles) == ["market.md", "night.html", "wire.txt"]
    assert [(p.name, image) for p, image in found.sidecars] == [("IMG_7.txt", "IMG_7.jpg")]
    assert [p.name for p in found.manifests] == ["captions.csv"]
    assert len(found.images) == 12
    # a file named on the command line that is none of these is reported, a stray one in a folder is not
    assert [u.path for u in found.unreadable] == [str(newsroom / "notes.json")]


def test_callbacks_and_progress_fire_while_loading(newsroom: Path) -> None:
    stages: list[str] = []
    articles: list[str] = []
    records: list[str] = []
    run = run_check(
        [newsroom],
        MINE,
        jobs=1,
        progress=lambda stage, done, total: stages.append(stage),
        on_article=lambda article: articles.append(article.path),
        on_record=lambda record: records.append(record.path),
        today=dt.date(2026, 11, 26),
    )
    assert sorted(articles) == sorted(a.path for a in run.context.articles)
    assert sorted(records) == sorted(r.path for r in run.context.records)
    assert list(dict.fromkeys(stages)) == ["discover", "images", "articles", "hashes", "linking", "rules"]
    assert run.context.today == dt.date(2026, 11, 26)
    assert len(run.report.links) == len(run.context.links) == run.report.summary.captions
    assert run.report.summary.unreadable == 1  # the truncated file
    assert run.report.findings == sorted(run.report.findings, key=engine.finding_sort_key)


def test_warm_cache_reads_nothing_again_and_gives_the_same_report(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Catalog.open(root=newsroom) as catalog:
        cold = run_check([newsroom], MINE, jobs=1, cache=catalog)

    def must_not_run(*_args: object) -> None:
        raise AssertionError("read again despite the cache")

    monkeypatch.setattr(engine, "image_hash", must_not_run)
    monkeypatch.setattr("mediameta.captions.extract.read_article", must_not_run)
    from mediameta import link
    from mediameta.captions import parse

    parses: list[str] = []
    real_parse = parse.parse_caption

    def counting(text: str, catalogue: object = None) -> object:
        parses.append(text)
        return real_parse(text, catalogue)  # type: ignore[arg-type]

    link._PARSED.clear()  # a fresh process: only the persistent cache knows the parses
    monkeypatch.setattr(parse, "parse_caption", counting)
    with Catalog.open(root=newsroom) as catalog:
        warm = run_check([newsroom], MINE, jobs=1, cache=catalog)
    assert warm.report == cold.report
    assert warm.context.image_hashes == cold.context.image_hashes
    # embedded descriptions came from the cache; only the sidecar and the manifest row were parsed
    assert len(parses) == 2, parses


def test_a_crashing_rule_becomes_a_finding_and_the_others_still_run(newsroom: Path) -> None:
    class Exploding(Rule):
        """Always crashes."""

        code = "MM699"
        name = "exploding"
        severity = "warning"

        def check(self, ctx: CheckContext) -> Iterator[Finding]:
            raise RuntimeError("boom")

    run = run_check([newsroom], MINE, jobs=1, rules=[Exploding(), ImageMissing()])
    crash = [f for f in run.report.findings if f.code == CRASH_CODE]
    assert len(crash) == 1 and "MM699" in crash[0].message and "boom" in crash[0].message
    assert crash[0].path == str(newsroom)
    assert any(f.code == "MM603" for f in run.report.findings)


def test_run_rules_applies_per_file_ignores(newsroom: Path) -> None:
    run = run_check([newsroom], MINE, jobs=1)
    assert any(f.code == "MM603" for f in run.report.findings)
    run.context.config = Config(select=["MM5", "MM6"], per_file_ignores={"*/market.md": ["MM603"]})
    again = run_rules(run.context, [ImageMissing()])
    assert again == []


def test_a_picture_named_outside_the_checked_paths_is_read_not_missing(newsroom: Path) -> None:
    run = run_check([newsroom / "articles"], MINE, jobs=1)
    missing = [f for f in run.report.findings if f.code == "MM603"]
    assert [f.path for f in missing] == [str(newsroom / "articles" / "market.md")]  # podium.jpg only
    linked = {link.image for link in run.report.links if link.image}
    assert str(Path("newsroom/articles/../images/market.jpg")) not in linked
    assert any(image.endswith("market.jpg") for image in linked)


def test_article_date_override_reaches_the_config(newsroom: Path) -> None:
    run = run_check([newsroom], MINE, jobs=1, article_date="2026-11-25")
    assert run.context.config.article_date == "2026-11-25"


def test_reading_in_worker_processes_gives_the_same_report(newsroom: Path) -> None:
    extra = newsroom / "articles" / "more"
    extra.mkdir()
    for index in range(engine._PARALLEL_ARTICLES + 4):
        (extra / f"brief-{index:02}.txt").write_text(
            f"Brief {index}\n\nHarbour pilots guide ship number {index} into Haifa port, Israel, November 19, 2026. "
            "(credit: REUTERS/AMIR COHEN)\n",
            encoding="utf-8",
        )
    single = run_check([newsroom], MINE, jobs=1)
    parallel = run_check([newsroom], MINE, jobs=2)
    assert parallel.report == single.report
    assert [a.path for a in parallel.context.articles] == [a.path for a in single.context.articles]


def test_a_changed_file_or_another_day_is_checked_again(newsroom: Path) -> None:
    with Catalog.open(root=newsroom) as catalog:
        first = run_check([newsroom], MINE, jobs=1, cache=catalog, today=dt.date(2026, 11, 26))
        again = run_check([newsroom], MINE, jobs=1, cache=catalog, today=dt.date(2026, 11, 26))
        assert again.report == first.report
        assert [link.record.path if link.record else None for link in again.context.links] == [
            link.record.path if link.record else None for link in first.context.links
        ]
        wire = newsroom / "articles" / "wire.txt"
        wire.write_text(
            wire.read_text(encoding="utf-8").replace("Union leaders", "Dock workers"), encoding="utf-8"
        )
        os.utime(wire, ns=(wire.stat().st_atime_ns, wire.stat().st_mtime_ns + 10**9))
        changed = run_check([newsroom], MINE, jobs=1, cache=catalog, today=dt.date(2026, 11, 26))
        assert any("Dock workers" in f.message for f in changed.report.findings if f.code == "MM601")
        assert not any("Union leaders" in f.message for f in changed.report.findings)

        class Counting(ImageMissing):
            calls = 0

            def check(self, ctx: CheckContext) -> Iterator[Finding]:
                Counting.calls += 1
                yield from super().check(ctx)

        run_check([newsroom], MINE, jobs=1, cache=catalog, rules=[Counting()])
        assert Counting.calls == 1  # explicit rules are never answered from the run cache
