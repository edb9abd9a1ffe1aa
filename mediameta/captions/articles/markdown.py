"""Markdown articles: images and the captions around them, front matter, body paragraphs.

For each image ``![alt](target "title")`` (also ``![alt][ref]`` with a ``[ref]: target "title"``
definition) the article yields up to three occurrences naming ``target`` as written:

- ``markdown-alt``: the alt text, when not empty;
- ``markdown-title``: the title, when present;
- ``markdown-caption``: the text on the lines directly under the image (same paragraph: typically
  an ``*italic*`` line), or, when the image stands alone, the next paragraph if it is wholly
  emphasised, starts with a ``Caption:`` label, or reads as a credited caption.

Other paragraphs are read like plain text (captions recognised by their credit, source
``paragraph``). HTML blocks (``<figure>``, ``<img>``, ``<div>`` …) are read with the HTML reader.
Front matter (YAML ``---`` or TOML ``+++``) gives ``title`` and the publication ``date`` (also
``published``, ``pubDate``, ``publishDate``, ``published_at``); else the first ``#`` heading is the
title. Fenced code blocks and HTML comments are skipped.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from mediameta.captions.articles.common import (
    Found,
    Piece,
    caption_of,
    classify_block,
    collapse,
    is_boilerplate,
    is_file_name,
    iso_date,
    split_lines,
)
from mediameta.captions.articles.html import read_html
from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.captions.parse import parse_caption
from mediameta.models import Article, CaptionOccurrence

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_REF_DEF = re.compile(
    r"""^\s{0,3}\[(?P<label>[^\]]{1,200})\]:\s*(?P<target><[^>\n]*>|\S+)(?:\s+(?P<title>"[^"]*"|'[^']*'|\([^)]*\)))?\s*$"""
)
_ALT = r"(?P<alt>(?:[^\[\]\\\n]|\\.|\[[^\[\]\n]*\]){0,2000})"
_INLINE_IMAGE = re.compile(
    r"!\[" + _ALT + r"\]\(\s*(?P<target><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"""(?:\s+(?P<title>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\((?:[^()\\\n]|\\.)*\)))?\s*\)"""
)
_REF_IMAGE = re.compile(r"!\[" + _ALT + r"\](?:\[(?P<ref>[^\]\n]{0,200})\])?")
_HTML_BLOCK = re.compile(
    r"^\s{0,3}<(?:figure|img|picture|div|p|section|aside|table|center|span|a|blockquote)\b", re.IGNORECASE
)
_CONTAINER = re.compile(r"^(?:\s{0,3}>\s?)*\s{0,3}(?:[-+*]\s+|\d{1,9}[.)]\s+)?")
_LEAD_MARKUP = re.compile(r"[\s*_]*")  # used with match(line, pos): anchored at pos
_TRAIL_MARKUP = re.compile(r"[\s*_]*$")
_CAPTION_LABEL = re.compile(
    r"(?:caption|bildunterschrift|légende|legende|pie\s+de\s+foto|didascalia|bijschrift)\s*[*_]*\s*:\s*[*_]*\s*",
    re.IGNORECASE,
)
_INLINE_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
_EMPHASIS = re.compile(r"(?<![\w\\])[*_]{1,3}(?=\S)|(?<=\S)(?<!\\)[*_]{1,3}(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_TAG = re.compile(r"<br\s*/?>|</?[A-Za-z][^<>\n]{0,300}>", re.IGNORECASE)
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "published_at", "publish_date", "created")


@dataclass(frozen=True, slots=True)
class _Image:
    alt: str
    alt_column: int
    target: str | None
    title: str | None
    title_column: int
    start: int  # column span of the whole image syntax on its line (0-based, end exclusive)
    end: int
    title_line: int = 0  # the line of a reference definition's title; 0: the image's own line


@dataclass(frozen=True, slots=True)
class _Reference:
    """``[label]: target "title"``; the title's 1-based line and 0-based column."""

    target: str
    title: str | None
    line: int
    column: int


