"""Reader site routes: home, sections, articles, tickers, search, feeds, sitemaps and robots.txt."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path, register_converter

from tickerwire.site import feeds, search_views, views
from tickerwire.site.sitemaps import SITEMAPS, NewsSitemap, sitemap_index

app_name = "site"


class TickerSymbolConverter:
    """Symbols as exchanges write them: letters, digits, dots and dashes (``BRK.B``, ``RDS-A``)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9.\-]{0,19}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TickerSymbolConverter, "symbol")

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("section/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    re_path(
        r"^news/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-a-zA-Z0-9_]+)-(?P<pk>[0-9]+)/$",
        views.detail,
        name="detail",
    ),
    path("ticker/<symbol:symbol>/", views.ticker, name="ticker"),
    path("ticker/<symbol:symbol>/rss/", feeds.TickerFeed(), name="ticker-rss"),
    path("ticker/<symbol:symbol>/atom/", feeds.TickerAtomFeed(), name="ticker-atom"),
    path("search", search_views.search, name="search"),
    path("feeds/rss/", feeds.LatestStoriesFeed(), name="rss"),
    path("feeds/atom/", feeds.LatestStoriesAtomFeed(), name="atom"),
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS, "sitemap_url_name": "site:sitemap-section"},
         name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("news-sitemap.xml", sitemap_views.sitemap,
         {"sitemaps": {"news": NewsSitemap}, "template_name": "site/sitemaps/news_sitemap.xml"},
         name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
