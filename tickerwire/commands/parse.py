"""``tickerwire parse PATH... [--format F]``: print each story as one JSON line; no database needed."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import FORMATS, ParseError, SkippedStory, StoryLimits, parse_bytes

_CHUNK = 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "parse",
        help="parse input files and print one JSON object per story (JSON Lines)",
        description="Parse input files and print one JSON object per story, in input order. "
        "Errors go to stderr, one line per file or item; the exit status is 1 only when nothing parsed.",
    )
    add_input_arguments(parser)
    parser.set_defaults(func=run)


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the PATH and --format arguments shared by parse, enrich and ingest."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="input files; - reads standard input")
    parser.add_argument(
        "--format",
        default="auto",
        choices=("auto", *FORMATS),
        help="input format (default: auto, sniffed from the content)",
    )


@dataclass(frozen=True)
class CappedInput:
    """An input read up to a limit: all its bytes, or when it is longer only the first ``limit`` of them.

    ``size`` and ``sha256`` are those of the whole input either way, so an oversized one can be quarantined
    (its prefix kept) without ever holding all of it in memory.
    """

    data: bytes
    size: int
    sha256: str

    @property
    def complete(self) -> bool:
        return len(self.data) == self.size


def read_capped(path: str, limit: int) -> CappedInput:
    """Return a file (``-``: standard input) read whole when it is at most ``limit`` bytes, else its prefix."""
    if path == "-":
        return _read_stream(sys.stdin.buffer, limit)
    with Path(path).open("rb") as handle:
        return _read_stream(handle, limit)


def _read_stream(stream: BinaryIO, limit: int) -> CappedInput:
    data = stream.read(limit + 1)
    digest = hashlib.sha256(data)
    size = len(data)
    if size <= limit:
        return CappedInput(data, size, digest.hexdigest())
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return CappedInput(data[:limit], size, digest.hexdigest())


def iter_drafts(paths: list[str], fmt: str) -> tuple[list[tuple[str, ArticleDraft]], int]:
    """Parse every path; print one error line per failure to stderr; return drafts and the failure count.

    An input over the size caps (``TICKERWIRE_MAX_STORY_BYTES``...) is refused before it is parsed, and
    read no further than the cap.
    """
    drafts: list[tuple[str, ArticleDraft]] = []
    failures = 0
    try:
        limits = StoryLimits.from_env()
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return [], 1
    for path in paths:
        try:
            source = read_capped(path, limits.max_input_bytes)
            if not source.complete:
                limits.check_input_size(source.size, fmt)
            results = parse_bytes(source.data, fmt, limits=limits)
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            failures += 1
            continue
        except ParseError as exc:
            print(f"{path}: {' '.join(exc.reason.split())}", file=sys.stderr)
            failures += 1
            continue
        except Exception as exc:  # a parser bug must cost one file, not the run; the fuzz tests hunt these
            print(f"{path}: internal parser error (a bug, please report): {type(exc).__name__}: {exc}", file=sys.stderr)
            failures += 1
            continue
        for index, result in enumerate(results):
            if isinstance(result, SkippedStory):
                print(f"{path}: {_item_reason(index, result)} (skipped)", file=sys.stderr)
            elif isinstance(result, ParseError):
                print(f"{path}: {_item_reason(index, result)}", file=sys.stderr)
                failures += 1
            else:
                drafts.append((path, result))
    return drafts, failures


# Parsers name the item themselves ("entry 3 (guid)", "line 7", "item 2"); add a number only when they do not.
_ITEM_LABEL = re.compile(r"^(?:item|entry|line|document)\b")


def _item_reason(index: int, error: ParseError) -> str:
    """Return an item-level reason that names the item once."""
    reason = " ".join(error.reason.split()) or "unreadable item"
    return reason if _ITEM_LABEL.match(reason) else f"item {index + 1}: {reason}"


def run(args: argparse.Namespace) -> int:
    drafts, _failures = iter_drafts(args.paths, args.format)
    out = sys.stdout
    for _path, draft in drafts:
        out.write(json.dumps(draft.to_json(), ensure_ascii=False) + "\n")
    out.flush()
    return 0 if drafts else 1
