"""Which known texts a new text is most like: character n-gram TF-IDF and cosine similarity."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from nlu.builtin import char_wb_grams

NGRAMS = (1, 3)


def _grams(text: str) -> Counter[str]:
    return Counter(char_wb_grams(" ".join(text.lower().split()), *NGRAMS))


class SimilarityIndex:
    """Finds the known texts closest to a query; works for English and Chinese alike.

    Plain numpy (smoothed IDF, sublinear TF, L2 norm, as scikit-learn's TfidfVectorizer
    does), so building it at start-up costs milliseconds and no scikit-learn import.

    Args:
        texts: the texts to search; results refer to them by position.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        if not texts:
            raise ValueError("a similarity index needs at least one text")
        counts = [_grams(t) for t in texts]
        self._vocabulary: dict[str, int] = {}
        for grams in counts:
            for gram in grams:
                self._vocabulary.setdefault(gram, len(self._vocabulary))
        df = np.zeros(len(self._vocabulary))
        for grams in counts:
            for gram in grams:
                df[self._vocabulary[gram]] += 1
        self._idf = np.log((1 + len(texts)) / (1 + df)) + 1
        self._matrix = np.vstack([self._vector(grams) for grams in counts])

    def _vector(self, grams: Counter[str]) -> np.ndarray:
        vector = np.zeros(len(self._vocabulary))
        for gram, count in grams.items():
            index = self._vocabulary.get(gram)
            if index is not None:
                vector[index] = (1 + math.log(count)) * self._idf[index]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def query(self, text: str) -> list[tuple[int, float]]:
        """Positions of the known texts with their cosine similarity to ``text``, best first."""
        scores = self._matrix @ self._vector(_grams(text))
        return sorted(((i, float(s)) for i, s in enumerate(scores)), key=lambda p: -p[1])
