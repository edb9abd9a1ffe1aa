"""``mediameta review [PATH...]``: open the desk on folders of pictures and articles."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Literal

from mediameta.console import ExitCode, UsageError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "review",
        help="review, fix and approve captions and credits in the desk (a terminal UI)",
        description="Open the desk on PATH... (default: the current folder).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="folders or files to review")
    parser.add_argument(
        "--preview",
        choices=("auto", "halfblock", "off"),
        default="auto",
        help="image preview: the terminal's graphics protocol when it has one (auto), "
        "coloured half blocks, or none",
    )
    parser.add_argument("--config", type=Path, default=None, help="a mediameta.toml or pyproject.toml to use")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = list(args.paths) or [Path.cwd()]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if not sys.stdout.isatty():
        raise UsageError("review needs a terminal; use `mediameta check` in scripts and CI")

    from mediameta.config import load_config
    from mediameta.tui.app import create_app, review_root

    try:
        config = (
            load_config(review_root(paths), args.config) if args.config else load_config(review_root(paths))
        )
    except Exception as exc:  # ConfigError and friends: exit 2 with the key named
        raise UsageError(str(exc)) from exc
    preview: Literal["auto", "halfblock", "off"] = args.preview
    if preview == "auto":
        # textual-image asks the terminal which graphics protocol it speaks; that has to happen
        # before Textual takes the terminal over. A terminal that does not answer gets the
        # half-block fallback; textual-image's warning about it (with a traceback) is noise here.
        logging.getLogger("textual_image").setLevel(logging.ERROR)
        import textual_image.widget  # noqa: F401
    app = create_app(paths, config, preview=preview)
    app.run()
    return ExitCode.OK
