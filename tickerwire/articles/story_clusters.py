"""The process's window of recent stories for clustering, kept in step with the database.

Each stored article keeps its MinHash (base64 of uint32s) in ``Article.enrichment["minhash"]``, so a
process builds its LSH index from the most recent articles without re-reading their text, then before each
lookup reads only the rows added since (by id). A match is confirmed against the database, which stays the
authority on cluster keys: an entry left by a rolled-back transaction is dropped, not trusted.
"""

from __future__ import annotations

import base64
import threading

from datasketch import LeanMinHash

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


class _Window:
    def __init__(self) -> None:
        self.index = ClusterIndex(window=DEFAULT_WINDOW)
        self.last_id = 0
        self.lock = threading.Lock()

    def catch_up(self, alias: str) -> None:
        rows = Article.objects.using(alias).exclude(cluster_key="").filter(id__gt=self.last_id)
        if self.last_id == 0:
            rows = rows.order_by("-id")[:DEFAULT_WINDOW]
        found = list(rows.values_list("id", "key", "cluster_key", "published_at", "enrichment__minhash"))
        for pk, key, cluster, published, encoded in sorted(found):
            if encoded:
                self.index.add(key, decode_minhash(encoded), cluster, published)
            self.last_id = max(self.last_id, pk)


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
    """Return the article's cluster key and MinHash, and index it in this process's window.

    A stored article keeps its cluster across revisions; a new one joins the closest recent story within
    the time gap, or founds its own cluster.
    """
    minhash = story_minhash(draft)
    window = _window(alias)
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
    return cluster, minhash
