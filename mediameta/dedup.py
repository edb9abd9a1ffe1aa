"""Find the same caption twice and the same picture twice, at newsroom scale.

Two indexes, both built so that the work grows with the number of items, not with its square:

* **Captions** — :func:`near_duplicate_pairs`. Texts are normalised (:func:`normalise_text`);
  identical normalised texts are grouped first (a dict), and one representative per group goes into a
  MinHash-LSH index on word bigrams (word unigrams for one-word texts). Pairs that share an LSH bucket
  are verified with rapidfuzz's normalised Indel similarity (``fuzz.ratio``), so every pair reported
  really is at or above the threshold; the index only decides which pairs are compared. With the
  default 32 bands x 4 rows a pair whose bigram Jaccard similarity is 0.6 is compared with probability
  0.99 (``bench/check_speed.py`` measures recall against the exhaustive comparison).
* **Pictures** — :func:`image_hash` computes a 64-bit DCT perceptual hash (imagehash's phash algorithm) from the
  EXIF thumbnail when the file carries one (a wire JPEG always does; decoding it costs a fraction of a
  millisecond), else from the image decoded at reduced size (JPEG ``draft``). :func:`similar_hash_pairs`
  finds hashes within a Hamming distance with multi-index hashing (split the 64 bits into ``k + 1``
  bands: two hashes within distance ``k`` agree exactly on at least one band).

The one caveat of the thumbnail shortcut: a file whose thumbnail is stale (the picture was cropped
and the thumbnail not regenerated) is hashed by its thumbnail.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import struct
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

if TYPE_CHECKING:
    from PIL import Image

_WORD = re.compile(r"\w+")

# MinHash-LSH shape: BANDS * ROWS hash functions. P(compared) = 1 - (1 - J**ROWS) ** BANDS.
BANDS = 32
ROWS = 4
COMMON_FRACTION = 0.002  # shingles in more texts than this are ignored by the index ...
COMMON_MIN = 50  # ... unless they occur in at most this many texts
MIN_KEPT = 3
_SEED = 0x6D656469  # "medi": fixed, so the same input always gives the same candidates

# Perceptual hash: distance at or below which two files are taken for the same picture.
DEFAULT_MAX_HASH_DISTANCE = 4
HASH_VERSION = 1  # bump when image_hash changes: cached hashes are then recomputed
_HEAD_BYTES = 128 * 1024  # APP0 + the EXIF APP1 segment (at most 64 KiB) with its thumbnail


# --------------------------------------------------------------------------- text


def normalise_text(text: str) -> str:
    """Casefolded words joined by single spaces: punctuation, case and spacing don't count."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def similarity(first: str, second: str) -> float:
    """Similarity in [0, 1] of two texts after :func:`normalise_text` (rapidfuzz normalised Indel)."""
    return float(fuzz.ratio(normalise_text(first), normalise_text(second))) / 100.0


Flat = np.ndarray[tuple[int], np.dtype[np.uint64]]


def _shingles(normalised: Sequence[str]) -> tuple[Flat, np.ndarray[tuple[int], np.dtype[np.int64]]]:
    """Every text's distinct word bigrams (one-word texts: the word) as integer ids, concatenated, and
    the number per text. Vocabulary ids are < 2**31, so a bigram id is the pair packed in one integer."""
    vocabulary: dict[str, int] = {}
    flat: list[int] = []
    lengths: list[int] = []
    for text in normalised:
        ids = [vocabulary.setdefault(word, len(vocabulary)) for word in text.split()]
        values = (
            {(first << 31) | second for first, second in itertools.pairwise(ids)}
            if len(ids) > 1
            else set(ids)
        )
        flat.extend(values)
        lengths.append(len(values))
    return np.fromiter(flat, dtype=np.uint64, count=len(flat)), np.array(lengths, dtype=np.int64)


