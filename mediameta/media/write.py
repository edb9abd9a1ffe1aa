"""Write captions and credits back into image files: losslessly, atomically, in XMP, IIM and EXIF.

``plan_write`` works out, block by block, what would change (a list of FieldChange); ``write_metadata``
applies the plan. In a JPEG, mediameta edits the blocks itself: XMP through the splicing editor
of :mod:`.xmp_edit`, EXIF and IIM in place (:mod:`.write_blocks`), the image data copied untouched;
exiv2 (pyexiv2) does the byte work for TIFF, PNG, WebP, sidecars and the XMP packets the splicing
editor hands over. The result is verified (the compressed image data must be byte-identical and the file must parse again),
written to a temporary file in the same folder, fsynced, and renamed over the original only after
re-checking that the original has not changed since it was read. A write killed at any point leaves
the old file or the new one, never a broken one; a killed writer may leave a hidden temporary file
(``.NAME.mediameta-*.tmp``) that a later write into the folder cleans up once it is stale
(``remove_stale_temp_files`` for one file).

Blocks are kept in step as the Metadata Working Group guidelines describe: XMP always; IIM when the
file already has IIM (or ``WriteOptions.iim == "always"``), as UTF-8 with the 1:90 marker, values
over the IIM limit truncated on a character boundary (the full value stays in XMP) and reported;
EXIF ImageDescription / Artist / Copyright where the format carries EXIF; the Photoshop IPTC digest
updated (JPEG). Camera RAW files are never modified: their metadata goes to an ``.xmp`` sidecar.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

import pyexiv2

from mediameta.media.write_blocks import (
    EXIF_TAG_IDS,
    IIM_DATASETS,
    MAX_SEGMENT_PAYLOAD,
    XMP_SIGNATURE,
    BlockEditError,
    Dataset,
    JpegBlocks,
    app_segment,
    assemble_jpeg,
    container_exif,
    edit_exif_payload,
    edit_iim,
    edit_tiff_strings,
    fix_afcp_offsets,
    fix_mpf_offsets,
    parse_iim,
    read_jpeg_blocks,
    read_tiff_strings,
    replace_container_exif,
    with_iim,
)
from mediameta.media.write_fields import (
    EXIF_LIST_SEPARATOR,
    FIELD_SPECS,
    IIM_CHARSET_TAG,
    IIM_REPEATABLE,
    IIM_TIME_TAG,
    IIM_UTF8,
    FieldSpec,
    parse_iso_date,
    truncate_utf8,
)
from mediameta.media.write_imagedata import ImageDataError, JpegSegment, image_data, jpeg_segments
from mediameta.media.xmp_edit import XmpEditUnsupported, XmpPacket, fit_padding
from mediameta.models import Block

__all__ = [
    "EMBEDDED_FORMATS",
    "RAW_SUFFIXES",
    "FieldChange",
    "FileStamp",
    "WriteOptions",
    "WritePlan",
    "WriteRefused",
    "WriteResult",
    "plan_write",
    "remove_stale_temp_files",
    "replace_file_bytes",
    "sidecar_path_for",
    "write_many",
    "write_metadata",
]

pyexiv2.set_log_level(3)  # exiv2 warnings would go straight to stderr; errors still raise
_EXIV2_LOCK = threading.Lock()
_EXIV2_HELD = threading.local()  # .active: this thread holds _EXIV2_LOCK and may use exiv2


class _NeedsExiv2(Exception):
    """The lock-free fast path met a file that needs exiv2: plan and apply again under _EXIV2_LOCK."""


def _exiv2_active() -> bool:
    return bool(getattr(_EXIV2_HELD, "active", False))


_T = TypeVar("_T")


def _fast_then_exiv2(attempt: Callable[[], _T]) -> _T:
    """Run ``attempt`` without exiv2 (JPEGs whose XMP our own editor handles: no lock, so several
    threads overlap); if it needs exiv2, run it again holding the lock exiv2's XMP toolkit needs."""
    if _exiv2_active():
        return attempt()
    try:
        return attempt()
    except _NeedsExiv2:
        pass
    with _EXIV2_LOCK:
        _EXIV2_HELD.active = True
        try:
            return attempt()
        finally:
            _EXIV2_HELD.active = False


def _read_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()  # read once: os.umask can only be read by setting it, which races threads

ChangeValue = str | list[str] | None
RefusalReason = Literal["changed", "format", "damaged", "invalid", "verify", "io"]

# exiv2 MIME type -> our format name, for the formats written embedded.
EMBEDDED_FORMATS: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    "image/png": "PNG",
    "image/webp": "WEBP",
}
# Camera RAW files are originals: never rewritten, their edits always go to a sidecar.
RAW_SUFFIXES: frozenset[str] = frozenset(
    {
        ".3fr", ".arw", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf", ".iiq", ".k25", ".kdc", ".mef",
        ".mos", ".mrw", ".nef", ".nrw", ".orf", ".pef", ".raf", ".raw", ".rw2", ".rwl", ".sr2", ".srf",
        ".srw", ".x3f",
    }
)  # fmt: skip
_FORMAT_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png", ".webp"}
TEMP_MARKER = ".mediameta-"
TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 600.0
BACKUP_SUFFIX = ".bak"
SIDECAR_HINT = "; write an .xmp sidecar instead (--sidecar)"
_EMPTY_XMP_PACKET = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    "</x:xmpmeta>\n"
    '<?xpacket end="w"?>'
).encode()


class WriteRefused(Exception):
    """The write was not done, and the file is untouched. ``reason`` says why, for callers that retry:

    ``changed`` (the file changed since it was read), ``format`` (not writable embedded: retry with
    ``sidecar=True``), ``damaged`` (exiv2 cannot parse it, or its image data cannot be found),
    ``invalid`` (a bad field name or value), ``verify`` (the written copy failed verification),
    ``io`` (the file system refused).
    """

    def __init__(self, message: str, *, reason: RefusalReason) -> None:
        super().__init__(message)
        self.reason: RefusalReason = reason

    def __reduce__(self) -> tuple[Any, ...]:  # a refusal comes back from a worker process whole
        return (_refused, (str(self), self.reason))


def _refused(message: str, reason: RefusalReason) -> WriteRefused:
    return WriteRefused(message, reason=reason)


