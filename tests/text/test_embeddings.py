"""The optional sentence embeddings: skipped cleanly when not installed."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.text.embeddings import _gelu, _layer_norm, load_embedder, model_dir


def test_layer_norm_and_gelu_by_hand() -> None:
    x = np.array([[1.0, 3.0]], dtype=np.float32)
    # Mean 2, variance 1: normalised to (-1, 1), then scaled by 2 and shifted by 1.
    out = _layer_norm(x, np.float32(2.0), np.float32(1.0))
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
