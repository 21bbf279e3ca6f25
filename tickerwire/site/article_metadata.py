"""Machine-readable metadata of an article page: canonical address, Open Graph and JSON-LD NewsArticle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.text import Truncator

from tickerwire.articles.models import Article, Section
from tickerwire.enrich.ticker_marks import tighten_marks

# Search engines show about this many characters of a page's description.
META_DESCRIPTION_CHARS = 160


def iso_utc(article_time: Any) -> str:
    return article_time.strftime("%Y-%m-%dT%H:%M:%SZ")


def description(article: Article) -> str:
    """Return a one-paragraph description: the summary bullets, else the first paragraph."""
    if article.summary:
        return tighten_marks("; ".join(article.summary))
    first = next((b.get("text", "") for b in article.body if b.get("type") != "subhead"), "")
    return tighten_marks(first[:300])


def meta_description(article: Article) -> str:
    """Return the short description search results and link previews show: the first summary bullet, else
    the first paragraph, on one line, cut at a word near 160 characters."""
    first = next((str(b) for b in article.summary or [] if str(b).strip()), "") or next(
        (str(b.get("text", "")) for b in article.body or [] if b.get("type") != "subhead" and b.get("text")), ""
    )
    text = " ".join(tighten_marks(first).split())
    return Truncator(text).chars(META_DESCRIPTION_CHARS, truncate="…")


def news_article_ld(article: Article, section: Section | None, symbols: list[str], url: str) -> dict[str, Any]:
    """Return the schema.org ``NewsArticle`` object of the story published at ``url``."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "datePublished": iso_utc(article.published_at),
        "dateModified": iso_utc(article.updated_at),
        "mainEntityOfPage": url,
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


def open_graph(article: Article, section: Section | None, url: str) -> list[tuple[str, str]]:
    """Return the Open Graph ``(property, content)`` pairs of the story published at ``url``."""
    pairs = [
        ("og:type", "article"),
        ("og:site_name", str(settings.SITE_NAME)),
        ("og:title", article.headline),
        ("og:description", meta_description(article)),
        ("og:url", url),
        ("article:published_time", iso_utc(article.published_at)),
        ("article:modified_time", iso_utc(article.updated_at)),
    ]
    if section is not None:
        pairs.append(("article:section", section.name))
    return pairs