@dataclass(frozen=True)
class FileStamp:
    """What a file was when it was read: a later write refuses if any of these differ."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path | str) -> FileStamp:
        data, stamp, _ = _read_stamped(Path(path))
        del data
        return stamp


@dataclass(frozen=True)
class WriteOptions:
    """How to keep the blocks in step. ``iim``: "auto" writes IIM only when the file already has it."""

    iim: Literal["auto", "always", "never"] = "auto"
    exif: bool = True  # ImageDescription / Artist / Copyright, where the format carries EXIF
    # fsync the new file before the rename and the folder after it. False keeps every file whole
    # when a writer is killed (the rename is atomic) but not across a power cut: for bulk jobs that
    # sync the disk themselves at the end, and for measuring.
    durable: bool = True


@dataclass(frozen=True)
class FieldChange:
    """One tag in one block changing: ``old`` -> ``new`` (None: absent / removed)."""

    block: Block
    tag: str
    field: str
    old: ChangeValue
    new: ChangeValue
    note: str | None = None


@dataclass
class WritePlan:
    """What ``write_metadata`` would do to one file."""

    path: Path
    written_to: Path  # the image itself, or its .xmp sidecar
    mode: Literal["embedded", "sidecar"]
    format: str
    changes: list[FieldChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stamp: FileStamp | None = None  # of the image when the plan was made
    _xmp_ops: dict[str, Any] = field(default_factory=dict, repr=False)
    _iptc_ops: dict[str, Any] = field(default_factory=dict, repr=False)
    _exif_ops: dict[str, Any] = field(default_factory=dict, repr=False)
    _iim_legacy: str | None = field(default=None, repr=False)  # charset the old IIM text was in
    _iptc_reencode: dict[str, Any] = field(default_factory=dict, repr=False)  # exiv2 path only


@dataclass
class WriteResult:
    path: Path
    written_to: Path
    changes: list[FieldChange]
    warnings: list[str]
    dry_run: bool
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# --------------------------------------------------------------------------- reading


def _read_stamped(path: Path) -> tuple[bytes, FileStamp, os.stat_result]:
    """The file's bytes, its stamp, and the stat the bytes belong to (checked before and after reading)."""
    try:
        with path.open("rb") as handle:
            before = os.fstat(handle.fileno())
            data = handle.read()
            after = os.fstat(handle.fileno())
    except FileNotFoundError as exc:
        raise WriteRefused(f"{path}: no such file", reason="io") from exc
    except OSError as exc:
        raise WriteRefused(f"{path}: cannot read: {exc.strerror or exc}", reason="io") from exc
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        data
    ) != after.st_size:
        raise WriteRefused(f"{path}: the file changed while it was being read; try again", reason="changed")
    stamp = FileStamp(after.st_size, after.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return data, stamp, after


def sidecar_path_for(path: Path) -> Path:
    """The sidecar an image's XMP goes to: an existing ``IMG_1.jpg.xmp`` or ``IMG_1.xmp``, else ``IMG_1.xmp``."""
    long_form = path.with_name(path.name + ".xmp")
    short_form = path.with_suffix(".xmp")
    if long_form.exists() and not short_form.exists():
        return long_form
    return short_form


def _check_text(name: str, text: str) -> None:
    bad = next((char for char in text if (char < " " and char not in "\t\n\r") or char == "\x7f"), None)
    if bad is not None:
        raise WriteRefused(f"{name}: control character {bad!r} in the value", reason="invalid")


def _normalise_changes(changes: Mapping[str, ChangeValue]) -> dict[str, ChangeValue]:
    normalised: dict[str, ChangeValue] = {}
    for name, value in changes.items():
        for text in [value] if isinstance(value, str) else value or []:
            if isinstance(text, str):
                _check_text(name, text)
        spec = FIELD_SPECS.get(name)
        if spec is None:
            known = ", ".join(FIELD_SPECS)
            raise WriteRefused(f"{name!r} is not a writable field (writable: {known})", reason="invalid")
        if value is None:
            normalised[name] = None
            continue
        if spec.is_list:
            items = [value] if isinstance(value, str) else list(value)
            if not all(isinstance(item, str) for item in items):
                raise WriteRefused(f"{name}: expected a list of strings", reason="invalid")
            items = [item for item in items if item.strip()]
            normalised[name] = items or None
            continue
        if not isinstance(value, str):
            raise WriteRefused(f"{name}: expected a string, got a {type(value).__name__}", reason="invalid")
        if name == "date_created" and value.strip():
            try:
                parse_iso_date(value)
            except ValueError as exc:
                raise WriteRefused(str(exc), reason="invalid") from exc
            value = value.strip()
        normalised[name] = value if value.strip() else None
    return normalised


def _read_block(reader: Any, label: str, warnings: list[str]) -> tuple[dict[str, Any], str] | None:
    """Read one exiv2 block, trying UTF-8 then the legacy charsets; None when exiv2 cannot read it."""
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return dict(reader(encoding=encoding)), encoding
        except UnicodeDecodeError:
            continue
        except (RuntimeError, ValueError) as exc:
            warnings.append(f"{label} could not be read ({exc}); it is left as it is")
            return None
    return None  # latin-1 decodes any bytes; unreachable in practice


def _langalt_default(value: Any) -> str | None:
    if isinstance(value, dict):
        if 'lang="x-default"' in value:
            return str(value['lang="x-default"'])
        return str(next(iter(value.values()))) if value else None
    if isinstance(value, str):
        return value
    return None


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value] if value else None
    if isinstance(value, list):
        return [str(item) for item in value] or None
    return [str(value)]


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value)


# --------------------------------------------------------------------------- planning


def _plan_xmp(plan: WritePlan, block: Block, xmp: dict[str, Any], changes: Mapping[str, ChangeValue]) -> None:
    for name, new in changes.items():
        spec = FIELD_SPECS[name]
        current = xmp.get(spec.xmp)
        if spec.xmp_kind == "langalt":
            old: ChangeValue = _langalt_default(current)
            if new == old:
                continue
            if new is None:
                plan._xmp_ops[spec.xmp] = None
            else:
                merged = {'lang="x-default"': new}
                if isinstance(current, dict):
                    merged.update(
                        {lang: text for lang, text in current.items() if lang != 'lang="x-default"'}
                    )
                plan._xmp_ops[spec.xmp] = merged
        elif spec.is_list:
            old = _as_list(current)
            if new == old:
                continue
            plan._xmp_ops[spec.xmp] = new
        else:
            old = _as_text(current)
            if new == old:
                continue
            plan._xmp_ops[spec.xmp] = new
        plan.changes.append(FieldChange(block, spec.xmp, name, old, new))