def _drop_common(
    flat: Flat, lengths: np.ndarray[tuple[int], np.dtype[np.int64]]
) -> tuple[Flat, np.ndarray[tuple[int], np.dtype[np.int64]]]:
    """Drop shingles found in more than ``COMMON_FRACTION`` of the texts (boilerplate such as "news
    conference" makes unrelated captions collide in LSH buckets); a text keeps at least its
    ``MIN_KEPT`` rarest shingles so that it still has a signature."""
    _values, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    frequency = counts[inverse]
    limit = max(COMMON_MIN, int(len(lengths) * COMMON_FRACTION))
    keep = frequency <= limit
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    kept_per_text = np.add.reduceat(keep.astype(np.int64), starts)
    for text in np.flatnonzero(kept_per_text < np.minimum(lengths, MIN_KEPT)):
        begin, end = int(starts[text]), int(starts[text] + lengths[text])
        rarest = np.lexsort((flat[begin:end], frequency[begin:end]))[:MIN_KEPT]
        keep[begin + rarest] = True
    kept_lengths = np.add.reduceat(keep.astype(np.int64), starts)
    return flat[keep], kept_lengths


def _minhash_signatures(
    flat: Flat, lengths: np.ndarray[tuple[int], np.dtype[np.int64]]
) -> np.ndarray[tuple[int, int], np.dtype[np.uint64]]:
    """One row of BANDS*ROWS min-hashes per text (multiply-shift hashing, fixed seed)."""
    count = BANDS * ROWS
    rng = np.random.default_rng(_SEED)
    multipliers = rng.integers(1, 2**63, size=count, dtype=np.uint64) | np.uint64(1)
    offsets = rng.integers(0, 2**63, size=count, dtype=np.uint64)
    starts = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    signatures = np.empty((len(lengths), count), dtype=np.uint64)
    chunk = 1 << 16  # shingles per step: bounds the temporary (count x chunk) matrix
    # Process whole texts per step so reduceat sees complete segments (every text has >= 1 shingle).
    text_index = 0
    while text_index < len(lengths):
        end_index = text_index
        total = 0
        while end_index < len(lengths) and (total == 0 or total + lengths[end_index] <= chunk):
            total += int(lengths[end_index])
            end_index += 1
        begin = int(starts[text_index])
        values = flat[begin : begin + total]
        with np.errstate(over="ignore"):
            hashed = (multipliers[:, None] * values[None, :] + offsets[:, None]) >> np.uint64(32)
        local_starts = starts[text_index:end_index] - begin
        signatures[text_index:end_index] = np.minimum.reduceat(hashed, local_starts, axis=1).T
        text_index = end_index
    return signatures


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64
)


