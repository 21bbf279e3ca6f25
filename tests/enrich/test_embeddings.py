"""The default embedding backend: the pinned int8 MiniLM on onnxruntime, configured like Django's caches."""

from __future__ import annotations

import numpy as np
import pytest

from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich import embeddings
from tickerwire.enrich.embeddings import (
    EmbeddingError,
    OnnxMiniLM,
    embedding_text,
    get_backend,
    vector_from_bytes,
    vector_to_bytes,
)

MINILM = {"default": {"BACKEND": "tickerwire.enrich.embeddings.OnnxMiniLM"}}


@pytest.fixture(scope="module")
def backend() -> OnnxMiniLM:
    loaded = get_backend(MINILM)
    assert isinstance(loaded, OnnxMiniLM)
    return loaded


def test_vectors_are_unit_length_float32_rows(backend: OnnxMiniLM) -> None:
    """Each text gets one 384-float row of length 1, in input order."""
    vectors = backend.embed(["Gizmo Corp raised its dividend.", "Rain fell on the harbour.", ""])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_texts(backend: OnnxMiniLM) -> None:
    """A reworded sentence lies nearer its original than a sentence about something else."""
    first, paraphrase, other = backend.embed(
        [
            "Zentrix Mining said quarterly profit rose sharply on higher copper prices.",
            "Quarterly earnings at Zentrix Mining climbed steeply as copper prices increased.",
            "The city council approved a new bicycle lane along the river.",
        ]
    )
    assert float(first @ paraphrase) > 0.75
    assert float(first @ paraphrase) > float(first @ other) + 0.4


def test_batching_and_length_sorting_do_not_change_vectors(backend: OnnxMiniLM) -> None:
    """A text's vector is the same alone and inside a batch of texts of other lengths."""
    longer = "A much longer sentence about Ovalon Bank's bond sale and its pricing " * 3
    texts = ["Short one.", longer, "Mid text here."]
    together = backend.embed(texts)
    alone = np.vstack([backend.embed([text])[0] for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_backend_is_loaded_once_per_configuration(backend: OnnxMiniLM) -> None:
    """Asking twice for the same configuration returns the already-loaded model."""
    assert get_backend(MINILM) is backend


def test_none_backend_turns_embeddings_off() -> None:
    """BACKEND "none" yields no backend, so callers fall back to TF-IDF."""
    assert get_backend({"default": {"BACKEND": "none"}}) is None


def test_environment_names_the_backend_without_a_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no settings dict, TICKERWIRE_EMBEDDINGS picks the backend."""
    monkeypatch.setenv("TICKERWIRE_EMBEDDINGS", "none")
    assert get_backend() is None


def test_unknown_backend_is_a_clear_error() -> None:
    """A dotted path that does not import names itself in the error."""
    with pytest.raises(EmbeddingError, match="no.such.Backend"):
        get_backend({"default": {"BACKEND": "no.such.Backend"}})
    with pytest.raises(EmbeddingError, match="'other'"):
        get_backend(MINILM, alias="other")


def test_model_file_with_wrong_checksum_is_refused(tmp_path) -> None:
    """A model file whose sha256 differs from the pinned one is not run."""
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(EmbeddingError, match="sha256"):
        OnnxMiniLM(model_path=fake)


def test_sentence_transformers_backend_explains_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without sentence-transformers installed the optional backend says what to install."""
    import sys

    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EmbeddingError, match="pip install sentence-transformers"):
        embeddings.SentenceTransformersBackend()


def test_embedding_text_is_headline_and_whole_lead_paragraphs() -> None:
    """The lead keeps whole paragraphs up to the limit, and the full text when the limit is None."""
    draft = ArticleDraft(
        headline="Brightwater Foods to buy Kettle Lane",
        summary=["Deal values the bakery at $40 million"],
        body=[Block("paragraph", "First paragraph. " * 10), Block("subhead", "Details"),
              Block("paragraph", "Second paragraph. " * 40)],
    )
    lead = embedding_text(draft, lead_chars=300)
    assert lead.splitlines()[:2] == ["Brightwater Foods to buy Kettle Lane", "Deal values the bakery at $40 million"]
    assert "First paragraph." in lead and "Second paragraph." not in lead and "Details" not in lead
    assert "Second paragraph." in embedding_text(draft, lead_chars=None)


def test_vectors_round_trip_through_bytes() -> None:
    """The stored float32 bytes read back to the same vector."""
    vector = np.array([0.25, -1.5, 3.0], dtype=np.float32)
    assert len(vector_to_bytes(vector)) == 12
    np.testing.assert_array_equal(vector_from_bytes(vector_to_bytes(vector)), vector)



FORK_SCRIPT = """
import os, sys
from tickerwire.enrich.embeddings import get_backend
get_backend({"default": {"BACKEND": "tickerwire.enrich.embeddings.OnnxMiniLM"}}).embed(["Warm the model."])
pid = os.fork()
if pid == 0:
    sys.exit(3)
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


def test_forked_child_exits_promptly_with_its_code() -> None:
    """A process forked after the model ran exits with its sys.exit code instead of hanging in onnxruntime."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", FORK_SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"
