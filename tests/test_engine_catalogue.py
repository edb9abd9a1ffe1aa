"""The newsroom's own agencies (config ``agencies``) reach every caption the check reads: articles
(in-process and in worker processes), caption sidecars and manifests, the article cache, and the
desk's live re-parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from mediameta.catalog import Catalog
from mediameta.checks.engine import run_check
from mediameta.config import Config, catalogue_for
from mediameta.tui.model import parse_edit

# "Kestrel Pictures" is in no shipped catalogue: without the config, "Kestrel Pictures/Jane Doe" is
# no credit at all (MM201 missing-credit); with it, the credit names the agency.
KESTREL = {"name": "Kestrel Pictures", "aliases": ["KPX"], "kind": "photo agency"}
CAPTION = "Rescuers search the rubble of a collapsed building in Izmir, Turkey. Kestrel Pictures/Jane Doe"
WITH_KESTREL = Config(select=["MM201"], agencies=[KESTREL])
WITHOUT = Config(select=["MM201"])


def _newsroom(root: Path, articles: int = 1) -> Path:
    images = root / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (8, 8), "white").save(images / "IMG_7.jpg")
    Image.new("RGB", (8, 8), "gray").save(images / "IMG_8.jpg")
    (images / "IMG_7.txt").write_text(CAPTION + "\n", encoding="utf-8")
    (images / "captions.csv").write_text(f'file,caption\nIMG_8.jpg,"{CAPTION}"\n', encoding="utf-8")
    stories = root / "stories"
    stories.mkdir()
    for index in range(articles):
        (stories / f"story-{index:02}.md").write_text(
            f"# Story {index}\n\nThe rescue went on through the night.\n\n"
            f"![Rubble](../images/IMG_7.jpg)\n*{CAPTION}*\n",
            encoding="utf-8",
        )
    return root


def _agencies(run_articles: list) -> set[tuple[str, ...]]:  # type: ignore[type-arg]
    return {
        tuple(occurrence.caption.credit.agencies) if occurrence.caption.credit else ()
        for article in run_articles
        for occurrence in article.captions
        if occurrence.text == CAPTION  # not the image's alt text
    }


def test_articles_sidecars_and_manifests_use_the_configs_agencies(tmp_path: Path) -> None:
    root = _newsroom(tmp_path / "newsroom")
    run = run_check([root], WITH_KESTREL, jobs=1)
    kinds = {article.path.rsplit(".", 1)[-1] for article in run.context.articles}
    assert kinds == {"md", "txt", "csv"}
    assert _agencies(run.context.articles) == {("Kestrel Pictures",)}
    assert [f for f in run.report.findings if f.code == "MM201"] == []
    # and without the config's entry the same captions have no credit
    plain = run_check([root], WITHOUT, jobs=1)
    assert _agencies(plain.context.articles) == {()}
    assert len([f for f in plain.report.findings if f.code == "MM201"]) == 3


def test_articles_read_in_worker_processes_use_the_configs_agencies(tmp_path: Path) -> None:
    root = _newsroom(tmp_path / "newsroom", articles=40)  # enough to be read in a process pool
    run = run_check([root], WITH_KESTREL, jobs=2)
    assert len(run.context.articles) == 42
    assert _agencies(run.context.articles) == {("Kestrel Pictures",)}


@pytest.mark.parametrize("first, second", [(WITHOUT, WITH_KESTREL), (WITH_KESTREL, WITHOUT)])
def test_a_change_of_agencies_in_config_invalidates_cached_article_parses(
    tmp_path: Path, first: Config, second: Config
) -> None:
    root = _newsroom(tmp_path / "newsroom")
    with Catalog.open(tmp_path / "cache" / "catalog.sqlite") as cache:
        run_check([root], first, jobs=1, cache=cache)
        warm = run_check([root], second, jobs=1, cache=cache)
    expected = {("Kestrel Pictures",)} if second.agencies else {()}
    assert _agencies(warm.context.articles) == expected


def test_the_desks_live_parse_uses_the_configs_agencies() -> None:
    caption = parse_edit("Rescuers search the rubble in Izmir.", "KPX/Jane Doe", catalogue_for(WITH_KESTREL))
    assert caption.credit is not None and caption.credit.agencies == ["Kestrel Pictures"]


def test_the_desks_detail_pane_parses_embedded_credits_with_the_configs_agencies() -> None:
    from mediameta.models import MediaRecord
    from mediameta.tui.model import loading_item
    from mediameta.tui.widgets.detail import parsed_text

    record = MediaRecord(
        path="IMG_9.jpg", description="Rescuers search the rubble.", credit_line="KPX/Jane Doe"
    )
    item = loading_item(record, None)
    assert "Kestrel Pictures" in parsed_text(item, catalogue_for(WITH_KESTREL)).plain
    assert "Kestrel Pictures" not in parsed_text(item).plain


def test_a_changed_parser_drops_cached_article_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached parses follow the parser's code and data (mediameta/captions/**), not only the
    reader's: an upgrade that reads credits better must not keep serving the old parses."""
    import mediameta.captions.extract as extract
    from mediameta.checks import engine

    root = _newsroom(tmp_path / "newsroom")
    reads: list[object] = []
    original = extract.read_article

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        reads.append(path)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    def check() -> None:
        with Catalog.open(tmp_path / "cache" / "catalog.sqlite") as cache:
            run_check([root], WITHOUT, jobs=1, cache=cache)

    check()
    monkeypatch.setattr(extract, "read_article", counting)
    check()
    assert reads == []  # warm: nothing parsed again
    monkeypatch.setattr(engine, "parser_version", lambda: "a-newer-parser")
    check()
    assert reads  # the new parser read the articles again


def test_the_parser_fingerprint_follows_code_and_data(tmp_path: Path) -> None:
    from mediameta.checks.engine import folder_fingerprint, parser_version

    assert len(parser_version()) == 24
    (tmp_path / "credit.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "agencies.toml").write_text('[[agency]]\nname = "AP"\n', encoding="utf-8")
    before = folder_fingerprint(tmp_path)
    (tmp_path / "agencies.toml").write_text('[[agency]]\nname = "AFP"\n', encoding="utf-8")
    changed = folder_fingerprint(tmp_path)
    assert changed != before
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "credit.cpython-311.pyc").write_bytes(b"junk")
    assert folder_fingerprint(tmp_path) == changed  # compiled caches do not count