def _iim_value(spec: FieldSpec, new: ChangeValue) -> tuple[ChangeValue, str | None]:
    """The value IIM can hold, and a note when it had to be cut to the standard's limit."""
    if new is None or spec.iim_limit is None:
        return new, None
    limit = spec.iim_limit
    if isinstance(new, list):
        cut = [truncate_utf8(item, limit) for item in new]
        long_items = [item for item in new if len(item.encode("utf-8")) > limit]
        if not long_items:
            return new, None
        return cut, (
            f"IIM {spec.iim_name} holds {limit} bytes per value: {len(long_items)} value(s) truncated "
            "(full values in XMP)"
        )
    size = len(new.encode("utf-8"))
    if size <= limit:
        return new, None
    cut_text = truncate_utf8(new, limit)
    return cut_text, (
        f"IIM {spec.iim_name} holds {limit} bytes: truncated from {size} to "
        f"{len(cut_text.encode('utf-8'))} bytes (full value in XMP)"
    )


def _plan_iptc(
    plan: WritePlan, iptc: dict[str, Any], encoding: str, changes: Mapping[str, ChangeValue]
) -> None:
    for name, new in changes.items():
        spec = FIELD_SPECS[name]
        if spec.iim is None:
            continue
        if name == "date_created":
            _plan_iim_date(plan, iptc, new)
            continue
        current = iptc.get(spec.iim)
        old: ChangeValue = _as_list(current) if spec.is_list else _as_text(current)
        value, note = _iim_value(spec, new)
        if value == old:
            continue
        plan._iptc_ops[spec.iim] = value
        plan.changes.append(FieldChange("iptc", spec.iim, name, old, value, note))
        if note:
            plan.warnings.append(f"{plan.path.name}: {note}")
    if not plan._iptc_ops:
        return
    if iptc.get(IIM_CHARSET_TAG) != IIM_UTF8:
        plan._iptc_ops[IIM_CHARSET_TAG] = IIM_UTF8
        if encoding != "utf-8":
            # The old values were in a legacy charset: re-encode them so the new 1:90 marker is true.
            plan._iim_legacy = encoding
            for tag, value in iptc.items():
                if tag in plan._iptc_ops or tag == IIM_CHARSET_TAG:
                    continue
                texts = value if isinstance(value, list) else [value]
                if any(isinstance(text, str) and not text.isascii() for text in texts):
                    plan._iptc_reencode[tag] = value
            plan.warnings.append(
                f"{plan.path.name}: IIM was in {encoding}; its text was re-encoded as UTF-8 (1:90 set)"
            )


def _plan_iim_date(plan: WritePlan, iptc: dict[str, Any], new: ChangeValue) -> None:
    spec = FIELD_SPECS["date_created"]
    assert spec.iim is not None
    old_date = _as_text(iptc.get(spec.iim))
    old_time = _as_text(iptc.get(IIM_TIME_TAG))
    if new is None:
        new_date, new_time, note = None, None, None
    else:
        assert isinstance(new, str)
        parts = parse_iso_date(new)
        new_date, new_time = parts.date, parts.time
        note = None
        if new_date is None:
            note = "IIM DateCreated needs a full date: left out of IIM (the partial date is in XMP)"
        elif new_time is None and "T" in new:
            note = "IIM TimeCreated needs a UTC offset: time left out of IIM (in XMP)"
    if new_date != old_date:
        plan._iptc_ops[spec.iim] = new_date
        plan.changes.append(FieldChange("iptc", spec.iim, "date_created", old_date, new_date, note))
        if note:
            plan.warnings.append(f"{plan.path.name}: {note}")
    if new_time != old_time:
        plan._iptc_ops[IIM_TIME_TAG] = new_time
        plan.changes.append(FieldChange("iptc", IIM_TIME_TAG, "date_created", old_time, new_time))


def _plan_exif(plan: WritePlan, exif: dict[str, Any], changes: Mapping[str, ChangeValue]) -> None:
    for name, new in changes.items():
        spec = FIELD_SPECS[name]
        if spec.exif is None:
            continue
        value = EXIF_LIST_SEPARATOR.join(new) if isinstance(new, list) else new
        old = _as_text(exif.get(spec.exif))
        if value == old:
            continue
        plan._exif_ops[spec.exif] = value
        plan.changes.append(FieldChange("exif", spec.exif, name, old, value))


def _open_exiv2(data: bytes, path: Path, what: str) -> pyexiv2.ImageData:
    if not _exiv2_active():
        raise _NeedsExiv2
    try:
        return pyexiv2.ImageData(data)
    except (RuntimeError, ValueError) as exc:
        suffix = path.suffix.lower()
        reason: RefusalReason = "damaged" if suffix in _FORMAT_SUFFIXES or what == "sidecar" else "format"
        hint = "" if reason == "damaged" else SIDECAR_HINT
        raise WriteRefused(f"{path}: cannot open the {what} for writing: {exc}{hint}", reason=reason) from exc


@dataclass
class _JpegSource:
    """A JPEG as the writer needs it: the bytes up to and including the SOS marker, and where the
    rest (the scan and anything after it) lies in the file. ``data`` is the whole file when it had to
    be read (a stamp to check, an AFCP trailer to re-base, a structure that needed the whole file)."""

    head: bytes
    tail_offset: int
    size: int
    stat: os.stat_result
    data: bytes | None = None
    stamp: FileStamp | None = None


@dataclass
class _Prepared:
    plan: WritePlan
    original: bytes  # bytes of written_to before the write (b"" for a new sidecar; JPEG: the head)
    original_stat: os.stat_result | None  # of written_to when read; None for a new sidecar
    image_stat: os.stat_result | None = None  # of the image, in sidecar mode
    jpeg: _JpegSource | None = None
    xmp_image: Any = None  # JPEG: the open exiv2 image of the XMP segment alone (closed by close())
    xmp_packet: XmpPacket | None = None  # JPEG, edited by xmp_edit (instead of xmp_image)
    blocks: JpegBlocks | None = None  # JPEG: the metadata blocks of jpeg.head, as planned from
    segments: tuple[list[JpegSegment], int] | None = None  # JPEG: jpeg.head's segments and SOS offset
    iim_datasets: list[Dataset] | None = None  # JPEG: the IIM as planned from

    def close(self) -> None:
        if self.xmp_image is not None:
            self.xmp_image.close()
            self.xmp_image = None


