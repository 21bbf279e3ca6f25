"""Where a source page's own related teasers lead: our copy of the story, else a search that finds something.

A seed-style page lists related stories of its own site as teasers (headline, date, snippet, tickers). The
story a teaser names is ours when we stored it: its headline folded as story keys fold it (no revision
prefix, case, accents or punctuation) is the teaser's, or nearly so (a trimmed or reworded headline: most
of its words shared and the text almost the same). Otherwise the teaser links to a search, but only to one
that returns stories: its tickers first, then its key words, one at a time; a search for a whole headline
nobody stored finds nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from tickerwire.articles.models import Article
from tickerwire.core.draft import normalise_for_key
from tickerwire.search.backends import get_backend
from tickerwire.search.backends.base import Filters
from tickerwire.search.query import STOP_WORDS, parse_query

# A stored headline this close to the teaser's (difflib ratio of the folded texts) names the same story,
# provided the two share at least this share of their words (a cheap test that skips most candidates).
SAME_HEADLINE_RATIO = 0.88
SHARED_WORDS = 0.6
# Stories stored this long before or after the teaser's date (or, undated, the article's) are compared.
MATCH_DAYS = 3
UNDATED_MATCH_DAYS = 30
MATCH_CANDIDATES = 5000
# Search words tried for a teaser nobody stored, at most: the longest words of its headline first.
KEY_WORDS_TRIED = 4


@dataclass(frozen=True)
class TeaserTarget:
    """Where one teaser links: ``article`` when we have its story, else a search URL that finds stories."""

    url: str
    article: Article | None = None


def _words(folded: str) -> set[str]:
    return {word for word in folded.split() if word not in STOP_WORDS}


def same_headline(teaser: str, stored: str) -> bool:
    """Return whether a stored headline names the teaser's story (folded equal, or nearly the same text)."""
    first, second = normalise_for_key(teaser), normalise_for_key(stored)
    if not first or not second:
        return False
    if first == second:
        return True
    words, other = _words(first), _words(second)
    if not words or len(words & other) / len(words | other) < SHARED_WORDS:
        return False
    return difflib.SequenceMatcher(None, first, second, autojunk=False).ratio() >= SAME_HEADLINE_RATIO


def _span(teaser_day: datetime | None, around: datetime) -> tuple[datetime, datetime]:
    if teaser_day is not None:
        if timezone.is_naive(teaser_day):
            teaser_day = timezone.make_aware(teaser_day, timezone.get_current_timezone())
        # A date without a time stands for the whole day.
        return teaser_day - timedelta(days=MATCH_DAYS), teaser_day + timedelta(days=MATCH_DAYS + 1)
    return around - timedelta(days=UNDATED_MATCH_DAYS), around + timedelta(days=UNDATED_MATCH_DAYS)


def stored_story(headline: str, teaser_day: datetime | None, article: Article) -> Article | None:
    """Return the published story a teaser names, the closest headline first; ``None`` when we lack it."""
    folded = normalise_for_key(headline)
    if not folded:
        return None
    start, end = _span(teaser_day, article.published_at)
    rows = (
        Article.objects.visible().filter(published_at__gte=start, published_at__lt=end)
        .exclude(pk=article.pk)
        .only("id", "headline", "slug", "published_at")
        .order_by("-published_at", "-id")[:MATCH_CANDIDATES]
    )
    best: tuple[float, Article] | None = None
    for row in rows:
        if not same_headline(headline, row.headline):
            continue
        closeness = difflib.SequenceMatcher(None, folded, normalise_for_key(row.headline), autojunk=False).ratio()
        if best is None or closeness > best[0]:
            best = (closeness, row)
    return best[1] if best else None


def _finds_other_stories(text: str, article: Article) -> bool:
    """Return whether a search for ``text`` finds a published story other than ``article``."""
    parsed = parse_query(text)
    return not parsed.is_empty and any(pk != article.pk for pk, _score in get_backend().match(parsed, Filters(), 2))


def search_queries(headline: str, symbols: Sequence[str]) -> list[str]:
    """Return the searches a teaser could link to, most specific first: each ticker, then key words."""
    seen: set[str] = set()
    queries: list[str] = []
    for text in [*symbols, *sorted(_words(normalise_for_key(headline)), key=lambda w: (-len(w), w))]:
        if text and not text.isdigit() and text.casefold() not in seen:
            seen.add(text.casefold())
            queries.append(text)
    symbol_count = len({s.casefold() for s in symbols if s})
    return queries[: symbol_count + KEY_WORDS_TRIED]


def search_url(text: str) -> str:
    return reverse("site:search") + "?" + urlencode({"q": text})


def teaser_target(headline: str, symbols: Sequence[str], teaser_day: datetime | None, article: Article) -> TeaserTarget:
    """Return where a teaser links: our copy of its story, else the first search that finds other stories.

    When no search finds anything (a site holding only this page), the link searches the whole headline.
    """
    found = stored_story(headline, teaser_day, article)
    if found is not None:
        return TeaserTarget(url=found.get_absolute_url(), article=found)
    for text in search_queries(headline, symbols):
        if _finds_other_stories(text, article):
            return TeaserTarget(url=search_url(text))
    return TeaserTarget(url=search_url(headline))
