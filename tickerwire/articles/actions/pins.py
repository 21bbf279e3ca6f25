"""Pin a story to lead the home page or a section page, until a time; unpin it.

Each change publishes ``story_corrected`` with the pinned list in the story's placement, so the home or
section page cached without (or with) the pin is purged after commit. The desk records who pinned what.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from tickerwire.articles.events import StoryEvent, StoryEventName, publish
from tickerwire.articles.models import Article, Pin, Section
from tickerwire.articles.selectors import placement


def _announce(article_id: int, section: Section | None, alias: str) -> None:
    before = placement(article_id, using=alias)
    if section is not None:
        before.section_slugs.add(section.slug)
    publish(StoryEvent(StoryEventName.CORRECTED, (article_id,), before=(before,)), using=alias)


def pin_in_transaction(
    article_id: int, section: Section | None, *, expires_at: datetime | None, position: int = 0,
    alias: str = DEFAULT_DB_ALIAS,
) -> Pin:
    """Pin the story (again: its expiry and position change) inside the caller's transaction."""
    Article.objects.using(alias).select_for_update().get(pk=article_id)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("a pin's expiry must be in the future")
    pin, _created = Pin.objects.using(alias).update_or_create(
        article_id=article_id, section=section,
        defaults={"expires_at": expires_at, "position": position, "pinned_at": timezone.now()},
    )
    _announce(article_id, section, alias)
    return pin


def unpin_in_transaction(article_id: int, section: Section | None, *, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Remove the story's pin from the home page or section; return whether it was pinned there."""
    deleted, _by_model = Pin.objects.using(alias).filter(article_id=article_id, section=section).delete()
    if deleted:
        _announce(article_id, section, alias)
    return bool(deleted)
