"""A question asked again is answered again briefly, never "as I said above" (issue #15)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "first", "again", "gist", "reproach"),
    [
        (
            "en",
            "how long do refunds take",
            "sorry how long did you say refunds take",
            "3-5",
            "above",
        ),
        ("zh", "退款要多久", "不好意思 退款到底要多久来着", "3-5", "上面"),
    ],
)
async def test_asked_again_gets_the_gist_not_a_pointer_upwards(
    dispatcher: Dispatcher, language: str, first: str, again: str, gist: str, reproach: str
) -> None:
    say = make_say(dispatcher, f"1540-{language}", "Ola", language)
    await say(first)
    replies = await say(again)
    text = " ".join(r.text for r in replies)
    assert gist in text and reproach not in text


@pytest.mark.parametrize(
    ("language", "text", "how", "money"),
    [
        (
            "en",
            "how do i return the coffee machine from A-1003 and get my money back",
            "Orders → Return",
            "3-5",
        ),
    ],
)
async def test_how_to_return_and_the_money_back_gets_both(
    dispatcher: Dispatcher, language: str, text: str, how: str, money: str
) -> None:
    say = make_say(dispatcher, f"1541-{language}", "Ola", language)
    joined = " ".join(r.text for r in await say(text))
    assert how in joined and money in joined
    assert "didn't reach you" not in joined and "如果您没有收到" not in joined
