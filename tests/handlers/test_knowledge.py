"""The knowledge base: loading, finding by intent and similarity, refusing bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.knowledge import KnowledgeBase, KnowledgeBaseError


def test_shipped_entries_answer_in_both_languages() -> None:
    kb = KnowledgeBase.load()
    assert len(kb.entries) >= 15
    for entry in kb.entries:
        assert entry.answer("en") and entry.answer("zh") != entry.answer("en")


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        ("how much does shipping cost to france", "ask_delivery", "delivery-cost"),
        ("do you deliver to canada", "ask_delivery", "delivery-countries"),
        ("I was charged twice!", "ask_payment", "payment-problem"),
        ("can I swap it for a bigger size", "ask_returns_refunds", "exchange"),
        ("运费多少钱", "ask_delivery", "delivery-cost"),
        ("refund still not arrived after two weeks", None, "refund-timing"),
    ],
)
def test_finds_the_closest_entry(question: str, intent: str | None, entry: str) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry


def test_unrelated_question_without_intent_finds_nothing() -> None:
    assert KnowledgeBase.load().find("qqq zzz xxx", intent=None) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{}", "list of entries"),
        ("- id: a\n  intent: x\n  questions: {en: [hi]}\n  answer: {en: hello}\n", "answer needs"),
        ("- id: a\n  intent: x\n  answer: {en: a, zh: b}\n", "questions"),
        ("- [not, a, mapping]\n", "mapping"),
    ],
)
def test_malformed_file(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "faq.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=reason):
        KnowledgeBase.load(path)
