"""Cluster assignment shared by every worker: decided under one lock, each process's window kept in step.

Each stored article keeps its MinHash (base64 of uint32s) in ``Article.enrichment["minhash"]``, so a
process builds its LSH index from the most recent articles without re-reading their text. Before each
assignment it takes the cluster lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: its single
writer already serialises ingest transactions), then reads the assignments made since it last looked, by
``clustered_at``, not by id: ids are handed out before commit, so a story committed late would be skipped.
Holding the lock until commit means two workers cannot both found a cluster for near-duplicates. A match is
confirmed against the database, which stays the authority on cluster keys.
"""

from __future__ import annotations

import base64
import threading
import zlib
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


# Workers' clocks may disagree by this much (NTP keeps them far closer): catch-up re-reads this margin.
CLOCK_MARGIN = timedelta(seconds=5)
# The advisory lock's key: one lock for every worker clustering into this database.
CLUSTER_LOCK_KEY = zlib.crc32(b"tickerwire.story_clusters")


def take_cluster_lock(alias: str) -> None:
    """Hold the cluster lock until the current transaction ends (PostgreSQL; SQLite's writer lock suffices)."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLUSTER_LOCK_KEY])


class _Window:
    def __init__(self) -> None:
        self.index = ClusterIndex(window=DEFAULT_WINDOW)
        self.seen_until: datetime | None = None
        self.recent: dict[str, datetime] = {}  # keys read within the margin, so a re-read adds nothing twice
        self.lock = threading.Lock()

    def catch_up(self, alias: str) -> None:
        rows = Article.objects.using(alias).exclude(cluster_key="").filter(clustered_at__isnull=False)
        if self.seen_until is None:
            rows = rows.order_by("-clustered_at")[:DEFAULT_WINDOW]
        else:
            rows = rows.filter(clustered_at__gte=self.seen_until - CLOCK_MARGIN)
        found = list(rows.values_list("clustered_at", "key", "cluster_key", "published_at", "enrichment__minhash"))
        for at, key, cluster, published, encoded in sorted(found):
            if self.recent.get(key) == at:
                continue
            if encoded:
                self.index.add(key, decode_minhash(encoded), cluster, published)
            self.recent[key] = at
            self.seen_until = at if self.seen_until is None else max(self.seen_until, at)
        if self.seen_until is not None:
            horizon = self.seen_until - CLOCK_MARGIN
            self.recent = {key: at for key, at in self.recent.items() if at >= horizon}


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


def assign_cluster(article: Article, draft: ArticleDraft, alias: str) -> tuple[str, LeanMinHash]:
    """Return the article's cluster key and MinHash, index it in this process's window, set ``clustered_at``.

    Call inside the story's transaction: the cluster lock is held until it ends, so another worker's
    assignment waits for this one to commit and then sees it. A stored article keeps its cluster across
    revisions; a new one joins the closest recent story within the time gap, or founds its own cluster.
    """
    minhash = story_minhash(draft)
    window = _window(alias)
    with window.lock:
        take_cluster_lock(alias)
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
        article.clustered_at = timezone.now()
    return cluster, minhash
