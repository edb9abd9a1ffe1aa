"""MM5xx duplication: the same caption twice, one caption on two pictures, one picture under two captions.

Captions are compared on their BODY (the description without the credit and without a FILE PHOTO
marker), normalised for case, punctuation and spacing, with rapidfuzz's normalised Indel similarity;
"near" means at or above ``duplicate-threshold`` (config, default 0.9; each rule can override it with
its own ``threshold`` option). Large sets go through the MinHash-LSH index in :mod:`mediameta.dedup`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from mediameta.checks.context import CaptionLink, CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.config import catalogue_for
from mediameta.dedup import (
    DEFAULT_MAX_HASH_DISTANCE,
    near_duplicate_pairs,
    normalise_text,
    similar_hash_pairs,
)
from mediameta.link import parse_cached
from mediameta.models import Caption, Finding, MediaRecord, Position

_LOOP_BELOW = 24  # texts: a Python loop below this many
_EXHAUSTIVE_BELOW = 200  # texts: compare all pairs (cdist) below this many, use the index above


class _Options(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, alias_generator=lambda s: s.replace("_", "-")
    )


def _pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    if len(texts) < _LOOP_BELOW:  # a handful of captions (one article): plain comparisons are cheapest
        return _few_pairs(texts, threshold)
    return near_duplicate_pairs(texts, threshold, exhaustive=len(texts) < _EXHAUSTIVE_BELOW)


def _few_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    from rapidfuzz import fuzz

    normalised = [normalise_text(text) for text in texts]
    pairs: list[tuple[int, int, float]] = []
    first_of: dict[str, int] = {}
    for second, text in enumerate(normalised):
        if not text:
            continue
        if text in first_of:  # identical: a star on the first occurrence, as near_duplicate_pairs does
            pairs.append((first_of[text], second, 1.0))
            continue
        for earlier_text, first in first_of.items():
            score = fuzz.ratio(earlier_text, text, score_cutoff=threshold * 100.0)
            if score:
                pairs.append((first, second, round(score / 100.0, 4)))
        first_of[text] = second
    pairs.sort()
    return pairs


def _body(caption: Caption) -> str:
    return caption.body or ""


def _percent(score: float) -> str:
    return "identical" if score >= 1.0 else f"{int(score * 100)}% similar"


def _position(link: CaptionLink) -> Position:
    occurrence = link.occurrence
    return Position(path=occurrence.path, line=occurrence.line, column=occurrence.column)


# --------------------------------------------------------------------------- MM501


class DuplicateInArticleOptions(_Options):
    threshold: float | None = None  # None: config duplicate-threshold


@register
class DuplicateCaptionInArticle(Rule):
    """The same caption appears twice in one article.

    Usually a layout slip: the caption printed as alt text and again as figure caption, or pasted twice
    with the credit once inline and once on its own line. Each pair is reported once, at the second
    occurrence, with the first as the related position. Occurrences that belong to two different
    pictures are left to MM502 (one caption on two pictures).

    Fails::

        A soldier patrols the town of Sudzha, Russia, August 16, 2024. (credit: REUTERS/YAN DOBRONOSOV)
        A soldier patrols the town of Sudzha, Russia, August 16, 2024. (credit: REUTERS/YAN DOBRONOSOV)

    Passes: each caption printed once.
    """

    code = "MM501"
    name = "duplicate-caption-in-article"
    severity = "warning"
    Options = DuplicateInArticleOptions
    examples = (
        Example(
            title="a caption printed twice",
            fails=True,
            articles={
                "story.txt": (
                    "Talks resume\n\n"
                    "A soldier patrols the town of Sudzha, Kursk region, Russia, August 16, 2024. "
                    "(credit: REUTERS/YAN DOBRONOSOV)\n"
                    "A soldier patrols the town of Sudzha, Kursk region, Russia, August 16, 2024. "
                    "(credit: REUTERS/YAN DOBRONOSOV)\n\n"
                    "The talks resumed on Friday.\n"
                )
            },
        ),
        Example(
            title="two different captions",
            fails=False,
            articles={
                "story.txt": (
                    "Talks resume\n\n"
                    "A soldier patrols the town of Sudzha, Kursk region, Russia, August 16, 2024. "
                    "(credit: REUTERS/YAN DOBRONOSOV)\n\n"
                    "The talks resumed on Friday.\n\n"
                    "Delegates arrive for talks in Geneva, Switzerland, March 3, 2025. "
                    "(credit: REUTERS/DENIS BALIBOUSE)\n"
                )
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert isinstance(self.options, DuplicateInArticleOptions)
        threshold = self.options.threshold or ctx.config.duplicate_threshold
        by_article: dict[str, list[CaptionLink]] = {}
        for link in ctx.links:
            by_article.setdefault(link.occurrence.path, []).append(link)
        for links in by_article.values():
            links = sorted(links, key=lambda link: (link.occurrence.line, link.occurrence.column))
            for first, second, score in _pairs([_body(link.occurrence.caption) for link in links], threshold):
                earlier, later = links[first], links[second]
                if (
                    earlier.record is not None
                    and later.record is not None
                    and earlier.record.path != later.record.path
                ):
                    continue  # two pictures: MM502's business
                yield self.finding(
                    f"caption repeated in this article ({_percent(score)} to line {earlier.occurrence.line})",
                    path=later.occurrence.path,
                    line=later.occurrence.line,
                    column=later.occurrence.column,
                    related=[_position(earlier)],
                )


# --------------------------------------------------------------------------- MM502


class CaptionOnTwoPicturesOptions(_Options):
    threshold: float | None = None
    min_words: int = 4  # shorter bodies ("Handout", "Default") are left to the caption-text rules


@dataclass
class _Entry:
    """One caption attached to one picture: an article occurrence or the picture's embedded description."""

    text: str
    image: str
    link: CaptionLink | None  # None: the embedded description


