"""Which requests to delete are about the customer's data (erasure), and which are not."""

from __future__ import annotations

import pytest

from handlers.privacy import asks_to_erase, wants_erased


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
