"""Hostile input to the linking and duplicate indexes: never an exception, results always valid."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediameta.dedup import _exif_thumbnail, near_duplicate_pairs, similar_hash_pairs
from mediameta.link import read_manifest, read_sidecar, resolve_ref

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["captions.csv", "manifest.json", "IMG_1.txt", "IMG_1.json"]))
def test_caption_files_never_raise(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    article = (
        read_manifest(path) if name.startswith(("captions", "manifest")) else read_sidecar(path, "IMG_1.jpg")
    )
    for occurrence in article.captions:
        assert occurrence.line >= 1 and occurrence.column >= 1 and occurrence.text


@SETTINGS
@given(st.text(max_size=80), st.text(max_size=80))
def test_resolve_ref_never_raises(article: str, ref: str) -> None:
    resolved = resolve_ref(article or "a.md", ref)
    assert resolved is None or isinstance(resolved, str)


@SETTINGS
@given(st.lists(st.text(max_size=60), max_size=25), st.floats(min_value=0.5, max_value=1.0))
def test_near_duplicate_pairs_are_valid(texts: list[str], threshold: float) -> None:
    for first, second, score in near_duplicate_pairs(texts, threshold):
        assert 0 <= first < second < len(texts)
        assert threshold <= score <= 1.0


@SETTINGS
@given(st.binary(max_size=300))
def test_thumbnail_parser_never_raises_on_garbage(data: bytes) -> None:
    for head in (data, b"\xff\xd8\xff\xe1\x00\x40Exif\x00\x00" + data):
        thumbnail = _exif_thumbnail(head)
        assert thumbnail is None or thumbnail.startswith(b"\xff\xd8")


@SETTINGS
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=5), st.integers(0, 2**64 - 1).map(lambda v: f"{v:016x}"), max_size=30
    )
)
def test_similar_hash_pairs_are_ordered_and_within_distance(hashes: dict[str, str]) -> None:
    for first, second, distance in similar_hash_pairs(hashes, 6):
        assert first < second and 0 <= distance <= 6