def _prepare(
    path: Path,
    changes: Mapping[str, ChangeValue],
    *,
    sidecar: bool,
    options: WriteOptions,
    expected: FileStamp | None,
) -> _Prepared:
    normalised = _normalise_changes(changes)
    path = Path(os.path.realpath(path))
    if not path.is_file():
        what = "not a regular file" if path.exists() else "no such file"
        raise WriteRefused(f"{path}: {what}", reason="io")
    use_sidecar = sidecar or path.suffix.lower() in RAW_SUFFIXES or path.suffix.lower() == ".xmp"

    if use_sidecar:
        image_stamp: FileStamp | None = None
        image_stat: os.stat_result | None = None
        if expected is not None:
            _, image_stamp, image_stat = _read_stamped(path)
            _check_expected(path, image_stamp, expected)
        target = path if path.suffix.lower() == ".xmp" else sidecar_path_for(path)
        plan = WritePlan(path, target, "sidecar", "XMP", stamp=image_stamp)
        if path.suffix.lower() in RAW_SUFFIXES and not sidecar:
            plan.warnings.append(f"{path.name}: camera RAW files are not rewritten; written to {target.name}")
        if target.exists():
            data, _, target_stat = _read_stamped(target)
            exiv2_image = _open_exiv2(data, target, "sidecar")
        else:
            data, target_stat = b"", None
            exiv2_image = _open_exiv2(_EMPTY_XMP_PACKET, target, "sidecar")
        try:
            xmp = _read_block(exiv2_image.read_xmp, "XMP", plan.warnings)
        finally:
            exiv2_image.close()
        if xmp is None:
            raise WriteRefused(f"{target}: its XMP cannot be read; not merging into it", reason="damaged")
        _plan_xmp(plan, "sidecar", xmp[0], normalised)
        return _Prepared(plan, data, target_stat, image_stat)

    source = _read_jpeg(path, whole=expected is not None)
    if source is not None:
        if expected is not None and source.stamp is not None:
            _check_expected(path, source.stamp, expected)
        return _prepare_jpeg(path, source, normalised, options)

    data, stamp, file_stat = _read_stamped(path)
    if expected is not None:
        _check_expected(path, stamp, expected)
    exiv2_image = _open_exiv2(data, path, "image")
    try:
        mime = exiv2_image.get_mime_type()
        fmt = EMBEDDED_FORMATS.get(mime)
        if fmt is None:
            raise WriteRefused(
                f"{path}: {mime} files are not written embedded{SIDECAR_HINT}",
                reason="format",
            )
        plan = WritePlan(path, path, "embedded", fmt, stamp=stamp)
        options_iim = options.iim
        xmp = _read_block(exiv2_image.read_xmp, "XMP", plan.warnings)
        if xmp is None:
            raise WriteRefused(f"{path}: its XMP cannot be read by exiv2; not rewriting it", reason="damaged")
        _plan_xmp(plan, "xmp", xmp[0], normalised)
        iptc = _read_block(exiv2_image.read_iptc, "IPTC", plan.warnings)
        if iptc is not None and (options_iim == "always" or (options_iim == "auto" and iptc[0])):
            _plan_iptc(plan, iptc[0], iptc[1], normalised)
        if options.exif:
            exif = _read_block(exiv2_image.read_exif, "EXIF", plan.warnings)
            if exif is not None and (fmt != "PNG" or exif[0]):
                _plan_exif(plan, exif[0], normalised)
    finally:
        exiv2_image.close()
    return _Prepared(plan, data, file_stat)


_HEAD_READ = 256 * 1024


