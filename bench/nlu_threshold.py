"""The bot's own fallback threshold, chosen on held-out data, and how calibrated confidence is.

Cross-validates the built-in engine on the shipped training data (nlu/data): in each of five
folds two intents are left out of training entirely and act as out-of-scope topics, and the
remaining examples of the fold test in-scope accuracy. For each threshold: in-scope accuracy
(right intent, not fallen back) and out-of-scope recall (fell back, or answered out_of_scope).
Calibration: expected calibration error (10 bins) of the top confidence on in-scope answers,
here and on banking77's test split (trained on train.csv).

    python bench/nlu_threshold.py [--no-banking77] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from nlu import BuiltinEngine, TrainingData, load_training_data

ROOT = Path(__file__).resolve().parents[1]
BANKING77 = ROOT.parent / "shared" / "datasets" / "banking77"
FOLDS = 5
THRESHOLDS = [round(t, 2) for t in np.arange(0.1, 0.95, 0.05)]


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: mean |accuracy - confidence| over equal-width bins."""
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return round(float(total), 4)


def cross_validate(data: TrainingData) -> dict[str, object]:
    rng = random.Random(11)
    examples = list(data.examples)
    rng.shuffle(examples)
    intents = sorted({e.intent for e in examples} - {"out_of_scope"})
    rng.shuffle(intents)
    in_conf, in_ok, oos_conf, oos_said_oos = [], [], [], []
    for fold in range(FOLDS):
        held_out = set(intents[2 * fold : 2 * fold + 2])
        test = [e for i, e in enumerate(examples) if i % FOLDS == fold]
        train = [
            e for i, e in enumerate(examples) if i % FOLDS != fold and e.intent not in held_out
        ]
        engine = BuiltinEngine.train(TrainingData(examples=tuple(train)), threshold=0.0)
        probs = engine.scores([e.text for e in test])
        for example, row in zip(test, probs, strict=True):
            best = int(row.argmax())
            answer, confidence = engine.intents[best], float(row[best])
            if example.intent in held_out or example.intent == "out_of_scope":
                oos_conf.append(confidence)
                oos_said_oos.append(answer == "out_of_scope")
            else:
                in_conf.append(confidence)
                in_ok.append(answer == example.intent)
    ic, iok = np.array(in_conf), np.array(in_ok)
    oc, oso = np.array(oos_conf), np.array(oos_said_oos)
    curve = []
    for t in THRESHOLDS:
        in_scope = float(np.mean(iok & (ic >= t)))
        oos = float(np.mean(oso | (oc < t)))
        curve.append(
            {"threshold": t, "in_scope_accuracy": round(in_scope, 4), "oos_recall": round(oos, 4)}
        )
    chosen = max(
        curve,
        key=lambda r: (
            2
            * r["in_scope_accuracy"]
            * r["oos_recall"]
            / max(r["in_scope_accuracy"] + r["oos_recall"], 1e-9)
        ),
    )
    return {
        "n_in_scope": len(ic),
        "n_out_of_scope": len(oc),
        "curve": curve,
        "chosen": chosen,
        "ece": ece(ic, iok),
        "accuracy_no_threshold": round(float(iok.mean()), 4),
    }


def banking77_calibration() -> dict[str, object]:
    train = load_training_data([BANKING77 / "train.csv"])
    test = load_training_data([BANKING77 / "test.csv"])
    engine = BuiltinEngine.train(train, threshold=0.0)
    probs = engine.scores([e.text for e in test.examples])
    best = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    correct = np.array(
        [engine.intents[b] == e.intent for b, e in zip(best, test.examples, strict=True)]
    )
    return {
        "ece": ece(confidence, correct),
        "mean_confidence": round(float(confidence.mean()), 4),
        "accuracy": round(float(correct.mean()), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-banking77", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "threshold.json")
    args = parser.parse_args()
    report: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "shipped_data": cross_validate(load_training_data()),
    }
    if not args.no_banking77:
        report["banking77"] = banking77_calibration()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
