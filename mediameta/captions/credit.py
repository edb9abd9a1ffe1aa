"""The credit grammar: find the credit in a caption and split it into photographers, agencies and
qualifiers.

A credit is a *chain* of parts joined by separators (``/``, `` / ``, ``|``, ``via``, ``for``, ``,``,
dashes): ``REUTERS/Leah Millis/File Photo``, ``Jesse Grant/Getty Images for NAMM``. It is found in
one of four places, tried together and the earliest valid one wins:

* after a label: ``Photo:``, ``Foto:``, ``(photo credit: …)``, ``Photo by``, ``©``, ``Credit Credit…``;
* in a trailing parenthesis without a label that names a known agency: ``(AP Photo/Evan Vucci)``;
* as an unlabelled chain at the end of the text: ``… in Washington. Evan Vucci/AP Photo``;
* as the whole text (credit-only captions): ``Andrew Harnik/Shutterstock``.

Every candidate is validated part by part (a part must read as a person, an organisation, a
qualifier or a place), which is what keeps "Reuters reported on Monday" in a body sentence and
headline-like text after ``Photos:`` from becoming credits. All regexes are precompiled and linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import Literal, NamedTuple

from mediameta.captions.catalogue import Agency, AgencyCatalogue, normalise_name
from mediameta.captions.places import is_place_name
from mediameta.models import Qualifier

PartKind = Literal["photographer", "agency", "qualifier", "other"]


class CreditPart(NamedTuple):
    """One classified piece of a credit, with its offsets in the caption text (a tuple: cheap to make)."""

    kind: PartKind
    value: str  # photographer as written, agency canonical name, qualifier name
    start: int
    end: int
    guessed: bool = False  # an unknown one-word name read as an organisation by default


@dataclass(slots=True)
class CreditMatch:
    """A credit found in a caption: its content span, the block to cut from the body, its parts."""

    start: int  # credit content, without label and brackets
    end: int
    block_start: int  # content plus label, brackets and separators before it
    block_end: int
    parts: list[CreditPart] = field(default_factory=list)
    qualifiers: list[Qualifier] = field(default_factory=list)

    @property
    def photographers(self) -> list[CreditPart]:
        return [p for p in self.parts if p.kind == "photographer"]

    @property
    def agencies(self) -> list[CreditPart]:
        return [p for p in self.parts if p.kind == "agency"]


# --------------------------------------------------------------------------- vocabulary

# Whole-part qualifiers ("REUTERS/Leah Millis/File Photo"), keyed by normalised text.
_QUALIFIER_WORDS: dict[str, Qualifier | None] = {
    "file": "file",
    "file photo": "file",
    "file pic": "file",
    "file picture": "file",
    "file image": "file",
    "archive": "file",
    "archiv": "file",
    "archivbild": "file",
    "archivfoto": "file",
    "archive photo": "file",
    "archives": "file",
    "pool": "pool",
    "pool photo": "pool",
    "pool photographer": "pool",
    "handout": "handout",
    "handout photo": "handout",
    "ho": "handout",
    "supplied": "handout",
    "handout picture": "handout",
    "illustration": "illustration",
    "photo illustration": "illustration",
    "photoillustration": "illustration",
    "illustrated": "illustration",
    "montage": "illustration",
    "photo montage": "illustration",
    "fotomontage": "illustration",
    "collage": "illustration",
    "screenshot": "screenshot",
    "screen shot": "screenshot",
    "screengrab": "screenshot",
    "screen grab": "screenshot",
    "screen capture": "screenshot",
    "bildschirmfoto": "screenshot",
    "video grab": "screenshot",
    "courtesy": "courtesy",
    "public domain": "licence",
    "gemeinfrei": "licence",
    "cc0": "licence",
    "stock": "stock",
    "stock photo": "stock",
    # words that are valid credit parts but add nothing
    "uncredited": None,
    "str": None,
    "stringer": None,
    "staff": None,
    "staff photo": None,
    "composite": None,
    "ausschnitt": None,
    "photo": None,
    "photos": None,
    "foto": None,
    "fotos": None,
    "image": None,
    "images": None,
    "private": None,
    "privat": None,
    "afp photo": None,
    "all rights reserved": None,
}
_QUALIFIER_FIRST_WORDS = frozenset(key.split(" ", 1)[0] for key in _QUALIFIER_WORDS)
_LICENCE = re.compile(
    r"^(?:cc[\s-]?(?:by|0)(?:[\s-]?(?:sa|nd|nc))*(?:[\s-]?\d(?:\.\d)?)?(?:\s+\w+)?|creative\s+commons\b.*"
    r"|gnu\s+free\s+documentation.*|public\s+domain\b.*|gfdl.*)$",
    re.IGNORECASE,
)

# Lowercase words that mark an organisation name (a person is never "X Images").
_ORG_WORDS = frozenset(
    [
        "forum",
        "initiative",
        "project",
        "campaign",
        "coalition",
        "alliance",
        "movement",
        "trust",
        "fund",
        "images",
        "image",
        "photos",
        "photo",
        "pictures",
        "picture",
        "press",
        "news",
        "media",
        "agency",
        "agence",
        "agentur",
        "associated",
        "times",
        "post",
        "herald",
        "tribune",
        "daily",
        "weekly",
        "journal",
        "gazette",
        "telegraph",
        "telegram",
        "chronicle",
        "star",
        "sun",
        "observer",
        "guardian",
        "independent",
        "mail",
        "mirror",
        "express",
        "review",
        "magazine",
        "monthly",
        "network",
        "networks",
        "tv",
        "radio",
        "television",
        "broadcasting",
        "studios",
        "studio",
        "productions",
        "pictures",
        "films",
        "entertainment",
        "records",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "llc",
        "corp",
        "corp.",
        "corporation",
        "co",
        "co.",
        "company",
        "group",
        "gmbh",
        "ag",
        "sa",
        "plc",
        "foundation",
        "institute",
        "institution",
        "university",
        "college",
        "school",
        "museum",
        "library",
        "archive",
        "archives",
        "collection",
        "gallery",
        "society",
        "association",
        "council",
        "ministry",
        "department",
        "office",
        "service",
        "services",
        "unit",
        "police",
        "army",
        "navy",
        "force",
        "forces",
        "command",
        "government",
        "commission",
        "committee",
        "agency",
        "authority",
        "bureau",
        "center",
        "centre",
        "hospital",
        "church",
        "club",
        "league",
        "federation",
        "union",
        "party",
        "embassy",
        "consulate",
        "parliament",
        "senate",
        "congress",
        "court",
        "administration",
        "nasa",
        "esports",
        "games",
        "sports",
        "sport",
        "wire",
        "feature",
        "features",
        "design",
        "designs",
        "labs",
        "lab",
        "systems",
        "technologies",
        "technology",
        "software",
        "publishing",
        "publishers",
        "books",
        "stock",
        "commons",
        "wikimedia",
        "creative",
        "global",
        "international",
        "national",
        "world",
    ]
)
_NAME_PARTICLES = frozenset(
    [
        "de",
        "da",
        "das",
        "do",
        "dos",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "ter",
        "ten",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "e",
        "zu",
        "af",
    ]
)
_CONNECTORS = frozenset(
    ["of", "and", "&", "für", "de", "du", "des", "der", "la", "le", "et", "y", "for", "the", "on"]
)
# Word endings of organisations: domains and German compounds ("Naturkundemuseum", "Landespolizei").
_ORG_SUFFIXES = (
    ".com",
    ".org",
    ".net",
    "museum",
    "verlag",
    "archiv",
    "bibliothek",
    "stiftung",
    "zentrum",
    "institut",
    "ministerium",
    "polizei",
    "universität",
    "klinikum",
    "gesellschaft",
    "verband",
    "verein",
    "gmbh",
    "amt",
    "presse",
    "agentur",
    "zeitung",
    "rundfunk",
    "fernsehen",
)
_ORG_CONNECTORS = frozenset(["of", "für", "des", "et", "y", "for", "on"])

_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.\-]*|[A-Z]\.(?:[A-Z]\.)*|\w+[-'’]\w+)$")
_ALLCAPS = re.compile(r"^[A-ZÀ-ÖØ-Þ'’.\-]+$")
_HANDLE = re.compile(r"^[\w.\-]{2,30}$")
_HAS_LOWER_START = re.compile(r"^[a-zß-ÿ]")
_YEAR = re.compile(r"^(?:©\s*)?(?:1[89]|20)\d{2}$")
_BAD_CHARS = re.compile(r"[:;\"“”«»?!=<>{}\[\]#@*~^%$]")
_TRIM_LEFT = " \t\n\r([{'\"“‘.,-–—\u200b"
_TRIM_RIGHT = " \t\n\r)]}'\"”’,-–—\u200b"
_LICENCE_STARTS = ("cc", "creative", "gnu", "public", "gfdl")
_SOCIAL_HANDLE = re.compile(r"@[\w.]{2,30}$")
_YEAR_PREFIX = re.compile(r"(?:1[89]|20)\d{2}\s+")
_INITIAL = re.compile(r"[A-Z]\.")
_LATIN = re.compile(r"[A-Za-zÀ-ÿĀ-ž]")
_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"^[\d.,:/-]+$")

# Phrases at the start of a part that say how the party relates to the picture.
_PART_PREFIX = re.compile(
    r"(?:(?P<courtesy>(?:(?:photo(?:graph)?s?|image|picture|foto|bild)\s+)?courtesy(?:\s+of)?\s+"
    r"|mit\s+fr(?:eun)?dl(?:icher|\.)\s*gen(?:ehmigung|\.)\s*(?:von\.?\s*)?)"
    r"|(?P<illustration>(?:photo\s+)?(?:illustration|montage|collage)\s+(?:by\s+|von\s+)?|montasje\s+av\s+"
    r"|illustrated\s+by\s+)"
    r"|(?P<by>(?:(?:photo(?:graph)?s?|images?|pictures?|fotos?|bild|video|film|graphic|map)\s+)?(?:by|von|par|di|por)\s+"
    r"|(?:submitted|provided|supplied|taken|shot)\s+by\s+|composite\s+|via\s+)"
    r"|(?P<copyright>(?:©|\(c\)|copyright\b)\s*(?:\d{4}\s+)?))",
    re.IGNORECASE,
)

# The first two characters (lowercased) of every _PART_PREFIX alternative: a cheap test before
# running the regex ("©" and letters IGNORECASE folds onto ASCII ones are not ASCII: the regex runs).
_PART_PREFIX_HEADS = frozenset(
    {
        "ph",
        "im",
        "pi",
        "fo",
        "bi",
        "co",
        "mi",
        "il",
        "mo",
        "vi",
        "fi",
        "gr",
        "ma",
        "by",
        "vo",
        "pa",
        "di",
        "po",
    }
    | {"su", "pr", "ta", "sh", "(c"}
)

# Separators between the parts of a chain: "/", "//", "|", " via ", " for ", " on Unsplash", " - ",
# dashes, ";", "," and a sentence dot before a capital (not after an initial, "St." or "Dr.").
# Every alternative begins with one character of the leading class, so the regex engine skips
# straight to those characters; a lookbehind then picks the alternatives that begin with the
# character consumed. (Written as a plain alternation, every position of the text paid for the
# dot alternative's lookbehinds.)
_SEPARATOR = re.compile(
    r"[/|,;–—.\s](?:(?<=\s)(?:\s*(?:v[ií]a|for)\s+|\s*on\s+(?=unsplash|pexels|pixabay|flickr|instagram)|[-–—]\s)"
    r"|(?<=/)/?|(?<=\|)|(?<=,)\s+v[ií]a\s+|(?<=[–—;,])"
    r"|(?<=\.)(?-i:(?<!\b[A-Z]\.))(?<!\b(?:st|jr|sr|dr|mt|ft)\.)(?<!\bfrdl\.)(?<!\bgen\.)(?<!\bvon\.)\s+(?-i:(?=[A-Z])))",
    re.IGNORECASE,
)

# Cheap tests for "a chain separator is in sight" (same leading-class form as _SEPARATOR):
# [/|—–]| - | via | for , and that plus [,;.]| on .
_CHAIN_SEPARATOR_HINT = re.compile(r"[/|—– ](?:(?<=[/|—–])|(?<= )(?:- |v[ií]a |for ))")
_MAYBE_SEPARATOR = re.compile(r"[/|,;–—. ](?:(?<=[/|,;–—.])|(?<= )(?:- |v[ií]a |for |on ))")

# Labels that introduce a credit (the label is not part of the credit content).
_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[|.,;\-–—>]))(?:"
    r"(?P<colon>(?:photo|image|picture|foto|bild|video)?\s*credits?(?:\s+should\s+read)?"
    r"|mandatory\s+credit(?:\s*:\s*photo\s+by)?|photo(?:graph)?(?:s|ers?)?(?:\s+illustration)?|images?(?:\s+source)?"
    r"|pictures?|pics?|fotos?|fotocredit|bild(?:nachweis|quelle|rechte)?|fotonachweis|quelle|source|sources"
    r"|illustrations?|cr[ée]dits?\s+photo|caption|copyright|fotografie|foto\s*&\s*text)(?:\s+by)?\s*:\s*"
    r"(?:©\s*)?"
    r"|(?P<by>(?:photo(?:graph)?s?(?:\s+illustration)?|images?|pictures?|illustrations?|fotos?|bild)\s+(?:by|von|par)\s+"
    r"|(?:photo\s+)?credits?\s+should\s+read\s*:?\s*)"
    r"|(?P<source>image\s+source\s*,\s*)"
    r"|(?P<symbol>(?:photo\s+)?©\s*|\(c\)\s*(?-i:(?=[A-Z0-9]))|copyright\s+©?\s*)"
    r")",
    re.IGNORECASE,
)
# Every label starts with one of these (lowercased); finding them with str.find is much cheaper
# than running the label regex at every position of a long caption.
_LABEL_KEYS = (
    "photo",
    "image",
    "picture",
    "pic",
    "foto",
    "bild",
    "video",
    "credit",
    "crédit",
    "mandatory",
    "quelle",
    "source",
    "illustr",
    "caption",
    "copyright",
    "©",
    "(c)",
)
# One regex finds every keyword (lowercased text; the longest keyword first at a position).
_LABEL_KEY = re.compile("|".join(re.escape(key) for key in sorted(_LABEL_KEYS, key=len, reverse=True)))
_LABEL_AFTER = "([|.,;-–—>"  # what may stand before a label besides whitespace (see _LABEL's lookbehind)
# "Credit" at the start or after whitespace (the literal first, so the engine searches for it).
_NYT_LABEL = re.compile(r"Credit(?<!\SCredit)(?:\s+Credit)?(?:\s*(?:\.\.\.|…))?\s+(?=[A-ZÀ-Þ])")
_BRACKET = re.compile(r"[()\[\]]")
_PAREN_GROUP = re.compile(r"[(\[]([^()\[\]]{1,400})[)\]]")
_PAREN_PHOTO = re.compile(r"photo\s+(?-i:(?=[A-ZÀ-Þ]))", re.IGNORECASE)

# UI noise that trails or interrupts captions on web pages.
_NOISE = re.compile(
    r"(?:(?:hide\s+caption|toggle\s+caption|enlarge\s+this\s+image|purchase\s+licensing\s+rights"
    r"|opens\s+new\s+tab|\[\d+/\d+\]|\(\d{5,}[a-z]{0,2}\)|\bclose\b|\bexpand\b|org\s+xmit:.*|\(square\)|\(composite\))\s*)+$",
    re.IGNORECASE,
)
_HIDE_CAPTION = re.compile(r"\s+(?:hide|toggle)\s+caption\b", re.IGNORECASE)
_ORG_XMIT = re.compile(r"\s+ORG\s+XMIT:.*$")

# Where a trailing chain may begin: after a sentence, a pipe, a dash or a colon.
# (Leading-class form, as _SEPARATOR: sentence end, " | ", " - ", a dash, ": ", ") ", a closing quote.)
_BOUNDARY = re.compile(
    r"[.!?…\s–—:)\"”](?:(?<=[.!?…])['\"”’)]*\s+|(?<=\s)\s*[|]\s*|(?<=\s)[-–—]\s+|(?<=[–—])\s*|(?<=:)\s+"
    r"|(?<=\))\s+|(?<=[\"”])\s+)"
)

_MAX_EXTRA_CREDITS = 3  # second credits whose parties are added ("Photo credit should read …")
_MAX_PART_WORDS = 6
_MAX_CHAIN_WORDS = 18
_TAIL_WINDOW = 320


# --------------------------------------------------------------------------- part classification


def _classify(
    text: str, start: int, end: int, catalogue: AgencyCatalogue, previous: list[CreditPart]
) -> list[CreditPart] | None:
    """Classify ``text[start:end]`` as credit parts, or None when it does not read as a credit part."""
    # Trim brackets, quotes, dots and spaces from both ends (keeping the dot of an initial: "Frederick M.").
    piece = text[start:end]
    stripped = piece.lstrip(_TRIM_LEFT)
    start += len(piece) - len(stripped)
    stripped = stripped.rstrip(_TRIM_RIGHT)
    end = start + len(stripped)
    while end > start and text[end - 1] == ".":
        if end - start > 1 and _initial_before(text, start, end):
            break
        end -= 1
        stripped = text[start:end].rstrip(_TRIM_RIGHT)
        end = start + len(stripped)
    if start >= end:
        return []
    if text.count(" ", start, end) > _MAX_PART_WORDS + 3:
        return None  # prose, not a name (checked before anything costlier)
    parts: list[CreditPart] = []
    role: str | None = None
    while (head := text[start : start + 2]).lower() in _PART_PREFIX_HEADS or not head.isascii():
        prefix = _PART_PREFIX.match(text, start, end)
        if prefix is None or prefix.end() >= end:
            break
        if prefix.group("courtesy"):
            parts.append(CreditPart("qualifier", "courtesy", prefix.start(), prefix.end()))
            role = "courtesy"
        elif prefix.group("illustration"):
            parts.append(CreditPart("qualifier", "illustration", prefix.start(), prefix.end()))
            role = role or "illustration"
        elif prefix.group("by"):
            role = role or "by"
        start = prefix.end()
    segment = text[start:end]
    key = normalise_name(segment)
    if not key:
        return parts
    if key in _QUALIFIER_WORDS:
        qualifier = _QUALIFIER_WORDS[key]
        if qualifier is not None:
            parts.append(CreditPart("qualifier", qualifier, start, end))
        return parts
    if key.startswith(_LICENCE_STARTS) and _LICENCE.match(segment):
        parts.append(CreditPart("qualifier", "licence", start, end))
        return parts
    year_prefix = None
    if segment[:1].isdigit() or segment[:1] == "©":
        if _YEAR.match(segment):
            return parts
        year_prefix = _YEAR_PREFIX.match(segment)
    if year_prefix:
        start += year_prefix.end()
        segment = text[start:end]
        key = normalise_name(segment)
    agency = catalogue.lookup_key(key)
    if agency is None and " " in key and key.endswith((" photo", " photos")):
        agency = catalogue.lookup_key(key.rsplit(" ", 1)[0])
    if agency is None and " " in key:
        # "Andrew Harnik / AP file": an agency with a qualifier word after it.
        head, _, last = key.rpartition(" ")
        trailing_qualifier = _QUALIFIER_WORDS.get(last)
        if trailing_qualifier is not None and (agency := catalogue.lookup_key(head)) is not None:
            split_at = start + len(segment.rstrip()) - len(segment.rstrip().split()[-1])
            reported = text[start : split_at - 1] if catalogue.is_variant_key(head) else agency.name
            parts.append(CreditPart("agency", reported, start, split_at - 1))
            parts.append(CreditPart("qualifier", trailing_qualifier, split_at, end))
            return parts
    if agency is not None:
        reported = segment if catalogue.is_variant_key(key) else agency.name
        parts.append(CreditPart("agency", reported, start, end))
        return parts
    words = segment.split()
    if len(words) == 1 and segment[:1] == "@" and _SOCIAL_HANDLE.match(segment):
        parts.append(CreditPart("other", segment, start, end))  # "Instagram/@name": the account, not a person
        return parts
    if len(words) > _MAX_PART_WORDS or _BAD_CHARS.search(segment) or any(map(_NUMBER.match, words)):
        return None
    if is_place_name(segment):
        parts.append(CreditPart("other", segment, start, end))
        return parts
    kind = _person_or_org(segment, words, previous, catalogue)
    if kind is None:
        return None
    guessed = kind == "org" and len(words) == 1 and not words[0].isupper()
    if guessed and role == "by":
        kind, guessed = "person", False  # "Submitted by Ashley"
    if kind == "person" and role == "courtesy":
        kind = "other"  # "Courtesy Jane Doe": a source, not the photographer
    if kind == "org":
        parts.append(CreditPart("agency", segment, start, end, guessed))
    elif kind == "person":
        parts.append(CreditPart("photographer", segment, start, end))
    else:
        parts.append(CreditPart("other", segment, start, end))
    return parts


def _initial_before(text: str, start: int, end: int) -> bool:
    """True when the dot at ``end - 1`` closes an initial or abbreviation ("Frederick M.", "Inc.")."""
    word_start = end - 1
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start : end - 1]
    return (len(word) == 1 and word.isupper()) or word.lower() in {"inc", "co", "ltd", "jr", "sr", "corp"}


def _person_or_org(
    segment: str, words: list[str], previous: list[CreditPart], catalogue: AgencyCatalogue
) -> str | None:
    """'person', 'org' or None (not a credit part) for an unknown name (``words`` of ``segment``)."""
    lowered = [w.lower().strip(".,") for w in words]
    if not _ORG_WORDS.isdisjoint(lowered) or any(map(str.endswith, lowered, repeat(_ORG_SUFFIXES))):
        # Org words in lowercase prose ("the images show") are not names: require capitals.
        if all(w in _CONNECTORS or not _HAS_LOWER_START.match(w) for w in words):
            return "org"
        return None
    if "." in segment and any(
        "." in w[1:-1] and not _INITIAL.match(w) for w in words
    ):  # domains: Papercut.fr
        return "org" if len(words) == 1 else None
    if len(words) == 1:
        word = words[0]
        if not _LATIN.search(word):
            return "org" if any(ch.isalpha() for ch in word) else None  # バンダイ: a non-Latin name
        if _HAS_LOWER_START.match(word):
            return "person" if _HANDLE.match(word) else None  # jethuynh, phichak: photographer handles
        if not _NAME_TOKEN.match(word):
            return None
        if word.count("-") >= 2:
            return None  # Getty slugs: US-SPACE-AEROSPACE-NASA
        after_agency = previous and previous[-1].kind == "agency"
        prior = catalogue.lookup(previous[-1].value) if after_agency else None
        has_person = any(p.kind == "photographer" for p in previous)
        if prior is not None and prior.kind in {"wire", "stock"} and not has_person and not word.isupper():
            return "person"  # iStock/Voyagerix
        return "org"
    if all(map(_HAS_LOWER_START.match, words)) and all(map(str.isalpha, words)):
        return "person" if len(words) <= 3 else None  # "lili sams", "chris ralston"
    if not _ORG_CONNECTORS.isdisjoint(lowered):
        # "Library of Congress": an organisation with a connector word.
        if not _NAME_TOKEN.match(words[0]) or not _NAME_TOKEN.match(words[-1]):
            return None
        if all(w.lower() in _CONNECTORS or _NAME_TOKEN.match(w) for w in words):
            return "org"
        return None
    if not all(map(_NAME_TOKEN.match, words)) and not all(
        _NAME_TOKEN.match(w) or w.lower() in _NAME_PARTICLES for w in words
    ):
        return None
    first = words[0]
    if (
        _ALLCAPS.match(first)
        and len(first) <= 5
        and "." not in first
        and not all(_ALLCAPS.match(w) for w in words)
    ):
        return "org"  # UC Global, ONE Esports, US Navy
    if len(words) > 4:
        return "org"
    return "person"


# --------------------------------------------------------------------------- chains


def _iter_chain(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Offsets of the non-empty parts of ``text[start:end]`` between separators, left to right."""
    position = start
    if _MAYBE_SEPARATOR.search(text, start, end):
        for separator in _SEPARATOR.finditer(text, start, end):
            if separator.start() == separator.end():
                continue
            if text[position : separator.start()].strip(" .,-–—"):
                yield position, separator.start()
            position = separator.end()
    if text[position:end].strip(" .,-–—"):
        yield position, end