def _read_jpeg(path: Path, *, whole: bool) -> _JpegSource | None:
    """The JPEG's head (None when the file is not a JPEG). Only the metadata segments are read
    unless ``whole`` (a stamp to compute), an AFCP trailer, or a head longer than the first read."""
    try:
        with path.open("rb") as handle:
            before = os.fstat(handle.fileno())
            chunk = handle.read(before.st_size if whole else _HEAD_READ)
            if chunk[:2] != b"\xff\xd8":
                return None
            data: bytes | None = chunk if len(chunk) == before.st_size else None
            sos: int | None = None
            if data is None:
                try:
                    _, sos = jpeg_segments(chunk)
                except ImageDataError:
                    sos = None
                trailer = os.pread(handle.fileno(), 12, max(before.st_size - 12, 0))
                if sos is None or trailer[:3] == b"AXS":
                    data = chunk + handle.read()
            after = os.fstat(handle.fileno())
    except OSError as exc:
        raise WriteRefused(f"{path}: cannot read: {exc.strerror or exc}", reason="io") from exc
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise WriteRefused(f"{path}: the file changed while it was being read; try again", reason="changed")
    if data is not None:
        if len(data) != after.st_size:
            raise WriteRefused(
                f"{path}: the file changed while it was being read; try again", reason="changed"
            )
        try:
            _, sos = jpeg_segments(data)
        except ImageDataError as exc:
            raise WriteRefused(f"{path}: JPEG structure is damaged: {exc}", reason="damaged") from exc
    assert sos is not None
    head = (data if data is not None else chunk)[: sos + 2]
    stamp = None
    if whole and data is not None:
        stamp = FileStamp(after.st_size, after.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return _JpegSource(head, sos + 2, after.st_size, after, data, stamp)


def _decode_iim(datasets: list[Dataset]) -> tuple[dict[str, Any], str]:
    """IIM datasets as exiv2 keys and values (as pyexiv2 gives them), and the charset that decoded them."""
    names = {number: name for name, number in IIM_DATASETS.items()}
    texts = [d for d in datasets if (d.record, d.number) in names]
    # the charset is decided on every text dataset, the ones we don't write included
    all_texts = [d for d in datasets if d.record == 2 and d.number not in (0, 125, 200, 201, 202)]
    encoding = "utf-8"
    for candidate in ("utf-8", "cp1252", "latin-1"):
        try:
            for dataset in all_texts:
                dataset.value.decode(candidate)
        except UnicodeDecodeError:
            continue
        encoding = candidate
        break
    values: dict[str, Any] = {}
    for dataset in texts:
        name = names[(dataset.record, dataset.number)]
        text = dataset.value.decode(encoding)
        if name == "Iptc.Application2.DateCreated" and len(text) == 8 and text.isdigit():
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        elif name == "Iptc.Application2.TimeCreated" and len(text) == 11:
            text = f"{text[:2]}:{text[2:4]}:{text[4:6]}{text[6:9]}:{text[9:]}"
        if name in IIM_REPEATABLE:
            values.setdefault(name, []).append(text)
        else:
            values.setdefault(name, text)
    return values, encoding


def _prepare_jpeg(
    path: Path, source: _JpegSource, normalised: Mapping[str, ChangeValue], options: WriteOptions
) -> _Prepared:
    """Plan a JPEG write from its head: XMP read by exiv2 (from the XMP segment alone), IIM and
    EXIF read by the same code that will edit them."""
    plan = WritePlan(path, path, "embedded", "JPEG", stamp=source.stamp)
    try:
        segments = jpeg_segments(source.head)
        blocks = read_jpeg_blocks(source.head, segments=segments[0])
        iim_datasets = parse_iim(blocks.iim) if blocks.iim is not None else None
        exif_values = read_tiff_strings(blocks.exif, EXIF_TAG_IDS) if blocks.exif is not None else {}
    except (ImageDataError, BlockEditError, struct.error) as exc:
        raise WriteRefused(
            f"{path}: not writing into a block we cannot edit safely: {exc}", reason="damaged"
        ) from exc
    packet = blocks.xmp_segment[4 + len(XMP_SIGNATURE) :] if blocks.xmp_segment is not None else None
    if not _exiv2_active():
        try:
            xmp_packet = XmpPacket(packet)
        except XmpEditUnsupported as exc:
            raise _NeedsExiv2 from exc
        xmp_values: dict[str, Any] = dict(xmp_packet.values)
        prepared = _Prepared(plan, source.head, source.stat, jpeg=source, xmp_packet=xmp_packet)
    else:
        mini = b"\xff\xd8" + (blocks.xmp_segment or b"") + b"\xff\xd9"
        xmp_image = _open_exiv2(mini, path, "image")
        prepared = _Prepared(plan, source.head, source.stat, jpeg=source, xmp_image=xmp_image)
    prepared.blocks, prepared.segments, prepared.iim_datasets = blocks, segments, iim_datasets
    try:
        if prepared.xmp_image is not None:
            xmp = _read_block(prepared.xmp_image.read_xmp, "XMP", plan.warnings)
            if xmp is None:
                raise WriteRefused(
                    f"{path}: its XMP cannot be read by exiv2; not rewriting it", reason="damaged"
                )
            xmp_values = xmp[0]
        _plan_xmp(plan, "xmp", xmp_values, normalised)
        if options.iim == "always" or (options.iim == "auto" and iim_datasets):
            iptc, encoding = _decode_iim(iim_datasets or [])
            charset = next((d.value for d in iim_datasets or [] if (d.record, d.number) == (1, 90)), None)
            if charset == IIM_UTF8.encode():
                iptc[IIM_CHARSET_TAG] = IIM_UTF8
            _plan_iptc(plan, iptc, encoding, normalised)
        if options.exif:
            _plan_exif(plan, exif_values, normalised)
    except BaseException:
        prepared.close()
        raise
    return prepared


def _check_expected(path: Path, actual: FileStamp, expected: FileStamp) -> None:
    if actual == expected:
        return
    what = []
    if actual.size != expected.size:
        what.append(f"size {expected.size} -> {actual.size} bytes")
    if actual.mtime_ns != expected.mtime_ns:
        what.append("modification time")
    if actual.sha256 != expected.sha256:
        what.append("content")
    raise WriteRefused(
        f"{path}: changed on disk since it was read ({', '.join(what)}); reload it and redo the edit",
        reason="changed",
    )


def plan_write(
    path: Path | str,
    changes: Mapping[str, ChangeValue],
    *,
    sidecar: bool = False,
    config: WriteOptions | None = None,
) -> WritePlan:
    """The field-by-field diff a write would make, per block, with IIM truncation notes. Writes nothing.

    Raises WriteRefused for a bad field or value, an unreadable file, or a format that cannot be
    written embedded (``reason == "format"``: plan again with ``sidecar=True``).
    """

    def attempt() -> WritePlan:
        prepared = _prepare(
            Path(path), changes, sidecar=sidecar, options=config or WriteOptions(), expected=None
        )
        prepared.close()
        return prepared.plan

    return _fast_then_exiv2(attempt)


# --------------------------------------------------------------------------- applying


# What to write: bytes, or (offset, length) ranges copied from the original file by the kernel.
Part = bytes | tuple[int, int]


def _apply_embedded(prepared: _Prepared) -> list[Part]:
    plan = prepared.plan
    try:
        if prepared.jpeg is not None:
            return _apply_jpeg(prepared, prepared.jpeg)
        new = _apply_exiv2(plan, prepared.original)
    except (BlockEditError, struct.error) as exc:
        raise WriteRefused(
            f"{plan.path}: not writing into a block we cannot edit safely: {exc}", reason="damaged"
        ) from exc
    _verify_embedded(plan, prepared.original, new)
    _verify_values(plan, new)
    return [new]


def _apply_jpeg(prepared: _Prepared, source: _JpegSource) -> list[Part]:
    """JPEG: XMP serialised by exiv2, EXIF and IIM edited in place (see write_blocks); the scan and
    everything after it are copied from the original untouched."""
    plan = prepared.plan
    blocks = prepared.blocks if prepared.blocks is not None else read_jpeg_blocks(source.head)
    xmp_segment = None
    if plan._xmp_ops and prepared.xmp_packet is not None:
        try:
            packet = prepared.xmp_packet.edit(plan._xmp_ops)
        except XmpEditUnsupported as exc:
            raise _NeedsExiv2 from exc
        except ValueError as exc:
            raise WriteRefused(
                f"{plan.path}: the edited XMP did not verify ({exc}); not writing", reason="verify"
            ) from exc
        xmp_segment = app_segment(
            0xE1, XMP_SIGNATURE + fit_padding(packet, MAX_SEGMENT_PAYLOAD - len(XMP_SIGNATURE))
        )
    elif plan._xmp_ops:
        try:
            prepared.xmp_image.modify_xmp(plan._xmp_ops)
            written = bytes(prepared.xmp_image.get_bytes())
        except (RuntimeError, ValueError) as exc:
            raise WriteRefused(
                f"{plan.path}: exiv2 could not write the XMP: {exc}", reason="damaged"
            ) from exc
        xmp_segment = read_jpeg_blocks(written, require_sos=False).xmp_segment
        if xmp_segment is None or b"</x:xmpmeta>" not in xmp_segment:
            raise WriteRefused(f"{plan.path}: exiv2 wrote no complete XMP packet", reason="verify")
    exif = None
    if plan._exif_ops:
        exif = edit_tiff_strings(
            blocks.exif or b"", {EXIF_TAG_IDS[tag]: value for tag, value in plan._exif_ops.items()}
        )
    photoshop = None
    if plan._iptc_ops:
        iim = edit_iim(
            blocks.iim or b"",
            plan._iptc_ops,
            legacy_encoding=plan._iim_legacy,
            datasets=prepared.iim_datasets,
        )
        photoshop = with_iim(blocks.photoshop or [], iim)
    head = assemble_jpeg(
        source.head, exif=exif, xmp_segment=xmp_segment, photoshop=photoshop, segments=prepared.segments
    )
    try:
        head = fix_mpf_offsets(source.head, head)
        _verify_jpeg_head(plan, source.head, head, prepared.segments)
        if source.data is None:
            return [head, (source.tail_offset, source.size - source.tail_offset)]
        new = fix_afcp_offsets(source.data, head + source.data[source.tail_offset :])
    except (struct.error, ImageDataError) as exc:
        raise BlockEditError(f"offsets after the image data (MPF/AFCP): {exc}") from exc
    _verify_embedded(plan, source.data, new)
    return [new]


def _verify_jpeg_head(
    plan: WritePlan, before: bytes, after: bytes, before_segments: tuple[list[JpegSegment], int] | None = None
) -> None:
    """The picture-carrying segments before the scan (tables, frame header) must be the same bytes."""
    try:
        old_segments, _ = before_segments if before_segments is not None else jpeg_segments(before)
        new_segments, _ = jpeg_segments(after)
    except ImageDataError as exc:
        raise WriteRefused(
            f"{plan.path}: the written JPEG head does not parse ({exc})", reason="verify"
        ) from exc
    old = [
        before[seg.start : seg.end]
        for seg in old_segments
        if not 0xE0 <= seg.marker <= 0xEF and seg.marker != 0xFE
    ]
    new = [
        after[seg.start : seg.end]
        for seg in new_segments
        if not 0xE0 <= seg.marker <= 0xEF and seg.marker != 0xFE
    ]
    if old != new or after[-2:] != b"\xff\xda":
        raise WriteRefused(
            f"{plan.path}: the write would change the image data; not writing", reason="verify"
        )


def _apply_exiv2(plan: WritePlan, original: bytes) -> bytes:
    """TIFF, PNG, WebP: exiv2 writes the container; a PNG/WebP EXIF chunk is then put back as it was
    (with only our tags edited), because exiv2 re-encodes it and drops tags on the way."""
    original_exif = container_exif(plan.format, original) if plan.format in ("PNG", "WEBP") else None
    exiv2_image = _open_exiv2(original, plan.path, "image")
    try:
        if plan._exif_ops and original_exif is None:
            exiv2_image.modify_exif(plan._exif_ops)
        if plan._iptc_ops:
            exiv2_image.modify_iptc({**plan._iptc_reencode, **plan._iptc_ops})
        if plan._xmp_ops:
            exiv2_image.modify_xmp(plan._xmp_ops)
        written = bytes(exiv2_image.get_bytes())
    except (RuntimeError, ValueError) as exc:
        raise WriteRefused(
            f"{plan.path}: exiv2 could not write the metadata: {exc}", reason="damaged"
        ) from exc
    finally:
        exiv2_image.close()
    if original_exif is not None:
        payload = original_exif
        if plan._exif_ops:
            payload = edit_exif_payload(
                original_exif, {EXIF_TAG_IDS[tag]: value for tag, value in plan._exif_ops.items()}
            )
        written = replace_container_exif(plan.format, written, payload)
    return written


def _verify_embedded(plan: WritePlan, before: bytes, after: bytes) -> None:
    """Refuse unless the picture bytes are identical and the new file parses with the new values."""
    try:
        old_pixels = image_data(before, plan.format)
    except ImageDataError as exc:
        raise WriteRefused(
            f"{plan.path}: cannot find its image data to prove the write keeps it ({exc}); not writing",
            reason="damaged",
        ) from exc
    try:
        same = image_data(after, plan.format) == old_pixels
    except ImageDataError:
        same = False
    if not same:
        raise WriteRefused(
            f"{plan.path}: the write would change the image data; not writing", reason="verify"
        )


def _verify_values(plan: WritePlan, written: bytes) -> None:
    try:
        check = pyexiv2.ImageData(written)
    except (RuntimeError, ValueError) as exc:
        raise WriteRefused(f"{plan.path}: the written copy does not parse ({exc})", reason="verify") from exc
    try:
        xmp = check.read_xmp() if plan._xmp_ops else {}
    except (RuntimeError, ValueError, UnicodeDecodeError) as exc:
        raise WriteRefused(
            f"{plan.path}: the written XMP does not read back ({exc})", reason="verify"
        ) from exc
    finally:
        check.close()
    for tag, value in plan._xmp_ops.items():
        got = xmp.get(tag)
        if isinstance(value, list):
            got = _as_list(got)
        elif isinstance(value, dict):
            got = _langalt_default(got)
            value = value['lang="x-default"']
        if got != value:
            raise WriteRefused(f"{plan.path}: {tag} did not read back as written", reason="verify")


def _apply_sidecar(prepared: _Prepared) -> bytes:
    plan = prepared.plan
    exiv2_image = _open_exiv2(prepared.original or _EMPTY_XMP_PACKET, plan.written_to, "sidecar")
    try:
        exiv2_image.modify_xmp(plan._xmp_ops)
        new = bytes(exiv2_image.get_bytes())
    except (RuntimeError, ValueError) as exc:
        raise WriteRefused(
            f"{plan.written_to}: exiv2 could not write the sidecar: {exc}", reason="damaged"
        ) from exc
    finally:
        exiv2_image.close()
    _verify_values(plan, new)
    return new


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_MARKER}{secrets.token_hex(6)}{TEMP_SUFFIX}")


