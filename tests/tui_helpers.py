"""Shared helpers for the desk's tests: a small generated newsroom and a stand-in check run.

The newsroom is real files (JPEGs with metadata written by pyexiv2, articles as text) so the
functional tests exercise the real engine, writer and catalog.
"""

from __future__ import annotations

import asyncio
import functools
import io
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyexiv2
from PIL import Image
from rich.console import Console
from textual.widgets import Static

from mediameta.captions.parse import parse_caption
from mediameta.checks.context import CaptionLink, CheckContext, Unreadable
from mediameta.config import Config
from mediameta.models import Article, CaptionOccurrence, Finding, Fix, MediaRecord, Position, Report, Summary
from mediameta.tui.services import Services


def make_jpeg(path: Path, color: tuple[int, int, int], meta: dict[str, Any]) -> Path:
    """A small JPEG with IPTC/XMP/EXIF set from ``meta`` (block-qualified exiv2 keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (64, 48), color)
    # Blocky noise seeded by the colour: every picture differs, so the perceptual hash tells them apart.
    rng = random.Random(sum(color) * 7919 + color[0])
    for bx in range(0, 64, 8):
        for by in range(0, 48, 8):
            shade = tuple(min(255, max(0, channel + rng.randint(-90, 90))) for channel in color)
            image.paste(shade, (bx, by, bx + 8, by + 8))
    image.save(path, "JPEG", quality=85)
    with pyexiv2.Image(str(path)) as handle:
        iptc = {key: value for key, value in meta.items() if key.startswith("Iptc.")}
        xmp = {key: value for key, value in meta.items() if key.startswith("Xmp.")}
        exif = {key: value for key, value in meta.items() if key.startswith("Exif.")}
        if exif:
            handle.modify_exif(exif)
        if iptc:
            handle.modify_iptc(iptc)
        if xmp:
            handle.modify_xmp(xmp)
    return path


def wire_meta(caption: str, byline: str, credit: str, city: str, country: str, date: str) -> dict[str, Any]:
    return {
        "Iptc.Envelope.CharacterSet": "\x1b%G",
        "Iptc.Application2.Caption": caption,
        "Iptc.Application2.Byline": [byline],
        "Iptc.Application2.Credit": credit,
        "Iptc.Application2.City": city,
        "Iptc.Application2.CountryName": country,
        "Iptc.Application2.DateCreated": date,
        "Xmp.dc.description": {'lang="x-default"': caption},
        "Xmp.dc.creator": [byline],
        "Xmp.photoshop.Credit": credit,
        "Xmp.photoshop.City": city,
        "Xmp.photoshop.Country": country,
        "Xmp.photoshop.DateCreated": date,
        "Exif.Image.ImageDescription": caption,
        "Exif.Image.Artist": byline,
    }


ARTICLE = """Flood waters recede in the north

Residents returned on Tuesday to homes damaged by the floods.

Volunteers clear mud from a street in Valencia, Spain, November 2, 2024. (photo credit: REUTERS/EVA MANEZ)

A man walks past a closed shop in Paris, France, October 5, 2024. (credit: AFP/JOEL SAGET)

A caption for a picture nobody filed (credit: REUTERS/NOBODY HERE)

