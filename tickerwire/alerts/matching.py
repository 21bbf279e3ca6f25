"""Which follows a story matches: a few indexed lookups, never a loop over readers.

Ticker and section follows are found by the story's symbols and section slugs through the
``(kind, target)`` index. Saved searches are checked with :func:`tickerwire.search.matches`, the search
page's own rule, once per distinct search (however many readers saved it), and only those whose ticker or
section filter the story meets.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from tickerwire import search
from tickerwire.alerts.models import Follow
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker


def story_targets(article: Article) -> tuple[set[str], set[str]]:
    """Return the story's ticker symbols and section slugs."""
    symbols = set(ArticleTicker.objects.filter(article=article).values_list("symbol", flat=True))
    slugs = set(ArticleSection.objects.filter(article=article).values_list("section__slug", flat=True))
    if article.primary_section_id is not None and article.primary_section is not None:
        slugs.add(article.primary_section.slug)
    return symbols, slugs


def matched_follows(article: Article, *, alerting_only: bool = True) -> list[Follow]:
    """Return the follows ``article`` matches (with an alert channel unless ``alerting_only`` is False)."""
    symbols, slugs = story_targets(article)
    wanted = Q(kind=Follow.Kind.TICKER, target__in=symbols) | Q(kind=Follow.Kind.SECTION, target__in=slugs)
    base = Follow.objects.exclude(channel=Follow.Channel.NONE) if alerting_only else Follow.objects.all()
    # Only what planning reads: hundreds of rows a story, so no JSON or text columns decoded for nothing.
    light = base.only("id", "user_id", "kind", "target", "channel", "include_updates")
    found = list(light.filter(wanted).order_by("user_id", "id")) if symbols or slugs else []
    found.extend(matched_searches(article, base, symbols, slugs))
    found.sort(key=lambda follow: (follow.user_id, follow.id))
    return found


def matched_searches(article: Article, base: object, symbols: set[str], slugs: set[str]) -> list[Follow]:
    """Return the saved-search follows ``article`` matches, asking the search backend once per search."""
    searches = base.filter(kind=Follow.Kind.SEARCH)  # type: ignore[attr-defined]
    by_target: dict[str, list[Follow]] = defaultdict(list)
    for follow in searches:
        query = follow.query or {}
        if query.get("ticker") and query["ticker"] not in symbols:
            continue
        if query.get("section") and query["section"] not in slugs:
            continue
        by_target[follow.target].append(follow)
    found: list[Follow] = []
    for follows in by_target.values():
        query = follows[0].query
        wanted = search.SearchQuery(
            text=query.get("text", ""), section_slug=query.get("section") or None, symbol=query.get("ticker") or None
        )
        if search.matches(article, wanted):
            found.extend(follows)
    return found
