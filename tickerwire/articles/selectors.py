"""Reads of the store that other packages share (the website's page queries live in ``tickerwire.site``)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tickerwire.articles.events import Placement
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker
from tickerwire.articles.visibility import visible_sql


def placement(article_id: int, using: str = "default") -> Placement:
    """Return where a stored story is shown now: its address, its sections and its tickers.

    Actions read it before they change a story and put it in their event, so the purge knows the pages
    that listed the story before the change as well as those that list it after.
    """
    article = (
        Article.objects.using(using).filter(pk=article_id)
        .select_related("primary_section").only("id", "slug", "published_at", "primary_section__slug").first()
    )
    if article is None:
        return Placement()
    slugs = set(
        ArticleSection.objects.using(using).filter(article_id=article_id).values_list("section__slug", flat=True)
    )
    if article.primary_section is not None:
        slugs.add(article.primary_section.slug)
    symbols = ArticleTicker.objects.using(using).filter(article_id=article_id).values_list("symbol", flat=True)
    return Placement(article.get_absolute_url(), frozenset(slugs), frozenset(symbols))


_VALIDATORS_SQL: dict[str, str] = {}


def article_validators(pk: int) -> tuple[datetime, int] | None:
    """Return ``(updated_at, revision_count)`` of a visible article for conditional GET, or None.

    Every article request (cached pages included) runs this, so the statement is built once per database
    vendor rather than compiled by the ORM each time (~1 ms saved a request).
    """
    connection = connections[router.db_for_read(Article)]
    quote = connection.ops.quote_name
    sql = _VALIDATORS_SQL.get(connection.vendor)
    meta = Article._meta
    visible, params = visible_sql(quote(meta.db_table), quote)
    if sql is None:
        updated, revisions, pk_column = (
            quote(meta.get_field(name).column) for name in ("updated_at", "revision_count", "id")
        )
        sql = f"SELECT {updated}, {revisions} FROM {quote(meta.db_table)} WHERE {pk_column} = %s AND {visible}"
        _VALIDATORS_SQL[connection.vendor] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *params])
        row = cursor.fetchone()
    if row is None:
        return None
    updated_at = parse_datetime(row[0]) if isinstance(row[0], str) else row[0]
    if updated_at is None:
        return None
    if timezone.is_naive(updated_at):  # SQLite keeps UTC without a zone
        updated_at = timezone.make_aware(updated_at, UTC)
    return updated_at, int(row[1])
