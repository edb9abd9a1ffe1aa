"""Markdown articles: images, the captions around them, front matter."""

from __future__ import annotations

from mediameta.captions.extract import read_article_text

STORY = """\
---
title: "Floods: volunteers clear the streets"
date: 2026-11-20T08:30:00+01:00
author: Desk
---

# A heading that is not the title

Volunteers poured into the towns south of Valencia on Wednesday.

![Volunteers clear mud](../images/volunteers.jpg "Paiporta, Spain")
*Volunteers clear mud from a street in Paiporta, Spain, November 18, 2026. REUTERS/Eva Manez*

Officials said the water had fallen below street level.

![An aerial view](images/aerial.jpg)

_An aerial view shows flooded fields near Valencia, Spain, November 17, 2026._

- A list item with body text.

![Bridge][bridge]
Caption: Residents cross a damaged bridge in Catarroja, Spain. REUTERS/Susana Vera

Residents crossed on foot, Reuters reported.

```
![not an image](code.jpg) *not a caption* REUTERS/Nobody
```

[bridge]: <../images/the bridge.jpg> "The bridge"
"""


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def test_front_matter_title_and_date() -> None:
    article = read_article_text(STORY, "story.md")
    assert article.format == "markdown"
    assert article.title == "Floods: volunteers clear the streets"
    assert (article.date, article.date_source) == ("2026-11-20", "front-matter")
    assert article.errors == []


def test_images_alt_title_and_captions_with_positions() -> None:
    article = read_article_text(STORY, "story.md")
    got = [
        (found.source, found.line, found.column, found.image_ref, found.text) for found in article.captions
    ]
    assert got == [
        ("markdown-alt", 11, 3, "../images/volunteers.jpg", "Volunteers clear mud"),
        ("markdown-title", 11, 51, "../images/volunteers.jpg", "Paiporta, Spain"),
        (
            "markdown-caption",
            12,
            2,
            "../images/volunteers.jpg",
            "Volunteers clear mud from a street in Paiporta, Spain, November 18, 2026. REUTERS/Eva Manez",
        ),
        ("markdown-alt", 16, 3, "images/aerial.jpg", "An aerial view"),
        (
            "markdown-caption",
            18,
            2,
            "images/aerial.jpg",
            "An aerial view shows flooded fields near Valencia, Spain, November 17, 2026.",
        ),
        ("markdown-alt", 22, 3, "../images/the bridge.jpg", "Bridge"),
        (
            "markdown-caption",
            23,
            10,
            "../images/the bridge.jpg",
            "Residents cross a damaged bridge in Catarroja, Spain. REUTERS/Susana Vera",
        ),
        # a reference image's title is positioned in its definition
        ("markdown-title", 31, 39, "../images/the bridge.jpg", "The bridge"),
    ]
    assert article.captions[2].caption.credit is not None
    # every position points at the caption's first character in the file
    lines = lines_of(STORY)
    for found in article.captions:
        assert lines[found.line - 1][found.column - 1] == found.text[0]


def test_body_paragraphs_exclude_captions_code_and_headings() -> None:
    article = read_article_text(STORY, "story.md")
    texts = [block.text for block in article.paragraphs]
    assert texts == [
        "Volunteers poured into the towns south of Valencia on Wednesday.",
        "Officials said the water had fallen below street level.",
        "A list item with body text.",
        "Residents crossed on foot, Reuters reported.",
    ]
    assert (article.paragraphs[2].line, article.paragraphs[2].column) == (20, 3)


def test_title_from_first_heading_without_front_matter() -> None:
    article = read_article_text("# Storm hits the coast\n\nBody.\n", "s.md")
    assert article.title == "Storm hits the coast"
    assert article.date is None


def test_lone_image_followed_by_plain_body_text_has_no_caption() -> None:
    text = "![A crowd](crowd.jpg)\n\nThe crowd waited for hours before the results came in.\n"
    article = read_article_text(text, "c.md")
    assert [found.source for found in article.captions] == ["markdown-alt"]
    assert [block.text for block in article.paragraphs] == [
        "The crowd waited for hours before the results came in."
    ]


def test_credited_paragraph_without_image_is_a_caption() -> None:
    text = "Intro.\n\nFans cheer in Madrid, Spain, June 1, 2025. REUTERS/Susana Vera\n"
    article = read_article_text(text, "c.md")
    assert [(found.source, found.line, found.image_ref) for found in article.captions] == [
        ("paragraph", 3, None)
    ]


def test_html_figure_inside_markdown() -> None:
    text = (
        "Intro.\n\n"
        "<figure>\n"
        '  <img src="a.jpg" alt="Alt text">\n'
        '  <figcaption>Fans cheer. <span class="credit">REUTERS/Susana Vera</span></figcaption>\n'
        "</figure>\n"
    )
    article = read_article_text(text, "h.md")
    got = [
        (found.source, found.line, found.column, found.image_ref, found.text) for found in article.captions
    ]
    assert got == [
        ("alt", 4, 25, "a.jpg", "Alt text"),
        ("figcaption", 5, 15, "a.jpg", "Fans cheer. REUTERS/Susana Vera"),
    ]


def test_linked_image_and_text_on_the_same_line() -> None:
    text = "[![Rally](rally.jpg)](https://example.org/big.jpg) Supporters cheer at a rally. (AP Photo/Matt Rourke)\n"
    article = read_article_text(text, "l.md")
    captions = [found for found in article.captions if found.source == "markdown-caption"]
    assert len(captions) == 1
    assert captions[0].text == "Supporters cheer at a rally. (AP Photo/Matt Rourke)"
    assert captions[0].image_ref == "rally.jpg"
    assert text[captions[0].column - 1] == "S"


def test_body_text_right_under_an_italic_caption_is_body_text() -> None:
    text = (
        "![A](a.jpg)\n*Fans cheer. REUTERS/Jane Roe*\nThe match ended late.\n\n"
        "![B](b.jpg)\n\n*Fans leave. REUTERS/Jane Roe*\nTraffic was heavy.\n"
    )
    article = read_article_text(text, "e.md")
    captions = [(found.line, found.text) for found in article.captions if found.source == "markdown-caption"]
    assert captions == [(2, "Fans cheer. REUTERS/Jane Roe"), (7, "Fans leave. REUTERS/Jane Roe")]
    assert [(block.line, block.text) for block in article.paragraphs] == [
        (3, "The match ended late."),
        (8, "Traffic was heavy."),
    ]
