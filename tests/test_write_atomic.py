"""A writer killed with SIGKILL at random points leaves the old file or the new one, never a broken one.

A child process writes alternating captions into one JPEG in a loop and reports the SHA-256 of every
version it committed; the parent kills it after a random delay, many times. Afterwards the file must
be byte-identical to the last version the child reported or to the one the next write makes from
it, and read cleanly; any temporary file left behind is one of ours and is cleaned up.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from write_helpers import WIRE_EXIF, WIRE_IPTC, WIRE_XMP, with_metadata

from mediameta.media.read import read_record
from mediameta.media.write import TEMP_MARKER, remove_stale_temp_files, write_metadata
from mediameta.media.write_imagedata import image_data

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
ITERATIONS = 30

CHILD = r"""
import hashlib, sys
from mediameta.media.write import write_metadata
path = sys.argv[1]
start = int(sys.argv[2])
print("ready", flush=True)
index = start
while True:
    write_metadata(path, {"description": f"caption {index % 2} " + "words " * (index % 5), "credit_line": f"AGENCY {index % 3}"})
    with open(path, "rb") as handle:
        print(index, hashlib.sha256(handle.read()).hexdigest(), flush=True)
    index += 1
"""


def _edit(index: int) -> dict[str, str]:
    return {
        "description": f"caption {index % 2} " + "words " * (index % 5),
        "credit_line": f"AGENCY {index % 3}",
    }


def _big_jpeg(path: Path) -> None:
    """A few-megabyte JPEG so a write takes long enough to be killed in the middle."""
    rng = random.Random(7)
    noise = Image.frombytes("RGB", (1200, 900), rng.randbytes(1200 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    path.write_bytes(with_metadata(buffer.getvalue(), exif=WIRE_EXIF, iptc=WIRE_IPTC, xmp=WIRE_XMP))


def test_killed_writer_leaves_old_or_new_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.jpg"
    _big_jpeg(path)
    original_pixels = image_data(path.read_bytes(), "JPEG")
    rng = random.Random(1234)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    index = 0
    killed_mid_write = 0
    for _ in range(ITERATIONS):
        before = path.read_bytes()
        last_sha, last_index = hashlib.sha256(before).hexdigest(), index - 1
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(index)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=rng.uniform(0.0, 0.25))  # a random point in the write loop
        child.send_signal(signal.SIGKILL)
        child.wait()
        output = child.stdout.read()
        # only whole lines are reports: the kill can cut the child's last print short ("566 ")
        complete = output[: output.rfind("\n") + 1]
        for line in complete.splitlines():
            reported_index, reported_sha = line.split()
            last_index, last_sha = int(reported_index), reported_sha
        child.stdout.close()

        # the next version: what the next write makes from the last reported one
        current = path.read_bytes()
        current_sha = hashlib.sha256(current).hexdigest()
        if current_sha != last_sha:
            killed_mid_write += 1
            probe = tmp_path / "probe" / "wire.jpg"
            probe.parent.mkdir(exist_ok=True)
            probe.write_bytes(_version(before, last_sha, last_index, index, tmp_path))
            write_metadata(probe, _edit(last_index + 1))
            assert current_sha == hashlib.sha256(probe.read_bytes()).hexdigest(), "neither old nor new"
            last_index += 1
        index = last_index + 1

        assert image_data(current, "JPEG") == original_pixels
        record = read_record(path)
        assert record.errors == [], record.errors
        assert record.description is not None and record.description.startswith("caption ")
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
        assert all(p.name.startswith(f".wire.jpg{TEMP_MARKER}") for p in leftovers), leftovers
        for leftover in leftovers:  # stale after a kill: cleaned as any later write would once old
            os.utime(leftover, (time.time() - 3600, time.time() - 3600))
        assert sorted(remove_stale_temp_files(path)) == sorted(leftovers)
    print(f"\n{ITERATIONS} kills, {killed_mid_write} after the rename but before the report")


def _version(before: bytes, last_sha: str, last_index: int, first_index: int, tmp_path: Path) -> bytes:
    """The bytes of the last version the child reported (replayed from ``before`` if needed)."""
    if hashlib.sha256(before).hexdigest() == last_sha:
        return before
    replay = tmp_path / "replay" / "wire.jpg"
    replay.parent.mkdir(exist_ok=True)
    replay.write_bytes(before)
    for step in range(first_index, last_index + 1):
        write_metadata(replay, _edit(step))
    data = replay.read_bytes()
    assert hashlib.sha256(data).hexdigest() == last_sha, "replaying the child's writes is deterministic"
    return data
