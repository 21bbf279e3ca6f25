"""Story clusters: updates, corrections and rewrites of one story share a cluster key; no Django here.

Two versions of a story share most of their word sequences even after rewording, an added paragraph or a
trimmed ending, while two different stories on the same topic share only stock phrases. So a story's text
(headline without its "UPDATE 1-" marker, summary and body, folded like story keys) is cut into
overlapping word shingles, summarised as a MinHash, and looked up in a MinHash LSH index of recent stories
(``datasketch``); a candidate joins when its estimated Jaccard similarity reaches the threshold.
bench/cluster_eval.py measures precision and recall of that rule on edited copies of corpus stories.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from tickerwire.core.draft import ArticleDraft, normalise_for_key

SHINGLE_WORDS = 3
# Shingles hashed per datasketch call: bounds its num_perm x batch work arrays (128 x 1,024 x 8 B = 1 MiB each).
MINHASH_BATCH = 1024
_WORD = re.compile(r"\S+")
SCHEME = "affine32"  # datasketch >= 2.0's default, named so stored signatures stay comparable
NUM_PERM = 128
# Estimated Jaccard of word 3-shingles at or above which two stories are versions of one story.
JOIN_THRESHOLD = 0.3
# Stories kept in an index; older ones are forgotten first (a story's updates arrive within days).
DEFAULT_WINDOW = 50_000
# Versions of one story are published close together; a recurring report ("central bank sets lira rates")
# weeks later shares its wording but is a new story.
MAX_GAP = timedelta(days=3)


def _hash32(data: bytes) -> int:
    # CRC-32 is stable across processes (unlike hash()) and cheap; MinHash only needs well-spread values.
    return zlib.crc32(data)


def cluster_text(draft: ArticleDraft) -> str:
    """Return the folded text that versions of a story share: headline, summary and body."""
    parts = [draft.headline, *draft.summary, *(block.text for block in draft.body)]
    return normalise_for_key(" ".join(parts))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Return the word ``size``-grams of folded text (the whole text when it is shorter)."""
    return set(iter_shingles(text, size))


def iter_shingles(text: str, size: int = SHINGLE_WORDS) -> Iterator[bytes]:
    """Yield the word ``size``-grams of folded text in order, repeats included, holding only ``size`` words.

    The whole text is one shingle when it has ``size`` words or fewer, as :func:`shingles` says.
    """
    window: deque[str] = deque(maxlen=size)
    full = False
    for match in _WORD.finditer(text):
        window.append(match.group())
        if len(window) == size:
            full = True
            yield " ".join(window).encode("utf-8")
    if not full and window:
        yield " ".join(window).encode("utf-8")


def story_minhash(draft: ArticleDraft, num_perm: int = NUM_PERM) -> LeanMinHash:
    """Return the MinHash of a story's shingles (an empty story gets the empty MinHash).

    The shingles go in batches of :data:`MINHASH_BATCH`: datasketch permutes a batch as one
    ``num_perm`` x batch array of 64-bit integers, so the whole of a 5 MB story at once took over a
    gigabyte (128 x 830,000 x 8 bytes, several times over). A MinHash is a minimum per permutation, so
    batches, and shingles repeated, give the same signature as one set of them.
    """
    minhash = MinHash(num_perm=num_perm, hashfunc=_hash32, scheme=SCHEME)
    pending = iter_shingles(cluster_text(draft))
    while batch := list(islice(pending, MINHASH_BATCH)):
        minhash.update_batch(batch)
    return LeanMinHash(minhash)


def minhash_to_bytes(minhash: LeanMinHash) -> bytes:
    """Return the MinHash hash values as little-endian uint32 bytes (to keep it with a stored story)."""
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def minhash_from_bytes(data: bytes) -> LeanMinHash:
    """Return the MinHash stored by :func:`minhash_to_bytes`."""
    values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def new_cluster_key(story_key: str) -> str:
    """Return the cluster key a story founds: short, stable, and independent of the key's length."""
    return "c" + hashlib.sha256(story_key.encode("utf-8")).hexdigest()[:31]


@dataclass(frozen=True)
class ClusterMatch:
    cluster: str
    key: str  # the story it matched
    similarity: float  # estimated Jaccard of shingles


class ClusterIndex:
    """Recent stories' MinHashes in an LSH index, mapping each story key to its cluster key."""

    def __init__(
        self,
        *,
        threshold: float = JOIN_THRESHOLD,
        num_perm: int = NUM_PERM,
        window: int = DEFAULT_WINDOW,
        max_gap: timedelta | None = MAX_GAP,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.window = window
        self.max_gap = max_gap
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._stories: OrderedDict[str, tuple[LeanMinHash, str, datetime | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, key: object) -> bool:
        return key in self._stories

    def cluster_of(self, key: str) -> str | None:
        """Return the cluster of an indexed story."""
        entry = self._stories.get(key)
        return entry[1] if entry else None

    def _close_in_time(self, first: datetime | None, second: datetime | None) -> bool:
        if self.max_gap is None or first is None or second is None:
            return True
        if (first.tzinfo is None) != (second.tzinfo is None):
            return True  # one zone-less source time: do not guess the offset
        return abs(first - second) <= self.max_gap

    def find(
        self, minhash: LeanMinHash, *, published: datetime | None = None, exclude_key: str | None = None
    ) -> ClusterMatch | None:
        """Return the most similar indexed story at or above the threshold and within the time gap."""
        best: ClusterMatch | None = None
        for key in self._lsh.query(minhash):
            if key == exclude_key:
                continue
            other, cluster, other_published = self._stories[key]
            if not self._close_in_time(published, other_published):
                continue
            similarity = float(minhash.jaccard(other))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = ClusterMatch(cluster=cluster, key=key, similarity=similarity)
        return best

    def add(self, key: str, minhash: LeanMinHash, cluster: str, published: datetime | None = None) -> None:
        """Index a story under a cluster, replacing an earlier version of the same key."""
        if key in self._stories:
            self._lsh.remove(key)
            del self._stories[key]
        self._lsh.insert(key, minhash)
        self._stories[key] = (minhash, cluster, published)
        while len(self._stories) > self.window:
            oldest, _ = self._stories.popitem(last=False)
            self._lsh.remove(oldest)

    def remove(self, key: str) -> None:
        """Forget a story (its row was rolled back or deleted)."""
        if self._stories.pop(key, None) is not None:
            self._lsh.remove(key)

    def assign(
        self, key: str, minhash: LeanMinHash, *, published: datetime | None = None, current: str | None = None
    ) -> str:
        """Return the story's cluster key and index it.

        A story keeps a cluster it already has (a new revision of a stored article); otherwise it joins the
        closest recent story's cluster, or founds its own.
        """
        cluster = current or self.cluster_of(key)
        if not cluster:
            match = self.find(minhash, published=published, exclude_key=key)
            cluster = match.cluster if match else new_cluster_key(key)
        self.add(key, minhash, cluster, published)
        return cluster
