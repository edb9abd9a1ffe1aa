"""How fast is ``mediameta check``? End to end on a generated newsroom, and the near-duplicate index.

    python bench/check_speed.py                      # 10,000 images + 1,000 articles, 100,000 captions
    python bench/check_speed.py --images 2000 --articles 200 --captions 20000   # a quick look

1. Newsroom (``bench/make_newsroom.py``; generated once into ``--dir`` and reused): pictures are small
   (0.05 MP by default: a check reads metadata and hashes the EXIF thumbnail, it never decodes the
   full picture, so pixel count barely matters) with unique pixels and full wire metadata.
   Measured in one process, one core (``jobs=1``):
   * baseline: the bare scan of the same pictures (read every file's metadata, no cache);
   * cold check: empty cache — discover, read, parse articles, hash, link, every rule;
   * warm check: the same again, answered from the cache.
   Targets: cold <= 20 s, warm <= 3 s.
2. Near duplicates: ``--captions`` generated caption bodies (5 % planted exact/near copies) through the
   MinHash-LSH index (target <= 10 s for 100,000), and recall on a ``--subset`` against the exhaustive
   comparison (every pair, rapidfuzz cdist) in the same run (target >= 0.99).

Prints ratios against the baselines measured in the same run; ``--record`` appends the figures to
bench/RESULTS.md (section "check_speed").
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from make_newsroom import make_captions, make_newsroom  # noqa: E402

from mediameta.catalog import Catalog  # noqa: E402
from mediameta.checks.engine import run_check  # noqa: E402
from mediameta.config import Config  # noqa: E402
from mediameta.dedup import near_duplicate_pairs  # noqa: E402
from mediameta.media.scan import scan  # noqa: E402

SECTION = "## check_speed"


def _newsroom(folder: Path, images: int, articles: int, megapixels: float) -> Path:
    marker = folder / ".complete"
    if not marker.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        print(f"generating {images} images + {articles} articles in {folder} ...", flush=True)
        make_newsroom(folder, images=images, articles=articles, megapixels=megapixels)
        marker.write_text("ok\n", encoding="utf-8")
        print(f"  generated in {time.perf_counter() - started:.1f} s (reused on the next run)", flush=True)
    return folder


class Stages:
    """Wall time from one stage's first progress call to the next stage's."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        self.marks.setdefault(stage, time.perf_counter())

    def durations(self, end: float) -> dict[str, float]:
        names = list(self.marks)
        times = [self.marks[name] for name in names] + [end]
        return {name: times[i + 1] - times[i] for i, name in enumerate(names)}


def _check(folder: Path, jobs: int) -> tuple[float, dict[str, float], int]:
    stages = Stages()
    with Catalog.open(root=folder) as catalog:
        started = time.perf_counter()
        run = run_check([folder], Config(), jobs=jobs, cache=catalog, progress=stages)
        end = time.perf_counter()
    return end - started, stages.durations(end), len(run.report.findings)


def bench_newsroom(args: argparse.Namespace) -> list[str]:
    folder = _newsroom(args.dir, args.images, args.articles, args.megapixels)
    shutil.rmtree(folder / ".mediameta", ignore_errors=True)
    started = time.perf_counter()
    scanned = sum(1 for _ in scan([folder / "images"], jobs=1, cache=None))
    bare = time.perf_counter() - started
    cold, cold_stages, findings = _check(folder, args.jobs)
    warm, warm_stages, warm_findings = _check(folder, args.jobs)
    assert warm_findings == findings, "a warm run must report what the cold run did"
    lines = [
        f"newsroom: {scanned} images ({args.megapixels} MP), {args.articles} articles, jobs={args.jobs}",
        f"  baseline bare scan (metadata only, no cache): {bare:.2f} s",
        f"  cold check: {cold:.2f} s  ({cold / bare:.1f}x the bare scan; target <= 20 s)  "
        + ", ".join(f"{k} {v:.2f}" for k, v in cold_stages.items()),
        f"  warm check: {warm:.2f} s  ({warm / bare:.2f}x the bare scan, {cold / warm:.1f}x faster than cold; "
        f"target <= 3 s)  " + ", ".join(f"{k} {v:.2f}" for k, v in warm_stages.items()),
        f"  findings: {findings}",
    ]
    return lines


def bench_near_duplicates(args: argparse.Namespace) -> list[str]:
    captions = make_captions(args.captions, seed=1)
    started = time.perf_counter()
    pairs = near_duplicate_pairs(captions, 0.9)
    indexed_time = time.perf_counter() - started
    subset = captions[: args.subset]
    started = time.perf_counter()
    indexed = {(a, b) for a, b, _ in near_duplicate_pairs(subset, 0.9)}
    subset_indexed = time.perf_counter() - started
    started = time.perf_counter()
    exhaustive = {(a, b) for a, b, _ in near_duplicate_pairs(subset, 0.9, exhaustive=True)}
    subset_exhaustive = time.perf_counter() - started
    recall = len(indexed & exhaustive) / len(exhaustive) if exhaustive else 1.0
    estimated_all = subset_exhaustive * (len(captions) / len(subset)) ** 2
    return [
        f"near duplicates (threshold 0.9): {len(captions)} captions in {indexed_time:.2f} s "
        f"({len(pairs)} pairs; target <= 10 s)",
        f"  subset {len(subset)}: index {subset_indexed:.2f} s vs exhaustive {subset_exhaustive:.2f} s "
        f"({subset_exhaustive / subset_indexed:.0f}x); recall {recall:.4f} "
        f"({len(indexed & exhaustive)}/{len(exhaustive)} pairs; target >= 0.99); "
        f"{len(indexed - exhaustive)} false pairs",
        f"  exhaustive on all {len(captions)} would take ~{estimated_all:.0f} s "
        f"(~{estimated_all / indexed_time:.0f}x the index)",
    ]


def _record(lines: list[str]) -> None:
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.is_file() else "# Benchmark results\n"
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs (shared), Python {platform.python_version()}"
    body = (
        f"{SECTION}\n\n`python bench/check_speed.py` ({time.strftime('%Y-%m-%d')}, {machine}):\n\n```\n"
        + "\n".join(lines)
        + "\n```\n"
    )
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    results.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--megapixels", type=float, default=0.05)
    parser.add_argument("--captions", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=5_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="where the newsroom is generated and reused")
    parser.add_argument("--skip-newsroom", action="store_true")
    parser.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    if args.dir is None:
        args.dir = Path(tempfile.gettempdir()) / "mediameta-bench" / f"newsroom-{args.images}-{args.articles}"
    lines: list[str] = []
    if not args.skip_newsroom:
        lines += bench_newsroom(args)
        print("\n".join(lines), flush=True)
    near = bench_near_duplicates(args)
    print("\n".join(near), flush=True)
    lines += near
    if args.record:
        _record(lines)


if __name__ == "__main__":
    main()
