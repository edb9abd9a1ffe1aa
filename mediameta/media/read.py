"""Read every caption and credit a picture carries into one :class:`MediaRecord`.

``read_record(path)`` reads the file's head (JPEG) or maps it (other formats: only the pages the
walker touches are read), finds the metadata segments
(:mod:`.formats`), decodes EXIF (:mod:`.exif`), IPTC IIM (:mod:`.iptc`) and XMP (:mod:`.xmp`),
merges ``.xmp`` sidecars (:mod:`.sidecar`) and reconciles the blocks (:mod:`.reconcile`). It never
raises and never decodes pixels: every problem becomes a ``BlockError`` on the record.
"""

from __future__ import annotations

import io
import mmap
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from mediameta.media import exif as exif_mod
from mediameta.media import formats, iptc, reconcile, sidecar, xmp
from mediameta.models import (
    GPS,
    MEDIA_LIST_FIELDS,
    MEDIA_TEXT_FIELDS,
    Block,
    BlockError,
    FieldValue,
    MediaRecord,
)

FIELDS: tuple[str, ...] = (*MEDIA_TEXT_FIELDS, *MEDIA_LIST_FIELDS)
# JPEGs are read with one read() of this many bytes when their metadata ends inside it (nearly
# always: wire JPEGs carry 20-60 KB before the image data); no mmap, so a file truncated by
# another program mid-read gives short data, never a SIGBUS.
JPEG_HEAD_BYTES = 128 * 1024
_BOMB_FACTOR = 2  # Pillow raises DecompressionBombError above twice MAX_IMAGE_PIXELS
HEIF_HINT = "reading HEIC/AVIF needs the optional pillow-heif package: pip install 'mediameta[heif]'"


@dataclass
class _Blocks:
    """Per-block values (MediaRecord field names, plus ``_``-prefixed extras) and GPS fixes."""

    values: dict[str, dict[str, FieldValue]] = field(default_factory=dict)
    gps: dict[str, tuple[float, float, float | None]] = field(default_factory=dict)
    errors: list[BlockError] = field(default_factory=list)
    has_iim: bool = False
    digest_ok: bool = True
    format: str | None = None
    width: int | None = None
    height: int | None = None

    def block(self, name: str) -> dict[str, FieldValue]:
        return self.values.setdefault(name, {})

    def error(self, block: Block, message: str) -> None:
        self.errors.append(BlockError(block=block, message=message))


