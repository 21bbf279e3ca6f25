"""Tasks that failed because the database went away run again once it is back; real failures stay failed."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tickerwire.ops.workers import OUTAGE_RETRIES, requeue_abandoned, requeue_failed_in_outage

pytestmark = pytest.mark.django_db


def _task(status: str, exception: str = "", workers: int = 1, traceback: str = "") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [1], "kwargs": {}}, task_path="tickerwire.articles.tasks.embed_and_relate",
        backend_name="default", run_after=timezone.now(), exception_class_path=exception, traceback=traceback,
        worker_ids=[f"host:1:0:{n}" for n in range(workers)], started_at=timezone.now(),
    )


def test_outage_failures_are_queued_again_and_bugs_are_not() -> None:
    outage = _task("FAILED", "django.db.utils.OperationalError", traceback="server closed the connection")
    bug = _task("FAILED", "builtins.ValueError")
    missing_table = _task("FAILED", "django.db.utils.OperationalError", traceback="no such table: x")
    tried_enough = _task("FAILED", "django.db.utils.InterfaceError", workers=OUTAGE_RETRIES)
    assert requeue_failed_in_outage() == 1
    statuses = {t.pk: DBTaskResult.objects.get(pk=t.pk).status for t in (outage, bug, missing_table, tried_enough)}
    assert statuses == {outage.pk: "READY", bug.pk: "FAILED", missing_table.pk: "FAILED", tried_enough.pk: "FAILED"}


def test_a_running_task_of_an_exited_worker_is_queued_again() -> None:
    held = _task("RUNNING", workers=1)
    other = _task("RUNNING", workers=2)
    assert requeue_abandoned(worker_ids=["host:1:0:0"]) == 1
    assert DBTaskResult.objects.get(pk=held.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=other.pk).status == "RUNNING"  # last claimed by host:1:0:1


def test_a_running_pool_queues_again_a_task_held_past_its_lease(monkeypatch) -> None:  # noqa: ANN001
    """A claim a live worker lost track of goes back to the queue while the pool runs, not only at its start."""
    from datetime import timedelta

    from tickerwire.ops.workers import Pool

    monkeypatch.setenv("TICKERWIRE_TASK_LEASE_SECONDS", "60")
    stranded = _task("RUNNING")
    fresh = _task("RUNNING")
    DBTaskResult.objects.filter(pk=stranded.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    Pool(2, [])._requeue()
    assert DBTaskResult.objects.get(pk=stranded.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"
