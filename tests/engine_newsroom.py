"""A small deterministic newsroom for the engine and reporter tests (built in tmp_path by each test).

Planted, one or more per linking/duplication rule:
MM501 the wire story prints its first caption twice; MM502 two figures of the HTML page share one
caption, and crane-1/crane-2 carry the same embedded caption; MM503 boats-copy.jpg is boats.jpg's
picture under another caption; MM504 the HTML page's caption repeats its first paragraph;
MM601 the wire story's last caption matches no picture; MM602 empty.jpg has no caption at all;
MM603 the Markdown story names podium.jpg, which is not there; MM604 the crane caption matches
crane-1 and crane-2 equally. Also a truncated file, a caption sidecar and a caption manifest.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pyexiv2
from PIL import Image, ImageDraw

WIRE = """Harbour strike enters second week

Fishing boats stay moored in the harbour of Haifa, Israel, November 19, 2026. (photo credit: REUTERS/AMIR COHEN)
Fishing boats stay moored in the harbour of Haifa, Israel, November 19, 2026.
(photo credit: REUTERS/AMIR COHEN)

Dock workers walked out on Monday over pay, and talks with the port authority broke down on Thursday.

A crane stands idle at the container terminal of Haifa port, Israel, November 20, 2026. (credit: REUTERS/AMIR COHEN)

Port officials said the strike could last into December, and shipping lines began diverting vessels.

Union leaders address reporters outside the port gates in Haifa, Israel, November 21, 2026. (credit: REUTERS/AMIR COHEN)
"""

MARKET = """---
title: Market day
date: 2026-11-22
---

# Market day

Shoppers crowded the market on Friday ahead of the weekend.

![Market](../images/market.jpg)
*Shoppers buy vegetables at the Mahane Yehuda market in Jerusalem, November 21, 2026. REUTERS/Ronen Zvulun*

The mayor was due to speak in the evening.

![Podium](../images/podium.jpg)
*The podium stands empty before the mayor's speech in Jerusalem, November 21, 2026. REUTERS/Ronen Zvulun*
"""

NIGHT = """<!DOCTYPE html>
<html><head><title>Election night</title></head>
<body><article>
<h1>Election night</h1>
<p>Supporters of the mayor gathered in the main square of Tel Aviv, Israel, as the first results came in on Tuesday night.</p>
<figure>
  <img src="../images/rally.jpg" alt="A rally">
  <figcaption>Supporters cheer at an election night rally in Tel Aviv, Israel, November 24, 2026. <span class="credit">REUTERS/Nir Elias</span></figcaption>
</figure>
<p>Counting went on until the morning.</p>
<figure>
  <img src="../images/crowd.jpg" alt="A crowd">
  <figcaption>Supporters cheer at an election night rally in Tel Aviv, Israel, November 24, 2026. <span class="credit">REUTERS/Nir Elias</span></figcaption>
</figure>
<figure>
  <img src="../images/square.jpg" alt="The square">
  <figcaption>Supporters of the mayor gathered in the main square of Tel Aviv, Israel, as the first results came in on Tuesday night. <span class="credit">REUTERS/Nir Elias</span></figcaption>
</figure>
</article></body></html>
"""

CRANE = "A crane stands idle at the container terminal of Haifa port, Israel, November 20, 2026. REUTERS/Amir Cohen"
BOATS = "Fishing boats stay moored in the harbour of Haifa, Israel, November 19, 2026. REUTERS/Amir Cohen"
RALLY = (
    "Supporters cheer at an election night rally in Tel Aviv, Israel, November 24, 2026. REUTERS/Nir Elias"
)

# name -> (pixel seed, embedded description or None, creator, credit line)
PICTURES: dict[str, tuple[int, str | None, str, str]] = {
    "boats.jpg": (1, BOATS, "Amir Cohen", "REUTERS"),
    "boats-copy.jpg": (
        1,
        "Trawlers return to port at dusk in Acre, Israel. Handout via REUTERS",
        "",
        "Handout",
    ),
    "crane-1.jpg": (2, CRANE, "Amir Cohen", "REUTERS"),
    "crane-2.jpg": (3, CRANE, "Amir Cohen", "REUTERS"),
    "market.jpg": (
        4,
        "Shoppers buy vegetables at the Mahane Yehuda market in Jerusalem, November 21, 2026. REUTERS/Ronen Zvulun",
        "Ronen Zvulun",
        "REUTERS",
    ),
    "rally.jpg": (5, RALLY, "Nir Elias", "REUTERS"),
    "crowd.jpg": (
        6,
        "A crowd waits for results in Rabin Square, Tel Aviv, Israel. REUTERS/Nir Elias",
        "Nir Elias",
        "REUTERS",
    ),
    "square.jpg": (
        7,
        "The main square of Tel Aviv, Israel, on election night. REUTERS/Nir Elias",
        "Nir Elias",
        "REUTERS",
    ),
    "empty.jpg": (8, None, "", ""),
    "IMG_7.jpg": (9, None, "Amir Cohen", "REUTERS"),
    "IMG_8.jpg": (10, None, "Amir Cohen", "REUTERS"),
}


def picture_bytes(seed: int) -> bytes:
    """A small deterministic JPEG: coloured blocks placed by a seeded generator."""
    rng = random.Random(seed)
    image = Image.new("RGB", (96, 64), tuple(rng.randrange(256) for _ in range(3)))  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(96), rng.randrange(64)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + rng.randrange(8, 40), y + rng.randrange(8, 30)), fill=colour)  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def with_metadata(jpeg: bytes, description: str | None, creator: str, credit: str) -> bytes:
    data = pyexiv2.ImageData(jpeg)
    try:
        xmp: dict[str, str | list[str]] = {}
        iptc: dict[str, str | list[str]] = {}
        if description:
            xmp["Xmp.dc.description"] = description
            iptc["Iptc.Application2.Caption"] = description
        if creator:
            xmp["Xmp.dc.creator"] = [creator]
            iptc["Iptc.Application2.Byline"] = [creator]
        if credit:
            xmp["Xmp.photoshop.Credit"] = credit
            iptc["Iptc.Application2.Credit"] = credit
        if xmp:
            data.modify_xmp(xmp)
        if iptc:
            data.modify_iptc({"Iptc.Envelope.CharacterSet": "\x1b%G", **iptc})
        return bytes(data.get_bytes())
    finally:
        data.close()


def build_newsroom(root: Path) -> Path:
    """Write the newsroom under ``root / "newsroom"`` and return that folder."""
    newsroom = root / "newsroom"
    articles, images = newsroom / "articles", newsroom / "images"
    articles.mkdir(parents=True)
    images.mkdir()
    (articles / "wire.txt").write_text(WIRE, encoding="utf-8")
    (articles / "market.md").write_text(MARKET, encoding="utf-8")
    (articles / "night.html").write_text(NIGHT, encoding="utf-8")
    for name, (seed, description, creator, credit) in PICTURES.items():
        (images / name).write_bytes(with_metadata(picture_bytes(seed), description, creator, credit))
    (images / "broken.jpg").write_bytes((images / "boats.jpg").read_bytes()[:300])
    (images / "IMG_7.txt").write_text(
        "Gulls circle a fishing boat off Haifa, Israel, November 19, 2026.\nREUTERS/Amir Cohen\n",
        encoding="utf-8",
    )
    (images / "captions.csv").write_text(
        'file,caption,credit\nIMG_8.jpg,"A tug guides a tanker into Haifa port, Israel, November 20, 2026.",'
        "REUTERS/Amir Cohen\n",
        encoding="utf-8",
    )
    return newsroom
