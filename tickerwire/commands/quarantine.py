"""``tickerwire quarantine list|show ID|retry ID``: look at and retry input that could not be stored."""

from __future__ import annotations

import argparse
import json
import sys

SHOW_BYTES = 600


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quarantine",
        help="list, show and retry quarantined input",
        description="Input that could not be parsed or stored is kept whole in the quarantine. "
        "list: one line per item; show ID: its details and the first bytes of the input; "
        "retry ID: parse it again with the current parsers and store what now works.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="one line per input: id, time, path, reason, attempts, status")
    listing.add_argument(
        "--status", choices=("pending", "resolved", "discarded", "all"), default="all", help="default: all"
    )
    actions.add_parser("show", help="details and the first bytes of one input").add_argument("id", type=int)
    actions.add_parser("retry", help="parse and store one input again").add_argument("id", type=int)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    if args.action == "list":
        return list_quarantine(args.status)
    from tickerwire.articles.models import Quarantine

    try:
        if args.action == "show":
            return show_quarantine(Quarantine.objects.get(pk=args.id))
        return retry_quarantine(args.id)
    except Quarantine.DoesNotExist:
        print(f"no quarantined input has id {args.id} (see `tickerwire quarantine list`)", file=sys.stderr)
        return 1


def list_quarantine(status: str) -> int:
    """Print one tab-separated line per quarantined input, newest first."""
    from tickerwire.articles.models import Quarantine

    rows = Quarantine.objects.defer("raw")
    if status != "all":
        rows = rows.filter(status=status)
    out = sys.stdout
    out.write("id\ttime\tpath\treason\tattempts\tstatus\n")
    for row in rows.iterator():
        where = row.path or "-"
        if row.item_index is not None:
            where += f" (item {row.item_index + 1})"
        reason = " ".join(row.reason.split())
        out.write(
            f"{row.pk}\t{row.created_at:%Y-%m-%d %H:%M:%S}Z\t{where}\t{reason}\t{row.attempts}\t{row.status}\n"
        )
    return 0


def show_quarantine(row: object) -> int:
    """Print a quarantined input's details and the first bytes of its raw input."""
    from tickerwire.articles.models import Quarantine

    assert isinstance(row, Quarantine)
    raw = bytes(row.raw)
    details = [
        ("id", row.pk),
        ("status", row.status),
        ("attempts", row.attempts),
        ("created", f"{row.created_at:%Y-%m-%d %H:%M:%S}Z"),
        ("updated", f"{row.updated_at:%Y-%m-%d %H:%M:%S}Z"),
        ("path", row.path or "-"),
        ("source", row.source_name or "-"),
        ("format", row.format),
        ("item", "whole input" if row.item_index is None else row.item_index + 1),
        ("sha256", row.sha256),
        ("size", f"{len(raw)} bytes"),
        ("reason", row.reason),
    ]
    for name, value in details:
        print(f"{name + ':':10}{value}")
    shown = raw[:SHOW_BYTES].decode("utf-8", errors="backslashreplace")
    more = f" (first {SHOW_BYTES} of {len(raw)})" if len(raw) > SHOW_BYTES else ""
    print(f"--- raw input{more} ---")
    print(shown)
    return 0


def retry_quarantine(quarantine_id: int) -> int:
    """Retry one input and print one JSON line per result; exit 1 when it still fails."""
    from tickerwire.articles.actions.ingest import IngestOutcome, RefusedItem, SkippedItem, do_retry_quarantine
    from tickerwire.articles.models import Quarantine
    from tickerwire.cli import operator_maker

    results = do_retry_quarantine(quarantine_id, made_by=operator_maker())
    still_failing = False
    for result in results:
        if isinstance(result, IngestOutcome):
            row = {"key": result.key, "status": result.status, "id": result.article_id,
                   "revision": result.revision_number}
        elif isinstance(result, SkippedItem):
            row = {"key": None, "status": "skipped", "id": None, "reason": result.reason}
        elif isinstance(result, RefusedItem):
            row = {"key": result.key, "status": "refused", "id": None, "reason": result.reason}
        else:
            still_failing = still_failing or result.pk == quarantine_id
            row = {"key": None, "status": "quarantined", "id": result.pk, "attempts": result.attempts,
                   "reason": result.reason}
        print(json.dumps(row, ensure_ascii=False))
    final = Quarantine.objects.only("status", "attempts").get(pk=quarantine_id)
    print(f"quarantine {quarantine_id}: {final.status} after {final.attempts} attempt(s)", file=sys.stderr)
    return 1 if still_failing else 0
