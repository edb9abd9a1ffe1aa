"""Build the demo newsroom's pictures: realistic JPEGs with EXIF, IPTC and XMP written into them.

Run ``python samples/make_samples.py`` (or ``make samples``) to regenerate ``samples/images/``.
Each picture is drawn deterministically (a seeded street scene), then its metadata is written with
pyexiv2 exactly as the spec below says -- including the planted problems listed in
``samples/README.md``, which is why this script writes blocks directly instead of going through
mediameta's own writer (the writer keeps blocks in step; the samples must not).
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyexiv2
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
SIZE = (960, 640)


@dataclass
class Picture:
    """One sample picture: how to draw it and what each metadata block says."""

    name: str
    seed: int
    exif: dict[str, str] = field(default_factory=dict)
    iptc: dict[str, str | list[str]] = field(default_factory=dict)
    xmp: dict[str, str | list[str]] = field(default_factory=dict)
    same_pixels_as: str | None = None  # draw exactly the picture of another entry
    truncate_to: int | None = None  # keep only the first N bytes (a damaged file)


def wire(
    *,
    caption: str,
    byline: str,
    credit: str,
    source: str,
    date: str,
    city: str,
    country: str,
    country_code: str,
    state: str | None = None,
    sublocation: str | None = None,
    headline: str | None = None,
    time: str = "10:30:00",
    offset: str = "+00:00",
    make: str = "Canon",
    model: str = "Canon EOS R3",
    keywords: tuple[str, ...] = (),
) -> dict[str, dict[str, str | list[str]]]:
    """The three blocks of a well-kept wire photo, in step as the MWG guidelines ask."""
    exif: dict[str, str | list[str]] = {
        "Exif.Image.Make": make,
        "Exif.Image.Model": model,
        "Exif.Image.ImageDescription": caption,
        "Exif.Image.Artist": byline,
        "Exif.Image.Copyright": f"{source} {date[:4]}",
        "Exif.Photo.DateTimeOriginal": f"{date.replace('-', ':')} {time}",
        "Exif.Photo.OffsetTimeOriginal": offset,
    }
    iptc: dict[str, str | list[str]] = {
        "Iptc.Envelope.CharacterSet": "\x1b%G",
        "Iptc.Application2.Caption": caption,
        "Iptc.Application2.Byline": [byline],
        "Iptc.Application2.Credit": credit,
        "Iptc.Application2.Source": source,
        "Iptc.Application2.Copyright": f"{source} {date[:4]}",
        "Iptc.Application2.DateCreated": date,
        "Iptc.Application2.TimeCreated": time + offset,
        "Iptc.Application2.City": city,
        "Iptc.Application2.CountryName": country,
        "Iptc.Application2.CountryCode": country_code,
    }
    xmp: dict[str, str | list[str]] = {
        "Xmp.dc.description": caption,
        "Xmp.dc.creator": [byline],
        "Xmp.dc.rights": f"{source} {date[:4]}",
        "Xmp.photoshop.Credit": credit,
        "Xmp.photoshop.Source": source,
        "Xmp.photoshop.DateCreated": f"{date}T{time}{offset}",
        "Xmp.photoshop.City": city,
        "Xmp.photoshop.Country": country,
        "Xmp.Iptc4xmpCore.CountryCode": country_code,
    }
    if state:
        iptc["Iptc.Application2.ProvinceState"] = state
        xmp["Xmp.photoshop.State"] = state
    if sublocation:
        iptc["Iptc.Application2.SubLocation"] = sublocation
        xmp["Xmp.Iptc4xmpCore.Location"] = sublocation
    if headline:
        iptc["Iptc.Application2.Headline"] = headline
        xmp["Xmp.photoshop.Headline"] = headline
    if keywords:
        iptc["Iptc.Application2.Keywords"] = list(keywords)
        xmp["Xmp.dc.subject"] = list(keywords)
    return {"exif": exif, "iptc": iptc, "xmp": xmp}


def picture(name: str, seed: int, blocks: dict[str, dict[str, str | list[str]]], **kw: object) -> Picture:
    exif = {k: v for k, v in blocks["exif"].items() if isinstance(v, str)}
    return Picture(name, seed, exif=exif, iptc=dict(blocks["iptc"]), xmp=dict(blocks["xmp"]), **kw)  # type: ignore[arg-type]


TRUMP_CAPTION = (
    "US President Donald Trump makes an announcement about an investment from Taiwan Semiconductor "
    "Manufacturing Company (TSMC), in the Roosevelt Room at the White House in Washington, DC, US, "
    "March 3, 2025. REUTERS/Leah Millis"
)
SUDZHA_CAPTION = (
    "A Ukrainian serviceman patrols an area in the controlled by Ukrainian army town of Sudzha, "
    "Kursk region, Russia, August 16, 2024. REUTERS/Yan Dobronosov"
)


def pictures() -> list[Picture]:
    """The sample newsroom's pictures. Planted problems are marked PLANTED (see samples/README.md)."""
    out: list[Picture] = []

    # --- seed article (jpost-trump-putin.txt): linked by matching the embedded caption
    out.append(
        picture(
            "trump-tsmc.jpg",
            11,
            wire(
                caption=TRUMP_CAPTION,
                byline="Leah Millis",
                credit="REUTERS",
                source="Reuters",
                date="2025-03-03",
                city="Washington",
                state="DC",
                country="United States",
                country_code="US",
                sublocation="Roosevelt Room, White House",
                headline="Trump announces TSMC investment",
            ),
        )
    )
    out.append(
        picture(
            "sudzha-patrol.jpg",
            12,
            wire(
                caption=SUDZHA_CAPTION,
                byline="Yan Dobronosov",
                credit="REUTERS",
                source="Reuters",
                date="2024-08-16",
                city="Sudzha",
                state="Kursk region",
                country="Russia",
                country_code="RU",
                make="Nikon",
                model="NIKON Z 9",
            ),
        )
    )

    # --- flood-relief.md (Markdown, article date 2026-11-20)
    out.append(
        picture(
            "valencia-volunteers.jpg",
            21,
            wire(
                caption="Volunteers clear mud from a street in Paiporta, near Valencia, Spain, November 18, 2026. "
                "REUTERS/Eva Manez",
                byline="Eva Manez",
                credit="REUTERS",
                source="Reuters",
                date="2026-11-18",
                city="Paiporta",
                state="Valencia",
                country="Spain",
                country_code="ES",
            ),
        )
    )
    out.append(
        picture(
            "valencia-aerial.jpg",
            22,
            wire(  # PLANTED: the article gives no credit
                caption="An aerial view shows flooded fields near Valencia, Spain, November 17, 2026.",
                byline="Alberto Saiz",
                credit="AP",
                source="AP",
                date="2026-11-17",
                city="Valencia",
                country="Spain",
                country_code="ES",
                make="DJI",
                model="Mavic 3 Pro",
            ),
        )
    )
    out.append(
        picture(
            "valencia-bridge.jpg",
            23,
            wire(  # PLANTED: file says Nov 12, caption says Nov 18
                caption="Residents cross a damaged bridge in Catarroja, near Valencia, Spain, November 12, 2026. "
                "REUTERS/Susana Vera",
                byline="Susana Vera",
                credit="REUTERS",
                source="Reuters",
                date="2026-11-12",
                city="Catarroja",
                state="Valencia",
                country="Spain",
                country_code="ES",
            ),
        )
    )
    out.append(
        picture(
            "valencia-1957.jpg",
            24,
            wire(  # PLANTED: 1957 picture, no FILE PHOTO marker
                caption="Residents wade through floodwater in Valencia, Spain, October 14, 1957. "
                "Archivo Municipal/Handout via REUTERS",
                byline="Archivo Municipal",
                credit="Handout via REUTERS",
                source="Reuters",
                date="1957-10-14",
                city="Valencia",
                country="Spain",
                country_code="ES",
                make="",
                model="",
            ),
        )
    )
    out.append(
        picture(
            "valencia-rescue.jpg",
            25,
            wire(  # PLANTED: placeholder caption in the article
                caption="Rescue workers carry a resident from a flooded house in Alfafar, Spain, November 16, 2026. "
                "JOSE JORDAN/AFP",
                byline="JOSE JORDAN",
                credit="AFP",
                source="AFP",
                date="2026-11-16",
                city="Alfafar",
                country="Spain",
                country_code="ES",
            ),
        )
    )

    # --- election-night.html (HTML, article date 2026-11-04)
    rally = wire(  # PLANTED: the file's By-line is not the photographer the article credits
        caption="Supporters cheer at an election night rally in Philadelphia, Pennsylvania, U.S., "
        "November 3, 2026. REUTERS/Hannah Beier",
        byline="Hannah Beier",
        credit="REUTERS",
        source="Reuters",
        date="2026-11-03",
        city="Philadelphia",
        state="Pennsylvania",
        country="United States",
        country_code="US",
    )
    out.append(picture("election-rally.jpg", 31, rally))
    out.append(
        picture(
            "election-crowd.jpg",
            32,
            wire(  # PLANTED: same caption as election-rally
                caption="A crowd waits for results outside the Pennsylvania Convention Center in Philadelphia, "
                "Pennsylvania, U.S., November 3, 2026. REUTERS/Rachel Wisniewski",
                byline="Rachel Wisniewski",
                credit="REUTERS",
                source="Reuters",
                date="2026-11-03",
                city="Philadelphia",
                state="Pennsylvania",
                country="United States",
                country_code="US",
            ),
        )
    )
    out.append(
        picture(
            "election-count.jpg",
            33,
            wire(  # PLANTED: the article caption names no place
                caption="Election workers count ballots, November 3, 2026. (AP Photo/Matt Rourke)",
                byline="Matt Rourke",
                credit="AP",
                source="AP",
                date="2026-11-03",
                city="Philadelphia",
                state="Pennsylvania",
                country="United States",
                country_code="US",
            ),
        )
    )

    # --- pictures no article captions
    harbour = wire(  # PLANTED: camera-default description, no article uses it
        caption="OLYMPUS DIGITAL CAMERA",
        byline="Staff",
        credit="Staff",
        source="Staff",
        date="2026-11-19",
        city="Haifa",
        country="Israel",
        country_code="IL",
        make="OLYMPUS",
        model="E-M1MarkIII",
    )
    out.append(picture("harbour-dawn.jpg", 41, harbour))

    market = wire(
        caption="Shoppers buy vegetables at the Mahane Yehuda market in Jerusalem, November 21, 2026. "
        "MARC ISRAEL SELLEM/THE JERUSALEM POST",
        byline="Marc Israel Sellem",
        credit="The Jerusalem Post",
        source="The Jerusalem Post",
        date="2026-11-21",
        city="Jerusalem",
        country="Israel",
        country_code="IL",
    )
    # PLANTED: XMP says something else than IPTC (someone edited one block only)
    market["xmp"]["Xmp.dc.description"] = (
        "Shoppers at a Jerusalem market on the eve of Shabbat, November 21, 2026. "
        "MARC ISRAEL SELLEM/THE JERUSALEM POST"
    )
    out.append(picture("market-jerusalem.jpg", 42, market))

    stadium = wire(  # PLANTED: IIM By-line longer than the 32 bytes the standard allows
        caption="Fans light flares before the derby at Bloomfield Stadium in Tel Aviv, Israel, "
        "November 22, 2026. Maximilian Alexander Bartholomew-Featherstonehaugh/FLASH90",
        byline="Maximilian Alexander Bartholomew-Featherstonehaugh",
        credit="Flash90",
        source="Flash90",
        date="2026-11-22",
        city="Tel Aviv",
        country="Israel",
        country_code="IL",
    )
    out.append(picture("stadium-flares.jpg", 43, stadium))

    cafe = wire(  # PLANTED: mojibake (UTF-8 read as cp1252 once, then saved)
        caption="Customers sit outside a cafÃ© in Montmartre, Paris, France, November 20, 2026. "
        "REUTERS/Benoit Tessier",
        byline="Benoit Tessier",
        credit="REUTERS",
        source="Reuters",
        date="2026-11-20",
        city="Paris",
        country="France",
        country_code="FR",
    )
    cafe["xmp"]["Xmp.dc.description"] = cafe["iptc"]["Iptc.Application2.Caption"]
    out.append(picture("cafe-paris.jpg", 44, cafe))

    # PLANTED: the same picture as sudzha-patrol.jpg, filed again with another caption and credit
    copy = wire(
        caption="A soldier walks through a damaged town in the Kursk region, Russia, August 2024. "
        "Handout via REUTERS",
        byline="",
        credit="Handout via REUTERS",
        source="Reuters",
        date="2024-08-16",
        city="Sudzha",
        state="Kursk region",
        country="Russia",
        country_code="RU",
    )
    out.append(picture("kursk-handout.jpg", 12, copy, same_pixels_as="sudzha-patrol.jpg"))

    # PLANTED: a damaged file (truncated in the middle of its metadata)
    out.append(
        picture(
            "damaged-upload.jpg",
            51,
            wire(
                caption="Truncated upload",
                byline="Unknown",
                credit="Unknown",
                source="Unknown",
                date="2026-11-23",
                city="Tel Aviv",
                country="Israel",
                country_code="IL",
            ),
            truncate_to=900,
        )
    )
    return out