@register
class CaptionOnTwoPictures(Rule):
    """One caption (exact or near) is used for two different pictures.

    One of the two pictures carries the wrong caption. Compares the captions articles give their
    pictures and the descriptions embedded in the files, across all articles and images. Reported once
    per pair of pictures, at the later article caption (or on the second image's description).

    Fails: ``a.jpg`` and ``b.jpg`` (different pictures) both described as
    "Supporters cheer at an election night rally in Philadelphia, November 3, 2026."

    Passes: each picture has its own caption.
    """

    code = "MM502"
    name = "caption-on-two-pictures"
    severity = "error"
    Options = CaptionOnTwoPicturesOptions
    examples = (
        Example(
            title="two pictures with one caption",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Supporters cheer at an election night rally in Philadelphia, "
                    "Pennsylvania, November 3, 2026. REUTERS/Rachel Wisniewski"
                },
                "b.jpg": {
                    "description": "Supporters cheer at an election night rally in Philadelphia, "
                    "Pennsylvania, November 3, 2026. REUTERS/Hannah Beier"
                },
            },
        ),
        Example(
            title="two pictures, two captions",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Supporters cheer at an election night rally in Philadelphia, "
                    "Pennsylvania, November 3, 2026. REUTERS/Rachel Wisniewski"
                },
                "b.jpg": {
                    "description": "A crowd waits for results outside the convention center in "
                    "Philadelphia, Pennsylvania, November 3, 2026. REUTERS/Rachel Wisniewski"
                },
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert isinstance(self.options, CaptionOnTwoPicturesOptions)
        threshold = self.options.threshold or ctx.config.duplicate_threshold
        entries: list[_Entry] = []
        for link in ctx.links:
            if link.record is not None:
                body = _body(link.occurrence.caption)
                if len(body.split()) >= self.options.min_words:
                    entries.append(_Entry(body, link.record.path, link))
        catalogue = catalogue_for(ctx.config)
        for record in ctx.records:
            if record.description:
                body = _body(parse_cached(record.description, catalogue))
                if len(body.split()) >= self.options.min_words:
                    entries.append(_Entry(body, record.path, None))
        same_picture = {
            (a, b) for a, b, _distance in similar_hash_pairs(ctx.image_hashes, DEFAULT_MAX_HASH_DISTANCE)
        }
        best: dict[tuple[str, str], tuple[float, _Entry, _Entry]] = {}
        for first, second, score in _pairs([entry.text for entry in entries], threshold):
            one, other = entries[first], entries[second]
            if one.image == other.image:
                continue
            key = (min(one.image, other.image), max(one.image, other.image))
            if key in same_picture:
                continue  # the same picture filed twice with its caption: not a wrong caption
            earlier, later = sorted((one, other), key=_entry_order)
            current = best.get(key)
            if current is None or _preference(score, earlier, later) > _preference(*current):
                best[key] = (score, earlier, later)
        for _key, (score, earlier, later) in sorted(best.items()):
            if later.link is not None:
                occurrence = later.link.occurrence
                yield self.finding(
                    f"same caption ({_percent(score)}) as {earlier.image}, a different picture; "
                    f"this one is {later.image}",
                    path=occurrence.path,
                    line=occurrence.line,
                    column=occurrence.column,
                    related=[_entry_position(earlier)],
                )
            else:
                yield self.finding(
                    f"same caption ({_percent(score)}) as {earlier.image}, a different picture",
                    path=later.image,
                    field="description",
                    related=[_entry_position(earlier)],
                )


