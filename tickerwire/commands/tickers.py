"""``tickerwire tickers import FILE...|--bundled`` and ``tickerwire tickers list [--search Q]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tickerwire.enrich.ticker_directory import (
    BUNDLED_PATH,
    DirectoryEntry,
    DirectoryFormatError,
    merge_directories,
    parse_directory,
    read_bundled,
    sniff_format,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tickers",
        help="import official symbol directories into the Ticker table; list tickers",
        description="import: refresh the Ticker table from NASDAQ Trader nasdaqlisted.txt/otherlisted.txt, "
        "SEC company_tickers[_exchange].json, S&P 500 constituents.csv or a bundled tickers.tsv(.gz), "
        "each file's format sniffed; --bundled loads the directory shipped with Tickerwire. "
        "list: one line per ticker.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="create or update tickers from directory files")
    importing.add_argument("files", nargs="*", metavar="FILE", help="directory files (format sniffed)")
    importing.add_argument("--bundled", action="store_true", help="load the bundled US directory")
    listing = actions.add_parser("list", help="one line per ticker: symbol, exchange, name")
    listing.add_argument("--search", metavar="Q", help="only symbols or names containing Q (case-insensitive)")
    listing.add_argument("--limit", type=int, default=0, help="print at most this many (default: all)")
    parser.set_defaults(func=run)


def read_entries(paths: list[str]) -> list[DirectoryEntry]:
    """Parse every file and merge them as the build script does; raise on an unreadable or unknown file."""
    nasdaq: list[DirectoryEntry] = []
    sec: list[DirectoryEntry] = []
    sp500: list[DirectoryEntry] = []
    bundled: list[DirectoryEntry] = []
    for path in paths:
        data = Path(path).read_bytes()
        try:
            fmt = sniff_format(data)
            entries = parse_directory(data, fmt)
        except DirectoryFormatError as exc:
            raise DirectoryFormatError(f"{path}: {exc}") from exc
        {"nasdaqlisted": nasdaq, "otherlisted": nasdaq, "sec": sec, "sp500": sp500, "bundled": bundled}[fmt].extend(
            entries
        )
    return bundled + merge_directories(nasdaq, sec, sp500)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    if args.action == "import":
        if not args.files and not args.bundled:
            print("tickers import: give directory FILEs or --bundled", file=sys.stderr)
            return 2
        try:
            entries = read_entries(args.files) if args.files else []
            if args.bundled:
                entries = read_bundled(BUNDLED_PATH) + entries
        except OSError as exc:
            print(f"tickers import: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
            return 1
        except DirectoryFormatError as exc:
            print(f"tickers import: {exc}", file=sys.stderr)
            return 1
        setup_django()
        migrate_quietly()
        from tickerwire.articles.actions.tickers import do_import_tickers

        summary = do_import_tickers(entries)
        print(f"{summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged")
        return 0
    setup_django()
    migrate_quietly()
    return list_tickers(args.search, args.limit)


def list_tickers(search: str | None, limit: int) -> int:
    """Print one tab-separated line per ticker, by symbol."""
    from django.db.models import Q

    from tickerwire.articles.models import Ticker

    rows = Ticker.objects.order_by("symbol", "exchange")
    if search:
        rows = rows.filter(Q(symbol__icontains=search) | Q(name__icontains=search))
    if limit:
        rows = rows[:limit]
    out = sys.stdout
    for symbol, exchange, name in rows.values_list("symbol", "exchange", "name").iterator():
        out.write(f"{symbol}\t{exchange}\t{name}\n")
    return 0
