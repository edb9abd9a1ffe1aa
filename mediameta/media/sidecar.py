"""XMP sidecars next to a picture: ``IMG_1.xmp`` (Adobe, Photo Mechanic) and ``IMG_1.jpg.xmp`` (darktable).

Both are read when both exist; ``IMG_1.xmp`` is merged first, so it wins a field both carry.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_SIDECAR_BYTES = 16 * 1024 * 1024


def sidecar_paths(path: str | os.PathLike[str]) -> list[Path]:
    """Existing sidecars of ``path``, in merge order (the ``.xmp``/``.XMP`` spelling found on disk)."""
    name = os.fspath(path)
    stem, suffix = os.path.splitext(name)
    if suffix.lower() == ".xmp":
        return []
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for candidate in (stem + ".xmp", stem + ".XMP", name + ".xmp", name + ".XMP"):
        try:
            st = os.stat(candidate)
        except (OSError, ValueError):
            continue
        key = (st.st_dev, st.st_ino)  # a case-insensitive filesystem answers both spellings
        if key in seen or not stat.S_ISREG(st.st_mode):
            continue
        seen.add(key)
        found.append(Path(candidate))
    return found


def read_sidecar(path: Path) -> bytes:
    """The sidecar's bytes; raises OSError (the caller records it) or ValueError when oversized."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        raise ValueError(f"larger than {MAX_SIDECAR_BYTES} bytes; not read")
    return data
