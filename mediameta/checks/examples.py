"""Build a :class:`~mediameta.checks.context.CheckContext` from a rule's :class:`Example`, in memory.

The meta-test (tests/test_rule_examples.py) and ``mediameta explain`` run every example through
here: articles are read with the article extractor (``mediameta.captions.extract``), images become
MediaRecords from their field dicts (an ``image_hash`` key becomes the perceptual hash in
``ctx.image_hashes``; ``unreadable`` and ``article_errors`` become read failures), captions are linked with ``mediameta.link.link_captions``. No
file is touched. "Today" is fixed (:data:`EXAMPLE_TODAY`) so date examples never age.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import re
from collections.abc import Callable
from typing import Any, Literal

from mediameta.checks.context import CaptionLink, CheckContext, Unreadable
from mediameta.checks.registry import Example, Rule
from mediameta.config import Config, catalogue_for, validate_config
from mediameta.models import Article, CaptionOccurrence, Finding, MediaRecord

EXAMPLE_TODAY = dt.date(2025, 6, 30)

ArticleFormat = Literal["text", "markdown", "html"]
_FORMATS: dict[str, ArticleFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def _format_of(path: str) -> ArticleFormat:
    suffix = path[path.rfind(".") :].lower() if "." in path else ""
    return _FORMATS.get(suffix, "text")


def _extractor() -> Callable[..., Article] | None:
    try:
        module = importlib.import_module("mediameta.captions.extract")
    except ImportError:
        return None
    reader = getattr(module, "read_article_text", None)
    return reader if callable(reader) else None


# --------------------------------------------------------------------------- stand-in extractor

_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)[^)]*\)")
_FIGURE = re.compile(r"<figure\b.*?</figure>", re.S | re.I)
_IMG_SRC = re.compile(r"<img\b[^>]*\bsrc=\"(?P<src>[^\"]*)\"", re.I)
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(?P<text>.*?)</figcaption>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _fallback_article(text: str, path: str) -> Article:
    """A minimal extractor used only while ``mediameta.captions.extract`` is not installed:
    every non-blank line of a text file, the alt text of Markdown images, HTML figcaptions."""
    from mediameta.captions.parse import parse_caption

    fmt = _format_of(path)
    article = Article(path=path, format=fmt)
    found: list[tuple[int, str, str | None, str]] = []
    if fmt == "text":
        offset = 0
        for raw in text.splitlines(keepends=True):
            if raw.strip():
                found.append((offset + len(raw) - len(raw.lstrip()), raw.strip(), None, "paragraph"))
            offset += len(raw)
    elif fmt == "markdown":
        for match in _MD_IMAGE.finditer(text):
            found.append((match.start("alt"), match.group("alt").strip(), match.group("src"), "alt"))
    else:
        for figure in _FIGURE.finditer(text):
            src = _IMG_SRC.search(figure.group(0))
            caption = _FIGCAPTION.search(figure.group(0))
            if caption is None:
                continue
            plain = html.unescape(_TAG.sub("", caption.group("text"))).strip()
            start = figure.start() + caption.start("text")
            found.append((start, plain, src.group("src") if src else None, "figcaption"))
    for offset, caption_text, ref, source in found:
        line, column = _line_col(text, offset)
        article.captions.append(
            CaptionOccurrence(
                path=path,
                line=line,
                column=column,
                text=caption_text,
                caption=parse_caption(caption_text),
                image_ref=ref,
                source=source,
            )
        )
    return article


def read_example_article(text: str, path: str, config: Config | None = None) -> Article:
    """The article as ``mediameta check`` reads it, captions parsed with the config's catalogue."""
    reader = _extractor()
    if reader is None:
        return _fallback_article(text, path)
    return reader(text, path, catalogue=catalogue_for(config or Config()))


def _link(articles: list[Article], records: list[MediaRecord], config: Config) -> list[CaptionLink]:
    from mediameta.link import link_captions

    return link_captions(articles, records, config)


def example_config(example: Example) -> Config:
    data: dict[str, Any] = dict(example.config)
    if example.article_date is not None:
        data["article-date"] = example.article_date
    return validate_config(data, "example")


def context_from_example(example: Example) -> CheckContext:
    """The CheckContext an Example describes: its articles read, its images as records, linked."""
    config = example_config(example)
    articles = [read_example_article(text, path, config) for path, text in example.articles.items()]
    if config.article_date is not None:
        for article in articles:
            if article.date is None:
                article.date = config.article_date
                article.date_source = "cli"
    for article in articles:
        article.errors.extend(example.article_errors.get(article.path, []))
    for path, errors in example.article_errors.items():
        if path not in example.articles:
            articles.append(Article(path=path, format=_format_of(path), errors=list(errors)))
    records: list[MediaRecord] = []
    image_hashes: dict[str, str] = {}
    for name, fields in example.images.items():
        values = dict(fields)
        image_hash = values.pop("image_hash", None)  # the perceptual hash the engine would compute
        if isinstance(image_hash, str):
            image_hashes[name] = image_hash
        records.append(MediaRecord(path=name, **values))
    return CheckContext(
        config=config,
        articles=articles,
        records=records,
        links=_link(articles, records, config),
        image_hashes=image_hashes,
        unreadable=[Unreadable(path=path, message=message) for path, message in example.unreadable.items()],
        today=EXAMPLE_TODAY,
    )


def run_example(rule_cls: type[Rule], example: Example) -> list[Finding]:
    """The findings of ``rule_cls`` (with the example's options) on the example's context."""
    rule = rule_cls(options=rule_cls.Options.model_validate(example.options))
    return [finding for finding in rule.check(context_from_example(example)) if finding.code == rule_cls.code]