def _entry_order(entry: _Entry) -> tuple[int, str, int, int]:
    # article captions after embedded descriptions, so the finding lands on an article line when it can
    if entry.link is None:
        return (0, entry.image, 0, 0)
    occurrence = entry.link.occurrence
    return (1, occurrence.path, occurrence.line, occurrence.column)


def _preference(score: float, earlier: _Entry, later: _Entry) -> tuple[int, float]:
    # prefer reporting two article captions (both line numbers), then the best score
    return (int(earlier.link is not None) + int(later.link is not None), score)


def _entry_position(entry: _Entry) -> Position:
    return _position(entry.link) if entry.link is not None else Position(path=entry.image)


# --------------------------------------------------------------------------- MM503


class SamePictureOptions(_Options):
    threshold: float | None = None
    max_distance: int = DEFAULT_MAX_HASH_DISTANCE  # perceptual-hash bits that may differ


def _picture_caption(
    record: MediaRecord, ctx_links: dict[str, CaptionLink], ctx: CheckContext
) -> Caption | None:
    link = ctx_links.get(record.path)
    if link is not None:
        return link.occurrence.caption
    return parse_cached(record.description, catalogue_for(ctx.config)) if record.description else None


def _credit_key(caption: Caption | None) -> frozenset[str]:
    if caption is None or caption.credit is None:
        return frozenset()
    names = [*caption.credit.photographers, *caption.credit.agencies]
    if not names:
        names = [caption.credit.raw]
    return frozenset(normalise_text(name) for name in names if normalise_text(name))


