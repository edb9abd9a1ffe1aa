"""The core must be importable without the TUI stack (textual / rich)."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "mediameta.models",
    "mediameta.captions",
    "mediameta.media",
    "mediameta.checks",
    "mediameta.reporters",
    "mediameta.cli",
]


def test_core_does_not_import_textual_or_rich() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"core imported: {result.stdout.strip()}"
