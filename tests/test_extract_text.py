"""Plain-text articles: captions recognised by their credit, positions in the file, boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediameta.captions.extract import ARTICLE_SUFFIXES, extract_captions, read_article, read_article_text

# Same shape as the seed article (title, standfirst, a caption with its credit inline followed by
# the same caption with the credit on its own line, body text naming an agency, boilerplate), but
# written for this test so the suite runs without ../shared.
WIRE_STORY = """\
Harbour strike enters second week as talks stall

Dockworkers and port operators trade blame for the stoppage.

Dockworkers march past idle cranes at the container terminal in Rotterdam, Netherlands, May 12, 2025. (photo credit: REUTERS/PIROSCHKA VAN DE WOUW/FILE PHOTO)
Dockworkers march past idle cranes at the container terminal in Rotterdam, Netherlands, May 12, 2025.
(photo credit: REUTERS/PIROSCHKA VAN DE WOUW/FILE PHOTO)

The strike has halted most container traffic through Europe's largest port, union leaders said on Monday.

Port operators said they had offered a 6% raise over two years, Interfax reported.

 A ship waits to be unloaded at anchor off Hook of Holland, Netherlands, May 14, 2025. (credit: REUTERS/Yves Herman)
A ship waits to be unloaded at anchor off Hook of Holland, Netherlands, May 14, 2025. (credit: REUTERS/Yves Herman)

Stay updated with the latest news!

Subscribe to The Harbour Gazette Newsletter

1/5

Enlarge this image

