"""MM9xx: input mediameta could not read — whole files, damaged metadata blocks, unsupported formats.

Errors are data: the reader and the article extractor record what went wrong instead of raising,
and these rules turn those records into findings, so a damaged file shows up in every report
format (SARIF also lists them as tool notifications) instead of silently dropping out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.models import Finding

_UNSUPPORTED = re.compile(
    r"\bunsupported\b|\bnot supported\b|\bunknown (?:image )?format\b|\bnot an image\b|\bneeds the optional\b",
    re.I,
)
BLOCK_LABELS = {"exif": "EXIF", "iptc": "IPTC", "xmp": "XMP", "sidecar": "sidecar"}


def unsupported(message: str) -> bool:
    """Whether a read error says the format is not one mediameta reads (rather than a damaged file)."""
    return bool(_UNSUPPORTED.search(message))


@register
class UnreadableFile(Rule):
    """File could not be read at all: no permission, a truncated or corrupt image, binary junk.

    Also an article file that held nothing readable (binary data where text was expected).
    Nothing in the file was checked, so the report would be incomplete without this finding. The
    message is the reader's own. Formats mediameta does not read are MM903's.

    Fails: an image the reader recorded as ``cannot identify image file (truncated)``.
    Passes: a readable image.
    """

    code = "MM901"
    name = "unreadable-file"
    severity = "error"
    examples = (
        Example(
            "a truncated JPEG",
            fails=True,
            images={
                "a.jpg": {
                    "errors": [
                        {"block": "file", "message": "image file is truncated (6 bytes not processed)"}
                    ]
                }
            },
        ),
        Example("a file the engine could not open", fails=True, unreadable={"b.jpg": "permission denied"}),
        Example(
            "an article that held nothing readable",
            fails=True,
            article_errors={"junk.txt": ["binary data, not text: not read"]},
        ),
        Example(
            "a readable image",
            fails=False,
            images={"a.jpg": {"description": "A caption. REUTERS/Amir Cohen"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for item in ctx.unreadable:
            if not unsupported(item.message):
                yield self.finding(f"cannot read file: {item.message}", path=item.path)
        for record in ctx.records:
            messages = [e.message for e in record.errors if e.block == "file" and not unsupported(e.message)]
            if messages:
                yield self.finding(f"cannot read file: {'; '.join(messages)}", path=record.path)
        for article in ctx.articles:
            if article.errors and not article.captions and not article.paragraphs:
                yield self.finding(f"cannot read article: {'; '.join(article.errors)}", path=article.path)


@register
class DamagedMetadata(Rule):
    """A metadata block (EXIF, IPTC, XMP or a sidecar) is damaged; the rest of the file was read.

    The picture opens but one block could not be parsed — a bad IFD offset, an IIM record cut short,
    XMP that is not well-formed XML (or tries entity expansion). Values from that block are missing
    from every other check, and rewriting the file may drop what is left of it.

    Fails: an image whose XMP packet is not well-formed.
    Passes: an image with clean blocks.
    """

    code = "MM902"
    name = "damaged-metadata"
    severity = "warning"
    examples = (
        Example(
            "XMP not well-formed",
            fails=True,
            images={
                "a.jpg": {
                    "description": "A caption. REUTERS/Amir Cohen",
                    "errors": [
                        {"block": "xmp", "message": "not well-formed (invalid token): line 3, column 12"}
                    ],
                }
            },
        ),
        Example(
            "clean blocks", fails=False, images={"a.jpg": {"description": "A caption. REUTERS/Amir Cohen"}}
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for record in ctx.records:
            for error in record.errors:
                if error.block != "file":
                    label = BLOCK_LABELS.get(error.block, error.block)
                    yield self.finding(
                        f"damaged {label} metadata: {error.message}", path=record.path, field=error.block
                    )


@register
class UnsupportedFormat(Rule):
    """File is in a format mediameta does not read (its metadata was not checked).

    For example HEIC without the optional ``heif`` extra installed, or a file with an image suffix
    that holds something else. Install the extra, convert the file, or exclude it.

    Fails: an image the reader recorded as ``unsupported format: HEIF (install mediameta[heif])``.
    Passes: a JPEG the reader read.
    """

    code = "MM903"
    name = "unsupported-format"
    severity = "warning"
    examples = (
        Example(
            "HEIC without the extra",
            fails=True,
            images={
                "a.heic": {
                    "errors": [
                        {"block": "file", "message": "unsupported format: HEIF (install mediameta[heif])"}
                    ]
                }
            },
        ),
        Example("a readable JPEG", fails=False, images={"a.jpg": {"format": "JPEG"}}),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for item in ctx.unreadable:
            if unsupported(item.message):
                yield self.finding(f"unsupported format: {item.message}", path=item.path)
        for record in ctx.records:
            for error in record.errors:
                if error.block == "file" and unsupported(error.message):
                    yield self.finding(f"not checked: {error.message}", path=record.path)


@register
class ArticleReadProblem(Rule):
    """Article was read, but not cleanly: wrong encoding guessed, file cut at the size limit, markup errors.

    Captions were extracted, but characters may be wrong (a cp1252 fallback) or some captions may be
    missing (a file cut at the size limit). The message is the extractor's own.

    Fails: an article recorded as ``not valid UTF-8; decoded as cp1252``.
    Passes: a clean UTF-8 article.
    """

    code = "MM904"
    name = "article-read-problem"
    severity = "warning"
    examples = (
        Example(
            "encoding fallback",
            fails=True,
            articles={"story.txt": "Crowds gather in Jerusalem. (photo credit: REUTERS/AMMAR AWAD)\n"},
            article_errors={"story.txt": ["not valid UTF-8; decoded as cp1252"]},
        ),
        Example(
            "clean article",
            fails=False,
            articles={"story.txt": "Crowds gather in Jerusalem. (photo credit: REUTERS/AMMAR AWAD)\n"},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for article in ctx.articles:
            if article.errors and (article.captions or article.paragraphs):
                for message in article.errors:
                    yield self.finding(f"article read with a problem: {message}", path=article.path)
