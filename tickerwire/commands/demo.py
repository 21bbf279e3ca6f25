"""``tickerwire demo [--host H] [--port P] [--no-serve]``: load the fictional sample content, then serve the site.

Sample tickers go in through an action and every sample file through :func:`ingest_bytes`, the path
``tickerwire ingest`` uses, so the demo shows what real input becomes. Loading again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field

from tickerwire.commands.serve import add_server_arguments, check_port_free, prepare_site, serve, site_url

SAMPLE_SOURCE = "Tickerwire Sample Wire"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="load the fictional sample content and serve the site",
        description="Migrate the database, load the fictional sample tickers and stories (again: nothing "
        "changes), print what was loaded and serve the site with granian. The exit status is 1 when a "
        "sample file could not be stored.",
    )
    add_server_arguments(parser)
    parser.add_argument("--no-serve", action="store_true", help="load the sample content and exit")
    parser.set_defaults(func=run)


@dataclass
class SampleLoad:
    """What loading the sample content did."""

    files: int = 0
    tickers_created: int = 0
    tickers_updated: int = 0
    tickers_unchanged: int = 0
    stories: Counter[str] = field(default_factory=Counter)  # new / revised / unchanged / skipped
    problems: list[str] = field(default_factory=list)  # one line per quarantined item


def load_sample_content() -> SampleLoad:
    """Load the sample tickers and ingest every sample story file, oldest first; return the counts."""
    from tickerwire.articles.actions.ingest import IngestOutcome, RefusedItem, SkippedItem, ingest_bytes
    from tickerwire.articles.actions.tickers import do_import_tickers
    from tickerwire.enrich.ticker_directory import read_bundled, read_sample_tickers
    from tickerwire.sample_content import TICKERS_PATH, sample_files

    load = SampleLoad()
    # The real US directory too, so a story that names a listed company links to a named ticker page.
    counts = do_import_tickers([*read_bundled(), *read_sample_tickers(TICKERS_PATH)])
    load.tickers_created, load.tickers_updated = counts.created, counts.updated
    load.tickers_unchanged = counts.unchanged
    for sample in sample_files():
        load.files += 1
        name = f"sample_content/{sample.path.name}"
        for result in ingest_bytes(sample.path.read_bytes(), fmt="auto", source_name=SAMPLE_SOURCE, path=name):
            if isinstance(result, IngestOutcome):
                load.stories[result.status] += 1
            elif isinstance(result, SkippedItem):
                load.stories["skipped"] += 1
            elif isinstance(result, RefusedItem):
                load.problems.append(f"{name}: refused: {result.reason}")
            else:
                load.problems.append(f"{name}: quarantined (id {result.pk}): {result.reason}")
    return load


def report(load: SampleLoad) -> None:
    """Print what was loaded, one line per kind of thing."""
    tickers = load.tickers_created + load.tickers_updated + load.tickers_unchanged
    print(
        f"Tickers (US directory and sample companies): {tickers} ({load.tickers_created} new, "
        f"{load.tickers_updated} updated, {load.tickers_unchanged} unchanged)"
    )
    stories = load.stories
    print(
        f"Sample stories: {load.files} files: {stories['new']} new, {stories['revised']} revised, "
        f"{stories['unchanged']} unchanged, {stories['skipped']} skipped, {len(load.problems)} quarantined"
    )
    for problem in load.problems:
        print(problem, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if not args.no_serve:
        check_port_free(args.host, args.port)  # before loading, which takes a while
    prepare_site()
    load = load_sample_content()
    report(load)
    if args.no_serve:
        return 1 if load.problems else 0
    print(f"Tickerwire demo: {site_url(args.host, args.port)}", flush=True)
    return serve(args.host, args.port, args.workers, args.threads)
