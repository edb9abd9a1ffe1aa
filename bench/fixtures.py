"""Realistic wire-photo JPEGs for benchmarks: several megapixels, EXIF + IPTC + XMP of wire size.

``make_wire_jpegs(dest, count)`` writes ``count`` JPEGs that look, to a metadata reader, like what
arrives from Reuters, AP, AFP, Getty and EPA: an EXIF block with camera, dates, GPS and a
thumbnail (~10-20 KB), an IPTC IIM block in a Photoshop APP13 segment (By-line, Credit, Source,
a ~300-character Caption-Abstract, City, Country, Date Created, Keywords...) and an XMP packet of
5-10 KB. Captions and credits follow the agencies' real house forms
(``REUTERS/Jane Doe``, ``(AP Photo/Jane Doe)``, ``(Photo by JANE DOE / AFP)``,
``(Photo by Jane Doe/Getty Images)``, ``EPA-EFE/JANE DOE``).

Speed: the picture is encoded once (per process and size); each file is that compressed picture
with freshly built metadata segments spliced in front of it, so 10,000 files take seconds (mostly
disk writes). ``unique_pixels=True`` encodes a different picture per file instead (for perceptual
hash / duplicate benchmarks); that costs one JPEG encode per file.

Deterministic: file ``i`` of seed ``s`` is byte-identical across runs and independent of ``count``.
Benchmarks import it with ``sys.path.insert(0, str(Path(__file__).parent))``;
``from fixtures import make_wire_jpegs``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import io
import random
import struct
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageChops, ImageDraw, ImageFilter

__all__ = ["WirePhoto", "make_wire_jpegs", "wire_photo"]

# --------------------------------------------------------------------------- content tables

FIRST_NAMES = (
    "Leah", "Yan", "Amir", "Maria", "Evelyn", "Kevin", "Sergei", "Fatima", "Jonathan", "Hannah",
    "Carlos", "Aiko", "Olivier", "Nir", "Ammar", "Gleb", "Lucy", "Ronen", "Mohammed", "Ints",
    "Kim", "Elizabeth", "Andrew", "Dado", "Ueslei", "Piroschka", "Thomas", "Alkis", "Yves", "Ilan",
)  # fmt: skip
LAST_NAMES = (
    "Millis", "Dobronosov", "Cohen", "Alvarez", "Hockstein", "Lamarque", "Karpukhin", "Salem",
    "Ernst", "McKay", "Barria", "Kokubo", "Morin", "Elias", "Awad", "Garanich", "Nicholson",
    "Zvulun", "Torokman", "Kalnins", "Kyung-Hoon", "Frantz", "Kelly", "Ruvic", "Marcelino",
    "van de Weyer", "Peter", "Konstantinidis", "Herman", "Rosenberg",
)  # fmt: skip

# city, state, country, ISO code, sublocation, lat, lon
PLACES: tuple[tuple[str, str, str, str, str, float, float], ...] = (
    ("Washington", "DC", "United States", "USA", "White House", 38.8977, -77.0365),
    ("Jerusalem", "", "Israel", "ISR", "Old City", 31.7767, 35.2345),
    ("Kyiv", "", "Ukraine", "UKR", "Maidan Nezalezhnosti", 50.4501, 30.5234),
    ("Sudzha", "Kursk region", "Russia", "RUS", "", 51.1942, 35.2717),
    ("Paris", "Ile-de-France", "France", "FRA", "Place de la Concorde", 48.8656, 2.3212),
    ("São Paulo", "São Paulo", "Brazil", "BRA", "Avenida Paulista", -23.5614, -46.6559),
    ("Tokyo", "", "Japan", "JPN", "Shibuya crossing", 35.6595, 139.7005),
    ("Gaza City", "", "Palestinian Territories", "PSE", "", 31.5017, 34.4668),
    ("Berlin", "Berlin", "Germany", "DEU", "Brandenburg Gate", 52.5163, 13.3777),
    ("London", "England", "United Kingdom", "GBR", "Westminster", 51.4995, -0.1248),
    ("Nairobi", "", "Kenya", "KEN", "Kibera", -1.3133, 36.7878),
    ("New York", "New York", "United States", "USA", "Times Square", 40.758, -73.9855),
    ("Tel Aviv", "", "Israel", "ISR", "Habima Square", 32.0727, 34.7793),
    ("Riga", "", "Latvia", "LVA", "", 56.9496, 24.1052),
    ("Athens", "Attica", "Greece", "GRC", "Syntagma Square", 37.9755, 23.7348),
    ("Mexico City", "", "Mexico", "MEX", "Zocalo", 19.4326, -99.1332),
)

SUBJECTS = (
    "Demonstrators hold placards and chant slogans",
    "Firefighters work to extinguish a blaze at a residential building",
    "Supporters of the ruling party gather ahead of a campaign rally",
    "A man walks past a damaged building following overnight shelling",
    "Rescue workers search through rubble for survivors",
    "Delegates listen to a speech during the opening session of the summit",
    "Commuters crowd a platform during a transport strike",
    "Children play in a flooded street after heavy rains",
    "Police officers stand guard outside the parliament building",
    "Fans celebrate after their team won the championship final",
    "Farmers drive tractors in a convoy during a protest against new regulations",
    "A woman lights a candle at a makeshift memorial for the victims",
    "Soldiers take part in a military parade marking the anniversary of independence",
    "Voters queue outside a polling station as the general election gets under way",
)
CONTEXTS = (
    "The government said it would review the decision after days of mounting pressure from opposition lawmakers.",
    "Officials said at least a dozen people were injured and several others remained unaccounted for.",
    "The talks are expected to continue through the weekend, according to diplomats familiar with the matter.",
    "Authorities declared a state of emergency in the region as forecasters warned of further storms.",
    "Organisers estimated the crowd at more than 20,000, while police put the figure considerably lower.",
    "The ceremony was attended by the president, cabinet ministers and foreign dignitaries.",
    "Negotiators have so far failed to agree on the terms of a ceasefire.",
)
KEYWORDS = (
    "politics", "protest", "election", "conflict", "disaster", "weather", "sport", "diplomacy",
    "economy", "transport", "human interest", "crime", "military", "religion", "health",
)  # fmt: skip
CAMERAS = (
    ("Canon", "Canon EOS R3", "RF24-70mm F2.8 L IS USM"),
    ("Canon", "Canon EOS-1D X Mark III", "EF70-200mm f/2.8L IS III USM"),
    ("NIKON CORPORATION", "NIKON Z 9", "NIKKOR Z 24-70mm f/2.8 S"),
    ("NIKON CORPORATION", "NIKON D6", "AF-S NIKKOR 400mm f/2.8E FL ED VR"),
    ("SONY", "ILCE-1", "FE 24-70mm F2.8 GM II"),
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Agency:
    code: str
    credit: str  # IPTC Credit Line
    source: str
    copyright: str  # "{year}" is filled in
    instructions: str


AGENCIES = (
    Agency("RTR", "REUTERS", "Reuters", "Copyright {year} Thomson Reuters", "EDITORIAL USE ONLY."),
    Agency("AP", "AP", "AP", "Copyright {year} The Associated Press. All rights reserved.", "NO SALES"),
    Agency("AFP", "AFP via Getty Images", "AFP", "AFP or licensors", "RESTRICTED TO EDITORIAL USE"),
    Agency("GETTY", "Getty Images", "Getty Images North America", "{year} Getty Images", ""),
    Agency("EPA", "EPA-EFE", "EPA", "Copyright {year} EPA-EFE. All rights reserved.", "EDITORIAL USE ONLY"),
)


@dataclass(frozen=True)
class WirePhoto:
    """The metadata of one generated file (what a reader should find in it)."""

    name: str
    agency: str
    caption: str
    headline: str
    byline: str
    byline_title: str
    credit: str
    source: str
    copyright: str
    date_created: str  # ISO 8601 with offset
    city: str
    state: str
    country: str
    country_code: str
    sublocation: str
    keywords: tuple[str, ...]
    instructions: str
    job_id: str
    writer: str
    make: str
    model: str
    lens: str
    lat: float
    lon: float
    alt: float
    file_photo: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _credit_suffix(agency: Agency, byline: str, file_photo: bool) -> str:
    """The credit at the end of a caption, in the agency's own house form."""
    if agency.code == "RTR":
        return f"REUTERS/{byline}" + ("/File Photo" if file_photo else "")
    if agency.code == "AP":
        return f"(AP Photo/{byline}, File)" if file_photo else f"(AP Photo/{byline})"
    if agency.code == "AFP":
        return f"(Photo by {byline.upper()} / AFP)"
    if agency.code == "GETTY":
        return f"(Photo by {byline}/Getty Images)"
    return f"EPA-EFE/{byline.upper()}"


