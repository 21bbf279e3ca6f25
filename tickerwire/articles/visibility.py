"""What the public sees: the one rule, as a QuerySet method, a ``Q``, an SQL fragment and a row check.

A story is public when its status is ``published``, or ``embargoed`` with its embargo time passed (the
release task then marks it published; until it runs, the rule already shows it). ``held`` and
``withdrawn`` stories are never public. Every list, page, feed, sitemap, search, related box, API route
and cache reads visibility through this module, so a new status is added here once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from tickerwire.articles.models import Article

PUBLISHED = "published"
HELD = "held"
EMBARGOED = "embargoed"
WITHDRAWN = "withdrawn"


def visible_q(at: datetime | None = None, prefix: str = "") -> Q:
    """Return the condition for public stories at ``at`` (now by default); ``prefix`` reaches them by a relation.

    ``prefix`` is a lookup path ending in ``__`` (``"article__"``, ``"related__"``), for filters on rows that
    point at articles.
    """
    when = at or timezone.now()
    return Q(**{f"{prefix}status": PUBLISHED}) | Q(
        **{f"{prefix}status": EMBARGOED, f"{prefix}embargo_until__lte": when}
    )


def visible_sql(table: str, quote: Any, at: datetime | None = None) -> tuple[str, list[Any]]:
    """Return the rule as an SQL fragment over ``table`` (an alias, quoted by ``quote``) and its parameters.

    For the raw statements (search backends, conditional GET validators) that the ORM does not build.
    """
    status, embargo = (f"{table}.{quote(column)}" for column in ("status", "embargo_until"))
    return f"({status} = %s OR ({status} = %s AND {embargo} <= %s))", [PUBLISHED, EMBARGOED, at or timezone.now()]


def is_visible(status: str, embargo_until: datetime | None, at: datetime | None = None) -> bool:
    """Return the rule for one row already read (the Python twin of :func:`visible_q`)."""
    if status == PUBLISHED:
        return True
    return status == EMBARGOED and embargo_until is not None and embargo_until <= (at or timezone.now())


def article_is_visible(article: Article, at: datetime | None = None) -> bool:
    """Return whether one loaded article is public at ``at``."""
    return is_visible(article.status, article.embargo_until, at)


class ArticleQuerySet(models.QuerySet["Article"]):
    """Article queries; :meth:`visible` is the only public filter."""

    def visible(self, at: datetime | None = None) -> ArticleQuerySet:
        """Return the stories the public may see at ``at`` (now by default)."""
        return self.filter(visible_q(at))
