"""Hostile input: encodings, huge and binary files, odd paths, arbitrary text. Nothing raises."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediameta.captions.articles import common
from mediameta.captions.extract import article_format, read_article, read_article_text

CAPTION = "Fans cheer in Málaga, Spain, June 1, 2025. REUTERS/Jon Nazca"
TEXT = f"Título\n\n{CAPTION}\n"


@pytest.mark.parametrize(
    ("encoded", "errors"),
    [
        (TEXT.encode("utf-8"), []),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), []),
        (TEXT.encode("utf-16"), []),  # with BOM
        (TEXT.encode("utf-16-le"), []),  # no BOM: recognised by its NUL pattern
        (TEXT.encode("utf-32"), []),
    ],
)
def test_unicode_encodings(tmp_path: Path, encoded: bytes, errors: list[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(encoded)
    article = read_article(path)
    assert article.errors == errors
    assert article.title == "Título"
    assert [(found.line, found.column, found.text) for found in article.captions] == [(3, 1, CAPTION)]


def test_cp1252_fallback_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    article = read_article(path)
    assert len(article.errors) == 1 and "cp1252" in article.errors[0]
    assert [found.text for found in article.captions] == [CAPTION]


def test_html_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    page = f'<html><head><meta charset="iso-8859-15"></head><body><p>{CAPTION}</p></body></html>'
    path.write_bytes(page.encode("iso-8859-15"))
    article = read_article(path)
    assert article.errors == []
    assert [found.text for found in article.captions] == [CAPTION]


def test_huge_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mediameta.captions.extract.MAX_ARTICLE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1001)
    article = read_article(path)
    assert article.captions == [] and len(article.errors) == 1 and "limit" in article.errors[0]


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(bytes(range(256)) * 40)
    article = read_article(path)
    assert article.captions == [] and article.paragraphs == []
    assert any("binary" in error for error in article.errors)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = read_article(tmp_path / "nope.md")
    assert missing.format == "markdown" and missing.errors and "cannot read" in missing.errors[0]
    directory = read_article(tmp_path)
    assert directory.errors == ["not a regular file; not read"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_article(fifo).errors == ["not a regular file; not read"]


def test_format_from_suffix_and_content() -> None:
    assert article_format("a.HTM") == "html"
    assert article_format("a.markdown") == "markdown"
    assert article_format("a.txt", "<html><body>x</body></html>") == "text"  # the suffix decides
    assert article_format("a.article", "<!DOCTYPE html><p>x") == "html"
    assert article_format("a.article", "---\ntitle: x\n---\n") == "markdown"
    assert article_format("a.article", "plain words") == "text"
    assert read_article_text("x", "a.txt", "html").format == "html"


def test_decode_prefers_utf8_when_valid() -> None:
    assert common.decode_article("é".encode()) == ("é", [])


def test_large_article_is_linear(tmp_path: Path) -> None:
    """100 KB of body text with captions among it: every caption is found (no size-dependent loss)."""
    body = "Officials said the count would take until the weekend, local media reported. " * 3
    parts = []
    for index in range(120):
        parts.append(body)
        if index % 10 == 0:
            parts.append(
                f"Supporters cheer at rally number {index}, November 3, 2026. REUTERS/Rachel Wisniewski"
            )
    text = "\n\n".join(parts)
    assert len(text) > 25_000
    for fmt in ("text", "markdown", "html"):
        source = text if fmt != "html" else "".join(f"<p>{part}</p>\n" for part in parts)
        article = read_article_text(source, f"big.{fmt}", fmt)
        assert len(article.captions) == 12, fmt


# --------------------------------------------------------------------------- properties

_ALPHABET = st.characters(blacklist_categories=("Cs",))
_MARKUP = st.sampled_from(
    [
        "<figure>",
        "</figure>",
        "<figcaption>",
        "</figcaption>",
        '<img src="a.jpg" alt="',
        '">',
        "<p>",
        "</p>",
        "<br>",
        "&amp;",
        "&nbsp;",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "![",
        "](",
        ")",
        '"',
        "*",
        "_",
        "\n",
        "\n\n",
        "\r\n",
        "---\n",
        "```\n",
        "# ",
        "> ",
        "- ",
        "(photo credit: ",
        "REUTERS/",
        "/AP Photo",
        "Caption: ",
        "March 3, 2025",
        "\ufeff",
        "\x00",
        "\u2028",
        "<div class='caption'>",
        "</div>",
        "©",
    ]
)
_HOSTILE = st.lists(st.one_of(_MARKUP, st.text(_ALPHABET, max_size=30)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_HOSTILE, fmt=st.sampled_from(["text", "markdown", "html"]))
def test_arbitrary_input_never_raises_and_positions_are_in_the_file(text: str, fmt: str) -> None:
    article = read_article_text(text, f"fuzz.{fmt}", fmt)  # type: ignore[arg-type]
    assert not any(error.startswith("cannot extract") for error in article.errors), article.errors
    lines = common.split_lines(text.removeprefix("\ufeff"))
    for found in article.captions:
        assert 1 <= found.line <= len(lines)
        assert 1 <= found.column <= len(lines[found.line - 1]) + 1
        assert found.text and found.text == found.text.strip()
        if fmt == "text":  # no markup: the position is exactly the caption's first character
            assert lines[found.line - 1][found.column - 1] == found.text[0]


_WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12)
_SENTENCE = st.lists(_WORD, min_size=2, max_size=12).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(
    paragraphs=st.lists(_SENTENCE.map(lambda sentence: sentence + "."), min_size=1, max_size=6),
    indent=st.text(" \t", max_size=3),
    where=st.integers(min_value=0, max_value=6),
    credit=st.sampled_from(["REUTERS/Jane Roe", "(photo credit: REUTERS/JANE ROE)", "(AP Photo/Jane Roe)"]),
)
def test_plain_text_caption_position_points_at_its_text(
    paragraphs: list[str], indent: str, where: int, credit: str
) -> None:
    caption = f"Fans cheer in Madrid, Spain, June 1, 2025. {credit}"
    blocks = list(paragraphs)
    blocks.insert(min(where, len(blocks)), indent + caption)
    text = "\n\n".join(blocks) + "\n"
    article = read_article_text(text, "p.txt")
    lines = text.split("\n")
    hits = [found for found in article.captions if found.text == caption]
    assert len(hits) == 1
    found = hits[0]
    assert lines[found.line - 1][found.column - 1 :].startswith(caption)


@settings(max_examples=100, deadline=None)
@given(
    before=st.lists(_SENTENCE, max_size=3).map(lambda items: "".join(f"<p>{item}</p>\n" for item in items)),
    spacing=st.sampled_from(["", " ", "\n  ", "&nbsp;", "\n&#160; "]),
    alt=_SENTENCE,
)
def test_html_figure_positions_point_at_their_text(before: str, spacing: str, alt: str) -> None:
    page = (
        f"{before}<figure>\n<img src='x.jpg'\n   alt='{spacing}{alt}'>\n"
        f"<figcaption>{spacing}Fans cheer. <span class=credit>REUTERS/Jane Roe</span></figcaption></figure>"
    )
    article = read_article_text(page, "f.html")
    lines = page.split("\n")
    figure = [found for found in article.captions if found.image_ref == "x.jpg"]
    assert [found.source for found in figure] == ["alt", "figcaption"]
    for found in article.captions:
        assert lines[found.line - 1][found.column - 1 :].startswith(found.text.split(" ")[0])


@settings(max_examples=100, deadline=None)
@given(
    before=st.lists(_SENTENCE.map(lambda sentence: sentence + "."), max_size=3),
    prefix=st.sampled_from(["", "  ", "> ", "- ", "1. "]),
    alt=_SENTENCE,
    emphasis=st.sampled_from(["", "*", "_", "**"]),
    label=st.sampled_from(["", "Caption: "]),
    blank=st.booleans(),
)
def test_markdown_positions_point_at_their_text(
    before: list[str], prefix: str, alt: str, emphasis: str, label: str, blank: bool
) -> None:
    caption = f"{label}{emphasis}Fans cheer in Madrid. REUTERS/Jane Roe{emphasis}"
    separator = "\n\n" if blank else "\n"
    text = (
        "".join(f"{sentence}\n\n" for sentence in before) + f"{prefix}![{alt}](a.jpg){separator}{caption}\n"
    )
    article = read_article_text(text, "m.md")
    lines = text.split("\n")
    sources = [found.source for found in article.captions]
    assert sources == ["markdown-alt", "markdown-caption"]
    assert article.captions[1].text == "Fans cheer in Madrid. REUTERS/Jane Roe"
    assert all(found.image_ref == "a.jpg" for found in article.captions)
    for found in article.captions:
        assert lines[found.line - 1][found.column - 1 :].startswith(found.text.split(" ")[0])


def test_xhtml_xml_declaration_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.xhtml"
    page = f'<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body><p>{CAPTION}</p></body></html>'
    path.write_bytes(page.encode("iso-8859-1"))
    article = read_article(path)
    assert article.errors == [] and article.format == "html"
    assert [found.text for found in article.captions] == [CAPTION]
