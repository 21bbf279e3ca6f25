"""Embedding similarity between a search query and stored article vectors, for the hybrid re-rank."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tickerwire.enrich.embeddings import EmbeddingBackend, get_backend, vector_from_bytes


def query_similarities(text: str, embeddings: dict[int, tuple[bytes | None, str]]) -> dict[int, float]:
    """Return cosine similarity (clipped to 0..1) of the query to each article embedded by the current model.

    Articles with no vector, or a vector from another model, get none; when no article has a usable
    vector the embedding model is not even loaded.
    """
    if not any(raw for raw, _model in embeddings.values()):
        return {}
    model_name = current_model_name()
    usable = {pk: raw for pk, (raw, model) in embeddings.items() if raw and model == model_name}
    if not usable or model_name is None:
        return {}
    query = embed_query(text)
    if query is None:
        return {}
    ids = list(usable)
    matrix = np.vstack([vector_from_bytes(usable[pk]) for pk in ids])
    if matrix.shape[1] != query.shape[0]:
        return {}
    scores = matrix @ query
    return {pk: float(max(score, 0.0)) for pk, score in zip(ids, scores, strict=True)}


def current_model_name() -> str | None:
    """Return the name of the configured embedding model, or None when embeddings are switched off."""
    embedder = _embedder()
    return None if embedder is None else embedder.model_name


@lru_cache(maxsize=512)
def embed_query(text: str) -> np.ndarray | None:
    """Return the unit-length query vector; repeated queries are served from memory."""
    embedder = _embedder()
    if embedder is None:
        return None
    vector = np.asarray(embedder.embed([text])[0], dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _embedder() -> EmbeddingBackend | None:
    from django.conf import settings

    return get_backend(settings.EMBEDDINGS)
