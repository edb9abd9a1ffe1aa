"""Small real image files for the writer's tests, built with Pillow and pyexiv2 (no corpus needed)."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pyexiv2
from PIL import Image

WIRE_IPTC: dict[str, Any] = {
    "Iptc.Envelope.CharacterSet": "\x1b%G",
    "Iptc.Application2.RecordVersion": "4",
    "Iptc.Application2.Caption": "Old caption: people walk past a market in Jerusalem.",
    "Iptc.Application2.Byline": ["Old Photographer"],
    "Iptc.Application2.Credit": "OLD AGENCY",
    "Iptc.Application2.Source": "Old Source",
    "Iptc.Application2.City": "Jerusalem",
    "Iptc.Application2.CountryName": "Israel",
    "Iptc.Application2.Keywords": ["market", "city"],
    "Iptc.Application2.Urgency": "5",
    "Iptc.Application2.SuppCategory": ["news"],
}
WIRE_XMP: dict[str, Any] = {
    "Xmp.dc.description": {'lang="x-default"': "Old caption: people walk past a market in Jerusalem."},
    "Xmp.dc.creator": ["Old Photographer"],
    "Xmp.photoshop.Credit": "OLD AGENCY",
    "Xmp.photoshop.City": "Jerusalem",
    "Xmp.dc.title": {'lang="x-default"': "Market", 'lang="de-DE"': "Markt"},
    "Xmp.xmp.Rating": "3",
}
WIRE_EXIF: dict[str, Any] = {
    "Exif.Image.Make": "Canon",
    "Exif.Image.Model": "EOS R5",
    "Exif.Image.ImageDescription": "Old caption",
    "Exif.Photo.DateTimeOriginal": "2024:03:05 10:11:12",
    "Exif.Photo.ExposureTime": "1/250",
}


def noisy_image(width: int = 96, height: int = 64, seed: int = 0) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes(
        "RGB", (width, height), bytes(rng.randrange(256) for _ in range(width * height * 3))
    )


def encode(fmt: str, seed: int = 0) -> bytes:
    buffer = io.BytesIO()
    image = noisy_image(seed=seed)
    if fmt == "TIFF":
        image.save(buffer, "TIFF", compression="tiff_deflate")
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def with_metadata(
    data: bytes,
    *,
    exif: dict[str, Any] | None = None,
    iptc: dict[str, Any] | None = None,
    xmp: dict[str, Any] | None = None,
) -> bytes:
    image = pyexiv2.ImageData(data)
    try:
        if exif:
            image.modify_exif(exif)
        if iptc:
            image.modify_iptc(iptc)
        if xmp:
            image.modify_xmp(xmp)
        return bytes(image.get_bytes())
    finally:
        image.close()


def wire_file(folder: Path, name: str = "wire.jpg", fmt: str = "JPEG", *, iptc: bool = True) -> Path:
    """A picture the way the wires send it: EXIF, IIM (unless iptc=False) and XMP."""
    data = with_metadata(
        encode(fmt),
        exif=WIRE_EXIF,
        iptc=WIRE_IPTC if iptc and fmt in ("JPEG", "TIFF") else None,
        xmp=WIRE_XMP,
    )
    path = folder / name
    path.write_bytes(data)
    return path


def read_blocks(path: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(exif, iptc, xmp) as exiv2 reads them."""
    image = pyexiv2.ImageData(path.read_bytes())
    try:
        return image.read_exif(), image.read_iptc(), image.read_xmp()
    finally:
        image.close()
