"""Damaged metadata never raises, never hangs and never trips the reader's last-resort guard.

Seeds are small files built here (JPEG with EXIF + IPTC + XMP, TIFF, PNG, WebP, GIF, PSD, CR3, RAF,
MRW), plus
the corpus's JPEG/TIFF/PNG files when ../shared/corpus is present. Mutations target the
metadata segments: byte flips, truncations, smashed length fields, inserted junk. Every result
must be a valid MediaRecord with no "internal error" (the guard in read.py that turns a reader
bug into an error record would hide real bugs from a test that only checked "did not raise").
"""

from __future__ import annotations

import random
import struct
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from media_read_samples import (
    alt,
    cr3,
    exif_bytes,
    gif_with_xmp,
    iim,
    iptc_resources,
    itxt,
    jpeg,
    mrw,
    png,
    png_chunk,
    raf,
    seq,
    tiff,
    webp,
    xmp_packet,
)

from mediameta.media.read import read_record_bytes
from mediameta.models import MediaRecord

XMP = xmp_packet(
    'photoshop:Credit="REUTERS" photoshop:City="Kyiv"'
    + alt("dc:description", ("x-default", "Caption text"), ("uk", "Підпис"))
    + seq("dc:creator", "Jane Doe")
    + seq("dc:subject", "war", "drone", kind="Bag")
)
IIM = iim([(120, "Caption text"), (80, "Jane Doe"), (110, "REUTERS"), (55, "20241101"), (60, "102030+0200")])
EXIF = exif_bytes(
    {0x010E: "Caption text", 0x010F: "Canon", 0x0110: "EOS", 0x013B: "Jane Doe"},
    {0x9003: "2024:11:01 10:20:30", 0x9011: "+02:00"},
    {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)},
)


def _psd() -> bytes:
    res = iptc_resources(IIM)
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 4, 4, 8, 3)
    return header + struct.pack(">I", 0) + struct.pack(">I", len(res)) + res + struct.pack(">I", 0)


def _exiv2_jpeg() -> bytes:
    """A JPEG whose three blocks exiv2 wrote (the library the writer uses), not this test."""
    import io

    import pyexiv2
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12)).save(buffer, "JPEG")
    image = pyexiv2.ImageData(buffer.getvalue())
    try:
        image.modify_exif({"Exif.Image.ImageDescription": "Caption text", "Exif.Image.Make": "Canon"})
        image.modify_iptc(
            {
                "Iptc.Envelope.CharacterSet": "\x1b%G",
                "Iptc.Application2.Caption": "Caption text",
                "Iptc.Application2.Byline": ["Jane Doe"],
                "Iptc.Application2.Credit": "REUTERS",
            }
        )
        image.modify_xmp({"Xmp.dc.description": "Caption text", "Xmp.photoshop.Credit": "REUTERS"})
        return bytes(image.get_bytes())
    finally:
        image.close()


SEEDS: dict[str, bytes] = {
    "exiv2-jpeg": _exiv2_jpeg(),
    "jpeg": jpeg(exif=EXIF, iptc=iptc_resources(IIM), xmp=XMP),
    "tiff": tiff({0x010E: "Caption text", 0x010F: "Canon"}, xmp=XMP, iim_bytes=IIM),
    "png": png([itxt("XML:com.adobe.xmp", XMP), png_chunk(b"eXIf", EXIF), png_chunk(b"tEXt", b"Title\x00T")]),
    "webp": webp(exif=EXIF, xmp=XMP),
    "gif": gif_with_xmp(XMP),
    "psd": _psd(),
    "cr3": cr3({0x010F: "Canon", 0x0110: "EOS R5"}, {0x9003: "2024:11:01 10:20:30"}, None, XMP),
    "raf": raf(jpeg(exif=EXIF, xmp=XMP)),
    "mrw": mrw(EXIF),
}
PER_FILE_BUDGET_S = 1.0


def _check(data: bytes, label: str) -> MediaRecord:
    started = time.perf_counter()
    record = read_record_bytes(data, label)
    elapsed = time.perf_counter() - started
    assert elapsed < PER_FILE_BUDGET_S, f"{label}: {elapsed:.2f}s"
    internal = [e.message for e in record.errors if e.message.startswith("internal error")]
    assert not internal, f"{label}: {internal}"
    assert MediaRecord.model_validate(record.model_dump(mode="json")) == record
    return record


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One damage of the kind real files show, aimed at the first 4 KB where metadata lives."""
    region = min(len(data), 4096)
    kind = rng.randrange(5)
    out = bytearray(data)
    if kind == 0:  # byte flips
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(region)] = rng.randrange(256)
    elif kind == 1:  # truncation
        return bytes(out[: rng.randrange(len(out))])
    elif kind == 2:  # a length/offset field set to an extreme
        at = rng.randrange(max(1, region - 4))
        out[at : at + 4] = rng.choice(
            [b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\x7f\xff\xff\xff", b"\x00\x00\xff\xff"]
        )
    elif kind == 3:  # inserted junk
        at = rng.randrange(region)
        out[at:at] = rng.randbytes(rng.randint(1, 64))
    else:  # a deleted run
        at = rng.randrange(region)
        del out[at : at + rng.randint(1, 64)]
    return bytes(out)


def test_seeds_read_cleanly() -> None:
    for name, data in SEEDS.items():
        record = _check(data, name)
        assert record.errors == [], (name, record.errors)
        assert record.credit_line == "REUTERS" or record.description == "Caption text" or record.title == "T"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seeded_mutations_never_raise(name: str) -> None:
    rng = random.Random(f"mediameta-fuzz-{name}")
    seed = SEEDS[name]
    for index in range(300):
        _check(_mutate(seed, rng), f"{name}#{index}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SEEDS)),
    flips=st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 255)), max_size=12),
    cut=st.one_of(st.none(), st.integers(0, 8192)),
)
def test_hypothesis_flips_and_truncations(name: str, flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(SEEDS[name])
    for position, value in flips:
        if position < len(data):
            data[position] = value
    if cut is not None:
        del data[cut:]
    _check(bytes(data), name)


@given(st.binary(max_size=2048))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_after_a_format_signature(tail: bytes) -> None:
    for head in (
        b"\xff\xd8\xff",
        b"II*\x00",
        b"MM\x00*",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\x00\x00\x00\x00WEBP",
        b"GIF89a",
        b"8BPS",
    ):
        _check(head + tail, "head")


@pytest.mark.corpus
def test_corpus_files_survive_mutation(corpus_dir: Path) -> None:
    files = sorted(
        p
        for p in (corpus_dir / "images").rglob("*")
        if p.is_file() and p.suffix.lower() in {".jpg", ".jpeg", ".tif", ".tiff", ".png"}
    )
    rng = random.Random("mediameta-corpus-fuzz")
    for path in files:
        data = path.read_bytes()
        for index in range(8):
            _check(_mutate(data, rng), f"{path.name}#{index}")
