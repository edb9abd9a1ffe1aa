"""Caption ↔ image: which picture each caption in an article belongs to.

Every caption occurrence gets exactly one :class:`~mediameta.checks.context.CaptionLink`, linked or not.
Methods, tried in this order for each occurrence:

``html`` / ``markdown``
    The article names the file (``<img src>``, ``![..](path)``). The reference is resolved relative to
    the article's folder (URL query/fragment dropped, ``%20`` decoded; a leading ``/`` is tried against
    every folder above the article). A reference to a file that is not among the images gives
    ``record=None`` with ``image_ref`` kept, so a rule can say "referenced but missing". Remote
    references (``http:``, ``https:``, ``data:``) are not files: they fall through to embedded matching.
``sidecar``
    ``IMG_1.txt`` / ``IMG_1.json`` (or ``IMG_1.jpg.txt`` / ``IMG_1.jpg.json``) next to ``IMG_1.jpg``.
    :func:`read_sidecar` turns such a file into an :class:`~mediameta.models.Article` of format
    ``text`` holding one caption (``source="sidecar"``, ``image_ref`` = the image's file name).
``manifest``
    A CSV or JSON file named one of :data:`MANIFEST_NAMES`, one row per image with a file column
    (``file``, ``filename``, ``image`` or ``path``), a caption column (``caption`` or ``description``) and
    optionally ``credit``. :func:`read_manifest` turns it into an Article with one caption per row
    (``source="manifest"``, line = the row's line in the file).
``embedded-match``
    Captions that name no file (plain-text articles like a wire story) are matched against every
    image's embedded description and credit: the body score is the mean of rapidfuzz's character
    similarity and the IDF-weighted word overlap (words rare among the images count most, so two scenes
    sharing only a place and a date stay apart); the score is ``0.85 * body + 0.15 * credit`` when both
    sides have a credit (rapidfuzz ``token_set_ratio`` of the credits), else the body score.
    Candidates come from an index of word pairs (an image is scored only when it has the same body
    or shares the caption's rarest word pairs), so the work grows with the number of captions, not
    captions x images. Occurrences of the same caption in one article
    (alt text and figcaption, a caption printed twice) form one unit and link to the same image. Units
    and images are then paired one-to-one maximising the total score (scipy's
    ``linear_sum_assignment`` per connected group). Below ``config.link_threshold`` a caption stays
    unlinked; when its two best images score the same it is ambiguous: ``record=None`` and
    ``candidates`` lists the tied images.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np

from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.checks.context import CaptionLink
from mediameta.config import Config
from mediameta.dedup import normalise_text
from mediameta.models import Article, Caption, CaptionOccurrence, LinkMethod, MediaRecord

SIDECAR_SUFFIXES: tuple[str, ...] = (".txt", ".json")
MANIFEST_NAMES: frozenset[str] = frozenset({"captions.csv", "captions.json", "manifest.csv", "manifest.json"})
FILE_COLUMNS: tuple[str, ...] = ("file", "filename", "image", "path")
CAPTION_COLUMNS: tuple[str, ...] = ("caption", "description")
MAX_CAPTION_FILE_BYTES = 20 * 1024 * 1024

_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # a URL scheme (http:, data:, ...); not C:\ paths
_TIE = 1e-6
_RARE_TOKENS = 8  # a caption probes the postings of this many of its rarest word pairs
_MAX_CANDIDATES = 16  # images scored per caption, best by shared rare words
_MIN_TOKEN_LENGTH = 3


def path_key(path: str) -> str:
    """The comparison key of a file path: absolute, normalised, case-folded where the OS folds case."""
    return os.path.normcase(os.path.abspath(path))


_PARSED: dict[tuple[str, AgencyCatalogue | None], Caption] = {}
_PARSED_LIMIT = 200_000  # captions kept in memory before the memo starts over


def parse_cached(text: str, catalogue: AgencyCatalogue | None = None) -> Caption:
    """``parse_caption`` memoised by (text, catalogue): an embedded description is parsed once per
    process however many stages and rules look at it (the check engine also preloads the memo from its
    cache). Callers must treat the returned Caption as read-only."""
    key = (text, catalogue)
    caption = _PARSED.get(key)
    if caption is None:
        from mediameta.captions.parse import parse_caption

        caption = parse_caption(text, catalogue)
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[key] = caption
    return caption


def remember_parsed(text: str, catalogue: AgencyCatalogue | None, caption: Caption) -> None:
    """Seed the memo with a caption parsed earlier (the engine's persistent cache)."""
    _PARSED[(text, catalogue)] = caption


def known_parsed(text: str, catalogue: AgencyCatalogue | None) -> Caption | None:
    return _PARSED.get((text, catalogue))


def _parse(text: str, catalogue: AgencyCatalogue | None) -> Caption:
    """A fresh parse (not the shared memo): occurrences own their Caption, and the desk edits them."""
    from mediameta.captions.parse import parse_caption

    return parse_caption(text, catalogue)


# --------------------------------------------------------------------------- sidecars and manifests


def sidecar_image(path: Path, image_names: Iterable[str]) -> str | None:
    """The image (file name in the same folder) a ``.txt``/``.json`` file is the caption sidecar of."""
    if path.suffix.lower() not in SIDECAR_SUFFIXES:
        return None
    names = {name.casefold(): name for name in image_names}
    inner = path.stem  # IMG_1.jpg.txt -> IMG_1.jpg ; IMG_1.txt -> IMG_1
    if inner.casefold() in names:
        return names[inner.casefold()]
    matches = sorted(name for key, name in names.items() if os.path.splitext(key)[0] == inner.casefold())
    return matches[0] if matches else None


def _read_text(path: Path, article: Article) -> str | None:
    try:
        if path.stat().st_size > MAX_CAPTION_FILE_BYTES:
            article.errors.append(f"file larger than {MAX_CAPTION_FILE_BYTES} bytes; not read")
            return None
        data = path.read_bytes()
    except OSError as exc:
        article.errors.append(f"cannot read: {exc.strerror or exc}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        article.errors.append("not valid UTF-8; decoded as cp1252")
        return data.decode("cp1252", errors="replace")


def _occurrence(
    path: str,
    line: int,
    column: int,
    text: str,
    image_ref: str,
    source: str,
    catalogue: AgencyCatalogue | None,
) -> CaptionOccurrence:
    return CaptionOccurrence(
        path=path,
        line=line,
        column=column,
        text=text,
        caption=_parse(text, catalogue),
        image_ref=image_ref,
        source=source,
    )


def _join_caption(caption: str, credit: str) -> str:
    caption, credit = " ".join(caption.split()), " ".join(credit.split())
    if credit and normalise_text(credit) not in normalise_text(caption):
        return f"{caption} {credit}".strip()
    return caption


def _pick(row: dict[str, Any], names: Sequence[str]) -> str:
    lowered = {str(key).strip().casefold(): value for key, value in row.items() if key is not None}
    for name in names:
        value = lowered.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def read_sidecar(path: Path, image_name: str, catalogue: AgencyCatalogue | None = None) -> Article:
    """A caption sidecar (``.txt``: the whole text is the caption; ``.json``: ``caption``/``description``
    plus optional ``credit``) as a one-caption Article, parsed with ``catalogue`` (the config's agency
    catalogue; default: the shipped one). Never raises: problems go to ``errors``."""
    article = Article(path=str(path), format="text")
    raw = _read_text(path, article)
    if raw is None:
        return article
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except ValueError as exc:
            article.errors.append(f"invalid JSON: {exc}")
            return article
        if not isinstance(data, dict):
            article.errors.append("a JSON caption sidecar must be an object with a 'caption' key")
            return article
        text = _join_caption(_pick(data, CAPTION_COLUMNS), _pick(data, ("credit",)))
        line, column = 1, 1
    else:
        lines = raw.splitlines()
        first = next((i for i, value in enumerate(lines) if value.strip()), None)
        if first is None:
            return article
        line = first + 1
        column = len(lines[first]) - len(lines[first].lstrip()) + 1
        text = " ".join(raw.split())
    if text:
        article.captions.append(_occurrence(str(path), line, column, text, image_name, "sidecar", catalogue))
    return article


def read_manifest(path: Path, catalogue: AgencyCatalogue | None = None) -> Article:
    """A caption manifest (CSV with a header row, or JSON: a list of objects, or ``{file: caption}`` /
    ``{file: {caption, credit}}``) as an Article with one caption per row, parsed with ``catalogue``.
    Never raises."""
    article = Article(path=str(path), format="text")
    raw = _read_text(path, article)
    if raw is None:
        return article
    rows: list[tuple[int, dict[str, Any]]] = []
    if path.suffix.lower() == ".csv":
        try:
            reader = csv.DictReader(io.StringIO(raw, newline=""))
            rows = [(reader.line_num, dict(row)) for row in reader]
        except csv.Error as exc:
            article.errors.append(f"invalid CSV: {exc}")
            return article
    else:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            article.errors.append(f"invalid JSON: {exc}")
            return article
        items: list[Any]
        if isinstance(data, list):
            items = data
        elif isinstance(data, dict):
            items = [
                {"file": key, **value} if isinstance(value, dict) else {"file": key, "caption": value}
                for key, value in data.items()
            ]
        else:
            items = []
        for item in items:
            if isinstance(item, dict):
                name = _pick(item, FILE_COLUMNS)
                offset = raw.find(json.dumps(name)) if name else -1
                rows.append((raw.count("\n", 0, offset) + 1 if offset >= 0 else 1, item))
    for line, row in rows:
        name = _pick(row, FILE_COLUMNS).strip()
        text = _join_caption(_pick(row, CAPTION_COLUMNS), _pick(row, ("credit",)))
        if not name:
            article.errors.append(f"line {line}: no file column ({', '.join(FILE_COLUMNS)})")
            continue
        if text:
            article.captions.append(_occurrence(str(path), line, 1, text, name, "manifest", catalogue))
    return article


# --------------------------------------------------------------------------- explicit references


def _explicit_method(article: Article, occurrence: CaptionOccurrence) -> LinkMethod:
    if occurrence.source == "sidecar":
        return "sidecar"
    if occurrence.source == "manifest":
        return "manifest"
    return "markdown" if article.format == "markdown" else "html"


def resolve_ref(article_path: str, image_ref: str) -> str | None:
    """The path an article's image reference points to (relative to the article), None if remote."""
    ref = image_ref.strip()
    if not ref or ref.startswith("//") or (_REMOTE.match(ref) and not re.match(r"^[a-zA-Z]:[\\/]", ref)):
        return None
    ref = unquote(urlsplit(ref).path) if ("?" in ref or "#" in ref or "%" in ref) else ref
    if not ref:
        return None
    base = os.path.dirname(article_path)
    return os.path.normpath(os.path.join(base, ref.lstrip("/")) if not ref.startswith("/") else ref)


def _find_record(
    article_path: str, image_ref: str, resolved: str, by_key: dict[str, MediaRecord]
) -> MediaRecord | None:
    record = by_key.get(path_key(resolved))
    if record is not None or not image_ref.strip().startswith("/"):
        return record
    # Site-root reference ("/images/a.jpg"): try it under each folder above the article.
    tail = image_ref.strip().lstrip("/")
    folder = os.path.dirname(os.path.abspath(article_path))
    while True:
        record = by_key.get(path_key(os.path.join(folder, tail)))
        if record is not None:
            return record
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


# --------------------------------------------------------------------------- embedded matching


@dataclass
class _Side:
    body: str  # normalised
    credit: str  # lower-cased credit words, "" when none
    tokens: frozenset[str]  # content words (scoring)
    bigrams: frozenset[str]  # word pairs (finding candidates: far more selective than single words)


_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "near",
        "after",
        "before",
        "during",
        "about",
        "this",
        "that",
        "their",
        "his",
        "her",
        "its",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "been",
        "being",
        "who",
        "which",
        "while",
        "where",
        "when",
        "than",
        "then",
        "them",
        "they",
        "one",
        "two",
    ]
)


