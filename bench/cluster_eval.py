"""Story clusters on Reuters-21578: do edited versions of a story join it, and different stories not?

Positives are pairs (story, edited copy) built here from corpus stories: an "UPDATE 1-" headline, reworded
sentences (synonyms, dropped words, a moved clause), an added paragraph and a trimmed ending, each alone and
all together. Negatives are pairs of different stories sharing a topic, half of them from the same day.
A pair is predicted "same story" when the MinHash estimate of shingle Jaccard reaches the threshold.
The end-to-end check indexes every train story in a ClusterIndex and then looks up each edited copy.

    .venv/bin/python bench/cluster_eval.py [--sample 1000] [--threshold 0.3]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from reuters_stories import ReutersStory, load_train

from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich.clusters import JOIN_THRESHOLD, MAX_GAP, ClusterIndex, story_minhash

SYNONYMS = {
    "said": "stated", "rose": "increased", "fell": "declined", "mln": "million", "pct": "percent",
    "dlrs": "dollars", "company": "firm", "shares": "stock", "bought": "acquired", "sell": "divest",
    "expected": "forecast", "year": "12 months", "also": "additionally", "told": "informed", "higher": "greater",
    "lower": "smaller", "profit": "earnings", "agreed": "consented", "reported": "posted", "about": "around",
}
ADDED_PARAGRAPH = (
    "A spokesman for the company declined to comment further on the figures when reached by telephone, "
    "saying a fuller statement would follow after the close of trading."
)


def reword_sentence(sentence: str, rng: random.Random) -> str:
    """Return a sentence with synonyms swapped in, one word dropped and, sometimes, its clauses swapped."""
    words = [SYNONYMS.get(word, word) for word in sentence.split()]
    if len(words) > 6:
        del words[rng.randrange(1, len(words) - 1)]
    text = " ".join(words)
    clauses = text.split(", ", 1)
    if len(clauses) == 2 and rng.random() < 0.5:
        text = f"{clauses[1].rstrip('.')}, {clauses[0][0].lower()}{clauses[0][1:]}."
    return text


def reworded(draft: ArticleDraft, rng: random.Random) -> ArticleDraft:
    """Reword about half the sentences of every paragraph."""
    body = []
    for block in draft.body:
        sentences = re.split(r"(?<=[.!?])\s+", block.text)
        body.append(Block(block.type, " ".join(
            reword_sentence(s, rng) if rng.random() < 0.5 else s for s in sentences
        )))
    return replace(draft, body=body)


def updated_headline(draft: ArticleDraft, rng: random.Random) -> ArticleDraft:
    return replace(draft, headline=f"UPDATE 1-{draft.headline}")


def added_paragraph(draft: ArticleDraft, rng: random.Random) -> ArticleDraft:
    return replace(draft, body=[*draft.body, Block("paragraph", ADDED_PARAGRAPH)])


def trimmed_ending(draft: ArticleDraft, rng: random.Random) -> ArticleDraft:
    """Drop the last third of the paragraphs (at least one)."""
    keep = max(1, len(draft.body) - max(1, len(draft.body) // 3))
    return replace(draft, body=draft.body[:keep])


def all_edits(draft: ArticleDraft, rng: random.Random) -> ArticleDraft:
    for edit in (updated_headline, reworded, added_paragraph, trimmed_ending):
        draft = edit(draft, rng)
    return draft


EDITS: dict[str, Callable[[ArticleDraft, random.Random], ArticleDraft]] = {
    "update-headline": updated_headline,
    "reworded": reworded,
    "added-paragraph": added_paragraph,
    "trimmed-ending": trimmed_ending,
    "all-together": all_edits,
}


def eligible(story: ReutersStory) -> bool:
    """Stories with a body of two paragraphs or more and a topic: ones that get updates and have peers."""
    return len(story.draft.paragraphs()) >= 2 and bool(story.topics)


def negative_pairs(stories: list[ReutersStory], sample: list[ReutersStory], rng: random.Random) -> list[tuple]:
    """Return (story, other) pairs sharing a topic: one any day, one the same day when there is one."""
    by_topic: dict[str, list[ReutersStory]] = defaultdict(list)
    for story in stories:
        for topic in story.topics:
            by_topic[topic].append(story)
    pairs = []
    for story in sample:
        peers = [
            s for t in story.topics for s in by_topic[t]
            if s.id != story.id and s.draft.headline != story.draft.headline
        ]
        if not peers:
            continue
        pairs.append((story, rng.choice(peers)))
        day = story.published.date() if story.published else None
        same_day = [s for s in peers if s.published and s.published.date() == day]
        if same_day:
            pairs.append((story, rng.choice(same_day)))
    return pairs


def close_in_time(first: ReutersStory, second: ReutersStory) -> bool:
    """Return whether two stories are within the clusters' time gap (ClusterIndex's rule)."""
    if first.published is None or second.published is None:
        return True
    return abs(first.published - second.published) <= MAX_GAP


def evaluate(stories: list[ReutersStory], sample_size: int, threshold: float, seed: int = 7) -> dict[str, float]:
    """Return precision, recall per edit and end-to-end figures; print them as it goes."""
    rng = random.Random(seed)
    candidates = [s for s in stories if eligible(s)]
    sample = rng.sample(candidates, min(sample_size, len(candidates)))
    started = time.perf_counter()
    minhashes = {s.id: story_minhash(s.draft) for s in stories}
    hash_seconds = time.perf_counter() - started
    figures: dict[str, float] = {"stories": len(stories), "minhash_per_s": len(stories) / hash_seconds}

    positives: dict[str, list[float]] = {}
    edited: dict[str, list[tuple[ReutersStory, ArticleDraft]]] = {}
    for name, edit in EDITS.items():
        copies = [(s, edit(s.draft, random.Random(f"{seed}-{s.id}-{name}"))) for s in sample]
        edited[name] = copies
        positives[name] = [minhashes[s.id].jaccard(story_minhash(copy)) for s, copy in copies]
    negatives = [
        (minhashes[a.id].jaccard(minhashes[b.id]), close_in_time(a, b)) for a, b in negative_pairs(stories, sample, rng)
    ]

    true_pos = sum(sum(1 for j in sims if j >= threshold) for sims in positives.values())
    false_pos = sum(1 for j, close in negatives if j >= threshold and close)
    figures["false_join_rate_text_only"] = sum(1 for j, _ in negatives if j >= threshold) / max(1, len(negatives))
    for name, sims in positives.items():
        figures[f"recall[{name}]"] = sum(1 for j in sims if j >= threshold) / len(sims)
    figures["recall"] = true_pos / sum(len(s) for s in positives.values())
    figures["false_join_rate"] = false_pos / max(1, len(negatives))
    figures["negative_pairs"] = len(negatives)
    # Precision over the pair set with as many negatives as positives of each edit kind.
    scaled_fp = figures["false_join_rate"] * sum(len(s) for s in positives.values())
    figures["precision"] = true_pos / max(1.0, true_pos + scaled_fp)

    # End to end: every train story indexed (merging the corpus's own near-duplicates), then each copy.
    index = ClusterIndex(threshold=threshold, window=len(stories) + 1)
    started = time.perf_counter()
    for story in stories:
        index.assign(story.draft.key, minhashes[story.id], published=story.published)
    figures["assign_per_s"] = len(stories) / (time.perf_counter() - started)
    figures["corpus_clusters"] = len({index.cluster_of(s.draft.key) for s in stories})
    joined = wrong = 0
    copies = edited["all-together"]
    for story, copy in copies:
        match = index.find(story_minhash(copy), published=story.published)
        if match and match.cluster == index.cluster_of(story.draft.key):
            joined += 1
        elif match:
            wrong += 1
    figures["e2e_joined_own_cluster"] = joined / len(copies)
    figures["e2e_joined_other_cluster"] = wrong / len(copies)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1000, help="stories to edit (default 1000)")
    parser.add_argument("--threshold", type=float, default=JOIN_THRESHOLD)
    parser.add_argument("--limit", type=int, default=None, help="read only the first N train stories")
    args = parser.parse_args(argv)
    stories = load_train(args.limit)
    figures = evaluate(stories, args.sample, args.threshold)
    print(f"threshold {args.threshold}, {figures['stories']:.0f} train stories, sample {args.sample}")
    for name, value in figures.items():
        print(f"  {name:28s} {value:10.3f}" if isinstance(value, float) else f"  {name:28s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
