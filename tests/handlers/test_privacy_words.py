"""Which requests to delete are about the customer's data (erasure), and which are not."""

from __future__ import annotations

import pytest

from handlers.privacy import asks_to_erase, asks_what_is_kept, wants_erased


@pytest.mark.parametrize(
    "text",
    [
        "delete my data",
        "forget me",
        "i want to delete my account",
        "wipe my chat history",
        "把我的聊天记录都删了",
        "别留我的记录了",
        "remove my card and all my personal data",
    ],
)
def test_data_history_or_account_is_erasure(text: str) -> None:
    assert asks_to_erase(text)


@pytest.mark.parametrize(
    "text",
    [
        "pls take my card off",
        "get rid of my visa details",
        "储蓄卡帮我删了",
        "不想你们存我的卡号 删掉吧",
    ],
)
def test_a_saved_card_is_not_erasure(text: str) -> None:
    assert not asks_to_erase(text)


def test_a_person_asked_for_is_not_an_erasure_on_its_own() -> None:
    assert wants_erased("please wipe my personal data")
    assert not wants_erased("i want to talk to someone about my personal data")


@pytest.mark.parametrize(
    "text",
    [
        "ok but do you delete my order history too",
        "sure, do u keep my receipts",
        "wait, and my invoices?",
        "yes, but what happens to my invoices",
        "好 那发票呢",
        "订单记录也删？",
        "确定 你们会保留什么",
    ],
)
def test_what_is_kept_asked_is_a_question(text: str) -> None:
    assert asks_what_is_kept(text)


@pytest.mark.parametrize(
    "text", ["yes", "yes delete it", "no keep it", "确定", "算了 不删了", "go ahead"]
)
def test_a_yes_or_no_is_not_a_question_about_what_is_kept(text: str) -> None:
    assert not asks_what_is_kept(text)
