"""Evaluating an engine on labelled examples: accuracy, macro-F1, fallback, latency."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from nlu.data import TrainingData
from nlu.types import FALLBACK, OOS_INTENTS, NluEngine

OOS_LABELS = OOS_INTENTS


@dataclass(frozen=True, slots=True)
class IntentFigures:
    """Precision, recall and F1 of one intent on the test set."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How well an engine did on a test set.

    A test row labelled ``oos``/``out_of_scope`` counts as correct when the engine answers
    ``nlu_fallback`` or ``out_of_scope``; then ``in_scope_accuracy`` and ``oos_recall`` are set.
    """

    accuracy: float
    macro_f1: float
    fallback_rate: float
    n_test: int
    parse_ms_p50: float
    parse_ms_p99: float
    per_intent: dict[str, IntentFigures] = field(default_factory=dict)
    in_scope_accuracy: float | None = None
    oos_recall: float | None = None
    train_seconds: float | None = None


def _percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else 0.0


async def evaluate(engine: NluEngine, test: TrainingData) -> Evaluation:
    """Parse every test example one at a time, as the bot would, and score the answers."""
    gold: list[str] = []
    predicted: list[str] = []
    timings: list[float] = []
    fallbacks = 0
    for example in test.examples:
        start = time.perf_counter()
        result = await engine.parse(example.text)
        timings.append((time.perf_counter() - start) * 1000)
        answer = result.intent
        fallbacks += answer == FALLBACK
        if example.intent in OOS_LABELS and answer in (FALLBACK, *OOS_LABELS):
            answer = example.intent
        gold.append(example.intent)
        predicted.append(answer)
    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    per_intent = {
        label: IntentFigures(
            precision=round(float(p), 4),
            recall=round(float(r), 4),
            f1=round(float(f), 4),
            support=int(s),
        )
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    pairs = list(zip(gold, predicted, strict=True))
    n = len(pairs)
    oos = [(g, p) for g, p in pairs if g in OOS_LABELS]
    in_scope = [(g, p) for g, p in pairs if g not in OOS_LABELS]
    return Evaluation(
        accuracy=round(sum(g == p for g, p in pairs) / n, 4) if n else 0.0,
        macro_f1=round(float(np.mean(f1)), 4) if labels else 0.0,
        fallback_rate=round(fallbacks / n, 4) if n else 0.0,
        n_test=n,
        parse_ms_p50=_percentile(timings, 50),
        parse_ms_p99=_percentile(timings, 99),
        per_intent=per_intent,
        in_scope_accuracy=(
            round(sum(g == p for g, p in in_scope) / len(in_scope), 4) if oos and in_scope else None
        ),
        oos_recall=round(sum(g == p for g, p in oos) / len(oos), 4) if oos else None,
    )
