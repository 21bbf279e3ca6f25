"""Readers, follows and story events for the alerts tests (invented people and fictional companies)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from tickerwire.alerts.models import Delivery
from tickerwire.alerts.tasks import notify
from tickerwire.articles.events import StoryEvent, StoryEventName
from tickerwire.articles.models import Article


def reader(name: str = "ada", **fields: Any) -> Any:
    """Return a new reader account (Django's own user model, as accounts use)."""
    return get_user_model().objects.create_user(username=name, email=f"{name}@example.org", password="pw-" + name,
                                                **fields)


def announce(capture: Any, article: Article, event: StoryEventName = StoryEventName.STORED) -> None:
    """Run the ``alerts.notify`` consumer for a story event, and what it queues after commit."""
    with capture(execute=True):
        notify(StoryEvent(event, (article.pk,)))


def sent(**filters: Any) -> list[Delivery]:
    """Return the sent deliveries matching ``filters``."""
    return list(Delivery.objects.filter(state=Delivery.State.SENT, **filters).order_by("id"))
