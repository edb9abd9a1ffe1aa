"""What the three article readers share: decoding, positions, and telling captions from body text.

A reader turns its format into *pieces* (a run of text with the 1-based line and column of its first
character in the file) grouped into *blocks* (text with no blank line / no block boundary between).
:func:`classify_block` then decides, piece by piece, what is a caption, what is body text and what is
page furniture (newsletter prompts, gallery UI). The rules, in order:

- a piece is split into *units*: one per line, except that a line which does not end a sentence
  continues on the next one (hard-wrapped text);
- boilerplate units are dropped;
- a unit is a caption when :func:`caption_of` accepts it: the parser found a credit, and the credit
  stands where captions put it (at the end, or at the start in a strong form) behind a sentence
  boundary — so "… TASS reported." is body text;
- a unit followed directly by a credit-only unit is one caption, positioned at the first unit and
  written as the two joined by a single space.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Literal

from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.captions.dates import find_date
from mediameta.captions.parse import parse_caption
from mediameta.models import Caption, CaptionOccurrence, TextBlock

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""Articles above this size are not read (an error on the Article says so)."""

MAX_CAPTION_CHARS = 1500
"""A unit longer than this is body text: no caption runs to a page."""

Kind = Literal["caption", "paragraph", "skip"]


# --------------------------------------------------------------------------- decoding


_HTML_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})""",
    re.IGNORECASE,
)


def decode_article(data: bytes, *, html: bool = False) -> tuple[str, list[str]]:
    """Bytes → text and the problems met on the way; never raises.

    UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM when the NUL pattern is
    unmistakable, an HTML ``<meta charset>``, and last cp1252 (undecodable bytes replaced).
    """
    errors: list[str] = []
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec), errors
            except UnicodeDecodeError as exc:
                errors.append(
                    f"{codec} byte order mark but invalid {codec} at byte {exc.start + len(bom)}; undecodable bytes replaced"
                )
                return body.decode(codec, errors="replace"), errors
    guessed = _utf16_without_bom(data)
    if guessed is not None:
        try:
            return data.decode(guessed), errors
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), errors
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if html:
        declared = _HTML_CHARSET.search(data[:4096])
        if declared is not None:
            name = (declared.group(1) or declared.group(2)).decode("ascii", "replace")
            try:
                codec = codecs.lookup(name).name
            except LookupError:
                errors.append(f"unknown charset {name!r} declared")
            else:
                if codec not in ("utf-8", "utf-16", "utf-32"):
                    try:
                        return data.decode(codec), errors
                    except UnicodeDecodeError:
                        errors.append(f"declared charset {name!r} does not fit the bytes")
    errors.append(f"not valid UTF-8 (byte {first_bad}); decoded as cp1252")
    return data.decode("cp1252", errors="replace"), errors


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def looks_binary(text: str) -> bool:
    """True when ``text`` is not prose: NULs, or many control characters in its first 8 KB."""
    sample = text[:8192]
    if "\x00" in sample:
        return True
    return len(sample) > 0 and len(_CONTROL.findall(sample)) > 0.02 * len(sample)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as an editor numbers them: split at LF, CRLF or a lone CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --------------------------------------------------------------------------- pieces and blocks


@dataclass(frozen=True, slots=True)
class Piece:
    """Text that starts at (line, column) in the file, 1-based, column counted in characters."""

    text: str
    line: int
    column: int


@dataclass(slots=True)
class Found:
    """What a reader collects; turned into the Article's captions and paragraphs."""

    captions: list[CaptionOccurrence] = field(default_factory=list)
    paragraphs: list[TextBlock] = field(default_factory=list)
    # texts already run through caption_of by a reader's look-ahead; each entry is used once, so two
    # occurrences of the same text never share one Caption object
    parsed: dict[tuple[int, str], Caption | None] = field(default_factory=dict)  # (line, text)


_SPACES = re.compile(r"\s+")


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# --------------------------------------------------------------------------- boilerplate

