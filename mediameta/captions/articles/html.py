"""HTML articles, read with the standard library's forgiving ``html.parser``.

What counts as a caption:

- ``<figure>``: each ``<img alt>`` (source ``alt``) and the whole ``<figcaption>`` text, credit
  elements inside it included (source ``figcaption``); both name the figure's first image.
- an element whose class marks it as a caption (``caption``, ``wp-caption-text``, ``image-caption``
  …) outside a figure (source ``caption``), naming the image just before it in the same parent;
- a bare ``<img>`` whose ``alt`` (source ``alt``) or ``title`` (source ``title``) carries a credit;
- body text (``<p>``, ``<li>``, text in ``<div>``) read like plain text (source ``paragraph``): a
  paragraph with a credit, or a paragraph followed by a credit-only paragraph, is a caption; one
  right after an image names it.

Text inside ``script``, ``style``, ``noscript``, ``template``, ``svg``, ``nav``, ``form`` and
``button`` is ignored. Line and column point at the first character of the caption in the file
(for an attribute, the first character of its value).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from mediameta.captions.articles.common import (
    Found,
    Piece,
    caption_of,
    classify_block,
    collapse,
    is_boilerplate,
    is_credit_only,
    is_file_name,
    iso_date,
    strip_trailing_ui,
)
from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.captions.parse import parse_caption
from mediameta.models import Article, CaptionOccurrence


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_VOID = _names(
    "area base br col embed hr img input link meta param source track wbr keygen command basefont frame"
)
_SKIP = _names(
    "script style noscript template svg math nav footer form button select textarea iframe object head"
)
_BLOCK = _names("""address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure
    footer h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu ol p pre section summary table tbody td tfoot
    th thead tr ul caption""")
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_SELF_CLOSING_SIBLINGS = _names("p li dt dd tr td th option")
_CAPTION_WORD = re.compile(r"(?:^|[-_])captions?(?:$|[-_])")
_NOT_CAPTION_CLASSES = re.compile(
    r"(?:has|no|with|toggle|hide|show|button|btn|icon|count)[-_]?caption|caption[-_]?(?:toggle|button|btn|icon|count|hidden|off)"
)
# caption UI (toggles, buttons) and gallery furniture: their text is not part of any caption
_UI_CLASS = re.compile(
    r"(?:hide|toggle|show|expand)[-_]?caption|caption[-_]?(?:toggle|button|btn)|enlarge|lightbox[-_]?(?:button|btn)"
    r"|(?:^|\s)(?:sr-only-focusable|share|sharing|social-share|newsletter|advert|advertisement)(?:\s|$)",
    re.IGNORECASE,
)
_CAPTION_CLASSES = _names("""caption captions caption-text wp-caption-text wp-element-caption image-caption img-caption
    photo-caption picture-caption media-caption figure-caption gallery-caption slide-caption
    article-image-caption bildunterschrift""")
_CREDIT_CLASSES = re.compile(r"credit|copyright|byline|attribution|source|photographer|author", re.IGNORECASE)
_DATE_META = _names("""article:published_time og:published_time datepublished date pubdate publishdate publish-date
    publish_date dc.date dc.date.issued dc.date.created dcterms.date dcterms.created dcterms.issued
    sailthru.date parsely-pub-date article.published originalpublicationdate cxenseparse:recs:publishtime
    displaydate""")
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,60})"')
_WS_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0|#32|#x20|ensp|emsp|thinsp|#9|#10|#13);?", re.IGNORECASE)
_IMAGE_SRC_ATTRS = ("src", "data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    img_mark: int  # how many images had been seen when the element opened
    skip: bool = False
    caption: _Collector | None = None  # a figcaption / caption-class element's text
    figure: _Figure | None = None


@dataclass
class _Collector:
    """Text of one caption element, with the position of its first character."""

    parts: list[str] = field(default_factory=list)
    line: int = 0
    column: int = 0
    images_inside: int = 0
    in_figure: bool = False  # a figure's loose text (outside any figcaption), not a caption element

    def add(self, text: str, line: int, column: int) -> None:
        if not self.parts and text.strip():
            self.line, self.column = line, column
        if self.parts or text.strip():
            self.parts.append(text)

    def text(self) -> str:
        return collapse("".join(self.parts))


@dataclass
class _Figure:
    images: list[str | None] = field(default_factory=list)
    alts: list[CaptionOccurrence] = field(default_factory=list)
    captions: list[tuple[_Collector, str]] = field(default_factory=list)  # (text, source)


class _ArticleParser(HTMLParser):
    def __init__(self, text: str, article: Article, catalogue: AgencyCatalogue | None, found: Found) -> None:
        super().__init__(convert_charrefs=True)
        self.source = text
        self.article = article
        self.catalogue = catalogue
        self.found = found
        self.line_starts = [0]
        newline = text.find("\n")
        while newline >= 0:
            self.line_starts.append(newline + 1)
            newline = text.find("\n", newline + 1)
        self.stack: list[_Element] = []
        # kept in step with ``stack`` so lookups stay O(1) however deep the nesting
        self.open_count: Counter[str] = Counter()
        self.captions_open: list[_Collector] = []
        self.figures_open: list[_Figure] = []
        self.skip_depth = 0
        self.heading_depth = 0
        self.images_seen = 0
        self.last_image: str | None = None
        self.last_image_claimed = False  # a caption element already named the last image
        self.image_pending: str | None = None  # an image with no text after it yet
        # the running group of body-text pieces (consecutive paragraphs in one parent)
        self.group: list[Piece] = []
        self.group_image: str | None = None
        self.piece_parts: list[str] = []
        self.piece_line = 0
        self.piece_column = 0
        self.piece_starts_unit = True
        self.unit_starts: set[int] = set()  # indexes in ``group`` that begin a new paragraph
        # metadata
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.h1_parts: list[str] | None = None
        self.h1: str | None = None
        self.og_title: str | None = None
        self.meta_date: str | None = None
        self.time_date: str | None = None
        self.time_parts: list[str] | None = None
        self.jsonld_date: str | None = None
        self.in_jsonld = False

    # ------------------------------------------------------------------ positions

    def _position(self, offset: int) -> tuple[int, int]:
        line_index = bisect.bisect_right(self.line_starts, offset) - 1
        return line_index + 1, offset - self.line_starts[line_index] + 1

    def _offset(self) -> int:
        line, column = self.getpos()
        if line - 1 >= len(self.line_starts):
            return len(self.source)
        return self.line_starts[line - 1] + column

    def _first_text(self, offset: int) -> tuple[int, int]:
        """Line/column of the first visible character at or after ``offset`` in the source."""
        source = self.source
        limit = min(len(source), offset + 10_000)
        while offset < limit:
            if source[offset].isspace():
                offset += 1
                continue
            if source[offset] == "&":
                match = _WS_ENTITY.match(source, offset)
                if match is not None:
                    offset = match.end()
                    continue
            break
        return self._position(offset)

    def _attribute_position(self, name: str) -> tuple[int, int]:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        match = re.search(rf"\s{re.escape(name)}\s*=\s*([\"']?)", raw, re.IGNORECASE)
        if match is None:
            return self._position(start)
        return self._first_text(start + match.end())

    # ------------------------------------------------------------------ element stack

    def _in_skip(self) -> bool:
        return self.skip_depth > 0

    def _innermost_caption(self) -> _Collector | None:
        return self.captions_open[-1] if self.captions_open else None

    def _innermost_figure(self) -> _Figure | None:
        return self.figures_open[-1] if self.figures_open else None

    def _push(self, element: _Element) -> None:
        self.stack.append(element)
        self.open_count[element.tag] += 1
        if element.caption is not None:
            self.captions_open.append(element.caption)
        if element.figure is not None:
            self.figures_open.append(element.figure)

    def _pop_to(self, index: int) -> None:
        """Close every open element from the innermost down to ``stack[index]``."""
        while len(self.stack) > index:
            element = self.stack.pop()
            self.open_count[element.tag] -= 1
            if element.caption is not None:
                self.captions_open.pop()
            if element.figure is not None:
                self.figures_open.pop()
            self._close(element)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        self._metadata_start(tag, values)
        if tag in _SELF_CLOSING_SIBLINGS or tag in _BLOCK:
            self._close_open_paragraph(tag)
        if tag == "img":
            self._image(values)
            return
        if tag == "br" or tag == "hr":
            self._line_break(tag)
            return
        if tag in _VOID:
            return
        element = _Element(tag, values, self.images_seen)
        classes = set(values.get("class", "").lower().split())
        if tag in _SKIP or (classes and _UI_CLASS.search(values.get("class", ""))):
            element.skip = True
            self.skip_depth += 1
        elif tag in _HEADINGS:
            self.heading_depth += 1
        in_caption = self._innermost_caption()
        if not self._in_skip():
            if tag == "figure":
                self._flush_group()
                element.figure = _Figure()
                element.caption = _Collector(in_figure=True)
            elif tag == "figcaption" or (
                tag != "figure" and _is_caption_class(classes) and tag not in ("body", "html")
            ):
                # nested caption elements: a new caption only inside a container that already holds
                # the picture (wp-caption > img + wp-caption-text); else it is part of the outer one
                if in_caption is None or in_caption.in_figure or in_caption.images_inside:
                    if in_caption is None:
                        self._flush_group()
                    element.caption = _Collector()
            elif in_caption is not None:
                if tag in _BLOCK or _CREDIT_CLASSES.search(values.get("class", "")):
                    in_caption.add(" ", 0, 0)
            elif tag in _BLOCK:
                self._block_boundary(tag)
        self._push(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._metadata_end(tag)
        if tag in _VOID:
            if tag == "br":
                self._line_break(tag)
            return
        if self.open_count[tag] <= 0:
            return  # a stray end tag
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                self._pop_to(index)
                return

    def _close_open_paragraph(self, tag: str) -> None:
        """``<p>one<p>two``: a new block closes an open paragraph (inline elements above it too)."""
        if self.open_count["p"] <= 0 and (tag not in _SELF_CLOSING_SIBLINGS or self.open_count[tag] <= 0):
            return
        for index in range(len(self.stack) - 1, -1, -1):
            open_tag = self.stack[index].tag
            if open_tag == "p" or (open_tag == tag and tag in _SELF_CLOSING_SIBLINGS):
                self._pop_to(index)
                return
            if open_tag in _BLOCK:
                return

    def _close(self, element: _Element) -> None:
        if element.tag in _HEADINGS and not element.skip:
            self.heading_depth = max(0, self.heading_depth - 1)
        if element.skip:
            self.skip_depth -= 1
            return
        if self._in_skip():
            return
        if element.figure is not None:
            self._end_figure(element.figure, element.caption)
        elif element.caption is not None:
            self._end_caption(element)
        elif element.tag in _BLOCK and self._innermost_caption() is None:
            self._block_boundary(element.tag)
        elif self._innermost_caption() is not None and (
            element.tag in _BLOCK or _CREDIT_CLASSES.search(element.attrs.get("class", ""))
        ):
            caption = self._innermost_caption()
            if caption is not None:
                caption.add(" ", 0, 0)

    # ------------------------------------------------------------------ text

    def handle_data(self, data: str) -> None:
        if self.in_jsonld and self.jsonld_date is None:
            found = _JSONLD_DATE.search(data)
            if found is not None:
                self.jsonld_date = _jsonld_string(found.group(1))
        if self.title_parts is not None:
            self.title_parts.append(data)
        if self._in_skip():
            return
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        if self.time_parts is not None:
            self.time_parts.append(data)
        if not data:
            return
        caption = self._innermost_caption()
        visible = data.strip() != ""
        if caption is not None:
            if visible and not caption.parts:
                line, column = self._first_text(self._offset())
                caption.add(data, line, column)
            else:
                caption.add(data, 0, 0)
            return
        if self.heading_depth:
            return  # headings are neither captions nor body paragraphs
        if not visible:
            if self.piece_parts:
                self.piece_parts.append(data)
            return
        if not self.piece_parts:
            self.piece_line, self.piece_column = self._first_text(self._offset())
            if not self.group:
                self.group_image = self.image_pending
        self.image_pending = None
        self.piece_parts.append(data)

    def _end_piece(self) -> None:
        text = collapse("".join(self.piece_parts))
        self.piece_parts = []
        if text:
            self.group.append(Piece(text, self.piece_line, self.piece_column))
            if self.piece_starts_unit:
                self.unit_starts.add(len(self.group) - 1)
        self.piece_starts_unit = False

    def _line_break(self, tag: str) -> None:
        caption = self._innermost_caption()
        if caption is not None:
            caption.add(" ", 0, 0)
            return
        if self._in_skip():
            return
        self._end_piece()
        if tag == "hr":
            self._flush_group()

    def _block_boundary(self, tag: str) -> None:
        """A paragraph boundary; containers, headings and figures also end the group of paragraphs."""
        self._end_piece()
        self.piece_starts_unit = True
        if tag not in ("p", "li", "dd", "dt", "blockquote"):
            self._flush_group()

    def _flush_group(self) -> None:
        self._end_piece()
        self.piece_starts_unit = True
        if not self.group:
            return
        group, starts = self.group, self.unit_starts
        self.group = []
        self.unit_starts = set()
        before = len(self.found.captions)
        # each paragraph starts a unit: classify paragraph runs separately, keep the join rule
        # for a caption paragraph followed by a credit-only paragraph by classifying pairs together
        blocks: list[list[Piece]] = []
        for index, piece in enumerate(group):
            if index in starts or not blocks:
                blocks.append([piece])
            else:
                blocks[-1].append(piece)
        _classify_paragraphs(blocks, self.article.path, self.catalogue, self.found)
        if len(self.found.captions) > before and self.group_image is not None:
            first = self.found.captions[before]
            if (first.line, first.column) == (group[0].line, group[0].column):
                first.image_ref = self.group_image
        self.group_image = None

    # ------------------------------------------------------------------ images, figures, captions

    def _image(self, values: dict[str, str]) -> None:
        if self._in_skip():
            return
        ref = _image_ref(values)
        self.images_seen += 1
        self.last_image = ref
        self.last_image_claimed = False
        figure = self._innermost_figure()
        caption = self._innermost_caption()
        if caption is not None:
            caption.images_inside += 1
        alt = collapse(values.get("alt", ""))
        if is_file_name(alt):
            alt = ""
        if figure is not None:
            figure.images.append(ref)
            if alt:
                line, column = self._attribute_position("alt")
                figure.alts.append(
                    CaptionOccurrence(
                        path=self.article.path,
                        line=line,
                        column=column,
                        text=alt,
                        caption=parse_caption(alt, self.catalogue),
                        image_ref=ref,
                        source="alt",
                    )
                )
            return
        self._flush_group()
        self.image_pending = ref
        for attribute, source in (("alt", "alt"), ("title", "title")):
            value = collapse(values.get(attribute, ""))
            parsed = caption_of(value, self.catalogue) if value else None
            if parsed is not None:
                line, column = self._attribute_position(attribute)
                self.found.captions.append(
                    CaptionOccurrence(
                        path=self.article.path,
                        line=line,
                        column=column,
                        text=value,
                        caption=parsed,
                        image_ref=ref,
                        source=source,
                    )
                )

    def _end_caption(self, element: _Element) -> None:
        collector = element.caption
        if collector is None:
            return
        text = strip_trailing_ui(collector.text())
        if not text or is_boilerplate(text):
            return
        figure = self._innermost_figure()
        source = "figcaption" if element.tag == "figcaption" else "caption"
        if figure is not None:
            figure.captions.append((collector, source))
            return
        image: str | None = None
        if collector.images_inside:
            # a caption-classed container around the picture: its text is read as body text
            self._add_pieces([Piece(text, collector.line, collector.column)])
            return
        if not self.last_image_claimed and self.images_seen > (self.stack[-1].img_mark if self.stack else 0):
            image = self.last_image
            self.last_image_claimed = True
            self.image_pending = None  # this caption claims the picture
        parsed = (
            parse_caption(text, self.catalogue) if image is not None else caption_of(text, self.catalogue)
        )
        if parsed is None:
            self._add_pieces([Piece(text, collector.line, collector.column)])
            return
        self.found.captions.append(
            CaptionOccurrence(
                path=self.article.path,
                line=collector.line,
                column=collector.column,
                text=text,
                caption=parsed,
                image_ref=image,
                source=source,
            )
        )

    def _add_pieces(self, pieces: list[Piece]) -> None:
        self._flush_group()
        _classify_paragraphs([pieces], self.article.path, self.catalogue, self.found)

    def _end_figure(self, figure: _Figure, loose: _Collector | None) -> None:
        """Emit a figure's alt texts and captions. Text in the figure outside any figcaption is its
        caption when there is no figcaption, the figcaption's credit when it is only a credit and the
        figcaption has none, and body text otherwise."""
        first_image = next((ref for ref in figure.images if ref is not None), None)
        self.found.captions.extend(figure.alts)
        captions: list[tuple[int, int, str, str]] = []  # line, column, text, source
        for collector, source in figure.captions:
            text = strip_trailing_ui(collector.text())
            if text and not is_boilerplate(text):
                captions.append((collector.line, collector.column, text, source))
        loose_text = strip_trailing_ui(loose.text()) if loose is not None else ""
        if loose is not None and loose_text and not is_boilerplate(loose_text):
            if not captions:
                captions.append((loose.line, loose.column, loose_text, "figure"))
            elif self._credit_for(loose_text, captions[0][2]):
                line, column, text, source = captions[0]
                captions[0] = (line, column, f"{text} {loose_text}", source)
            else:
                self._add_pieces([Piece(loose_text, loose.line, loose.column)])
        for line, column, text, source in captions:
            self.found.captions.append(
                CaptionOccurrence(
                    path=self.article.path,
                    line=line,
                    column=column,
                    text=text,
                    caption=parse_caption(text, self.catalogue),
                    image_ref=first_image,
                    source=source,
                )
            )
        self.image_pending = first_image if not captions else None

    def _credit_for(self, loose_text: str, caption_text: str) -> bool:
        """True when ``loose_text`` is only a credit and ``caption_text`` has none of its own."""
        if len(loose_text) > 200:
            return False
        credit = caption_of(loose_text, self.catalogue)
        return (
            credit is not None
            and is_credit_only(credit)
            and parse_caption(caption_text, self.catalogue).credit is None
        )

    def finish(self) -> None:
        self._pop_to(0)
        self._flush_group()

    # ------------------------------------------------------------------ title and date

    def _metadata_start(self, tag: str, values: dict[str, str]) -> None:
        if tag == "title" and self.title is None:
            self.title_parts = []
        elif tag == "h1" and self.h1 is None and not self._in_skip():
            self.h1_parts = []
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            content = values.get("content", "")
            if key in _DATE_META and self.meta_date is None:
                self.meta_date = iso_date(content)
            elif key in ("og:title", "twitter:title") and self.og_title is None:
                self.og_title = collapse(content) or None
        elif tag == "time" and self.time_date is None and not self._in_skip():
            if "datetime" in values:
                self.time_date = iso_date(values["datetime"])
            if self.time_date is None:
                self.time_parts = []
        elif tag == "script" and "ld+json" in values.get("type", "").lower():
            self.in_jsonld = True
        elif values.get("itemprop", "").lower() == "datepublished" and self.meta_date is None:
            self.meta_date = iso_date(values.get("datetime") or values.get("content") or "")

    def _metadata_end(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None:
            self.title = collapse("".join(self.title_parts)) or None
            self.title_parts = None
        elif tag == "h1" and self.h1_parts is not None:
            self.h1 = collapse("".join(self.h1_parts)) or None
            self.h1_parts = None
        elif tag == "time" and self.time_parts is not None:
            self.time_date = iso_date(collapse("".join(self.time_parts)))
            self.time_parts = None
        elif tag == "script":
            self.in_jsonld = False


def _is_caption_class(classes: set[str]) -> bool:
    """A class that marks a caption: ``caption``, ``wp-caption-text``, ``dnd-caption-wrapper`` …"""
    for name in classes:
        if name in _CAPTION_CLASSES or (_CAPTION_WORD.search(name) and not _NOT_CAPTION_CLASSES.search(name)):
            return True
    return False


def _jsonld_string(value: str) -> str | None:
    try:
        decoded = json.loads(f'"{value}"')
    except ValueError:
        return None
    return iso_date(decoded) if isinstance(decoded, str) else None


def _image_ref(values: dict[str, str]) -> str | None:
    for attribute in _IMAGE_SRC_ATTRS:
        value = values.get(attribute, "").strip()
        if not value or value.startswith("data:"):
            continue
        if attribute.endswith("srcset"):
            value = value.split(",")[0].strip().split(" ")[0]
            if not value:
                continue
        return value
    return None


def _classify_paragraphs(
    blocks: list[list[Piece]], path: str, catalogue: AgencyCatalogue | None, found: Found
) -> None:
    """Classify consecutive paragraphs; a paragraph followed by a credit-only paragraph is read as one
    block so the two join into a single caption."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if index + 1 < len(blocks) and _credit_only_paragraph(blocks[index + 1], catalogue, found):
            classify_block([*block, *blocks[index + 1]], path, catalogue, found)
            index += 2
        else:
            classify_block(block, path, catalogue, found)
            index += 1


def _credit_only_paragraph(block: list[Piece], catalogue: AgencyCatalogue | None, found: Found) -> bool:
    if len(block) != 1 or len(block[0].text) > 200:
        return False
    parsed = caption_of(block[0].text, catalogue)
    if parsed is not None and is_credit_only(parsed):
        return True
    found.parsed[(block[0].line, block[0].text)] = parsed  # classify_block reuses it
    return False


def read_html(text: str, article: Article, catalogue: AgencyCatalogue | None) -> None:
    """Fill ``article`` (format "html") from the page's source."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    found = Found()
    parser = _ArticleParser(normalised, article, catalogue, found)
    parser.feed(normalised)
    parser.close()
    parser.finish()
    article.title = parser.h1 or parser.og_title or parser.title
    if parser.meta_date is not None:
        article.date, article.date_source = parser.meta_date, "html-meta"
    elif parser.jsonld_date is not None:
        article.date, article.date_source = parser.jsonld_date, "html-jsonld"
    elif parser.time_date is not None:
        article.date, article.date_source = parser.time_date, "html-time"
    article.captions.extend(found.captions)
    article.paragraphs.extend(found.paragraphs)
