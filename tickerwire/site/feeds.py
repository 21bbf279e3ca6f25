"""RSS 2.0 and Atom feeds of the latest stories: the whole site, each section and each ticker."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed

from tickerwire.articles.models import Article, Section
from tickerwire.site import queries
from tickerwire.site.addresses import configured_site_url, feed_address

FEED_SIZE = 30


def html_text(text: str) -> str:
    """Return plain text as the HTML an RSS description or an Atom ``type="html"`` summary holds.

    Only ``&``, ``<`` and ``>`` are escaped: quotes need no escaping in HTML text, and ``&#x27;`` written
    into XML shows as ``&amp;#x27;`` to every reader that takes the description for plain text.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LatestStoriesFeed(Feed):
    """The site's latest stories as RSS 2.0."""

    description_template = None

    def title(self, obj: object = None) -> str:
        return f"{queries.site_title()}: latest stories"

    def link(self, obj: object = None) -> str:
        return feed_address(reverse("site:home"))

    def item_link(self, item: Article) -> str:
        return feed_address(item.get_absolute_url())

    def description(self, obj: object = None) -> str:
        return "The latest financial news stories."

    subtitle = description  # Atom's name for the description

    def get_feed(self, obj: object, request: HttpRequest) -> SyndicationFeed:
        """Build the feed; its own address follows the same host rule as every link in it."""
        feed = super().get_feed(obj, request)
        if configured_site_url():
            feed.feed["feed_url"] = feed_address(request.path)
        return feed

    def stories(self, obj: object) -> QuerySet[Article]:
        return queries.with_tickers(queries.published())

    def items(self, obj: object = None) -> list[Article]:
        return list(self.stories(obj)[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        return html_text(queries.teaser_text(item))

    def item_pubdate(self, item: Article) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return ", ".join(item.byline) or None

    def item_categories(self, item: Article) -> list[str]:
        return [link.symbol for link in item.ticker_links.all()]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = Atom1Feed


class SectionFeed(LatestStoriesFeed):
    """One section's latest stories as RSS 2.0."""

    def get_object(self, request: HttpRequest, slug: str) -> Section:  # type: ignore[override]
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            raise Http404(f"no section {slug!r}")
        return section

    def title(self, obj: Section) -> str:  # type: ignore[override]
        return f"{queries.site_title()}: {obj.name}"

    def link(self, obj: Section) -> str:  # type: ignore[override]
        return feed_address(obj.get_absolute_url())

    def description(self, obj: Section) -> str:  # type: ignore[override]
        return f"The latest {obj.name} stories."

    subtitle = description  # type: ignore[assignment]  # narrower obj than the base feed's

    def stories(self, obj: Section) -> QuerySet[Article]:  # type: ignore[override]
        return queries.section_stories(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed


class TickerFeed(LatestStoriesFeed):
    """The latest stories tagged with one ticker as RSS 2.0."""

    def get_object(self, request: HttpRequest, symbol: str) -> str:  # type: ignore[override]
        if not queries.ticker_exists(symbol):
            raise Http404(f"no ticker {symbol!r}")
        return symbol

    def title(self, obj: str) -> str:  # type: ignore[override]
        return f"{queries.site_title()}: {obj}"

    def link(self, obj: str) -> str:  # type: ignore[override]
        return feed_address(queries.ticker_url(obj))

    def description(self, obj: str) -> str:  # type: ignore[override]
        return f"The latest stories mentioning {obj}."

    subtitle = description  # type: ignore[assignment]  # narrower obj than the base feed's

    def stories(self, obj: str) -> QuerySet[Article]:  # type: ignore[override]
        return queries.with_tickers(queries.published().filter(ticker_links__symbol=obj))


class TickerAtomFeed(TickerFeed):
    feed_type = Atom1Feed
