"""The seed article (JPost house style) through the credit and date rules, as a photo desk would run it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mediameta.captions.extract import read_article
from mediameta.checks.context import CheckContext
from mediameta.config import catalogue_for, enabled_rules, validate_config
from mediameta.link import link_captions
from mediameta.models import Finding


def check_seed(seed_article: Path, settings: dict[str, object]) -> list[Finding]:
    config = validate_config({"select": ["MM2", "MM3"], **settings})
    article = read_article(seed_article, catalogue=catalogue_for(config))
    ctx = CheckContext(
        config=config,
        articles=[article],
        links=link_captions([article], [], config),
        today=dt.date(2025, 6, 30),
    )
    return [finding for rule in enabled_rules(config) for finding in rule.check(ctx)]


def by_code(findings: list[Finding]) -> dict[str, list[int | None]]:
    grouped: dict[str, list[int | None]] = {}
    for finding in findings:
        grouped.setdefault(finding.code, []).append(finding.line)
    return {code: sorted(lines, key=lambda line: line or 0) for code, lines in grouped.items()}


def test_seed_house_style_and_file_photo(seed_article: Path) -> None:
    findings = check_seed(
        seed_article,
        {"house-credit-style": "(photo credit: {AGENCY}/{PHOTOGRAPHER})", "article-date": "2025-03-14"},
    )
    codes = by_code(findings)
    house = [f for f in findings if f.code == "MM206"]
    # Only the "(credit: ...)" captions are off the house form; "(photo credit: .../FILE PHOTO)" is in it.
    assert house and all("(photo credit: REUTERS/YAN DOBRONOSOV)" in f.message for f in house)
    # August 2024 picture in a March 2025 article, not marked: MM305 with a house-form fix.
    old = [f for f in findings if f.code == "MM305"]
    assert old and {f.line for f in old} == {f.line for f in house}
    assert all(
        f.fix is not None and "REUTERS/YAN DOBRONOSOV/FILE PHOTO" in str(f.fix.changes["caption"])
        for f in old
    )
    # March 3 picture marked FILE PHOTO 11 days later: a wire file photo, fine.
    assert "MM306" not in codes
    assert "MM201" not in codes and "MM203" not in codes and "MM304" not in codes


def test_seed_without_article_date_keeps_file_photo_rules_silent(seed_article: Path) -> None:
    codes = by_code(check_seed(seed_article, {}))
    assert "MM305" not in codes and "MM306" not in codes
    assert "MM206" not in codes  # no house style configured


def test_seed_file_photo_marker_on_yesterdays_picture(seed_article: Path) -> None:
    findings = check_seed(seed_article, {"article-date": "2025-03-04"})
    needless = [f for f in findings if f.code == "MM306"]
    assert needless and all("taken 1 day before" in f.message for f in needless)
