"""A gift to send back: what the shop needs instead of the receipt; its order number starts it."""

from __future__ import annotations

from handlers import dialogue
from handlers.turn import Deps
from tests.handlers.conftest import Say


async def _read_by(deps: Deps) -> tuple[str, ...]:
    return (await dialogue.load(deps.state, "telegram:100")).readings


async def test_a_gift_without_receipt_is_the_gift_return(anna: Say, deps: Deps) -> None:
    for text in (
        "it was a gift, i don't have the receipt, can i exchange it",
        "朋友送的礼物 想换 没有订单号",
    ):
        replies = await anna(text)
        assert await _read_by(deps) == ("returns_gift",), text
        assert len(replies) == 1, text  # one answer, not the order number asked besides


async def test_a_gift_card_or_gift_wrap_is_not(anna: Say, deps: Deps) -> None:
    for text in ("can i return a gift card", "do you gift wrap"):
        await anna(text)
        assert "returns_gift" not in await _read_by(deps), text


async def test_the_gifts_order_number_starts_it_on_a_case(anna: Say, deps: Deps) -> None:
    await anna("got it as a present and want to send it back, no order number")
    replies = await anna("found it: A-1003")
    assert await _read_by(deps) == ("returns_gift",)
    text = replies[-1].text
    assert "A-1003" in text and "#" in text


async def test_no_number_to_be_had_is_how_the_team_finds_it(anna: Say, deps: Deps) -> None:
    await anna("it was a gift, can i exchange it? no receipt")
    replies = await anna("i dont have the order number either")
    assert await _read_by(deps) == ("returns_gift",)
    assert any(b.payload == "human" for b in replies[-1].buttons)
