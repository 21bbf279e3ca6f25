"""Note that a story's public discussion changed, so its page validators change with it.

The anonymous article page carries the public comment list, and browsers revalidate it with the ETag and
Last-Modified of the story. A comment shown, edited, removed or liked does not revise the story, so the
comments app calls :func:`note_discussion_changed` inside its own transaction: the page's validators then
differ, a revalidating reader gets the new list instead of a 304, and cached copies checked against the
row (the page cache's article mark) are stale in every process, purge or not.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils import timezone

from tickerwire.articles.models import Article


def note_discussion_changed(article_id: int, at: datetime | None = None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the story's discussion time to ``at`` (now), never backwards; a missing story is ignored."""
    moment = at or timezone.now()
    Article.objects.using(using).filter(
        Q(discussion_changed_at__isnull=True) | Q(discussion_changed_at__lt=moment), pk=article_id,
    ).update(discussion_changed_at=moment)