"We will stay out as long as it takes," a union spokesman told reporters.
"""


def write(tmp_path: Path, text: str, name: str = "story.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_wire_story_yields_two_captions_each_twice_with_positions(tmp_path: Path) -> None:
    path = write(tmp_path, WIRE_STORY)
    captions = extract_captions(path)
    assert [(found.line, found.column) for found in captions] == [(5, 1), (6, 1), (13, 2), (14, 1)]
    assert len({found.text for found in captions}) == 2
    assert all(found.source == "paragraph" and found.path == str(path) for found in captions)
    assert all(found.caption.credit is not None for found in captions)
    # the caption line and its credit-only line are one caption, joined with a single space
    assert captions[1].text == (
        "Dockworkers march past idle cranes at the container terminal in Rotterdam, Netherlands, "
        "May 12, 2025. (photo credit: REUTERS/PIROSCHKA VAN DE WOUW/FILE PHOTO)"
    )
    assert captions[0].text == captions[1].text


def test_wire_story_body_title_and_boilerplate(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, WIRE_STORY))
    assert article.format == "text"
    assert article.title == "Harbour strike enters second week as talks stall"
    assert article.date is None and article.date_source is None  # the story states none: not guessed
    assert article.errors == []
    texts = [block.text for block in article.paragraphs]
    assert "Port operators said they had offered a 6% raise over two years, Interfax reported." in texts
    assert texts[0] == "Dockworkers and port operators trade blame for the stoppage."
    assert not any(
        "Subscribe" in text or "Stay updated" in text or text in ("1/5", "Enlarge this image")
        for text in texts
    )
    assert (article.paragraphs[0].line, article.paragraphs[0].column) == (3, 1)


def test_seed_article(seed_article: Path) -> None:
    article = read_article(seed_article)
    assert article.errors == []
    assert [(found.line, found.column) for found in article.captions] == [(5, 1), (6, 1), (17, 2), (18, 1)]
    texts = [found.text for found in article.captions]
    assert len(set(texts)) == 2
    assert texts[0] == texts[1] and texts[2] == texts[3]
    credits = [found.caption.credit.raw if found.caption.credit else None for found in article.captions]
    assert credits[:2] == ["REUTERS/LEAH MILLIS/FILE PHOTO"] * 2
    assert credits[2:] == ["REUTERS/YAN DOBRONOSOV"] * 2
    facts = []
    for found in article.captions:
        parsed = found.caption
        assert parsed.credit is not None and parsed.date is not None and parsed.location is not None
        facts.append(
            (
                parsed.credit.photographers,
                parsed.credit.agencies,
                parsed.credit.qualifiers,
                parsed.date.iso,
                parsed.location.city,
                parsed.location.country,
            )
        )
    trump = (["LEAH MILLIS"], ["Reuters"], ["file"], "2025-03-03", "Washington", "US")
    sudzha = (["YAN DOBRONOSOV"], ["Reuters"], [], "2024-08-16", "Sudzha", "Russia")
    assert facts == [trump, trump, sudzha, sudzha]
    paragraph_texts = " ".join(block.text for block in article.paragraphs)
    assert "TASS reported." in paragraph_texts
    assert "Stay updated" not in paragraph_texts and "Newsletter" not in paragraph_texts


BODY_SENTENCES = [
    "Putin said he would spare the troops if Kyiv called for them to surrender, TASS reported.",
    "The ministry confirmed the figures to Reuters on Tuesday.",
    '"We are ready," he told AP.',
    "Police said the suspect fled on foot, according to AFP.",
    "In a statement to the AP, the company said it would appeal.",
    "The ministry told Reuters.",
    "He spoke to Getty Images photographers at the scene.",
    "Shares fell 3% in early trading, Bloomberg News reported, citing people familiar with the matter.",
    "The deal was first reported by The New York Times.",
    "Officials said 12 people were hurt, the Associated Press reported.",
    "The report was compiled by Human Rights Watch.",
]


@pytest.mark.parametrize("sentence", BODY_SENTENCES)
def test_body_sentences_naming_agencies_are_not_captions(sentence: str) -> None:
    article = read_article_text(f"Title\n\n{sentence}\n", "body.txt")
    assert article.captions == []
    assert [block.text for block in article.paragraphs] == [sentence]


@pytest.mark.parametrize(
    "caption",
    [
        "Even luxury hotels are not always cleaned as often as they should be Getty Images",
        "Illustration by Jane Roe",
        "Workers repair a water main in Queens. Credit Jane Roe for The Example Times",
        "Fans wait at the gate in Lyon, France, May 2, 2025. (Photo by JANE ROE / AFP) (Photo by JANE ROE/AFP via Getty Images)",
        "Players celebrate after the match. REUTERS/Jane Roe ORG XMIT: AST101",
        "A portrait of the author. Image Source: Jane Roe\u200b",
        "© Jane Roe/Instagram Posts by the couple from Las Vegas, January 20, 2017",
        "Bundeskanzler Olaf Scholz spricht am 3. März 2025 im Bundestag in Berlin. Foto: Jane Roe/dpa",
        "Ein Polizist vor dem Rathaus in Köln. © picture alliance / dpa | Jane Roe",
        "Feuerwehrleute löschen den Brand. Foto: dpa",
        "Supporters wave flags in Berlin, Germany, 14 May 2018. EPA-EFE/JANE ROE",
        "Demonstrators gather outside the Capitol on Tuesday. Jane Roe for The New York Times",
        "Mandatory Credit: Photo by Jane Roe/Shutterstock (12345a)",
        "FILE - The president speaks in Washington, Jan. 9, 2024. (AP Photo/Jane Roe, File)",
        "Trump speaks at the White House, March 3. REUTERS/Jane Roe/POOL",
        "The skyline of Tel Aviv. Photo by Jane Roe/FLASH90",
        "Soldiers at the border. (IDF SPOKESPERSON'S UNIT)",
    ],
)
def test_caption_forms_from_news_pages(caption: str) -> None:
    article = read_article_text(f"Title\n\n{caption}\n", "c.txt")
    assert [found.text for found in article.captions] == [caption]


def test_credit_only_line_joins_the_line_above_only_without_a_blank_line() -> None:
    joined = read_article_text("Fans cheer in Madrid, Spain, June 1, 2025.\nREUTERS/Susana Vera\n", "a.txt")
    assert [(found.line, found.text) for found in joined.captions] == [
        (1, "Fans cheer in Madrid, Spain, June 1, 2025. REUTERS/Susana Vera")
    ]
    assert joined.paragraphs == []


def test_hard_wrapped_caption_is_one_caption() -> None:
    text = "Intro paragraph.\n\nVolunteers clear mud from a street in Paiporta,\nnear Valencia, Spain. REUTERS/Eva Manez\n"
    article = read_article_text(text, "wrapped.txt")
    assert [(found.line, found.column, found.text) for found in article.captions] == [
        (3, 1, "Volunteers clear mud from a street in Paiporta, near Valencia, Spain. REUTERS/Eva Manez")
    ]


def test_gallery_counter_before_a_caption_is_cut_and_the_column_follows() -> None:
    text = "Title\n\n2/5 Firefighters work at the scene in Lyon, France. REUTERS/Denis Balibouse\n"
    article = read_article_text(text, "gallery.txt")
    assert len(article.captions) == 1
    found = article.captions[0]
    assert found.text.startswith("Firefighters")
    assert (found.line, found.column) == (3, 5)


def test_site_copyright_footer_is_not_a_caption() -> None:
    article = read_article_text(
        "Body text here.\n\n© 2025 Harbour Gazette Ltd. All rights reserved.\n", "f.txt"
    )
    assert article.captions == []


def test_labelled_publication_date() -> None:
    article = read_article_text("Headline\n\nPublished: March 14, 2025\n\nBody text.\n", "d.txt")
    assert (article.date, article.date_source) == ("2025-03-14", "dateline")
    assert [block.text for block in article.paragraphs] == ["Body text."]


def test_byline_dateline_and_updated_is_second_choice() -> None:
    byline = read_article_text("Headline\n\nBy Jane Doe | 3 March 2025\n\nBody.\n", "b.txt")
    assert (byline.date, byline.date_source) == ("2025-03-03", "dateline")
    updated = read_article_text("Headline\n\nUpdated: 2025-03-05\n\nBody.\n", "u.txt")
    assert updated.date == "2025-03-05"
    both = read_article_text("Headline\n\nUpdated: 2025-03-05\nPublished: 2025-03-04\n\nBody.\n", "p.txt")
    assert both.date == "2025-03-04"


def test_a_date_without_a_year_is_not_a_publication_date() -> None:
    article = read_article_text("Headline\n\nWASHINGTON, March 14 (Reuters) - Talks resumed.\n", "n.txt")
    assert article.date is None


def test_crlf_and_cr_line_endings_count_lines_like_an_editor() -> None:
    for newline in ("\r\n", "\r"):
        text = newline.join(["Title", "", "Body text.", "", "Fans cheer. REUTERS/Susana Vera", ""])
        article = read_article_text(text, "n.txt")
        assert [(found.line, found.column) for found in article.captions] == [(5, 1)]


def test_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm"} <= ARTICLE_SUFFIXES
    assert ".jpg" not in ARTICLE_SUFFIXES


def test_credit_paragraph_after_a_blank_line_joins_a_caption_shaped_paragraph() -> None:
    text = (
        "Title\n\n"
        "A serviceman patrols the town of Sudzha, Kursk region, Russia, August 16, 2024.\n\n"
        "(credit: REUTERS/Jane Roe)\n\n"
        "Officials met again on Friday to discuss the proposal.\n\n"
        "(credit: REUTERS/Jane Roe)\n"
    )
    article = read_article_text(text, "a.txt")
    got = [(found.line, found.text) for found in article.captions]
    assert got == [
        (
            3,
            "A serviceman patrols the town of Sudzha, Kursk region, Russia, August 16, 2024. (credit: REUTERS/Jane Roe)",
        ),
        # body text without a date or place stays body text; the lone credit is a credit-only caption
        (9, "(credit: REUTERS/Jane Roe)"),
    ]
    assert [block.text for block in article.paragraphs] == [
        "Officials met again on Friday to discuss the proposal."
    ]


def test_a_caption_near_the_top_does_not_give_the_publication_date() -> None:
    article = read_article_text(
        "Headline\n\nMarch 3, 2025: Fans cheer in Madrid. REUTERS/Jane Roe\n", "t.txt"
    )
    assert article.date is None
    assert len(article.captions) == 1


def test_caption_label_is_not_part_of_the_caption() -> None:
    article = read_article_text("Title\n\nCaption: Fans cheer in Madrid. REUTERS/Jane Roe\n", "l.txt")
    assert [(found.line, found.column, found.text) for found in article.captions] == [
        (3, 10, "Fans cheer in Madrid. REUTERS/Jane Roe")
    ]
