"""Purge on story events: once a change commits, drop the cached pages that showed the story or show it now.

The ``delivery.purge`` consumer (wired in :mod:`tickerwire.config.wiring`) runs after commit, so a rolled-back
store purges nothing and a purge never races the commit. Each event carries where the story was listed
*before* the change (:class:`~tickerwire.articles.selectors.Placement`); the purge merges that with where it
is listed now, then invalidates the application's page cache for the article, the home page, its sections
and its tickers (:mod:`tickerwire.delivery.page_cache`), removes the article's static copy
(:mod:`tickerwire.delivery.snapshots`) and, when ``TICKERWIRE_PURGE_URL`` names the caching proxy, queues
:func:`refresh_proxy_pages`, which re-fetches each page through the proxy with the refresh header
(``X-Tickerwire-Purge: 1``) that ``deploy/nginx.conf`` answers with a fresh copy (docs/deploy.md).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from tickerwire.articles.events import StoryEvent, StoryEventName
from tickerwire.articles.models import Article
from tickerwire.articles.selectors import Placement, placement
from tickerwire.delivery.page_cache import invalidate_groups
from tickerwire.delivery.snapshots import remove_snapshots

logger = logging.getLogger(__name__)

PURGE_HEADER = "X-Tickerwire-Purge"
PURGE_TIMEOUT_SECONDS = 5.0
FEED_URL_NAMES = ("site:rss", "site:atom")


def page_groups(place: Placement) -> list[str]:
    """Return the page-cache groups showing a placement."""
    return [
        "home", "api", f"article:{place.article_id}",
        *(f"section:{slug}" for slug in sorted(place.section_slugs)),
        *(f"ticker:{symbol}" for symbol in sorted(place.symbols)),
    ]


def page_paths(place: Placement) -> list[str]:
    """Return the site paths whose proxy copies must be refreshed (the article's first)."""
    paths = [place.path] if place.path else []
    paths.append(reverse("site:home"))
    paths += [reverse("site:section", kwargs={"slug": slug}) for slug in sorted(place.section_slugs)]
    for symbol in sorted(place.symbols):
        try:
            paths.append(reverse("site:ticker", kwargs={"symbol": symbol}))
        except NoReverseMatch:  # a symbol that cannot be a path has no ticker page to purge
            continue
    paths += [reverse(name) for name in FEED_URL_NAMES]
    return paths


def purge_story_event(event: StoryEvent) -> None:
    """Purge what a committed story event made stale (the ``delivery.purge`` consumer)."""
    if event.name == StoryEventName.RELATED_CHANGED:
        purge_related_lists(list(event.article_ids))
        return
    before = {place.article_id: place for place in event.before}
    for article_id in event.article_ids:
        purge_story_pages(before.get(article_id) or Placement(article_id))


def purge_story_pages(before: Placement) -> None:
    """Invalidate the app's cached pages of the story, remove its static copy, refresh the proxy's copies."""
    now = placement(before.article_id)
    # The copy at the old address too (merge keeps that one): nginx would serve it there, not the redirect.
    article_paths = [path for path in {before.path, now.path} if path]
    now.merge(before)
    purge_pages(page_groups(now), article_paths, page_paths(now))


def purge_related_lists(article_ids: list[int], using: str = "default") -> None:
    """Drop the cached pages of articles whose related list changed (their lists elsewhere are unchanged)."""
    if not article_ids:
        return
    articles = Article.objects.using(using).filter(pk__in=article_ids).only("id", "slug", "published_at")
    paths = [article.get_absolute_url() for article in articles]
    purge_pages((f"article:{pk}" for pk in article_ids), paths, paths)


def purge_pages(groups: Iterable[str], article_paths: list[str], proxy_paths: list[str]) -> None:
    """Drop pages wherever copies are kept: the app's page cache, nginx's article files, the proxy's cache."""
    invalidate_groups(groups)
    remove_snapshots(article_paths)
    if getattr(settings, "TICKERWIRE_PURGE_URL", "") and proxy_paths:
        refresh_proxy_pages.enqueue(proxy_paths)


@task()
def refresh_proxy_pages(paths: list[str]) -> int:
    """Re-fetch each path through the caching proxy with the refresh header; return how many succeeded.

    Runs as a task so a slow or absent proxy never slows ingestion; a failure only means the proxy
    serves its copy until the page's max-age runs out.
    """
    base = str(settings.TICKERWIRE_PURGE_URL).rstrip("/")
    # The proxy keys its copies by host: name the site's own when it is configured, else the proxy's.
    host = urlsplit(str(settings.SITE_URL)).netloc
    headers = {PURGE_HEADER: "1", **({"Host": host} if host else {})}
    refreshed = 0
    for path in paths:
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as response:  # noqa: S310
                response.read()
            refreshed += 1
        except (urllib.error.URLError, OSError) as exc:
            logger.warning("proxy refresh of %s failed: %s", path, exc)
    return refreshed
