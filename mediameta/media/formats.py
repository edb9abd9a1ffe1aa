"""Containers: find the metadata segments of each image format without touching pixel data.

Each walker takes the file's bytes (an ``mmap`` for files on disk, so only the pages holding
headers are ever read) and fills an :class:`Extracted`: the EXIF/TIFF bytes, the XMP packets,
Photoshop image resources or bare IIM, container text (PNG tEXt), and the pixel dimensions from
the header. Damage is recorded per block and ends the walk; nothing here raises.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mediameta.models import Block

_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXT_APP1 = b"http://ns.adobe.com/xmp/extension/\x00"
_PHOTOSHOP_APP13 = b"Photoshop 3.0\x00"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_TEXT = 4 * 1024 * 1024  # decompressed zTXt/iTXt cap: a zip bomb in a PNG chunk stays small
_MAX_SEGMENTS = 100_000

# PNG text keywords exiftool reports as PNG:<keyword>, mapped to fields (block "file").
PNG_TEXT_FIELDS: dict[str, str] = {
    "title": "title",
    "author": "creators",
    "description": "description",
    "copyright": "copyright",
}


@dataclass
class Extracted:
    format: str | None = None
    width: int | None = None
    height: int | None = None
    exif: list[bytes] = field(default_factory=list)  # TIFF-structured blocks
    xmp: list[bytes] = field(default_factory=list)  # complete packets, main first
    xmp_extended: dict[bytes, dict[int, bytes]] = field(default_factory=dict)  # guid -> offset -> chunk
    resources: list[bytes] = field(default_factory=list)  # Photoshop image-resource streams
    iim: list[bytes] = field(default_factory=list)  # bare IIM (TIFF tag 33723, PNG raw profile)
    text: dict[str, str] = field(default_factory=dict)  # container-native text (PNG tEXt...)
    errors: list[tuple[Block, str]] = field(default_factory=list)
    whole_tiff: bool = False  # the file itself is a TIFF structure (TIFF, DNG, NEF, CR2...)
    trailer_iim: bytes | None = (
        None  # IIM in an AFCP/FotoStation trailer: used only when nothing else has IIM
    )
    trailer_name: str = ""
    # TIFF blocks holding a sub-IFD as their first IFD (1: EXIF IFD, 2: GPS IFD), for containers that
    # store them apart from IFD0 (Canon CR3); None: follow IFD0's pointers as usual
    exif_ifds: dict[int, bytes] | None = None
    complete: bool = True  # False: the walker sees the head of a JPEG only (no trailer to look for)

    def error(self, block: Block, message: str) -> None:
        self.errors.append((block, message))


def sniff(head: bytes) -> str | None:
    """The format from the first bytes, or None when we do not know it."""
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == _PNG_SIGNATURE:
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"IIU\x00", b"IIRO", b"IIRS", b"MMOR"):  # + RW2, ORF
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:16] == b"FUJIFILMCCD-RAW ":
        return "RAF"
    if head[:4] == b"\x00MRM":
        return "MRW"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"crx ":
            return "CR3"
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"):
            return "HEIF"
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"<?xpacket", b"<x:xmpmeta", b"<x:xapmeta", b"<rdf:RDF")) or (
        stripped.startswith(b"<?xml") and b"xmpmeta" in head[:2048]
    ):
        return "XMP"
    return None


# ----------------------------------------------------------------------------------------- JPEG


def _jpeg(data: bytes, out: Extracted) -> None:
    pos = 2
    end = len(data)
    photoshop: list[bytes] = []
    junk_reported = False
    for _ in range(_MAX_SEGMENTS):
        if pos + 4 > end:
            out.error("file", "JPEG ends before the image data (truncated)")
            break
        if data[pos] != 0xFF:  # junk between segments: resynchronise on the next marker
            next_marker = data.find(b"\xff", pos)
            if not junk_reported:
                out.error("file", f"JPEG: {'junk' if next_marker > 0 else 'no marker'} at offset {pos}")
                junk_reported = True
            if next_marker < 0:
                break
            pos = next_marker
            continue
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI / SOS: metadata lives before the scan
            break
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if length < 2:
            out.error("file", f"JPEG: segment 0x{marker:02x} has length {length}")
            break
        body_start = pos + 4
        body_end = pos + 2 + length
        if body_end > end:
            out.error("file", f"JPEG: segment 0x{marker:02x} at {pos} runs past the end (truncated)")
            body_end = end
        if marker == 0xE1:
            head = data[body_start : body_start + 40]
            if head.startswith(b"Exif\x00"):
                body = data[body_start + 6 : body_end]
                if out.exif and body[:4] not in (b"II*\x00", b"MM\x00*"):
                    out.exif[-1] += body  # EXIF continued in a further segment (as exiftool joins it)
                else:
                    out.exif.append(body)
            elif head.startswith(_XMP_APP1):
                out.xmp.append(data[body_start + len(_XMP_APP1) : body_end])
            elif head.startswith(_XMP_EXT_APP1):
                _xmp_extension(data[body_start + len(_XMP_EXT_APP1) : body_end], out)
        elif marker == 0xED:
            if data[body_start : body_start + 14] == _PHOTOSHOP_APP13:
                photoshop.append(data[body_start + 14 : body_end])
        elif (
            0xC0 <= marker <= 0xCF
            and marker not in (0xC4, 0xC8, 0xCC)
            and out.width is None
            and body_start + 5 <= end
        ):
            height, width = struct.unpack_from(">HH", data, body_start + 1)
            out.width, out.height = width, height
        pos = body_end
    if photoshop:
        out.resources.append(b"".join(photoshop))
    if out.complete:
        _afcp(data, out)
        _fotostation(data, out)


def jpeg_head_is_enough(head: bytes, tail: bytes) -> bool:
    """True when the JPEG ``head`` holds every segment up to the image data (SOS) and the file's
    last bytes (``tail``) are not an AFCP trailer: then nothing past ``head`` is needed."""
    if tail[:3] == b"AXS" or tail[-4:] == _FOTOSTATION_SIGNATURE:
        return False
    pos, end = 2, len(head)
    for _ in range(_MAX_SEGMENTS):
        if pos + 4 > end or head[pos] != 0xFF:
            return False
        marker = head[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):
            return True
        pos += 2 + struct.unpack_from(">H", head, pos + 2)[0]
    return False


_FOTOSTATION_SIGNATURE = b"\xa1\xb2\xc3\xd4"


def _fotostation(data: bytes, out: Extracted) -> None:
    """FotoWare FotoStation trailer: records read backwards from the end of the file, each with a
    10-byte footer (tag, size including the footer, signature 0xA1B2C3D4); tag 1 holds IIM."""
    end = len(data)
    for _ in range(64):
        if end < 10 or data[end - 4 : end] != _FOTOSTATION_SIGNATURE:
            return
        tag, size = struct.unpack_from(">HI", data, end - 10)
        if size < 10 or size > end:
            out.error("iptc", "FotoStation trailer: bad record size; trailer ignored")
            return
        if tag == 1 and out.trailer_iim is None:
            out.trailer_iim = bytes(data[end - size : end - 10])
            out.trailer_name = "FotoStation trailer"
        end -= size


def _afcp(data: bytes, out: Extracted) -> None:
    """AXS File Concatenation Protocol: a directory at the end of the file that may hold IIM."""
    end = len(data)
    if end < 24 or data[end - 12 : end - 9] != b"AXS" or data[end - 9] not in b"!*":
        return
    bo = ">" if data[end - 9] == ord("!") else "<"
    start = struct.unpack_from(bo + "I", data, end - 8)[0]
    if start + 12 > end or data[start : start + 4] != data[end - 12 : end - 8]:
        out.error("iptc", "AFCP trailer: directory offset is wrong; trailer ignored")
        return
    entries = struct.unpack_from(bo + "H", data, start + 6)[0]
    for index in range(entries):
        at = start + 12 + 12 * index
        if at + 12 > end:
            out.error("iptc", "AFCP trailer: directory is truncated")
            return
        tag, size, offset = struct.unpack_from(bo + "4sII", data, at)
        if tag == b"IPTC":
            if offset + size > end:
                out.error("iptc", "AFCP trailer: IPTC runs past the end of the file")
                return
            out.trailer_iim = bytes(data[offset : offset + size])
            out.trailer_name = "AFCP trailer"
            return


def _xmp_extension(chunk: bytes, out: Extracted) -> None:
    if len(chunk) < 40:
        out.error("xmp", "extended XMP chunk is truncated")
        return
    guid = bytes(chunk[:32])
    offset = struct.unpack_from(">I", chunk, 36)[0]
    out.xmp_extended.setdefault(guid, {})[offset] = bytes(chunk[40:])


# ----------------------------------------------------------------------------------------- PNG


def _inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    text = inflater.decompress(raw, _MAX_TEXT)
    if inflater.unconsumed_tail:
        raise ValueError(f"decompresses to more than {_MAX_TEXT} bytes")
    return text


def _raw_profile(text: bytes) -> bytes:
    """ImageMagick/exiv2 ``Raw profile type X``: ``\\nname\\n   length\\nhex...``."""
    parts = text.split(b"\n", 3)
    if len(parts) < 4:
        raise ValueError("raw profile header is malformed")
    length = int(parts[2].strip())
    payload = bytes.fromhex(parts[3].replace(b"\n", b"").decode("ascii"))
    return payload[:length]


def _png(data: bytes, out: Extracted) -> None:
    pos = 8
    end = len(data)
    for _ in range(_MAX_SEGMENTS):
        if pos + 8 > end:
            out.error("file", "PNG ends before IEND (truncated)")
            return
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = pos + 8
        if body + length > end:
            out.error("file", f"PNG chunk {kind!r} runs past the end (truncated)")
            return
        if kind == b"IHDR" and length >= 8:
            out.width, out.height = struct.unpack_from(">II", data, body)
        elif kind == b"eXIf":
            chunk = data[body : body + length]
            out.exif.append(chunk[6:] if chunk.startswith(b"Exif\x00") else chunk)
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            try:
                _png_text(kind, data[body : body + length], out)
            except (ValueError, zlib.error, UnicodeDecodeError) as exc:
                out.error("file", f"PNG {kind.decode()} chunk: {exc}")
        elif kind == b"IEND":
            return
        pos = body + length + 4  # + CRC


def _png_text(kind: bytes, chunk: bytes, out: Extracted) -> None:
    keyword, sep, rest = chunk.partition(b"\x00")
    if not sep:
        raise ValueError("no keyword separator")
    key = keyword.decode("latin-1")
    if kind == b"tEXt":
        text = rest
    elif kind == b"zTXt":
        text = _inflate(rest[1:])
    else:
        if len(rest) < 2:
            raise ValueError("truncated iTXt header")
        compressed = rest[0]
        _, _, tail = rest[2:].partition(b"\x00")  # language tag
        _, _, text = tail.partition(b"\x00")  # translated keyword
        if compressed:
            text = _inflate(text)
    lowered = key.lower()
    if key == "XML:com.adobe.xmp":
        out.xmp.append(text)
    elif lowered.startswith("raw profile type "):
        profile = lowered[len("raw profile type ") :]
        payload = _raw_profile(text)
        if profile in ("exif", "app1"):
            out.exif.append(payload[6:] if payload.startswith(b"Exif\x00") else payload)
        elif profile == "xmp":
            out.xmp.append(payload)
        elif profile in ("iptc", "8bim"):
            if payload.startswith(_PHOTOSHOP_APP13):
                payload = payload[len(_PHOTOSHOP_APP13) :]
            if payload[:4] == b"8BIM":
                out.resources.append(payload)
            else:
                out.iim.append(payload)
    elif lowered in PNG_TEXT_FIELDS:
        decoded = text.decode("utf-8" if kind == b"iTXt" else "latin-1").strip()
        if decoded:
            out.text.setdefault(lowered, decoded)


# ----------------------------------------------------------------------------------------- WebP


def _webp(data: bytes, out: Extracted) -> None:
    end = min(len(data), 8 + struct.unpack_from("<I", data, 4)[0])
    pos = 12
    for _ in range(_MAX_SEGMENTS):
        if pos + 8 > end:
            break
        kind, size = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        if body + size > end:
            out.error("file", f"WebP chunk {kind!r} runs past the end (truncated)")
            size = end - body
        chunk = data[body : body + size]
        if kind == b"VP8X" and size >= 10:
            out.width = 1 + int.from_bytes(chunk[4:7], "little")
            out.height = 1 + int.from_bytes(chunk[7:10], "little")
        elif kind == b"VP8 " and size >= 10 and out.width is None:
            width, height = struct.unpack_from("<HH", chunk, 6)
            out.width, out.height = width & 0x3FFF, height & 0x3FFF
        elif kind == b"VP8L" and size >= 5 and out.width is None:
            bits = int.from_bytes(chunk[1:5], "little")
            out.width, out.height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        elif kind == b"EXIF":
            out.exif.append(chunk[6:] if chunk.startswith(b"Exif\x00") else chunk)
        elif kind == b"XMP ":
            out.xmp.append(chunk)
        pos = body + size + (size & 1)


# ----------------------------------------------------------------------------------------- GIF

_GIF_XMP_TRAILER = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"


def _gif_skip_subblocks(data: bytes, pos: int) -> int:
    end = len(data)
    while pos < end:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos
    raise ValueError("GIF data sub-blocks run past the end (truncated)")


def _gif(data: bytes, out: Extracted) -> None:
    end = len(data)
    if end < 13:
        out.error("file", "GIF header is truncated")
        return
    out.width, out.height = struct.unpack_from("<HH", data, 6)
    flags = data[10]
    pos = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)
    try:
        for _ in range(_MAX_SEGMENTS):
            if pos >= end:
                raise ValueError("GIF ends without a trailer (truncated)")
            introducer = data[pos]
            if introducer == 0x3B:
                return
            if introducer == 0x21:
                if pos + 2 > end:
                    raise ValueError("GIF extension is truncated")
                label = data[pos + 1]
                if label == 0xFF and data[pos + 2 : pos + 14] == b"\x0bXMP DataXMP":
                    start = pos + 14
                    stop = data.find(_GIF_XMP_TRAILER[:4], start)
                    if stop < 0:
                        raise ValueError("GIF XMP extension has no magic trailer")
                    out.xmp.append(data[start:stop])
                    pos = stop + len(_GIF_XMP_TRAILER)
                    continue
                pos = _gif_skip_subblocks(data, pos + 2)
            elif introducer == 0x2C:
                if pos + 10 > end:
                    raise ValueError("GIF image descriptor is truncated")
                local = data[pos + 9]
                pos += 10 + (3 * (2 << (local & 7)) if local & 0x80 else 0)
                pos = _gif_skip_subblocks(data, pos + 1)  # + LZW minimum code size
            else:
                raise ValueError(f"GIF: unexpected block 0x{introducer:02x} at offset {pos}")
    except ValueError as exc:
        out.error("file", str(exc))


# ----------------------------------------------------------------------------------------- PSD


def _psd(data: bytes, out: Extracted) -> None:
    if len(data) < 30:
        out.error("file", "PSD header is truncated")
        return
    out.height, out.width = struct.unpack_from(">II", data, 14)
    mode_len = struct.unpack_from(">I", data, 26)[0]
    at = 30 + mode_len
    if at + 4 > len(data):
        out.error("file", "PSD: image resources are missing (truncated)")
        return
    size = struct.unpack_from(">I", data, at)[0]
    if at + 4 + size > len(data):
        out.error("file", "PSD: image resources run past the end (truncated)")
    out.resources.append(data[at + 4 : at + 4 + size])


def _tiff(data: bytes, out: Extracted) -> None:
    out.exif.append(data)
    out.whole_tiff = True


# ------------------------------------------------------------------ camera RAW in other containers


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO base media boxes between ``start`` and ``end``: (type, payload start, box end)."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise ValueError(f"box {kind!r} at {pos} is truncated")
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:  # to the end of the parent
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError(f"box {kind!r} at {pos} runs past its container")
        yield bytes(kind), pos + header, pos + size
        pos += size


_CANON_CR3_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
_CR3_TIFF_BOXES = {b"CMT1": 0, b"CMT2": 1, b"CMT4": 2}  # IFD0, EXIF IFD, GPS IFD (CMT3: maker notes)


def _cr3(data: bytes, out: Extracted) -> None:
    """Canon CR3 (ISO base media): IFD0, the EXIF IFD and the GPS IFD are three TIFF structures in
    Canon's uuid box inside ``moov``; XMP is a top-level uuid box."""
    tiffs: dict[int, bytes] = {}
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind == b"moov":
            for inner, inner_start, inner_end in _boxes(data, start, end):
                if inner == b"uuid" and data[inner_start : inner_start + 16] == _CANON_CR3_UUID:
                    for box, box_start, box_end in _boxes(data, inner_start + 16, inner_end):
                        if box in _CR3_TIFF_BOXES:
                            tiffs.setdefault(_CR3_TIFF_BOXES[box], bytes(data[box_start:box_end]))
        elif kind == b"uuid" and data[start : start + 16] == _XMP_UUID:
            out.xmp.append(bytes(data[start + 16 : end]))
    if 0 not in tiffs:
        out.error("exif", "CR3: no Canon metadata box (CMT1) found")
        return
    out.exif.append(tiffs[0])
    out.exif_ifds = {index: block for index, block in tiffs.items() if index}
    out.whole_tiff = True  # IFD0 describes the raw picture: its size is the image size