def _candidate_pairs(normalised: Sequence[str]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share at least one LSH bucket."""
    if len(normalised) < 2:
        return set()
    flat, lengths = _drop_common(*_shingles(normalised))
    signatures = _minhash_signatures(flat, lengths)
    found: list[np.ndarray[tuple[int], np.dtype[np.int64]]] = []
    size = np.int64(len(normalised))
    for band in range(BANDS):
        block = signatures[:, band * ROWS : (band + 1) * ROWS]
        with np.errstate(over="ignore"):
            keys = np.bitwise_xor.reduce(block * _MIX[:ROWS], axis=1)  # one 64-bit key per band row
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        equal = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])  # i: item i and i+1 share a bucket
        if not len(equal):
            continue
        first, second = order[equal], order[equal + 1]
        found.append(np.minimum(first, second) * size + np.maximum(first, second))
        # buckets of three or more: the adjacent pairs above miss (a, c) in (a, b, c)
        run_starts = equal[np.r_[True, equal[1:] != equal[:-1] + 1]]
        run_ends = equal[np.r_[equal[1:] != equal[:-1] + 1, True]] + 1
        sizes = run_ends - run_starts + 1  # members per bucket
        for members_count in np.unique(sizes[sizes >= 3]):
            chosen = run_starts[sizes == members_count]
            members = np.sort(order[chosen[:, None] + np.arange(members_count)], axis=1)
            left, right = np.triu_indices(int(members_count), k=2)
            found.append((members[:, left] * size + members[:, right]).ravel())
    if not found:
        return set()
    codes = np.unique(np.concatenate(found))
    return {(int(code // size), int(code % size)) for code in codes}


def _exhaustive_candidates(distinct: Sequence[str], cutoff: float) -> list[tuple[int, int]]:
    """Every pair at or above ``cutoff`` by brute force (rapidfuzz ``cdist``, in row blocks)."""
    from rapidfuzz import process

    found: list[tuple[int, int]] = []
    block = 512
    for start in range(0, len(distinct), block):
        scores = process.cdist(
            distinct[start : start + block],
            distinct[start:],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            workers=1,
        )
        for row, column in zip(*np.nonzero(scores), strict=True):
            first, second = start + int(row), start + int(column)
            if first < second:
                found.append((first, second))
    return found


def near_duplicate_pairs(
    texts: Sequence[str], threshold: float, *, exhaustive: bool = False
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)`` of texts at or above ``threshold`` (0..1), ``i < j``.

    Identical texts (after normalisation) are reported as a star: the first of each group paired with
    each of the others, similarity 1.0 — never all n² pairs. Empty texts are never duplicates.
    ``exhaustive=True`` compares every pair of distinct texts (the reference the index is measured
    against; quadratic — for tests and the benchmark only).
    """
    normalised = [normalise_text(text) for text in texts]
    groups: dict[str, list[int]] = {}
    for index, text in enumerate(normalised):
        if text:
            groups.setdefault(text, []).append(index)
    result: list[tuple[int, int, float]] = []
    representatives: list[int] = []
    for members in groups.values():
        representatives.append(members[0])
        result.extend((members[0], other, 1.0) for other in members[1:])
    distinct = [normalised[i] for i in representatives]
    cutoff = threshold * 100.0
    if exhaustive:
        candidates: Iterable[tuple[int, int]] = _exhaustive_candidates(distinct, cutoff)
    else:
        candidates = sorted(_candidate_pairs(distinct))
    for a, b in candidates:
        first, second = distinct[a], distinct[b]
        if 200.0 * min(len(first), len(second)) / (len(first) + len(second)) < cutoff:
            continue  # the length difference alone keeps the ratio below the threshold
        score = fuzz.ratio(first, second, score_cutoff=cutoff)
        if score:
            i, j = representatives[a], representatives[b]
            result.append((min(i, j), max(i, j), round(score / 100.0, 4)))
    result.sort()
    return result


def clusters(count: int, pairs: Iterable[tuple[int, int, float]]) -> list[list[int]]:
    """Connected groups (size >= 2) of indexes joined by ``pairs``, each sorted, in order of first member."""
    parent = list(range(count))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for first, second, _score in pairs:
        root_a, root_b = find(first), find(second)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(count):
        groups[find(index)].append(index)
    return sorted((members for members in groups.values() if len(members) > 1), key=lambda m: m[0])


# --------------------------------------------------------------------------- pictures


def _exif_thumbnail(head: bytes) -> bytes | None:
    """The JPEG thumbnail in IFD1 of a JPEG's EXIF segment, or None. Bounds-checked throughout."""
    if not head.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(head):
        if head[pos] != 0xFF:
            return None
        marker = head[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end: no more metadata
            return None
        (length,) = struct.unpack(">H", head[pos + 2 : pos + 4])
        segment = head[pos + 4 : pos + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\x00\x00"):
            return _thumbnail_from_tiff(segment[6:])
        pos += 2 + length
    return None


def _thumbnail_from_tiff(tiff: bytes) -> bytes | None:
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    endian = "<" if tiff[:2] == b"II" else ">"
    (ifd0,) = struct.unpack(endian + "I", tiff[4:8])
    if ifd0 + 2 > len(tiff):
        return None
    (entries,) = struct.unpack(endian + "H", tiff[ifd0 : ifd0 + 2])
    next_pos = ifd0 + 2 + 12 * entries
    if next_pos + 4 > len(tiff):
        return None
    (ifd1,) = struct.unpack(endian + "I", tiff[next_pos : next_pos + 4])
    if ifd1 == 0 or ifd1 + 2 > len(tiff):
        return None
    (entries,) = struct.unpack(endian + "H", tiff[ifd1 : ifd1 + 2])
    offset = length = None
    for index in range(entries):
        entry = ifd1 + 2 + 12 * index
        if entry + 12 > len(tiff):
            return None
        tag, _type, _count, value = struct.unpack(endian + "HHII", tiff[entry : entry + 12])
        if tag == 0x0201:
            offset = value
        elif tag == 0x0202:
            length = value
    if offset is None or not length or offset + length > len(tiff):
        return None
    thumbnail = tiff[offset : offset + length]
    return thumbnail if thumbnail.startswith(b"\xff\xd8") else None


# The 8 lowest-frequency rows of the 32-point DCT-II basis: low = B @ pixels @ B.T is the 8x8 corner
# of the 2-D DCT that imagehash computes with two full scipy DCTs (same bits, a fraction of the work).
_DCT_BASIS = np.cos(np.pi * np.outer(np.arange(8), 2 * np.arange(32) + 1) / 64)


def _phash(image: Image.Image) -> str:
    """64-bit DCT perceptual hash, the algorithm of ``imagehash.phash``: grey 32x32, 2-D DCT, the 8x8
    lowest frequencies compared with their median. Resized with BOX after a JPEG ``draft`` (reduced-size
    decoding), which is several times faster than imagehash's LANCZOS on the full thumbnail."""
    from PIL import Image

    if image.format == "JPEG":
        image.draft("L", (64, 64))
    grey = np.asarray(image.convert("L").resize((32, 32), Image.Resampling.BOX), dtype=np.float64)
    low = _DCT_BASIS @ grey @ _DCT_BASIS.T
    bits = np.packbits((low > np.median(low)).ravel())
    return bits.tobytes().hex()


@functools.cache
def _quiet_pillow() -> None:
    """Pillow warns (UserWarning on stderr) about the damage it skips while decoding; a check
    reports damage as findings, so those lines are only noise in a CI log."""
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")


def image_hash(path: Path) -> str | None:
    """Perceptual hash (16 hex digits) of a picture, or None when it cannot be decoded. Never raises."""
    from PIL import Image

    _quiet_pillow()
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
        thumbnail = _exif_thumbnail(head)
        if thumbnail is not None:
            if not thumbnail.endswith(b"\xff\xd9"):
                thumbnail += b"\xff\xd9"  # some writers cut the end-of-image marker off the thumbnail
            try:
                with Image.open(io.BytesIO(thumbnail)) as image:
                    return _phash(image)
            except Exception:  # a damaged thumbnail: fall back to the picture itself
                pass
        with Image.open(path) as image:
            return _phash(image)
    except Exception:  # damaged, truncated, unsupported, decompression bomb: no hash
        return None


def hash_distance(first: str, second: str) -> int:
    return (int(first, 16) ^ int(second, 16)).bit_count()


def similar_hash_pairs(
    hashes: Mapping[str, str], max_distance: int = DEFAULT_MAX_HASH_DISTANCE
) -> list[tuple[str, str, int]]:
    """Pairs ``(path_a, path_b, distance)`` (``path_a < path_b``) of hashes within ``max_distance`` bits."""
    items = sorted((path, int(value, 16)) for path, value in hashes.items())
    bands = max_distance + 1
    widths = [64 // bands + (1 if i < 64 % bands else 0) for i in range(bands)]
    found: dict[tuple[int, int], int] = {}
    shift = 0
    for width in widths:
        mask = (1 << width) - 1
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, (_path, value) in enumerate(items):
            buckets[(value >> shift) & mask].append(index)
        for members in buckets.values():
            for a_pos, first in enumerate(members):
                for second in members[a_pos + 1 :]:
                    if (first, second) not in found:
                        distance = (items[first][1] ^ items[second][1]).bit_count()
                        if distance <= max_distance:
                            found[(first, second)] = distance
        shift += width
    return sorted((items[a][0], items[b][0], distance) for (a, b), distance in found.items())


HashLookup = Callable[[Path], str | None]


def hash_images(paths: Iterable[Path], lookup: HashLookup = image_hash) -> dict[str, str]:
    """``str(path) -> hash`` for each path that could be hashed (``lookup`` may be a caching wrapper)."""
    result: dict[str, str] = {}
    for path in paths:
        value = lookup(path)
        if value is not None:
            result[str(path)] = value
    return result
