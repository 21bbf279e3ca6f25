"""``tickerwire poll [--once]``: poll the registered sources that are due, in the foreground."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "poll",
        help="poll the registered feeds and sites on their schedules",
        description="Poll due sources concurrently (TICKERWIRE_POLL_WORKERS, TICKERWIRE_POLL_PER_HOST), "
        "store what is new, and keep going until interrupted; --once polls each due source once and exits.",
    )
    parser.add_argument("--once", action="store_true", help="poll the due sources once, then exit")
    parser.set_defaults(func=run)


def print_report(report: object) -> None:
    """Print one line per polled source."""
    from tickerwire.sources.poller import PollReport

    assert isinstance(report, PollReport)
    line = (f"{report.source_id}\t{report.status}\t{report.seen} seen, {report.new} new, {report.revised} revised, "
            f"{report.quarantined} quarantined\t{report.name}")
    if report.error:
        line += f"\t{report.error}"
    print(line, flush=True)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from tickerwire.sources.poller import poll_forever, poll_once

    if not args.once:
        poll_forever(report=print_report)
        return 0
    reports = poll_once()
    for report in reports:
        print_report(report)
    if not reports:
        print("no source is due", file=sys.stderr)
        return 0
    return 1 if all(report.status in ("failed", "paused") for report in reports) else 0
