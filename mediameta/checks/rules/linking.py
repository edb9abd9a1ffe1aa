"""MM6xx linking: every caption should have its picture and every picture its caption.

Links come from :func:`mediameta.link.link_captions` (see its documentation for how a caption finds its
picture: html / markdown references, sidecars, manifests, embedded-caption matching).
"""

from __future__ import annotations

from collections.abc import Iterator

from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.models import Finding, Position

_SHORT = 60


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _SHORT else text[: _SHORT - 1] + "…")


@register
class CaptionWithoutImage(Rule):
    """A caption in an article belongs to no picture.

    The article names no file for it and no picture's embedded caption matches it closely enough
    (``link-threshold``). Either the picture is missing from the folder, or its embedded caption says
    something quite different from what the article prints.

    Fails: a plain-text article captions a picture, and no image in the folder carries that caption.

    Passes: an image whose embedded description matches the caption is in the folder.
    """

    code = "MM601"
    name = "caption-without-image"
    severity = "warning"
    examples = (
        Example(
            title="no picture matches",
            fails=True,
            articles={
                "story.txt": "Headline\n\nFishing boats leave the harbour at dawn in Haifa, Israel, "
                "November 19, 2026. (credit: REUTERS/AMIR COHEN)\n"
            },
            images={"market.jpg": {"description": "Shoppers buy vegetables at a market in Jerusalem."}},
        ),
        Example(
            title="the picture's embedded caption matches",
            fails=False,
            articles={
                "story.txt": "Headline\n\nFishing boats leave the harbour at dawn in Haifa, Israel, "
                "November 19, 2026. (credit: REUTERS/AMIR COHEN)\n"
            },
            images={
                "boats.jpg": {
                    "description": "Fishing boats leave the harbour at dawn in Haifa, Israel, "
                    "November 19, 2026. REUTERS/Amir Cohen"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for link in ctx.links:
            if link.record is None and link.image_ref is None and not link.candidates:
                occurrence = link.occurrence
                yield self.finding(
                    f"caption {_quote(occurrence.text)} belongs to no picture: the article names no local file "
                    "and no image's embedded caption matches it",
                    path=occurrence.path,
                    line=occurrence.line,
                    column=occurrence.column,
                )


@register
class ImageWithoutCaption(Rule):
    """A picture has no caption at all: no article captions it and it carries no embedded description.

    Fails: ``IMG_0042.jpg`` with an empty description and no article naming or matching it.

    Passes: the picture carries an embedded description, or an article captions it.
    """

    code = "MM602"
    name = "image-without-caption"
    severity = "warning"
    examples = (
        Example(
            title="nothing describes the picture", fails=True, images={"IMG_0042.jpg": {"creators": ["A B"]}}
        ),
        Example(
            title="an embedded description",
            fails=False,
            images={"IMG_0042.jpg": {"description": "Boats at dawn in Haifa, Israel. REUTERS/Amir Cohen"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        captioned = {link.record.path for link in ctx.links if link.record is not None}
        for record in ctx.records:
            if record.path in captioned or (record.description and record.description.strip()):
                continue
            if any(error.block == "file" for error in record.errors):
                continue  # an unreadable file is MM9xx's finding, not a missing caption
            yield self.finding(
                "picture has no caption: no article captions it and its description is empty",
                path=record.path,
                field="description",
            )


@register
class ImageMissing(Rule):
    """An article names a picture file that is not there.

    ``<img src>`` or ``![..](path)`` points to a file that does not exist among the checked images
    (resolved relative to the article). A broken picture on the published page. Reported once per
    article and file, at its first reference.

    Fails: ``![Podium](podium.jpg)`` with no ``podium.jpg`` next to the article.

    Passes: the file exists.
    """

    code = "MM603"
    name = "image-missing"
    severity = "error"
    examples = (
        Example(
            title="the named file is missing",
            fails=True,
            articles={
                "story.md": "# Night\n\n![Podium](podium.jpg)\n*The podium stands empty. REUTERS/Ann Lee*\n"
            },
        ),
        Example(
            title="the named file exists",
            fails=False,
            articles={
                "story.md": "# Night\n\n![Podium](podium.jpg)\n*The podium stands empty. REUTERS/Ann Lee*\n"
            },
            images={"podium.jpg": {"description": "The podium stands empty. REUTERS/Ann Lee"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        reported: set[tuple[str, str]] = set()
        for link in ctx.links:
            if link.record is None and link.image_ref is not None:
                occurrence = link.occurrence
                if (occurrence.path, link.image_ref) in reported:
                    continue  # alt text and figcaption of one figure: one missing file, one finding
                reported.add((occurrence.path, link.image_ref))
                shown = occurrence.image_ref or link.image_ref
                yield self.finding(
                    f"image {shown!r} is referenced but missing ({link.image_ref} not found)",
                    path=occurrence.path,
                    line=occurrence.line,
                    column=occurrence.column,
                )


@register
class AmbiguousMatch(Rule):
    """A caption matches two or more pictures equally well, so it is linked to none of them.

    The pictures' embedded captions are identical (or equally close to the article's caption): the
    article should name the file, or one of the pictures carries the wrong caption.

    Fails: two files with the same embedded description, and a plain-text article captioning it.

    Passes: only one file carries that description.
    """

    code = "MM604"
    name = "ambiguous-match"
    severity = "warning"
    examples = (
        Example(
            title="two pictures, same embedded caption",
            fails=True,
            articles={
                "story.txt": "Headline\n\nFishing boats leave the harbour at dawn in Haifa, Israel, "
                "November 19, 2026. (credit: REUTERS/AMIR COHEN)\n"
            },
            images={
                "a.jpg": {
                    "description": "Fishing boats leave the harbour at dawn in Haifa, Israel, November 19, 2026."
                },
                "b.jpg": {
                    "description": "Fishing boats leave the harbour at dawn in Haifa, Israel, November 19, 2026."
                },
            },
        ),
        Example(
            title="one picture carries it",
            fails=False,
            articles={
                "story.txt": "Headline\n\nFishing boats leave the harbour at dawn in Haifa, Israel, "
                "November 19, 2026. (credit: REUTERS/AMIR COHEN)\n"
            },
            images={
                "a.jpg": {
                    "description": "Fishing boats leave the harbour at dawn in Haifa, Israel, November 19, 2026."
                },
                "b.jpg": {"description": "Shoppers buy vegetables at a market in Jerusalem, Israel."},
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for link in ctx.links:
            if link.candidates:
                occurrence = link.occurrence
                yield self.finding(
                    f"caption matches {len(link.candidates)} pictures equally well: {', '.join(link.candidates)}",
                    path=occurrence.path,
                    line=occurrence.line,
                    column=occurrence.column,
                    related=[Position(path=candidate) for candidate in link.candidates],
                )
