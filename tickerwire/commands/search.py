"""``tickerwire search QUERY`` and ``tickerwire search --rebuild``: query or rebuild the full-text index."""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from datetime import UTC, datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search stored articles, or rebuild the search index",
        description="Search published articles as the site does (prints JSON Lines), or rebuild the index.",
    )
    parser.add_argument("query", nargs="?", help='search text: words, "phrases", -excluded')
    parser.add_argument("--section", help="section slug, e.g. stocks-market")
    parser.add_argument("--ticker", help="ticker symbol")
    parser.add_argument("--since", type=_date, help="YYYY-MM-DD (UTC)")
    parser.add_argument("--until", type=_date, help="YYYY-MM-DD (UTC, exclusive)")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true", help="re-index every article from the store")
    parser.set_defaults(func=run)


def _date(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from tickerwire.search import QueryTooComplex, SearchQuery, SearchTimedOut, rebuild_index, search

    if args.rebuild:
        print(f"indexed {rebuild_index()} articles", file=sys.stderr)
        return 0
    if not args.query:
        print("tickerwire search: give a QUERY, or --rebuild", file=sys.stderr)
        return 2
    try:
        results = search(
            SearchQuery(args.query, section_slug=args.section, symbol=args.ticker, since=args.since,
                        until=args.until, limit=args.limit)
        )
    except (QueryTooComplex, SearchTimedOut) as exc:
        print(f"tickerwire search: {exc}", file=sys.stderr)
        return 2
    if results.ticker is not None:
        print(json.dumps({"ticker": results.ticker.symbol, "name": results.ticker.name}))
    for hit in results.hits:
        snippet = html.unescape(re.sub(r"</?mark>", "", hit.snippet_html))
        print(json.dumps({"id": hit.article.pk, "key": hit.article.key, "score": round(hit.score, 4),
                          "headline": hit.article.headline, "snippet": snippet}, ensure_ascii=False))
    more = "" if results.total_exact else "+ (ranked among the most recent)"
    print(f"{results.total}{more} matches", file=sys.stderr)
    return 0