_BOILERPLATE = re.compile(
    r"""^(?:
        stay\s+(?:updated|informed|up\s+to\s+date|tuned|connected)\b.{0,80}
      | (?:subscribe|sign\s+up|register|join)\b.{0,100}
      | .{0,80}\bnewsletters?\b.{0,60}
      | (?:image|photo|picture|slide|foto|bild)?\s*\d{1,3}\s*(?:/|of|von|de|sur)\s*\d{1,3}
      | enlarge\s+(?:this\s+)?image | (?:hide|show|toggle)\s+caption | expand(?:\s+image)?
      | (?:purchase|buy)\s+licens(?:ing|e)\s+rights.{0,30}
      | (?:click|tap)\s+(?:here\s+)?to\s+(?:enlarge|expand|view|see).{0,60}
      | (?:open|view|see)\s+(?:image\s+)?(?:in\s+)?(?:the\s+)?(?:full\s+)?(?:gallery|slideshow|image).{0,40}
      | advertisement | anzeige | werbung | sponsored(?:\s+content)?
      | (?:read|see)\s+(?:more|also)\b.{0,120} | related(?:\s+articles?|\s+stories)?\s*:?.{0,120}
      | share(?:\s+this(?:\s+article|\s+story)?|\s+on\s+\w+)?\s*:? | copy\s+link | follow\s+us\b.{0,80}
      | (?:additional\s+)?(?:reporting|writing|editing)\s+by\b.{0,300}
      | \((?:additional\s+)?(?:reporting|writing|editing)\s+by\b.{0,300}
      | previous | next | close | download | play\s+video | watch:?.{0,80}
    )[\s.!:]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_LEADING_UI = re.compile(
    r"^(?:(?:enlarge\s+this\s+image|(?:image|photo|slide)\s+\d{1,3}\s+(?:of|/)\s+\d{1,3}:?|\d{1,3}\s*/\s*\d{1,3}"
    r"|(?:caption|bildunterschrift|légende|legende|pie\s+de\s+foto|didascalia)\s*:)\s+)+",
    re.IGNORECASE,
)
_TRAILING_UI = re.compile(
    r"\s*(?:(?:purchase|buy)\s+licens(?:ing|e)\s+rights(?:,?\s*opens\s+new\s+tab)?|open\s+image\s+in\s+gallery)[\s.]*$",
    re.IGNORECASE,
)


_FILE_NAME = re.compile(
    r"^[\w\-.~%+ ]{1,120}\.(?:jpe?g|png|gif|webp|tiff?|heic|heif|avif|bmp|svg)$", re.IGNORECASE
)


def is_file_name(text: str) -> bool:
    """An alt text that is only the picture's file name ("bandb2.jpg"): not a description."""
    return _FILE_NAME.match(text) is not None


def is_boilerplate(text: str) -> bool:
    """Page furniture: newsletter prompts, gallery counters and buttons, share and read-more links."""
    return len(text) <= 400 and _BOILERPLATE.match(text) is not None


def trim_ui(text: str) -> tuple[str, int]:
    """``text`` without gallery UI and labels around it ("1/5 …", "Caption: …", "… Purchase Licensing
    Rights"), and how many characters were cut from the front."""
    cut = 0
    leading = _LEADING_UI.match(text)
    if leading is not None and leading.end() < len(text):
        cut = leading.end()
    trailing = _TRAILING_UI.search(text, cut)
    end = trailing.start() if trailing is not None and trailing.start() > cut else len(text)
    return text[cut:end], cut


def strip_trailing_ui(text: str) -> str:
    """``text`` without a trailing "Purchase Licensing Rights" / "Open image in gallery"."""
    trailing = _TRAILING_UI.search(text)
    return text[: trailing.start()] if trailing is not None and trailing.start() > 0 else text


# --------------------------------------------------------------------------- captions vs body text

_REPORTING = re.compile(
    r"\b(?:reported|reports|reporting|said|says|told|tells|wrote|writes|added|adds|according|quoted|"
    r"cited|citing|announced|confirmed|stated|noted|berichtet|berichtete|meldet|meldete|sagte)\b",
    re.IGNORECASE,
)
_STRONG_LEAD = re.compile(
    r"(?:[(\[]\s*(?:photo|foto|image|bild)?|\bcredits?\s*:?|\b(?:photo(?:graph)?|picture|image|foto|bild)(?:s|er)?\s*"
    r"(?:credit\s*)?:|\b(?:quelle|source)\s*:|©|\(c\)|\bcopyright|\bmandatory\s+credit\s*:?|\bcourtesy(?:\s+of)?"
    r"|\b(?:photo(?:graph)?|picture|image|illustration|graphic|drawing|artwork|video|foto|bild)s?\s+(?:by|von|par|de))\s*$",
    re.IGNORECASE,
)
_TAIL_OK = re.compile(r"^[\s.,;:!?)\]}\"'”’»›…*_–—\u200b\u200c\u200d\ufeff-]*$")
# what may follow a credit in a caption: a second credit in brackets, a wire's tags, caption UI
_TRAILER = re.compile(
    r"^[\s.,;)\]]*(?:[(\[|/]|(?:hide|toggle)\s+caption|ORG\s+XMIT|close\b|expand\b|enlarge\b"
    r"|(?:photo(?:graph)?|image|picture|foto|bild)s?\s*(?:credit|by|von|:)|credit)",
    re.IGNORECASE,
)
_PROSE = re.compile(r"\b[a-zà-ÿ]{4,}\b(?<!\breserved)(?<!\brights)")
_BOUNDARY_BEFORE = frozenset(".!?:;)]\"'”’»|–—-/…*")
# a name right after one of these is part of the sentence ("… told Reuters", "… to the AP")
_IN_SENTENCE = re.compile(
    r"\b(?:to|by|from|with|of|in|on|at|for|the|a|an|and|or|than|told|via|per|like|about|against|into|über|von|mit|bei)$",
    re.IGNORECASE,
)
_QUOTE_START = re.compile(r"^[\"“„«‘']")


def caption_of(text: str, catalogue: AgencyCatalogue | None) -> Caption | None:
    """The parsed caption when ``text`` reads as a photo caption, else None.

    Needs a credit from :func:`parse_caption` that stands where captions put it: at the end of the
    text (only punctuation after it) or at its start, and, unless it is in a strong form (slash,
    bar, brackets, a label such as "Photo:"), behind a sentence boundary and not followed by a
    reporting verb. Long text and quotations are body text.
    """
    if not text or len(text) > MAX_CAPTION_CHARS:
        return None
    caption = parse_caption(text, catalogue)
    credit = caption.credit
    if credit is None:
        return None
    span = caption.spans.get("credit")
    if span is None:
        start = text.find(credit.raw)
        if start < 0:
            return caption if len(text) < 300 else None
        start, end = start, start + len(credit.raw)
    else:
        start, end = span.start, span.end
    before = text[:start].rstrip()
    after = text[end:]
    raw = credit.raw
    lead = _STRONG_LEAD.search(before) is not None
    strong = lead or any(mark in raw for mark in "/|") or before.endswith(("(", "["))
    at_end = _TAIL_OK.match(after) is not None or (len(after) <= 200 and _TRAILER.match(after) is not None)
    at_start = not at_end and (before == "" or (lead and len(before) <= 40))
    if not (at_end or at_start):
        return None
    if _REPORTING.search(raw) or _REPORTING.match(after.lstrip(" ,")):
        return None
    if not strong:
        if _QUOTE_START.match(text) or _IN_SENTENCE.search(before):
            return None
        # no sentence boundary before the credit: only a known agency makes it one ("… Getty Images")
        if before and before[-1] not in _BOUNDARY_BEFORE and not credit.agencies:
            return None
    if len(text) <= 200 and is_page_footer(text) and (at_end or not _PROSE.search(after)):
        return None  # a site's copyright line, unless a description follows the credit
    return caption


def is_credit_only(caption: Caption) -> bool:
    """True when the parsed text is nothing but a credit (no description)."""
    if caption.credit is None:
        return False
    body = caption.body or ""
    return not any(ch.isalnum() for ch in body)


_FOOTER = re.compile(
    r"^(?:©|\(c\)|copyright\b).{0,200}(?:all\s+rights\s+reserved|\b(?:inc|ltd|llc|gmbh|corp|co|s\.?a|ag)\b\.?|"
    r"\b(?:19|20)\d{2}\b)",
    re.IGNORECASE,
)


def is_page_footer(text: str) -> bool:
    """A site's copyright line ("© Newcom Media Inc.", "Copyright © … 2023"): not a photo credit."""
    return _FOOTER.match(text) is not None


# --------------------------------------------------------------------------- units

_SENTENCE_END = re.compile(r"[.!?…:;)\]\"'”’»]\s*$")


def split_units(pieces: list[Piece]) -> list[list[Piece]]:
    """Group a block's lines into units: a line that does not end a sentence runs on into the next."""
    units: list[list[Piece]] = []
    current: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        current.append(piece)
        if _SENTENCE_END.search(piece.text):
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def unit_text(unit: list[Piece]) -> str:
    return " ".join(piece.text for piece in unit)


_NOT_PARSED: Caption | None = Caption(text="")  # a sentinel: no look-ahead result for this text


def classify_block(
    pieces: list[Piece],
    path: str,
    catalogue: AgencyCatalogue | None,
    found: Found,
) -> list[Kind]:
    """Sort one block's text into captions (added to ``found.captions``) and body paragraphs
    (``found.paragraphs``); boilerplate goes nowhere. Returns the kind of each unit, in order."""
    units = split_units(pieces)
    texts = [unit_text(unit) for unit in units]
    parsed: dict[int, tuple[str, int, Caption | None]] = {}  # each unit is parsed once

    def read(position: int) -> tuple[str, int, Caption | None]:
        if position not in parsed:
            trimmed, cut = trim_ui(texts[position])
            ahead = found.parsed.pop((units[position][0].line, trimmed), _NOT_PARSED)
            result = caption_of(trimmed, catalogue) if ahead is _NOT_PARSED else ahead
            parsed[position] = (trimmed, cut, result)
        return parsed[position]

    kinds: list[Kind] = []
    index = 0
    while index < len(units):
        unit = units[index]
        text = texts[index]
        first = unit[0]
        if is_boilerplate(text):
            kinds.append("skip")
            index += 1
            continue
        trimmed, cut, caption = read(index)
        if caption is None and index + 1 < len(units):
            follower = texts[index + 1]
            follower_caption = read(index + 1)[2] if len(follower) <= 400 else None
            if (
                follower_caption is not None
                and is_credit_only(follower_caption)
                and not is_boilerplate(follower)
                and not is_page_footer(follower)
            ):
                joined = f"{trimmed} {follower}"
                joined_caption = caption_of(joined, catalogue)
                if joined_caption is not None:
                    found.captions.append(
                        occurrence(path, first, cut, joined, joined_caption, source="paragraph")
                    )
                    kinds.extend(("caption", "caption"))
                    index += 2
                    continue
        if caption is not None:
            found.captions.append(occurrence(path, first, cut, trimmed, caption, source="paragraph"))
            kinds.append("caption")
        else:
            found.paragraphs.append(TextBlock(line=first.line, column=first.column, text=text))
            kinds.append("paragraph")
        index += 1
    return kinds


def occurrence(
    path: str,
    first: Piece,
    cut: int,
    text: str,
    caption: Caption,
    *,
    source: str,
    image_ref: str | None = None,
) -> CaptionOccurrence:
    """A CaptionOccurrence for ``text`` that starts ``cut`` characters into ``first`` (same line)."""
    return CaptionOccurrence(
        path=path,
        line=first.line,
        column=first.column + min(cut, len(first.text)),
        text=text,
        caption=caption,
        image_ref=image_ref,
        source=source,
    )


# --------------------------------------------------------------------------- dates


_ISO_DATE = re.compile(
    r"^\s*[\"']?((?:1[89]|20)\d{2})-([01]\d)-([0-3]\d)(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?[\"']?\s*$"
)


def iso_date(value: str) -> str | None:
    """The full ISO date ``value`` states (ISO, "March 3, 2025", "3 March 2025", "03.03.2025"), else None.

    A date-time keeps the date as written: no time-zone conversion, so the day the publisher printed.
    """
    value = value.strip()
    if not value or len(value) > 200:
        return None
    match = _ISO_DATE.match(value)
    if match is not None:
        return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    found = find_date(value)
    if found is not None and len(found.iso) == 10:
        return found.iso
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
