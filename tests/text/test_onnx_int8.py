"""The int8 rewrite of an ONNX graph, on a tiny model written byte by byte here."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from caseforchange.text.onnx_int8 import int8_matmuls


def _varint(n: int) -> bytes:
    out = b""
    while n > 0x7F:
        out += bytes([n & 0x7F | 0x80])
        n >>= 7
    return out + bytes([n])


def _b(number: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _i(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _value_info(name: str, dims: list[int]) -> bytes:
    shape = b"".join(_b(1, _i(1, d)) for d in dims)
    return _b(1, name) + _b(2, _b(1, _i(1, 1) + _b(2, shape)))


def _tensor(name: str, kind: int, dims: list[int], raw: bytes) -> bytes:
    return b"".join(_i(1, d) for d in dims) + _i(2, kind) + _b(8, name) + _b(9, raw)


def _node(op: str, inputs: list[str], output: str, attribute: bytes = b"") -> bytes:
    return b"".join(_b(1, i) for i in inputs) + _b(2, output) + _b(4, op) + attribute


WEIGHTS = np.array([[1, -2, 3], [4, 5, -6]], dtype=np.int8)
SCALES = np.array([[0.5, 0.25, 2.0]], dtype=np.float32)
BIAS = np.array([1.0, 2.0, 3.0], dtype=np.float32)


def _model(scale_dims: list[int]) -> bytes:
    """Y = X @ (float(W) * S) + B: X is 1 x 2, W an int8 2 x 3 matrix, S its scales."""
    cast_to_float = _b(5, _b(1, "to") + _i(3, 1) + _i(20, 2))
    graph = b"".join(
        [
            _b(1, _node("Cast", ["W"], "Wf", cast_to_float)),
            _b(1, _node("Mul", ["Wf", "S"], "Wd")),
            _b(1, _node("MatMul", ["X", "Wd"], "P")),
            _b(1, _node("Add", ["B", "P"], "Y")),
            _b(2, "tiny"),
            _b(5, _tensor("W", 3, [2, 3], WEIGHTS.tobytes())),
            _b(5, _tensor("S", 1, scale_dims, SCALES.tobytes())),
            _b(5, _tensor("B", 1, [3], BIAS.tobytes())),
            _b(11, _value_info("X", [1, 2])),
            _b(12, _value_info("Y", [1, 3])),
        ]
    )
    return _i(1, 8) + _b(2, "by hand") + _b(7, graph) + _b(8, _b(1, "") + _i(2, 17))


def test_an_int8_weight_product_becomes_an_int8_product() -> None:
    model = _model([1, 3])
    out, count = int8_matmuls(model)
    assert count == 1
    assert b"DynamicQuantizeMatMul" in out and b"com.microsoft" in out
    # The Cast and the Mul are gone (no one reads W as float any more), the bias is added by
    # the product; the rest is kept.
    assert b"Cast" not in out and b"Wf" not in out and b"Wd" not in out
    assert b"Add" not in out and b"\x12\x01P" not in out
    assert b"by hand" in out and b"tiny" in out
    assert int8_matmuls(out) == (out, 0)


def test_scales_per_row_or_other_graphs_are_left_alone() -> None:
    # One scale per row of W cannot be handed to an operator that scales columns.
    per_row = _model([2, 1])
    assert int8_matmuls(per_row) == (per_row, 0)
    assert int8_matmuls(b"") == (b"", 0)


def test_not_a_protocol_buffer_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not an ONNX file"):
        int8_matmuls(b"\x0f")  # wire type 7 does not exist
    with pytest.raises(ValueError, match="not an ONNX file"):
        int8_matmuls(b"\x3a\x10abc")  # a field of 16 bytes with 3 left


@pytest.mark.skipif(
    importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime is not installed"
)
@pytest.mark.parametrize("scale_dims", [[1, 3], [3]])
def test_the_rewritten_model_computes_the_same_product(scale_dims: list[int]) -> None:
    import onnxruntime

    x = np.array([[255.0, 17.0]], dtype=np.float32)  # 0..255: quantised to 8 bits exactly
    # By hand: [255*1*0.5 + 17*4*0.5, 255*-2*0.25 + 17*5*0.25, 255*3*2 + 17*-6*2] + B.
    expected = [162.5, -104.25, 1329.0]
    out, count = int8_matmuls(_model(scale_dims))
    assert count == 1
    for model in (_model(scale_dims), out):
        session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
        assert session.run(None, {"X": x})[0][0].tolist() == pytest.approx(expected)
