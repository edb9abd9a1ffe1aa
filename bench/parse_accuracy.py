"""Score the caption parser on the labelled dev captions with the corpus scorer.

    .venv/bin/python bench/parse_accuracy.py [--corpus DIR] [--misses N] [--json]

Prints per-field F1 (credit present, credit span, photographers, agencies, qualifiers, date,
city, country) against the targets, then the misses: id, fields, text, expected vs got.
Exits 1 when a target is missed, so CI can run it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mediameta.captions.parse import parse_caption  # noqa: E402
from mediameta.commands.parse import caption_json  # noqa: E402

TARGETS = {
    "credit": 0.97,
    "photographers": 0.93,
    "agencies": 0.93,
    "date": 0.95,
    "city": 0.85,
    "country": 0.85,
}


def load_scorer(corpus: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_captions", corpus / "score_captions.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer from {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(corpus: Path) -> tuple[dict[str, float], list[Any], float, int]:
    scorer = load_scorer(corpus)
    labels = [
        json.loads(line)
        for line in (corpus / "captions_dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    started = time.perf_counter()
    outputs = {label["id"]: caption_json(parse_caption(label["text"])) for label in labels}
    elapsed = time.perf_counter() - started
    misses: list[Any] = []
    scores = scorer.score(labels, outputs, misses)
    return scores, misses, elapsed, len(labels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("MEDIAMETA_CORPUS", REPO.parent / "shared" / "corpus"))
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--misses", type=int, default=1000, help="show at most N misses")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    args = parser.parse_args()
    if not (args.corpus / "captions_dev.jsonl").is_file():
        print(f"no captions_dev.jsonl in {args.corpus}", file=sys.stderr)
        return 2
    scores, misses, elapsed, count = run(args.corpus)
    if args.json:
        print(json.dumps(scores))
    else:
        print(f"{count} labelled captions parsed in {elapsed * 1000:.1f} ms")
        print(f"{'field':<14} {'F1':>6} {'target':>7}")
        for field, value in scores.items():
            target = TARGETS.get(field)
            mark = "" if target is None else ("  ok" if value >= target else "  MISS")
            print(f"{field:<14} {value:>6.3f} {target if target is not None else '':>7}{mark}")
        print(f"\n{len(misses)} captions with a wrong credit/photographer/agency/date field:")
        for identifier, fields, label, out in misses[: args.misses]:
            credit = out.get("credit") or {}
            print(f"\n- {identifier} {','.join(fields)}\n  text: {label['text'][:300]!r}")
            for field in fields:
                if field == "credit":
                    print(f"  credit: want {label.get('credit')!r} got {credit.get('raw')!r}")
                elif field == "date":
                    print(f"  date: want {label.get('date')!r} got {(out.get('date') or {}).get('iso')!r}")
                else:
                    print(
                        f"  {field}: want {label.get(field)!r} got {credit.get(field)!r}  (raw {credit.get('raw')!r})"
                    )
    return 0 if all(scores[f] >= t for f, t in TARGETS.items()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
