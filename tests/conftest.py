"""Shared fixtures. The reference corpus lives in ../shared/corpus (CI has it; users don't)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("MEDIAMETA_CORPUS", REPO.parent / "shared" / "corpus"))
SEED_ARTICLE = CORPUS.parent / "seed" / "jpost-article.txt"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The reference corpus folder; the test is skipped when it is absent (a user's machine)."""
    if not (CORPUS / "images_truth.jsonl").is_file():
        pytest.skip(f"reference corpus not found at {CORPUS} (set MEDIAMETA_CORPUS); CI has it")
    return CORPUS


@pytest.fixture(scope="session")
def seed_article() -> Path:
    if not SEED_ARTICLE.is_file():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}")
    return SEED_ARTICLE
