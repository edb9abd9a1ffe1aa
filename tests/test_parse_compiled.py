"""The mypyc-compiled parser (mediameta/captions/_compile.py): used only while it matches its
sources, never when MEDIAMETA_PURE_PYTHON=1, and it parses exactly as the pure-Python modules do."""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mediameta.captions
from mediameta.captions import compiled_build_is_current
from mediameta.captions._compile import MODULES

REPO = Path(__file__).resolve().parents[1]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def fake_build(folder: Path) -> None:
    for name in MODULES:
        (folder / f"{name}.py").write_text(f"X = {name!r}\n", encoding="utf-8")
        (folder / f"{name}{SUFFIX}").write_bytes(b"\x7fELF")
    digests = {name: hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest() for name in MODULES}
    (folder / "_compiled.json").write_text(json.dumps(digests), encoding="utf-8")


def test_a_build_counts_only_while_every_source_matches_its_stamp(tmp_path: Path) -> None:
    assert not compiled_build_is_current(tmp_path)  # nothing built
    fake_build(tmp_path)
    assert compiled_build_is_current(tmp_path)
    (tmp_path / "credit.py").write_text("X = 'edited'\n", encoding="utf-8")
    assert not compiled_build_is_current(tmp_path)  # an edited source: its stale build is not used


def test_a_missing_module_or_a_broken_stamp_is_no_build(tmp_path: Path) -> None:
    fake_build(tmp_path)
    (tmp_path / f"dates{SUFFIX}").unlink()
    assert not compiled_build_is_current(tmp_path)
    fake_build(tmp_path)
    (tmp_path / "_compiled.json").write_text("{not json", encoding="utf-8")
    assert not compiled_build_is_current(tmp_path)


def _run(code: str, *, pure: bool) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MEDIAMETA_PURE_PYTHON", None)
    if pure:
        env["MEDIAMETA_PURE_PYTHON"] = "1"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_pure_python_on_request() -> None:
    out = _run(
        "import mediameta.captions.credit as m, mediameta.captions as c; print(m.__file__, c.COMPILED)",
        pure=True,
    )
    assert out.split() == [str(REPO / "mediameta" / "captions" / "credit.py"), "False"]


def test_an_edited_source_runs_even_with_a_build_beside_it(tmp_path: Path) -> None:
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from pathlib import Path\n"
        "from mediameta.captions import use_current_build\n"
        "COMPILED = use_current_build(Path(__file__).parent, __name__)\n",
        encoding="utf-8",
    )
    (package / "credit.py").write_text("EDITED = True\n", encoding="utf-8")
    (package / f"credit{SUFFIX}").write_bytes(b"not a library: importing it would fail")
    (package / "_compiled.json").write_text(json.dumps({"credit": "0" * 64}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("MEDIAMETA_PURE_PYTHON", None)
    code = "import fakepkg, fakepkg.credit as m; print(m.EDITED, fakepkg.COMPILED)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


@pytest.mark.skipif(not mediameta.captions.COMPILED, reason="no current compiled build (make compile)")
def test_compiled_and_pure_parse_the_same() -> None:
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from mediameta.captions.parse import parse_caption\n"
        "from mediameta.captions.extract import read_article\n"
        "texts = [c.text for p in sorted(Path('samples/articles').iterdir()) for c in read_article(p).captions]\n"
        "texts += ['Mandatory Credit: Photo by Andrew Harnik/Shutterstock (14385962a)', 'Foto: picture alliance / dpa | Michael Kappeler',\n"
        "          'FILE - In this March 3, 2025, file photo, people walk. (AP Photo/Evan Vucci, File)', '(((', 'x' * 3000]\n"
        "print(json.dumps([parse_caption(t).model_dump(mode='json') for t in texts]))\n"
    )
    chdir = f"import os; os.chdir({str(REPO)!r})\n"
    compiled = _run(chdir + code, pure=False)
    pure = _run(chdir + code, pure=True)
    assert json.loads(compiled) == json.loads(pure)
    assert len(json.loads(compiled)) > 10
