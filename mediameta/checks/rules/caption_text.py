"""MM1xx: the caption text itself — camera junk, placeholders, empty or too short, unbalanced brackets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import Field

from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.checks.rules._support import (
    RuleOptions,
    Target,
    article_targets,
    captioned_refs,
    image_targets,
    is_alt_text,
    is_unreadable,
    targets,
)
from mediameta.models import Caption, Finding, Fix

# Whole-caption texts cameras, phones and editors write by default (matched case-insensitively).
CAMERA_DEFAULTS: frozenset[str] = frozenset(
    {
        "olympus digital camera",
        "sony dsc",
        "dcim",
        "default",
        "[none]",
        "none",
        "untitled",
        "samsung camera pictures",
        "samsung digital camera",
        "konica minolta digital camera",
        "minolta digital camera",
        "kodak digital still camera",
        "easyshare camera",
        "leica digital camera",
        "nikon digital camera",
        "panasonic digital camera",
        "digital camera",
        "exif_jpeg_picture",
        "exif jpeg picture",
        "created with gimp",
        "lg electronics",
        "hdr",
        "image",
        "photo",
        "picture",
        "vivitar",
        "cybershot",
        "camera",
        # A camera make alone ("SAMSUNG", "SONY") is what several firmwares write.
        "samsung",
        "sony",
        "canon",
        "nikon",
        "olympus",
        "panasonic",
        "fujifilm",
        "kodak",
        "lg",
        "huawei",
        "xiaomi",
        "apple",
        "gopro",
        "dji",
        "pentax",
        "ricoh",
        "leica",
        "minolta",
    }
)
# File-name-like descriptions: IMG_1234, DSC01234, DSCN0042, DSCF1234, _MG_1234, GOPR0001, P1010001.
_FILE_NAME_CAPTION = re.compile(
    r"^(?:img|dsc|dscn|dscf|_mg|_dsc|gopr|gp|pict|mvc|sam|imag|dji|pxl|p)[_-]?\d{3,}(?:[_-]\d+)*"
    r"(?:\.(?:jpe?g|tiff?|png|heic|dng|nef|cr2|arw))?$",
    re.IGNORECASE,
)

_PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:insert|add|write|enter)\s+(?:a\s+|the\s+)?caption\b", re.I), "insert caption"),
    (
        re.compile(r"\bcaption\s+(?:tk|tbd|tba|here|to\s+come|goes\s+here|needed|pending)\b", re.I),
        "caption TK",
    ),
    (re.compile(r"\blorem\s+ipsum\b", re.I), "lorem ipsum"),
    (re.compile(r"(?<![\w-])TK(?![\w-])"), "TK"),
    (re.compile(r"(?<!\bBowl )(?<!\bOlympiad )(?<![\w-])[Xx]{3,}(?![\w-])"), "XXX"),
    (re.compile(r"^\s*(?:tbd|tba|placeholder|caption)\s*[.:]?\s*$", re.I), "placeholder"),
    (
        re.compile(r"\[\s*(?:caption|placeholder|credit|photographer|name|date|location)\s*\]", re.I),
        "[placeholder]",
    ),
)


def camera_default(text: str) -> bool:
    """Whether ``text`` is what a camera or editor writes when nobody captioned the picture."""
    plain = " ".join(text.split()).strip(" .").casefold()
    if not plain:
        return False
    return plain in CAMERA_DEFAULTS or bool(_FILE_NAME_CAPTION.match(plain))


def placeholder(text: str) -> str | None:
    """The placeholder ``text`` contains ("caption TK", "XXX", "lorem ipsum"...), or None."""
    for pattern, label in _PLACEHOLDERS:
        if pattern.search(text):
            return label
    return None


@lru_cache(maxsize=65536)
def stand_in(text: str) -> bool:
    """A camera default or a placeholder: not a caption yet, so its length, date and place are not
    reported on top of MM101/MM102."""
    return camera_default(text) or placeholder(text) is not None


def _body(target: Target) -> str:
    caption = target.caption
    if caption.body is not None:
        return caption.body.strip()
    if caption.credit is not None:
        return ""
    return caption.text.strip()


def _description_words(caption: Caption) -> int:
    """How many words MM104 short-caption counts in a caption: its description, not its credit."""
    if caption.body is not None:
        body = caption.body.strip()
    else:
        body = "" if caption.credit is not None else caption.text.strip()
    return len(_WORD.findall(body))


def _replacement_for(ctx: CheckContext, record_path: str) -> str | None:
    """An article caption linked to the image, to offer as its embedded caption: one the caption
    rules accept (no camera text, no placeholder, at least MM104's ``min-words`` in its description),
    a real caption before the picture's alt text. None when no linked caption is fit."""
    from mediameta.config import rule_options

    options = rule_options(ctx.config, ShortCaption)
    assert isinstance(options, ShortCaptionOptions)
    captioned = captioned_refs(link.occurrence for link in ctx.links)
    fit: list[tuple[bool, str]] = []
    for link in ctx.links:
        if link.record is None or link.record.path != record_path:
            continue
        occurrence = link.occurrence
        text = occurrence.text.strip()
        if not text or camera_default(text) or placeholder(text) is not None:
            continue
        if _description_words(occurrence.caption) < options.min_words:
            continue
        fit.append((is_alt_text(occurrence, captioned), text))
    return min(fit, key=lambda item: item[0])[1] if fit else None


@register
class CameraDefaultCaption(Rule):
    """Caption is the text a camera or editor writes by default ("OLYMPUS DIGITAL CAMERA", "IMG_1234").

    Cameras and phones fill the description with their make ("SONY DSC", "OLYMPUS DIGITAL CAMERA"),
    a folder ("DCIM") or the file name ("IMG_1234"); some software writes "Default" or "[None]".
    Such text says nothing about the picture and must not be published or archived as its caption.
    Every image's embedded description is checked (even when an article captions the picture:
    the file travels on without the article) and so is every article caption.

    Fix (images): replace the description with the article caption linked to the picture (a caption
    with at least MM104's ``min-words`` words, before the picture's alt text), or clear it when
    there is none.

    Fails: an image whose description is ``OLYMPUS DIGITAL CAMERA``.
    Passes: ``Firefighters battle a blaze in Haifa, Israel, May 3, 2025. REUTERS/Amir Cohen``.
    """

    code = "MM101"
    name = "camera-default-caption"
    severity = "warning"
    examples = (
        Example(
            "camera make as the embedded caption",
            fails=True,
            images={"P1010001.jpg": {"description": "OLYMPUS DIGITAL CAMERA", "creators": ["Amir Cohen"]}},
        ),
        Example(
            "file name as the embedded caption",
            fails=True,
            images={"IMG_1234.jpg": {"description": "IMG_1234"}},
        ),
        Example(
            "a real caption",
            fails=False,
            images={
                "haifa.jpg": {
                    "description": "Firefighters battle a blaze in Haifa, Israel, May 3, 2025. REUTERS/Amir Cohen"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in article_targets(ctx):
            if camera_default(target.caption.text):
                yield self.finding(
                    f"caption is a camera default ('{target.caption.text.strip()}')", **target.where
                )
        for target in image_targets(ctx, all_images=True):
            record = target.record
            if record is None or is_unreadable(record) or not camera_default(target.caption.text):
                continue
            replacement = _replacement_for(ctx, record.path)
            fix = (
                Fix(
                    description="use the article caption as the embedded caption",
                    changes={"description": replacement},
                )
                if replacement
                else Fix(description="remove the camera's default description", changes={"description": ""})
            )
            yield self.finding(
                f"embedded caption is a camera default ('{target.caption.text.strip()}')",
                fix=fix,
                **target.where,
            )


@register
class PlaceholderCaption(Rule):
    """Caption still holds a placeholder ("caption TK", "TK", "XXX", "lorem ipsum", "INSERT CAPTION").

    Placeholders are how a desk marks text to come; one left in a caption or credit at publication
    is an embarrassing error. Checked in every article caption and every image's embedded caption.

    Fails: ``Caption TK (photo credit: REUTERS/LEAH MILLIS)``.
    Passes: ``Lawmakers arrive at the Knesset in Jerusalem, March 3, 2025. (photo credit: REUTERS/LEAH MILLIS)``.
    """

    code = "MM102"
    name = "placeholder-caption"
    severity = "error"
    examples = (
        Example(
            "caption TK in an article",
            fails=True,
            articles={"story.txt": "Caption TK (photo credit: REUTERS/LEAH MILLIS)\n"},
        ),
        Example(
            "XXX left in an embedded caption",
            fails=True,
            images={"a.jpg": {"description": "XXX speaks to reporters in XXX. REUTERS/Leah Millis"}},
        ),
        Example(
            "a finished caption",
            fails=False,
            articles={
                "story.txt": "Lawmakers arrive at the Knesset in Jerusalem, March 3, 2025. "
                "(photo credit: REUTERS/LEAH MILLIS)\n"
            },
            images={
                "a.jpg": {"description": "Fans celebrate at Super Bowl XXX in Tempe. AP Photo/Matt York"}
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in article_targets(ctx):
            label = placeholder(target.caption.text)
            if label is not None:
                yield self.finding(f"caption contains a placeholder ({label})", **target.where)
        for target in image_targets(ctx, all_images=True):
            label = placeholder(target.caption.text)
            if label is not None:
                yield self.finding(f"embedded caption contains a placeholder ({label})", **target.where)


@register
class EmptyCaption(Rule):
    """Caption has a credit but no description: the picture is published or filed with a credit only.

    An article caption that is only a credit (``(photo credit: REUTERS/LEAH MILLIS)``), an empty
    caption in an article (``<figcaption></figcaption>``), or an embedded caption of an image no
    article captions that holds only a credit tells the reader nothing about the picture. An image
    with no caption at all is MM602's (image-without-caption); unreadable files are MM9xx's.

    Fails: an article caption ``(photo credit: REUTERS/LEAH MILLIS)``.
    Passes: ``A man walks past a mural in Tel Aviv, Israel. REUTERS/Amir Cohen``.
    """

    code = "MM103"
    name = "empty-caption"
    severity = "warning"
    examples = (
        Example(
            "an article caption that is only a credit",
            fails=True,
            articles={
                "story.html": '<figure><img src="a.jpg"><figcaption>(photo credit: REUTERS/LEAH MILLIS)'
                "</figcaption></figure>\n"
            },
            images={"a.jpg": {"description": "A man walks past a mural in Tel Aviv. REUTERS/Leah Millis"}},
        ),
        Example(
            "an embedded caption that is only a credit",
            fails=True,
            images={"a.jpg": {"description": "REUTERS/Amir Cohen"}},
        ),
        Example(
            "a described picture",
            fails=False,
            images={
                "a.jpg": {"description": "A man walks past a mural in Tel Aviv, Israel. REUTERS/Amir Cohen"}
            },
        ),
        Example(
            "no caption at all is MM602's, not this rule's",
            fails=False,
            images={"a.jpg": {"creators": ["Amir Cohen"]}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            if _body(target) or stand_in(target.caption.text):
                continue
            if target.in_article:
                message = (
                    "caption has a credit but no description" if target.caption.credit else "caption is empty"
                )
                yield self.finding(message, **target.where)
            elif (
                target.caption.text.strip() and target.record is not None and not is_unreadable(target.record)
            ):
                yield self.finding("embedded caption has a credit but no description", **target.where)


class ShortCaptionOptions(RuleOptions):
    min_words: int = Field(default=3, ge=1, description="captions with fewer words than this are reported")


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@register
class ShortCaption(Rule):
    """Caption description is shorter than ``min-words`` words (default 3).

    Who, what, where, when: a caption of one or two words ("Netanyahu", "The scene") rarely says
    enough. Headshot desks that caption portraits with a name alone can lower ``min-words`` to 1 or
    switch the rule off. Only words in the description count, not the credit. Empty captions are
    MM103's.

    Options: ``min-words`` (int, default 3).

    Fails: ``The scene. REUTERS/Amir Cohen``.
    Passes: ``Rescue workers search the rubble in Gaza City. REUTERS/Amir Cohen``.
    """

    code = "MM104"
    name = "short-caption"
    severity = "info"
    Options = ShortCaptionOptions
    examples = (
        Example("two words", fails=True, images={"a.jpg": {"description": "The scene. REUTERS/Amir Cohen"}}),
        Example(
            "a name alone with min-words = 2",
            fails=True,
            options={"min-words": 2},
            images={"a.jpg": {"description": "Netanyahu"}},
        ),
        Example(
            "a full sentence",
            fails=False,
            images={
                "a.jpg": {"description": "Rescue workers search the rubble in Gaza City. REUTERS/Amir Cohen"}
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert isinstance(self.options, ShortCaptionOptions)
        minimum = self.options.min_words
        for target in targets(ctx):
            body = _body(target)
            if not body or stand_in(target.caption.text):
                continue
            words = len(_WORD.findall(body))
            if words < minimum:
                plural = "word" if words == 1 else "words"
                yield self.finding(
                    f"caption description has {words} {plural} (minimum {minimum})", **target.where
                )


_PAIRS = {")": "(", "]": "[", "}": "{", "”": "“", "»": "«"}
_OPENERS = set(_PAIRS.values())


def unbalanced(text: str) -> str | None:
    """What is unbalanced in ``text`` (brackets by nesting, straight double quotes by count), or None."""
    stack: list[str] = []
    for char in text:
        if char in _OPENERS:
            stack.append(char)
        elif char in _PAIRS:
            if not stack or stack[-1] != _PAIRS[char]:
                return f"'{char}' without a matching '{_PAIRS[char]}'"
            stack.pop()
    if stack:
        closer = {v: k for k, v in _PAIRS.items()}[stack[-1]]
        return f"'{stack[-1]}' is never closed with '{closer}'"
    if text.count('"') % 2:
        return "an odd number of '\"' quotes"
    return None


@register
class UnbalancedBrackets(Rule):
    """Caption has unbalanced brackets or quotes: an opening "(" without ")", a stray "]", an odd '"'.

    Usually a credit or a quote cut off by an edit: ``... in Washington (photo credit: REUTERS``.
    Round, square and curly brackets, typographic quotes “ ” and « » are matched by nesting;
    straight double quotes by count.

    Fails: ``Protesters march in Tel Aviv (photo credit: REUTERS/AMIR COHEN``.
    Passes: ``Protesters march in Tel Aviv (photo credit: REUTERS/AMIR COHEN)``.
    """

    code = "MM105"
    name = "unbalanced-brackets"
    severity = "warning"
    examples = (
        Example(
            "credit bracket never closed",
            fails=True,
            images={
                "a.jpg": {"description": "Protesters march in Tel Aviv (photo credit: REUTERS/AMIR COHEN"}
            },
        ),
        Example(
            "a quote left open",
            fails=True,
            images={"a.jpg": {"description": 'A sign reads "No more in Tel Aviv. REUTERS/Amir Cohen'}},
        ),
        Example(
            "balanced",
            fails=False,
            images={
                "a.jpg": {
                    "description": 'A sign reads "No more" in Tel Aviv (photo credit: REUTERS/AMIR COHEN)'
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            problem = unbalanced(target.caption.text)
            if problem is not None:
                yield self.finding(f"unbalanced caption: {problem}", **target.where)