def parse_chain(text: str, start: int, end: int, catalogue: AgencyCatalogue) -> list[CreditPart] | None:
    """Classify every part of the chain ``text[start:end]``; None if any part is not a credit part."""
    if text.count(" ", start, end) > _MAX_CHAIN_WORDS + 4 or len(text[start:end].split()) > _MAX_CHAIN_WORDS:
        return None
    parts: list[CreditPart] = []
    for piece_start, piece_end in _iter_chain(text, start, end):
        classified = _classify(text, piece_start, piece_end, catalogue, parts)
        if classified is None:
            return None
        parts.extend(classified)
    return _resolve_guesses(parts, catalogue)


def _resolve_guesses(parts: list[CreditPart], catalogue: AgencyCatalogue) -> list[CreditPart]:
    """A one-word unknown name right before a wire or stock library is its contributor: "RADsan/iStock"."""
    if any(p.kind == "photographer" for p in parts):
        return parts
    for index, part in enumerate(parts):
        if not part.guessed or index + 1 >= len(parts):
            continue
        following = parts[index + 1]
        agency = catalogue.lookup(following.value) if following.kind == "agency" else None
        if agency is not None and agency.kind in {"stock", "wire"}:
            parts[index] = CreditPart("photographer", part.value, part.start, part.end)  # "Libkos/AP"
            break
    return parts


