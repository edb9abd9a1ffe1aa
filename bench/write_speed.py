"""How fast does the writer put a caption + credit edit into wire photos, against exiftool?

    python bench/write_speed.py                  # 300 generated 6 MP wire JPEGs
    python bench/write_speed.py --files 100 --record   # also write the numbers into bench/RESULTS.md

Both contenders get their own copy of the same generated folder (bench/fixtures.py: 6 MP JPEGs with
EXIF + thumbnail, IPTC and XMP of wire size) and make the same edit to every file:

- mediameta: ``write_metadata(path, {"description": ..., "credit_line": ...})`` file after file in
  one process, durable and with ``durable=False``, and ``write_many`` (what ``mediameta write``,
  ``apply`` and ``fix`` use: four files' disk work overlapping), each of which writes XMP dc:description + photoshop:Credit,
  IIM Caption-Abstract + Credit (+ the IPTC digest) and EXIF ImageDescription, verifies the image
  data, and replaces each file atomically with an fsync;
- exiftool: ONE invocation over all files (its fastest mode: start-up paid once),
  ``exiftool -overwrite_original -Caption-Abstract=.. -XMP-dc:Description=.. -Credit=.. FILES``
  (no fsync; it renames a temp file over each original too).

The page cache is warm for both (the files were just written). Target (issue 6): >= 5x exiftool.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from fixtures import make_wire_jpegs  # noqa: E402

from mediameta.media.write import WriteOptions, write_many, write_metadata  # noqa: E402

RESULTS = HERE / "RESULTS.md"
SECTION = "## write_speed"
CAPTION = (
    "Palestinians walk past the Damascus Gate in Jerusalem's Old City, March 5, 2024. "
    "REUTERS/Ammar Awad/File Photo"
)
CREDIT = "REUTERS/Ammar Awad"


def run_mediameta(files: list[Path], caption: str, *, durable: bool) -> float:
    options = WriteOptions(durable=durable)
    start = time.perf_counter()
    for path in files:
        result = write_metadata(path, {"description": caption, "credit_line": CREDIT}, config=options)
        if not result.changes:
            raise SystemExit(f"{path}: nothing changed: the benchmark edit must change every file")
    return time.perf_counter() - start


def run_mediameta_many(files: list[Path], caption: str, workers: int) -> float:
    start = time.perf_counter()
    for path, outcome in write_many(
        [(path, {"description": caption, "credit_line": CREDIT}) for path in files], workers=workers
    ):
        if isinstance(outcome, Exception) or not outcome.changes:
            raise SystemExit(f"{path}: {outcome}")
    return time.perf_counter() - start


def run_exiftool(exiftool: str, files: list[Path]) -> float:
    command = [
        exiftool,
        "-q",
        "-overwrite_original",
        f"-Caption-Abstract={CAPTION}",
        f"-XMP-dc:Description={CAPTION}",
        f"-Credit={CREDIT}",
        *map(str, files),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def record_results(lines: list[str]) -> None:
    """Replace this benchmark's section of bench/RESULTS.md (other sections are left alone)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    body = "\n".join([SECTION, "", *lines, ""]) + "\n"
    start = text.find(SECTION + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="files to edit (default 300)")
    parser.add_argument("--megapixels", type=float, default=6.0, help="picture size (default 6)")
    parser.add_argument("--record", action="store_true", help="write the numbers into bench/RESULTS.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mm-write-bench-") as temp:
        base = Path(temp)
        ours_dir, theirs_dir = base / "mediameta", base / "exiftool"
        ours = make_wire_jpegs(ours_dir, args.files, megapixels=args.megapixels)
        theirs_dir.mkdir()
        theirs = []
        for path in ours:
            copy = theirs_dir / path.name
            shutil.copyfile(path, copy)
            theirs.append(copy)
        size_mb = sum(path.stat().st_size for path in ours) / len(ours) / 1e6

        # the same folder twice: durable (fsync file + folder, the default) and without fsync (what
        # exiftool does: its CPU and I/O cost alone); the second pass writes a different caption
        durable_seconds = run_mediameta(ours, CAPTION, durable=True)
        fast_seconds = run_mediameta(ours, CAPTION + " (updated)", durable=False)
        many_seconds = run_mediameta_many(ours, CAPTION + " (again)", workers=4)
        durable_rate, fast_rate = len(ours) / durable_seconds, len(ours) / fast_seconds
        many_rate = len(ours) / many_seconds
        rows = [
            (
                "mediameta write_metadata, one file at a time, durable (the default)",
                durable_seconds,
                durable_rate,
            ),
            ("mediameta write_metadata, durable=False (no fsync, like exiftool)", fast_seconds, fast_rate),
            ("mediameta write_many (apply/fix/write), 4 at a time, durable", many_seconds, many_rate),
        ]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        lines = [
            f"{len(ours)} generated wire JPEGs, {args.megapixels:g} MP, {size_mb:.1f} MB each; "
            f"{os.cpu_count()} CPUs, load average {load:.1f} at the start; "
            "edit: description + credit line (mediameta also writes EXIF ImageDescription and the IPTC "
            "digest, and verifies the image data)",
            "",
            "| contender | seconds | files/s | vs exiftool |",
            "|---|---:|---:|---:|",
        ]
        exiftool = shutil.which("exiftool")
        theirs_rate = None
        if exiftool is not None:
            version = subprocess.run([exiftool, "-ver"], capture_output=True, text=True).stdout.strip()
            theirs_seconds = run_exiftool(exiftool, theirs)
            theirs_rate = len(theirs) / theirs_seconds
        for label, seconds, rate in rows:
            ratio = f"{rate / theirs_rate:.1f}x" if theirs_rate else "n/a"
            lines.append(f"| {label} | {seconds:.2f} | {rate:.1f} | {ratio} |")
        if exiftool is None or theirs_rate is None:
            lines += ["", "exiftool not installed: no baseline in this run"]
        else:
            lines.append(
                f"| exiftool {version} -overwrite_original, one invocation over all files | "
                f"{theirs_seconds:.2f} | {theirs_rate:.1f} | 1.0x |"
            )
            lines += [
                "",
                f"mediameta / exiftool: **{many_rate / theirs_rate:.1f}x** as the commands write "
                f"(durable, 4 at a time), {durable_rate / theirs_rate:.1f}x one at a time durable, "
                f"{fast_rate / theirs_rate:.1f}x one at a time without fsync (target >= 5x)",
            ]
    print("\n".join(lines))
    if args.record:
        record_results(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
