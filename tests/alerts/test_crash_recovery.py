"""At-least-once without duplicates: a sender killed between claim and send, or run twice, sends each alert once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.alerts.readers import reader
from tests.site.stories import ORBIS, tagged_story
from tickerwire.alerts import sending
from tickerwire.alerts.actions import do_follow
from tickerwire.alerts.models import Delivery
from tickerwire.alerts.planning import plan_story_alerts
from tickerwire.alerts.tasks import plan_alerts, run_due, send_deliveries

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs in this sender."""


def planned(readers: int = 3) -> list[int]:
    for n in range(readers):
        do_follow(reader(f"r{n}"), "ticker", ORBIS.symbol)
    article = tagged_story(1, ORBIS)
    plan = plan_story_alerts(article.pk, "story_stored")
    assert len(plan.to_send) == readers
    return plan.to_send


def test_the_planner_run_twice_writes_each_delivery_once() -> None:
    for n in range(3):
        do_follow(reader(f"r{n}"), "ticker", ORBIS.symbol)
    article = tagged_story(1, ORBIS)
    assert plan_story_alerts(article.pk, "story_stored").written == 3
    assert plan_story_alerts(article.pk, "story_stored").written == 0
    assert plan_alerts.call(article.pk, "story_stored") == 0
    assert Delivery.objects.count() == 3


def test_a_sender_killed_between_claim_and_send_is_rerun_and_sends_once() -> None:
    """The pool queues the killed task again under its id: it takes its claim back and sends what was left."""
    ids = planned()
    calls: list[int] = []

    def kill_on_second(delivery: Delivery) -> None:
        calls.append(delivery.pk)
        if len(calls) == 2:
            raise WorkerKilled

    sending.after_claim = kill_on_second
    with pytest.raises(WorkerKilled):
        for delivery_id in ids:
            sending.send_delivery(delivery_id, "task-A")
    sending.after_claim = None
    assert len(mail.outbox) == 1
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert [states[i] for i in ids] == ["sent", "sending", "pending"]

    # Another sender (a duplicate queueing) before the claim's lease ends: it must not take the claimed row.
    assert [sending.send_delivery(i, "task-B") for i in ids] == ["skipped", "skipped", "sent"]
    # The killed task run again under its own id: the claimed row is sent, nothing twice.
    assert [sending.send_delivery(i, "task-A") for i in ids] == ["skipped", "sent", "skipped"]
    assert sorted(m.to[0] for m in mail.outbox) == ["r0@example.org", "r1@example.org", "r2@example.org"]
    assert Delivery.objects.filter(state="sent", attempts=1).count() == 2
    assert Delivery.objects.get(pk=ids[1]).attempts == 2


def test_a_claim_left_by_a_dead_sender_is_taken_over_after_its_lease(settings: Any) -> None:
    settings.TICKERWIRE_ALERTS_CLAIM_LEASE_SECONDS = 60
    ids = planned(1)

    def killed(delivery: Delivery) -> None:
        raise WorkerKilled

    sending.after_claim = killed
    with pytest.raises(WorkerKilled):
        sending.send_delivery(ids[0], "task-dead")
    sending.after_claim = None
    assert run_due(now=timezone.now() + timedelta(seconds=30)).get("sent", 0) == 0
    assert run_due(now=timezone.now() + timedelta(seconds=61)).get("sent") == 1
    assert run_due(now=timezone.now() + timedelta(seconds=200)).get("sent", 0) == 0
    assert len(mail.outbox) == 1


def test_the_send_task_run_twice_sends_once() -> None:
    ids = planned(2)
    first = send_deliveries.enqueue(ids)
    second = send_deliveries.enqueue(ids)
    assert first.return_value == {"sent": 2} and second.return_value == {"skipped": 2}
    assert len(mail.outbox) == 2