@register
class SamePictureTwoCaptions(Rule):
    """The same picture (perceptual hash) is filed twice with different captions or credits.

    A re-transmitted or re-cropped picture whose new caption or credit contradicts the first: at most
    one of them is right. Pictures are compared by a 64-bit perceptual hash (``max-distance`` bits may
    differ); the caption of a picture is the article caption linked to it, else its embedded
    description. Of two copies that disagree, the suspect is the one no article captions when only
    one of them is (the article vouches for the other), else the one whose caption fewer copies of
    the picture share, else the second by path. Each suspect is reported once, against the copy an
    article vouches for, else the one most copies agree with, else the nearest; the other copies it
    disagrees with are counted in the message and are related positions. A picture filed ten times gives at most
    nine findings, not one per pair.

    Fails: ``patrol.jpg`` and ``handout.jpg`` are the same picture, captioned "A Ukrainian serviceman
    patrols Sudzha ..." and "A soldier walks through a damaged town ...".

    Passes: the same picture with the same caption and credit.
    """

    code = "MM503"
    name = "same-picture-two-captions"
    severity = "warning"
    Options = SamePictureOptions
    examples = (
        Example(
            title="one picture, two captions",
            fails=True,
            images={
                "patrol.jpg": {
                    "description": "A Ukrainian serviceman patrols the town of Sudzha, Kursk region, Russia, "
                    "August 16, 2024. REUTERS/Yan Dobronosov",
                    "image_hash": "c3d4e5f6a7b8c9d0",
                },
                "handout.jpg": {
                    "description": "A soldier walks through a damaged town in the Kursk region, Russia, "
                    "August 2024. Handout via REUTERS",
                    "image_hash": "c3d4e5f6a7b8c9d1",
                },
            },
        ),
        Example(
            title="two different pictures",
            fails=False,
            images={
                "patrol.jpg": {
                    "description": "A Ukrainian serviceman patrols the town of Sudzha, Kursk region, Russia, "
                    "August 16, 2024. REUTERS/Yan Dobronosov",
                    "image_hash": "c3d4e5f6a7b8c9d0",
                },
                "handout.jpg": {
                    "description": "A soldier walks through a damaged town in the Kursk region, Russia, "
                    "August 2024. Handout via REUTERS",
                    "image_hash": "3c2b1a0958473625",
                },
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert isinstance(self.options, SamePictureOptions)
        threshold = self.options.threshold or ctx.config.duplicate_threshold
        records = {record.path: record for record in ctx.records}
        first_link: dict[str, CaptionLink] = {}
        for link in ctx.links:
            if link.record is not None:
                first_link.setdefault(link.record.path, link)
        pairs = [
            (first, second, distance)
            for first, second, distance in similar_hash_pairs(ctx.image_hashes, self.options.max_distance)
            if first in records and second in records
        ]
        captions = {
            path: _picture_caption(records[path], first_link, ctx) for pair in pairs for path in pair[:2]
        }
        bodies = {
            path: normalise_text(_body(caption)) if caption else "" for path, caption in captions.items()
        }
        # copies of one picture: how many of them share each caption
        cluster = _clusters(pairs)
        sharing: dict[tuple[str, str], int] = defaultdict(int)
        for path, root in cluster.items():
            sharing[(root, bodies[path])] += 1

        def support(path: str) -> int:
            return sharing[(cluster[path], bodies[path])]

        # suspect -> [(partner, distance, problems)]
        against: dict[str, list[tuple[str, int, list[str]]]] = defaultdict(list)
        for first, second, distance in pairs:
            problems = self._disagreements(captions[first], captions[second], threshold)
            if not problems:
                continue
            linked_first, linked_second = first in first_link, second in first_link
            if linked_first != linked_second:
                suspect = second if linked_first else first  # an article vouches for the other
            elif support(first) != support(second):
                suspect = first if support(first) < support(second) else second
            else:
                suspect = second
            partner = first if suspect == second else second
            if suspect == first:  # the problems name "here" (the suspect) and "there" (the partner)
                problems = self._disagreements(captions[partner], captions[suspect], threshold)
            against[suspect].append((partner, distance, problems))
        for suspect in sorted(against):
            ranked = sorted(
                against[suspect],
                key=lambda entry: (entry[0] not in first_link, -support(entry[0]), entry[1], entry[0]),
            )
            partner, distance, problems = ranked[0]
            how = "identical" if distance == 0 else f"hash distance {distance}"
            message = f"same picture as {partner} ({how}) but {' and '.join(problems)}"
            others = [entry[0] for entry in ranked[1:]]
            if others:
                message += f"; {len(others)} other cop{'y' if len(others) == 1 else 'ies'} disagree too"
            yield self.finding(
                message,
                path=suspect,
                field="description",
                related=[Position(path=path) for path in [partner, *others]],
            )

    @staticmethod
    def _disagreements(there: Caption | None, here: Caption | None, threshold: float) -> list[str]:
        """How ``here`` (the suspect's caption) disagrees with ``there`` (its partner's)."""
        body_there = normalise_text(_body(there)) if there else ""
        body_here = normalise_text(_body(here)) if here else ""
        problems: list[str] = []
        if (body_there or body_here) and not near_duplicate_pairs(
            [body_there, body_here], threshold, exhaustive=True
        ):
            problems.append("a different caption")
        credits_there, credits_here = _credit_key(there), _credit_key(here)
        if (credits_there or credits_here) and credits_there != credits_here:
            shown_there = there.credit.raw if there and there.credit else "none"
            shown_here = here.credit.raw if here and here.credit else "none"
            problems.append(f"a different credit ({shown_here!r} here, {shown_there!r} there)")
        return problems


def _clusters(pairs: list[tuple[str, str, int]]) -> dict[str, str]:
    """Path -> a representative of its group of copies (pictures linked by similar-hash pairs)."""
    parent: dict[str, str] = {}

    def find(path: str) -> str:
        root = parent.setdefault(path, path)
        while root != parent[root]:
            root = parent[root]
        while parent[path] != root:  # path compression
            parent[path], path = root, parent[path]
        return root

    for first, second, _distance in pairs:
        a, b = find(first), find(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {path: find(path) for path in parent}


# --------------------------------------------------------------------------- MM504


class CopiedFromBodyOptions(_Options):
    threshold: float | None = None
    min_words: int = 6  # short captions ("Rescue workers") match body text by chance


@register
class CaptionCopiedFromBody(Rule):
    """A caption's body is copied from the article's own body text.

    A caption should say what the picture shows, not repeat a paragraph of the story (a frequent
    CMS slip: the first sentence pasted as caption). Compares each caption body with each body
    paragraph: contained in it, or near (``threshold``) to it or to a part of it.

    Fails::

        Rescue teams searched flooded garages and basements in Alfafar on Monday.

        Rescue teams searched flooded garages and basements in Alfafar on Monday. (Photo by JOSE JORDAN / AFP)

    Passes: the caption describes the picture in its own words.
    """

    code = "MM504"
    name = "caption-copied-from-body"
    severity = "warning"
    Options = CopiedFromBodyOptions
    examples = (
        Example(
            title="the caption repeats a paragraph",
            fails=True,
            articles={
                "story.md": (
                    "# Floods\n\n"
                    "Rescue teams searched flooded garages and basements in Alfafar, Spain, on Monday.\n\n"
                    "![Rescue](rescue.jpg)\n"
                    "*Rescue teams searched flooded garages and basements in Alfafar, Spain, on Monday. "
                    "(Photo by JOSE JORDAN / AFP)*\n"
                )
            },
            images={"rescue.jpg": {"description": "Rescue workers in Alfafar. JOSE JORDAN/AFP"}},
        ),
        Example(
            title="the caption describes the picture",
            fails=False,
            articles={
                "story.md": (
                    "# Floods\n\n"
                    "Rescue teams searched flooded garages and basements in Alfafar, Spain, on Monday.\n\n"
                    "![Rescue](rescue.jpg)\n"
                    "*Rescue workers carry a resident from a flooded house in Alfafar, Spain, November 16, "
                    "2026. (Photo by JOSE JORDAN / AFP)*\n"
                )
            },
            images={"rescue.jpg": {"description": "Rescue workers in Alfafar. JOSE JORDAN/AFP"}},
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        from rapidfuzz import fuzz

        assert isinstance(self.options, CopiedFromBodyOptions)
        cutoff = (self.options.threshold or ctx.config.duplicate_threshold) * 100.0
        for article in ctx.articles:
            paragraphs = [(block, normalise_text(block.text)) for block in article.paragraphs]
            paragraphs = [(block, text) for block, text in paragraphs if text]
            if not paragraphs:
                continue
            paragraph_words = [frozenset(text.split()) for _block, text in paragraphs]
            for occurrence in article.captions:
                body = normalise_text(_body(occurrence.caption))
                words = body.split()
                if len(words) < self.options.min_words:
                    continue
                needed = 0.6 * len(set(words))
                for (block, text), vocabulary in zip(paragraphs, paragraph_words, strict=True):
                    if sum(word in vocabulary for word in set(words)) < needed:
                        continue  # cheap filter: most of the caption's words must be in the paragraph
                    score = 100.0 if body in text else fuzz.partial_ratio(body, text, score_cutoff=cutoff)
                    if score:
                        yield self.finding(
                            f"caption copied from the article text at line {block.line}"
                            + ("" if score >= 100.0 else f" ({int(score)}% similar)"),
                            path=occurrence.path,
                            line=occurrence.line,
                            column=occurrence.column,
                            related=[Position(path=article.path, line=block.line, column=block.column)],
                        )
                        break
