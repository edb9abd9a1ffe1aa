"""Small image files with exactly the metadata a reader test needs, built in memory.

Pixels come from Pillow (tiny, so tests stay fast); metadata segments are assembled by hand so a
test controls every byte (charset markers, digests, damaged lengths), or written by Pillow's own
EXIF encoder.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Iterable

from PIL import Image

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
UTF8_MARK = b"\x1b%G"


def pixels(size: tuple[int, int] = (16, 12)) -> Image.Image:
    return Image.new("RGB", size, (90, 120, 150))


def exif_bytes(
    ifd0: dict[int, object] | None = None,
    exif_ifd: dict[int, object] | None = None,
    gps: dict[int, object] | None = None,
) -> bytes:
    """TIFF-structured EXIF (without the ``Exif\\0\\0`` prefix), written by Pillow."""
    exif = Image.Exif()
    for tag, value in (ifd0 or {}).items():
        exif[tag] = value
    if exif_ifd:
        sub = exif.get_ifd(0x8769)
        sub.update(exif_ifd)
    if gps:
        sub = exif.get_ifd(0x8825)
        sub.update(gps)
    raw = exif.tobytes()
    return raw[6:] if raw.startswith(b"Exif\x00\x00") else raw


def dataset(record: int, number: int, value: bytes | str) -> bytes:
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return struct.pack(">BBBH", 0x1C, record, number, len(raw)) + raw


def iim(fields: Iterable[tuple[int, bytes | str]], utf8: bool = True) -> bytes:
    """Record-2 datasets, preceded by 1:90 = ESC % G when ``utf8``."""
    head = dataset(1, 90, UTF8_MARK) if utf8 else b""
    return head + b"".join(dataset(2, number, value) for number, value in fields)


def resources(items: dict[int, bytes]) -> bytes:
    """A Photoshop image-resource stream (8BIM blocks, empty names, even padding)."""
    out = b""
    for resource_id, payload in items.items():
        out += b"8BIM" + struct.pack(">H", resource_id) + b"\x00\x00" + struct.pack(">I", len(payload))
        out += payload + (b"\x00" if len(payload) & 1 else b"")
    return out


def iptc_resources(iim_bytes: bytes, digest: bytes | bool | None = True) -> bytes:
    """IIM as resource 0x0404 plus the 0x0425 digest: True = correct, bytes = given, None = absent."""
    items = {0x0404: iim_bytes}
    if digest is True:
        items[0x0425] = hashlib.md5(iim_bytes).digest()
    elif isinstance(digest, bytes):
        items[0x0425] = digest
    return resources(items)


def segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body


def xmp_packet(body: str, wrapper: bool = True) -> bytes:
    """An XMP packet around ``body``: attributes (``name="value"``) then ``<child>`` elements."""
    split = body.find("<")
    attrs, children = (body, "") if split < 0 else (body[:split], body[split:])
    text = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
        'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        f'xmlns:xmpNote="http://ns.adobe.com/xmp/note/" {attrs}>'
        f"{children}</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    if wrapper:
        text = (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            + text
            + " " * 200
            + '<?xpacket end="w"?>'
        )
    return text.encode("utf-8")


def alt(tag: str, *items: tuple[str, str]) -> str:
    lis = "".join(f'<rdf:li xml:lang="{lang}">{text}</rdf:li>' for lang, text in items)
    return f"<{tag}><rdf:Alt>{lis}</rdf:Alt></{tag}>"


def seq(tag: str, *items: str, kind: str = "Seq") -> str:
    lis = "".join(f"<rdf:li>{text}</rdf:li>" for text in items)
    return f"<{tag}><rdf:{kind}>{lis}</rdf:{kind}></{tag}>"


def jpeg(
    exif: bytes | None = None,
    iptc: bytes | None = None,
    xmp: bytes | Iterable[bytes] | None = None,
    extra: Iterable[bytes] = (),
    size: tuple[int, int] = (16, 12),
) -> bytes:
    """A JPEG: SOI, then APP1 Exif, APP1 XMP packet(s), APP13 Photoshop, ``extra`` segments, image."""
    buffer = io.BytesIO()
    pixels(size).save(buffer, "JPEG", quality=50)
    image = buffer.getvalue()
    head = b""
    if exif is not None:
        head += segment(0xE1, b"Exif\x00\x00" + exif)
    packets = [xmp] if isinstance(xmp, bytes) else list(xmp or [])
    for packet in packets:
        head += segment(0xE1, XMP_HEADER + packet)
    if iptc is not None:
        head += segment(0xED, b"Photoshop 3.0\x00" + iptc)
    head += b"".join(extra)
    return image[:2] + head + image[2:]


def extended_xmp_segments(guid: bytes, payload: bytes, chunk: int = 100) -> list[bytes]:
    """APP1 extended-XMP segments carrying ``payload`` in ``chunk``-byte pieces (out of order)."""
    pieces = []
    for offset in range(0, len(payload), chunk):
        body = (
            XMP_EXT_HEADER
            + guid
            + struct.pack(">II", len(payload), offset)
            + payload[offset : offset + chunk]
        )
        pieces.append(segment(0xE1, body))
    return list(reversed(pieces))


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(chunks: Iterable[bytes] = (), size: tuple[int, int] = (16, 12)) -> bytes:
    """A PNG with ``chunks`` inserted right after IHDR."""
    buffer = io.BytesIO()
    pixels(size).save(buffer, "PNG")
    data = buffer.getvalue()
    ihdr_end = 8 + 8 + 13 + 4
    return data[:ihdr_end] + b"".join(chunks) + data[ihdr_end:]


def itxt(keyword: str, text: bytes, compressed: bool = False) -> bytes:
    body = keyword.encode("latin-1") + b"\x00" + (b"\x01\x00" if compressed else b"\x00\x00") + b"\x00\x00"
    return png_chunk(b"iTXt", body + (zlib.compress(text) if compressed else text))


def webp(exif: bytes | None = None, xmp: bytes | None = None, size: tuple[int, int] = (16, 12)) -> bytes:
    buffer = io.BytesIO()
    kwargs: dict[str, bytes] = {}
    if exif is not None:
        kwargs["exif"] = b"Exif\x00\x00" + exif
    if xmp is not None:
        kwargs["xmp"] = xmp
    pixels(size).save(buffer, "WEBP", **kwargs)
    return buffer.getvalue()


def tiff(
    ifd0: dict[int, object] | None = None, xmp: bytes | None = None, iim_bytes: bytes | None = None
) -> bytes:
    """A TIFF with text tags, and XMP (700) / IPTC-NAA (33723) when given, written by Pillow."""
    from PIL import TiffImagePlugin

    info = TiffImagePlugin.ImageFileDirectory_v2()
    for tag, value in (ifd0 or {}).items():
        info[tag] = value
    if xmp is not None:
        info[700] = xmp
        info.tagtype[700] = 1
    if iim_bytes is not None:
        info[33723] = iim_bytes
        info.tagtype[33723] = 7
    buffer = io.BytesIO()
    pixels().save(buffer, "TIFF", tiffinfo=info)
    return buffer.getvalue()


def gif_with_xmp(xmp: bytes, size: tuple[int, int] = (16, 12)) -> bytes:
    buffer = io.BytesIO()
    pixels(size).convert("P").save(buffer, "GIF")
    data = buffer.getvalue()
    magic = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
    extension = b"\x21\xff\x0bXMP DataXMP" + xmp + magic
    return data[:-1] + extension + data[-1:]


# ------------------------------------------------------------------ camera RAW in other containers

CANON_CR3_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def box(kind: bytes, payload: bytes) -> bytes:
    """An ISO base media box."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def cr3(
    ifd0: dict[int, object],
    exif_ifd: dict[int, object] | None = None,
    gps: dict[int, object] | None = None,
    xmp: bytes | None = None,
) -> bytes:
    """A Canon CR3 skeleton: ftyp, moov with Canon's uuid box (CMT1 = IFD0, CMT2 = EXIF IFD, CMT4 =
    GPS IFD, each a TIFF structure of its own), the XMP uuid box, and a stand-in mdat."""
    canon = box(b"CNCV", b"CanonCR3_001/00.10.00/00.00.00") + box(b"CMT1", exif_bytes(ifd0))
    if exif_ifd is not None:
        canon += box(b"CMT2", exif_bytes(exif_ifd))
    if gps is not None:
        canon += box(b"CMT4", exif_bytes(gps))
    data = box(b"ftyp", b"crx \x00\x00\x00\x01crx isom")
    data += box(b"moov", box(b"uuid", CANON_CR3_UUID + canon))
    if xmp is not None:
        data += box(b"uuid", XMP_UUID + xmp)
    return data + box(b"mdat", bytes(64))