def _tokens(normalised: str) -> frozenset[str]:
    return frozenset(
        word for word in normalised.split() if len(word) >= _MIN_TOKEN_LENGTH and word not in _STOPWORDS
    )


def _bigrams(normalised: str) -> frozenset[str]:
    words = normalised.split()
    return frozenset(f"{first} {second}" for first, second in itertools.pairwise(words)) or frozenset(words)


def _caption_side(caption: Caption) -> _Side:
    body = normalise_text(caption.body or "")
    credit = normalise_text(caption.credit.raw) if caption.credit is not None else ""
    return _Side(body, credit, _tokens(body), _bigrams(body))


def _record_side(record: MediaRecord, catalogue: AgencyCatalogue | None) -> _Side | None:
    if not record.description or not record.description.strip():
        return None
    parsed = parse_cached(record.description, catalogue)
    body = normalise_text(parsed.body or "")
    if parsed.credit is not None:
        credit = normalise_text(parsed.credit.raw)
    else:
        credit = normalise_text(" ".join([*record.creators, record.credit_line or ""]))
    return _Side(body, credit, _tokens(body), _bigrams(body)) if body else None


def _score(
    caption: _Side, image: _Side, idf: dict[str, float], unseen: float, weights: tuple[float, float]
) -> float:
    """Match score in [0, 1]: the mean of the character similarity of the bodies (rapidfuzz ratio) and
    their IDF-weighted word overlap, so that two different scenes sharing a place and a date ("...in
    Haifa, Israel, November 20, 2026") don't look alike; the credit adds 15 % when both sides have one.
    ``weights`` are the two sides' total word weights (precomputed: the union is their sum minus the
    shared part)."""
    from rapidfuzz import fuzz

    shared = sum(idf.get(token, unseen) for token in caption.tokens & image.tokens)
    union = weights[0] + weights[1] - shared
    overlap = shared / union if union > 0 else 0.0
    body = 0.5 * fuzz.ratio(caption.body, image.body) / 100.0 + 0.5 * overlap
    if caption.credit and image.credit:
        credit = fuzz.token_set_ratio(caption.credit, image.credit) / 100.0
        return round(0.85 * body + 0.15 * credit, 4)
    return round(body, 4)


