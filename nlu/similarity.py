"""Which known texts a new text is most like: character n-gram TF-IDF and cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


class SimilarityIndex:
    """Finds the known texts closest to a query; works for English and Chinese alike.

    Args:
        texts: the texts to search; results refer to them by position.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        if not texts:
            raise ValueError("a similarity index needs at least one text")
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, lowercase=True
        )
        self._matrix = self._vectorizer.fit_transform([" ".join(t.split()) for t in texts])

    def query(self, text: str) -> list[tuple[int, float]]:
        """Positions of the known texts with their cosine similarity to ``text``, best first."""
        vector = self._vectorizer.transform([" ".join(text.split())])
        scores = np.asarray((self._matrix @ vector.T).todense()).ravel()
        return sorted(((i, float(s)) for i, s in enumerate(scores)), key=lambda p: -p[1])
