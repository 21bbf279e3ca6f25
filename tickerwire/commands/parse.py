"""``tickerwire parse PATH... [--format F]``: print each story as one JSON line; no database needed."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import FORMATS, ParseError, SkippedStory, parse_bytes


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


def read_input(path: str) -> bytes:
    """Return the bytes of a file, or of standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def iter_drafts(paths: list[str], fmt: str) -> tuple[list[tuple[str, ArticleDraft]], int]:
    """Parse every path; print one error line per failure to stderr; return drafts and the failure count."""
    drafts: list[tuple[str, ArticleDraft]] = []
    failures = 0
    for path in paths:
        try:
            results = parse_bytes(read_input(path), fmt)
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
