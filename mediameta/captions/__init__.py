"""Captions: parse caption strings (credit, date, place) and find captions in articles.

Public API: :func:`mediameta.captions.parse.parse_caption` and the agency catalogue in
:mod:`mediameta.captions.catalogue`.

The parser's hot modules may be compiled with mypyc (``python -m mediameta.captions._compile``,
run by the Makefile). The compiled build is used only while each of their sources still has the
SHA-256 recorded when it was built (``_compiled.json``); otherwise, or with
``MEDIAMETA_PURE_PYTHON=1``, the sources are imported, so an edit is never shadowed by a stale
build. ``COMPILED`` says which is in use.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).resolve().parent
_STAMP = _HERE / "_compiled.json"


def compiled_build_is_current(folder: Path = _HERE) -> bool:
    """True when ``folder`` holds a compiled build whose stamp matches every source it names."""
    stamp = folder / _STAMP.name
    if not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if not isinstance(recorded, dict) or not recorded:
            return False
        for name, digest in recorded.items():
            source = (folder / f"{name}.py").read_bytes()
            if hashlib.sha256(source).hexdigest() != digest:
                return False
            if not any(
                (folder / f"{name}{suffix}").is_file() for suffix in importlib.machinery.EXTENSION_SUFFIXES
            ):
                return False
    except (OSError, ValueError, TypeError):
        return False
    return True


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Imports the named modules from their ``.py`` sources in ``folder``, past any build."""

    def __init__(self, folder: Path, names: set[str]) -> None:
        self.folder = folder
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(
            fullname, self.folder / f"{fullname.rpartition('.')[2]}.py"
        )


def use_current_build(folder: Path, package: str) -> bool:
    """Decide for the package in ``folder`` whether its compiled build runs: True when it does;
    else its built modules are imported from their sources from now on."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    built = {path.name.split(".", 1)[0] for path in folder.iterdir() if path.name.endswith(suffixes)}
    if not built:
        return False
    if os.environ.get("MEDIAMETA_PURE_PYTHON") != "1" and compiled_build_is_current(folder):
        return True
    names = {f"{package}.{name}" for name in built if (folder / f"{name}.py").is_file()}
    sys.meta_path.insert(0, _SourcesFirst(folder, names))
    return False


COMPILED = use_current_build(_HERE, __name__)
