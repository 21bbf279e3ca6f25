"""Which follows a story matches: a few indexed lookups, never a loop over readers.

Ticker and section follows are found by the story's symbols and section slugs through the
``(kind, target)`` index. Saved searches are checked with :func:`tickerwire.search.matches`, the search
page's own rule, once per distinct search (however many readers saved it), and only those whose ticker or
section filter the story meets.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from tickerwire import search
from tickerwire.alerts.models import Follow
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker


class Match(NamedTuple):
    """A follow a story matches, as planning reads it (hundreds a story: plain tuples, not model instances)."""

    id: int
    user_id: int
    channel: str
    include_updates: bool

    @property
    def pk(self) -> int:
        return self.id


MATCH_FIELDS = ("id", "user_id", "channel", "include_updates")


def story_targets(article: Article) -> tuple[set[str], set[str]]:
    """Return the story's ticker symbols and section slugs."""
    symbols = set(ArticleTicker.objects.filter(article=article).values_list("symbol", flat=True))
    slugs = set(ArticleSection.objects.filter(article=article).values_list("section__slug", flat=True))
    if article.primary_section_id is not None and article.primary_section is not None:
        slugs.add(article.primary_section.slug)
    return symbols, slugs


def matched_follows(article: Article, *, alerting_only: bool = True) -> list[Match]:
    """Return the follows ``article`` matches (with an alert channel unless ``alerting_only`` is False)."""
    symbols, slugs = story_targets(article)
    base = Follow.objects.exclude(channel=Follow.Channel.NONE) if alerting_only else Follow.objects.all()
    found: list[Match] = []
    # One index range on (kind, target) per kind; only the columns planning reads.
    for kind, targets in ((Follow.Kind.TICKER, symbols), (Follow.Kind.SECTION, slugs)):
        if targets:
            rows = base.filter(kind=kind, target__in=sorted(targets)).order_by().values_list(*MATCH_FIELDS)
            found.extend(Match(*row) for row in rows)
    found.extend(matched_searches(article, base, symbols, slugs))
    found.sort(key=lambda follow: (follow.user_id, follow.id))
    return found


def matched_searches(article: Article, base: object, symbols: set[str], slugs: set[str]) -> list[Match]:
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
    found: list[Match] = []
    for follows in by_target.values():
        query = follows[0].query
        wanted = search.SearchQuery(
            text=query.get("text", ""), section_slug=query.get("section") or None, symbol=query.get("ticker") or None
        )
        if search.matches(article, wanted):
            found.extend(Match(f.pk, f.user_id, f.channel, f.include_updates) for f in follows)
    return found
