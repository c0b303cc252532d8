"""The built-in engine: intents in both languages, entities, fallback, sentiment, model cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _pytest.mark import ParameterSet

from nlu import FALLBACK, BuiltinEngine, load_training_data
from nlu.builtin import _word_grams, char_wb_grams
from nlu.sentiment import sentiment

# Held-out paraphrases: none of these is in nlu/data (test_test_sentences_are_not_training_data).
INTENTS = [
    ("hey hello, anyone there", "greet"),
    ("where has my order A-1001 got to?", "ask_order_status"),
    ("what does it cost to ship to france", "ask_delivery"),
    ("I'd like to send these headphones back", "ask_returns_refunds"),
    ("do you accept paypal payments", "ask_payment"),
    ("cant remember my password, help", "ask_account"),
    ("is the shop open on sundays", "ask_opening_hours"),
    ("the toaster came smashed in the box, totally unacceptable", "complaint"),
    ("can i speak to a real person please", "request_human"),
    ("我买的东西现在到哪儿了", "ask_order_status"),
    ("帮我找个人工客服", "request_human"),
    # Fell back (0.39-0.43) while a Chinese clause was one unseen word; characters fixed it.
    ("这个要退货怎么弄", "ask_returns_refunds"),
    ("太感谢你了", "thanks"),
]


def _plain(text: str) -> str:
    """Lower-cased, punctuation and spacing dropped: a copy with a '?' added is still a copy."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def test_test_sentences_are_not_training_data() -> None:
    trained = {_plain(e.text) for e in load_training_data().examples}
    texts = [case.values[0] if isinstance(case, ParameterSet) else case[0] for case in INTENTS]
    copied = [text for text in texts if isinstance(text, str) and _plain(text) in trained]
    assert not copied, f"test sentences copied from nlu/data: {copied}"


@pytest.mark.parametrize(("text", "intent"), INTENTS)
async def test_intents(engine: BuiltinEngine, text: str, intent: str) -> None:
    result = await engine.parse(text)
    assert result.intent == intent
    assert result.ranking[0].name == intent
    assert result.confidence == result.ranking[0].confidence


def test_ranking_is_complete_and_sums_to_one(engine: BuiltinEngine) -> None:
    result = engine.parse_sync("where is my parcel")
    assert {s.name for s in result.ranking} == set(engine.intents)
    assert [s.confidence for s in result.ranking] == sorted(
        (s.confidence for s in result.ranking), reverse=True
    )
    assert sum(s.confidence for s in result.ranking) == pytest.approx(1.0, abs=0.01)


def test_gibberish_falls_back_but_keeps_ranking(engine: BuiltinEngine) -> None:
    result = engine.parse_sync("qwzx vbnm")
    assert result.intent == FALLBACK and not result.understood
    assert result.confidence < 0.35
    assert len(result.ranking) == len(engine.intents)


def test_threshold_is_configurable(engine: BuiltinEngine) -> None:
    strict = BuiltinEngine(engine._model, threshold=0.999)
    assert strict.parse_sync("could you maybe look at where my order is").intent == FALLBACK
    lenient = BuiltinEngine(engine._model, threshold=0.0)
    assert lenient.parse_sync("qwzx vbnm").intent != FALLBACK


def test_entities_with_offsets(engine: BuiltinEngine) -> None:
    text = "order A-1001 for the smartwatch, mail me at li.wei@example.cn or +44 7700 900123"
    found = {(e.kind, e.value) for e in engine.parse_sync(text).entities}
    assert found == {
        ("order_number", "A-1001"),
        ("product", "smart watch"),  # synonym
        ("email", "li.wei@example.cn"),
        ("phone", "+44 7700 900123"),
    }
    for entity in engine.parse_sync(text).entities:
        assert text[entity.start : entity.end] == entity.text


def test_entities_in_chinese(engine: BuiltinEngine) -> None:
    result = engine.parse_sync("订单A-1001的蓝牙耳机坏了，电话13812345678")
    assert [(e.kind, e.value) for e in result.entities] == [
        ("order_number", "A-1001"),
        ("product", "headphones"),
        ("phone", "13812345678"),
    ]


def test_language_is_detected(engine: BuiltinEngine) -> None:
    assert engine.parse_sync("我想退货").language == "zh"
    assert engine.parse_sync("I want to return this").language == "en"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("this is terrible, worst service ever!!!", -1.0, -0.6),
        ("I'm furious, I will call my lawyer", -1.0, -0.5),
        ("great service, thank you so much", 0.4, 1.0),
        ("not bad at all", -0.1, 1.0),
        ("where is my order", -0.1, 0.1),
        ("太差了，气死我了", -1.0, -0.5),
        ("服务很好，非常满意", 0.5, 1.0),
        ("没问题", 0.0, 1.0),
    ],
)
def test_sentiment(text: str, low: float, high: float) -> None:
    assert low <= sentiment(text) <= high


def test_model_is_cached_until_data_changes(tmp_path: Path) -> None:
    data = tmp_path / "data.yml"
    data.write_text(
        "nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello\n"
        "- intent: goodbye\n  examples: |\n    - bye\n    - see you\n",
        encoding="utf-8",
    )
    models = tmp_path / "models"
    _, trained = BuiltinEngine.load_or_train(data_paths=[data], model_dir=models, threshold=0.3)
    engine, trained_again = BuiltinEngine.load_or_train(
        data_paths=[data], model_dir=models, threshold=0.3
    )
    assert trained and not trained_again
    assert engine.parse_sync("hello").intent == "greet"
    data.write_text(data.read_text() + "- intent: thanks\n  examples: |\n    - thanks\n")
    engine, retrained = BuiltinEngine.load_or_train(
        data_paths=[data], model_dir=models, threshold=0.3
    )
    assert retrained and "thanks" in engine.intents
    assert len(list(models.glob("*.pkl"))) == 2


def test_training_needs_two_intents() -> None:
    data = load_training_data()
    one = type(data)(examples=tuple(e for e in data.examples if e.intent == "greet"))
    with pytest.raises(ValueError, match="two intents"):
        BuiltinEngine.train(one, threshold=0.3)


@pytest.mark.parametrize(
    "text",
    [
        "where is my order A-1001?",
        "I   want\tto return   these HEADPHONES!!",
        "我的订单到哪了",
        "a",
        "",
        "qwzx vbnm",
        "refund refund refund, the kettle is broken broken",
        "这个iPhone能退吗 A-1001 ok?",
        "退货退货，退款呢",
    ],
)
def test_fast_path_equals_scikit_learn(engine: BuiltinEngine, text: str) -> None:
    assert engine.probabilities(text) == pytest.approx(engine.scores([text])[0], abs=1e-5)


def test_chinese_words_are_characters_and_character_pairs() -> None:
    # Chinese has no spaces: a clause must not be one unseen "word" (it fell back before).
    grams = _word_grams("要退货 for A-1001", 1, 2)
    assert {"退", "货", "退 货", "要 退", "for", "A", "1001"} <= set(grams)
    assert "要退货" not in grams


def test_a_texts_n_grams_are_made_once_for_every_engine_that_scores_it(
    engine: BuiltinEngine,
) -> None:
    # The intents and the dialogue acts (and a turn's readings) score the same message:
    # its word and character n-grams are made the first time only.
    text = "where has my parcel gone, order B-2231"
    engine.probabilities(text)
    made = (char_wb_grams.cache_info().misses, _word_grams.cache_info().misses)
    again = engine.probabilities(text)
    assert (char_wb_grams.cache_info().misses, _word_grams.cache_info().misses) == made
    assert again == pytest.approx(engine.scores([text])[0], abs=1e-5)