def _assign(
    scores: dict[int, dict[int, float]], threshold: float
) -> tuple[dict[int, tuple[int, float]], dict[int, list[int]]]:
    """One-to-one pairing of units to images maximising the total score; ties at the top = ambiguous."""
    from scipy.optimize import linear_sum_assignment

    assigned: dict[int, tuple[int, float]] = {}
    ambiguous: dict[int, list[int]] = {}
    eligible: dict[int, dict[int, float]] = {}
    for unit, row in scores.items():
        row = {image: score for image, score in row.items() if score >= threshold}
        if not row:
            continue
        best = max(row.values())
        tied = sorted(image for image, score in row.items() if best - score <= _TIE)
        if len(tied) > 1:
            ambiguous[unit] = tied
        else:
            eligible[unit] = row
    # connected groups of units sharing candidate images, each solved on its own small matrix
    image_units: dict[int, list[int]] = defaultdict(list)
    for unit, row in eligible.items():
        for image in row:
            image_units[image].append(unit)
    seen: set[int] = set()
    for start in sorted(eligible):
        if start in seen:
            continue
        group_units: list[int] = []
        group_images: set[int] = set()
        stack = [start]
        seen.add(start)
        while stack:
            unit = stack.pop()
            group_units.append(unit)
            for image in eligible[unit]:
                if image not in group_images:
                    group_images.add(image)
                    for other in image_units[image]:
                        if other not in seen:
                            seen.add(other)
                            stack.append(other)
        units = sorted(group_units)
        images = sorted(group_images)
        if len(units) == 1:
            unit = units[0]
            image, score = max(eligible[unit].items(), key=lambda item: (item[1], -item[0]))
            assigned[unit] = (image, score)
            continue
        column = {image: index for index, image in enumerate(images)}
        matrix = np.zeros((len(units), len(images)))
        for row_index, unit in enumerate(units):
            for image, score in eligible[unit].items():
                matrix[row_index, column[image]] = score
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        for row_index, col_index in zip(rows, cols, strict=True):
            score = float(matrix[row_index, col_index])
            if score >= threshold:
                assigned[units[int(row_index)]] = (images[int(col_index)], score)
    return assigned, ambiguous


