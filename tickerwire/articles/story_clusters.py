"""Assign story clusters once across every worker, with a per-process window kept in step by time.

Each stored article keeps its MinHash (base64 of uint32s) in ``Article.enrichment["minhash"]``, so a
process builds its LSH index from the most recent articles without re-reading their text.

Workers share nothing but the database, so assignment is serialised there: :func:`assign_cluster` first
takes the cluster lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write lock that every
``IMMEDIATE`` transaction already holds), which is released only when the story's transaction commits.
Under the lock it reads the rows clustered since it last looked, by ``clustered_at`` (stamped under the
lock, so it follows commit order; ids do not, PostgreSQL hands them out before commit), with an overlap for
clock skew between servers. Two near-duplicates ingested at once on two workers therefore end in one
cluster: the second to take the lock sees the first. A match is confirmed against the database, which
stays the authority on cluster keys: an entry left by a rolled-back transaction is dropped, not trusted.
"""

from __future__ import annotations

import base64
import threading
from datetime import datetime, timedelta

from datasketch import LeanMinHash
from django.db import connections
from django.utils import timezone

from tickerwire.articles.models import Article
from tickerwire.core.draft import ArticleDraft
from tickerwire.enrich.clusters import (
    DEFAULT_WINDOW,
    ClusterIndex,
    minhash_from_bytes,
    minhash_to_bytes,
    new_cluster_key,
    story_minhash,
)


def encode_minhash(minhash: LeanMinHash) -> str:
    """Return a MinHash as the text stored in the article's enrichment JSON."""
    return base64.b64encode(minhash_to_bytes(minhash)).decode("ascii")


def decode_minhash(text: str) -> LeanMinHash:
    """Return the MinHash stored by :func:`encode_minhash`."""
    return minhash_from_bytes(base64.b64decode(text))


# Rows clustered this long before the newest one seen are read again (clock skew between app servers).
CATCH_UP_OVERLAP = timedelta(seconds=30)
# The advisory lock key of cluster assignment on PostgreSQL (any constant the application owns).
PG_CLUSTER_LOCK = 0x7C1A57E4


class _Window:
    def __init__(self) -> None:
        self.index = ClusterIndex(window=DEFAULT_WINDOW)
        self.seen_until: datetime | None = None
        self.lock = threading.Lock()

    def catch_up(self, alias: str) -> None:
        rows = Article.objects.using(alias).exclude(cluster_key="").exclude(clustered_at=None)
        if self.seen_until is None:
            rows = rows.order_by("-clustered_at")[:DEFAULT_WINDOW]
        else:
            rows = rows.filter(clustered_at__gte=self.seen_until - CATCH_UP_OVERLAP)
        found = list(rows.values_list("clustered_at", "id", "key", "cluster_key", "published_at",
                                      "enrichment__minhash"))
        for clustered_at, _pk, key, cluster, published, encoded in sorted(found):
            if encoded and self.index.cluster_of(key) != cluster:
                self.index.add(key, decode_minhash(encoded), cluster, published)
            self.seen_until = clustered_at if self.seen_until is None else max(self.seen_until, clustered_at)


_windows: dict[str, _Window] = {}
_windows_lock = threading.Lock()


def _window(alias: str) -> _Window:
    with _windows_lock:
        window = _windows.get(alias)
        if window is None:
            window = _windows[alias] = _Window()
        return window


def forget_windows() -> None:
    """Drop every process window (tests and ``flush`` start from an empty store)."""
    with _windows_lock:
        _windows.clear()


def take_cluster_lock(alias: str) -> None:
    """Serialise cluster assignment across processes until the current transaction ends."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_CLUSTER_LOCK])
    # SQLite: an IMMEDIATE transaction (the settings' transaction_mode) already holds the database's
    # single write lock, so no other writer runs until this one commits.


def assign_cluster(article: Article, draft: ArticleDraft, alias: str) -> tuple[str, LeanMinHash, datetime]:
    """Return the article's cluster key, its MinHash and the time it was clustered; index it here.

    Call it inside the story's transaction: it takes the cluster lock, which the commit releases. A stored
    article keeps its cluster across revisions; a new one joins the closest recent story within the time
    gap, or founds its own cluster.
    """
    minhash = story_minhash(draft)
    window = _window(alias)
    take_cluster_lock(alias)
    clustered_at = timezone.now()
    with window.lock:
        window.catch_up(alias)
        cluster = article.cluster_key
        while not cluster:
            match = window.index.find(minhash, published=article.published_at, exclude_key=article.key)
            if match is None:
                cluster = new_cluster_key(article.key)
                break
            stored = Article.objects.using(alias).filter(key=match.key).values_list("cluster_key", flat=True).first()
            if stored:
                cluster = stored
            else:
                window.index.remove(match.key)
        window.index.add(article.key, minhash, cluster, article.published_at)
    return cluster, minhash, clustered_at
