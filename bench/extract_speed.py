"""Article extraction time per 100 KB article, against a floor measured in the same run.

    .venv/bin/python bench/extract_speed.py [--repeat N] [--size KB]

Time is CPU time of this process. The workload is a generated news article (body paragraphs that
name agencies, captions with credits every few paragraphs, boilerplate) in plain text, Markdown and
HTML. The floor is the work no extractor can skip: ``parse_caption`` once on every paragraph (the
captions must be parsed and a paragraph cannot be ruled out without looking for its credit), plus,
for HTML, one pass of the standard library's ``HTMLParser`` with empty handlers. The ratio says what
the extractor (layout, caption-vs-body rules, positions) costs on top of that floor.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mediameta.captions.extract import read_article_text  # noqa: E402
from mediameta.captions.parse import parse_caption  # noqa: E402

BODY = [
    "Officials said the count would take until the weekend, local media reported on Tuesday evening.",
    "Putin said he would spare the troops if Kyiv called for them to surrender, TASS reported.",
    '"We are ready to sign," the minister told reporters after a two-hour meeting in the capital.',
    "Port operators said they had offered a 6% raise over two years, according to Reuters.",
]
CAPTIONS = [
    "Supporters cheer at a rally in Philadelphia, Pennsylvania, U.S., November 3, 2026. REUTERS/Rachel Wisniewski",
    "Election workers count ballots, November 3, 2026. (AP Photo/Matt Rourke)",
    "Volunteers clear mud in Paiporta, Spain, November 18, 2026. (photo credit: REUTERS/EVA MANEZ/FILE PHOTO)",
]


def paragraphs(size: int) -> list[str]:
    out: list[str] = []
    index = 0
    while sum(len(part) + 2 for part in out) < size:
        out.append(" ".join(BODY[(index + offset) % len(BODY)] for offset in range(3)))
        if index % 6 == 5:
            out.append(CAPTIONS[(index // 6) % len(CAPTIONS)])
        if index % 40 == 20:
            out.append("Subscribe to The Example Newsletter")
        index += 1
    return out


def documents(parts: list[str]) -> dict[str, str]:
    text = "Headline of the story\n\n" + "\n\n".join(parts) + "\n"
    markdown_parts = []
    html_parts = []
    for number, part in enumerate(parts):
        if part in CAPTIONS:
            markdown_parts.append(f"![A picture](images/{number}.jpg)\n*{part}*")
            html_parts.append(
                f'<figure>\n  <img src="images/{number}.jpg" alt="A picture">\n'
                f"  <figcaption>{part}</figcaption>\n</figure>"
            )
        else:
            markdown_parts.append(part)
            html_parts.append(f"<p>{part}</p>")
    markdown = "---\ntitle: Headline\ndate: 2026-11-04\n---\n\n" + "\n\n".join(markdown_parts) + "\n"
    html = (
        '<!DOCTYPE html>\n<html><head><title>Headline</title><meta property="article:published_time" '
        'content="2026-11-04T06:00:00Z"></head>\n<body><article>\n'
        + "\n".join(html_parts)
        + "\n</article></body></html>\n"
    )
    return {"text": text, "markdown": markdown, "html": html}


class _Silent(HTMLParser):
    pass


def cpu_ms(function: Callable[[], object], repeat: int) -> float:
    """Best CPU milliseconds of ``repeat`` runs (other load on the machine does not count)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--size", type=int, default=100, help="article size in KB (default 100)")
    args = options.parse_args()
    parts = paragraphs(args.size * 1000)
    docs = documents(parts)

    def floor_parse() -> None:
        for part in parts:
            parse_caption(part)

    def floor_html() -> None:
        parser = _Silent(convert_charrefs=True)
        parser.feed(docs["html"])
        parser.close()

    parse_ms = cpu_ms(floor_parse, args.repeat)
    html_ms = cpu_ms(floor_html, args.repeat)
    print(f"article: {len(parts)} paragraphs, {sum(part in CAPTIONS for part in parts)} captions")
    print(f"floor: parse_caption on every paragraph {parse_ms:.1f} ms; bare HTMLParser pass {html_ms:.1f} ms")
    for fmt, source in docs.items():
        article = read_article_text(source, f"bench.{fmt}", fmt)  # type: ignore[arg-type]
        floor = parse_ms + (html_ms if fmt == "html" else 0.0)
        spent = cpu_ms(
            lambda fmt=fmt, source=source: read_article_text(source, f"bench.{fmt}", fmt), args.repeat
        )  # type: ignore[misc]
        print(
            f"{fmt:8s} {len(source) / 1000:6.1f} KB  {spent:6.1f} ms CPU  = {spent / floor:4.2f}x floor  "
            f"({len(article.captions)} captions, {len(article.paragraphs)} paragraphs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
