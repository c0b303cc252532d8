"""Dialogue-act classifier: k-fold accuracy per language and the confidence threshold.

Stratified k-fold over handlers/data/acts/{en,zh}.yml (the act data only, never conversation
files): each fold trains the built-in engine on the rest, exactly as handlers.acts does.
Reports accuracy per language, and for each candidate threshold how many messages would be
read as an act (coverage) and how often such a reading is wrong (an act taken for another act,
or a new request taken for an act): the threshold is the lowest one that keeps those wrong
readings at or under --max-wrong.

    python bench/acts_cv.py [--folds 5] [--max-wrong 0.10] [--seed 7]
"""

from __future__ import annotations

import argparse
import platform
import random
from collections import defaultdict
from datetime import UTC, datetime

import numpy as np

from handlers.acts import ACTS_DATA, Act
from nlu import BuiltinEngine, load_training_data
from nlu.data import Example, TrainingData
from nlu.language import detect_language

THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def folds(examples: list[Example], k: int, seed: int) -> list[list[int]]:
    """Indices split into k folds, each act spread evenly (stratified)."""
    by_act: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        by_act[e.intent].append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for indices in by_act.values():
        rng.shuffle(indices)
        for j, i in enumerate(indices):
            out[j % k].append(i)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-wrong", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data = load_training_data([ACTS_DATA])
    examples = list(data.examples)
    language = ["zh" if detect_language(e.text) == "zh" else "en" for e in examples]
    predicted: list[str] = [""] * len(examples)
    confidence = np.zeros(len(examples))
    for n, test in enumerate(folds(examples, args.folds, args.seed), start=1):
        held = set(test)
        train = TrainingData(examples=tuple(e for i, e in enumerate(examples) if i not in held))
        engine = BuiltinEngine.train(train, threshold=0.0)
        probs = engine.scores([examples[i].text for i in test])
        for row, i in enumerate(test):
            best = int(probs[row].argmax())
            predicted[i] = engine.intents[best]
            confidence[i] = probs[row][best]
        print(f"fold {n}/{args.folds} done")

    print(f"\n{platform.processor() or platform.machine()}, {datetime.now(UTC):%Y-%m-%d}")
    print(f"{len(examples)} examples, {len(Act)} acts, {args.folds}-fold stratified")
    for lang in ("en", "zh"):
        idx = [i for i in range(len(examples)) if language[i] == lang]
        right = sum(predicted[i] == examples[i].intent for i in idx)
        print(f"{lang}: {len(idx)} examples, accuracy {right / len(idx):.1%}")
        errors: dict[tuple[str, str], int] = defaultdict(int)
        for i in idx:
            if predicted[i] != examples[i].intent:
                errors[(examples[i].intent, predicted[i])] += 1
        worst = sorted(errors.items(), key=lambda kv: -kv[1])[:5]
        print("   most confused: " + ", ".join(f"{a}->{b} {c}" for (a, b), c in worst))

    print("\nthreshold  language  read-as-act  wrong-when-read  acts-missed")
    chosen = None
    for t in THRESHOLDS:
        worst_wrong = 0.0
        for lang in ("en", "zh"):
            idx = [i for i in range(len(examples)) if language[i] == lang]
            read = [i for i in idx if predicted[i] != Act.NEW_REQUEST and confidence[i] >= t]
            wrong = sum(predicted[i] != examples[i].intent for i in read)
            acts = [i for i in idx if examples[i].intent != Act.NEW_REQUEST]
            missed = sum(1 for i in acts if i not in set(read))
            share = wrong / len(read) if read else 0.0
            worst_wrong = max(worst_wrong, share)
            print(
                f"{t:9.2f}  {lang:8}  {len(read) / len(idx):11.1%}  {share:15.1%}  "
                f"{missed / len(acts):11.1%}"
            )
        if chosen is None and worst_wrong <= args.max_wrong:
            chosen = t
    print(f"\nlowest threshold with wrong readings <= {args.max_wrong:.0%}: {chosen}")


if __name__ == "__main__":
    main()
