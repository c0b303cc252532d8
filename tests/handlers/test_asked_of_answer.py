"""A follow-up asking the answer just given in words of its own: the least amount, what to
give (handlers/knowledge.py ``said_in``)."""

from __future__ import annotations

import pytest

from handlers.knowledge import KnowledgeBase, asks_of_answer


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.mark.parametrize(
    ("entry", "text", "language", "said"),
    [
        ("payment-methods", "whats the minimum for that", "en", "over $200"),
        ("payment-methods", "最低多少钱才能分", "zh", "满 200"),
        ("delivery-cost", "how much do i need to spend then?", "en", "over $50"),
        ("email-change", "ok what details would you need", "en", "name on the account"),
    ],
)
def test_the_sentence_that_says_it(
    kb: KnowledgeBase, entry: str, text: str, language: str, said: str
) -> None:
    sentences = kb.said_in(entry, text, language)
    assert len(sentences) == 1
    assert said in sentences[0]


def test_what_to_give_is_the_sentence_asking_for_most(kb: KnowledgeBase) -> None:
    # The answer's first sentence sends a link "to the new address": one thing, not a list.
    (sentence,) = kb.said_in("email-change", "what info do you need from me", "en")
    assert "old address" in sentence and "order number" in sentence


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("whats the minimum", True),
        ("what details would you need", True),
        ("需要提供什么资料", True),
        ("满多少才包邮", True),
        ("how much is delivery", False),
        ("what do you store about me", False),
    ],
)
def test_asks_of_answer(text: str, asks: bool) -> None:
    assert asks_of_answer(text) is asks
