"""``tickerwire desk release-embargoes [--every S] | roles | arrive-held SOURCE on|off``: the desk's CLI.

``release-embargoes`` publishes every embargoed story whose time has passed and prints one line per story
(run it from cron or a timer, or with ``--every S`` as a long-running process); ``roles`` creates the
editor, community manager and admin groups with their permissions; ``arrive-held SOURCE on|off`` makes a
source's new stories arrive held, so an operator reviews a new source before it publishes.
"""

from __future__ import annotations

import argparse
import signal
import threading


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "desk",
        help="editors' desk: release passed embargoes, set up the desk roles",
        description="release-embargoes: publish embargoed stories whose time has passed (once, or every S seconds "
        "with --every); roles: create or update the editor, community manager and admin groups.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    release = actions.add_parser("release-embargoes", help="publish embargoed stories whose time has passed")
    release.add_argument("--every", type=float, default=None, metavar="S",
                         help="keep running, releasing every S seconds, until interrupted")
    actions.add_parser("roles", help="create or update the desk's groups and their permissions")
    held = actions.add_parser("arrive-held", help="make a source's new stories arrive held for review (or not)")
    held.add_argument("source", help="the source's name (an API key's source, a feed, a wire)")
    held.add_argument("setting", choices=("on", "off"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    if args.action == "roles":
        from tickerwire.desk.roles import ensure_roles

        for name, count in ensure_roles().items():
            print(f"{name}: {count} permissions")
        return 0
    if args.action == "arrive-held":
        from tickerwire.articles.actions.sources import do_set_arrive_held

        source = do_set_arrive_held(args.source, args.setting == "on")
        print(f"{source.name}: new stories arrive {'held' if source.arrive_held else 'published'}")
        return 0
    if args.every is None:
        from tickerwire.articles.actions.status import do_release_embargoes

        print_released(do_release_embargoes())
        return 0
    from tickerwire.desk.tasks import release_every

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        release_every(max(args.every, 0.1), stop, released=print_released)
    except KeyboardInterrupt:
        stop.set()
    return 0


def print_released(ids: list[int]) -> None:
    """Print one line per released story and a count."""
    for article_id in ids:
        print(f"released {article_id}", flush=True)
    print(f"{len(ids)} embargoes released", flush=True)
