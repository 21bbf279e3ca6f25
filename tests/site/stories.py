"""Invented stories for the site tests: fictional companies, stored through the real ingest action.

Ticker and section tags are written here directly because no enrichment action stores them yet; they
follow the model contract (mentions are offsets into the body blocks joined by a blank line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.test import override_settings

from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, Section, Ticker
from tickerwire.core.draft import ArticleDraft, Block, Dateline, RelatedLink, SourceRef


@dataclass(frozen=True)
class Company:
    symbol: str
    name: str
    exchange: str
    short: str


ORBIS = Company("ORBW", "Orbis Widgets Inc", "NASDAQ", "Orbis Widgets")
QUILL = Company("QFM", "Quillfeather Mills Corp", "NYSE", "Quillfeather Mills")
BRAMBLE = Company("BRMB", "Bramblecote Energy plc", "NYSE", "Bramblecote Energy")
COMPANIES = (ORBIS, QUILL, BRAMBLE)


def story_draft(number: int, *, company: Company = ORBIS, section: str = "Business", day: int = 3,
                extra_paragraph: str = "", headline: str | None = None) -> ArticleDraft:
    """Return invented story ``number`` about ``company``, shaped like the seed page (all its parts)."""
    return ArticleDraft(
        headline=headline or f"{company.short} story {number}: orders rise at the northern plant",
        source=SourceRef(site="Sample Markets Desk", section=section),
        published=f"2026-03-{day:02d}T{number % 20 + 1:02d}:15:00",
        summary=[f"{company.short} orders up {number % 40 + 5}%", "New plant opens in June"],
        byline=["Ada Sample", "Ben Example"],
        dateline=Dateline(place="ZENITH CITY", date=f"Mar {day}", agency="Sample Wire"),
        body=[
            Block("paragraph", f"{company.short} ({company.symbol}) said orders in story {number} rose on Tuesday."),
            Block("paragraph", "Demand from furniture makers doubled since January, the company said."),
            Block("subhead", "NEW PLANT"),
            Block("paragraph", f"Its plant in Lowmoor opens in June, {company.short} said. {extra_paragraph}".strip()),
        ],
        related=[
            RelatedLink(headline="Tessaline Bank opens branch in Port Alder", published="2026-02-20",
                        snippet="PORT ALDER (Sample Wire) - Tessaline Bank ( TSLB ) opened a branch...",
                        tickers=["TSLB"]),
        ],
        credits="(Reporting by Ada Sample; Editing by Ben Example)",
        format="draft",
    )


def ingest(draft: ArticleDraft) -> Article:
    """Store a draft through the real ingest action and return its article.

    Enrichment at ingest is off here: these near-identical stories would share one cluster, and the tests
    set tags, sections and clusters themselves.
    """
    with override_settings(TICKERWIRE_ENRICH=False):
        outcome = do_ingest_draft(draft, source_name="Sample Markets Desk")
    return Article.objects.get(pk=outcome.article_id)


def body_text(article: Article) -> str:
    return "\n\n".join(block["text"] for block in article.body)


def tag(article: Article, company: Company, sentiment: float = 0.2) -> ArticleTicker:
    """Tag a company in a story, with a mention at every occurrence of its symbol in the body text.

    Replaces any tag enrichment made for the same symbol, so the tests control mentions and sentiment.
    """
    ticker, _ = Ticker.objects.get_or_create(
        symbol=company.symbol, exchange=company.exchange, defaults={"name": company.name, "is_sample": True}
    )
    mentions = [[m.start(), m.end()] for m in re.finditer(re.escape(company.symbol), body_text(article))]
    link, _created = ArticleTicker.objects.update_or_create(
        article=article, symbol=company.symbol,
        defaults={
            "ticker": ticker, "exchange": company.exchange, "name": company.name, "confidence": 0.9,
            "mentions": mentions, "published_at": article.published_at,
            "sentiment": {"label": "positive" if sentiment > 0 else "negative", "score": sentiment},
        },
    )
    return link


def file_under(article: Article, section_name: str) -> None:
    """File a story under an extra section, as the section classifier would."""
    ArticleSection.objects.get_or_create(article=article, section=Section.objects.get(name=section_name),
                                         defaults={"score": 0.8})


def tagged_story(number: int, company: Company = ORBIS, **kwargs: object) -> Article:
    """Ingest story ``number`` and tag its company."""
    article = ingest(story_draft(number, company=company, **kwargs))  # type: ignore[arg-type]
    tag(article, company)
    return article
