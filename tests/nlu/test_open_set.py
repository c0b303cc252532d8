"""The built-in engine's open-set decision: an out-of-scope class counts against every intent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.config import DEFAULT_THRESHOLD
from nlu import FALLBACK, BuiltinEngine, Example, TrainingData
from nlu.evaluate import evaluate

ORDERS = [
    "where is my parcel",
    "has my order shipped yet",
    "track my package please",
    "when will my delivery arrive",
    "my order still hasnt come",
    "any news on the shipment",
]
REFUNDS = [
    "i want my money back",
    "how do i get a refund",
    "refund the broken kettle please",
    "can you return my payment",
    "still waiting for the refund",
    "give me a refund for the order",
]
# Out-of-scope training rows, as public out-of-scope sets ship them.
ELSEWHERE = [
    "whats the weather tomorrow",
    "tell me a joke",
    "who won the football last night",
    "recipe for banana bread",
    "how tall is mount everest",
    "play some music",
]


def _data(*, oos_label: str | None) -> TrainingData:
    rows = [Example(text=t, intent="track_order") for t in ORDERS]
    rows += [Example(text=t, intent="refund") for t in REFUNDS]
    if oos_label:
        rows += [Example(text=t, intent=oos_label) for t in ELSEWHERE]
    return TrainingData(examples=tuple(rows))


@pytest.fixture(scope="module")
def with_oos() -> BuiltinEngine:
    return BuiltinEngine.train(_data(oos_label="oos"), threshold=0.45)


def _row(engine: BuiltinEngine, **probs: float) -> np.ndarray:
    return np.array([[probs.get(name, 0.0) for name in engine.intents]])


def test_intent_must_lead_the_out_of_scope_class_by_the_threshold(
    with_oos: BuiltinEngine,
) -> None:
    # 0.55 alone clears 0.45, but "none of these" holds 0.35 of the mass: lead 0.20.
    assert with_oos.decide(_row(with_oos, track_order=0.55, oos=0.35, refund=0.10)) == [FALLBACK]
    # A clear lead still answers.
    assert with_oos.decide(_row(with_oos, track_order=0.75, oos=0.05, refund=0.20)) == [
        "track_order"
    ]


def test_out_of_scope_class_answers_when_likeliest(with_oos: BuiltinEngine) -> None:
    assert with_oos.decide(_row(with_oos, oos=0.40, track_order=0.35, refund=0.25)) == ["oos"]


def test_without_out_of_scope_rows_top_probability_decides() -> None:
    engine = BuiltinEngine.train(_data(oos_label=None), threshold=0.45)
    assert engine.decide(_row(engine, track_order=0.55, refund=0.45)) == ["track_order"]
    assert engine.decide(_row(engine, track_order=0.44, refund=0.56)) == ["refund"]
    engine.threshold = 0.6
    assert engine.decide(_row(engine, track_order=0.55, refund=0.45)) == [FALLBACK]


@pytest.mark.parametrize("label", ["oos", "out_of_scope"])
def test_parse_falls_back_when_the_lead_over_out_of_scope_is_short(label: str) -> None:
    engine = BuiltinEngine.train(_data(oos_label=label), threshold=0.0)
    text = "where is my parcel, and the weather"
    probs = engine.probabilities(text)
    top = int(probs.argmax())
    assert engine.intents[top] == "track_order"
    lead = float(probs[top] - probs[engine.intents.index(label)])
    assert 0.0 < lead < float(probs[top])
    # Between the lead and the top probability: the top probability alone would answer.
    engine.threshold = (lead + float(probs[top])) / 2
    result = engine.parse_sync(text)
    assert result.intent == FALLBACK
    assert result.ranking[0].name == "track_order"  # the ranking still says what it was like
    engine.threshold = lead * 0.9
    assert engine.parse_sync(text).intent == "track_order"


async def test_evaluate_counts_the_out_of_scope_answer(with_oos: BuiltinEngine) -> None:
    test = TrainingData(
        examples=(
            Example(text="where has my parcel got to", intent="track_order"),
            Example(text="what is the weather like tomorrow", intent="oos"),
            Example(text="tell me a funny joke", intent="oos"),
        )
    )
    result = await evaluate(with_oos, test)
    assert result.oos_recall == 1.0
    assert result.in_scope_accuracy == 1.0


def test_shipped_config_uses_the_measured_default() -> None:
    import yaml

    from bot.config import NluSettings

    root = Path(__file__).resolve().parents[2]
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    assert config["nlu"]["fallback_threshold"] == DEFAULT_THRESHOLD
    assert NluSettings().fallback_threshold == DEFAULT_THRESHOLD
