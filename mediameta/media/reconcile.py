"""Reconcile EXIF, IPTC and XMP the way the Metadata Working Group guidelines say (exiftool's MWG tags).

Rule (also in docs/metadata.md):

1. ``description``, ``copyright``, ``creators`` (the fields EXIF also carries): a non-blank EXIF
   value wins (ImageDescription, Copyright, Artist split on ``"; "``) -- except a camera's default
   ImageDescription ("OLYMPUS DIGITAL CAMERA", "SONY DSC", its own Make) when IPTC or XMP carry a
   caption: exiftool's MWG tag would show the camera's text, a photo desk needs the caption.
2. Otherwise XMP wins when the file has no IPTC IIM, or when it has XMP for the field and the
   IPTC digest (Photoshop resource 0x0425) is absent or equals the MD5 of the IIM bytes: IIM and
   XMP were last written together, and XMP is the richer copy.
3. Otherwise (the digest says IIM was edited after XMP by a tool that does not know XMP) IIM
   wins. An IIM value that is the XMP value cut at its dataset's byte limit (on a character
   boundary, in UTF-8 or, for IIM not in UTF-8, in cp1252) is the same text truncated: XMP is used
   ("recover truncated IPTC"). When IIM lacks the field, XMP
   fills in (exiftool would give nothing; the desk is better served seeing the stale value).
4. ``date_created`` follows MWG DateTimeOriginal: EXIF DateTimeOriginal, else XMP
   photoshop:DateCreated under rule 2, else IIM 2:55 + 2:60. ``make``, ``model``, ``gps``: EXIF,
   else XMP (tiff:/exif: namespaces).
5. Sidecar XMP and container text (PNG tEXt, block "file") only fill fields still empty.

A field whose blocks hold different values after normalisation (whitespace collapsed, keywords
as a set, dates compared to the precision both carry, positions within 1e-4 degree, an IIM value
that is the other value cut at its dataset's byte limit forgiven, as rule 3 says: that is how
mediameta's writer and every MWG writer fit a long value into IIM) is listed in ``conflicts``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mediameta.media.iptc import IIM_LIMITS
from mediameta.models import Block, FieldConflict, FieldValue

EXIF_FIRST = frozenset({"description", "copyright", "creators"})
EXIF_ONLY_FIRST = frozenset({"make", "model", "date_created", "gps"})
BLOCK_ORDER: tuple[Block, ...] = ("exif", "iptc", "xmp", "sidecar", "file")


def _norm_text(value: str) -> str:
    return " ".join(value.split())


def _encodings(charset: object) -> tuple[str, ...]:
    """The encodings an IIM block's values may have been cut in, from the reader's ``_charset``.

    UTF-8 always (what mediameta and every MWG writer use); for IIM that is not UTF-8 ("cp1252", or
    "ascii" when every byte is ASCII, e.g. after a cut in front of the first accented letter), the
    single-byte newsroom charsets too.
    """
    if isinstance(charset, str) and charset.startswith("utf-8"):
        return ("utf-8",)
    return ("utf-8", "cp1252", "latin-1")


def _cut(text: str, limit: int, encoding: str) -> str | None:
    """``text`` cut to ``limit`` bytes in ``encoding`` on a character boundary; None when it fits
    (nothing to cut) or cannot be encoded so."""
    try:
        encoded = text.encode(encoding)
    except UnicodeEncodeError:
        return None
    if len(encoded) <= limit:
        return None
    return encoded[:limit].decode(encoding, errors="ignore")


def _is_truncation(
    iptc_value: FieldValue, other: FieldValue, limit: int, encodings: tuple[str, ...] = ("utf-8",)
) -> bool:
    """Whether the IIM value is ``other`` cut at the dataset's byte ``limit`` (whole characters, in
    one of ``encodings``; whitespace compared as the reader leaves it: IIM values are stripped)."""
    if isinstance(iptc_value, list) or isinstance(other, list):
        if not (isinstance(iptc_value, list) and isinstance(other, list)) or len(iptc_value) != len(other):
            return False
        return all(
            _norm_text(a) == _norm_text(b) or _is_truncation(a, b, limit, encodings)
            for a, b in zip(iptc_value, other, strict=True)
        )
    wanted = _norm_text(iptc_value)
    if not wanted:
        return False
    for encoding in encodings:
        cut = _cut(other, limit, encoding)
        if cut is not None and _norm_text(cut) == wanted:
            return True
    return False


# ImageDescription texts cameras and phones write by themselves (compared case-insensitively,
# whitespace collapsed); the camera's own Make is one too ("SAMSUNG", "SONY").
CAMERA_DEFAULT_DESCRIPTIONS: frozenset[str] = frozenset(
    {
        "olympus digital camera",
        "sony dsc",
        "digital camera",
        "dcim",
        "samsung camera pictures",
        "samsung digital camera",
        "kodak digital still camera",
        "minolta digital camera",
        "konica minolta digital camera",
        "leica digital camera",
        "nikon digital camera",
        "panasonic digital camera",
        "exif_jpeg_picture",
        "default",
    }
)


def is_camera_default(description: str, make: str | None = None) -> bool:
    text = " ".join(description.split()).lower()
    return text in CAMERA_DEFAULT_DESCRIPTIONS or (
        make is not None and text == " ".join(make.split()).lower()
    )


def _camera_default_loses(
    exif: Mapping[str, object], iptc: Mapping[str, object], xmp: Mapping[str, object]
) -> bool:
    """The one exception to rule 1: a camera's default ImageDescription does not hide a caption
    that IPTC or XMP carry."""
    value, make = exif.get("description"), exif.get("make")
    if not isinstance(value, str) or not is_camera_default(value, make if isinstance(make, str) else None):
        return False
    others = (block.get("description") for block in (iptc, xmp))
    return any(isinstance(other, str) and not is_camera_default(other) for other in others)


def choose_block(
    name: str,
    blocks: Mapping[str, Mapping[str, object]],
    has_iim: bool,
    digest_ok: bool,
) -> Block | None:
    """Which block supplies ``name`` (rules 1-5 above)."""
    exif = blocks.get("exif", {})
    iptc = blocks.get("iptc", {})
    xmp = blocks.get("xmp", {})
    if (
        (name in EXIF_FIRST or name in EXIF_ONLY_FIRST)
        and name in exif
        and not (name == "description" and _camera_default_loses(exif, iptc, xmp))
    ):
        return "exif"
    if name in xmp and (not has_iim or digest_ok):
        return "xmp"
    if name in iptc:
        limit = IIM_LIMITS.get(name)
        iptc_value = iptc[name]
        xmp_value = xmp.get(name)
        if (
            limit is not None
            and isinstance(iptc_value, str | list)
            and isinstance(xmp_value, str | list)
            and _is_truncation(iptc_value, xmp_value, limit, _encodings(iptc.get("_charset")))
        ):
            return "xmp"
        return "iptc"
    if name in xmp:
        return "xmp"
    for late in ("sidecar", "file"):
        if name in blocks.get(late, {}):
            return late
    return None


def _comparable(name: str, value: FieldValue) -> object:
    if name == "date_created" and isinstance(value, str):
        return value
    if isinstance(value, list):
        items = [_norm_text(v) for v in value if _norm_text(v)]
        return frozenset(items) if name == "keywords" else tuple(items)
    return _norm_text(value)


def _dates_agree(a: str, b: str) -> bool:
    """Compare to the precision both carry: date only, or date and time to the second."""
    if "T" in a and "T" in b:
        return a[:19] == b[:19]
    return a[:10] == b[:10]


def _positions_agree(a: str, b: str) -> bool:
    """``"lat, lon[, alt]"`` texts within 1e-4 degree (about 11 m): EXIF rationals and XMP
    degree-minute strings of the same fix differ in the last digits."""
    try:
        lat_a, lon_a = (float(x) for x in a.split(",")[:2])
        lat_b, lon_b = (float(x) for x in b.split(",")[:2])
    except ValueError:
        return a == b
    return abs(lat_a - lat_b) < 1e-4 and abs(lon_a - lon_b) < 1e-4


def find_conflicts(
    blocks: Mapping[str, Mapping[str, FieldValue]], fields: tuple[str, ...]
) -> list[FieldConflict]:
    conflicts: list[FieldConflict] = []
    present: dict[str, list[tuple[str, FieldValue]]] = {}
    for block in BLOCK_ORDER:
        for name, value in blocks.get(block, {}).items():
            entries = present.get(name)
            if entries is None:
                present[name] = [(block, value)]
            else:
                entries.append((block, value))
    for name in fields:
        items = present.get(name)
        if items is None or len(items) < 2:
            continue
        first = items[0][1]
        if all(value == first for _, value in items[1:]):  # the usual case: blocks written together
            continue
        limit = IIM_LIMITS.get(name)
        encodings = _encodings(blocks.get("iptc", {}).get("_charset"))
        disagree = False
        for i, (block_a, value_a) in enumerate(items):
            for block_b, value_b in items[i + 1 :]:
                if value_a == value_b:
                    continue
                if name == "date_created" and isinstance(value_a, str) and isinstance(value_b, str):
                    same = _dates_agree(value_a, value_b)
                elif name == "gps" and isinstance(value_a, str) and isinstance(value_b, str):
                    same = _positions_agree(value_a, value_b)
                else:
                    same = _comparable(name, value_a) == _comparable(name, value_b)
                if not same and limit is not None:
                    if block_a == "iptc":
                        same = _is_truncation(value_a, value_b, limit, encodings)
                    elif block_b == "iptc":
                        same = _is_truncation(value_b, value_a, limit, encodings)
                if not same:
                    disagree = True
                    break
            if disagree:
                break
        if disagree:
            conflicts.append(FieldConflict(field=name, values=dict(items)))
    return conflicts


def split_artist(artist: str) -> list[str]:
    """MWG string list: values separated by ``"; "``, quoted with ``"`` when they contain one."""
    values: list[str] = []
    in_quotes = False
    for part in artist.split("; "):
        was_quoted = in_quotes
        if not in_quotes and part.startswith('"'):
            in_quotes = True
            part = part[1:]
        if in_quotes:
            stripped = re.sub(r'((?:^|[^"])(?:"")*)"$', r"\1", part, count=1)
            if stripped != part:
                in_quotes = False
                part = stripped
            part = part.replace('""', '"')
        if was_quoted and values:
            values[-1] += "; " + part
        else:
            values.append(part)
    return [v.strip() for v in values if v.strip()]
