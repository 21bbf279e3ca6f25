"""``tickerwire ingest PATH... [--format F] [--source NAME] [--report jsonl]``: parse and store stories.

Each story is stored in its own transaction, so an interrupted run loses at most the story in flight
and running it again stores the rest (stored stories come back "unchanged"). Input that cannot be
parsed or stored goes to the quarantine (see ``tickerwire quarantine``), and the command says so.

Output: one line per quarantined or skipped item and a final summary line
``N new, N revised, N unchanged, N quarantined`` go to stderr, so stdout stays machine-readable: with
``--report jsonl`` it carries one JSON object per item, ``{"path", "key", "status", "id"}`` (``id`` is
the article id, or the quarantine id when ``status`` is ``"quarantined"``). An item whose URI is another
source's story is ``"refused"`` (stored nowhere, see ``tickerwire.articles.actions.ingest.own_story_key``).
The exit status is 1 only when nothing was stored and something failed or was refused, or when no input
was found (every folder given is empty). Revisions record ``cli:<login>`` as who made them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tqdm import tqdm

from tickerwire.commands.parse import add_input_arguments, read_capped

if TYPE_CHECKING:
    from tickerwire.articles.actions.ingest import ItemResult

SUMMARY_ORDER = ("new", "revised", "unchanged", "quarantined")
STORED = ("new", "revised", "unchanged", "notice")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="parse input files and store their stories (one transaction per story)",
        description="Parse input files (directories: the files inside, sorted) and store each story, "
        "as a new article, a new revision of a changed one, or not at all when unchanged. Input that "
        "cannot be parsed or stored is quarantined. A summary line goes to stderr; the exit status is 1 "
        "only when nothing was stored and something failed, or when the folders given hold no files.",
    )
    add_input_arguments(parser)
    parser.add_argument(
        "--source",
        metavar="NAME",
        default=None,
        help="source recorded on the stories (default: the story's site, else its dateline agency)",
    )
    parser.add_argument(
        "--report",
        choices=("jsonl",),
        default=None,
        help='print one JSON line per item on stdout: {"path", "key", "status", "id"}',
    )
    parser.set_defaults(func=run)


# What a folder given to ingest is searched for, as the "no input" message names it.
FOLDER_PATTERN = "every file below it (**/*), hidden files and folders (.*) left out"


def empty_folders(paths: list[str]) -> list[str]:
    """Return the folders among ``paths`` that hold no file ingest would read."""
    return [path for path in paths if path != "-" and Path(path).is_dir() and next(expand_paths([path]), None) is None]


def expand_paths(paths: list[str]) -> Iterator[str]:
    """Yield each path; for a directory, the files below it in sorted order, hidden ones left out."""
    for path in paths:
        folder = Path(path)
        if path == "-" or not folder.is_dir():
            yield path
            continue
        for child in sorted(folder.rglob("*")):
            relative = child.relative_to(folder).parts
            if child.is_file() and not any(part.startswith(".") for part in relative):
                yield str(child)


class IngestReporter:
    """Tally results, drive the progress bar and write the per-item report as stories are stored."""

    def __init__(self, report: TextIO | None, progress: tqdm) -> None:
        self.report = report
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.path = ""

    def parsed(self, count: int) -> None:
        self.progress.total = (self.progress.total or 0) + count
        self.progress.refresh()

    def item(self, result: ItemResult) -> None:
        from tickerwire.articles.actions.ingest import IngestOutcome, RefusedItem, SkippedItem

        row: dict[str, Any] = {"path": self.path, "key": None, "status": "", "id": None}
        if isinstance(result, IngestOutcome):
            row.update(key=result.key, status=result.status, id=result.article_id)
        elif isinstance(result, RefusedItem):
            row.update(key=result.key, status="refused", reason=result.reason)
            self.say(f"{self.path}: item {result.item_index + 1}: refused: {result.reason}")
        elif isinstance(result, SkippedItem):
            row.update(status="skipped", reason=result.reason)
            self.say(f"{self.path}: item {result.item_index + 1}: skipped: {result.reason}")
        else:
            row.update(status="quarantined", id=result.pk, reason=result.reason)
            where = "" if result.item_index is None else f"item {result.item_index + 1}: "
            self.say(f"{self.path}: {where}quarantined as {result.pk}: {result.reason}")
        self.counts[row["status"]] += 1
        if self.report is not None:
            self.report.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.progress.update(1)

    def unreadable(self, path: str, reason: str) -> None:
        self.counts["unreadable"] += 1
        self.say(f"{path}: cannot read: {reason}")

    def say(self, line: str) -> None:
        self.progress.write(line, file=sys.stderr)

    def summary(self) -> str:
        parts = [f"{self.counts[name]} {name}" for name in SUMMARY_ORDER]
        parts += [f"{self.counts[name]} {name}" for name in ("notice", "skipped", "refused", "unreadable")
                  if self.counts[name]]
        return ", ".join(parts)

    def exit_status(self) -> int:
        stored = sum(self.counts[name] for name in STORED)
        failed = self.counts["quarantined"] + self.counts["unreadable"] + self.counts["refused"]
        return 1 if failed and not stored else 0


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, operator_maker, setup_django

    empty = empty_folders(args.paths)
    for folder in empty:
        print(f"{folder}: no input found: looked for {FOLDER_PATTERN}", file=sys.stderr)
    if len(empty) == len(args.paths):
        print("no input found: nothing was ingested", file=sys.stderr)
        return 1
    setup_django()
    migrate_quietly()
    from tickerwire.articles.actions.ingest import ingest_bytes, quarantine_oversized, source_tz, story_limits
    from tickerwire.articles.tasks import refinement_batches

    try:
        source_tz()
    except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
        print(f"TICKERWIRE_SOURCE_TZ is not a known time zone: {exc}", file=sys.stderr)
        return 2
    try:
        limits = story_limits()
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2

    progress = tqdm(total=None, unit="story", disable=not sys.stderr.isatty(), file=sys.stderr, dynamic_ncols=True)
    reporter = IngestReporter(sys.stdout if args.report == "jsonl" else None, progress)
    maker = operator_maker()
    try:
        with refinement_batches():  # the embedding and related ranking, 32 stories a model call
            for path in expand_paths(args.paths):
                reporter.path = "<stdin>" if path == "-" else path
                try:
                    source = read_capped(path, limits.max_input_bytes)
                except OSError as exc:
                    reporter.unreadable(path, exc.strerror or str(exc))
                    continue
                if not source.complete:  # over every cap: refused unread, its first bytes quarantined
                    quarantine_oversized(source.data, size=source.size, sha256=source.sha256, fmt=args.format,
                                         source_name=args.source, path=reporter.path, listener=reporter)
                    continue
                ingest_bytes(source.data, fmt=args.format, source_name=args.source, path=reporter.path,
                             listener=reporter, made_by=maker)
    finally:
        progress.close()
        sys.stdout.flush()
        print(reporter.summary(), file=sys.stderr)
    return reporter.exit_status()
