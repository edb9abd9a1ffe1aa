"""Golden files: what the extractor reads from three versions of one story (text, Markdown, HTML).

The golden JSON holds the extractor's own output (title, date, caption positions, sources, image
references, texts, body paragraphs), not the parsed credit/date/place, so parser improvements do
not churn it. Regenerate after an intended change with ``MEDIAMETA_UPDATE_GOLDEN=1 pytest
tests/test_extract_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mediameta.captions.extract import read_article

DATA = Path(__file__).parent / "data" / "extract"
ARTICLES = sorted(
    path for path in DATA.iterdir() if path.name.startswith("wire-story.") and path.suffix != ".json"
)


def extracted(path: Path) -> str:
    article = read_article(path)
    view = {
        "format": article.format,
        "title": article.title,
        "date": article.date,
        "date_source": article.date_source,
        "errors": article.errors,
        "captions": [
            {
                "line": found.line,
                "column": found.column,
                "source": found.source,
                "image_ref": found.image_ref,
                "text": found.text,
            }
            for found in article.captions
        ],
        "paragraphs": [[block.line, block.column, block.text] for block in article.paragraphs],
    }
    return json.dumps(view, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", ARTICLES, ids=[path.name for path in ARTICLES])
def test_golden(path: Path) -> None:
    golden = path.with_name(path.name + ".json")
    output = extracted(path)
    if os.environ.get("MEDIAMETA_UPDATE_GOLDEN") == "1":
        golden.write_text(output, encoding="utf-8")
    assert golden.is_file(), f"missing golden file {golden}; run with MEDIAMETA_UPDATE_GOLDEN=1"
    assert output == golden.read_text(encoding="utf-8")


def test_three_formats_agree_on_the_story() -> None:
    """The same story in three formats: same title, date and credited captions."""
    by_format = {path.suffix: read_article(path) for path in ARTICLES}
    assert {article.title for article in by_format.values()} == {
        "Floodwaters recede as volunteers clear the streets"
    }
    assert {article.date for article in by_format.values()} == {"2026-11-20"}
    for article in by_format.values():
        credited = [found for found in article.captions if found.caption.credit is not None]
        assert len(credited) >= 3, article.path
