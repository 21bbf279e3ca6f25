"""``tickerwire alerts run [--every S] | show USER``: send due alerts and digests; show a reader's follows.

``run`` sends every daily digest whose local hour has come, webhook retries whose back-off has passed, and
deliveries a dead sender left claimed; once (from cron or a timer), or every S seconds until interrupted
(``tickerwire worker --alerts-every S`` runs the same loop beside the queue).
"""

from __future__ import annotations

import argparse
import signal
import threading


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "alerts",
        help="watchlist alerts: send due digests and retries; show a reader's follows",
        description="run: send due daily digests, due webhook retries and alerts a dead sender left (once, or "
        "every S seconds with --every); show USER: list a reader's follows and how each alerts.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run_parser = actions.add_parser("run", help="send due digests, retries and abandoned alerts")
    run_parser.add_argument("--every", type=float, default=None, metavar="S",
                            help="keep running, every S seconds, until interrupted")
    show = actions.add_parser("show", help="list a reader's follows")
    show.add_argument("user", help="the reader's username")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    if args.action == "show":
        return _show(args.user)
    from tickerwire.alerts.tasks import run_due, run_every

    if args.every is None:
        counts = run_due()
        print(" ".join(f"{key}={value}" for key, value in sorted(counts.items())) or "nothing due", flush=True)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        run_every(max(args.every, 0.1), stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


def _show(username: str) -> int:
    import sys

    from django.contrib.auth import get_user_model

    from tickerwire.alerts.models import Follow

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        print(f"tickerwire: no reader named {username!r}", file=sys.stderr)
        return 1
    for follow in Follow.objects.filter(user=user):
        updates = " +updates" if follow.include_updates else ""
        print(f"{follow.pk}\t{follow.kind}\t{follow.label or follow.target}\t{follow.channel}{updates}")
    return 0
