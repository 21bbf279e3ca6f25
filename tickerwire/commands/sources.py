"""``tickerwire sources add|list|show|pause|resume|remove``: the feeds and sites ``tickerwire poll`` polls."""

from __future__ import annotations

import argparse
import sys

FORMATS = ("rss", "atom", "html", "sitemap", "ninjs")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="register and inspect polled feeds and sites",
        description="Feeds and sites that `tickerwire poll` polls on a schedule. add: register one; "
        "list: one line each; show ID: settings, health and last error; pause/resume/remove ID.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="register a feed or site to poll")
    add.add_argument("url", help="http or https URL of the feed, page or sitemap")
    add.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    add.add_argument("--every", default="5m", help="poll interval: 90s, 5m, 2h, 1d (default 5m)")
    add.add_argument("--section", default="", help="site section for items that name none")
    add.add_argument("--fetch-articles", action="store_true", help="fetch and parse each new item's linked page")
    add.add_argument("--name", default="", help="source name stories are stored under (default: the URL)")
    add.add_argument("--time-zone", default="UTC", help="IANA zone of the source's undated times (default UTC)")
    actions.add_parser("list", help="one line per source: id, state, interval, last poll, URL")
    for action, text in (("show", "details and health of one source"), ("pause", "stop polling a source"),
                         ("resume", "poll a paused source again"), ("remove", "stop polling and forget a source")):
        actions.add_parser(action, help=text).add_argument("id", type=int)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from tickerwire.sources.models import PolledSource

    if args.action == "add":
        return add_source(args)
    if args.action == "list":
        return list_sources()
    try:
        polled = PolledSource.objects.select_related("source").get(pk=args.id)
    except PolledSource.DoesNotExist:
        print(f"no source has id {args.id} (see `tickerwire sources list`)", file=sys.stderr)
        return 1
    from tickerwire.sources.actions import do_pause_source, do_remove_source, do_resume_source

    if args.action == "show":
        return show_source(polled)
    if args.action == "pause":
        do_pause_source(polled)
        print(f"paused {polled.pk} {polled.url}")
    elif args.action == "resume":
        do_resume_source(polled)
        print(f"resumed {polled.pk} {polled.url}")
    else:
        do_remove_source(polled)
        print(f"removed {args.id} {polled.url} (its stories stay)")
    return 0


def add_source(args: argparse.Namespace) -> int:
    """Register one source and print its id."""
    from tickerwire.sources.actions import SourceError, do_add_source, parse_interval

    try:
        polled = do_add_source(
            args.url, fmt=args.fmt, interval_seconds=parse_interval(args.every), name=args.name,
            section=args.section, fetch_articles=args.fetch_articles, time_zone=args.time_zone,
        )
    except SourceError as exc:
        print(f"tickerwire sources add: {exc}", file=sys.stderr)
        return 1
    print(f"added {polled.pk} {polled.url} ({polled.format}, every {polled.interval_seconds}s)")
    return 0


def _state(polled: object) -> str:
    from tickerwire.sources.models import PolledSource

    assert isinstance(polled, PolledSource)
    if polled.paused:
        return "paused"
    return "failing" if polled.failures else "ok"


def list_sources() -> int:
    """Print one tab-separated line per source."""
    from tickerwire.sources.models import PolledSource

    out = sys.stdout
    out.write("id\tstate\tformat\tevery\tlast poll\tnew\tfailures\turl\n")
    for polled in PolledSource.objects.select_related("source"):
        when = polled.last_poll_at.isoformat(timespec="seconds") if polled.last_poll_at else "never"
        out.write(f"{polled.pk}\t{_state(polled)}\t{polled.format}\t{polled.interval_seconds}s\t{when}\t"
                  f"{polled.items_new}\t{polled.failures}\t{polled.url}\n")
    return 0


def show_source(polled: object) -> int:
    """Print a source's settings and health, its last error included."""
    from tickerwire.sources.models import PolledSource

    assert isinstance(polled, PolledSource)

    def when(value: object) -> str:
        return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else "never"

    rows = [
        ("id", polled.pk), ("name", polled.source.name), ("url", polled.url), ("format", polled.format),
        ("every", f"{polled.interval_seconds}s"), ("section", polled.section or "-"),
        ("fetch articles", "yes" if polled.fetch_articles else "no"), ("time zone", polled.time_zone),
        ("state", _state(polled)), ("paused because", polled.paused_reason or "-"),
        ("last poll", when(polled.last_poll_at)), ("last status", polled.last_status or "-"),
        ("last success", when(polled.last_success_at)), ("next poll", when(polled.next_poll_at)),
        ("items seen", f"{polled.items_seen} last poll, {polled.items_seen_total} in all"),
        ("items new", f"{polled.items_new} last poll, {polled.items_new_total} in all"),
        ("failures in a row", polled.failures),
        ("last error", f"{polled.last_error} ({when(polled.last_error_at)})" if polled.last_error else "-"),
        ("etag", polled.etag or "-"), ("last modified", polled.last_modified or "-"),
    ]
    for label, value in rows:
        print(f"{label + ':':<19}{value}")
    return 0
