"""Sentiment against the Financial PhraseBank test half (the half not looked at while writing the rules)."""

from __future__ import annotations

from sklearn.metrics import accuracy_score, f1_score

from tests.acceptance.conftest import require_shared_data
from tickerwire.enrich.sentiment import score_sentiment
from tickerwire.enrich.sentiment_corpus import dev_test_split, read_phrasebank

PHRASEBANK = require_shared_data("phrasebank", "Sentences_50Agree.txt")


def test_phrasebank_test_half():
    """Accuracy >= 0.73 and macro-F1 >= 0.68 on the held-out half (bench: 0.757 / 0.720; plain LM 0.58)."""
    _, test = dev_test_split(read_phrasebank(PHRASEBANK))
    gold = [label for _, label in test]
    predicted = [score_sentiment(sentence).label for sentence, _ in test]
    assert accuracy_score(gold, predicted) >= 0.73
    assert f1_score(gold, predicted, average="macro") >= 0.68
