"""The similarity index agrees with scikit-learn's TF-IDF cosine, without importing it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.similarity import SimilarityIndex

TEXTS = ["How long does delivery take?", "运费多少", "Can I pay with PayPal?", "refund refund"]


@pytest.mark.parametrize("query", ["how long is shipping", "运费", "paypal", "", "refund please"])
def test_matches_scikit_learn(query: str) -> None:
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    matrix = reference.fit_transform([" ".join(t.lower().split()) for t in TEXTS])
    expected = (matrix @ reference.transform([query.lower()]).T).toarray().ravel()
    got = dict(SimilarityIndex(TEXTS).query(query))
    assert np.allclose([got[i] for i in range(len(TEXTS))], expected)


def test_best_first_and_empty_index() -> None:
    ranked = SimilarityIndex(TEXTS).query("pay with paypal")
    assert ranked[0][0] == 2 and ranked[0][1] > ranked[1][1]
    with pytest.raises(ValueError):
        SimilarityIndex([])