def _parse_prefix_chain(
    text: str, start: int, end: int, catalogue: AgencyCatalogue
) -> tuple[int, list[CreditPart]] | None:
    """The longest valid chain at the start of ``text[start:end]`` (for "© Agency Body text…").

    Returns the chain's end offset and parts. Parts are taken while valid; the first invalid part
    is cut to its longest valid prefix (a catalogue agency, a qualifier or a two-word name).
    """
    parts: list[CreditPart] = []
    chain_end = start
    # Lazily: the chain usually stops at its first parts, well before the end of a long caption.
    for piece_start, piece_end in _iter_chain(text, start, end):
        classified = _classify(text, piece_start, piece_end, catalogue, parts)
        known_prefix = _catalogue_prefix(text, piece_start, piece_end, catalogue)
        if classified and known_prefix is None:
            parts.extend(classified)
            chain_end = classified[-1].end
            continue
        cut = _valid_prefix(text, piece_start, piece_end, catalogue, parts)
        if cut:
            parts.extend(cut)
            chain_end = cut[-1].end
        break
    if not any(p.kind in {"agency", "photographer", "qualifier"} for p in parts):
        return None
    return chain_end, _resolve_guesses(parts, catalogue)


def _catalogue_prefix(text: str, start: int, end: int, catalogue: AgencyCatalogue) -> int | None:
    """The end of a catalogue agency that starts ``text[start:end]`` and is followed by more words."""
    words = list(_WORD.finditer(text[start:end]))
    if len(words) < 2 or catalogue.lookup(text[start:end]) is not None:
        return None
    # Only when the first word starts a catalogue name (a leading "the" is dropped from keys, so
    # then the second word would be the first: look them all up).
    first_key = normalise_name(text[start : start + words[0].end()])
    if (
        first_key
        and not first_key.startswith("the")
        and first_key.partition(" ")[0] not in catalogue.first_words
    ):
        return None
    for count in range(min(catalogue.max_words, len(words) - 1), 0, -1):
        piece_end = start + words[count - 1].end()
        if catalogue.lookup(text[start:piece_end]) is not None:
            return piece_end
    return None


