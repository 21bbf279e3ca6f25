"""Store what enrichment adds to an article: the cheap part at ingest, the embedding and related set later.

:func:`enrich_for_store` runs before the ingest transaction (no database) and :func:`store_enrichment`
inside it: tickers become :class:`ArticleTicker` rows linked to known :class:`Ticker` rows, sections become
:class:`ArticleSection` rows, and figures, sentiment and the cluster key go on the article and its revision.
:func:`do_embed_and_relate` is the background task's body: it stores the embedding, ranks the article's
related stories (k=5) and adds the article to older stories' lists where it is now closer than their
weakest link.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tickerwire.articles.actions.overrides import Field, apply_overrides, article_overrides
from tickerwire.articles.events import StoryEvent, StoryEventName, publish
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, RelatedArticle, Revision, Section, Ticker
from tickerwire.articles.related_window import (
    article_meta,
    article_tickers,
    draft_of,
    load_window,
    remember_vector,
)
from tickerwire.articles.selectors import placement
from tickerwire.articles.story_clusters import assign_cluster, encode_minhash
from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import Enrichment, TickerTag
from tickerwire.enrich.embeddings import EmbeddingBackend, embedding_text, get_backend, vector_to_bytes
from tickerwire.enrich.pipeline import enrich_without_embedding
from tickerwire.enrich.related import DEFAULT_K
from tickerwire.enrich.sections import classify_sections
from tickerwire.enrich.sections import embedding_model as sections_embedding_model
from tickerwire.enrich.sentiment import article_sentiment
from tickerwire.enrich.sentiment import embedding_model as sentiment_embedding_model

logger = logging.getLogger(__name__)

# Older stories whose lists are checked when a new story arrives: its closest ones (bounds the writes).
REFRESH_CANDIDATES = 50
# The advisory lock's key: one lock for every worker writing related lists into this database.
RELATED_LOCK_KEY = zlib.crc32(b"tickerwire.related_lists")


def take_related_lock(alias: str) -> None:
    """Hold the related-lists lock until the current transaction ends (PostgreSQL; SQLite's writer lock suffices).

    A story's list and its refresh of older lists are read and written under it, so two workers never
    write one pair (a re-queued task beside its first run, or two new stories each adding itself to the
    other's list: an IntegrityError, or a deadlock, or a list over ``k``).
    """
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELATED_LOCK_KEY])


def enrichment_enabled() -> bool:
    """Return whether ingest enriches stories (``TICKERWIRE_ENRICH=0`` turns it off for bulk loads)."""
    return bool(getattr(settings, "TICKERWIRE_ENRICH", True))


def enrich_for_store(draft: ArticleDraft) -> Enrichment | None:
    """Return the cheap enrichment of a story (no database, no embedding), or None when ingest does not enrich.

    Ingest calls this before its transaction opens, so no row lock is held while tagging runs.
    """
    return enrich_without_embedding(draft) if enrichment_enabled() else None


def store_enrichment(
    article: Article, revision: Revision, draft: ArticleDraft, enrichment: Enrichment, *, alias: str = DEFAULT_DB_ALIAS
) -> None:
    """Write an article's new revision's enrichment: tickers, sections, figures, sentiment and its cluster.

    Runs inside the ingest transaction (the cluster is decided under the cluster lock, see
    :func:`~tickerwire.articles.story_clusters.assign_cluster`).
    """
    cluster, minhash = assign_cluster(article, draft, alias)
    stored = enrichment.to_json()
    stored["minhash"] = encode_minhash(minhash)
    _store_tickers(article, enrichment, alias)
    primary_id = _store_sections(article, enrichment, alias)
    # Last: an editor's corrections win over what enrichment found, on every revision and re-enrichment.
    primary_id = apply_overrides(article, alias) or primary_id
    edited = article_overrides(article.pk, alias)
    fields = {
        # The figures enrichment found stay in ``enrichment``; the page shows the editor's, if any.
        "figures": edited.get(Field.FIGURES, stored["figures"]),
        "sentiment": stored["sentiment"],
        "enrichment": stored,
        "cluster_key": cluster,
        "clustered_at": article.clustered_at,
        "primary_section_id": primary_id,
    }
    # An UPDATE, not save(): the article row was just written by the fast insert or the revision's save.
    Article.objects.using(alias).filter(pk=article.pk).update(**fields)
    for name, value in fields.items():
        setattr(article, name, value)
    Revision.objects.using(alias).filter(pk=revision.pk).update(enrichment=stored)
    revision.enrichment = stored


def do_reenrich(article_id: int, *, alias: str = DEFAULT_DB_ALIAS) -> Article:
    """Run the cheap enrichment again on a story's current revision and store it (editors' corrections still win).

    For a story stored before a tagger or classifier improved; publishes ``story_refined``. Raise
    ``Article.DoesNotExist`` for an unknown id.
    """
    revision = Revision.objects.using(alias).filter(article_id=article_id).order_by("-number").first()
    if revision is None:
        raise Article.DoesNotExist(f"article {article_id} has no revision")
    draft = ArticleDraft.from_json(revision.draft)
    enrichment = enrich_without_embedding(draft)
    with transaction.atomic(using=alias, durable=True):
        article = Article.objects.using(alias).select_for_update().get(pk=article_id)
        before = placement(article_id, using=alias)
        article.primary_section_id = _source_section_id(article, alias)
        store_enrichment(article, revision, draft, enrichment, alias=alias)
        publish(StoryEvent(StoryEventName.REFINED, (article_id,), before=(before,)), using=alias)
    return article


def _source_section_id(article: Article, alias: str) -> int | None:
    """Return the site section the story's source named, which leads its sections (as at ingest)."""
    name = (article.source_section or "").strip()
    return Section.objects.using(alias).filter(name__iexact=name).values_list("id", flat=True).first() if name else None


def _ticker_rows(tags: list[TickerTag], alias: str) -> dict[tuple[str, str], int]:
    symbols = {tag.symbol for tag in tags}
    rows = Ticker.objects.using(alias).filter(symbol__in=symbols).values_list("symbol", "exchange", "id")
    return {(symbol, exchange): pk for symbol, exchange, pk in rows}


def _store_tickers(article: Article, enrichment: Enrichment, alias: str) -> None:
    best: dict[str, TickerTag] = {}
    for tag in enrichment.tickers:
        if tag.symbol not in best or tag.confidence > best[tag.symbol].confidence:
            best[tag.symbol] = tag
    known = _ticker_rows(list(best.values()), alias)
    links = []
    for symbol, tag in best.items():
        exchange = tag.exchange or ""
        ticker_id = known.get((symbol, exchange))
        if ticker_id is None and not exchange:
            matches = [pk for (sym, _exchange), pk in known.items() if sym == symbol]
            ticker_id = matches[0] if len(matches) == 1 else None
        sentiment = enrichment.ticker_sentiment.get(symbol)
        links.append(
            ArticleTicker(
                article=article,
                ticker_id=ticker_id,
                symbol=symbol[:20],
                exchange=exchange[:40],
                name=(tag.name or "")[:300],
                confidence=tag.confidence,
                mentions=tag.mentions,
                sentiment=asdict(sentiment) if sentiment else None,
                published_at=article.published_at,
            )
        )
    ArticleTicker.objects.using(alias).filter(article=article).delete()
    ArticleTicker.objects.using(alias).bulk_create(links)


def _store_sections(article: Article, enrichment: Enrichment, alias: str) -> int | None:
    """Store the section links; return the primary section: the source's when it names one."""
    names = {score.name for score in enrichment.sections}
    if enrichment.primary_section:
        names.add(enrichment.primary_section)
    ids = dict(Section.objects.using(alias).filter(name__in=names).values_list("name", "id"))
    primary_id = article.primary_section_id or ids.get(enrichment.primary_section or "")
    scores = {ids[s.name]: s.score for s in enrichment.sections if s.name in ids}
    if primary_id is not None:
        scores.setdefault(primary_id, 1.0)
    ArticleSection.objects.using(alias).filter(article=article).delete()
    ArticleSection.objects.using(alias).bulk_create(
        ArticleSection(article=article, section_id=sid, score=score, is_primary=sid == primary_id)
        for sid, score in scores.items()
    )
    return primary_id


def do_embed_and_relate(article_id: int, *, k: int = DEFAULT_K, alias: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Embed an article (when a backend is configured), store its related set, refresh older lists.

    Return the ids of the related articles, best first. An article deleted meanwhile yields ``[]``.
    """
    return do_embed_and_relate_many([article_id], k=k, alias=alias).get(article_id, [])


def do_embed_and_relate_many(
    article_ids: Sequence[int],
    *,
    k: int = DEFAULT_K,
    alias: str = DEFAULT_DB_ALIAS,
    failures: dict[int, Exception] | None = None,
) -> dict[int, list[int]]:
    """Embed several articles in one model call, then rank and store each one's related set in turn.

    The model runs once over every text (batched, which is cheaper per story than one call each, see
    ``bench/ingest.py --enrichment``); then each article is stored and ranked in the order given, in its own
    transaction, exactly as :func:`do_embed_and_relate` one after the other would: an article's window holds
    the ones before it (stored with their vectors) and not the ones after (not embedded yet). Return each
    article's related ids, best first; a deleted article is left out. With ``failures`` given, an article
    whose storing fails is recorded there and the others still run; without it the error is raised.
    """
    wanted = list(dict.fromkeys(article_ids))
    found = Article.objects.using(alias).in_bulk(wanted)
    articles = [found[pk] for pk in wanted if pk in found]
    if not articles:
        return {}
    backend = get_backend(getattr(settings, "EMBEDDINGS", None))
    vectors: list[np.ndarray | None] = [None] * len(articles)
    if backend is not None:
        vectors = list(embed_articles(articles, backend))
    model_name = backend.model_name if backend is not None else ""
    related: dict[int, list[int]] = {}
    for article, vector in zip(articles, vectors, strict=True):
        try:
            chosen = _store_and_relate(article, vector, model_name, k, alias)
        except Exception as exc:
            if failures is None:
                raise
            failures[article.pk] = exc
            continue
        if chosen is not None:
            related[article.pk] = chosen
    return related


def embed_articles(articles: Sequence[Article], backend: EmbeddingBackend) -> np.ndarray:
    """Return the articles' embeddings from one model call (the backend batches and pads by length)."""
    return backend.embed([embedding_text(draft_of(a.headline, a.summary, a.body)) for a in articles])


def _store_and_relate(
    article: Article, vector: np.ndarray | None, model_name: str, k: int, alias: str
) -> list[int] | None:
    """Store an article's vector and related set and refresh older lists; None when it was deleted meanwhile."""
    # The embedding may move the story to other sections; its related list changes: its pages go stale.
    before = placement(article.pk, using=alias)
    with transaction.atomic(using=alias, durable=True):
        # First, before any row lock: the window is read and every list written by one worker at a time.
        take_related_lock(alias)
        # Held until commit: a deletion of the story waits, rather than failing the links' foreign keys.
        if not Article.objects.using(alias).select_for_update(no_key=True).filter(pk=article.pk).exists():
            return None
        if vector is not None:
            Article.objects.using(alias).filter(pk=article.pk).update(
                embedding=vector_to_bytes(vector), embedding_model=model_name
            )
            remember_vector(article, vector, model_name, alias)
            _refine_with_embedding(article, vector, model_name, alias)
        symbols = article_tickers(article, alias)
        window = load_window(article, vector, model_name, alias, symbols)
        meta = article_meta(article, symbols)
        scores = window.scores(meta)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
        chosen = order[:k]
        RelatedArticle.objects.using(alias).filter(article=article).delete()
        RelatedArticle.objects.using(alias).bulk_create(
            RelatedArticle(article_id=article.pk, related_id=window.ids[i], score=float(scores[i])) for i in chosen
        )
        older = order[:REFRESH_CANDIDATES]
        their = {window.ids[i]: score for i, score in zip(older, window.scores_of_article(older), strict=True)}
        changed = _refresh_older(article.pk, {pk: score for pk, score in their.items() if np.isfinite(score)}, k, alias)
        # Published last, as ingest does: the article row is locked before the index row, never after it
        # (the other order deadlocks against a concurrent revision of the same story).
        publish(StoryEvent(StoryEventName.REFINED, (article.pk,), before=(before,)), using=alias)
        if changed:
            publish(StoryEvent(StoryEventName.RELATED_CHANGED, tuple(changed)), using=alias)
    return [window.ids[i] for i in chosen]


def _refine_with_embedding(article: Article, vector: np.ndarray, model_name: str, alias: str) -> None:
    """Re-classify sections and article sentiment with the embedding their learned heads read.

    At ingest only the word-based classifiers can run (the embedding comes later, here); their learned
    heads are more accurate, so the article's sections and sentiment are replaced once the vector exists.
    Vectors of another model than the heads were trained on are not used.
    """
    revision = Revision.objects.using(alias).filter(article_id=article.pk).order_by("-number").first()
    if revision is None:
        return
    draft = ArticleDraft.from_json(revision.draft)
    stored = dict(article.enrichment or {})
    fields: dict[str, object] = {}
    if model_name == sections_embedding_model():
        sections, primary = classify_sections(draft, embedding=vector)
        article.primary_section_id = None  # the refined choice (the source's own section first) decides
        refined = _store_sections(article, Enrichment(sections=sections, primary_section=primary), alias)
        fields["primary_section_id"] = apply_overrides(article, alias) or refined  # an editor's sections win
        stored["sections"] = [asdict(score) for score in sections]
        stored["primary_section"] = primary
    if model_name == sentiment_embedding_model():
        fields["sentiment"] = stored["sentiment"] = asdict(article_sentiment(draft, embedding=vector))
    if fields:
        fields["enrichment"] = stored
        Article.objects.using(alias).filter(pk=article.pk).update(**fields)
        Revision.objects.using(alias).filter(pk=revision.pk).update(enrichment=stored)


def _refresh_older(new_id: int, scores: dict[int, float], k: int, alias: str) -> list[int]:
    """Put the new article into each older story's list where it beats that list's weakest link.

    ``scores`` are the new article's scores as each older story ranks it (its own neighbourhood, tickers and
    time), so they compare with the scores its list was stored with.

    Return the ids of the stories whose list changed (a new member, or a new order).
    """
    changed: list[int] = []
    links: dict[int, list[tuple[float, int]]] = {pk: [] for pk in scores}
    rows = RelatedArticle.objects.using(alias).filter(article_id__in=list(scores))
    for article_id, related_id, score in rows.values_list("article_id", "related_id", "score"):
        links[article_id].append((score, related_id))
    for other_id, score in scores.items():
        current = links[other_id]
        if any(related_id == new_id for _score, related_id in current):
            if RelatedArticle.objects.using(alias).filter(article_id=other_id, related_id=new_id).exclude(
                score=score
            ).update(score=score):
                changed.append(other_id)
            continue
        if len(current) >= k:
            weakest_score, weakest_id = min(current)
            if score <= weakest_score:
                continue
            RelatedArticle.objects.using(alias).filter(article_id=other_id, related_id=weakest_id).delete()
        RelatedArticle.objects.using(alias).create(article_id=other_id, related_id=new_id, score=score)
        changed.append(other_id)
    return changed

