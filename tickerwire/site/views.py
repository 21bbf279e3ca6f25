"""Reader pages: thin views that fetch through :mod:`queries` and render namespaced templates."""

from __future__ import annotations

from pathlib import Path

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from tickerwire.articles.models import Section
from tickerwire.articles.selectors import article_validators, is_withdrawn
from tickerwire.delivery.caching import (
    article_etag,
    conditional_article_response,
    list_cache,
    set_article_validators,
)
from tickerwire.delivery.page_cache import cached_page, is_cacheable_request, mark_cacheable
from tickerwire.site import queries
from tickerwire.site.addresses import public_url
from tickerwire.site.article_metadata import meta_description, news_article_ld, open_graph


def _home_group(request: HttpRequest) -> str:
    return "home"


def _section_group(request: HttpRequest, slug: str) -> str:
    return f"section:{slug}"


def _ticker_group(request: HttpRequest, symbol: str) -> str | None:
    # Lower-case symbols redirect; only the canonical page is cached.
    return f"ticker:{symbol}" if symbol == symbol.upper() else None


@require_safe
@cached_page(_home_group)
@list_cache
def home(request: HttpRequest) -> HttpResponse:
    """Show the top stories, then each section's latest."""
    return render(request, "site/home.html", {"page": queries.home_page()})


@require_safe
@cached_page(_section_group)
@list_cache
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a section's stories newest first, a page at a time; unknown sections get suggestions."""
    found = Section.objects.filter(slug=slug).first()
    if found is None:
        return not_found(request, kind="section", asked=slug, sections=queries.suggest_sections(slug))
    pinned = queries.section_pins(found)
    pinned_ids = [teaser.article.pk for teaser in pinned]
    listed = queries.section_stories(found).exclude(pk__in=pinned_ids) if pinned_ids else queries.section_stories(found)
    count = queries.section_story_count(found)
    if pinned_ids:
        count -= queries.section_stories(found).filter(pk__in=pinned_ids).count()
    paginator = queries.CountedPaginator(listed, queries.PAGE_SIZE, count=count)
    stories = paginator.get_page(request.GET.get("page"))
    return render(request, "site/section.html", {
        "section": found, "stories": stories, "teasers": queries.teasers(stories),
        "pinned": pinned if stories.number == 1 else [],
    })


@require_safe
def detail(request: HttpRequest, year: int, month: str, day: str, slug: str, pk: int) -> HttpResponse:
    """Show one story; answer 304 when the reader's cached copy is still the current revision."""
    validators = article_validators(pk)
    if validators is None:
        if is_withdrawn(pk):
            return gone(request)
        return not_found(request, kind="article", asked=slug.replace("-", " "))
    not_modified = conditional_article_response(request, pk, *validators)
    if not_modified is not None:
        return not_modified
    if is_cacheable_request(request):
        # The revision's ETag goes with the cached page: a new revision is a miss even where no purge reached.
        mark_cacheable(request, f"article:{pk}", article_id=pk, etag=article_etag(pk, *validators))
    article = queries.article_for_page(pk)
    if article is None:
        return not_found(request, kind="article", asked=slug.replace("-", " "))
    if request.path != article.get_absolute_url():
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    page = queries.article_page(article)
    canonical_url = public_url(article.get_absolute_url(), request)
    response = render(request, "site/article_detail.html", {
        "page": page,
        "article": article,
        "canonical_url": canonical_url,
        "description": meta_description(article),
        "news_article": news_article_ld(article, page.section, [t.symbol for t in page.tickers], canonical_url),
        "open_graph": open_graph(article, page.section, canonical_url),
    })
    set_article_validators(response, pk, *validators)
    return response


@require_safe
@cached_page(_ticker_group)
@list_cache
def ticker(request: HttpRequest, symbol: str) -> HttpResponse:
    """Show a ticker's stories, mention chart and co-mentioned tickers; unknown symbols get suggestions."""
    if symbol != symbol.upper():
        return HttpResponsePermanentRedirect(reverse("site:ticker", kwargs={"symbol": symbol.upper()}))
    if not queries.ticker_exists(symbol):
        return not_found(request, kind="ticker", asked=symbol, tickers=queries.suggest_tickers(symbol))
    page = queries.ticker_page(symbol)
    stories = Paginator(page.stories, queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "site/ticker.html", {
        "page": page, "stories": stories, "teasers": queries.teasers(stories),
    })


FAVICON = Path(__file__).resolve().parent / "static" / "site" / "favicon.svg"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Answer ``/favicon.ico``, which browsers and feed readers ask for whatever the page links, with our icon."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow crawling and point crawlers at the sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /search",
        "",
        f"Sitemap: {public_url(reverse('site:sitemap-index'), request)}",
        f"Sitemap: {public_url(reverse('site:news-sitemap'), request)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def not_found(request: HttpRequest, kind: str = "page", asked: str = "", **suggestions: object) -> HttpResponse:
    """Render the friendly 404 page with whatever suggestions the caller found."""
    context = {"kind": kind, "asked": asked, **suggestions}
    return render(request, "site/errors/404.html", context, status=404)


def gone(request: HttpRequest) -> HttpResponse:
    """Answer a withdrawn story's address with 410 Gone and a short notice (no headline: it was taken down)."""
    response = render(request, "site/errors/410.html", status=410)
    response["Cache-Control"] = "no-cache"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer any unmatched address with the friendly 404 page (the project's handler404)."""
    return not_found(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without touching the database, which may be the thing that failed."""
    return HttpResponse(loader.get_template("site/errors/500.html").render(), status=500)
