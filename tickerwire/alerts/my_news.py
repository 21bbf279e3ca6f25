"""The stories of "My news": every followed ticker's, section's and saved search's, newest first, each once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from tickerwire import search
from tickerwire.alerts.models import Follow
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker

# How many of each saved search's newest matches "My news" lists.
SEARCH_DEPTH = 100


def my_news_stories(follows: Iterable[Follow]) -> QuerySet[Article]:
    """Return the visible stories of these follows, newest first, each once (subqueries: no duplicate rows)."""
    follows = list(follows)
    symbols = [f.target for f in follows if f.kind == Follow.Kind.TICKER]
    slugs = [f.target for f in follows if f.kind == Follow.Kind.SECTION]
    wanted = Q(pk__in=[])
    if symbols:
        wanted |= Q(pk__in=ArticleTicker.objects.filter(symbol__in=symbols).values("article_id"))
    if slugs:
        wanted |= Q(pk__in=ArticleSection.objects.filter(section__slug__in=slugs).values("article_id"))
        wanted |= Q(primary_section__slug__in=slugs)
    found: set[int] = set()
    for follow in follows:
        if follow.kind == Follow.Kind.SEARCH:
            query = follow.query or {}
            results = search.search(search.SearchQuery(
                text=query.get("text", ""), section_slug=query.get("section") or None,
                symbol=query.get("ticker") or None, limit=SEARCH_DEPTH, sort="newest"))
            found.update(hit.article.pk for hit in results.hits)
    if found:
        wanted |= Q(pk__in=sorted(found))
    return Article.objects.visible().filter(wanted).select_related("primary_section").order_by("-published_at", "-id")
