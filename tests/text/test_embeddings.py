"""The optional sentence embeddings: skipped cleanly when not installed."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.text.embeddings import (
    OnnxMiniLM,
    _gelu,
    _layer_norm,
    load_embedder,
    model_dir,
    onnx_model,
)

NO_ONNX = pytest.mark.skipif(
    model_dir() is None or onnx_model() is None,
    reason="the text-embeddings extra (onnxruntime and the int8 ONNX model) is not installed",
)
ANSWERS = [
    "Waited four hours in A&E",
    "The food was cold",
    "Lovely kind nurses who listened to my mother and explained everything before she went home",
    "ok",
    "",
]


def _onnx(int8: bool = True, threads: int = 0) -> OnnxMiniLM:
    folder, onnx = model_dir(), onnx_model()
    assert folder is not None and onnx is not None
    return OnnxMiniLM(onnx, folder / "tokenizer.json", threads=threads, int8=int8)


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


@NO_ONNX
def test_a_text_gets_the_same_vector_alone_or_among_others() -> None:
    encoder = _onnx()
    together = encoder.encode(ANSWERS + ANSWERS[::-1])
    for k, text in enumerate(ANSWERS):
        alone = encoder.encode([text])[0]
        # Each text runs on its own (no padding, no shared quantisation scale): exactly equal.
        assert np.array_equal(together[k], alone)
        assert np.array_equal(together[len(together) - 1 - k], alone)
    assert np.array_equal(_onnx(threads=1).encode(ANSWERS), together[: len(ANSWERS)])


@NO_ONNX
def test_int8_products_keep_the_float_products_direction() -> None:
    fast, exact = _onnx(int8=True), _onnx(int8=False)
    assert (fast.int8, exact.int8) == (36, 0)  # 6 layers x (q, k, v, out, up, down)
    a, b = fast.encode(ANSWERS), exact.encode(ANSWERS)
    assert np.linalg.norm(a, axis=1) == pytest.approx([1.0] * len(ANSWERS), abs=1e-5)
    # A two-letter answer moves most (cosine 0.977 here), a sentence less (0.99).
    assert (a * b).sum(axis=1) == pytest.approx([1.0] * len(ANSWERS), abs=0.03)