Volunteers clear mud from a street in Valencia, Spain, November 2, 2024. (credit: REUTERS/EVA MANEZ)
"""


def make_newsroom(base: Path) -> Path:
    """``base/newsroom``: three pictures (one with a credit that disagrees), an article, a broken file."""
    root = base / "newsroom"
    make_jpeg(
        root / "images" / "valencia.jpg",
        (40, 90, 160),
        wire_meta(
            "Volunteers clear mud from a street in Valencia, Spain, November 2, 2024.",
            "Eva Manez",
            "REUTERS",
            "Valencia",
            "Spain",
            "2024-11-02",
        ),
    )
    make_jpeg(
        root / "images" / "paris.jpg",
        (160, 60, 41),
        wire_meta(
            "A man walks past a closed shop in Paris, France, October 5, 2024.",
            "Someone Else",
            "AP",
            "Paris",
            "France",
            "2024-10-05",
        ),
    )
    make_jpeg(root / "images" / "blank.jpg", (90, 160, 60), {})
    (root / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a picture")
    articles = root / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (articles / "floods.txt").write_text(ARTICLE, encoding="utf-8")
    return root


@dataclass
class FakeRun:
    context: CheckContext
    report: Report = field(default_factory=Report)


# ---------------------------------------------------------------------- a stand-in check run
#
# The desk's behaviour (list, filter, edit, review, save) is tested against a fixed, hand-written
# check result, so a change in a rule's wording does not move the desk's snapshots. The test in
# test_tui_engine.py runs the real engine end to end.


def standin_records(root: Path) -> list[MediaRecord]:
    valencia = "Volunteers clear mud from a street in Valencia, Spain, November 2, 2024."
    paris = "A man walks past a closed shop in Paris, France, October 5, 2024."
    return [
        MediaRecord(
            path=str(root / "images" / "valencia.jpg"),
            format="JPEG",
            description=valencia,
            creators=["Eva Manez"],
            credit_line="REUTERS",
            city="Valencia",
            country="Spain",
            date_created="2024-11-02",
            blocks={
                "iptc": {"description": valencia, "credit_line": "REUTERS", "creators": ["Eva Manez"]},
                "xmp": {"description": valencia, "credit_line": "REUTERS", "creators": ["Eva Manez"]},
                "exif": {"description": valencia, "creators": ["Eva Manez"]},
            },
        ),
        MediaRecord(
            path=str(root / "images" / "paris.jpg"),
            format="JPEG",
            description=paris,
            creators=["Someone Else"],
            credit_line="AP",
            city="Paris",
            country="France",
            date_created="2024-10-05",
            blocks={
                "iptc": {"description": paris, "credit_line": "AP", "creators": ["Someone Else"]},
                "xmp": {"description": paris, "credit_line": "AP", "creators": ["Someone Else"]},
            },
        ),
        MediaRecord(path=str(root / "images" / "blank.jpg"), format="JPEG"),
    ]


def standin_findings(ctx: CheckContext) -> list[Finding]:
    """A tiny rule set with the shape of the real one: credit missing / disagreeing (with a fix),
    caption with no picture, the same caption twice (MM5xx with related positions)."""
    findings: list[Finding] = []
    for record in ctx.records:
        if not record.credit_line:
            findings.append(
                Finding(
                    code="MM201",
                    name="credit-missing",
                    severity="error",
                    message="the picture has no credit line",
                    path=record.path,
                    field="credit_line",
                )
            )
        for link in ctx.links_for(record):
            credit = link.occurrence.caption.credit
            if (
                credit
                and credit.agencies
                and record.credit_line
                and credit.agencies[0].upper() not in record.credit_line.upper()
            ):
                findings.append(
                    Finding(
                        code="MM204",
                        name="credit-disagrees",
                        severity="warning",
                        message=f"the article credits {credit.agencies[0]}, the file {record.credit_line}",
                        path=record.path,
                        field="credit_line",
                        fix=Fix(
                            description=f"set the credit line to {credit.agencies[0].upper()}",
                            changes={"credit_line": credit.agencies[0].upper()},
                        ),
                    )
                )
    seen: dict[str, CaptionOccurrence] = {}
    for link in ctx.links:
        occurrence = link.occurrence
        if link.record is None:
            findings.append(
                Finding(
                    code="MM601",
                    name="caption-without-image",
                    severity="warning",
                    message="no picture for this caption",
                    path=occurrence.path,
                    line=occurrence.line,
                    column=occurrence.column,
                )
            )
        body = (occurrence.caption.body or occurrence.text)[:30].casefold()
        if body in seen:
            first = seen[body]
            findings.append(
                Finding(
                    code="MM501",
                    name="caption-repeated",
                    severity="warning",
                    message=f"the same caption as line {first.line}",
                    path=occurrence.path,
                    line=occurrence.line,
                    column=occurrence.column,
                    related=[Position(path=first.path, line=first.line, column=first.column)],
                )
            )
        seen.setdefault(body, occurrence)
    return findings


def standin_context(root: Path, records: list[MediaRecord] | None = None) -> CheckContext:
    records = records if records is not None else standin_records(root)
    article = root / "articles" / "floods.txt"
    by_name = {Path(record.path).name: record for record in records}
    links: list[CaptionLink] = []
    captions: list[CaptionOccurrence] = []
    for number, line in enumerate(ARTICLE.splitlines(), start=1):
        if "credit:" not in line:
            continue
        occurrence = CaptionOccurrence(
            path=str(article), line=number, column=1, text=line, caption=parse_caption(line)
        )
        captions.append(occurrence)
        target = "valencia.jpg" if "Valencia" in line else "paris.jpg" if "Paris" in line else None
        record = by_name.get(target) if target else None
        links.append(
            CaptionLink(occurrence, record, "embedded-match" if record else None, 0.9 if record else None)
        )
    articles = [Article(path=str(article), format="text", captions=captions)]
    return CheckContext(
        config=Config(),
        articles=articles,
        records=records,
        links=links,
        unreadable=[Unreadable(str(root / "images" / "broken.jpg"), "not a JPEG: no SOI marker")],
    )


def standin_run(root: Path) -> Any:
    def run(paths: Any, config: Config, progress: Any, on_record: Any, cancelled: Any) -> FakeRun:
        records = standin_records(root)
        for done, record in enumerate(records, start=1):
            on_record(record)
            progress("read", done, len(records))
        ctx = standin_context(root, records)
        findings = standin_findings(ctx)
        summary = Summary(
            files=6,
            articles=1,
            images=4,
            captions=len(ctx.links),
            unreadable=1,
            errors=sum(finding.severity == "error" for finding in findings),
            warnings=sum(finding.severity == "warning" for finding in findings),
        )
        return FakeRun(ctx, Report(summary=summary, findings=findings))

    return run


def standin_services(root: Path) -> Services:
    """The stand-in run and rules, with the real writer (saves really write the JPEGs)."""
    from mediameta.media.write import FileStamp, plan_write, write_metadata

    def recheck(ctx: CheckContext) -> list[Finding]:
        return standin_findings(ctx)

    return Services(
        run=standin_run(root),
        recheck=recheck,
        plan=lambda path, changes: plan_write(path, dict(changes)),
        write=lambda path, changes, expected: write_metadata(path, dict(changes), expected=expected),
        stamp=FileStamp.of,
        read=None,
    )


def desk_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on a fresh event loop (no async plugin in the test stack)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def static_text(widget: Static) -> str:
    """The plain text a Static shows (Text, Table or Group content), wide enough not to wrap."""
    console = Console(width=300, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text()