def _remove_stale(folder: Path, prefix: str, older_than: float) -> list[Path]:
    """Delete the writer's temporary files (``PREFIX…mediameta-*.tmp``) in ``folder`` that are
    older than ``older_than`` seconds; return what was removed."""
    removed: list[Path] = []
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            candidates = [
                Path(entry.path)
                for entry in entries
                if entry.name.startswith(prefix)
                and TEMP_MARKER in entry.name
                and entry.name.endswith(TEMP_SUFFIX)
            ]
    except OSError:
        return removed
    for candidate in candidates:
        with contextlib.suppress(OSError):
            if now - candidate.lstat().st_mtime >= older_than:
                candidate.unlink()
                removed.append(candidate)
    return removed


def remove_stale_temp_files(target: Path | str, *, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temporary files a killed writer left next to ``target`` (``.NAME.mediameta-*.tmp``).

    Only files older than ``older_than`` seconds are removed, so a writer working on the same file
    right now keeps its temporary file. Returns what was removed.
    """
    target = Path(target)
    return _remove_stale(target.parent, f".{target.name}{TEMP_MARKER}", older_than)


_SWEEP_INTERVAL = 60.0
_swept: dict[str, float] = {}  # folder -> time.monotonic() of this process's last sweep of it
_swept_lock = threading.Lock()


def _sweep_folder(folder: Path) -> None:
    """Remove stale temporary files of any picture in ``folder``, at most once a minute per folder.

    A sweep lists the folder, so doing it before every write made a batch over a folder of N files
    cost N listings of N entries; once a minute still catches every file a killed writer left.
    """
    key = str(folder)
    now = time.monotonic()
    with _swept_lock:
        last = _swept.get(key)
        if last is not None and now - last < _SWEEP_INTERVAL:
            return
        _swept[key] = now
    _remove_stale(folder, ".", STALE_TEMP_SECONDS)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_range(source_fd: int, target_fd: int, offset: int, length: int) -> None:
    """Copy ``length`` bytes at ``offset`` of the source to the target's position, in the kernel when
    it can (copy_file_range: no trip through Python's buffers)."""
    end = offset + length
    use_kernel = hasattr(os, "copy_file_range")
    while offset < end:
        if use_kernel:
            try:
                copied = os.copy_file_range(source_fd, target_fd, end - offset, offset)
            except OSError:
                use_kernel = False
                continue
        else:
            block = os.pread(source_fd, min(end - offset, 1 << 20), offset)
            copied = len(block)
            view = memoryview(block)
            while view:
                view = view[os.write(target_fd, view) :]
        if copied == 0:
            raise OSError(f"the file ended {end - offset} bytes early while copying it")
        offset += copied


def _write_temp(
    target: Path,
    parts: Sequence[Part],
    mode: int | None,
    owner: tuple[int, int] | None,
    source: Path | None = None,
    durable: bool = True,
) -> Path:
    """A new hidden file next to ``target`` holding ``parts``, with the mode/owner given, fsynced."""
    temp = _temp_name(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    source_fd: int | None = None
    try:
        expected_size = 0
        for part in parts:
            if isinstance(part, bytes):
                view = memoryview(part)
                while view:
                    view = view[os.write(fd, view) :]
                expected_size += len(part)
            else:
                if source_fd is None:
                    assert source is not None
                    source_fd = os.open(source, os.O_RDONLY)
                _copy_range(source_fd, fd, *part)
                expected_size += part[1]
        if os.fstat(fd).st_size != expected_size:
            raise OSError(f"wrote {os.fstat(fd).st_size} bytes instead of {expected_size}")
        if mode is not None:
            os.fchmod(fd, stat.S_IMODE(mode))
        else:
            os.fchmod(fd, 0o666 & ~_UMASK)
        if owner is not None:
            with contextlib.suppress(OSError):
                os.fchown(fd, *owner)
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    finally:
        if source_fd is not None:
            os.close(source_fd)
    os.close(fd)
    return temp


def _same_file_state(path: Path, original: os.stat_result | None) -> bool:
    """True when ``path`` is still the file that was read (or still absent, for a new sidecar).

    Compared: inode, size, mtime and ctime (nanoseconds). Any write, truncation or rename-over
    changes the ctime, which no program can set back, so this catches every change made through
    the file system, including one that restores the mtime.
    """
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return original is None
    if original is None:
        return False
    return (now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns) == (
        original.st_ino,
        original.st_size,
        original.st_mtime_ns,
        original.st_ctime_ns,
    )


def _commit(prepared: _Prepared, parts: Sequence[Part], backup: bool, durable: bool = True) -> Path | None:
    """Temp file, fsync, re-check, rename over, fsync the folder. Returns the backup path if one was made."""
    target = prepared.plan.written_to
    _sweep_folder(target.parent)
    original_stat = prepared.original_stat
    mode = original_stat.st_mode if original_stat is not None else None
    owner = (original_stat.st_uid, original_stat.st_gid) if original_stat is not None else None
    if owner is not None and os.geteuid() != 0:
        owner = None  # only root can give a file away; our own files keep our ids anyway
    temps: list[Path] = []
    backup_path: Path | None = None
    try:
        temp = _write_temp(target, parts, mode, owner, source=target, durable=durable)
        temps.append(temp)
        if backup and original_stat is not None:
            candidate = target.with_name(target.name + BACKUP_SUFFIX)
            if not candidate.exists():
                backup_temp = _write_temp(candidate, [(0, original_stat.st_size)], mode, owner, source=target)
                temps.append(backup_temp)
                os.utime(backup_temp, ns=(original_stat.st_atime_ns, original_stat.st_mtime_ns))
                os.replace(backup_temp, candidate)
                temps.remove(backup_temp)
                backup_path = candidate
            else:
                prepared.plan.warnings.append(
                    f"{target.name}: backup {candidate.name} already exists and was kept (it holds an older version)"
                )
        if not _same_file_state(target, original_stat):
            raise WriteRefused(
                f"{target}: changed on disk while it was being written; nothing was replaced, redo the edit",
                reason="changed",
            )
        os.replace(temp, target)
        temps.remove(temp)
        if durable:
            _fsync_dir(target.parent)
    except OSError as exc:
        raise WriteRefused(f"{target}: cannot write: {exc.strerror or exc}", reason="io") from exc
    finally:
        for leftover in temps:
            with contextlib.suppress(OSError):
                leftover.unlink()
    return backup_path


def write_metadata(
    path: Path | str,
    changes: Mapping[str, ChangeValue],
    *,
    expected: FileStamp | None = None,
    sidecar: bool = False,
    backup: bool = False,
    dry_run: bool = False,
    config: WriteOptions | None = None,
) -> WriteResult:
    """Write ``changes`` (MediaRecord field -> value, None removes) into ``path`` or its sidecar.

    Raises WriteRefused (the file untouched) when the file changed since ``expected``, the format
    cannot be written embedded (retry with ``sidecar=True``), the file is damaged, or the written
    copy fails verification. ``dry_run`` plans and verifies in memory and writes nothing. A write
    with nothing to change leaves the file alone (``result.changes`` is empty).
    """
    options = config or WriteOptions()

    def attempt() -> tuple[_Prepared, list[Part] | None]:
        prepared = _prepare(Path(path), changes, sidecar=sidecar, options=options, expected=expected)
        try:
            if not prepared.plan.changes:
                return prepared, None
            if prepared.plan.mode == "sidecar":
                return prepared, [_apply_sidecar(prepared)]
            return prepared, _apply_embedded(prepared)
        finally:
            prepared.close()

    prepared, parts = _fast_then_exiv2(attempt)
    plan = prepared.plan
    result = WriteResult(plan.path, plan.written_to, plan.changes, plan.warnings, dry_run)
    if parts is None:
        return result
    if dry_run:
        return result
    if plan.mode == "sidecar" and expected is not None and prepared.image_stat is not None:
        _, stamp_now, _ = _read_stamped(plan.path)
        _check_expected(plan.path, stamp_now, expected)
    result.backup = _commit(prepared, parts, backup, durable=options.durable)
    return result


WriteJob = tuple[Path, Mapping[str, ChangeValue]]


# below this many files a batch is written by threads of this process: starting worker processes
# costs more than it saves
PROCESS_BATCH_MIN = 64


def write_many(
    jobs: Iterable[WriteJob],
    write: Callable[[Path, Mapping[str, ChangeValue]], WriteResult] | None = None,
    *,
    workers: int = 4,
    processes: int = 1,
) -> Iterator[tuple[Path, WriteResult | WriteRefused]]:
    """Write many files, in input order, ``workers`` at a time.

    Each file is still one atomic, verified write. Threads overlap the file system work (writing,
    fsync, rename) of several files, and, for JPEGs whose XMP our own editor handles, their CPU work
    too as far as the GIL lets them; exiv2's share runs one file at a time. With ``processes > 1``
    and at least PROCESS_BATCH_MIN files, the batch is split into chunks written by that many worker
    processes (each with ``workers`` threads), so that the CPU work uses several cores; ``write``
    must then be picklable (a module-level function or a picklable callable object). ``write``
    defaults to ``write_metadata`` with default options. Yields ``(path, result or the WriteRefused)``.
    """
    writer = write or write_metadata
    if processes > 1:
        batch = list(jobs)
        if len(batch) >= PROCESS_BATCH_MIN:
            yield from _write_in_processes(batch, writer, workers, processes)
            return
        jobs = batch
    yield from _write_in_threads(jobs, writer, workers)


def _write_in_threads(
    jobs: Iterable[WriteJob],
    writer: Callable[[Path, Mapping[str, ChangeValue]], WriteResult],
    workers: int,
) -> Iterator[tuple[Path, WriteResult | WriteRefused]]:
    def run(job: WriteJob) -> tuple[Path, WriteResult | WriteRefused]:
        try:
            return job[0], writer(*job)
        except WriteRefused as refused:
            return job[0], refused

    if workers <= 1:
        yield from map(run, jobs)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mediameta-write") as pool:
        yield from pool.map(run, jobs)


def _write_chunk(
    writer: Callable[[Path, Mapping[str, ChangeValue]], WriteResult], workers: int, chunk: list[WriteJob]
) -> list[tuple[Path, WriteResult | WriteRefused]]:
    """In a worker process: one chunk of the batch, ``workers`` files at a time."""
    return list(_write_in_threads(chunk, writer, workers))


def _write_in_processes(
    jobs: list[WriteJob],
    writer: Callable[[Path, Mapping[str, ChangeValue]], WriteResult],
    workers: int,
    processes: int,
) -> Iterator[tuple[Path, WriteResult | WriteRefused]]:
    from mediameta.media.scan import _pool_context, _worker_init

    size = max(4, min(32, -(-len(jobs) // (processes * 4))))  # a few chunks per process: even finish
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=_pool_context(), initializer=_worker_init)
    try:
        for results in pool.map(partial(_write_chunk, writer, workers), chunks):
            yield from results
    finally:
        # Ctrl-C, or a caller that stops reading: the chunks being written finish (each file is
        # atomic either way), the ones not started are dropped instead of written
        pool.shutdown(wait=True, cancel_futures=True)


def replace_file_bytes(path: Path | str, data: bytes, *, expected: bytes) -> None:
    """Atomically replace a (non-image) file's content, e.g. an article whose caption a fix rewrote.

    Same guarantees as an image write: temp file in the folder, fsync, refuse (WriteRefused,
    reason "changed") unless the file still holds ``expected``, rename over, fsync the folder.
    """
    target = Path(os.path.realpath(path))
    current, _, current_stat = _read_stamped(target)
    if current != expected:
        raise WriteRefused(f"{target}: changed on disk since it was read; redo the fix", reason="changed")
    plan = WritePlan(target, target, "embedded", "TEXT")
    _commit(_Prepared(plan, current, current_stat), [data], backup=False)


def iter_changes_text(changes: list[FieldChange]) -> Iterator[str]:
    """Human lines for a diff: ``xmp  Xmp.dc.description: 'old' -> 'new'  (note)``."""
    for change in changes:
        line = f"  {change.block:<7} {change.tag}: {_show(change.old)} -> {_show(change.new)}"
        if change.note:
            line += f"  ({change.note})"
        yield line


def _show(value: ChangeValue) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(repr(item) for item in value) + "]"
    return repr(value)
