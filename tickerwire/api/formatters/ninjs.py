"""IPTC ninjs 2.2 output for a stored article (as Superdesk Newsroom keeps one formatter per format).

Mapping choices, where ninjs has no exact slot:
- ``uri`` carries the story key (:func:`tickerwire.core.draft.key_uri`), so re-ingesting our own ninjs maps
  to the same article and changes nothing.
- Summary bullets are ``descriptions`` with role ``summary``; wire credits are a description with role
  ``credits``.
- Sections are ``subjects`` (``rel: section``) with ``relevance`` 0–100 from the classifier.
- Tagged companies are ``organisations`` with ``symbols`` (ticker, exchange). ninjs 2.x organisations have
  no confidence property, so each also appears in ``subjects`` (``rel: mentioned-company``,
  ``literal: ticker:<SYMBOL>``) whose ``confidence`` (0–100) is the tagger's.
"""

from __future__ import annotations

import html
from typing import Any

from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, RelatedArticle
from tickerwire.articles.visibility import visible_q
from tickerwire.core.draft import key_uri
from tickerwire.site.addresses import configured_site_url
from tickerwire.site.queries import ticker_url

NINJS_VERSION = "2.2"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
MEDIA_TYPE = "application/ninjs+json"


FLASH_GENRE = {"name": "Flash", "literal": "flash", "uri": "urn:tickerwire:genre:flash"}


def _iso(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def body_html(body: list[dict[str, str]]) -> str:
    """Return the body blocks as HTML: ``<p>`` paragraphs and ``<h2>`` subheads, text escaped."""
    parts = []
    for block in body:
        tag = "h2" if block.get("type") == "subhead" else "p"
        parts.append(f"<{tag}>{html.escape(block.get('text', ''), quote=False)}</{tag}>")
    return "\n".join(parts)


# The site address of documents made outside a request (an export) when TICKERWIRE_SITE_URL is not set.
OFFLINE_SITE_URL = "http://localhost"


def format_ninjs(article: Article, *, with_associations: bool = True, site_url: str | None = None) -> dict[str, Any]:
    """Return the ninjs 2.2 document of an article's current version.

    ``site_url`` is the scheme and host the site's links start with (the API passes the request's, under the
    same rule as the pages: :func:`tickerwire.site.addresses.public_base`).
    """
    base = (site_url or configured_site_url() or OFFLINE_SITE_URL).rstrip("/")
    body = article.body or []
    text = "\n\n".join(block.get("text", "") for block in body)
    doc: dict[str, Any] = {
        "uri": key_uri(article.key),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationtype": "full",
        "version": str(article.revision_count),
        "firstcreated": _iso(article.published_at),
        "versioncreated": _iso(article.updated_at),
        "pubstatus": "canceled" if article.status == Article.Status.WITHDRAWN else "usable",
        "language": article.language or "en",
        "slugline": article.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.headline}],
        "bodies": [
            {"role": "main", "contenttype": "text/plain", "value": text, "charcount": len(text),
             "wordcount": len(text.split())},
            {"role": "main", "contenttype": "text/html", "value": body_html(body)},
        ],
        "altids": [{"role": "tickerwire-id", "value": str(article.pk)}],
    }
    if article.kind == Article.Kind.FLASH:
        # A headline-only item: no empty bodies, and a genre that says so (read back by our ninjs parser).
        del doc["bodies"]
        doc["genres"] = [FLASH_GENRE]
    descriptions = [{"role": "summary", "contenttype": "text/plain", "value": s} for s in article.summary or []]
    if article.credits:
        descriptions.append({"role": "credits", "contenttype": "text/plain", "value": article.credits})
    if descriptions:
        doc["descriptions"] = descriptions
    if article.byline:
        doc["by"] = _join_names(list(article.byline))
    if article.dateline and article.dateline.get("place"):
        doc["located"] = article.dateline["place"]
    if article.uri:
        doc["altids"].append({"role": "source-uri", "value": article.uri})
    if article.source_site:
        doc["infosources"] = [{"name": article.source_site, "role": "source"}]
    doc["subjects"] = _section_subjects(article, base) + _ticker_subjects(article)
    organisations = _organisations(article, base)
    if organisations:
        doc["organisations"] = organisations
    if not doc["subjects"]:
        del doc["subjects"]
    if with_associations:
        associations = _associations(article)
        if associations:
            doc["associations"] = associations
    return doc


def format_canceled_ninjs(article: Article) -> dict[str, Any]:
    """Return the ninjs 2.2 document that cancels a withdrawn story: its ``uri``, ``pubstatus: canceled``.

    What a wire client needs to take the story down too, and nothing of the withdrawn text (no headline or
    body: a story withdrawn because a lawyer called must not be repeated in its cancellation).
    """
    return {
        "uri": key_uri(article.key),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "version": str(article.revision_count),
        "firstcreated": _iso(article.published_at),
        "versioncreated": _iso(article.updated_at),
        "pubstatus": "canceled",
        "altids": [{"role": "tickerwire-id", "value": str(article.pk)}],
    }


def _section_subjects(article: Article, base: str) -> list[dict[str, Any]]:
    links = ArticleSection.objects.filter(article=article).select_related("section").order_by("-score")
    return [
        {
            "name": link.section.name,
            "rel": "section",
            "uri": base + link.section.get_absolute_url(),
            "relevance": max(0, min(100, round(link.score * 100))),
            "creator": "tickerwire-sections",
        }
        for link in links
    ]


def _ticker_links(article: Article) -> list[ArticleTicker]:
    return list(ArticleTicker.objects.filter(article=article).order_by("-confidence", "symbol"))


def _ticker_subjects(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "name": link.name or link.symbol,
            "rel": "mentioned-company",
            "literal": f"ticker:{link.symbol}",
            "confidence": max(0, min(100, round(link.confidence * 100))),
            "creator": "tickerwire-tickers",
        }
        for link in _ticker_links(article)
    ]


def _organisations(article: Article, base: str) -> list[dict[str, Any]]:
    organisations = []
    for link in _ticker_links(article):
        symbol: dict[str, str] = {"ticker": link.symbol}
        if link.exchange:
            symbol["exchange"] = link.exchange
        organisations.append(
            {
                "name": link.name or link.symbol,
                "rel": "mentioned",
                "literal": link.symbol,
                "uri": base + ticker_url(link.symbol),
                "symbols": [symbol],
            }
        )
    return organisations


def _associations(article: Article) -> list[dict[str, Any]]:
    links = (
        RelatedArticle.objects.filter(visible_q("related__"), article=article)
        .select_related("related").order_by("-score")[:5]
    )
    return [
        {
            "name": f"related{index}",
            "uri": key_uri(link.related.key),
            "type": "text",
            "headlines": [{"role": "main", "value": link.related.headline}],
            "versioncreated": _iso(link.related.updated_at),
            "altids": [{"role": "tickerwire-id", "value": str(link.related.pk)}],
        }
        for index, link in enumerate(links, start=1)
    ]
