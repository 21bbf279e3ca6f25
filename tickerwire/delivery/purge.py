"""Purge on store: once a story's transaction commits, drop the cached pages that show it.

The ``article_stored`` receiver (connected in :meth:`tickerwire.articles.apps.ArticlesConfig.ready`) notes
the pages listing the story *before* this revision's tags may change them, and registers an ``on_commit``
hook, so a rolled-back store purges nothing and a purge never races the commit. The hook invalidates the
application's page cache for the article, the home page, its sections and its tickers
(:mod:`tickerwire.delivery.page_cache`), removes the article's static copy
(:mod:`tickerwire.delivery.snapshots`) and, when ``TICKERWIRE_PURGE_URL`` names the caching proxy,
queues :func:`refresh_proxy_pages`, which re-fetches each page through the proxy with the refresh header
(``X-Tickerwire-Purge: 1``) that ``deploy/nginx.conf`` answers with a fresh copy (docs/deploy.md).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, Revision
from tickerwire.delivery.page_cache import invalidate_groups
from tickerwire.delivery.snapshots import remove_snapshots

logger = logging.getLogger(__name__)

PURGE_HEADER = "X-Tickerwire-Purge"
PURGE_TIMEOUT_SECONDS = 5.0
FEED_URL_NAMES = ("site:rss", "site:atom")


@dataclass
class StoryPages:
    """The pages showing one story: its own, and the lists it appears on."""

    article_id: int
    article_path: str = ""
    section_slugs: set[str] = field(default_factory=set)
    symbols: set[str] = field(default_factory=set)

    def groups(self) -> list[str]:
        """Return the page-cache groups to invalidate."""
        return [
            "home", f"article:{self.article_id}",
            *(f"section:{slug}" for slug in sorted(self.section_slugs)),
            *(f"ticker:{symbol}" for symbol in sorted(self.symbols)),
        ]

    def paths(self) -> list[str]:
        """Return the site paths whose proxy copies must be refreshed (the article's first)."""
        paths = [self.article_path] if self.article_path else []
        paths.append(reverse("site:home"))
        paths += [reverse("site:section", kwargs={"slug": slug}) for slug in sorted(self.section_slugs)]
        for symbol in sorted(self.symbols):
            try:
                paths.append(reverse("site:ticker", kwargs={"symbol": symbol}))
            except NoReverseMatch:  # a symbol that cannot be a path has no ticker page to purge
                continue
        paths += [reverse(name) for name in FEED_URL_NAMES]
        return paths

    def merge(self, other: StoryPages) -> None:
        """Add another snapshot's pages (the story before and after this revision)."""
        self.article_path = other.article_path or self.article_path
        self.section_slugs |= other.section_slugs
        self.symbols |= other.symbols


def story_pages(article_id: int, using: str = "default") -> StoryPages:
    """Return the pages that show the stored story now."""
    pages = StoryPages(article_id)
    article = (
        Article.objects.using(using).filter(pk=article_id)
        .select_related("primary_section").only("id", "slug", "published_at", "primary_section__slug").first()
    )
    if article is None:
        return pages
    pages.article_path = article.get_absolute_url()
    if article.primary_section is not None:
        pages.section_slugs.add(article.primary_section.slug)
    pages.section_slugs |= set(
        ArticleSection.objects.using(using).filter(article_id=article_id).values_list("section__slug", flat=True)
    )
    tagged = ArticleTicker.objects.using(using).filter(article_id=article_id)
    pages.symbols = set(tagged.values_list("symbol", flat=True))
    return pages


def purge_stored_article(
    sender: object, *, article: Article, revision: Revision | None = None, created: bool = False, **_: object
) -> None:
    """Purge the story's pages once its transaction commits (nothing if it rolls back)."""
    alias = article._state.db or "default"
    before = story_pages(article.pk, using=alias)
    transaction.on_commit(partial(purge_story_pages, before), using=alias)


def purge_story_pages(before: StoryPages) -> None:
    """Invalidate the app's cached pages of the story, remove its static copy, refresh the proxy's copies."""
    pages = story_pages(before.article_id)
    # The copy at the old address too (merge keeps that one): nginx would serve it there, not the redirect.
    article_paths = [path for path in {before.article_path, pages.article_path} if path]
    pages.merge(before)
    purge_pages(pages.groups(), article_paths, pages.paths())


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