def _raf(data: bytes, out: Extracted) -> None:
    """Fujifilm RAF: a header pointing at an embedded JPEG (the preview) that carries the EXIF."""
    if len(data) < 92:
        out.error("file", "RAF: header is truncated")
        return
    offset, length = struct.unpack_from(">II", data, 84)
    if offset < 92 or offset + length > len(data) or bytes(data[offset : offset + 2]) != b"\xff\xd8":
        out.error("file", "RAF: the embedded JPEG lies outside the file")
        return
    preview = Extracted(format="JPEG")
    _jpeg(bytes(data[offset : offset + length]), preview)
    out.width, out.height = preview.width, preview.height  # the preview's size, as exiftool reports
    out.exif, out.xmp, out.resources = preview.exif, preview.xmp, preview.resources
    out.xmp_extended = preview.xmp_extended
    out.errors.extend(preview.errors)


def _mrw(data: bytes, out: Extracted) -> None:
    """Minolta/Konica Minolta MRW: a block list whose TTW block is a whole TIFF structure."""
    if len(data) < 8:
        out.error("file", "MRW: header is truncated")
        return
    end = min(8 + struct.unpack_from(">I", data, 4)[0], len(data))
    pos = 8
    while pos + 8 <= end:
        kind, size = struct.unpack_from(">4sI", data, pos)
        if pos + 8 + size > len(data):
            out.error("file", f"MRW: block {kind!r} runs past the end (truncated)")
            return
        if kind == b"\x00TTW":
            out.exif.append(bytes(data[pos + 8 : pos + 8 + size]))
            out.whole_tiff = True
            return
        pos += 8 + size
    out.error("exif", "MRW: no TIFF (TTW) block found")


def _xmp_file(data: bytes, out: Extracted) -> None:
    out.xmp.append(data[:])


WALKERS: dict[str, Callable[[bytes, Extracted], None]] = {
    "JPEG": _jpeg,
    "PNG": _png,
    "TIFF": _tiff,
    "WEBP": _webp,
    "GIF": _gif,
    "PSD": _psd,
    "XMP": _xmp_file,
    "CR3": _cr3,
    "RAF": _raf,
    "MRW": _mrw,
}


def extract(data: bytes, fmt: str, complete: bool = True) -> Extracted:
    """Run the walker for ``fmt``; any unexpected structure error becomes a "file" block error.

    ``complete=False``: ``data`` is the head of the file, known to hold all of its JPEG metadata."""
    out = Extracted(format=fmt, complete=complete)
    walker = WALKERS[fmt]
    try:
        walker(data, out)
    except (struct.error, IndexError, ValueError) as exc:
        out.error("file", f"{fmt}: damaged container ({exc})")
    return out
