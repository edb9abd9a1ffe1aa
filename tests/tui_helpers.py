"""Shared helpers for the desk's tests: a small generated newsroom and a stand-in check run.

The newsroom is real files (JPEGs with metadata written by pyexiv2, articles as text) so the
functional tests exercise the real engine, writer and catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyexiv2
from PIL import Image

from mediameta.checks.context import CheckContext
from mediameta.config import Config
from mediameta.models import Report


def make_jpeg(path: Path, color: tuple[int, int, int], meta: dict[str, Any]) -> Path:
    """A small JPEG with IPTC/XMP/EXIF set from ``meta`` (block-qualified exiv2 keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (64, 48), color)
    for x in range(0, 64, 8):
        for y in range(48):
            image.putpixel((x, y), (255 - color[0], 255 - color[1], 255 - color[2]))
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
        (160, 60, 40),
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
