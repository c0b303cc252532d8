"""Build all-MiniLM-L6-v2 as an ONNX graph from its weights, to time it in ONNX Runtime.

No PyTorch export: the graph is written op by op with ``onnx.helper`` from the same tensors
``nlu.transformer`` reads (embeddings, 6 x [fused QKV, attention, LayerNorm, GELU via Erf,
LayerNorm]), so the build is reproducible anywhere the ``onnx`` package installs. Optionally
int8 (dynamic quantisation of the MatMul weights). The script checks the file's output
against the NumPy forward pass before saving it.

    pip install onnx onnxruntime==1.30.0   # measurement only; not a dependency of the bot
    python bench/minilm_onnx.py --out /tmp/minilm.onnx [--int8 /tmp/minilm-int8.onnx]
    python bench/nlu_transformer.py --onnx /tmp/minilm.onnx
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx  # type: ignore[import-not-found]
from onnx import TensorProto, helper, numpy_helper

from nlu.encoder import transformer

OPSET = 17
IR_VERSION = 8


def build(out: Path) -> None:
    model = transformer("minilm")
    hidden, heads = model.hidden_size, model.heads
    size = hidden // heads
    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: object) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    const("word_emb", model.words)
    const("pos_emb", model.positions)
    const("type_row", model.token_type)
    const("zero", np.array([0], dtype=np.int64))
    const("one", np.array([1], dtype=np.int64))
    const("shape_heads", np.array([0, 0, 3, heads, size], dtype=np.int64))
    const("shape_hidden", np.array([0, 0, hidden], dtype=np.int64))
    const("scale", np.array(1.0 / np.sqrt(size), dtype=np.float32))
    const("neg", np.array(-1e9, dtype=np.float32))
    const("f_one", np.array(1.0, dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("rsqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    const("axes_12", np.array([1, 2], dtype=np.int64))
    for i in range(3):
        const(f"idx{i}", np.array(i, dtype=np.int64))

    x = node("Gather", ["word_emb", "input_ids"], "words")
    shape = node("Shape", ["input_ids"], "ids_shape")
    width = node("Gather", [shape, "one"], "width", axis=0)  # [T], the sequence length
    pos = node("Slice", ["pos_emb", "zero", width, "zero"], "positions")
    x = node("Add", [x, pos], "emb_pos")
    x = node("Add", [x, "type_row"], "emb")
    g, b = model.embedding_norm
    x = node(
        "LayerNormalization",
        [x, const("emb_g", g), const("emb_b", b)],
        "emb_norm",
        axis=-1,
        epsilon=model.eps,
    )
    maskf = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    inverted = node("Sub", ["f_one", maskf], "mask_inv")
    bias = node("Mul", [inverted, "neg"], "mask_bias_2d")
    bias = node("Unsqueeze", [bias, "axes_12"], "mask_bias")

    for n, layer in enumerate(model.layers):
        p = f"l{n}_"
        qkv = node("MatMul", [x, const(p + "qkv_w", layer.qkv)], p + "qkv_mm")
        qkv = node("Add", [qkv, const(p + "qkv_b", layer.qkv_bias)], p + "qkv")
        split = node("Reshape", [qkv, "shape_heads"], p + "split")
        q = node("Gather", [split, "idx0"], p + "q0", axis=2)
        k = node("Gather", [split, "idx1"], p + "k0", axis=2)
        v = node("Gather", [split, "idx2"], p + "v0", axis=2)
        q = node("Transpose", [q], p + "q", perm=[0, 2, 1, 3])
        k = node("Transpose", [k], p + "k", perm=[0, 2, 3, 1])
        v = node("Transpose", [v], p + "v", perm=[0, 2, 1, 3])
        scores = node("MatMul", [q, k], p + "qk")
        scores = node("Mul", [scores, "scale"], p + "qk_scaled")
        scores = node("Add", [scores, bias], p + "qk_masked")
        probs = node("Softmax", [scores], p + "probs", axis=-1)
        att = node("MatMul", [probs, v], p + "att")
        att = node("Transpose", [att], p + "att_t", perm=[0, 2, 1, 3])
        att = node("Reshape", [att, "shape_hidden"], p + "att_r")
        att = node("MatMul", [att, const(p + "ao_w", layer.attention_out)], p + "ao_mm")
        att = node("Add", [att, const(p + "ao_b", layer.attention_out_bias)], p + "ao")
        att = node("Add", [att, x], p + "res1")
        g1, b1 = layer.attention_norm
        x = node(
            "LayerNormalization",
            [att, const(p + "n1_g", g1), const(p + "n1_b", b1)],
            p + "norm1",
            axis=-1,
            epsilon=model.eps,
        )
        inner = node("MatMul", [x, const(p + "in_w", layer.intermediate)], p + "in_mm")
        inner = node("Add", [inner, const(p + "in_b", layer.intermediate_bias)], p + "in")
        scaled = node("Mul", [inner, "rsqrt2"], p + "gelu_s")
        erf = node("Erf", [scaled], p + "gelu_erf")
        erf = node("Add", [erf, "f_one"], p + "gelu_1p")
        gelu = node("Mul", [inner, erf], p + "gelu_m")
        gelu = node("Mul", [gelu, "half"], p + "gelu")
        ffn = node("MatMul", [gelu, const(p + "out_w", layer.output)], p + "out_mm")
        ffn = node("Add", [ffn, const(p + "out_b", layer.output_bias)], p + "out")
        ffn = node("Add", [ffn, x], p + "res2")
        g2, b2 = layer.output_norm
        x = node(
            "LayerNormalization",
            [ffn, const(p + "n2_g", g2), const(p + "n2_b", b2)],
            "last_hidden_state" if n == len(model.layers) - 1 else p + "norm2",
            axis=-1,
            epsilon=model.eps,
        )

    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "width"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "width"]),
        ],
        [
            helper.make_tensor_value_info(
                "last_hidden_state", TensorProto.FLOAT, ["batch", "width", hidden]
            )
        ],
        inits,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    onnx_model.ir_version = IR_VERSION  # what ONNX Runtime 1.30 reads (onnx 1.23 writes 14)
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, str(out))


def check(path: Path, texts: list[str], atol: float) -> float:
    import onnxruntime as ort  # type: ignore[import-not-found]

    model = transformer("minilm")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for text in texts:
        ids = np.array([model.tokenizer.ids(text)], dtype=np.int64)
        (states,) = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        pooled = states[0].mean(axis=0)
        pooled /= np.linalg.norm(pooled)
        worst = max(worst, float(np.abs(pooled - model.encode([text])[0]).max()))
    print(f"{path.name}: largest difference from the NumPy encoder {worst:.2e}")
    if worst > atol:
        raise SystemExit(f"{path} differs from the NumPy encoder by {worst} (> {atol})")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--int8", type=Path, help="also write a dynamically quantised copy")
    args = parser.parse_args()
    texts = [
        "where is my parcel",
        "I am still waiting on my card?",
        "我的订单到哪了",
        "What can I do if my card still hasn't arrived after 2 weeks?",
    ]
    build(args.out)
    check(args.out, texts, 1e-4)
    if args.int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore

        quantize_dynamic(str(args.out), str(args.int8), weight_type=QuantType.QInt8)
        check(args.int8, texts, 0.1)  # int8 moves vectors; reported, not a parity check


if __name__ == "__main__":
    main()
