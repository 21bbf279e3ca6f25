"""Enrich each stored story: the cheap part in the ingest transaction, the embedding after it commits.

Connected in :meth:`tickerwire.articles.apps.ArticlesConfig.ready`. Settings ``TICKERWIRE_ENRICH = False``
(environment ``TICKERWIRE_ENRICH=0``) skips both, for bulk loads that enrich later.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from tickerwire.articles.actions.enrich import do_enrich_article, enrichment_enabled
from tickerwire.articles.models import Article, Revision


def enrich_stored_article(sender: object, *, article: Article, revision: Revision, created: bool, **_: object) -> None:
    """Store tickers, sections, figures, sentiment and cluster now; queue the embedding for after commit."""
    if not enrichment_enabled():
        return
    alias = article._state.db or "default"
    do_enrich_article(article, revision, alias=alias)
    transaction.on_commit(partial(_enqueue_embedding, article.pk), using=alias)


def _enqueue_embedding(article_id: int) -> None:
    from tickerwire.articles.tasks import embed_and_relate

    embed_and_relate.enqueue(article_id)
