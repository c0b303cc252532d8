"""NLU benchmark on banking77: tune on a split of train.csv, evaluate once on test.csv.

Also draws the fallback curve: some intents are held out of training as out-of-scope, and
for each threshold we measure in-scope accuracy and how many out-of-scope messages fall back.
With --rasa, the same split through a real Rasa 3.6 server (DIET), in the same run.

    python bench/nlu_banking77.py [--quick] [--rasa] [--rasa-epochs N] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import platform
import random
import resource
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from nlu import BuiltinEngine, TrainingData, load_training_data
from nlu.builtin import Hyperparameters
from nlu.evaluate import evaluate
from nlu.rasa import RasaEngine, serve_rasa, train_rasa, write_rasa_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "banking77"
SEED = 7


def split(data: TrainingData, share: float, seed: int = SEED) -> tuple[TrainingData, TrainingData]:
    """Stratified split: ``share`` of every intent goes to the second part."""
    rng = random.Random(seed)
    by_intent: dict[str, list[int]] = {}
    for i, example in enumerate(data.examples):
        by_intent.setdefault(example.intent, []).append(i)
    held: set[int] = set()
    for indices in by_intent.values():
        rng.shuffle(indices)
        held.update(indices[: max(1, round(len(indices) * share))])
    first = tuple(e for i, e in enumerate(data.examples) if i not in held)
    second = tuple(e for i, e in enumerate(data.examples) if i in held)
    return TrainingData(examples=first), TrainingData(examples=second)


def accuracy(engine: BuiltinEngine, data: TrainingData) -> float:
    probs = engine.scores([e.text for e in data.examples])
    predicted = [engine.intents[i] for i in probs.argmax(axis=1)]
    return sum(p == e.intent for p, e in zip(predicted, data.examples, strict=True)) / len(
        data.examples
    )


def tune(train: TrainingData, quick: bool) -> tuple[Hyperparameters, list[dict[str, object]]]:
    fit, val = split(train, 0.15)
    grid = (
        [Hyperparameters()]
        if quick
        else [
            Hyperparameters(c=c, char_ngrams=ng)
            for c in (5.0, 20.0, 50.0)
            for ng in ((1, 4), (2, 5))
        ]
    )
    rows = []
    for params in grid:
        engine = BuiltinEngine.train(fit, threshold=0.0, params=params)
        rows.append({"params": asdict(params), "val_accuracy": round(accuracy(engine, val), 4)})
        print(f"  tune {params}: validation accuracy {rows[-1]['val_accuracy']}", file=sys.stderr)
    best = max(range(len(grid)), key=lambda i: float(rows[i]["val_accuracy"]))  # type: ignore[arg-type]
    return grid[best], rows


def fallback_curve(train: TrainingData, params: Hyperparameters) -> dict[str, object]:
    """Hold out 10 intents as out-of-scope; sweep the threshold on a validation split."""
    intents = sorted({e.intent for e in train.examples})
    rng = random.Random(SEED)
    oos = set(rng.sample(intents, 10))
    fit, val = split(TrainingData(examples=tuple(e for e in train.examples)), 0.2)
    fit = TrainingData(examples=tuple(e for e in fit.examples if e.intent not in oos))
    engine = BuiltinEngine.train(fit, threshold=0.0, params=params)
    probs = engine.scores([e.text for e in val.examples])
    best = probs.max(axis=1)
    predicted = [engine.intents[i] for i in probs.argmax(axis=1)]
    is_oos = np.array([e.intent in oos for e in val.examples])
    correct = np.array([p == e.intent for p, e in zip(predicted, val.examples, strict=True)])
    curve = []
    for threshold in [round(t, 2) for t in np.arange(0.05, 0.95, 0.05)]:
        falls = best < threshold
        in_scope_acc = float(np.mean(correct[~is_oos] & ~falls[~is_oos]))
        oos_recall = float(np.mean(falls[is_oos]))
        curve.append(
            {
                "threshold": threshold,
                "in_scope_accuracy": round(in_scope_acc, 4),
                "oos_recall": round(oos_recall, 4),
            }
        )
    # The threshold that best balances the two (harmonic mean), chosen on validation only.
    chosen = max(
        curve,
        key=lambda r: (
            2
            * r["in_scope_accuracy"]
            * r["oos_recall"]
            / max(r["in_scope_accuracy"] + r["oos_recall"], 1e-9)
        ),
    )
    return {"held_out_intents": sorted(oos), "curve": curve, "chosen": chosen}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def builtin_side(
    train: TrainingData, test: TrainingData, params: Hyperparameters, threshold: float
) -> dict[str, object]:
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    engine = BuiltinEngine.train(train, threshold=threshold, params=params)
    seconds = time.perf_counter() - started
    result = await evaluate(engine, test)
    # Without the fallback, to compare classifiers as they are.
    plain = await evaluate(BuiltinEngine(engine._model, threshold=0.0), test)
    with tempfile.TemporaryDirectory() as tmp:
        engine.save(Path(tmp) / "m.pkl")
        size = (Path(tmp) / "m.pkl").stat().st_size / 1e6
    return {
        **{
            k: v
            for k, v in asdict(replace(plain, train_seconds=round(seconds, 2))).items()
            if k != "per_intent"
        },
        "accuracy_with_fallback": result.accuracy,
        "fallback_rate_at_threshold": result.fallback_rate,
        "model_mb": round(size, 1),
        "peak_rss_growth_mb": round(rss_mb() - before, 1),
    }


async def rasa_side(train_csv: Path, test: TrainingData, epochs: int) -> dict[str, object]:
    venv = ROOT / ".venv-rasa"
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        model = train_rasa(venv=venv, data_paths=[train_csv], out_dir=Path(tmp), epochs=epochs)
        seconds = time.perf_counter() - started
        with serve_rasa(venv=venv, model=model) as url:
            engine = RasaEngine(url, timeout=30, threshold=0.0)
            try:
                result = await evaluate(engine, test)
            finally:
                await engine.close()
    return {
        **{
            k: v
            for k, v in asdict(replace(result, train_seconds=round(seconds, 1))).items()
            if k != "per_intent"
        },
        "epochs": epochs,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="no tuning grid, no curve")
    parser.add_argument("--rasa", action="store_true", help="also train and run Rasa (DIET)")
    parser.add_argument("--rasa-epochs", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "nlu.json")
    args = parser.parse_args()

    train = load_training_data([DATA / "train.csv"])
    test = load_training_data([DATA / "test.csv"])
    print(f"banking77: {len(train.examples)} train, {len(test.examples)} test", file=sys.stderr)
    params, grid = tune(train, args.quick)
    curve = None if args.quick else fallback_curve(train, params)
    threshold = float(curve["chosen"]["threshold"]) if curve else 0.0  # type: ignore[index]
    report: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.processor() or '?'}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "chosen_params": asdict(params),
        "tuning": grid,
        "fallback_curve": curve,
        "builtin": await builtin_side(train, test, params, threshold),
    }
    if args.rasa:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "train.yml"
            write_rasa_yaml(train, csv)
            report["rasa"] = await rasa_side(csv, test, args.rasa_epochs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(
        json.dumps(
            {k: report[k] for k in ("chosen_params", "builtin", "rasa") if k in report}, indent=2
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
