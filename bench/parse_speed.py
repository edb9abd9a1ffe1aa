"""Captions parsed per second on one core, against a baseline measured in the same run.

    .venv/bin/python bench/parse_speed.py [--seconds S]

Time is CPU time of this process. The workload is the labelled dev captions when ../shared/corpus is present, else a built-in set of
newsroom captions; it is cycled until the time budget is spent. The baseline is one precompiled
``re.search`` for a credit-ish pattern plus a ``str.split`` tokenisation over the same strings: the
cheapest pass any caption tool makes. The ratio says how many such passes one full parse costs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mediameta.captions.catalogue import default_catalogue, normalise_name  # noqa: E402
from mediameta.captions.gazetteer import place_key  # noqa: E402
from mediameta.captions.parse import parse_caption  # noqa: E402

BUILT_IN = [
    "US President Joe Biden speaks in Washington, U.S., March 3, 2025. (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)",
    "President Joe Biden walks to board Air Force One, Tuesday, Jan. 9, 2024, in Charleston, S.C. Evan Vucci/AP Photo",
    "WASHINGTON, DC - MARCH 03: Joe Biden speaks on March 03, 2025 in Washington, DC. (Photo by Kevin Dietsch/Getty Images)",
    "Bundeskanzler Olaf Scholz spricht am 3. März 2025 im Bundestag in Berlin. Foto: Michael Kappeler/dpa",
    "Supporters wave flags during a rally in Berlin, Germany, 14 May 2018. EPA-EFE/CLEMENS BILAN",
    "Demonstrators gather outside the Capitol on Tuesday. Haiyun Jiang for The New York Times",
    "Reuters reported on Monday that the company will cut 2,000 jobs.",
    "Andrew Harnik/Shutterstock",
]

_BASELINE = re.compile(r"(?:photo|credit|foto|bild)\s*:|/|\bvia\b", re.IGNORECASE)


def workload() -> list[str]:
    corpus = Path(os.environ.get("MEDIAMETA_CORPUS", REPO.parent / "shared" / "corpus"))
    path = corpus / "captions_dev.jsonl"
    if path.is_file():
        return [
            json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return BUILT_IN


def rate(
    function: Callable[[str], object],
    texts: list[str],
    seconds: float,
    before_pass: Callable[[], None] | None = None,
) -> float:
    """Captions per CPU-second of this process (``process_time``: other load on the machine does not count)."""
    count = 0
    spent = 0.0
    while spent < seconds:
        if before_pass is not None:
            before_pass()  # outside the timed region
        started = time.process_time()
        for text in texts:
            function(text)
        spent += time.process_time() - started
        count += len(texts)
    return count / spent


def cold_caches() -> None:
    """Forget memoised name keys so a cycled workload is not faster than distinct captions would be."""
    normalise_name.cache_clear()
    place_key.cache_clear()


def baseline(text: str) -> object:
    return _BASELINE.search(text), text.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time budget per measurement")
    args = parser.parse_args()
    texts = workload()
    catalogue = default_catalogue()
    parse_caption(texts[0], catalogue)  # warm: catalogue and regexes are loaded once, not per call
    base = rate(baseline, texts, args.seconds / 3)
    parsed = rate(lambda text: parse_caption(text, catalogue), texts, args.seconds, cold_caches)
    import mediameta.captions

    build = "compiled with mypyc (make compile)" if mediameta.captions.COMPILED else "pure Python"
    print(f"parser: {build}")
    print(f"workload: {len(texts)} captions, mean {sum(map(len, texts)) / len(texts):.0f} chars")
    print(f"baseline (re.search + str.split): {base:,.0f} captions/s")
    print(f"parse_caption:                     {parsed:,.0f} captions/s  (target 20,000/s)")
    print(f"ratio: parse_caption costs {base / parsed:.1f}x the baseline pass")
    return 0 if parsed >= 20_000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
