"""The optional sentence embeddings: skipped cleanly when not installed."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.text.embeddings import (
    _gelu,
    _layer_norm,
    load_embedder,
    model_dir,
    onnx_model,
)


def test_layer_norm_and_gelu_by_hand() -> None:
    x = np.array([[1.0, 3.0]], dtype=np.float32)
    # Mean 2, variance 1: normalised to (-1, 1), then scaled by 2 and shifted by 1.
    out = _layer_norm(x, np.array([2.0], dtype=np.float32), np.array([1.0], dtype=np.float32))
    assert out[0].tolist() == pytest.approx([-1.0, 3.0], abs=1e-5)
    # GELU(0) = 0; GELU(1) = Phi(1) = 0.8413.
    assert _gelu(np.array([0.0, 1.0], dtype=np.float32)).tolist() == pytest.approx(
        [0.0, 0.8413], abs=1e-4
    )


@pytest.mark.skipif(model_dir() is None, reason="the text-embeddings extra is not installed")
def test_similar_sentences_are_near() -> None:
    embed = load_embedder()
    assert embed is not None
    v = embed(["The nurse was very kind", "The staff were caring", "Parking is terrible"])
    assert v.shape == (3, 384)
    assert np.linalg.norm(v, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]


@pytest.mark.skipif(
    model_dir() is None or onnx_model() is None,
    reason="the text-embeddings extra (onnxruntime and the int8 ONNX model) is not installed",
)
def test_the_int8_onnx_model_agrees_with_the_float_numpy_encoder() -> None:
    texts = ["Waited four hours in A&E", "The food was cold", "Lovely kind nurses"]
    fast = load_embedder(prefer_onnx=True)
    slow = load_embedder(prefer_onnx=False)
    assert fast is not None and slow is not None
    a, b = fast(texts), slow(texts)
    # Quantising the weights to 8 bits moves each vector a little, not its direction.
    assert (a * b).sum(axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=0.02)


@pytest.mark.skipif(model_dir() is None, reason="the text-embeddings extra is not installed")
def test_repeated_and_reordered_texts_get_the_same_vectors() -> None:
    embed = load_embedder()
    assert embed is not None
    first = embed(["short one", "a much longer answer about the car park and the bus"])
    again = embed(["a much longer answer about the car park and the bus", "short one", "short one"])
    assert np.array_equal(again[0], first[1])
    assert np.array_equal(again[1], first[0])
    assert np.array_equal(again[2], first[0])
