"""How fast ``read_record`` reads a realistic wire JPEG, against baselines measured in the same run.

Files: ``fixtures.make_wire_jpegs`` (6 MP, EXIF with thumbnail, IPTC in APP13, 5-10 KB XMP).
Baselines, all on the same files, page cache warm, one process, best of ``--rounds``:

- floor: open + read the first 64 KiB of each file (what any reader must at least do);
- pillow+exifread: the obvious implementation (Image.open, IptcImagePlugin.getiptcinfo, the XMP
  packet from ``info``, exifread ``details=False`` on the file), parsing nothing further;
- exifread: ``exifread.process_file(details=False)`` alone;
- exiftool: ``exiftool -j -G1 -a`` over the same files in one process, when installed.

Time is CPU time (``time.process_time`` in this process, ``RUSAGE_CHILDREN`` for exiftool), so
the ratios hold on a machine busy with other work; wall-clock files/s are printed beside them.
Prints files/s per reader and ratios; ``read_record`` must stay >= 2,500 files/s and >= 15x
exiftool (the scan targets) with room for the scanner's own work.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import exifread
from fixtures import make_wire_jpegs
from PIL import Image, IptcImagePlugin

from mediameta.media.read import read_record


def floor(path: Path) -> object:
    with open(path, "rb") as handle:
        return handle.read(65536)


def pillow_exifread(path: Path) -> object:
    with Image.open(path) as image:
        iptc = IptcImagePlugin.getiptcinfo(image)
        xmp = image.info.get("xmp")
    with open(path, "rb") as handle:
        tags = exifread.process_file(handle, details=False, extract_thumbnail=False)
    return iptc, xmp, tags


def exifread_only(path: Path) -> object:
    with open(path, "rb") as handle:
        return exifread.process_file(handle, details=False, extract_thumbnail=False)


def ours(path: Path) -> object:
    return read_record(path)


def _rate(reader: Callable[[Path], object], paths: list[Path], rounds: int) -> tuple[float, float]:
    """(CPU files/s, wall files/s), best of ``rounds``."""
    for path in paths[:20]:
        reader(path)
    best_cpu = best_wall = float("inf")
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for path in paths:
            reader(path)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return len(paths) / best_cpu, len(paths) / best_wall


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _exiftool_rate(paths: list[Path]) -> tuple[float, float] | None:
    exe = shutil.which("exiftool")
    if exe is None:
        return None
    cpu, wall = _children_cpu(), time.perf_counter()
    subprocess.run(
        [exe, "-j", "-G1", "-a", *map(str, paths)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return len(paths) / (_children_cpu() - cpu), len(paths) / (time.perf_counter() - wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mediameta-read-bench-") as tmp:
        folder = Path(tmp)
        make_wire_jpegs(folder, args.files)
        paths = sorted(folder.glob("*.jpg"))
        sample = read_record(paths[0])
        assert not sample.errors and sample.description, sample.errors
        size_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(f"{len(paths)} wire JPEGs, {sample.width}x{sample.height}, {size_mb:.1f} MB each")
        rates = {
            "floor (64 KiB read)": _rate(floor, paths, args.rounds),
            "read_record": _rate(ours, paths, args.rounds),
            "pillow+exifread": _rate(pillow_exifread, paths, args.rounds),
            "exifread only": _rate(exifread_only, paths, args.rounds),
        }
        exiftool = _exiftool_rate(paths)
        if exiftool is not None:
            rates["exiftool -j"] = exiftool
    mine = rates["read_record"][0]
    print(f"{'reader':22s} {'CPU files/s':>12s} {'wall files/s':>13s}   read_record vs it (CPU)")
    for name, (cpu, wall) in rates.items():
        print(f"{name:22s} {cpu:12.0f} {wall:13.0f}   {mine / cpu:6.2f}x")
    print(
        f"per file (CPU): read_record {1e6 / mine:.0f} us, floor {1e6 / rates['floor (64 KiB read)'][0]:.0f} us"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
