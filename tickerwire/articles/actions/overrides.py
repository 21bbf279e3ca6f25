"""Editors' corrections that win and last: stored as overrides, applied wherever enrichment is stored.

:func:`apply_overrides` runs last in :func:`~tickerwire.articles.actions.enrich.store_enrichment` (ingest,
every source revision, re-enrichment) and after the embedding's refined sections, so a ticker an editor
removed stays removed and a section an editor set stays set. :func:`correct_in_transaction` is how the desk
changes them: it stores the overrides, applies them at once and publishes ``story_corrected`` (the search
index follows in the transaction, cached pages are purged after commit). The desk records who changed what
in its audit log inside the same transaction; the store knows nothing of the desk.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from tickerwire.articles.events import StoryEvent, StoryEventName, publish
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, EditorialOverride, Section, Ticker
from tickerwire.articles.selectors import placement

Field = EditorialOverride.Field
# Overrides that replace a field of the article itself (the others change its ticker and section rows).
ARTICLE_FIELDS = (Field.HEADLINE, Field.SUMMARY, Field.FIGURES)
# Of those, the story's text: changing it puts a "corrected" note on the page.
TEXT_FIELDS = (Field.HEADLINE, Field.SUMMARY)


def overrides_of(article_id: int, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Return the story's overrides, field name to value."""
    return dict(EditorialOverride.objects.using(alias).filter(article_id=article_id).values_list("field", "value"))


def apply_overrides(article: Article, alias: str = DEFAULT_DB_ALIAS) -> int | None:
    """Apply the story's ticker and section overrides to its stored tags; return the editor's primary section.

    Return None when no editor set the sections (the caller's primary section stands).
    """
    overrides = overrides_of(article.pk, alias)
    removed = set(overrides.get(Field.TICKERS_REMOVED) or [])
    if removed:
        ArticleTicker.objects.using(alias).filter(article_id=article.pk, symbol__in=removed).delete()
    for tag in overrides.get(Field.TICKERS_ADDED) or []:
        if tag["symbol"] not in removed:
            _add_ticker(article, tag, alias)
    chosen = overrides.get(Field.SECTIONS)
    return _set_sections(article, chosen["sections"], chosen.get("primary"), alias) if chosen else None


def _add_ticker(article: Article, tag: dict[str, str], alias: str) -> None:
    symbol, exchange = tag["symbol"], tag.get("exchange") or ""
    known = Ticker.objects.using(alias).filter(symbol=symbol)
    if exchange:
        known = known.filter(exchange=exchange)
    ticker = known.first()
    text = "\n\n".join(block["text"] for block in article.body)
    mentions = [[m.start(), m.end()] for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(symbol)}(?![A-Za-z0-9])", text)]
    ArticleTicker.objects.using(alias).update_or_create(
        article_id=article.pk, symbol=symbol,
        defaults={
            "ticker": ticker, "exchange": exchange or (ticker.exchange if ticker else ""),
            "name": tag.get("name") or (ticker.name if ticker else ""), "confidence": 1.0,
            "mentions": mentions, "published_at": article.published_at,
        },
    )


def _set_sections(article: Article, names: list[str], primary: str | None, alias: str) -> int | None:
    ids = dict(Section.objects.using(alias).filter(name__in=names).values_list("name", "id"))
    chosen = [ids[name] for name in names if name in ids]
    if not chosen:
        return None
    primary_id = ids.get(primary or "", chosen[0])
    ArticleSection.objects.using(alias).filter(article_id=article.pk).delete()
    ArticleSection.objects.using(alias).bulk_create(
        ArticleSection(article_id=article.pk, section_id=sid, score=1.0, is_primary=sid == primary_id)
        for sid in dict.fromkeys(chosen)
    )
    return primary_id


def correct_in_transaction(
    article_id: int, changes: dict[str, Any], *, alias: str = DEFAULT_DB_ALIAS
) -> Article:
    """Store overrides (a value of None drops one), apply them now and publish ``story_corrected``.

    Runs inside the caller's transaction (the desk's, with its audit rows). Raise ``Article.DoesNotExist``.
    """
    article = Article.objects.using(alias).select_for_update().get(pk=article_id)
    before = placement(article_id, using=alias)
    now = timezone.now()
    for field, value in changes.items():
        if field not in Field.values:
            raise ValueError(f"unknown override {field!r}: use one of {', '.join(Field.values)}")
        if value is None:
            EditorialOverride.objects.using(alias).filter(article_id=article_id, field=field).delete()
        else:
            EditorialOverride.objects.using(alias).update_or_create(
                article_id=article_id, field=field, defaults={"value": value, "updated_at": now}
            )
    # The story page changed (its chips, sections or text): new validators, so no reader keeps a 304'd copy.
    updates: dict[str, Any] = {"updated_at": now}
    for field in ARTICLE_FIELDS:
        value = changes.get(field)
        if value is not None and value != getattr(article, field):
            updates[field] = value
            if field in TEXT_FIELDS:  # the story page notes a change to the text itself
                updates["corrected_at"] = now
    primary_id = apply_overrides(article, alias)
    if primary_id is not None:
        updates["primary_section_id"] = primary_id
    if updates:
        Article.objects.using(alias).filter(pk=article_id).update(**updates)
        for name, value in updates.items():
            setattr(article, name, value)
    publish(StoryEvent(StoryEventName.CORRECTED, (article_id,), before=(before,)), using=alias)
    return article


def article_overrides(article_id: int, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Return the story fields an editor set (headline, summary, figures), which later revisions keep."""
    rows = EditorialOverride.objects.using(alias).filter(article_id=article_id, field__in=ARTICLE_FIELDS)
    return dict(rows.values_list("field", "value"))
