"""Hash long text into word-count rows a batch at a time, with the counts hashing the whole text gives.

scikit-learn's ``HashingVectorizer`` lists every token of a document before it hashes them (about ten
times the text's size: a 5 MB story took some 50 MB), so a story is hashed in batches of its paragraphs
(a paragraph longer than a batch is cut at whitespace) and the rows are summed. No word spans a blank line
or a cut at whitespace and the counts are whole numbers, so the sum is exactly the row of the joined text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from tickerwire.core.draft import cut_before_spaces

HASH_BATCH_CHARS = 64 * 1024


def hashed_counts(pieces: Iterable[str], hasher: HashingVectorizer) -> sparse.csr_matrix:
    """Return the one-row counts of the text the pieces make when joined by blank lines (or newlines)."""
    total: sparse.csr_matrix | None = None
    batch: list[str] = []
    size = 0
    for whole in pieces:
        for piece in cut_before_spaces(whole, HASH_BATCH_CHARS):
            batch.append(piece)
            size += len(piece) + 2
            if size >= HASH_BATCH_CHARS:
                row = hasher.transform(["\n\n".join(batch)])
                total = row if total is None else total + row
                batch.clear()
                size = 0
    if batch or total is None:
        row = hasher.transform(["\n\n".join(batch)])
        total = row if total is None else total + row
    total = sparse.csr_matrix(total, dtype=hasher.dtype)
    total.sum_duplicates()  # sorted bucket order, as one transform gives it
    return total


def hashed_rows(texts: Sequence[Sequence[str]], hasher: HashingVectorizer) -> sparse.csr_matrix:
    """Return one counts row per text (each given as pieces, see :func:`hashed_counts`).

    Short texts are hashed many to a call, as one ``transform`` of the joined texts would.
    """
    rows: list[sparse.csr_matrix] = []
    short: list[str] = []
    for pieces in texts:
        if sum(len(piece) + 2 for piece in pieces) <= HASH_BATCH_CHARS:
            short.append("\n\n".join(pieces))
            continue
        if short:
            rows.append(hasher.transform(short))
            short = []
        rows.append(hashed_counts(pieces, hasher))
    if short or not rows:
        rows.append(hasher.transform(short))
    return rows[0] if len(rows) == 1 else sparse.csr_matrix(sparse.vstack(rows, format="csr"), dtype=hasher.dtype)
