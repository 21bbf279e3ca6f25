"""Only stories the public sees alert: held and embargoed ones when published, withdrawn ones never."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.alerts.readers import announce, reader
from tests.site.stories import ORBIS, tagged_story
from tickerwire.alerts.actions import do_follow
from tickerwire.alerts.models import Delivery
from tickerwire.articles.actions.status import do_release_embargoes, do_set_status
from tickerwire.articles.events import StoryEventName

pytestmark = pytest.mark.django_db


def test_a_held_story_alerts_when_it_is_published(django_capture_on_commit_callbacks: Any) -> None:
    do_follow(reader("ada"), "ticker", ORBIS.symbol)
    article = tagged_story(1, ORBIS)
    with django_capture_on_commit_callbacks(execute=True):
        do_set_status(article.pk, "held")
    announce(django_capture_on_commit_callbacks, article)  # its stored event, heard while held
    assert mail.outbox == [] and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        do_set_status(article.pk, "published")
    assert len(mail.outbox) == 1 and article.headline in mail.outbox[0].subject


def test_an_embargoed_story_alerts_when_its_embargo_is_released(
        django_capture_on_commit_callbacks: Any, clock: Any) -> None:
    do_follow(reader("ada"), "ticker", ORBIS.symbol)
    start = timezone.now()
    clock(start)
    article = tagged_story(1, ORBIS)
    with django_capture_on_commit_callbacks(execute=True):
        do_set_status(article.pk, "embargoed", embargo_until=start + timedelta(minutes=10))
    announce(django_capture_on_commit_callbacks, article)
    assert mail.outbox == []
    later: datetime = start + timedelta(minutes=11)
    clock(later)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_release_embargoes() == [article.pk]
    assert len(mail.outbox) == 1


def test_a_withdrawn_story_never_alerts(django_capture_on_commit_callbacks: Any) -> None:
    do_follow(reader("ada"), "ticker", ORBIS.symbol)
    article = tagged_story(1, ORBIS)
    with django_capture_on_commit_callbacks(execute=True):
        do_set_status(article.pk, "withdrawn")
    announce(django_capture_on_commit_callbacks, article)
    announce(django_capture_on_commit_callbacks, article, StoryEventName.REVISED)
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_a_story_withdrawn_between_planning_and_sending_is_not_sent(django_capture_on_commit_callbacks: Any) -> None:
    """The plan is written, then the story is withdrawn before its email goes: cancelled, not sent."""
    from tickerwire.alerts.planning import plan_story_alerts
    from tickerwire.alerts.sending import send_delivery

    do_follow(reader("ada"), "ticker", ORBIS.symbol)
    article = tagged_story(1, ORBIS)
    plan = plan_story_alerts(article.pk, "story_stored")
    do_set_status(article.pk, "held")
    assert send_delivery(plan.to_send[0], "task-1") == "cancelled"
    assert mail.outbox == []
