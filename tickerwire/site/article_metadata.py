"""Machine-readable metadata of an article page: canonical address, Open Graph and JSON-LD NewsArticle."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from tickerwire.articles.models import Article, Section


def absolute_url(path: str) -> str:
    """Return the public address of a site path (``SITE_URL`` + path), stable across hosts and proxies."""
    return str(settings.SITE_URL).rstrip("/") + path


def iso_utc(article_time: Any) -> str:
    return article_time.strftime("%Y-%m-%dT%H:%M:%SZ")


def description(article: Article) -> str:
    """Return a one-paragraph description: the summary bullets, else the first paragraph."""
    if article.summary:
        return "; ".join(article.summary)
    first = next((b.get("text", "") for b in article.body if b.get("type") != "subhead"), "")
    return first[:300]


def news_article_ld(article: Article, section: Section | None, symbols: list[str]) -> dict[str, Any]:
    """Return the schema.org ``NewsArticle`` object of the story."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "datePublished": iso_utc(article.published_at),
        "dateModified": iso_utc(article.updated_at),
        "mainEntityOfPage": absolute_url(article.get_absolute_url()),
        "description": description(article),
        "author": [{"@type": "Person", "name": name} for name in article.byline],
        "publisher": {"@type": "Organization", "name": str(settings.SITE_NAME)},
        "inLanguage": article.language or "en",
    }
    if section is not None:
        data["articleSection"] = section.name
    if symbols:
        data["keywords"] = symbols
    return data


def open_graph(article: Article, section: Section | None) -> list[tuple[str, str]]:
    """Return the Open Graph ``(property, content)`` pairs of the story."""
    pairs = [
        ("og:type", "article"),
        ("og:site_name", str(settings.SITE_NAME)),
        ("og:title", article.headline),
        ("og:description", description(article)),
        ("og:url", absolute_url(article.get_absolute_url())),
        ("article:published_time", iso_utc(article.published_at)),
        ("article:modified_time", iso_utc(article.updated_at)),
    ]
    if section is not None:
        pairs.append(("article:section", section.name))
    return pairs
