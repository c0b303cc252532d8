"""Sentiment benchmark: our held-out evaluation lines (en, zh) and what sentiment adds to a parse.

The evaluation files (bench/data/sentiment_eval_*.tsv) were written apart from the training
data in nlu/data/sentiment and are never trained or tuned on.

    python bench/sentiment.py [--out FILE] [--errors]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from nlu import BuiltinEngine, load_training_data
from nlu.data import SHIPPED_DATA
from nlu.sentiment import analyse

ROOT = Path(__file__).resolve().parents[1]
EVAL = {lang: ROOT / "bench" / "data" / f"sentiment_eval_{lang}.tsv" for lang in ("en", "zh")}
LABELS = ("negative", "neutral", "positive")
_SHORT = {"neg": "negative", "neu": "neutral", "pos": "positive"}


def read(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if text.strip():
            rows.append((_SHORT[label], text))
    return rows


def scores(gold: list[str], said: list[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the labels present in the gold data."""
    f1s = []
    for label in LABELS:
        if label not in gold:
            continue
        tp = sum(g == s == label for g, s in zip(gold, said, strict=True))
        fp = sum(s == label != g for g, s in zip(gold, said, strict=True))
        fn = sum(g == label != s for g, s in zip(gold, said, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    accuracy = sum(g == s for g, s in zip(gold, said, strict=True)) / len(gold)
    return {
        "n": len(gold),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sentiment.json")
    parser.add_argument("--errors", action="store_true", help="print every miss")
    args = parser.parse_args()

    results: dict[str, object] = {}
    texts: list[str] = []
    for lang, path in EVAL.items():
        rows = read(path)
        said = [analyse(text).label.value for _, text in rows]
        results[lang] = scores([g for g, _ in rows], said)
        texts += [t for _, t in rows]
        if args.errors:
            for (gold, text), s in zip(rows, said, strict=True):
                if gold != s:
                    print(f"  {lang} gold={gold:8} said={s:8} {text}")
        print(lang, results[lang])

    # Cost: sentiment alone, and a whole built-in parse (classifier + entities + sentiment).
    # Wall time suffers from whatever else runs on the machine; the thread's CPU time does
    # not, so both are recorded, with the load average at the start.
    def timed(call: Callable[[str], object]) -> tuple[list[float], list[float]]:
        call("warm up")
        wall, cpu = [], []
        for _ in range(5):
            for text in texts:
                w0, c0 = time.perf_counter(), time.thread_time()
                call(text)
                cpu.append((time.thread_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
        return wall, cpu

    load = os.getloadavg()[0]
    alone_wall, alone_cpu = timed(analyse)
    engine = BuiltinEngine.train(load_training_data([SHIPPED_DATA]), threshold=0.4)
    parse_wall, parse_cpu = timed(engine.parse_sync)
    results["cost_ms"] = {
        "load_average": round(load, 1),
        "sentiment_wall_p50": round(statistics.median(alone_wall), 3),
        "sentiment_wall_p99": round(percentile(alone_wall, 0.99), 3),
        "sentiment_cpu_p50": round(statistics.median(alone_cpu), 3),
        "sentiment_cpu_p99": round(percentile(alone_cpu, 0.99), 3),
        "parse_wall_p50": round(statistics.median(parse_wall), 3),
        "parse_wall_p99": round(percentile(parse_wall, 0.99), 3),
        "parse_cpu_p50": round(statistics.median(parse_cpu), 3),
        "parse_cpu_p99": round(percentile(parse_cpu, 0.99), 3),
    }
    print("cost (ms)", results["cost_ms"])
    results["machine"] = f"{platform.machine()}, {platform.processor() or platform.system()}"
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
