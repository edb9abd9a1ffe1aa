"""Find the captions in an article: plain text, Markdown or HTML, each with its line and column.

``read_article(path)`` reads a file, ``read_article_text(text, path)`` the same from memory (rule
examples and tests use it), ``extract_captions(path)`` is ``read_article(path).captions``. None of
them raises: a file that cannot be read or decoded gives an :class:`~mediameta.models.Article`
with the problem in ``errors``. See docs/articles.md for what each format recognises.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

from mediameta.captions.articles.common import MAX_ARTICLE_BYTES, decode_article, looks_binary
from mediameta.captions.articles.html import read_html
from mediameta.captions.articles.markdown import read_markdown
from mediameta.captions.articles.text import read_text
from mediameta.captions.catalogue import AgencyCatalogue
from mediameta.models import Article, CaptionOccurrence

ArticleFormat = Literal["text", "markdown", "html"]

_FORMATS: dict[str, ArticleFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
ARTICLE_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
"""File suffixes (lower case, with the dot) that are read as articles."""


def article_format(path: str | os.PathLike[str], text: str | None = None) -> ArticleFormat:
    """The format of an article from its suffix; for an unknown suffix, sniffed from ``text``."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix in _FORMATS:
        return _FORMATS[suffix]
    if text is not None:
        head = text[:1024].lstrip("\ufeff \t\r\n").lower()
        if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head:
            return "html"
        if head.startswith(("---\n", "---\r\n", "+++\n")) or "![" in text[:65536]:
            return "markdown"
    return "text"


def read_article(path: Path, *, catalogue: AgencyCatalogue | None = None) -> Article:
    """Read the article at ``path``. Never raises: unreadable, huge or binary files come back as an
    Article with an error and no captions."""
    name = os.fspath(path)
    fmt = article_format(name)
    article = Article(path=name, format=fmt)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            article.errors.append("not a regular file; not read")
            return article
        if info.st_size > MAX_ARTICLE_BYTES:
            article.errors.append(
                f"file is {info.st_size} bytes, over the {MAX_ARTICLE_BYTES}-byte limit; not read"
            )
            return article
        with open(name, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        article.errors.append(f"cannot read: {exc.strerror or exc}")
        return article
    if len(data) > MAX_ARTICLE_BYTES:
        article.errors.append(f"file is over the {MAX_ARTICLE_BYTES}-byte limit; not read")
        return article
    text, decode_errors = decode_article(data, html=fmt == "html")
    if fmt == "text" and os.path.splitext(name)[1].lower() not in _FORMATS:
        fmt = article_format(name, text)
        article.format = fmt
    article.errors.extend(decode_errors)
    _fill(article, text, catalogue)
    return article


def read_article_text(
    text: str,
    path: str,
    fmt: ArticleFormat | None = None,
    *,
    catalogue: AgencyCatalogue | None = None,
) -> Article:
    """Read an article held in memory; ``fmt`` None means: from the suffix of ``path`` (sniffed
    when the suffix is unknown). A leading BOM is ignored."""
    resolved: ArticleFormat = fmt if fmt is not None else article_format(path, text)
    article = Article(path=path, format=resolved)
    _fill(article, text.removeprefix("\ufeff"), catalogue)
    return article


def extract_captions(path: Path, *, catalogue: AgencyCatalogue | None = None) -> list[CaptionOccurrence]:
    """The captions of the article at ``path`` (``read_article(path).captions``)."""
    return read_article(path, catalogue=catalogue).captions


def _fill(article: Article, text: str, catalogue: AgencyCatalogue | None) -> None:
    if looks_binary(text):
        article.errors.append("binary data, not an article; not read")
        return
    try:
        if article.format == "html":
            read_html(text, article, catalogue)
        elif article.format == "markdown":
            read_markdown(text, article, catalogue)
        else:
            read_text(text, article, catalogue)
    except RecursionError:
        article.errors.append("article nests too deeply to read")
    except Exception as exc:  # errors are data: one broken article never stops a run
        article.errors.append(f"cannot extract captions: {type(exc).__name__}: {exc}")
    article.captions.sort(key=lambda found: (found.line, found.column))
    article.paragraphs.sort(key=lambda block: (block.line, block.column))
