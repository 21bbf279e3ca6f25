"""``tickerwire worker [--batch] [--max-tasks N] [--interval S] [--release-every S] [--poll-every S]``: work the queue.

Runs django-tasks-db's ``db_worker`` against the ``database`` task backend: the command sets
``TICKERWIRE_TASKS=database`` for itself, and ingesting processes must set it too so their embedding and
related-story tasks are queued in the database instead of run in-process. Start one worker per core or
machine; each claims tasks with row locks, so several can share one queue. Embargoes are released by
tasks queued for their time; ``--release-every S`` also releases passed ones every S seconds beside the queue
(a thread), for embargoes set while no worker ran. ``--alerts-every S`` sends due alert digests, webhook
retries and alerts a dead sender left, every S seconds, in another thread (``tickerwire alerts run``).
``--poll-every S`` polls the registered sources that are due (``tickerwire poll``) in a third thread: again
at once while sources were due, else after S seconds. Sources are claimed with a lease, so several workers
polling at once poll each due source once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run background tasks (embeddings, related stories) from the database queue",
        description="Run queued background tasks until stopped (or, with --batch, until the queue is empty). "
        "Ingest with TICKERWIRE_TASKS=database so tasks are queued for workers instead of run in-process.",
    )
    parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
    parser.add_argument("--queue-name", default="default", help="queues to work, comma-separated, or *")
    parser.add_argument("--release-every", type=float, default=None, metavar="S",
                        help="also publish embargoed stories whose time has passed, every S seconds")
    parser.add_argument("--alerts-every", type=float, default=None, metavar="S",
                        help="also send due alert digests and webhook retries, every S seconds")
    parser.add_argument("--poll-every", type=float, default=None, metavar="S",
                        help="also poll the registered sources that are due, checking every S seconds")
    parser.add_argument("--processes", type=int, default=1, metavar="N",
                        help="run a pool of N worker processes: one that exits or is killed has its running task "
                        "queued again and is restarted (default 1: this process works the queue itself)")
    parser.add_argument("--worker-id", default=None, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def child_arguments(args: argparse.Namespace) -> list[str]:
    """The arguments each pool member gets: the pool's own, less the pool and the release thread."""
    child = ["--interval", str(args.interval), "--queue-name", args.queue_name]
    if args.batch:
        child.append("--batch")
    if args.max_tasks is not None:
        child += ["--max-tasks", str(args.max_tasks)]
    return child


def run(args: argparse.Namespace) -> int:
    os.environ["TICKERWIRE_TASKS"] = "database"
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from django.core.management import call_command

    from tickerwire.ops.workers import lease_seconds, requeue_expired_leases

    if args.processes < 1:
        print("tickerwire: --processes must be at least 1", file=sys.stderr)
        return 2
    if args.worker_id is None:
        requeued = requeue_expired_leases(lease_seconds())
        if requeued:
            print(f"{requeued} task(s) running for over TICKERWIRE_TASK_LEASE_SECONDS={lease_seconds():g} "
                  "queued again (their worker is gone)", file=sys.stderr)
    if args.processes > 1:
        return _run_pool(args)

    options: dict[str, object] = {
        "interval": args.interval,
        "queue_name": args.queue_name,
        "startup_delay": False,
        "reload": False,
        "verbosity": 1,
    }
    if args.worker_id:
        options["worker_id"] = args.worker_id
    if args.batch:
        options["batch"] = True
    if args.max_tasks is not None:
        options["max_tasks"] = args.max_tasks
    with _loops(args):
        call_command("db_worker", **options)
    return 0


def _run_pool(args: argparse.Namespace) -> int:
    from tickerwire.ops.workers import Pool

    pool = Pool(args.processes, child_arguments(args), batch=args.batch)
    with _loops(args):
        return pool.run()


@contextlib.contextmanager
def _loops(args: argparse.Namespace) -> Iterator[None]:
    """Run the periodic threads asked for (embargo release, alerts, polls) beside the queue; stop them after."""
    from tickerwire.alerts.tasks import start_alerts_thread
    from tickerwire.desk.tasks import start_release_thread
    from tickerwire.sources.tasks import start_poll_thread

    wanted: list[tuple[Callable[[float], tuple[threading.Thread, threading.Event]], float | None]] = [
        (start_release_thread, args.release_every), (start_alerts_thread, args.alerts_every),
        (start_poll_thread, args.poll_every)]
    started = [start(max(every, 0.1)) for start, every in wanted if every is not None]
    try:
        yield
    finally:
        for _thread, stop in started:
            stop.set()
        for thread, _stop in started:
            thread.join(timeout=10)