def wire_photo(seed: int, index: int) -> WirePhoto:
    """The deterministic metadata of file ``index`` for ``seed``."""
    rng = random.Random(seed * 1_000_003 + index)
    agency = rng.choice(AGENCIES)
    byline = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    city, state, country, code, sublocation, lat, lon = rng.choice(PLACES)
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
    hour, minute, second = rng.randrange(6, 23), rng.randrange(60), rng.randrange(60)
    offset_hours = rng.choice((-5, -3, 0, 1, 2, 3, 9))
    offset = f"{'+' if offset_hours >= 0 else '-'}{abs(offset_hours):02d}:00"
    file_photo = rng.random() < 0.1
    where = ", ".join(part for part in (sublocation, city, state, country) if part)
    written_date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    lead = "FILE PHOTO: " if file_photo and agency.code == "RTR" else ""
    caption = (
        f"{lead}{rng.choice(SUBJECTS)} in {where}, {written_date}. {' '.join(rng.sample(CONTEXTS, 2))} "
        f"{_credit_suffix(agency, byline, file_photo)}"
    )
    make, model, lens = rng.choice(CAMERAS)
    keywords = tuple(sorted(rng.sample(KEYWORDS, rng.randint(3, 6))))
    job_id = f"{agency.code}{day:%Y%m%d}{rng.randrange(16**6):06X}"
    slug = "-".join(keywords[:2]).upper().replace(" ", "-")
    return WirePhoto(
        name=f"{index:05d}_{agency.code}_{day:%Y%m%d}_{slug}.jpg",
        agency=agency.code,
        caption=caption,
        headline=f"{country.upper()}-{slug}",
        byline=byline,
        byline_title="Staff Photographer" if rng.random() < 0.7 else "Stringer",
        credit=agency.credit,
        source=agency.source,
        copyright=agency.copyright.format(year=day.year),
        date_created=f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{offset}",
        city=city,
        state=state,
        country=country,
        country_code=code,
        sublocation=sublocation,
        keywords=keywords,
        instructions=agency.instructions,
        job_id=job_id,
        writer=f"{rng.choice(FIRST_NAMES[:10])[0]}{rng.choice(LAST_NAMES[:10])[:3]}".upper(),
        make=make,
        model=model,
        lens=lens,
        lat=round(lat + rng.uniform(-0.01, 0.01), 6),
        lon=round(lon + rng.uniform(-0.01, 0.01), 6),
        alt=round(rng.uniform(0, 400), 1),
        file_photo=file_photo,
    )


