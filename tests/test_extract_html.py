"""HTML articles: figures, alt text, caption elements, dates and broken markup."""

from __future__ import annotations

from mediameta.captions.extract import read_article_text

PAGE = """\
<!DOCTYPE html>
<html><head>
<title>Counting goes on - The Daily Example</title>
<meta property="og:title" content="Counting goes on">
<script>var caption = "<p>not a caption REUTERS/Nobody</p>";</script>
</head>
<body>
<nav><p>Home | World (Photo: Menu/AP)</p></nav>
<article>
<h1>Counting goes on through the night</h1>
<time datetime="2026-11-04T06:00:00-05:00">Nov. 4</time>
<p>Counting went on through the night, officials told Reuters.</p>
<figure>
  <img src="rally.jpg" alt="Supporters at a rally">
  <figcaption>Supporters cheer at a rally in Philadelphia, November 3, 2026.
    <span class="credit">REUTERS/Rachel Wisniewski</span></figcaption>
</figure>
<p>More body text &amp; detail.<br>On a second line.</p>
<img src="/img/count.jpg" alt="Workers count ballots. (AP Photo/Matt Rourke)">
<p><img data-src="lazy.jpg" src="data:image/gif;base64,R0lGOD">Fans wait outside. REUTERS/Jeenah Moon</p>
<div class="wp-caption"><img src="wp.jpg" alt=""><p class="wp-caption-text">&nbsp;A voter leaves the booth.</p></div>
<p>A crowd gathers, November 3, 2026.</p><p>(credit: REUTERS/Mike Segar)</p>
<noscript><img src="rally.jpg" alt="Supporters at a rally"></noscript>
<footer><p>© 2026 The Daily Example Inc.</p></footer>
</article>
</body></html>
"""


def test_captions_sources_refs_and_positions() -> None:
    article = read_article_text(PAGE, "page.html")
    got = [
        (found.source, found.line, found.column, found.image_ref, found.text) for found in article.captions
    ]
    assert got == [
        ("alt", 14, 29, "rally.jpg", "Supporters at a rally"),
        (
            "figcaption",
            15,
            15,
            "rally.jpg",
            "Supporters cheer at a rally in Philadelphia, November 3, 2026. REUTERS/Rachel Wisniewski",
        ),
        ("alt", 19, 32, "/img/count.jpg", "Workers count ballots. (AP Photo/Matt Rourke)"),
        ("paragraph", 20, 64, "lazy.jpg", "Fans wait outside. REUTERS/Jeenah Moon"),
        ("caption", 21, 83, "wp.jpg", "A voter leaves the booth."),
        ("paragraph", 22, 4, None, "A crowd gathers, November 3, 2026. (credit: REUTERS/Mike Segar)"),
    ]
    lines = PAGE.split("\n")
    for found in article.captions:
        assert lines[found.line - 1][found.column - 1] == found.text[0]
    figcaption = article.captions[1].caption
    assert figcaption.credit is not None and figcaption.credit.raw == "REUTERS/Rachel Wisniewski"


def test_title_date_and_paragraphs() -> None:
    article = read_article_text(PAGE, "page.html")
    assert article.title == "Counting goes on through the night"
    assert (article.date, article.date_source) == ("2026-11-04", "html-time")
    texts = [block.text for block in article.paragraphs]
    assert texts == [
        "Nov. 4",
        "Counting went on through the night, officials told Reuters.",
        "More body text & detail.",
        "On a second line.",
    ]
    assert (article.paragraphs[2].line, article.paragraphs[2].column) == (18, 4)


def test_meta_date_wins_over_time_and_jsonld_over_time() -> None:
    meta = '<meta property="article:published_time" content="2025-01-02T10:00:00Z"><time datetime="2025-03-04">x</time>'
    assert (read_article_text(meta, "a.html").date, read_article_text(meta, "a.html").date_source) == (
        "2025-01-02",
        "html-meta",
    )
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-02-03T09:00:00+01:00"}'
        '</script><time datetime="2025-03-04">x</time>'
    )
    article = read_article_text(jsonld, "b.html")
    assert (article.date, article.date_source) == ("2025-02-03", "html-jsonld")
    text_time = read_article_text("<p>Posted <time>March 5, 2025</time></p>", "c.html")
    assert text_time.date == "2025-03-05"


def test_title_falls_back_to_og_title_then_title() -> None:
    assert read_article_text('<meta property="og:title" content="OG">', "a.html").title == "OG"
    assert read_article_text("<title> Plain  title </title>", "a.html").title == "Plain title"


def test_broken_html_still_yields_captions() -> None:
    broken = (
        "<p>Body one\n<p>Body two\n<figure><img src=a.jpg alt='Fans cheer'><figcaption>Fans cheer. REUTERS/X Y"
        "\n<div><p>unclosed"
    )
    article = read_article_text(broken, "broken.html")
    assert article.errors == []
    sources = [(found.source, found.image_ref) for found in article.captions]
    assert ("figcaption", "a.jpg") in sources and ("alt", "a.jpg") in sources
    assert [block.text for block in article.paragraphs][:2] == ["Body one", "Body two"]