def raf(preview: bytes) -> bytes:
    """A Fujifilm RAF skeleton: the 160-byte header pointing at the embedded JPEG ``preview``."""
    header = bytearray(160)
    header[:16] = b"FUJIFILMCCD-RAW "
    header[16:28] = b"0201FF383501"
    header[28:60] = b"X-T3".ljust(32, b"\x00")
    header[60:64] = b"0100"
    struct.pack_into(">II", header, 84, len(header), len(preview))
    return bytes(header) + preview + bytes(32)


def mrw(tiff_block: bytes) -> bytes:
    """A Minolta MRW skeleton: PRD block, then the TTW block holding a TIFF structure."""
    body = b"\x00PRD" + struct.pack(">I", 24) + bytes(24)
    body += b"\x00TTW" + struct.pack(">I", len(tiff_block)) + tiff_block
    return b"\x00MRM" + struct.pack(">I", len(body)) + body + bytes(64)


def rw2(borders: tuple[int, int, int, int], make: str = "Panasonic") -> bytes:
    """A Panasonic RW2 skeleton: little-endian TIFF with the RW2 magic number (0x55), IFD0 holding
    the sensor borders (tags 4-7: top, left, bottom, right) and Make."""
    text = make.encode() + b"\x00"
    entries = [
        struct.pack("<HHI", tag, 3, 1) + struct.pack("<HH", value, 0)
        for tag, value in zip((4, 5, 6, 7), borders, strict=True)
    ]
    text_at = 8 + 2 + 12 * (len(entries) + 1) + 4
    entries.append(struct.pack("<HHII", 0x010F, 2, len(text), text_at))
    ifd = struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", 0)
    return b"IIU\x00" + struct.pack("<I", 8) + ifd + text
