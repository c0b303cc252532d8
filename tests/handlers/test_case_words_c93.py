"""Words that ask who has a case and where a refund's money is."""

from __future__ import annotations

import pytest

from handlers.cases import asks_owner, asks_refund_news


@pytest.mark.parametrize(
    "text",
    [
        "who is handling it",
        "is an agent on it",
        "is lena still working on my case?",
        "is someone looking at my case?",
        "还有人在处理吗",
        "客服在跟进吗",
        "Maria还在跟进吗",
    ],
)
def test_who_has_the_case_is_asked(text: str) -> None:
    assert asks_owner(text)


@pytest.mark.parametrize("text", ["is it on its way?", "is it delivered?", "我要人工"])
def test_other_questions_ask_no_owner(text: str) -> None:
    assert not asks_owner(text)


@pytest.mark.parametrize(
    "text",
    [
        "where's my money",
        "wheres my money??",
        "my money?",
        "any update on the refund",
        "when do i get my refund",
        "钱呢",
        "退款到哪了",
        "钱退了没",
    ],
)
def test_where_the_refund_is_is_asked(text: str) -> None:
    assert asks_refund_news(text)


@pytest.mark.parametrize(
    "text", ["how do refunds work", "can i get my money back for a gift", "退款政策是什么"]
)
def test_refund_questions_in_general_are_not_news_of_one(text: str) -> None:
    assert not asks_refund_news(text)
