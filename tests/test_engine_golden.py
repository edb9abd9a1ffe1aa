"""Golden files for every ``mediameta check`` output format, byte for byte.

The newsroom is built in tmp_path (tests/engine_newsroom.py) and checked through the CLI with paths
relative to it, so the outputs hold no absolute paths and no timestamps. Only the MM5xx/MM6xx
(linking and duplication) rules are selected, and the SARIF rule table is limited to them, so the
goldens pin the engine's and the reporters' contracts, not other rule families' wording.
Regenerate after an intended change with ``MEDIAMETA_UPDATE_GOLDEN=1 pytest tests/test_engine_golden.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from engine_newsroom import build_newsroom

from mediameta.checks import registry
from mediameta.cli import main

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "txt", "json": "json", "junit": "xml", "sarif": "sarif", "github": "txt"}


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build_newsroom(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    everything = registry.all_rules()
    mine = {code: cls for code, cls in everything.items() if code.startswith(("MM5", "MM6"))}
    monkeypatch.setattr(registry, "all_rules", lambda: dict(mine))
    return tmp_path


def _check(fmt: str, tmp_path: Path, *extra: str) -> tuple[int, str]:
    out = tmp_path / f"report.{fmt}"
    code = main(["check", "newsroom", "--no-cache", "--jobs", "1", "--select", "MM5,MM6", "--format", fmt,
                 "--output", str(out), *extra])  # fmt: skip
    return code, out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_matches_golden(fmt: str, newsroom: Path) -> None:
    code, text = _check(fmt, newsroom)
    assert code == 1  # the newsroom has errors and warnings; fail-on defaults to warning
    golden = GOLDEN / f"check_{fmt}.{FORMATS[fmt]}"
    if os.environ.get("MEDIAMETA_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"missing {golden}; run with MEDIAMETA_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_every_planted_problem_is_in_the_text_report(newsroom: Path) -> None:
    _code, text = _check("text", newsroom)
    expected = [
        "newsroom/articles/wire.txt:4:1: MM501",
        "newsroom/articles/night.html:13:",  # MM502: second figure, same caption
        "newsroom/images/boats-copy.jpg:description: MM503",
        "newsroom/articles/night.html:17:",  # MM504: caption copied from the first paragraph
        "newsroom/articles/wire.txt:13:1: MM601",
        "newsroom/images/empty.jpg:description: MM602",
        "newsroom/articles/market.md:15:",  # MM603 podium.jpg missing
        "newsroom/articles/wire.txt:9:1: MM604",
    ]
    for fragment in expected:
        assert fragment in text, fragment


def test_exit_codes(newsroom: Path) -> None:
    assert _check("text", newsroom, "--fail-on", "error")[0] == 1
    assert _check("text", newsroom, "--exit-zero")[0] == 0
    assert main(["check", "newsroom", "--no-cache", "--select", "MM602", "--fail-on", "error"]) == 0
    assert main(["check", "no-such-folder"]) == 2
    assert main(["check", "newsroom", "--select", "MM5O"]) == 2  # unknown code: a usage error
