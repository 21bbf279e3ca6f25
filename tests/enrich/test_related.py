"""Related stories: vector similarity first, shared tickers and closeness in time as tie-breakers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from tickerwire.enrich.related import RelatedIndex, RelatedWeights, StoryMeta

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def window() -> RelatedIndex:
    stories = [
        StoryMeta("a", cluster="ca", published=NOW),
        StoryMeta("b", cluster="cb", published=NOW),
        StoryMeta("c", cluster="cc", published=NOW),
        StoryMeta("d", cluster="cq", published=NOW),  # another version of the query story
        StoryMeta("e", cluster="ce", published=NOW),
    ]
    vectors = np.vstack([unit(1, 0.1, 0), unit(0.9, 0.5, 0), unit(0, 0, 1), unit(1, 0, 0), unit(0.7, 0.7, 0.1)])
    return RelatedIndex(stories, vectors, center=False)


def test_ranks_by_similarity_and_excludes_own_key_and_cluster() -> None:
    """The closest vectors come first; the story's own key and cluster never appear; dissimilar ones drop."""
    index = window()
    hits = index.related(StoryMeta("q", cluster="cq", published=NOW), unit(1, 0, 0), k=5)
    assert [hit.key for hit in hits] == ["a", "b", "e"]  # "c" is orthogonal, "d" is the same story
    assert hits[0].score > hits[1].score > hits[2].score
    assert [h.key for h in index.related(StoryMeta("a", cluster="ca"), unit(1, 0.1, 0), k=2)] == ["d", "b"]


def test_shared_tickers_lift_an_almost_as_similar_story() -> None:
    """Of two nearly equal candidates, the one sharing the story's ticker wins."""
    stories = [StoryMeta("x"), StoryMeta("y", tickers=frozenset({"ACME"}))]
    index = RelatedIndex(stories, np.vstack([unit(1, 0.20), unit(1, 0.25)]), center=False)
    plain = index.related(StoryMeta("q"), unit(1, 0.2), k=2)
    tagged = index.related(StoryMeta("q", tickers=frozenset({"ACME"})), unit(1, 0.2), k=2)
    assert plain[0].key == "x"
    assert tagged[0].key == "y"


def test_recent_story_beats_an_equally_similar_old_one() -> None:
    """With equal similarity, the story published nearer the query's time ranks first."""
    stories = [
        StoryMeta("old", published=NOW - timedelta(days=20)),
        StoryMeta("new", published=NOW - timedelta(hours=3)),
    ]
    index = RelatedIndex(stories, np.vstack([unit(1, 0), unit(1, 0)]), center=False)
    assert [h.key for h in index.related(StoryMeta("q", published=NOW), unit(1, 0), k=2)] == ["new", "old"]


def test_minimum_similarity_and_k_bound_the_list() -> None:
    """Fewer than k hits come back when too few candidates are similar enough; k=0 gives none."""
    index = window()
    strict = RelatedWeights(min_similarity=0.95)
    assert [h.key for h in index.related(StoryMeta("q"), unit(1, 0, 0), k=5, weights=strict)] == ["d", "a"]
    assert index.related(StoryMeta("q"), unit(1, 0, 0), k=0) == []
    assert RelatedIndex([], np.zeros((0, 3), dtype=np.float32)).related(StoryMeta("q"), unit(1, 0, 0)) == []


def test_tfidf_fallback_ranks_by_shared_words() -> None:
    """Without embeddings, TF-IDF over the window's texts finds the story sharing the rare words."""
    stories = [StoryMeta("copper"), StoryMeta("bread"), StoryMeta("rates")]
    texts = [
        "Zentrix Mining copper output rose at its Chilean mine",
        "Kettle Lane bakery opens two shops",
        "Central bank holds interest rates",
    ]
    index = RelatedIndex.from_texts(stories, texts)
    query = index.text_vectors(["Copper prices lift Zentrix Mining shares"])
    hits = index.related(StoryMeta("q"), query, k=3, weights=RelatedWeights(min_similarity=0.05))
    assert [h.key for h in hits] == ["copper"]


def test_vectors_must_match_stories() -> None:
    """A window with a different number of vectors and stories is refused."""
    with pytest.raises(ValueError, match="2 stories but 1 vectors"):
        RelatedIndex([StoryMeta("a"), StoryMeta("b")], np.zeros((1, 3), dtype=np.float32))


def test_centring_removes_the_direction_every_story_shares() -> None:
    """Candidates alike only in the window's common direction stop looking similar once it is removed."""
    common = np.array([0, 0, 0, 1.0], dtype=np.float32)
    stories = [StoryMeta(str(i)) for i in range(4)]
    vectors = np.vstack([unit(*(np.eye(4)[i] * 0.6 + common)) for i in range(3)] + [unit(0.5, 0.5, 0, 1)])
    raw = RelatedIndex(stories, vectors, center=False).similarities(vectors[:1])[0]
    centred = RelatedIndex(stories, vectors).similarities(vectors[:1])[0]
    assert raw[1] > 0.6  # story 0 and 1 share only the common direction
    assert centred[1] < 0.1
    assert centred[3] > centred[1] and centred[3] > centred[2]  # story 3 shares story 0's own direction