def read_record(path: Path, sidecars: Sequence[Path] | None = None) -> MediaRecord:
    """Read ``path``'s metadata. Never raises: unreadable files give a record with errors.

    ``sidecars``: the ``.xmp`` sidecars of ``path`` when the caller already knows them from a
    directory listing (a scanner does); None looks for them on disk (four ``stat`` calls).
    """
    name = os.fspath(path)  # plain strings from here: pathlib costs microseconds per call
    blocks = _Blocks()
    size: int | None = None
    mtime_ns: int | None = None
    try:
        st = os.stat(name)
    except (OSError, ValueError) as exc:  # ValueError: embedded NUL in the name
        blocks.error("file", f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        return _record(name, None, None, blocks)
    size, mtime_ns = st.st_size, st.st_mtime_ns
    if not stat.S_ISREG(st.st_mode):
        blocks.error("file", "not a regular file")
        return _record(name, size, mtime_ns, blocks)
    try:
        with open(name, "rb") as handle:
            head = handle.read(JPEG_HEAD_BYTES)
            if len(head) < JPEG_HEAD_BYTES:  # the whole file
                _read_guarded(head, blocks)
            elif head[:3] != b"\xff\xd8\xff":
                _read_mapped(handle, blocks)
            elif formats.jpeg_head_is_enough(head, os.pread(handle.fileno(), 12, st.st_size - 12)):
                _read_guarded(head, blocks, complete=False)
            else:  # metadata larger than the head, or an AFCP trailer at the end
                _read_guarded(head + handle.read(), blocks)
    except OSError as exc:
        blocks.error("file", f"cannot read: {exc.strerror or exc}")
    try:
        _read_sidecars(blocks, sidecar.sidecar_paths(name) if sidecars is None else list(sidecars))
    except Exception as exc:  # a reader bug must not stop a scan: it becomes data like any damage
        blocks.error("sidecar", f"internal error while reading ({type(exc).__name__}: {exc})")
    return _record(name, size, mtime_ns, blocks)


def _read_mapped(handle: BinaryIO, blocks: _Blocks) -> None:
    """Formats whose metadata can sit anywhere (TIFF offsets, PNG chunks after the pixels): map
    the file so only the pages the walker touches are read."""
    try:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        handle.seek(0)
        _read_guarded(handle.read(), blocks)
        return
    with mapped:
        _read_guarded(mapped, blocks)  # type: ignore[arg-type]  # mmap is bytes-like


def read_record_bytes(data: bytes, name: str) -> MediaRecord:
    """Same as :func:`read_record` for a file already in memory (no sidecars, no mtime)."""
    blocks = _Blocks()
    _read_guarded(data, blocks)
    return _record(name, len(data), None, blocks)


def _read_guarded(data: bytes, blocks: _Blocks, complete: bool = True) -> None:
    try:
        _read_blocks(data, blocks, complete)
    except Exception as exc:  # a reader bug must not stop a scan: it becomes data like any damage
        blocks.error("file", f"internal error while reading ({type(exc).__name__}: {exc})")


def _read_blocks(data: bytes, blocks: _Blocks, complete: bool = True) -> None:
    fmt = formats.sniff(bytes(data[:4096]))
    if fmt in ("HEIF", "AVIF"):
        found = _heif(data, fmt, blocks)
    elif fmt is None:
        found = _other(data, blocks)
    else:
        found = formats.extract(data, fmt, complete)
    if found is None:
        return
    blocks.format = found.format
    blocks.width, blocks.height = found.width, found.height
    for block, message in found.errors:
        blocks.error(block, message)
    _check_dimensions(found, blocks)

    if not found.exif and found.format == "PSD":  # PSD keeps EXIF in image resource 0x0422
        for stream in found.resources:
            exif_resource = iptc.parse_resources(stream).exif
            if exif_resource:
                found.exif.append(exif_resource)
                break
    tiff_xmp: list[bytes] = []
    for index, tiff in enumerate(found.exif):
        if index > 0:
            break  # MWG: one EXIF block; a second APP1 Exif is ignored like exiftool's strict mode
        parsed = exif_mod.parse_tiff(tiff, found.exif_ifds)
        for message in parsed.errors:
            blocks.error("exif", message)
        _exif_block(parsed, blocks)
        if found.whole_tiff:
            width, height = parsed.tags.get("ImageWidth"), parsed.tags.get("ImageLength")
            if blocks.width is None and isinstance(width, int) and isinstance(height, int):
                blocks.width, blocks.height = width, height
            blob = parsed.tags.get("XMP")
            if isinstance(blob, bytes) and blob:
                tiff_xmp.append(blob)
            blob = parsed.tags.get("IPTC-NAA")
            if isinstance(blob, bytes) and blob:
                found.iim.append(blob)
            blob = parsed.tags.get("PhotoshopSettings")
            if isinstance(blob, bytes) and blob:
                found.resources.append(blob)

    _iptc_block(found, blocks, tiff_xmp)
    _xmp_block(found.xmp + tiff_xmp, found.xmp_extended, blocks, "xmp")
    if found.text:
        file_block = blocks.block("file")
        for key, text in found.text.items():
            name = formats.PNG_TEXT_FIELDS[key]
            file_block[name] = [text] if name in MEDIA_LIST_FIELDS else text


def _check_dimensions(found: formats.Extracted, blocks: _Blocks) -> None:
    if not found.width or not found.height:
        return
    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS
    if limit and found.width * found.height > _BOMB_FACTOR * limit:
        blocks.error(
            "file",
            f"image claims {found.width}x{found.height} pixels, over the decompression-bomb limit "
            f"({_BOMB_FACTOR * limit} pixels): metadata was read, pixels must not be decoded",
        )


def _exif_block(parsed: exif_mod.ExifData, blocks: _Blocks) -> None:
    tags = parsed.tags
    values: dict[str, FieldValue] = {}
    for tag, name in (
        ("ImageDescription", "description"),
        ("Copyright", "copyright"),
        ("Make", "make"),
        ("Model", "model"),
    ):
        value = tags.get(tag)
        if isinstance(value, str) and value.strip():
            values[name] = value.strip()
    artist = tags.get("Artist")
    if isinstance(artist, str):
        creators = reconcile.split_artist(artist)
        if creators:
            values["creators"] = creators
    date = exif_mod.exif_datetime(tags)
    if date:
        values["date_created"] = date
    fix = exif_mod.exif_gps(tags)
    if fix is not None:
        blocks.gps["exif"] = fix
        values["gps"] = _gps_text(fix)
    if values:
        if parsed.charset != "ascii":
            values["_charset"] = parsed.charset
        blocks.block("exif").update(values)


def _gps_text(fix: tuple[float, float, float | None]) -> str:
    lat, lon, alt = fix
    return f"{lat:.6f}, {lon:.6f}" + (f", {alt:.1f}" if alt is not None else "")


def _iptc_block(found: formats.Extracted, blocks: _Blocks, tiff_xmp: list[bytes]) -> None:
    iim: bytes | None = found.iim[0] if found.iim else None
    digest: bytes | None = None
    for stream in found.resources:
        resources = iptc.parse_resources(stream)
        for message in resources.errors:
            blocks.error("iptc", message)
        if iim is None and resources.iptc is not None:
            iim = resources.iptc
        if digest is None:
            digest = resources.digest
        if resources.xmp:
            tiff_xmp.append(resources.xmp)
    location: str | None = None
    if iim is None and found.trailer_iim is not None:
        iim, location = found.trailer_iim, found.trailer_name
    if iim is None:
        return
    blocks.has_iim = True
    current = iptc.iim_digest(iim)
    stripped = iim.rstrip(b"\x00")
    blocks.digest_ok = digest is None or digest in (current, iptc.iim_digest(stripped))
    parsed = iptc.parse_iim(iim)
    for message in parsed.errors:
        blocks.error("iptc", message)
    values = blocks.block("iptc")
    values.update(parsed.values)
    date = iptc.iim_datetime(parsed.date, parsed.time)
    if date:
        values["date_created"] = date
    values["_charset"] = parsed.charset
    if location:
        values["_location"] = location
    values["_digest"] = "absent" if digest is None else ("match" if blocks.digest_ok else "mismatch")


def _xmp_block(
    packets: list[bytes], extended: dict[bytes, dict[int, bytes]], blocks: _Blocks, block: Block
) -> None:
    if not packets and not extended:
        return
    parsed = xmp.parse_packets(packets)
    for message in parsed.errors:
        blocks.error(block, message)
    values = dict(parsed.values)
    if extended:
        guid = values.get("_extended_guid")
        chosen = extended.get(guid.encode("ascii", "replace")) if isinstance(guid, str) else None
        if chosen is None and len(extended) == 1:
            chosen = next(iter(extended.values()))
        if chosen is None:
            blocks.error(block, "extended XMP chunks do not match the main packet's GUID; ignored")
        else:
            joined = b"".join(chunk for _, chunk in sorted(chosen.items()))
            more = xmp.parse_packets([joined])
            for message in more.errors:
                blocks.error(block, f"extended XMP: {message}")
            parsed.packets += more.packets
            for name, value in more.values.items():
                values.setdefault(name, value)
    values.pop("_extended_guid", None)
    fix = _xmp_gps(values)
    if fix is not None:
        blocks.gps[block] = fix
        values["gps"] = _gps_text(fix)
    date = values.get("date_created")
    if isinstance(date, str):
        iso = xmp.xmp_date(date)
        if iso is None:
            blocks.error(block, f"date {date!r} is not an ISO 8601 date; ignored")
            values.pop("date_created")
        else:
            values["date_created"] = iso
    if not values and not parsed.packets:
        return
    values["_packets"] = str(parsed.packets)
    blocks.block(block).update(values)


def _xmp_gps(values: dict[str, FieldValue]) -> tuple[float, float, float | None] | None:
    lat_text, lon_text = values.pop("_gps_lat", None), values.pop("_gps_lon", None)
    alt_text, ref = values.pop("_gps_alt", None), values.pop("_gps_alt_ref", None)
    if not isinstance(lat_text, str) or not isinstance(lon_text, str):
        return None
    lat, lon = xmp.xmp_coordinate(lat_text), xmp.xmp_coordinate(lon_text)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    alt = xmp.xmp_rational(alt_text) if isinstance(alt_text, str) else None
    if alt is not None and ref == "1":
        alt = -alt
    return lat, lon, alt


def _read_sidecars(blocks: _Blocks, paths: list[Path]) -> None:
    if not paths:
        return
    packets: list[bytes] = []
    for candidate in paths:
        try:
            packets.append(sidecar.read_sidecar(candidate))
        except (OSError, ValueError) as exc:
            blocks.error("sidecar", f"{candidate.name}: {exc}")
    _xmp_block(packets, {}, blocks, "sidecar")
    if "sidecar" in blocks.values:
        blocks.values["sidecar"]["_files"] = [p.name for p in paths]


def _heif(data: bytes, fmt: str, blocks: _Blocks) -> formats.Extracted | None:
    """HEIC/AVIF through pillow-heif (the optional ``heif`` extra); AVIF also through Pillow's own
    plugin when pillow-heif is missing. Both open lazily: no pixel is decoded."""
    out = formats.Extracted(format=fmt)
    try:
        import pillow_heif  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        if fmt == "AVIF":
            return _pillow_avif(data, out, blocks)
        blocks.error("file", f"{fmt}: {HEIF_HINT}")
        return out
    try:
        heif = pillow_heif.open_heif(io.BytesIO(bytes(data)), convert_hdr_to_8bit=False)
        out.width, out.height = heif.size
        info = heif.info
    except Exception as exc:  # libheif reports damage with assorted exception types
        blocks.error("file", f"{fmt}: cannot read the container ({exc})")
        return out
    _add_info_metadata(info, out)
    return out


def _pillow_avif(data: bytes, out: formats.Extracted, blocks: _Blocks) -> formats.Extracted:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(bytes(data))) as image:
            out.width, out.height = image.size
            _add_info_metadata(image.info, out)
    except Exception as exc:  # no AVIF plugin in this Pillow, or a damaged container
        blocks.error("file", f"AVIF: {HEIF_HINT} ({type(exc).__name__}: {exc})")
    return out