def _embedded_match(
    units: list[_Side], records: Sequence[MediaRecord], threshold: float, catalogue: AgencyCatalogue | None
) -> tuple[dict[int, tuple[int, float]], dict[int, list[int]]]:
    sides: list[_Side | None] = [_record_side(record, catalogue) for record in records]
    postings: dict[str, list[int]] = defaultdict(list)  # content word -> images (for IDF)
    pair_postings: dict[str, list[int]] = defaultdict(list)  # word pair -> images (for candidates)
    same_body: dict[str, list[int]] = defaultdict(list)
    for index, side in enumerate(sides):
        if side is not None:
            for token in side.tokens:
                postings[token].append(index)
            for pair in side.bigrams:
                pair_postings[pair].append(index)
            same_body[side.body].append(index)
    images_with_text = sum(side is not None for side in sides)
    # inverse document frequency of a word among the images' captions (smoothed; unseen words weigh most)
    idf = {
        token: math.log((images_with_text + 1) / (len(found) + 1)) + 1.0 for token, found in postings.items()
    }
    unseen = math.log(images_with_text + 1) + 1.0
    image_weight = [sum(idf[t] for t in side.tokens) if side is not None else 0.0 for side in sides]
    common = max(200, images_with_text // 20)
    scores: dict[int, dict[int, float]] = {}
    for unit_index, unit in enumerate(units):
        if not unit.body:
            continue
        # candidates: pictures with the very same body, then those sharing most of the caption's
        # rarest word pairs (a pair most pictures share tells them apart no better than chance)
        present = sorted((len(pair_postings[p]), p) for p in unit.bigrams if p in pair_postings)
        hits: Counter[int] = Counter()
        for count, pair in present[:_RARE_TOKENS]:
            if count > common and hits:
                break
            hits.update(pair_postings[pair])
        ranked = [index for index, _shared in sorted(hits.items(), key=lambda item: (-item[1], item[0]))]
        candidates = list(dict.fromkeys([*same_body.get(unit.body, ()), *ranked[:_MAX_CANDIDATES]]))
        unit_weight = sum(idf.get(t, unseen) for t in unit.tokens)
        row: dict[int, float] = {}
        for image_index in candidates:
            side = sides[image_index]
            assert side is not None
            row[image_index] = _score(unit, side, idf, unseen, (unit_weight, image_weight[image_index]))
        if row:
            scores[unit_index] = row
    return _assign(scores, threshold)


# --------------------------------------------------------------------------- entry point


def link_captions(
    articles: Sequence[Article], records: Sequence[MediaRecord], config: Config | None = None
) -> list[CaptionLink]:
    """One CaptionLink per caption occurrence, in article order then caption order."""
    threshold = (config or Config()).link_threshold
    by_key = {path_key(record.path): record for record in records}
    links: list[CaptionLink] = []
    pending: list[tuple[int, Article, CaptionOccurrence]] = []
    for article in articles:
        for occurrence in article.captions:
            resolved = resolve_ref(article.path, occurrence.image_ref) if occurrence.image_ref else None
            if resolved is None or occurrence.image_ref is None:
                pending.append((len(links), article, occurrence))
                links.append(CaptionLink(occurrence=occurrence, record=None))
                continue
            record = _find_record(article.path, occurrence.image_ref, resolved, by_key)
            links.append(
                CaptionLink(
                    occurrence=occurrence,
                    record=record,
                    method=_explicit_method(article, occurrence) if record is not None else None,
                    score=1.0 if record is not None else None,
                    image_ref=record.path if record is not None else resolved,
                )
            )
    if not pending or not records:
        return links
    # Occurrences of one caption in one article form a unit that links as one.
    unit_of: dict[tuple[str, str, str], int] = {}
    units: list[_Side] = []
    members: list[list[int]] = []
    for link_index, article, occurrence in pending:
        side = _caption_side(occurrence.caption)
        key = (article.path, side.body, side.credit)
        if key not in unit_of:
            unit_of[key] = len(units)
            units.append(side)
            members.append([])
        members[unit_of[key]].append(link_index)
    from mediameta.config import catalogue_for

    assigned, ambiguous = _embedded_match(units, records, threshold, catalogue_for(config or Config()))
    for unit_index, link_indexes in enumerate(members):
        for link_index in link_indexes:
            link = links[link_index]
            if unit_index in assigned:
                image_index, score = assigned[unit_index]
                link.record = records[image_index]
                link.method = "embedded-match"
                link.score = round(score, 4)
            elif unit_index in ambiguous:
                link.candidates = [records[i].path for i in ambiguous[unit_index]]
    return links
