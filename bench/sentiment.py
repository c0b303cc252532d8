"""Sentiment benchmark: our held-out evaluation lines (en, zh) and what sentiment adds to a parse.

The evaluation files (bench/data/sentiment_*.tsv, see bench/data/README.md) were written apart
from the training data in nlu/data/sentiment and are never trained or tuned on:

- ``sentiment_eval_{en,zh}.tsv``: 160 short customer messages, 3 classes;
- ``sentiment_airline_en.tsv``: 302 tweets to US airlines, 3 classes (macro-F1 is what counts);
- ``sentiment_reviews_zh.tsv``: 299 food-delivery and hotel reviews, positive / negative
  (accuracy is what counts; "neutral" for a review is a miss);
- ``sentiment_long_{zh,en}.tsv``: 62 + 40 long mixed reviews (5-9 sentences), positive /
  negative, scored like the reviews;
- ``sentiment_tweets_hard_en.tsv``: 80 tweets of the hard kinds (sarcasm with emoji and
  hashtags, complaints without emotion words, praise that mentions a problem), 3 classes.

    python bench/sentiment.py [--out FILE] [--errors] [--via-cli]

``--via-cli`` also reads the labels the way shops and the acceptance check do, through
``python -m bot nlu parse --file F --json`` (``sentiment_label``), and checks they agree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Measure this checkout's nlu, not whichever one the virtualenv has installed.
sys.path.insert(0, str(ROOT))

from nlu import BuiltinEngine, load_training_data  # noqa: E402
from nlu.data import SHIPPED_DATA  # noqa: E402
from nlu.sentiment import analyse  # noqa: E402

DATA = ROOT / "bench" / "data"
EVAL = {
    "en": DATA / "sentiment_eval_en.tsv",
    "zh": DATA / "sentiment_eval_zh.tsv",
    "airline_en": DATA / "sentiment_airline_en.tsv",
    "reviews_zh": DATA / "sentiment_reviews_zh.tsv",
    "long_zh": DATA / "sentiment_long_zh.tsv",
    "long_en": DATA / "sentiment_long_en.tsv",
    "tweets_hard_en": DATA / "sentiment_tweets_hard_en.tsv",
}
LABELS = ("negative", "neutral", "positive")
_SHORT = {"neg": "negative", "neu": "neutral", "pos": "positive"}


def read(path: Path) -> list[tuple[str, str]]:
    """(label, text) rows of ``label<TAB>text`` or ``label<TAB>domain<TAB>text``."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[-1].strip():
            rows.append((_SHORT[fields[0]], fields[-1]))
    return rows


def via_cli(texts: list[str]) -> list[str]:
    """The labels ``python -m bot nlu parse --file F --json`` prints, one per text."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write("".join(t + "\n" for t in texts))
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bot", "nlu", "parse", "--file", f.name, "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(f.name).unlink()
    return [str(json.loads(line)["sentiment_label"]) for line in out.splitlines() if line]


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
    parser.add_argument(
        "--via-cli", action="store_true", help="also read the labels through `bot nlu parse`"
    )
    args = parser.parse_args()

    results: dict[str, object] = {}
    texts: list[str] = []
    for lang, path in EVAL.items():
        rows = read(path)
        moods = [analyse(text) for _, text in rows]
        said = [m.label.value for m in moods]
        score: dict[str, object] = dict(scores([g for g, _ in rows], said))
        score["said_neutral"] = said.count("neutral")
        if lang in ("reviews_zh", "long_zh", "long_en"):
            # Forced to two classes by the sign of the score: what "neutral" costs here.
            signs = ["positive" if m.score > 0 else "negative" for m in moods]
            score["sign_accuracy"] = scores([g for g, _ in rows], signs)["accuracy"]
        if args.via_cli:
            cli = via_cli([t for _, t in rows])
            score["cli_agrees"] = (
                f"{sum(a == b for a, b in zip(said, cli, strict=True))}/{len(said)}"
            )
        results[lang] = score
        if lang in ("en", "zh"):
            texts += [t for _, t in rows]  # the cost figures stay on the short messages
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
