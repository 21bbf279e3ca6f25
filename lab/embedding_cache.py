"""A file cache of text embeddings for training scripts, benches and acceptance tests (not the site).

Embedding a corpus with MiniLM on two cores takes minutes, so vectors are kept in one ``.npz`` per model
under a directory the caller chooses, keyed by the sha256 of the model name and the text. Texts not in
the cache are embedded in chunks and the file is rewritten after each chunk, so an interrupted run keeps
its progress.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tickerwire.enrich.embeddings import EmbeddingBackend

CHUNK = 256


def text_key(model_name: str, text: str) -> bytes:
    """Return the cache key of one text under one model."""
    return hashlib.sha256(f"{model_name}\0{text}".encode()).digest()


def cache_file(cache_dir: Path, model_name: str) -> Path:
    """Return the cache file of a model (its name made safe for a file name)."""
    return cache_dir / (re.sub(r"[^A-Za-z0-9_.-]+", "_", model_name) + ".npz")


def _load(path: Path) -> dict[bytes, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        keys, vectors = data["keys"], data["vectors"]
    return {bytes(k): v for k, v in zip(keys, vectors, strict=True)}


def _save(path: Path, table: dict[bytes, np.ndarray], dimension: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = np.array(list(table), dtype="S32")
    vectors = np.array(list(table.values()), dtype=np.float32).reshape(len(table), dimension)
    partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez(partial, keys=keys, vectors=vectors)
    partial.replace(path)


def cached_embeddings(
    texts: Sequence[str],
    backend: EmbeddingBackend,
    cache_dir: Path,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Return one embedding row per text, embedding only the texts the cache lacks."""
    path = cache_file(cache_dir, backend.model_name)
    table = _load(path)
    keys = [text_key(backend.model_name, text) for text in texts]
    todo: list[int] = []
    queued: set[bytes] = set()
    for i, key in enumerate(keys):
        if key not in table and key not in queued:
            queued.add(key)
            todo.append(i)
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        vectors = backend.embed([texts[i] for i in chunk])
        for i, vector in zip(chunk, vectors, strict=True):
            table[keys[i]] = vector
        _save(path, table, backend.dimension)
        if progress is not None:
            progress(start + len(chunk), len(todo))
    out = np.zeros((len(texts), backend.dimension), dtype=np.float32)
    for row, key in enumerate(keys):
        out[row] = table[key]
    return out
