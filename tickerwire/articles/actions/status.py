"""Change who may see a story: hold, embargo until a time, publish, withdraw; release passed embargoes.

Each change is one durable transaction that publishes ``status_changed`` with where the story was listed,
so the search index follows at once and cached pages that showed it are purged after commit.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from tickerwire.articles.events import StoryEvent, StoryEventName, publish
from tickerwire.articles.models import Article
from tickerwire.articles.selectors import placement
from tickerwire.articles.visibility import forget_released, released_embargo_ids


def do_set_status(
    article_id: int, status: str, *, embargo_until: datetime | None = None, alias: str = DEFAULT_DB_ALIAS
) -> Article:
    """Set a story's status (an embargo needs its time); return the article. Raise ``Article.DoesNotExist``."""
    with transaction.atomic(using=alias, durable=True):
        return set_status_in_transaction(article_id, status, embargo_until=embargo_until, alias=alias)


def check_status(status: str, embargo_until: datetime | None) -> None:
    """Refuse an unknown status, an embargo without its time, or a time on any other status."""
    if status not in Article.Status.values:
        raise ValueError(f"unknown status {status!r}: use one of {', '.join(Article.Status.values)}")
    if (status == Article.Status.EMBARGOED) != (embargo_until is not None):
        raise ValueError("an embargoed story needs embargo_until, and only an embargoed one takes it")


def set_status_in_transaction(
    article_id: int, status: str, *, embargo_until: datetime | None = None, alias: str = DEFAULT_DB_ALIAS
) -> Article:
    """Change the status inside the caller's transaction (a notice, a desk action recorded with it)."""
    check_status(status, embargo_until)
    article = Article.objects.using(alias).select_for_update().get(pk=article_id)
    if article.status == status and article.embargo_until == embargo_until:
        return article
    before = placement(article_id, using=alias)
    article.status, article.embargo_until = status, embargo_until
    article.save(using=alias, update_fields=["status", "embargo_until"])
    forget_released()  # this process sees the change at once (others within RELEASED_MEMO_SECONDS)
    transaction.on_commit(forget_released, using=alias)
    publish(StoryEvent(StoryEventName.STATUS_CHANGED, (article_id,), before=(before,)), using=alias)
    return article


def do_release_embargoes(at: datetime | None = None, *, alias: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Publish every embargoed story whose time has passed; return their ids (a worker runs this often).

    The stories are already visible from their embargo time (the visibility rule reads it); releasing them
    keeps the rule's fast path and purges the pages cached before the embargo lifted.
    """
    due = released_embargo_ids(at or timezone.now(), using=alias)  # a given time: read now, never memoised
    for article_id in due:
        do_set_status(article_id, Article.Status.PUBLISHED, alias=alias)
    return due
