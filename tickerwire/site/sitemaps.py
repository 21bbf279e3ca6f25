"""XML sitemaps: every published article, section and tagged ticker, plus a Google News sitemap."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap, views
from django.contrib.sites.requests import RequestSite
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from tickerwire.articles.models import Article, ArticleTicker, Section
from tickerwire.articles.visibility import visible_q
from tickerwire.site import queries
from tickerwire.site.addresses import configured_host, feed_address

# Google News lists only stories from the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class PublicSitemap(Sitemap):
    """A sitemap whose addresses name the configured site URL when one is set, else the request's host."""

    def get_protocol(self, protocol: str | None = None) -> str:
        configured = configured_host()
        return configured[0] if configured else super().get_protocol(protocol)

    def get_domain(self, site: RequestSite | None = None) -> str:
        configured = configured_host()
        return configured[1] if configured else super().get_domain(site)


class ArticleSitemap(PublicSitemap):
    """Every published story, paged by Django at 50,000 addresses per sitemap."""

    def items(self) -> QuerySet[Article]:
        return (
            Article.objects.visible()
            .only("id", "slug", "published_at", "updated_at").order_by("-published_at", "-id")
        )

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class SectionSitemap(PublicSitemap):
    changefreq = "hourly"

    def items(self) -> QuerySet[Section]:
        return Section.objects.all()


class TickerSitemap(PublicSitemap):
    """Every symbol tagged in a published story."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return list(
            ArticleTicker.objects.filter(visible_q("article__"))
            .order_by("symbol").values_list("symbol", flat=True).distinct()
        )

    def location(self, item: str) -> str:
        return queries.ticker_url(item)


class HomeSitemap(PublicSitemap):
    changefreq = "always"

    def items(self) -> list[str]:
        return ["site:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class NewsSitemap(ArticleSitemap):
    """Stories of the last two days, rendered with the news namespace by ``news_sitemap.xml``."""

    limit = NEWS_LIMIT

    def items(self) -> QuerySet[Article]:
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.visible().filter(published_at__gte=since)
            .only("id", "slug", "headline", "language", "published_at", "updated_at")
            .order_by("-published_at", "-id")[:NEWS_LIMIT]
        )


def sitemap_index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Serve Django's sitemap index with each sitemap's address on the configured site URL, when one is set."""
    response = views.index(request, **kwargs)
    if configured_host() is not None:
        for item in response.context_data["sitemaps"]:  # a TemplateResponse: rendered after this
            parts = urlsplit(item.location)
            item.location = feed_address(parts.path + (f"?{parts.query}" if parts.query else ""))
    return response


SITEMAPS: dict[str, type[Sitemap]] = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "tickers": TickerSitemap,
}
