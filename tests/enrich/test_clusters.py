"""Story clusters: versions of one story share a cluster key; different stories on the topic do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich.clusters import (
    ClusterIndex,
    cluster_text,
    minhash_from_bytes,
    minhash_to_bytes,
    new_cluster_key,
    shingles,
    story_minhash,
)

PARAGRAPHS = [
    "Harbor Lane Shipping said on Tuesday it would buy two container vessels from a Danish yard for a combined "
    "140 million euros, its first fleet purchase since the company listed in Oslo three years ago.",
    "The ships, each able to carry 7,000 containers, are due for delivery in the second half of next year and "
    "will serve the company's routes between northern Europe and the Gulf of Mexico.",
    "Chief executive Marta Olsgaard said freight rates had recovered enough to justify the order and that the "
    "purchase would be paid for from cash and an existing credit facility.",
    "Shares in Harbor Lane rose 3.2 percent in early trading, outperforming the Oslo benchmark index.",
]
OTHER_STORY = [
    "Northgate Freight said on Tuesday it had cancelled an order for three bulk carriers after a fall in demand "
    "for iron ore shipments from Brazil to China.",
    "The company will pay a penalty of 12 million dollars to the shipyard and expects a loss in the quarter.",
    "Northgate's chief financial officer said the decision would protect the balance sheet during a weak year.",
]
WHEN = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def story(headline: str, paragraphs: list[str]) -> ArticleDraft:
    return ArticleDraft(headline=headline, body=[Block("paragraph", p) for p in paragraphs])


def original() -> ArticleDraft:
    return story("Harbor Lane Shipping orders two container ships", PARAGRAPHS)


def update() -> ArticleDraft:
    """Return an update: marker in the headline, a reworded sentence, an added paragraph, a trimmed ending."""
    body = list(PARAGRAPHS[:3])
    body[1] = body[1].replace("are due for delivery", "should be delivered").replace("will serve", "are to serve")
    body.append("Analysts at Fjord Markets said the order was smaller than they had expected.")
    return story("UPDATE 1-Harbor Lane Shipping orders two container ships", body)


def test_update_of_a_story_joins_its_cluster() -> None:
    """An "UPDATE 1-" version with edits gets the original's cluster key."""
    index = ClusterIndex()
    first = index.assign("k1", story_minhash(original()), published=WHEN)
    second = index.assign("k2", story_minhash(update()), published=WHEN + timedelta(hours=2))
    assert first == new_cluster_key("k1")
    assert second == first


def test_different_story_on_the_same_topic_founds_its_own_cluster() -> None:
    """Another shipping-order story the same day is not a version of the first."""
    index = ClusterIndex()
    first = index.assign("k1", story_minhash(original()), published=WHEN)
    other = index.assign("k3", story_minhash(story("Northgate Freight cancels bulk carrier order", OTHER_STORY)),
                         published=WHEN)
    assert other != first
    assert other == new_cluster_key("k3")


def test_same_text_weeks_later_is_a_new_story() -> None:
    """A recurring report with the same wording a month on does not join the old cluster."""
    index = ClusterIndex()
    first = index.assign("k1", story_minhash(original()), published=WHEN)
    later = index.assign("k2", story_minhash(update()), published=WHEN + timedelta(days=30))
    assert later != first


def test_a_revision_keeps_the_cluster_it_has() -> None:
    """Re-assigning a known key, or one with a current cluster, keeps that cluster."""
    index = ClusterIndex()
    first = index.assign("k1", story_minhash(original()))
    assert index.assign("k1", story_minhash(story("Changed entirely", OTHER_STORY))) == first
    assert index.assign("k9", story_minhash(original()), current="c-fixed") == "c-fixed"
    assert len(index) == 2


def test_window_forgets_the_oldest_story() -> None:
    """Beyond its window the index drops the oldest story first."""
    index = ClusterIndex(window=1)
    index.assign("k1", story_minhash(original()))
    index.assign("k3", story_minhash(story("Northgate Freight cancels bulk carrier order", OTHER_STORY)))
    assert "k1" not in index and "k3" in index
    assert index.find(story_minhash(update())) is None


def test_cluster_text_ignores_revision_marker_and_case() -> None:
    """The text compared has no "UPDATE 1-" prefix and is case-folded."""
    text = cluster_text(story("UPDATE 1-Harbor Lane orders ships", ["Short Body."]))
    assert text == "harbor lane orders ships short body"
    assert shingles("a b") == {b"a b"} and len(shingles("a b c d")) == 2 and shingles("") == set()


def test_minhash_round_trips_through_bytes() -> None:
    """A stored MinHash reads back with the same similarity to others."""
    first, second = story_minhash(original()), story_minhash(update())
    restored = minhash_from_bytes(minhash_to_bytes(first))
    assert restored.jaccard(second) == first.jaccard(second)


def long_story(paragraphs: int) -> ArticleDraft:
    """Return a story of distinct words, about 1 kB a paragraph."""
    return story("Harbor Lane Shipping orders ships", [
        " ".join(f"cargo{n}x{k} vessel{k}" for k in range(60)) for n in range(paragraphs)
    ])


def test_a_long_storys_minhash_is_the_set_signature_within_a_few_times_its_size() -> None:
    """A 1 MB story's MinHash equals the one of its shingle set, and hashing it peaks at a few times its text.

    It used to hash every shingle in one datasketch call: 128 x 180,000 x 8-byte work arrays, 200 MB and more.
    """
    import tracemalloc

    import numpy as np
    from datasketch import LeanMinHash, MinHash

    from tickerwire.enrich.clusters import NUM_PERM, SCHEME, _hash32

    draft = long_story(1000)
    text = cluster_text(draft)
    assert len(text) > 1_000_000
    tracemalloc.start()
    try:
        signature = story_minhash(draft)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The folded text's few copies, and datasketch's arrays for one batch (a few MiB whatever the size).
    assert peak < 6 * len(text) + 8 * 2**20, f"{peak / 2**20:.0f} MB for {len(text) / 2**20:.1f} MB of text"
    reference = MinHash(num_perm=NUM_PERM, hashfunc=_hash32, scheme=SCHEME)
    reference.update_batch(list(shingles(text)))
    assert np.array_equal(LeanMinHash(reference).hashvalues, signature.hashvalues)


def test_shingles_stream_in_order() -> None:
    from tickerwire.enrich.clusters import iter_shingles

    assert list(iter_shingles("a b")) == [b"a b"] and list(iter_shingles("")) == []
    assert list(iter_shingles("a b c d")) == [b"a b c", b"b c d"]
