"""The NumPy fine-tuner of bench/nlu_static_tuned.py: the figures in BENCHMARKS.md rest on it."""

from __future__ import annotations

import numpy as np

from bench.nlu_static_tuned import finetune, pooling_matrix


def test_pooling_matrix_gives_the_mean_of_each_texts_rows() -> None:
    table = np.arange(12, dtype=np.float64).reshape(6, 2)
    texts = [np.array([1, 2, 2]), np.array([5])]
    means = np.asarray(pooling_matrix(texts, 6) @ table)
    assert np.allclose(means[0], table[[1, 2, 2]].mean(axis=0))
    assert np.allclose(means[1], table[5])


def test_tuning_moves_the_table_where_the_labels_need_it() -> None:
    # The label is which of tokens 1..4 a text holds; those tokens start with the same row,
    # so a head on the frozen table cannot tell them apart and only the tuned rows can.
    rng = np.random.default_rng(0)
    table0 = np.zeros((10, 4), dtype=np.float32)
    table0[5:] = rng.normal(size=(5, 4))
    table0[1:5] = 1.0
    texts = [np.array([1 + k % 4, 5 + k % 5, 5 + k % 3]) for k in range(200)]
    y = np.array([k % 4 for k in range(200)])
    pool = pooling_matrix(texts, 10)

    def train_accuracy(table: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> float:
        logits = np.asarray(pool @ table.astype(np.float64)) @ weights + bias
        return float((logits.argmax(axis=1) == y).mean())

    frozen = finetune(table0, texts, y, 4, epochs=30, lr=0.0, batch=20)
    tuned = finetune(table0, texts, y, 4, epochs=30, batch=20)
    assert train_accuracy(*frozen) < 0.6
    assert train_accuracy(*tuned) == 1.0
    assert np.array_equal(tuned[0][[0]], table0[[0]])  # a token no text uses never moves


def test_distillation_pulls_the_mean_towards_the_teacher() -> None:
    rng = np.random.default_rng(1)
    table0 = rng.normal(size=(8, 3)).astype(np.float32)
    texts = [np.array([k % 8, (k + 3) % 8]) for k in range(64)]
    y = np.zeros(64, dtype=np.int64)  # one class: only the distillation term has a gradient
    teacher = np.ones((64, 3))
    pool = pooling_matrix(texts, 8)
    before = np.abs(np.asarray(pool @ table0.astype(np.float64)) - teacher).mean()
    table, _, _ = finetune(
        table0, texts, y, 1, teacher=teacher, distil=1.0, epochs=60, lr=0.05, batch=16
    )
    after = np.abs(np.asarray(pool @ table.astype(np.float64)) - teacher).mean()
    assert after < before / 5
