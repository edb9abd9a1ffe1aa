"""MM101 camera-default-caption's auto-fix: the article caption it proposes as the embedded caption
must itself be a caption the MM1xx rules accept, never the picture's alt text or anything shorter
than MM104 short-caption's ``min-words``. With nothing fit to propose, the fix only clears the
camera's text."""

from __future__ import annotations

import pytest

from mediameta.checks.examples import run_example
from mediameta.checks.registry import Example
from mediameta.checks.rules.caption_text import CameraDefaultCaption, ShortCaption

CAPTION = "Shoppers buy vegetables at the Mahane Yehuda market in Jerusalem, November 21, 2026. REUTERS/Ronen Zvulun"


def _fix(article: str, options: dict[str, object] | None = None) -> dict[str, object]:
    example = Example(
        "camera default under a captioned picture",
        fails=True,
        articles={"stories/market.md": article},
        images={"images/IMG_1234.jpg": {"description": "IMG_1234"}},
        config={"rules": {"MM104": options}} if options else {},
    )
    (finding,) = run_example(CameraDefaultCaption, example)
    assert finding.fix is not None
    return dict(finding.fix.changes)


def test_the_fix_proposes_the_caption_not_the_alt_text_before_it() -> None:
    article = f"# Market\n\nShoppers crowded the market.\n\n![Market](../images/IMG_1234.jpg)\n*{CAPTION}*\n"
    assert _fix(article) == {"description": CAPTION}


@pytest.mark.parametrize("short", ["Market", "The market.", "Market day. REUTERS/Ronen Zvulun"])
def test_a_caption_below_min_words_is_never_proposed(short: str) -> None:
    article = f"# Market\n\n![](../images/IMG_1234.jpg)\n*{short}*\n"
    changes = _fix(article)
    assert changes == {"description": ""}  # clear the camera's text; nothing short put in its place
    # and the proposal respects a newsroom's own minimum
    assert _fix(article, {"min-words": 1}) == {"description": short}


def test_a_proposed_caption_passes_short_caption() -> None:
    article = f"# Market\n\n![Market](../images/IMG_1234.jpg)\n*{CAPTION}*\n"
    proposed = _fix(article)["description"]
    assert isinstance(proposed, str)
    passing = Example(
        "the fixed picture", fails=False, images={"images/IMG_1234.jpg": {"description": proposed}}
    )
    assert run_example(ShortCaption, passing) == []
