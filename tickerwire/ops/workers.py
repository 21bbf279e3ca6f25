"""A pool of task workers that survives its members: a killed worker's task is queued again, and it is restarted.

django-tasks-db marks a claimed task RUNNING with the worker's id and has no recovery of its own, so a
worker killed mid-task would leave that task RUNNING for ever. The pool gives each worker process an id,
and when one exits for any reason the tasks still RUNNING under that id go back to READY before the worker
is started again. Every task of ours is idempotent (embedding, related ranking, embargo release), so a
task that had in fact finished its work and is run again changes nothing. At start, and every few seconds
while the pool runs, tasks RUNNING for longer than ``TICKERWIRE_TASK_LEASE_SECONDS`` are queued again too:
their pool died with its machine, or a live worker lost track of a claim.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

POLL_SECONDS = 0.2
OUTAGE_CHECK_SECONDS = 5.0
RESTART_BACKOFF_SECONDS = (0.5, 1, 2, 5, 10)


def requeue_abandoned(*, worker_ids: Iterable[str] = (), started_before: datetime | None = None) -> int:
    """Put RUNNING tasks last claimed by one of ``worker_ids`` (or started before a time) back in the queue."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    wanted = set(worker_ids)
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status="RUNNING")
        if started_before is not None and not wanted:
            running = running.filter(started_at__lt=started_before)
        ids = [row.pk for row in running.only("pk", "worker_ids", "started_at")
               if (row.worker_ids and row.worker_ids[-1] in wanted)
               or (started_before is not None and row.started_at is not None and row.started_at < started_before)]
        return DBTaskResult.objects.filter(pk__in=ids).update(status="READY", started_at=None)


# Exceptions that mean "the database was not reachable", not "the task is wrong": such a failed task is queued
# again once the database answers (every task of ours is idempotent), up to OUTAGE_RETRIES claims.
OUTAGE_EXCEPTIONS = ("django.db.utils.OperationalError", "django.db.utils.InterfaceError",
                     "psycopg.OperationalError", "psycopg.InterfaceError")
OUTAGE_RETRIES = 5


def requeue_failed_in_outage() -> int:
    """Queue again the tasks that failed because the database went away (a restart), not because of a bug."""
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.filter(status="FAILED", exception_class_path__in=OUTAGE_EXCEPTIONS)
    ids = [row.pk for row in failed.only("pk", "worker_ids", "traceback")
           if len(row.worker_ids) < OUTAGE_RETRIES and "no such table" not in row.traceback]
    return DBTaskResult.objects.filter(pk__in=ids).update(status="READY", started_at=None, finished_at=None)


def lease_seconds() -> float:
    """How long a task may stay RUNNING before it is presumed abandoned (``TICKERWIRE_TASK_LEASE_SECONDS``)."""
    return float(os.environ.get("TICKERWIRE_TASK_LEASE_SECONDS", "900"))


def requeue_expired_leases(lease_seconds: float) -> int:
    """Queue again the tasks RUNNING for longer than the lease (their worker is presumed dead)."""
    from django.utils import timezone

    return requeue_abandoned(started_before=timezone.now() - timedelta(seconds=lease_seconds))


@dataclass
class Member:
    """One worker process of the pool, with the id it claims tasks under."""

    slot: int
    worker_id: str = ""
    process: subprocess.Popen | None = None
    starts: int = 0
    restart_at: float | None = None  # None: not to be started again
    recent_failures: list[float] = field(default_factory=list)


class Pool:
    """Run ``size`` workers (``tickerwire worker`` children), requeueing and restarting any that exit."""

    def __init__(self, size: int, child_args: Sequence[str], *, batch: bool = False) -> None:
        self.size = size
        self.child_args = list(child_args)
        self.batch = batch
        self.members = [Member(slot) for slot in range(size)]
        self.stopping = False
        self.host = socket.gethostname()[:24]
        self.unrequeued: list[str] = []
        self.next_outage_check = 0.0

    def _start(self, member: Member) -> None:
        member.starts += 1
        member.restart_at = None
        member.worker_id = f"{self.host}:{os.getpid()}:{member.slot}:{member.starts}"
        member.process = subprocess.Popen(
            [sys.executable, "-m", "tickerwire", "worker", *self.child_args, "--worker-id", member.worker_id]
        )

    def _requeue(self) -> None:
        """Queue again what exited workers held and what failed in a database outage; retried while it is down."""
        from django.db import DatabaseError, connection

        try:
            if self.unrequeued:
                requeued = requeue_abandoned(worker_ids=self.unrequeued)
                print(f"{requeued} running task(s) of exited worker(s) {', '.join(self.unrequeued)} queued again",
                      file=sys.stderr, flush=True)
                self.unrequeued = []
            if time.monotonic() >= self.next_outage_check:
                self.next_outage_check = time.monotonic() + OUTAGE_CHECK_SECONDS
                if again := requeue_failed_in_outage():
                    print(f"{again} task(s) that failed while the database was away queued again",
                          file=sys.stderr, flush=True)
                if expired := requeue_expired_leases(lease_seconds()):
                    print(f"{expired} task(s) running for over TICKERWIRE_TASK_LEASE_SECONDS={lease_seconds():g} "
                          "queued again", file=sys.stderr, flush=True)
        except DatabaseError as exc:  # the database is down: try again on the next round
            connection.close()
            print(f"the database is not answering ({' '.join(str(exc).split())[:120]}); retrying",
                  file=sys.stderr, flush=True)

    def _reap(self, member: Member, code: int) -> None:
        """Note the exited worker's tasks for queueing again, and say when (if ever) to start it again."""
        how = f"signal {-code}" if code < 0 else f"status {code}"
        print(f"worker {member.worker_id} exited ({how})", file=sys.stderr, flush=True)
        self.unrequeued.append(member.worker_id)
        member.process = None
        if self.stopping or (self.batch and code == 0):
            return
        now = time.monotonic()
        if code == 0:
            member.restart_at = now
            return
        member.recent_failures = [t for t in member.recent_failures if now - t < 60] + [now]
        backoff = RESTART_BACKOFF_SECONDS[min(len(member.recent_failures), len(RESTART_BACKOFF_SECONDS)) - 1]
        member.restart_at = now + backoff

    def stop(self, signum: int = signal.SIGTERM, _frame: object = None) -> None:
        """Ask every worker to finish its task and exit (they stop taking new ones at once)."""
        self.stopping = True
        for member in self.members:
            member.restart_at = None
            if member.process and member.process.poll() is None:
                member.process.send_signal(signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT)

    def run(self) -> int:
        """Supervise until stopped (or, in batch mode, until every worker has finished the queue)."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for member in self.members:
            self._start(member)
        while True:
            for member in self.members:
                if member.process is not None and (code := member.process.poll()) is not None:
                    self._reap(member, code)
            self._requeue()  # before any restart, so a restarted worker finds its predecessor's task queued
            for member in self.members:
                if member.process is None and member.restart_at is not None and time.monotonic() >= member.restart_at:
                    self._start(member)
            if all(member.process is None and member.restart_at is None for member in self.members):
                self._requeue()
                return 0
            time.sleep(POLL_SECONDS)
