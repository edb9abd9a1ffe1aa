"""Build a :class:`~mediameta.checks.context.CheckContext` from a rule's :class:`Example`, in memory.

The meta-test (tests/test_rule_examples.py) and ``mediameta explain`` run every example through
here: articles are read with the article extractor (``read_article_text``, the config's agency
catalogue), images become MediaRecords from their field dicts (an ``image_hash`` key becomes the
perceptual hash in ``ctx.image_hashes``; ``unreadable`` and ``article_errors`` become read
failures), and captions are linked with ``mediameta.link.link_captions`` — the same functions
``mediameta check`` uses. No file is touched. "Today" is fixed (:data:`EXAMPLE_TODAY`) so date
examples never age.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from mediameta.checks.context import CaptionLink, CheckContext, Unreadable
from mediameta.checks.registry import Example, Rule
from mediameta.config import Config, catalogue_for, validate_config
from mediameta.models import Article, Finding, MediaRecord

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


def read_example_article(text: str, path: str, config: Config | None = None) -> Article:
    """The article as ``mediameta check`` reads it, captions parsed with the config's catalogue."""
    from mediameta.captions.extract import read_article_text

    return read_article_text(text, path, catalogue=catalogue_for(config or Config()))


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