# --------------------------------------------------------------------------- pixels


def _size(megapixels: float) -> tuple[int, int]:
    height = max(16, round((megapixels * 1_000_000 / 1.5) ** 0.5))
    return round(height * 1.5), height


def _scene(seed: int, size: tuple[int, int]) -> Image.Image:
    """A photo-like picture: a street scene drawn small, scaled up, with sensor grain."""
    rng = random.Random(seed)
    small = (480, 320)
    image = Image.new("RGB", small)
    draw = ImageDraw.Draw(image)
    horizon = int(small[1] * rng.uniform(0.45, 0.6))
    top = [rng.randint(40, 120), rng.randint(90, 160), rng.randint(170, 240)]
    bottom = [rng.randint(180, 250), rng.randint(150, 220), rng.randint(120, 200)]
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (small[0], y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    draw.rectangle([0, horizon, small[0], small[1]], fill=(rng.randint(60, 110),) * 3)
    x = 0
    while x < small[0]:
        width = rng.randint(20, 70)
        roof = horizon - rng.randint(30, 130)
        shade = rng.randint(70, 180)
        draw.rectangle([x, roof, x + width, horizon], fill=(shade, shade - 10, shade - 20))
        for wy in range(roof + 5, horizon - 5, 12):
            for wx in range(x + 4, x + width - 6, 10):
                if rng.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 4, wy + 6], fill=(230, 220, rng.randint(120, 200)))
        x += width + rng.randint(0, 6)
    for _ in range(rng.randint(12, 30)):
        px, py = rng.randint(0, small[0]), rng.randint(horizon + 10, small[1] - 5)
        scale = 0.3 + (py - horizon) / (small[1] - horizon)
        colour = (rng.randint(20, 230), rng.randint(20, 230), rng.randint(20, 230))
        draw.ellipse([px - 3 * scale, py - 30 * scale, px + 3 * scale, py - 24 * scale], fill=(220, 180, 150))
        draw.rectangle([px - 5 * scale, py - 24 * scale, px + 5 * scale, py], fill=colour)
    large = image.filter(ImageFilter.SMOOTH).resize(size, Image.Resampling.BICUBIC)
    # Sensor grain from the seeded generator (Image.effect_noise draws from C's rand(): not reproducible).
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    grain = noise.point([128 + (value - 128) * 12 // 128 for value in range(256)]).convert("RGB")
    return ImageChops.add(large, grain, scale=1.0, offset=-128)


def _strip_to_image_data(jpeg: bytes) -> bytes:
    """The JPEG after SOI and any APPn/COM segments: DQT, SOF, DHT, SOS... EOI."""
    position = 2
    while position + 4 <= len(jpeg) and jpeg[position] == 0xFF:
        marker = jpeg[position + 1]
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            break
        position += 2 + struct.unpack(">H", jpeg[position + 2 : position + 4])[0]
    return jpeg[position:]


def _encode(image: Image.Image) -> tuple[bytes, bytes]:
    """(image data without header segments, thumbnail JPEG) for one picture. The thumbnail is a
    whole JPEG, SOI to EOI, without its JFIF segment (as cameras embed it in EXIF)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, subsampling=2)
    thumbnail = image.copy()
    thumbnail.thumbnail((160, 120))
    thumb_buffer = io.BytesIO()
    thumbnail.save(thumb_buffer, "JPEG", quality=95)
    body = _strip_to_image_data(buffer.getvalue())
    return body, b"\xff\xd8" + _strip_to_image_data(thumb_buffer.getvalue())


@functools.lru_cache(maxsize=4)
def _shared_picture(megapixels: float) -> tuple[bytes, bytes, tuple[int, int]]:
    size = _size(megapixels)
    body, thumb = _encode(_scene(0, size))
    return body, thumb, size


# --------------------------------------------------------------------------- EXIF (TIFF) writer

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 10: 8}
_Entry = tuple[int, int, bytes, int]  # tag, type, packed value, count


def _ascii(tag: int, text: str) -> _Entry:
    """An EXIF ASCII value, UTF-8 encoded as exiftool and most agency tools write them."""
    encoded = text.encode() + b"\0"
    return tag, 2, encoded, len(encoded)


def _short(tag: int, *values: int) -> _Entry:
    return tag, 3, struct.pack(f">{len(values)}H", *values), len(values)


def _long(tag: int, *values: int) -> _Entry:
    return tag, 4, struct.pack(f">{len(values)}L", *values), len(values)


def _rational(tag: int, *values: tuple[int, int]) -> _Entry:
    flat = [part for pair in values for part in pair]
    return tag, 5, struct.pack(f">{len(flat)}L", *flat), len(values)


def _undefined(tag: int, data: bytes, type_: int = 7) -> _Entry:
    return tag, type_, data, len(data)


def _ifd_size(entries: list[_Entry]) -> int:
    extra = sum(len(value) + len(value) % 2 for _, _, value, _ in entries if len(value) > 4)
    return 2 + 12 * len(entries) + 4 + extra


def _ifd_bytes(entries: list[_Entry], offset: int, next_ifd: int) -> bytes:
    """One big-endian IFD placed at ``offset``, its out-of-line values right after it."""
    entries = sorted(entries)
    data_offset = offset + 2 + 12 * len(entries) + 4
    table = bytearray(struct.pack(">H", len(entries)))
    data = bytearray()
    for tag, type_, value, count in entries:
        if len(value) <= 4:
            table += struct.pack(">HHL", tag, type_, count) + value.ljust(4, b"\0")
        else:
            table += struct.pack(">HHLL", tag, type_, count, data_offset + len(data))
            data += value + b"\0" * (len(value) % 2)
    table += struct.pack(">L", next_ifd)
    return bytes(table + data)


def _gps_rational(value: float) -> tuple[tuple[int, int], ...]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 10000)
    return (degrees, 1), (minutes, 1), (seconds, 10000)


def _exif_segment(photo: WirePhoto, size: tuple[int, int], thumbnail: bytes, rng: random.Random) -> bytes:
    stamp = photo.date_created[:19].replace("-", ":").replace("T", " ")
    offset = photo.date_created[19:]
    exposure = rng.choice((250, 500, 800, 1000, 1600, 2000))
    f_number = rng.choice((28, 40, 56, 80))
    focal = rng.choice((24, 35, 50, 70, 135, 200, 400))
    photo_ifd = [
        _rational(0x829A, (1, exposure)),
        _rational(0x829D, (f_number, 10)),
        _short(0x8822, 1),
        _short(0x8827, rng.choice((100, 400, 1600, 3200, 6400))),
        _undefined(0x9000, b"0232"),
        _ascii(0x9003, stamp),
        _ascii(0x9004, stamp),
        _ascii(0x9010, offset),
        _ascii(0x9011, offset),
        _ascii(0x9012, offset),
        _rational(0x920A, (focal, 1)),
        _undefined(0x9286, b"ASCII\0\0\0" + f"{photo.job_id} {photo.byline}".encode()),
        _ascii(0x9290, f"{rng.randrange(100):02d}"),
        _ascii(0x9291, f"{rng.randrange(100):02d}"),
        _short(0xA001, 1),
        _long(0xA002, size[0]),
        _long(0xA003, size[1]),
        _ascii(0xA430, photo.byline),
        _ascii(0xA431, f"{rng.randrange(10**9):09d}"),
        _ascii(0xA434, photo.lens),
        # Windows' reserved Padding tag (as Microsoft's photo tools write it): wire-size EXIF.
        _undefined(0xEA1C, b"\x1c\xea" + b"\0" * 2058),
    ]
    gps_ifd = [
        _undefined(0x0000, b"\x02\x03\x00\x00", 1),
        _ascii(0x0001, "N" if photo.lat >= 0 else "S"),
        _rational(0x0002, *_gps_rational(photo.lat)),
        _ascii(0x0003, "E" if photo.lon >= 0 else "W"),
        _rational(0x0004, *_gps_rational(photo.lon)),
        _undefined(0x0005, b"\0", 1),
        _rational(0x0006, (round(photo.alt * 10), 10)),
    ]
    resolution = [_rational(0x011A, (300, 1)), _rational(0x011B, (300, 1)), _short(0x0128, 2)]
    ifd0 = [
        _ascii(0x010E, photo.caption),
        _ascii(0x010F, photo.make),
        _ascii(0x0110, photo.model),
        _short(0x0112, 1),
        *resolution,
        _ascii(0x0131, "Adobe Photoshop Lightroom Classic 13.2 (Macintosh)"),
        _ascii(0x0132, stamp),
        _ascii(0x013B, photo.byline),
        _ascii(0x8298, photo.copyright),
        _undefined(0xEA1C, b"\x1c\xea" + b"\0" * 2058),
        _long(0x8769, 0),
        _long(0x8825, 0),
    ]
    ifd1_template = [_short(0x0103, 6), *resolution, _long(0x0201, 0), _long(0x0202, len(thumbnail))]
    ifd0_at = 8
    photo_at = ifd0_at + _ifd_size(ifd0)
    gps_at = photo_at + _ifd_size(photo_ifd)
    ifd1_at = gps_at + _ifd_size(gps_ifd)
    thumb_at = ifd1_at + _ifd_size(ifd1_template)
    ifd0 = [entry for entry in ifd0 if entry[0] not in (0x8769, 0x8825)]
    ifd0 += [_long(0x8769, photo_at), _long(0x8825, gps_at)]
    ifd1 = [entry for entry in ifd1_template if entry[0] != 0x0201] + [_long(0x0201, thumb_at)]
    tiff = (
        b"MM\0\x2a"
        + struct.pack(">L", ifd0_at)
        + _ifd_bytes(ifd0, ifd0_at, ifd1_at)
        + _ifd_bytes(photo_ifd, photo_at, 0)
        + _ifd_bytes(gps_ifd, gps_at, 0)
        + _ifd_bytes(ifd1, ifd1_at, 0)
        + thumbnail  # IFD1's length (0x0202) covers all of it, SOI to EOI
    )
    return _segment(0xE1, b"Exif\0\0" + tiff)


# --------------------------------------------------------------------------- IPTC IIM (APP13)


def _dataset(record: int, number: int, value: bytes) -> bytes:
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def _iptc_segment(photo: WirePhoto) -> bytes:
    date, time = photo.date_created[:10], photo.date_created[11:]
    text: list[tuple[int, str]] = [
        (5, photo.headline[:64]),
        (10, "5"),
        (15, "POL"),
        *((25, keyword) for keyword in photo.keywords),
        (40, photo.instructions),
        (55, date.replace("-", "")),
        (60, time.replace(":", "")),
        (80, photo.byline[:32]),
        (85, photo.byline_title),
        (90, photo.city),
        (92, photo.sublocation),
        (95, photo.state),
        (100, photo.country_code),
        (101, photo.country),
        (103, photo.job_id),
        (105, photo.headline),
        (110, photo.credit[:32]),
        (115, photo.source[:32]),
        (116, photo.copyright),
        (120, photo.caption),
        (122, photo.writer),
    ]
    iim = (
        _dataset(1, 0, b"\0\x04")
        + _dataset(1, 90, b"\x1b%G")
        + _dataset(2, 0, b"\0\x04")
        + b"".join(_dataset(2, number, value.encode()) for number, value in text if value)
    )
    resources = _resource(0x0404, iim) + _resource(0x0425, hashlib.md5(iim).digest())
    return _segment(0xED, b"Photoshop 3.0\0" + resources)


def _resource(resource_id: int, data: bytes) -> bytes:
    return (
        b"8BIM"
        + struct.pack(">H", resource_id)
        + b"\0\0"
        + struct.pack(">L", len(data))
        + data
        + b"\0" * (len(data) % 2)
    )


# --------------------------------------------------------------------------- XMP


def _xmp_segment(photo: WirePhoto, size: tuple[int, int], rng: random.Random) -> bytes:
    def e(text: str) -> str:
        return escape(text, {'"': "&quot;"})

    document_id = hashlib.sha1(photo.job_id.encode()).hexdigest()
    keywords = "".join(f"<rdf:li>{e(keyword)}</rdf:li>" for keyword in photo.keywords)
    history = "".join(
        f"""
      <rdf:li stEvt:action="{action}" stEvt:instanceID="xmp.iid:{hashlib.sha1(f"{document_id}{step}".encode()).hexdigest()}"
        stEvt:when="{photo.date_created}" stEvt:softwareAgent="Adobe Photoshop Lightroom Classic 13.2 (Macintosh)"
        stEvt:changed="{changed}"/>"""
        for step, (action, changed) in enumerate(
            [("derived", "/metadata"), ("saved", "/metadata")] * rng.randint(3, 6)
        )
    )
    simple = {
        "xmp:CreatorTool": "Adobe Photoshop Lightroom Classic 13.2 (Macintosh)",
        "xmp:CreateDate": photo.date_created,
        "xmp:ModifyDate": photo.date_created,
        "xmp:MetadataDate": photo.date_created,
        "photoshop:Headline": photo.headline,
        "photoshop:Credit": photo.credit,
        "photoshop:Source": photo.source,
        "photoshop:City": photo.city,
        "photoshop:State": photo.state,
        "photoshop:Country": photo.country,
        "photoshop:DateCreated": photo.date_created,
        "photoshop:AuthorsPosition": photo.byline_title,
        "photoshop:CaptionWriter": photo.writer,
        "photoshop:Instructions": photo.instructions,
        "photoshop:TransmissionReference": photo.job_id,
        "photoshop:Urgency": "5",
        "photoshop:Category": "POL",
        "Iptc4xmpCore:Location": photo.sublocation,
        "Iptc4xmpCore:CountryCode": photo.country_code,
        "xmpMM:DocumentID": f"xmp.did:{document_id}",
        "xmpMM:OriginalDocumentID": f"xmp.did:{document_id}",
        "xmpMM:InstanceID": f"xmp.iid:{document_id[::-1]}",
        "tiff:Make": photo.make,
        "tiff:Model": photo.model,
        "tiff:ImageWidth": str(size[0]),
        "tiff:ImageLength": str(size[1]),
        "exif:PixelXDimension": str(size[0]),
        "exif:PixelYDimension": str(size[1]),
        "exif:DateTimeOriginal": photo.date_created,
    }
    attributes = "\n".join(f'   {name}="{e(value)}"' for name, value in simple.items() if value)
    shown = {
        "Iptc4xmpExt:City": photo.city,
        "Iptc4xmpExt:CountryName": photo.country,
        "Iptc4xmpExt:CountryCode": photo.country_code,
        "Iptc4xmpExt:Sublocation": photo.sublocation,
    }
    location_shown = " ".join(f'{name}="{e(value)}"' for name, value in shown.items() if value)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
{attributes}
   xmpRights:Marked="True">
   <dc:format>image/jpeg</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(photo.headline)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(photo.caption)}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>{e(photo.byline)}</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{e(photo.copyright)}</rdf:li></rdf:Alt></dc:rights>
   <dc:subject><rdf:Bag>{keywords}</rdf:Bag></dc:subject>
   <xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">{e(photo.instructions or "Editorial use only")}</rdf:li></rdf:Alt></xmpRights:UsageTerms>
   <Iptc4xmpCore:CreatorContactInfo Iptc4xmpCore:CiEmailWork="photos@{photo.agency.lower()}.example" Iptc4xmpCore:CiUrlWork="https://{photo.agency.lower()}.example"/>
   <Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li {location_shown}/></rdf:Bag></Iptc4xmpExt:LocationShown>
   <xmpMM:History><rdf:Seq>{history}
   </rdf:Seq></xmpMM:History>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
{" " * 99 + chr(10)}{(" " * 99 + chr(10)) * 19}<?xpacket end="w"?>"""
    return _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + packet.encode())


# --------------------------------------------------------------------------- files


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise ValueError(f"segment 0x{marker:02X} too large: {len(payload)} bytes")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def wire_jpeg_bytes(photo: WirePhoto, body: bytes, thumbnail: bytes, size: tuple[int, int]) -> bytes:
    """A complete JPEG: SOI, JFIF, EXIF, XMP, IPTC (APP13), then the compressed picture."""
    rng = random.Random(photo.job_id)
    jfif = _segment(0xE0, b"JFIF\0\x01\x02\x01\x01\x2c\x01\x2c\0\0")
    return (
        b"\xff\xd8"
        + jfif
        + _exif_segment(photo, size, thumbnail, rng)
        + _xmp_segment(photo, size, rng)
        + _iptc_segment(photo)
        + body
    )


def make_wire_jpegs(
    dest: Path, count: int, *, seed: int = 0, megapixels: float = 6.0, unique_pixels: bool = False
) -> list[Path]:
    """Write ``count`` wire-photo JPEGs into ``dest`` (created if needed); return their paths in order."""
    dest.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    body, thumbnail, size = _shared_picture(megapixels)
    for index in range(count):
        photo = wire_photo(seed, index)
        if unique_pixels:
            body, thumbnail = _encode(_scene(seed * 1_000_003 + index + 1, size))
        path = dest / photo.name
        path.write_bytes(wire_jpeg_bytes(photo, body, thumbnail, size))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--megapixels", type=float, default=6.0)
    parser.add_argument("--unique-pixels", action="store_true")
    args = parser.parse_args()
    paths = make_wire_jpegs(
        args.dest, args.count, seed=args.seed, megapixels=args.megapixels, unique_pixels=args.unique_pixels
    )
    total = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} files, {total / 1e6:.1f} MB, into {args.dest}")


if __name__ == "__main__":
    main()