def _add_info_metadata(info: Mapping[Any, object], out: formats.Extracted) -> None:
    """EXIF and XMP from a Pillow/pillow-heif ``info`` dict (EXIF may carry a short prefix)."""
    raw_exif = info.get("exif")
    if isinstance(raw_exif, bytes):
        for at in range(min(len(raw_exif), 16)):
            if raw_exif[at : at + 4] in (b"II*\x00", b"MM\x00*"):
                out.exif.append(raw_exif[at:])
                break
    raw_xmp = info.get("xmp")
    if isinstance(raw_xmp, bytes | str) and raw_xmp:
        out.xmp.append(raw_xmp.encode("utf-8") if isinstance(raw_xmp, str) else raw_xmp)


def _other(data: bytes, blocks: _Blocks) -> formats.Extracted | None:
    """Formats we have no walker for: Pillow may still name them and give their size (lazily)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(bytes(data[: 1 << 20]))) as image:
            out = formats.Extracted(format=image.format, width=image.width, height=image.height)
    except Image.DecompressionBombError as exc:
        blocks.error("file", f"decompression bomb refused: {exc}")
        return None
    except UnidentifiedImageError:
        blocks.error("file", "unsupported format: not an image format mediameta or Pillow recognises")
        return None
    except Exception as exc:  # Pillow's plugins raise assorted types on damaged headers
        blocks.error("file", f"unsupported format ({type(exc).__name__}: {exc})")
        return None
    out.error("file", f"unsupported format {out.format}: size read, embedded metadata is not")
    return out


def _record(path: str, size: int | None, mtime_ns: int | None, blocks: _Blocks) -> MediaRecord:
    """Reconcile the blocks into the record. Built with ``model_construct``: every value here is
    typed by this module (a test round-trips records through validation), and validating ~30
    fields per file would cost a tenth of the read."""
    values = blocks.values
    fields: dict[str, Any] = {}
    sources: dict[str, Block] = {}
    if blocks.format is not None:
        sources["format"] = "file"
    if blocks.width is not None:
        sources["width"] = "file"
        sources["height"] = "file"
    for name in FIELDS:
        chosen = reconcile.choose_block(name, values, blocks.has_iim, blocks.digest_ok)
        if chosen is None:
            continue
        value = values[chosen][name]
        fields[name] = list(value) if isinstance(value, list) else value
        sources[name] = chosen
    gps: GPS | None = None
    gps_block = reconcile.choose_block("gps", {b: {"gps": 1} for b in blocks.gps}, False, True)
    if gps_block is not None:
        lat, lon, alt = blocks.gps[gps_block]
        gps = GPS(lat=round(lat, 7), lon=round(lon, 7), alt=alt)
        sources["gps"] = gps_block
    for name in MEDIA_TEXT_FIELDS:
        fields.setdefault(name, None)
    for name in MEDIA_LIST_FIELDS:
        fields.setdefault(name, [])
    return MediaRecord.model_construct(
        path=path,
        format=blocks.format,
        width=blocks.width,
        height=blocks.height,
        size=size,
        mtime_ns=mtime_ns,
        gps=gps,
        sources=sources,
        blocks={name: dict(v) for name, v in values.items() if v},
        conflicts=reconcile.find_conflicts(values, (*FIELDS, "gps")),
        errors=list(blocks.errors),
        **fields,
    )