def read_markdown(text: str, article: Article, catalogue: AgencyCatalogue | None) -> None:
    """Fill ``article`` (format "markdown") from the article's text."""
    lines = split_lines(text)
    start = _front_matter(lines, article)
    references = _references(lines, start)
    found = Found()
    blocks = _blocks(lines, start, article, catalogue, found)
    pending_image: tuple[int, _Image] | None = None  # an image with no caption under it yet
    for block in blocks:
        if pending_image is not None:
            image = pending_image[1]
            pending_image = None
            if _standalone_caption(block, image, article.path, catalogue, found):
                continue
        pending_image = _read_block(block, references, article.path, catalogue, found)
    article.captions.extend(found.captions)
    article.paragraphs.extend(found.paragraphs)


# --------------------------------------------------------------------------- structure


def _front_matter(lines: list[str], article: Article) -> int:
    """Read front matter into ``article``; returns the index of the first line after it."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for index in range(1, min(len(lines), 1000)):
        if lines[index].strip() in closers:
            break
    else:
        return 0
    body = lines[1:index]
    values: dict[str, str] = {}
    if fence == "+++":
        try:
            data = tomllib.loads("\n".join(body))
        except tomllib.TOMLDecodeError as exc:
            article.errors.append(f"front matter is not valid TOML: {exc}")
            data = {}
        values = {
            key.lower(): str(value)
            for key, value in data.items()
            if isinstance(value, str | int | float) or hasattr(value, "isoformat")
        }
    else:
        for raw in body:
            match = re.match(r"^([A-Za-z_][\w\-]*)\s*:\s*(.*?)\s*$", raw)
            if match is not None:
                values.setdefault(match.group(1).lower(), _unquote(match.group(2)))
    title = values.get("title", "").strip()
    if title:
        article.title = title
    for key in _DATE_KEYS:
        if values.get(key):
            iso = iso_date(values[key])
            if iso is not None:
                article.date, article.date_source = iso, "front-matter"
                break
    return index + 1


def _unquote(value: str) -> str:
    value = re.sub(r"\s+#.*$", "", value) if not value.startswith(("'", '"')) else value
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _references(lines: list[str], start: int) -> dict[str, _Reference]:
    references: dict[str, _Reference] = {}
    for index in range(start, len(lines)):
        line = lines[index]
        if "]:" not in line:
            continue
        match = _REF_DEF.match(line)
        if match is not None:
            title = match.group("title")
            references.setdefault(
                _ref_key(match.group("label")),
                _Reference(
                    target=match.group("target").strip("<>"),
                    title=title[1:-1] if title else None,
                    line=index + 1,
                    column=match.start("title") + 1 if title else 0,
                ),
            )
    return references


def _ref_key(label: str) -> str:
    return collapse(label).casefold()


# A block is a list of (1-based line number, line text) with no blank line between them.
_Block = list[tuple[int, str]]


def _blocks(
    lines: list[str], start: int, article: Article, catalogue: AgencyCatalogue | None, found: Found
) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block = []
    fence: str | None = None
    in_comment = False
    html_block: _Block | None = None

    def end_block() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if html_block is not None:
            if stripped:
                html_block.append((number, line))
                continue
            _read_html_block(html_block, article, catalogue, found)
            html_block = None
            continue
        if not stripped:
            end_block()
            continue
        fenced = _FENCE.match(line)
        if fenced is not None:
            end_block()
            fence = fenced.group(1)[0] * len(fenced.group(1))
            continue
        if stripped.startswith("<!--"):
            end_block()
            in_comment = "-->" not in stripped[4:]
            continue
        if not current and _HTML_BLOCK.match(line):
            html_block = [(number, line)]
            continue
        heading = _ATX.match(line)
        if heading is not None:
            end_block()
            if heading.group(1) == "#" and article.title is None and heading.group(2).strip():
                article.title = _inline_text(heading.group(2))
            continue
        if current and _SETEXT.match(line) and not _REF_DEF.match(current[-1][1]):
            underlined = current.pop()
            if stripped.startswith("=") and article.title is None:
                article.title = _inline_text(underlined[1].strip())
            end_block()
            continue
        if "]:" in line and _REF_DEF.match(line):
            continue
        current.append((number, line))
    end_block()
    if html_block is not None:
        _read_html_block(html_block, article, catalogue, found)
    return blocks


def _read_html_block(
    block: _Block, article: Article, catalogue: AgencyCatalogue | None, found: Found
) -> None:
    """Read an HTML block inside Markdown with the HTML reader, positions shifted to the file."""
    first_line = block[0][0]
    inner = Article(path=article.path, format="html")
    read_html("\n".join(line for _, line in block), inner, catalogue)
    offset = first_line - 1
    for occurrence in inner.captions:
        occurrence.line += offset
        found.captions.append(occurrence)
    for paragraph in inner.paragraphs:
        found.paragraphs.append(paragraph.model_copy(update={"line": paragraph.line + offset}))


# --------------------------------------------------------------------------- images and captions


def _images(line: str, references: dict[str, _Reference]) -> list[_Image]:
    if "![" not in line:
        return []
    images: list[_Image] = []
    position = 0
    while True:
        at = line.find("![", position)
        if at < 0:
            break
        inline = _INLINE_IMAGE.match(line, at)
        if inline is not None:
            target = inline.group("target").strip()
            target = target[1:-1] if target.startswith("<") and target.endswith(">") else target
            title = inline.group("title")
            images.append(
                _Image(
                    alt=inline.group("alt"),
                    alt_column=inline.start("alt"),
                    target=target or None,
                    title=title[1:-1] if title else None,
                    title_column=inline.start("title") + 1 if title else 0,
                    start=at,
                    end=inline.end(),
                )
            )
            position = inline.end()
            continue
        reference = _REF_IMAGE.match(line, at)
        if reference is not None:
            label = reference.group("ref") or reference.group("alt")
            defined = references.get(_ref_key(label))
            if defined is not None:
                images.append(
                    _Image(
                        alt=reference.group("alt"),
                        alt_column=reference.start("alt"),
                        target=defined.target or None,
                        title=defined.title,
                        title_column=defined.column,
                        title_line=defined.line,
                        start=at,
                        end=reference.end(),
                    )
                )
                position = reference.end()
                continue
        position = at + 2
    return images


def _read_block(
    block: _Block,
    references: dict[str, _Reference],
    path: str,
    catalogue: AgencyCatalogue | None,
    found: Found,
) -> tuple[int, _Image] | None:
    """Read one paragraph block; returns the last image when nothing under it could be its caption."""
    body: list[Piece] = []
    current_image: tuple[int, _Image] | None = None
    caption_lines: list[Piece] = []
    caption_done = False  # an *emphasised* caption line ends the caption; lines after it are body

    def close_image() -> None:
        nonlocal caption_lines, caption_done
        if current_image is not None and caption_lines:
            _caption_occurrence(caption_lines, current_image[1], path, catalogue, found)
        caption_lines = []
        caption_done = False

    for number, line in block:
        images = _images(line, references)
        if not images:
            piece = _piece(line, number, 0)
            if piece is None:
                continue
            if current_image is not None and not caption_done:
                caption_lines.append(piece)
                caption_done = len(caption_lines) == 1 and _wholly_emphasised(line)
            else:
                body.append(piece)
            continue
        before = _CONTAINER.sub("", line[: images[0].start], count=1)
        if _inline_text(before).strip(" *_[]()>-"):
            # an image inside running text: the text is body text, the image keeps alt/title only
            for image in images:
                _alt_and_title(image, number, path, catalogue, found)
            piece = _piece(_TAG.sub(" ", _INLINE_IMAGE.sub(" ", line)), number, 0)
            if piece is not None:
                body.append(piece)
            continue
        close_image()
        if body:
            classify_block(body, path, catalogue, found)
            body = []
        for image in images:
            _alt_and_title(image, number, path, catalogue, found)
        current_image = (number, images[-1])
        rest_start = images[-1].end
        rest = line[rest_start:]
        closing = re.match(r"^\]\([^()\s]*\)", rest)  # [![alt](img)](link)
        if closing is not None:
            rest_start += closing.end()
        piece = _piece(line[rest_start:], number, rest_start)
        if piece is not None:
            caption_lines.append(piece)
    if current_image is not None and not caption_lines:
        if body:
            classify_block(body, path, catalogue, found)
        return current_image
    close_image()
    if body:
        classify_block(body, path, catalogue, found)
    return None


def _standalone_caption(
    block: _Block, image: _Image, path: str, catalogue: AgencyCatalogue | None, found: Found
) -> bool:
    """The paragraph after a lone image is its caption when emphasised, labelled or credited."""
    raw = " ".join(line.strip() for _, line in block)
    if len(raw) > 1200 or "![" in raw:
        return False
    pieces = [piece for number, line in block if (piece := _piece(line, number, 0)) is not None]
    if not pieces:
        return False
    if len(block) > 1 and _wholly_emphasised(block[0][1]):
        # "*caption*" then body text without a blank line: only the emphasised line is the caption
        _caption_occurrence(pieces[:1], image, path, catalogue, found)
        classify_block(pieces[1:], path, catalogue, found)
        return True
    text = " ".join(piece.text for piece in pieces)
    emphasised = _wholly_emphasised(raw)
    labelled = _CAPTION_LABEL.match(raw.lstrip("*_ ")) is not None
    if not (emphasised or labelled or caption_of(text, catalogue) is not None):
        return False
    _caption_occurrence(pieces, image, path, catalogue, found)
    return True


def _wholly_emphasised(line: str) -> bool:
    """``*text*``, ``_text_`` or ``**text**`` (after list/quote markers): an italic caption line."""
    content = _CONTAINER.sub("", line, count=1).strip()
    return len(content) > 2 and content[0] in "*_" and content[-1] == content[0]


def _caption_occurrence(
    pieces: list[Piece], image: _Image, path: str, catalogue: AgencyCatalogue | None, found: Found
) -> None:
    text = collapse(" ".join(piece.text for piece in pieces))
    if not text or is_boilerplate(text):
        return
    found.captions.append(
        CaptionOccurrence(
            path=path,
            line=pieces[0].line,
            column=pieces[0].column,
            text=text,
            caption=parse_caption(text, catalogue),
            image_ref=image.target,
            source="markdown-caption",
        )
    )


def _alt_and_title(
    image: _Image, number: int, path: str, catalogue: AgencyCatalogue | None, found: Found
) -> None:
    for value, line, column, source in (
        (image.alt, number, image.alt_column, "markdown-alt"),
        (image.title, image.title_line or number, image.title_column, "markdown-title"),
    ):
        if not value or not column:
            continue
        text = collapse(_ESCAPE.sub(r"\1", value))
        if not text or is_file_name(text):
            continue
        lead = len(value) - len(value.lstrip())
        found.captions.append(
            CaptionOccurrence(
                path=path,
                line=line,
                column=column + lead + 1,
                text=text,
                caption=parse_caption(text, catalogue),
                image_ref=image.target,
                source=source,
            )
        )


def _piece(line: str, number: int, offset: int) -> Piece | None:
    """The visible text of a Markdown line and the 1-based column of its first visible character
    (``offset`` = where ``line`` starts in the file's line)."""
    container = _CONTAINER.match(line)
    lead = container.end() if container is not None else 0
    markup = _LEAD_MARKUP.match(line, lead)
    if markup is not None:
        lead = markup.end()
    label = _CAPTION_LABEL.match(line, lead)
    if label is not None and label.end() < len(line.rstrip()):
        lead = label.end()
    rest = line[lead:]
    rest = _TRAIL_MARKUP.sub("", rest) if rest.rstrip().endswith(("*", "_")) else rest
    while rest.startswith("<"):
        tag = _TAG.match(rest)
        if tag is None:
            break
        skipped = tag.end() + len(rest[tag.end() :]) - len(rest[tag.end() :].lstrip())
        rest = rest[skipped:]
        lead += skipped
    text = _inline_text(rest)
    if not text:
        return None
    shift = rest.find(text[0])  # inline syntax removed in front: point at the first character kept
    return Piece(text, number, offset + lead + max(shift, 0) + 1)


def _inline_text(text: str) -> str:
    """Markdown inline syntax stripped: links to their text, emphasis, code ticks, escapes, tags."""
    text = _INLINE_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = text.replace("`", "")
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return collapse(text)
