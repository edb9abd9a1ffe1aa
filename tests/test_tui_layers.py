"""The desk is a thin layer: its view model and core bindings import no Textual, and the core
never imports the desk."""

from __future__ import annotations

import subprocess
import sys


def _imported_after(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') "
        "or m.startswith('mediameta.tui.app') or m.startswith('mediameta.tui.widgets'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name for name in result.stdout.strip().split(",") if name}


def test_view_model_and_services_need_no_textual() -> None:
    assert _imported_after(["mediameta.tui.model", "mediameta.tui.services"]) == set()


def test_the_core_the_desk_calls_does_not_import_the_desk() -> None:
    core = [
        "mediameta.checks.engine",
        "mediameta.media.write",
        "mediameta.media.read",
        "mediameta.catalog",
        "mediameta.captions.parse",
        "mediameta.config",
    ]
    assert _imported_after(core) == set()
