"""Change what the public may see of a story: hold, embargo, publish or withdraw it."""

from __future__ import annotations

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from tickerwire.articles.events import StoryEvent, StoryEventName, publish
from tickerwire.articles.models import Article
from tickerwire.articles.selectors import placement


class StatusError(Exception):
    """A status change that cannot be made (the message says why)."""


def do_set_status(
    article_id: int, status: str, *, embargo_until: datetime | None = None, using: str = DEFAULT_DB_ALIAS
) -> Article:
    """Set a story's status (and embargo time) in one transaction; publish ``status_changed`` if it changed.

    An embargo needs an aware time; any other status clears it. Raise :class:`StatusError` for an unknown
    status or a missing embargo time, and ``Article.DoesNotExist`` for an unknown id.
    """
    if status not in Article.Status.values:
        raise StatusError(f"unknown status {status!r}: use one of {', '.join(Article.Status.values)}")
    if status == Article.Status.EMBARGOED:
        if embargo_until is None or timezone.is_naive(embargo_until):
            raise StatusError("an embargo needs a time with a zone (UTC is stored)")
    else:
        embargo_until = None
    with transaction.atomic(using=using, durable=True):
        article = Article.objects.using(using).select_for_update().get(pk=article_id)
        if (article.status, article.embargo_until) == (status, embargo_until):
            return article
        before = placement(article_id, using)
        Article.objects.using(using).filter(pk=article_id).update(status=status, embargo_until=embargo_until)
        article.status, article.embargo_until = status, embargo_until
        publish(StoryEvent(StoryEventName.STATUS_CHANGED, article_id, article.revision_count, before=before,
                           using=using))
    return article


def do_release_embargoes(at: datetime | None = None, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Publish every embargoed story whose time has passed; return their ids (the scheduler's job)."""
    when = at or timezone.now()
    due = list(
        Article.objects.using(using).filter(status=Article.Status.EMBARGOED, embargo_until__lte=when)
        .values_list("id", flat=True)
    )
    for article_id in due:
        do_set_status(article_id, Article.Status.PUBLISHED, using=using)
    return due
