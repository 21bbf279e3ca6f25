"""Read the Financial PhraseBank file in ``../shared/data`` and split it for honest evaluation.

Used by ``bench/sentiment_eval.py`` and the acceptance test only; nothing derived from its text ships
(its licence is non-commercial). The rules in :mod:`tickerwire.enrich.sentiment` were adjusted while
looking at the *dev* half only; the *test* half is the figure to quote.
"""

from __future__ import annotations

import random
from pathlib import Path

SPLIT_SEED = 0


def read_phrasebank(path: Path) -> list[tuple[str, str]]:
    """Return (sentence, label) pairs; each line is ``sentence@label`` (split on the last ``@``)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentence, label = line.rsplit("@", 1)
            rows.append((sentence, label))
    return rows


def dev_test_split(rows: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return (dev, test): a fixed-seed shuffle cut in half (dev gets the odd one)."""
    shuffled = list(rows)
    random.Random(SPLIT_SEED).shuffle(shuffled)
    half = (len(shuffled) + 1) // 2
    return shuffled[:half], shuffled[half:]
