"""Compile the caption parser's hot modules with mypyc (``python -m mediameta.captions._compile``).

The parser is plain, fully typed Python; compiled by mypyc (the compiler mypy ships, used the same
way by black and mypy themselves) it parses about 1.5x faster, with the same results: the test
suite passes against both. The Makefile runs this once after installing; it never fails the install:
without a C compiler, Python headers or mypy it prints why and the parser stays pure Python.

The compiled modules sit next to their sources with a stamp (``_compiled.json``) holding the SHA-256
of each source they were built from. ``mediameta/captions/__init__.py`` loads them only while every
source still matches its stamp, so an edited source is never shadowed by a stale build: edit, and the
pure-Python module runs until the next compile. ``MEDIAMETA_PURE_PYTHON=1`` ignores them entirely.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the modules every caption goes through (articles/ and extract.py are I/O-bound: left as they are)
MODULES = ("catalogue", "credit", "dates", "gazetteer", "parse", "places")
GROUP = "mediameta.captions._compiled"
STAMP = HERE / "_compiled.json"


def source_digests(folder: Path = HERE) -> dict[str, str]:
    """SHA-256 of each compiled module's source, as the stamp records them."""
    return {name: hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest() for name in MODULES}


def built_files(folder: Path = HERE) -> list[Path]:
    """The compiled extension modules of this folder (the group library included)."""
    return sorted(path for path in folder.iterdir() if path.suffix in (".so", ".pyd") and "." in path.stem)


def remove_build(folder: Path = HERE) -> None:
    for path in built_files(folder):
        path.unlink(missing_ok=True)
    (folder / STAMP.name).unlink(missing_ok=True)


def compile_parser() -> str:
    """Build the modules into a temporary folder, then move them and the stamp into place."""
    from mypyc.build import mypycify  # the test extra installs mypy
    from setuptools import setup

    root = HERE.parents[1]
    digests = source_digests()
    with tempfile.TemporaryDirectory(prefix="mediameta-mypyc-") as temp:
        build = Path(temp)
        cwd = os.getcwd()
        os.chdir(root)  # mypyc names modules from their paths under the project
        try:
            extensions = mypycify(
                [f"mediameta/captions/{name}.py" for name in MODULES],
                opt_level="3",
                group_name=GROUP,
                target_dir=str(build / "c"),
            )
            os.chdir(build)  # setuptools must not read the project's pyproject.toml
            setup(
                name="mediameta-compiled-parser",
                ext_modules=extensions,
                script_args=[
                    "--quiet",
                    "build_ext",
                    "--build-lib",
                    str(build / "lib"),
                    "--build-temp",
                    str(build / "tmp"),
                ],
            )
        finally:
            os.chdir(cwd)
        produced = sorted((build / "lib" / "mediameta" / "captions").glob("*"))
        if not produced:
            raise RuntimeError("mypyc produced no modules")
        if source_digests() != digests:
            raise RuntimeError("the sources changed while they were being compiled")
        remove_build()
        for path in produced:
            shutil.copy2(path, HERE / path.name)
    STAMP.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return f"{len(produced)} modules"


def main() -> int:
    if os.environ.get("MEDIAMETA_NO_COMPILE") == "1":
        print("mediameta: MEDIAMETA_NO_COMPILE=1: the caption parser stays pure Python")
        return 0
    started = time.perf_counter()
    print("mediameta: compiling the caption parser with mypyc (once, about 15 seconds)...", flush=True)
    try:
        what = compile_parser()
    except BaseException as exc:  # never fail an install over a speed-up
        if isinstance(exc, KeyboardInterrupt):
            raise
        remove_build()
        print(
            f"mediameta: not compiled ({type(exc).__name__}: {exc}); the parser runs as pure Python",
            file=sys.stderr,
        )
        return 0
    print(f"mediameta: compiled {what} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