def draw_scene(seed: int) -> Image.Image:
    """A deterministic street scene: sky gradient, skyline, street, people."""
    rng = random.Random(seed)
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    top = (rng.randint(40, 120), rng.randint(90, 160), rng.randint(170, 240))
    bottom = (rng.randint(180, 250), rng.randint(150, 220), rng.randint(120, 200))
    horizon = int(height * rng.uniform(0.45, 0.6))
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    draw.rectangle([0, horizon, width, height], fill=(rng.randint(60, 110),) * 3)
    x = 0
    while x < width:
        building_width = rng.randint(40, 140)
        building_top = horizon - rng.randint(60, 260)
        shade = rng.randint(70, 180)
        draw.rectangle([x, building_top, x + building_width, horizon], fill=(shade, shade - 10, shade - 20))
        for wy in range(building_top + 10, horizon - 10, 24):
            for wx in range(x + 8, x + building_width - 12, 20):
                if rng.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 8, wy + 12], fill=(230, 220, rng.randint(120, 200)))
        x += building_width + rng.randint(0, 12)
    for _ in range(rng.randint(12, 30)):
        px = rng.randint(0, width)
        py = rng.randint(horizon + 20, height - 10)
        scale = 0.5 + (py - horizon) / (height - horizon)
        colour = (rng.randint(20, 230), rng.randint(20, 230), rng.randint(20, 230))
        draw.ellipse([px - 6 * scale, py - 60 * scale, px + 6 * scale, py - 48 * scale], fill=(220, 180, 150))
        draw.rectangle([px - 9 * scale, py - 48 * scale, px + 9 * scale, py], fill=colour)
    return image.filter(ImageFilter.SMOOTH)


def write_blocks(path: Path, spec: Picture) -> None:
    with pyexiv2.Image(str(path)) as image:
        if spec.exif:
            image.modify_exif({k: v for k, v in spec.exif.items() if v})
        if spec.iptc:
            image.modify_iptc({k: v for k, v in spec.iptc.items() if v})
        if spec.xmp:
            image.modify_xmp({k: v for k, v in spec.xmp.items() if v})


def build(dest: Path = IMAGES) -> list[Path]:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    drawn: dict[str, Image.Image] = {}
    written: list[Path] = []
    for spec in pictures():
        scene = drawn[spec.same_pixels_as] if spec.same_pixels_as else draw_scene(spec.seed)
        drawn[spec.name] = scene
        path = dest / spec.name
        scene.save(path, "JPEG", quality=82, optimize=True)
        write_blocks(path, spec)
        if spec.truncate_to is not None:
            path.write_bytes(path.read_bytes()[: spec.truncate_to])
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in build():
        print(written_path.relative_to(HERE.parent))