def test_nested_credit_without_spaces_is_separated() -> None:
    page = '<figure><img src="a.jpg"><figcaption>Fans cheer.<span class="credit">REUTERS/Jane Roe</span></figcaption></figure>'
    article = read_article_text(page, "a.html")
    assert article.captions[0].text == "Fans cheer. REUTERS/Jane Roe"


def test_figcaption_without_credit_is_still_a_caption() -> None:
    page = '<figure><img src="a.jpg" alt=""><figcaption>An empty podium.</figcaption></figure>'
    article = read_article_text(page, "a.html")
    assert [(found.source, found.text, found.caption.credit) for found in article.captions] == [
        ("figcaption", "An empty podium.", None)
    ]


WIDGETS = """\
<div class="page">
  <p>Most travellers expect fresh sheets every night.</p>
  <div class="widget-wrapper type-image">
    <div class="atom"><div class="image"><img src="https://example.org/bed.jpg" alt="bed.jpg"></div></div>
    <p class="widget-caption-wrapper"> Even grand hotels skip washing some blankets </p>
  </div>
  <div class="widget-wrapper type-video">
    <p class="widget-caption-wrapper">Video shows an infestation at a city hotel</p>
  </div>
  <div class="wp-caption alignnone"><img src="w.jpg" alt="W"><p class="wp-caption-text">Delegates arrive. Jane Roe/AFP</p></div>
  <div class="credit-caption"><div class="caption"><p>Protesters gather outside the ministry. <b class="toggle-caption">hide caption</b></p></div><span class="credit">John Doe/AP</span></div>
  <figure><img src="g.jpg"><figcaption>Enlarge this image</figcaption></figure>
</div>
"""


def test_caption_classes_containers_and_caption_ui() -> None:
    article = read_article_text(WIDGETS, "w.html")
    got = [(found.source, found.line, found.image_ref, found.text) for found in article.captions]
    assert got == [
        # a caption-classed element after a picture in the same container names it, credit or not
        ("caption", 5, "https://example.org/bed.jpg", "Even grand hotels skip washing some blankets"),
        # inside a caption-classed container that holds the picture, the inner caption is the caption
        ("caption", 10, "w.jpg", "Delegates arrive. Jane Roe/AFP"),
        # nested caption + credit elements are one caption; the toggle's text is not part of it;
        # w.jpg is already claimed, so this one names no picture
        ("caption", 11, None, "Protesters gather outside the ministry. John Doe/AP"),
    ]
    # an uncredited caption-classed element with no picture is body text ("Video shows …")
    assert "Video shows an infestation at a city hotel" in [block.text for block in article.paragraphs]
    lines = WIDGETS.split("\n")
    for found in article.captions:
        assert lines[found.line - 1][found.column - 1] == found.text[0]


def test_alt_text_that_is_a_file_name_is_not_a_caption() -> None:
    page = '<figure><img src="x/bandb2.jpg" alt="bandb2.jpg"><figcaption>Fresh sheets.</figcaption></figure>'
    assert [found.source for found in read_article_text(page, "a.html").captions] == ["figcaption"]
    markdown = "![IMG_0042.JPG](IMG_0042.JPG)\n*Fresh sheets.*\n"
    assert [found.source for found in read_article_text(markdown, "a.md").captions] == ["markdown-caption"]


def test_figure_text_outside_a_figcaption() -> None:
    page = (
        '<figure><img src="a.jpg" alt=""><div class="text">Fans cheer in Madrid.</div></figure>\n'
        '<figure><img src="b.jpg" alt=""><figcaption>Fans leave the stadium.</figcaption>'
        '<p class="credit">REUTERS/Jane Roe</p></figure>\n'
        '<figure><img src="c.jpg" alt=""><figcaption>Fans wait. REUTERS/Jane Roe</figcaption>'
        "<p>The final was played on Sunday.</p></figure>\n"
    )
    article = read_article_text(page, "f.html")
    got = [(found.source, found.line, found.image_ref, found.text) for found in article.captions]
    assert got == [
        # no figcaption: the figure's own text is the caption
        ("figure", 1, "a.jpg", "Fans cheer in Madrid."),
        # a credit next to a credit-less figcaption belongs to it
        ("figcaption", 2, "b.jpg", "Fans leave the stadium. REUTERS/Jane Roe"),
        ("figcaption", 3, "c.jpg", "Fans wait. REUTERS/Jane Roe"),
    ]
    # other text in a figure with a credited figcaption is body text
    assert [block.text for block in article.paragraphs] == ["The final was played on Sunday."]
    lines = page.split("\n")
    for found in article.captions:
        assert lines[found.line - 1][found.column - 1] == found.text[0]
