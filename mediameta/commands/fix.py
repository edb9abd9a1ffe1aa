"""``mediameta fix PATH...``: apply the automatic fixes the check rules offer.

    mediameta fix photos/ --dry-run          # what would change, file by file, field by field
    mediameta fix photos/ story.md --select MM2,MM7

Runs the same check as ``mediameta check`` (same config, ``--select`` / ``--ignore``), then applies
every finding's fix:

* on a picture (the finding's ``path`` is the image): the fix's fields are written with the writer,
  all of one picture's fixes in one atomic write (when two rules want different values for the
  same field, the first by code wins and the other is reported as skipped);
* on an article caption (``{"caption": new text}`` with the finding's line and column): the
  caption's text is replaced in the article file, only where the file still holds exactly the
  text that was checked there (HTML entities or markup inside the caption make it "not
  auto-applicable": fix those by hand).

stdout: each file's diff, then ``N files fixed, N refused, N fixes skipped``. Exit 1 if a file was
refused, 0 otherwise (run ``mediameta check`` afterwards for what is left).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mediameta.article_fixes import plan_article_fixes, write_article_fixes
from mediameta.commands.write import FileWriter, add_write_options, file_writer, print_result, write_jobs
from mediameta.console import ExitCode, UsageError, error, warn
from mediameta.media.write import ChangeValue, WriteRefused, WriteResult
from mediameta.media.write_fields import FIELD_SPECS
from mediameta.models import Article, Finding


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fix",
        help="apply the automatic fixes the check rules offer (pictures' metadata, article captions)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="articles, pictures or folders")
    parser.add_argument("--select", type=_codes, action="extend", default=None, metavar="CODES")
    parser.add_argument("--ignore", type=_codes, action="extend", default=None, metavar="CODES")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help="use this config file")
    parser.add_argument("--article-date", default=None, metavar="DATE", help="publication date (YYYY-MM-DD)")
    add_write_options(parser)
    parser.set_defaults(handler=run)


@dataclass
class ImageFixes:
    changes: dict[str, ChangeValue] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # field -> the finding code that set it


@dataclass
class Tally:
    fixed: int = 0
    refused: int = 0
    skipped: int = 0


def collect_image_fixes(findings: list[Finding], tally: Tally) -> dict[str, ImageFixes]:
    """Per image path, the merged changes of its findings' fixes (first by code wins a field)."""
    per_image: dict[str, ImageFixes] = defaultdict(ImageFixes)
    for finding in sorted(findings, key=lambda f: (f.path, f.code)):
        if finding.fix is None or "caption" in finding.fix.changes:
            continue
        fixes = per_image[finding.path]
        for name, value in finding.fix.changes.items():
            if name not in FIELD_SPECS:
                warn(
                    f"{finding.path}: {finding.code} fix sets {name!r}, which the writer does not write; skipped"
                )
                tally.skipped += 1
                continue
            if name in fixes.changes and fixes.changes[name] != value:
                warn(
                    f"{finding.path}: {finding.code} wants {name} = {value!r} but "
                    f"{fixes.sources[name]} already set it; skipped"
                )
                tally.skipped += 1
                continue
            fixes.changes[name] = value
            fixes.sources[name] = finding.code
    return dict(per_image)


def fix_article(article: Article, findings: list[Finding], dry_run: bool, tally: Tally) -> None:
    fixes = plan_article_fixes(article, findings)
    if fixes.refused is not None:
        error(fixes.refused)
        tally.refused += 1
        return
    for skipped in fixes.skipped:
        warn(skipped.message)
        tally.skipped += 1
    if not fixes.edits:
        return
    count = len(fixes.edits)
    state = "dry run, nothing written" if dry_run else "written"
    sys.stdout.write(f"{fixes.path}: {count} caption fix{'es' if count != 1 else ''} ({state})\n")
    for edit in fixes.edits:
        finding = edit.finding
        sys.stdout.write(f"  {finding.line}:{finding.column} {finding.code}: {edit.old!r} -> {edit.new!r}\n")
    if dry_run:
        tally.fixed += 1
        return
    written = write_article_fixes(fixes)
    if written.refused is not None:
        error(written.refused)
        tally.refused += 1
        return
    tally.fixed += 1


@dataclass(frozen=True)
class CheckedWriter:
    """Refuse a picture that changed since the check read it, then write its fixes (plain data, so
    that write_many's worker processes can run it)."""

    stamps: dict[Path, tuple[int, int]]  # path -> (size, mtime_ns) as the check read it
    write: FileWriter

    def __call__(self, path: Path, changes: Mapping[str, ChangeValue]) -> WriteResult:
        stamp = self.stamps.get(path)
        if stamp is not None:
            try:
                now = path.stat()
            except OSError as exc:
                raise WriteRefused(f"{path}: {exc.strerror or exc}", reason="io") from exc
            if (now.st_size, now.st_mtime_ns) != stamp:
                raise WriteRefused(
                    f"{path}: changed on disk since it was checked; run fix again", reason="changed"
                )
        return self.write(path, changes)


def run(args: argparse.Namespace) -> int:
    from mediameta.checks.engine import run_check
    from mediameta.config import load_config, with_overrides

    missing = [str(path) for path in args.paths if not os.path.exists(path)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    config = load_config(args.paths[0], args.config)
    config = with_overrides(config, select=args.select, ignore=args.ignore, article_date=args.article_date)
    result = run_check(args.paths, config)
    findings = [finding for finding in result.report.findings if finding.fix is not None]
    tally = Tally()

    stamps = {
        Path(record.path): (record.size, record.mtime_ns)
        for record in result.context.records
        if record.size is not None and record.mtime_ns is not None
    }
    writer = CheckedWriter(stamps, file_writer(args))
    jobs = [
        (Path(image_path), fixes.changes)
        for image_path, fixes in collect_image_fixes(findings, tally).items()
    ]
    for path, outcome in write_jobs(jobs, args, writer):
        if isinstance(outcome, WriteRefused):
            error(str(outcome))
            tally.refused += 1
            continue
        print_result(outcome, sys.stdout, shown=path)
        tally.fixed += 1

    caption_findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        assert finding.fix is not None
        if "caption" in finding.fix.changes:
            caption_findings[finding.path].append(finding)
    articles = {article.path: article for article in result.context.articles}
    for article_path, article_findings in sorted(caption_findings.items()):
        article = articles.get(article_path)
        if article is None:
            warn(f"{article_path}: caption fixes for a file that is not an article; skipped")
            tally.skipped += len(article_findings)
            continue
        fix_article(article, article_findings, args.dry_run, tally)

    verb = "would be fixed" if args.dry_run else "fixed"
    sys.stdout.write(f"{tally.fixed} files {verb}, {tally.refused} refused, {tally.skipped} fixes skipped\n")
    return ExitCode.FINDINGS if tally.refused else ExitCode.OK
