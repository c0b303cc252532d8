"""Out-of-scope detection at one threshold, on development data of our own (no public OOS set).

Two set-ups, so that one default threshold is checked across data sets:
- banking77: train.csv only. 15 intents (seed 7) are held out entirely and act as
  near-domain out-of-scope messages, with bench/data/out_of_scope_dev.txt (weather, jokes,
  recipes, ... in English and Chinese) as far-domain ones; the other intents are split 80/20
  (stratified) into training and in-scope test rows. test.csv is never read.
- shipped: the bot's own nlu/data, five folds, two intents held out of each as out-of-scope,
  plus the same far-domain file.
- shop chat: the bot trained on nlu/data, and how often it falls back on the customer lines of
  the shipped conversations (tests/conversations), which a change must not raise.
The far-domain rows are bench/data/out_of_scope_dev.txt and out_of_scope_shop_dev.txt (what a
shop's chat gets that is none of its business).
For each threshold: in-scope accuracy (right intent and not fallen back) and out-of-scope
recall (fell back, or answered out_of_scope), as `nlu evaluate` counts them.

    python bench/nlu_oos.py [--encoder static|""] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from nlu import BuiltinEngine, TrainingData, load_training_data
from nlu.builtin import Hyperparameters
from nlu.data import Example

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nlu_banking77 import DATA, ROOT, SEED, split  # noqa: E402

FAR = ROOT / "bench" / "data" / "out_of_scope_dev.txt"
# What a shop's chat gets that is none of the bot's business (jobs, other shops, chit-chat).
SHOP_OOS = ROOT / "bench" / "data" / "out_of_scope_shop_dev.txt"
CONVERSATIONS = ROOT / "tests" / "conversations"
THRESHOLDS = [round(float(t), 2) for t in np.arange(0.2, 0.81, 0.05)]
OOS = "out_of_scope"


def far_domain() -> list[str]:
    lines = [
        *FAR.read_text(encoding="utf-8").splitlines(),
        *SHOP_OOS.read_text(encoding="utf-8").splitlines(),
    ]
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def customer_lines() -> list[str]:
    """Every customer message of the shipped conversations (tests/conversations)."""
    import yaml

    lines: list[str] = []
    for path in sorted(CONVERSATIONS.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for session in doc.get("sessions", []):
            lines.extend(str(t["customer"]) for t in session.get("turns", []) if "customer" in t)
    return lines


def shop_chat(params: Hyperparameters) -> dict[str, object]:
    """How often the bot, trained on its shipped data, falls back on its own conversations."""
    engine = BuiltinEngine.train(load_training_data(), threshold=0.0, params=params)
    lines = customer_lines()
    conf = engine.scores(lines).max(1)
    return {
        "n_lines": len(lines),
        "fallback_rate": {str(t): round(float(np.mean(conf < t)), 4) for t in THRESHOLDS},
    }


def judge(
    engine: BuiltinEngine, in_scope: list[Example], oos: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Top confidence and correctness of in-scope rows; top confidence and answer of OOS rows."""
    probs = engine.scores([e.text for e in in_scope])
    right = np.array(
        [engine.intents[i] == e.intent for i, e in zip(probs.argmax(1), in_scope, strict=True)]
    )
    oos_probs = engine.scores(oos)
    said_oos = np.array([engine.intents[i] == OOS for i in oos_probs.argmax(1)])
    return probs.max(1), right, oos_probs.max(1), said_oos


def curve(
    conf: np.ndarray,
    right: np.ndarray,
    oconf: np.ndarray,
    said: np.ndarray,
    far: np.ndarray,
) -> list[dict[str, float]]:
    """In-scope accuracy and OOS recall (all, and the far-domain rows alone) per threshold."""
    rows = []
    for t in THRESHOLDS:
        caught = said | (oconf < t)
        rows.append(
            {
                "threshold": t,
                "in_scope_accuracy": round(float(np.mean(right & (conf >= t))), 4),
                "oos_recall": round(float(np.mean(caught)), 4),
                "far_oos_recall": round(float(np.mean(caught[far])), 4),
            }
        )
    return rows


def banking77(params: Hyperparameters) -> dict[str, object]:
    train = load_training_data([DATA / "train.csv"])
    intents = sorted({e.intent for e in train.examples})
    held = set(random.Random(SEED).sample(intents, 15))
    kept = TrainingData(examples=tuple(e for e in train.examples if e.intent not in held))
    fit, val = split(kept, 0.2)
    near = [e.text for e in train.examples if e.intent in held]
    started = time.perf_counter()
    engine = BuiltinEngine.train(fit, threshold=0.0, params=params)
    seconds = time.perf_counter() - started
    far = far_domain()
    conf, right, oconf, said = judge(engine, list(val.examples), near + far)
    is_far = np.arange(len(oconf)) >= len(near)
    return {
        "held_out_intents": sorted(held),
        "n_in_scope": len(conf),
        "n_out_of_scope": len(oconf),
        "train_seconds": round(seconds, 1),
        "accuracy_no_threshold": round(float(right.mean()), 4),
        "curve": curve(conf, right, oconf, said, is_far),
    }


def shipped(params: Hyperparameters, folds: int = 5) -> dict[str, object]:
    data = load_training_data()
    rng = random.Random(11)
    examples = list(data.examples)
    rng.shuffle(examples)
    intents = sorted({e.intent for e in examples} - {OOS})
    rng.shuffle(intents)
    parts: list[tuple[np.ndarray, ...]] = []
    far_masks: list[np.ndarray] = []
    far = far_domain()
    for fold in range(folds):
        held = set(intents[2 * fold : 2 * fold + 2])
        test = [e for i, e in enumerate(examples) if i % folds == fold]
        train = [e for i, e in enumerate(examples) if i % folds != fold and e.intent not in held]
        engine = BuiltinEngine.train(
            TrainingData(examples=tuple(train)), threshold=0.0, params=params
        )
        in_scope = [e for e in test if e.intent not in held and e.intent != OOS]
        oos = [e.text for e in test if e.intent in held or e.intent == OOS]
        parts.append(judge(engine, in_scope, oos + (far if fold == 0 else [])))
        far_masks.append(np.arange(len(parts[-1][2])) >= len(oos))
    conf, right, oconf, said = (np.concatenate([p[k] for p in parts]) for k in range(4))
    is_far = np.concatenate(far_masks)
    return {
        "n_in_scope": len(conf),
        "n_out_of_scope": len(oconf),
        "accuracy_no_threshold": round(float(right.mean()), 4),
        "curve": curve(conf, right, oconf, said, is_far),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encoder", default=Hyperparameters().encoder)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "oos.json")
    args = parser.parse_args()
    params = Hyperparameters(encoder=args.encoder)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "params": str(params),
        "banking77": banking77(params),
        "shipped": shipped(params),
        "shop_chat": shop_chat(params),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    for name in ("banking77", "shipped"):
        part = report[name]
        assert isinstance(part, dict)
        print(name, part["accuracy_no_threshold"], file=sys.stderr)
        for row in part["curve"]:
            print("  ", row, file=sys.stderr)
    print("shop chat fallback rate", report["shop_chat"], file=sys.stderr)


if __name__ == "__main__":
    main()
