"""What the public sees: the one rule every list, page, feed, sitemap, search, related box, API route and cache uses.

A story is visible when it is published, or embargoed with an embargo time that has passed. Held and
withdrawn stories are visible nowhere. The rule comes in the forms its callers need, all built here:

- ``Article.objects.visible(at)`` for QuerySets (:meth:`ArticleQuerySet.visible`);
- :func:`visible_q` for lookups through a relation (``related__``, ``article__``);
- :func:`visible_sql` for the raw statements (search backends, conditional GET);
- :func:`is_visible` for rows already read (lists that check the status in Python for speed).

Embargoed stories whose time has passed are few and short-lived (the desk's release action publishes them),
so the rule reads them by id: with none pending, the SQL is exactly ``status = 'published'``, which keeps the
``(status, published_at)`` index plans of the list pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

PUBLISHED = "published"
EMBARGOED = "embargoed"
HELD = "held"
WITHDRAWN = "withdrawn"
# Statuses the search index keeps (an embargoed story is indexed ahead, and filtered by time at query).
INDEXED_STATUSES = frozenset({PUBLISHED, EMBARGOED})


def is_visible(status: str, embargo_until: datetime | None, at: datetime | None = None) -> bool:
    """Return whether a story with this status and embargo time is public at ``at`` (default: now)."""
    if status == PUBLISHED:
        return True
    if status == EMBARGOED and embargo_until is not None:
        return embargo_until <= (at or timezone.now())
    return False


# "Now" answers are reused this long: a page calls the rule once per list, and an embargo may lift up to
# this much late in another process (this process forgets them at once on a status change).
RELEASED_MEMO_SECONDS = 1.0
_released_memo: dict[str, tuple[datetime, list[int]]] = {}


def released_embargo_ids(at: datetime | None = None, using: str | None = None) -> list[int]:
    """Return the ids of embargoed stories whose embargo has passed at ``at`` (usually none)."""
    from tickerwire.articles.models import Article

    alias = using or "default"
    now = timezone.now()
    if at is None:
        memo = _released_memo.get(alias)
        if memo is not None and 0 <= (now - memo[0]).total_seconds() < RELEASED_MEMO_SECONDS:
            return memo[1]
    manager = Article.objects.db_manager(using) if using else Article.objects
    ids = list(
        manager.filter(status=EMBARGOED, embargo_until__lte=at or now).order_by().values_list("id", flat=True)
    )
    if at is None:
        _released_memo[alias] = (now, ids)
    return ids


def forget_released() -> None:
    """Drop the memo of released embargoes (a status or embargo time just changed)."""
    _released_memo.clear()


def visible_q(prefix: str = "", at: datetime | None = None, using: str | None = None) -> Q:
    """Return the rule as a ``Q`` on the article reached by ``prefix`` (``""``, ``"article__"``, ...)."""
    condition = Q(**{f"{prefix}status": PUBLISHED})
    released = released_embargo_ids(at, using)
    if released:
        condition |= Q(**{f"{prefix}pk__in": released})
    return condition


def visible_sql(
    connection: BaseDatabaseWrapper, table_alias: str, at: datetime | None = None
) -> tuple[str, list[object]]:
    """Return the rule as an SQL condition on the article table named ``table_alias``, with its parameters."""
    quote = connection.ops.quote_name
    status = f"{quote(table_alias)}.{quote('status')}" if table_alias else quote("status")
    released = released_embargo_ids(at, connection.alias)
    if not released:
        return f"{status} = %s", [PUBLISHED]
    pk = f"{quote(table_alias)}.{quote('id')}" if table_alias else quote("id")
    marks = ", ".join(["%s"] * len(released))
    return f"({status} = %s OR {pk} IN ({marks}))", [PUBLISHED, *released]


class ArticleQuerySet(models.QuerySet):
    """Article queries; :meth:`visible` is the public's view of the store."""

    def visible(self, at: datetime | None = None) -> ArticleQuerySet:
        """Return the stories the public may see at ``at`` (default: now)."""
        return self.filter(visible_q(at=at, using=self.db))