def _valid_prefix(
    text: str, start: int, end: int, catalogue: AgencyCatalogue, previous: list[CreditPart]
) -> list[CreditPart] | None:
    """The best credit reading of the first words of ``text[start:end]``."""
    words = list(_WORD.finditer(text[start:end]))
    if not words:
        return None
    if words[0].start():  # begin at the first word, not at the space after a separator
        start += words[0].start()
        words = list(_WORD.finditer(text[start:end]))
    best: list[CreditPart] | None = None
    limit = min(len(words), _MAX_PART_WORDS)
    # A repeated phrase ("UC Global UC Global photo of…") is a credit followed by the body.
    for count in range(1, limit // 2 + 1):
        first = " ".join(w.group() for w in words[:count])
        again = " ".join(w.group() for w in words[count : 2 * count])
        if first == again:
            return _classify(text, start, start + words[count - 1].end(), catalogue, previous)
    # Every prefix's key starts with the first word's key (unless that is empty or "the", which
    # keys drop): a first word that starts no agency, qualifier or licence name rules them all out.
    first_key = normalise_name(words[0].group()).partition(" ")[0]
    ruled_out = (
        first_key
        and not first_key.startswith("the")
        and first_key not in catalogue.first_words
        and first_key not in _QUALIFIER_FIRST_WORDS
        and not first_key.startswith(_LICENCE_STARTS)
    )
    for count in range(0 if ruled_out else limit, 0, -1):
        piece_end = start + words[count - 1].end()
        key = normalise_name(text[start:piece_end])
        if catalogue.lookup_key(key) is not None or key in _QUALIFIER_WORDS or _LICENCE.match(key):
            return _classify(text, start, piece_end, catalogue, previous)
    for count in (3, 2):
        if count > len(words):
            continue
        piece_end = start + words[count - 1].end()
        candidate = _classify(text, start, piece_end, catalogue, previous)
        following = words[count].group() if count < len(words) else ""
        if not text[start:piece_end][:1].isupper():
            continue
        if (
            candidate
            and candidate[-1].kind in {"photographer", "agency"}
            and (count == 2 or "." in words[1].group() or candidate[-1].kind == "agency")
        ) and (not following or following[:1].isupper() or following[:1] in "(|"):
            best = candidate
            break
    return best


def _score_parts(parts: list[CreditPart], catalogue: AgencyCatalogue) -> tuple[int, int]:
    """(known agencies, credit-bearing parts): how strongly a chain reads as a credit."""
    known = bearing = 0
    for part in parts:
        if part.kind == "agency":
            bearing += 1
            if catalogue.lookup(part.value) is not None:
                known += 1
        elif part.kind == "photographer":
            bearing += 1
    return known, bearing


# --------------------------------------------------------------------------- finding the credit


def _label_matches(text: str, end: int) -> list[re.Match[str]]:
    """Non-overlapping label matches in ``text[:end]``, found from cheap keyword hits."""
    lowered = text[:end].lower()
    if len(lowered) != end:  # a character whose lowercase is longer: offsets would drift
        return list(_LABEL.finditer(text, 0, end))
    found: list[re.Match[str]] = []
    last_end = -1
    # Keywords overlapping an earlier one are not found, but they follow a letter of it, so they
    # could not start a label.
    for key in _LABEL_KEY.finditer(lowered):
        position = key.start()
        if position < last_end:
            continue
        if position and not (text[position - 1].isspace() or text[position - 1] in _LABEL_AFTER):
            continue  # inside a word ("epic", "snapshot"): _LABEL's lookbehind fails
        match = _LABEL.match(text, position, end)
        if match is not None and match.end() > match.start():
            found.append(match)
            last_end = match.end()
    return found


def _label_at(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_LABEL.match(text, start, end)``, skipping the regex where no label keyword starts."""
    head = text[start : start + 10]
    if head.isascii() and not head[:1].isspace() and not head.lower().startswith(_LABEL_KEYS):
        return None  # every label starts with a keyword (or with the spaces before "credit")
    return _LABEL.match(text, start, end)


_NOISE_WINDOW = 120


_NOISE_ENDINGS = ("caption", "image", "rights", "tab", "]", "close", "expand")
_NOISE_LAST = frozenset([*(ending[-1] for ending in _NOISE_ENDINGS), ")"])
_PAREN_NOISE_TAIL = re.compile(r"\((?:\d{5,}[a-z]{0,2}|square|composite)\)$")


def _noisy_tail(tail: str) -> bool:
    return tail.endswith(_NOISE_ENDINGS) or (
        tail.endswith(")") and _PAREN_NOISE_TAIL.search(tail) is not None
    )


def _may_be_noisy(text: str, end: int) -> bool:
    """``_noisy_tail`` of the (space-trimmed, lowercased) 24 characters before ``end``."""
    low = max(0, end - 24)
    last = end
    while last > low and text[last - 1].isspace():
        last -= 1
    # Every noisy ending ends in one of these (lowercased): test that before slicing and lowering.
    if last == low or text[last - 1].lower() not in _NOISE_LAST:
        return False
    return _noisy_tail(text[low:last].lower())


def _content_end(text: str, end: int) -> int:
    """``end`` moved back over trailing UI noise and whitespace."""
    while _may_be_noisy(text, end):
        noise = _NOISE.search(text, max(0, end - _NOISE_WINDOW), end)
        if noise is None or noise.start() == noise.end():
            break
        end = noise.start()
    while end > 0 and (text[end - 1].isspace() or text[end - 1] in "\u200b\u200c\u200d\ufeff"):
        end -= 1
    return end


def _tail_end(text: str) -> int:
    """Where the caption's meaningful text ends: before UI noise and repeated credits."""
    end = len(text)
    if "caption" in text:
        hide = _HIDE_CAPTION.search(text)
        if hide is not None:
            end = hide.start()
    if "XMIT" in text:
        xmit = _ORG_XMIT.search(text, 0, end)
        if xmit is not None:
            end = xmit.start()
    return _content_end(text, end)


def find_credit(text: str, catalogue: AgencyCatalogue) -> CreditMatch | None:
    """The first credit in ``text``, or None."""
    end = _tail_end(text)
    if end == 0:
        return None
    candidates: list[CreditMatch] = []
    candidates.extend(_labelled(text, end, catalogue))
    # Bracket groups at the very end: "(AP Photo/Evan Vucci)", "… (Photo by X/AFP) (Photo by X/AFP via Getty Images)".
    trailing_parens_start = end
    while True:
        close = trailing_parens_start
        while close > 0 and text[close - 1].isspace():
            close -= 1
        if close == 0 or text[close - 1] not in ")]":
            break
        opener = max(
            text.rfind("(", max(0, close - 402), close - 1), text.rfind("[", max(0, close - 402), close - 1)
        )
        group = _PAREN_GROUP.match(text, opener, close) if opener != -1 else None
        if group is None or group.end() != close:
            break
        trailing_parens_start = group.start()
        match = _paren_credit(text, group, catalogue)
        if match is not None:
            candidates.append(match)
    # An unlabelled chain can only stand before the bracket groups and before a labelled credit
    # that runs to the end ("… Berlin. Foto: Michael Kappeler/dpa").
    region_end = trailing_parens_start
    for candidate in candidates:
        if candidate.block_end >= region_end - 1:
            region_end = min(region_end, candidate.block_start)
    # An ``end`` at the end of the text is one _content_end left alone: it would again.
    chain_end = region_end if region_end == end == len(text) else _content_end(text, region_end)
    sentence_closed = (
        chain_end > 0 and text[chain_end - 1] in ".!?" and not _initial_before(text, 0, chain_end)
    )
    if not (candidates and sentence_closed):
        chain = _trailing_chain(text, chain_end, catalogue)
        if chain is not None:
            candidates.append(chain)
    if not candidates:
        return None
    if len(candidates) > 1:
        candidates.sort(key=lambda c: (c.block_start, -(c.end - c.start)))
    best = candidates[0]
    # A second credit ("(Photo credit should read JIM WATSON/AFP/Getty Images)") adds its parties.
    taken = [(best.block_start, best.block_end)]
    for other in candidates[1:]:
        if len(taken) > _MAX_EXTRA_CREDITS:
            break
        if any(other.block_start < t_end and t_start < other.block_end for t_start, t_end in taken):
            continue
        taken.append((other.block_start, other.block_end))
        seen = {(p.kind, normalise_name(p.value)) for p in best.parts}
        for part in other.parts:
            if (
                part.kind in {"photographer", "agency"}
                and (part.kind, normalise_name(part.value)) not in seen
            ):
                best.parts.append(part)
    best.qualifiers = _qualifiers(best.parts)
    return best


def _qualifiers(parts: list[CreditPart]) -> list[Qualifier]:
    found: list[Qualifier] = []
    for part in parts:
        if part.kind == "qualifier" and part.value not in found:
            found.append(part.value)  # type: ignore[arg-type]
    return found


def _with_catalogue_qualifiers(parts: list[CreditPart], catalogue: AgencyCatalogue) -> list[CreditPart]:
    """Add the qualifiers an agency implies (a stock library → "stock")."""
    extra: list[CreditPart] = []
    for part in parts:
        if part.kind == "agency":
            agency: Agency | None = catalogue.lookup(part.value)
            if agency is not None and agency.kind == "stock":
                extra.append(CreditPart("qualifier", "stock", part.start, part.end))
    return parts + extra


def _make(
    text: str,
    start: int,
    end: int,
    block_start: int,
    block_end: int,
    parts: list[CreditPart],
    catalogue: AgencyCatalogue,
) -> CreditMatch:
    # Trim the content span to what the parts cover (drops stray dots and spaces).
    while start < end and text[start] in " \t/|,;-–—.\u200b":
        start += 1
    while end > start and (
        text[end - 1] in " \t/|,;-–—\u200b"
        or (text[end - 1] == "." and not _initial_before(text, start, end))
    ):
        end -= 1
    return CreditMatch(start, end, block_start, block_end, _with_catalogue_qualifiers(parts, catalogue))


def _labelled(text: str, end: int, catalogue: AgencyCatalogue) -> list[CreditMatch]:
    found: list[CreditMatch] = []
    labels = (
        [(m.start(), m.end(), "nyt") for m in _NYT_LABEL.finditer(text, 0, end)] if "Credit" in text else []
    )
    for m in _label_matches(text, end):
        if m.group("colon") is not None or m.group("source") is not None:
            kind = "colon"
        else:
            kind = "by" if m.group("by") is not None else "symbol"
        labels.append((m.start(), m.end(), kind))
    labels.sort()
    # Collapse stacked labels ("Photographs by Photo: Name", "© Photo courtesy…" keeps courtesy).
    merged: list[tuple[int, int, str]] = []
    for label in labels:
        if merged and label[0] <= merged[-1][1] + 1 and text[merged[-1][1] : label[0]].strip() == "":
            merged[-1] = (merged[-1][0], label[1], merged[-1][2] if merged[-1][2] != "nyt" else label[2])
        elif merged and label[0] < merged[-1][1]:
            continue
        else:
            merged.append(label)
    pairs: dict[int, int] | None = None
    for index, (label_start, label_end, kind) in enumerate(merged):
        content_end = merged[index + 1][0] if index + 1 < len(merged) else end
        block_start = label_start
        # Inside brackets: the credit ends at the closing bracket.
        opener = _open_bracket_before(text, label_start)
        closer = None
        if opener is not None:
            if pairs is None:
                pairs = _bracket_pairs(text, end)
            closer = pairs.get(opener)
            if closer is not None:
                content_end = min(content_end, closer)
                block_start = opener
        if not content_end == end == len(text):  # (see find_credit)
            content_end = _content_end(text, content_end)
        if content_end <= label_end:
            continue
        if "<" in text[label_end:content_end]:
            # Markup left in a scraped caption: 'Photo by <a href="…">Name</a></small>'.
            label_end, content_end = _markup_text(text, label_end, content_end)
            if content_end <= label_end:
                continue
        parts = parse_chain(text, label_end, content_end, catalogue)
        chain_end = content_end
        if parts is None or not parts:
            if kind in {"symbol", "by", "nyt"} or opener is None:
                prefix = _parse_prefix_chain(text, label_end, content_end, catalogue)
                if prefix is None:
                    continue
                chain_end, parts = prefix
                if kind == "colon" and not _credit_like(parts, catalogue, strict=True):
                    continue
            else:
                continue
        if not _credit_like(parts, catalogue, strict=kind == "colon" and opener is None):
            continue
        if kind == "nyt" and not _score_parts(parts, catalogue)[1]:
            continue
        block_end = chain_end
        if opener is not None:
            block_end = closer + 1 if closer is not None else chain_end
        if "illustr" in text[label_start:label_end].lower():  # "Illustration by …", "Photo Illustration:"
            parts = [CreditPart("qualifier", "illustration", label_start, label_end), *parts]
        found.append(_make(text, label_end, chain_end, block_start, block_end, parts, catalogue))
    return found


_TAG_TEXT = re.compile(r"(?:^|>)\s*([^<>]*[^<>\s])\s*(?=<|$)")


def _markup_text(text: str, start: int, end: int) -> tuple[int, int]:
    """The first text run between HTML tags in ``text[start:end]`` (offsets into ``text``)."""
    segment = text[start:end]
    match = _TAG_TEXT.search(segment)
    if match is None:
        return start, start
    return start + match.start(1), start + match.end(1)


def _credit_like(parts: list[CreditPart], catalogue: AgencyCatalogue, strict: bool) -> bool:
    """Enough credit substance: a photographer or agency (qualifier-only: "Source: Supplied")."""
    if not parts:
        return False
    if any(p.kind in {"agency", "photographer"} for p in parts):
        if strict:
            # After a bare "Photos:" label a long title-cased phrase is a headline, not a name.
            for part in parts:
                if part.kind == "photographer" and len(part.value.split()) > 4:
                    return False
        return True
    return any(p.kind == "qualifier" and p.value in {"handout", "courtesy", "licence"} for p in parts)


def _open_bracket_before(text: str, position: int) -> int | None:
    """The offset of an opening bracket right before ``position`` (spaces allowed)."""
    index = position - 1
    while index >= 0 and text[index] == " ":
        index -= 1
    if index >= 0 and text[index] in "([":
        return index
    return None


def _bracket_pairs(text: str, end: int) -> dict[int, int]:
    """Opening bracket offset → its closing bracket offset, for ``text[:end]`` (one linear pass)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for bracket in _BRACKET.finditer(text, 0, end):  # visits the brackets only, not every character
        if bracket.group() in "([":
            stack.append(bracket.start())
        elif stack:
            pairs[stack.pop()] = bracket.start()
    return pairs


def _paren_credit(text: str, group: re.Match[str], catalogue: AgencyCatalogue) -> CreditMatch | None:
    """A trailing bracket group that is a credit: ``(AP Photo/Evan Vucci)``, ``(Reuters)``."""
    start, end = group.start(1), group.end(1)
    if _label_at(text, start, end) is not None:
        return None  # a labelled credit: read with the other labels
    photo = _PAREN_PHOTO.match(text, start, end)
    if photo is not None:
        return _from_paren(text, group, photo.end(), catalogue)
    return _from_paren(text, group, start, catalogue, require_known=True)


def _from_paren(
    text: str, group: re.Match[str], start: int, catalogue: AgencyCatalogue, require_known: bool = False
) -> CreditMatch | None:
    end = group.end(1)
    parts = parse_chain(text, start, end, catalogue)
    if not parts or not _credit_like(parts, catalogue, strict=False):
        return None
    known, _ = _score_parts(parts, catalogue)
    only_source_qualifiers = all(p.kind == "qualifier" and p.value in {"courtesy", "handout"} for p in parts)
    if require_known and not known and not only_source_qualifiers:
        return None
    return _make(text, start, end, group.start(), group.end(), parts, catalogue)


def _trailing_chain(text: str, end: int, catalogue: AgencyCatalogue) -> CreditMatch | None:
    """An unlabelled credit chain at the end of the text (``… Washington. Evan Vucci/AP Photo``)."""
    if end <= 0:
        return None
    # A chain has at most _MAX_CHAIN_WORDS words: only the last few words can start one.
    low = max(0, end - _TAIL_WINDOW)
    tail_words = text[low:end].rsplit(" ", _MAX_CHAIN_WORDS + 1)
    window_start = low if len(tail_words) <= _MAX_CHAIN_WORDS + 1 else end - len(" ".join(tail_words[1:])) - 1
    starts = [window_start] if window_start == 0 else []
    starts += [m.end() for m in _BOUNDARY.finditer(text, window_start, end)]
    # Without a separator in sight a credit is a single part (a name, "Getty Images"): short.
    separated: bool | None = None  # looked for when a start needs it
    for start in starts:
        if start >= end:
            continue
        if text.count(" ", start, end) >= _MAX_PART_WORDS:
            if separated is None:
                separated = _CHAIN_SEPARATOR_HINT.search(text, window_start, end) is not None
            if not separated:
                continue
        if _label_at(text, start, end) or (
            text.startswith("Credit", start) and _NYT_LABEL.match(text, start, end)
        ):
            continue
        parts = parse_chain(text, start, end, catalogue)
        whole = start == 0 and bool(parts) and end == _tail_end(text)
        if parts and _chain_is_credit(text, start, end, parts, catalogue, whole=whole):
            return _make(text, start, end, start, end, parts, catalogue)
    # No punctuation before the credit ("The Moulin Rouge cabaret in Paris Benoit Tessier/Reuters").
    last_boundary = starts[-1] if starts else 0
    return _unpunctuated_chain(text, last_boundary, end, catalogue)


def _chain_is_credit(
    text: str, start: int, end: int, parts: list[CreditPart], catalogue: AgencyCatalogue, whole: bool
) -> bool:
    known, bearing = _score_parts(parts, catalogue)
    if not bearing:
        return whole and any(p.kind == "qualifier" and p.value == "courtesy" for p in parts)
    separated = "/" in text[start:end] or "|" in text[start:end]
    if known:
        return True
    if any(p.kind == "qualifier" and p.value == "courtesy" for p in parts):
        return True
    # Unknown names only: a credit-only caption "Splash News/Corbis", "Wesley Mann/AUGUST".
    return separated and whole and bearing >= 2


def _unpunctuated_chain(
    text: str, region_start: int, end: int, catalogue: AgencyCatalogue
) -> CreditMatch | None:
    """A credit glued to the body without punctuation: "… in Paris Benoit Tessier/Reuters",
    "… Sofia Vergara Shutterstock / Getty Images", "… as they should be Getty Images".

    It must start at a catalogue agency or a two-word name (three with an initial or particle) and
    name a catalogue agency; a bare agency at the very end must be a wire, photo agency or stock library.
    """
    if text[end - 1 : end] in ".!?":
        return None
    region = text[region_start:end]
    first_separator = None
    for separator in _SEPARATOR.finditer(region):
        if (
            (separator.start() != separator.end() and "/" in separator.group())
            or "|" in separator.group()
            or " via " in separator.group().lower()
            or " for " in separator.group().lower()
        ):
            first_separator = separator
            break
    words = list(_WORD.finditer(region[: first_separator.start()] if first_separator else region))
    if len(words) < 2:
        return None
    # A catalogue agency ending right before the first separator (or the text end): only when the
    # last word ends a catalogue name (a key's last word is its last word's key's last word).
    last_key = normalise_name(words[-1].group())
    if last_key and last_key.rpartition(" ")[2] not in catalogue.last_words:
        counts = range(0)
    else:
        counts = range(min(catalogue.max_words, len(words) - 1), 0, -1)
    for count in counts:
        candidate_start = region_start + words[-count].start()
        agency = catalogue.lookup(text[candidate_start : region_start + words[-1].end()])
        if agency is None:
            continue
        if first_separator is None and agency.kind not in {"wire", "photo agency", "stock"}:
            return None
        parts = parse_chain(text, candidate_start, end, catalogue)
        if parts and _score_parts(parts, catalogue)[0]:
            return _make(text, candidate_start, end, candidate_start, end, parts, catalogue)
        return None
    if first_separator is None:
        return None
    for count in (3, 2):
        if count >= len(words):
            continue
        name_words = [w.group() for w in words[-count:]]
        if count == 3 and not ("." in name_words[1] or name_words[1].lower() in _NAME_PARTICLES):
            continue
        candidate_start = region_start + words[-count].start()
        parts = parse_chain(text, candidate_start, end, catalogue)
        if parts and parts[0].kind == "photographer" and _score_parts(parts, catalogue)[0]:
            return _make(text, candidate_start, end, candidate_start, end, parts, catalogue)
    return None
