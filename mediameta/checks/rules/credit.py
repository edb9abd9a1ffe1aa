"""MM2xx: the credit — missing, unparseable, unknown agency, disagreeing with the file, off house style."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from rapidfuzz import fuzz, process

from mediameta.captions.catalogue import AgencyCatalogue, normalise_name
from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.checks.rules._support import (
    Target,
    agency_key,
    article_targets,
    is_unreadable,
    record_agencies,
    same_person,
    targets,
)
from mediameta.config import catalogue_for
from mediameta.models import Caption, Credit, Finding, Fix, MediaRecord

# How a qualifier is written in a credit line.
QUALIFIER_TEXT: dict[str, str] = {
    "file": "File Photo",
    "pool": "Pool",
    "handout": "Handout",
    "illustration": "Illustration",
    "courtesy": "Courtesy",
    "screenshot": "Screenshot",
    "stock": "",
    "licence": "",
}
AGENCY_KINDS_FOR_STAFF: frozenset[str] = frozenset({"wire", "photo agency", "stock"})

_PLACEHOLDER = re.compile(r"\{([A-Za-z]+)\}")
_EMPTY = "\x00"
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:photo\s*credit|picture\s*credit|image\s*credit|credit|photograph|photo|image|picture|foto|bild)"
    r"\s*:\s*|\b(?:photo|photograph|picture)s?\s+by\s+|©\s*)$",
    re.IGNORECASE,
)
_CREDIT_LABEL = re.compile(
    r"(?:\(|\b)(?:photo\s*credit|picture\s*credit|credit|foto|photograph|photo)\s*:|\bphoto\s+by\b|©",
    re.IGNORECASE,
)


def _cased(value: str, placeholder: str) -> str:
    if placeholder.isupper():
        return value.upper()
    if placeholder.islower():
        return value.lower()
    return value


def render_house_credit(
    style: str, photographers: list[str], agencies: list[str], qualifiers: list[str]
) -> str:
    """The credit in the house form: ``(photo credit: {AGENCY}/{PHOTOGRAPHER})`` → ``(photo credit:
    REUTERS/LEAH MILLIS/FILE PHOTO)``. A placeholder's case sets the value's (``{AGENCY}`` upper,
    ``{agency}`` lower, ``{Agency}`` as catalogued); empty parts drop with their ``/``; qualifiers go
    where ``{QUALIFIER}`` stands, else after the last part."""
    qualifier_text = "/".join(text for text in (QUALIFIER_TEXT.get(q, q) for q in qualifiers) if text)
    names = _PLACEHOLDER.findall(style)
    if qualifier_text and not any(name.upper() == "QUALIFIER" for name in names) and names:
        last = list(_PLACEHOLDER.finditer(style))[-1]
        qualifier_name = "QUALIFIER" if last.group(1).isupper() else "Qualifier"
        style = style[: last.end()] + "/{" + qualifier_name + "}" + style[last.end() :]
    values = {
        "AGENCY": "/".join(agencies),
        "PHOTOGRAPHER": ", ".join(photographers),
        "QUALIFIER": qualifier_text,
    }

    def substitute(match: re.Match[str]) -> str:
        value = values.get(match.group(1).upper(), "")
        return _cased(value, match.group(1)) if value else _EMPTY

    rendered = _PLACEHOLDER.sub(substitute, style)
    rendered = re.sub(r"\s*/\s*\x00|\x00\s*/\s*", "", rendered).replace(_EMPTY, "")
    return rendered


def credit_block(caption: Caption) -> tuple[int, int] | None:
    """Offsets of the credit as written, with its label and brackets: ``(photo credit: X/Y)``."""
    credit = caption.credit
    if credit is None:
        return None
    text = caption.text
    span = caption.spans.get("credit")
    if span is not None and text[span.start : span.end].strip():
        start, end = span.start, span.end
    else:
        start = text.rfind(credit.raw) if credit.raw else -1
        if start < 0:
            return None
        end = start + len(credit.raw)
    label = _LABEL_BEFORE.search(text, 0, start)
    if label is not None:
        start = label.start()
    opening = text.rfind("(", 0, start)
    if opening >= 0 and not text[opening + 1 : start].strip() and ")" not in text[opening:start]:
        closing = text.find(")", end)
        if closing >= 0 and not text[end:closing].strip():
            start, end = opening, closing + 1
    return start, end


def credit_qualifiers(caption: Caption) -> list[str]:
    """The qualifiers written inside the credit. A leading ``FILE PHOTO:`` marker also makes the
    parser list "file", but it stands outside the credit and stays where it is."""
    credit = caption.credit
    if credit is None:
        return []
    qualifiers: list[str] = list(credit.qualifiers)
    if caption.file_marker and "file" in qualifiers:
        span = caption.spans.get("credit")
        inside = [
            caption.text[q.start : q.end]
            for key, q in caption.spans.items()
            if key.startswith("qualifier") and span is not None and span.start <= q.start < span.end
        ]
        if not any("file" in text.casefold() for text in inside):
            qualifiers.remove("file")
    return qualifiers


def _canonical_agencies(credit: Credit, catalogue: AgencyCatalogue) -> list[str]:
    names: list[str] = []
    for name in credit.agencies:
        agency = catalogue.lookup(name)
        names.append(agency.name if agency is not None else name)
    return names


def _house_fix(ctx: CheckContext, target: Target) -> tuple[str, str] | None:
    """(house form, corrected caption) for an article caption not in the house form, else None."""
    style = ctx.config.house_credit_style
    caption = target.caption
    credit = caption.credit
    if style is None or credit is None or not (credit.photographers or credit.agencies):
        return None
    block = credit_block(caption)
    if block is None:
        return None
    catalogue = catalogue_for(ctx.config)
    house = render_house_credit(
        style, list(credit.photographers), _canonical_agencies(credit, catalogue), credit_qualifiers(caption)
    )
    start, end = block
    if caption.text[start:end] == house:
        return None
    before = caption.text[:start].rstrip()
    corrected = f"{before} {house}" if before else house
    return house, corrected + caption.text[end:]


def _has_file_credit(record: MediaRecord | None) -> bool:
    return record is not None and bool(record.creators or record.credit_line or record.source)


def _record_agency_names(record: MediaRecord, catalogue: AgencyCatalogue) -> list[str]:
    names: list[str] = []
    for key in sorted(record_agencies(record, catalogue)):
        agency = catalogue.lookup(key)
        names.append(agency.name if agency is not None else key)
    return names


@register
class MissingCredit(Rule):
    """Caption has no credit: nobody is named for the picture.

    Every published picture carries a credit (photographer and/or agency). An article caption without
    one is reported; so is an image no article captions when neither its description nor its
    creator, credit line or source fields name anyone.

    Fix (article captions, when ``house-credit-style`` is set and the linked file names its
    photographer or agency): append the credit in the house form.

    Fails: ``Rescue workers search the rubble in Gaza City, October 9, 2023.`` (no credit).
    Passes: ``Rescue workers search the rubble in Gaza City, October 9, 2023. REUTERS/Mohammed Salem``.
    """

    code = "MM201"
    name = "missing-credit"
    severity = "error"
    examples = (
        Example(
            "article caption without a credit",
            fails=True,
            articles={
                "story.md": "![Rescue workers search the rubble in Gaza City, October 9, 2023.](gaza.jpg)\n"
            },
            images={"gaza.jpg": {"description": "Rescue workers search the rubble in Gaza City."}},
        ),
        Example(
            "image naming nobody",
            fails=True,
            images={
                "a.jpg": {"description": "Rescue workers search the rubble in Gaza City, October 9, 2023."}
            },
        ),
        Example(
            "credited in the caption",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Rescue workers search the rubble in Gaza City, October 9, 2023. "
                    "REUTERS/Mohammed Salem"
                }
            },
        ),
        Example(
            "credited in the file's fields",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Rescue workers search the rubble in Gaza City, October 9, 2023.",
                    "creators": ["Mohammed Salem"],
                    "credit_line": "REUTERS",
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        style = ctx.config.house_credit_style
        catalogue = catalogue_for(ctx.config)
        for target in targets(ctx):
            if target.caption.credit is not None:
                continue
            if target.in_article:
                fix = None
                record = target.record
                if style and record is not None and (record.creators or record_agencies(record, catalogue)):
                    house = render_house_credit(
                        style, record.creators, _record_agency_names(record, catalogue), []
                    )
                    text = target.caption.text.rstrip()
                    fix = Fix(
                        description=f"append the credit from the file: {house}",
                        changes={"caption": f"{text} {house}"},
                    )
                yield self.finding("caption has no credit", fix=fix, **target.where)
            elif (
                target.record is not None
                and not is_unreadable(target.record)
                and not _has_file_credit(target.record)
            ):
                yield self.finding(
                    "image has no credit (none in its caption, creator, credit line or source)",
                    **target.where,
                )


@register
class UnparseableCredit(Rule):
    """Credit could not be read: a credit label with no name after it, or a credit naming nobody.

    A credit label with nothing recognisable after it, or a credit that names neither a
    photographer nor an agency.
    ``(photo credit: )``, ``Photo: -`` or a credit of only qualifiers (``FILE PHOTO``) leaves the desk
    guessing who to credit; usually an edit cut the names.

    Fails: ``Crowds gather in Jerusalem, Israel. (photo credit: )``.
    Passes: ``Crowds gather in Jerusalem, Israel. (photo credit: REUTERS/AMMAR AWAD)``.
    """

    code = "MM202"
    name = "unparseable-credit"
    severity = "warning"
    examples = (
        Example(
            "an empty credit label",
            fails=True,
            images={"a.jpg": {"description": "Crowds gather in Jerusalem, Israel. (photo credit: )"}},
        ),
        Example(
            "a readable credit",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Crowds gather in Jerusalem, Israel. (photo credit: REUTERS/AMMAR AWAD)"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            credit = target.caption.credit
            if credit is not None:
                if not credit.photographers and not credit.agencies:
                    yield self.finding(
                        f"credit '{credit.raw}' names no photographer or agency", **target.where
                    )
            elif _CREDIT_LABEL.search(target.caption.text):
                yield self.finding("caption has a credit label but no readable credit", **target.where)


_NOT_AGENCY_QUALIFIERS = frozenset({"courtesy", "handout", "screenshot", "licence"})


@register
class UnknownAgency(Rule):
    """Credit names an organisation that is not in the agency catalogue (nor in the config's ``agencies``).

    A source the newsroom has not registered yet: check it, then add it under ``agencies`` in the
    config (``{name, aliases, kind}``) so it is known from then on. Courtesy and handout credits
    (``Courtesy of Zillow``, ``Handout via REUTERS``) name whoever supplied the picture and are not
    reported. A name that looks like a misspelt catalogued agency is MM208's.

    Fails: ``Smoke rises over Kyiv, Ukraine. (photo credit: ACME PHOTO WIRE/JANE ROE)`` (no such agency configured).
    Passes: the same caption with ``agencies = [{name = "Acme Photo Wire", kind = "photo agency"}]``.
    """

    code = "MM203"
    name = "unknown-agency"
    severity = "info"
    examples = (
        Example(
            "an agency nobody registered",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Smoke rises over Kyiv, Ukraine. (photo credit: ACME PHOTO WIRE/JANE ROE)"
                }
            },
        ),
        Example(
            "the same agency registered in the config",
            fails=False,
            config={"agencies": [{"name": "Acme Photo Wire", "kind": "photo agency"}]},
            images={
                "a.jpg": {
                    "description": "Smoke rises over Kyiv, Ukraine. (photo credit: ACME PHOTO WIRE/JANE ROE)"
                }
            },
        ),
        Example(
            "a catalogued agency",
            fails=False,
            images={"a.jpg": {"description": "Smoke rises over Kyiv, Ukraine. REUTERS/Gleb Garanich"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        catalogue = catalogue_for(ctx.config)
        for target in targets(ctx):
            credit = target.caption.credit
            if credit is None or _NOT_AGENCY_QUALIFIERS & set(credit.qualifiers):
                continue
            for name in credit.agencies:
                if catalogue.lookup(name) is None and near_agency(name, catalogue) is None:
                    yield self.finding(f"unknown agency '{name}' in the credit", **target.where)


@lru_cache(maxsize=8)
def _spellings(catalogue: AgencyCatalogue) -> dict[str, str]:
    """Normalised spelling → spelling as catalogued, for every name and alias long enough to fuzz."""
    found: dict[str, str] = {}
    for agency in catalogue.agencies:
        for spelling in (agency.name, *agency.aliases):
            key = normalise_name(spelling)
            if len(key) >= 5:
                found.setdefault(key, spelling)
    return found


def near_agency(name: str, catalogue: AgencyCatalogue, cutoff: float = 85.0) -> str | None:
    """The catalogued spelling ``name`` is probably a typo of ("REUTRES" → "Reuters"), or None."""
    key = normalise_name(name)
    if len(key) < 5 or catalogue.lookup_key(key) is not None:
        return None
    spellings = _spellings(catalogue)
    match = process.extractOne(key, list(spellings), scorer=fuzz.ratio, score_cutoff=cutoff)
    return spellings[match[0]] if match is not None else None


def _respell(written: str, spelling: str) -> str:
    return spelling.upper() if written.isupper() else spelling


@register
class MisspeltAgency(Rule):
    """Credit names an agency that is not catalogued but is a near-spelling of one ("REUTRES", "Asociated Press").

    A typo in an agency name breaks every search, every payment report and every rights check that
    keys on the name. Compared with every catalogued spelling (names and aliases of five letters or
    more) after normalising case and punctuation; similarity of 85% or more counts.

    Fix: write the catalogued spelling (in capitals when the credit is in capitals).

    Fails: ``Smoke rises over Kyiv, Ukraine. (photo credit: REUTRES/GLEB GARANICH)``.
    Passes: ``Smoke rises over Kyiv, Ukraine. (photo credit: REUTERS/GLEB GARANICH)``.
    """

    code = "MM208"
    name = "misspelt-agency"
    severity = "warning"
    examples = (
        Example(
            "letters swapped",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Smoke rises over Kyiv, Ukraine. (photo credit: REUTRES/GLEB GARANICH)"
                }
            },
        ),
        Example(
            "a letter missing",
            fails=True,
            articles={
                "story.txt": "Smoke rises over Kyiv, Ukraine. (photo credit: Asociated Press/Efrem Lukatsky)\n"
            },
        ),
        Example(
            "spelt right",
            fails=False,
            images={"a.jpg": {"description": "Smoke rises over Kyiv, Ukraine. REUTERS/Gleb Garanich"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        catalogue = catalogue_for(ctx.config)
        for target in targets(ctx):
            credit = target.caption.credit
            if credit is None:
                continue
            for written in [*credit.agencies, *credit.photographers]:
                spelling = near_agency(written, catalogue)
                if spelling is None:
                    continue
                fix = None
                block = credit_block(target.caption)
                text = target.caption.text
                if block is not None and written in text[block[0] : block[1]]:
                    start = text.index(written, block[0])
                    fixed = text[:start] + _respell(written, spelling) + text[start + len(written) :]
                    field = "caption" if target.in_article else "description"
                    fix = Fix(description=f"spell it '{_respell(written, spelling)}'", changes={field: fixed})
                yield self.finding(
                    f"'{written}' in the credit looks like a misspelling of '{spelling}'",
                    fix=fix,
                    **target.where,
                )


@register
class PhotographerMismatch(Rule):
    """Photographer in the caption's credit is not the file's creator (By-line).

    The caption credits one photographer, the picture's own metadata another: one of them is wrong,
    or the caption belongs to another picture. Names are compared ignoring case, accents,
    punctuation and word order ("MILLIS, Leah" = "Leah Millis"); a middle name or initial on one side
    is fine. Silent when either side names nobody.

    Fails: caption ``... REUTERS/Leah Millis`` on a file whose creator is ``Evelyn Hockstein``.
    Passes: caption ``... REUTERS/LEAH MILLIS`` on a file whose creator is ``Leah Millis``.
    """

    code = "MM204"
    name = "photographer-mismatch"
    severity = "warning"
    examples = (
        Example(
            "credit names someone else",
            fails=True,
            images={
                "a.jpg": {
                    "description": "President Trump speaks in the Oval Office. REUTERS/Leah Millis",
                    "creators": ["Evelyn Hockstein"],
                }
            },
        ),
        Example(
            "same person, other case and order",
            fails=False,
            images={
                "a.jpg": {
                    "description": "President Trump speaks in the Oval Office. REUTERS/LEAH MILLIS",
                    "creators": ["Millis, Leah"],
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            credit, record = target.caption.credit, target.record
            if credit is None or record is None or not credit.photographers or not record.creators:
                continue
            if any(
                same_person(name, creator) for name in credit.photographers for creator in record.creators
            ):
                continue
            where = "the linked file" if target.in_article else "the file"
            yield self.finding(
                f"credit names {', '.join(credit.photographers)} but {where} ({record.path}) names "
                f"{', '.join(record.creators)} as creator",
                **target.where,
            )


@register
class AgencyMismatch(Rule):
    """Agency in the caption's credit is not the one in the file's credit line or source.

    Agencies are compared by catalogue identity, so ``AP``, ``AP Photo`` and ``The Associated Press``
    agree. Silent when the caption names no catalogued agency or the file's credit line and source
    name none.

    Fails: caption ``... REUTERS/Leah Millis`` on a file whose credit line is ``AP``.
    Passes: caption ``... (AP Photo/Evan Vucci)`` on a file whose source is ``The Associated Press``.
    """

    code = "MM205"
    name = "agency-mismatch"
    severity = "warning"
    examples = (
        Example(
            "Reuters in the caption, AP in the file",
            fails=True,
            images={
                "a.jpg": {
                    "description": "President Trump speaks in the Oval Office. REUTERS/Leah Millis",
                    "credit_line": "AP",
                }
            },
        ),
        Example(
            "AP spelled two ways",
            fails=False,
            images={
                "a.jpg": {
                    "description": "President Trump speaks in the Oval Office. (AP Photo/Evan Vucci)",
                    "source": "The Associated Press",
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        catalogue = catalogue_for(ctx.config)
        for target in targets(ctx):
            credit, record = target.caption.credit, target.record
            if credit is None or record is None:
                continue
            caption_agencies = {
                agency_key(name, catalogue) for name in credit.agencies if catalogue.lookup(name) is not None
            }
            file_agencies = record_agencies(record, catalogue)
            if not caption_agencies or not file_agencies or caption_agencies & file_agencies:
                continue
            file_text = " / ".join(value for value in (record.credit_line, record.source) if value)
            yield self.finding(
                f"credit names {', '.join(credit.agencies)} but the file's credit/source says {file_text}",
                **target.where,
            )


@register
class HouseCreditStyle(Rule):
    """Article caption credit is not written in the house style (``house-credit-style``).

    With ``house-credit-style = "(photo credit: {AGENCY}/{PHOTOGRAPHER})"`` every article credit must
    read like ``(photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)``. A placeholder's case sets the
    value's case (``{AGENCY}`` upper, ``{agency}`` lower, ``{Agency}`` as catalogued); qualifiers
    (FILE PHOTO, POOL, HANDOUT...) go where ``{QUALIFIER}`` stands, else after the last part. Silent
    when no house style is configured.

    Fix: rewrite the credit in the house form (the caption's description is kept as it is).

    Fails: ``Lawmakers meet in Jerusalem. (credit: Reuters/Leah Millis)`` with the style above.
    Passes: ``Lawmakers meet in Jerusalem. (photo credit: REUTERS/LEAH MILLIS)``.
    """

    code = "MM206"
    name = "house-credit-style"
    severity = "warning"
    examples = (
        Example(
            "agency-last credit",
            fails=True,
            config={"house-credit-style": "(photo credit: {AGENCY}/{PHOTOGRAPHER})"},
            articles={"story.txt": "Lawmakers meet in Jerusalem, Israel. Leah Millis/REUTERS\n"},
        ),
        Example(
            "the house form",
            fails=False,
            config={"house-credit-style": "(photo credit: {AGENCY}/{PHOTOGRAPHER})"},
            articles={
                "story.txt": "Lawmakers meet in Jerusalem, Israel. (photo credit: REUTERS/LEAH MILLIS)\n"
            },
        ),
        Example(
            "no house style configured",
            fails=False,
            articles={"story.txt": "Lawmakers meet in Jerusalem, Israel. Leah Millis/REUTERS\n"},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if ctx.config.house_credit_style is None:
            return
        for target in article_targets(ctx):
            fixed = _house_fix(ctx, target)
            if fixed is None:
                continue
            house, corrected = fixed
            yield self.finding(
                f"credit not in the house style: expected '{house}'",
                fix=Fix(description=f"rewrite the credit as {house}", changes={"caption": corrected}),
                **target.where,
            )


@register
class StaffCreditedToAgency(Rule):
    """A staff photographer (``staff-photographers``) is credited together with a wire or photo agency.

    Staff pictures are the newsroom's own; crediting them to Reuters or Getty misattributes rights
    and payment. Silent when no staff photographers are configured.

    Fails: ``... (photo credit: REUTERS/MARC ISRAEL SELLEM)`` with ``staff-photographers = ["Marc Israel Sellem"]``.
    Passes: ``... (photo credit: MARC ISRAEL SELLEM)`` with the same list.
    """

    code = "MM207"
    name = "staff-credited-to-agency"
    severity = "warning"
    examples = (
        Example(
            "staff photographer under an agency",
            fails=True,
            config={"staff-photographers": ["Marc Israel Sellem"]},
            images={
                "a.jpg": {
                    "description": "Worshippers pray in Jerusalem. (photo credit: REUTERS/MARC ISRAEL SELLEM)"
                }
            },
        ),
        Example(
            "staff photographer on their own",
            fails=False,
            config={"staff-photographers": ["Marc Israel Sellem"]},
            images={
                "a.jpg": {"description": "Worshippers pray in Jerusalem. (photo credit: MARC ISRAEL SELLEM)"}
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        staff = ctx.config.staff_photographers
        if not staff:
            return
        catalogue = catalogue_for(ctx.config)
        for target in targets(ctx):
            credit = target.caption.credit
            if credit is None:
                continue
            members = [name for name in credit.photographers if any(same_person(name, s) for s in staff)]
            agencies = [
                name
                for name in credit.agencies
                if (agency := catalogue.lookup(name)) is not None and agency.kind in AGENCY_KINDS_FOR_STAFF
            ]
            if members and agencies:
                yield self.finding(
                    f"staff photographer {members[0]} is credited with {', '.join(agencies)}", **target.where
                )
