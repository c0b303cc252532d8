"""'actually just cancel it' after an offer: the cancellation, nothing offered tacked on."""

from __future__ import annotations

from crm_memory import Case, ChannelIdentity
from handlers import cancel
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


async def test_just_cancel_it_after_express_offered(say: Say, deps: Deps) -> None:
    await say("can A-1002 go express")
    text = _text(await say("nah forget it, just cancel the order"))
    (case,) = await _cases(deps, "100")
    assert case.topic == cancel.TOPIC and "A-1002" in text, text
    assert "$9.90" not in text and "express" not in text.lower(), text


async def test_haishi_quxiao_ba_after_express_offered(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1002 能改加急吗")
    text = _text(await wang("算了 还是取消吧"))
    (case,) = await _cases(deps, "200")
    assert case.topic == cancel.TOPIC and "A-1002" in text, text
    assert "加急" not in text and "9.90" not in text, text


async def test_a_plain_no_to_the_offer_cancels_nothing(say: Say, deps: Deps) -> None:
    await say("can A-1002 go express")
    await say("nah forget it")
    assert await _cases(deps, "100") == []


def test_what_asks_for_a_cancellation() -> None:
    for text in (
        "actually just cancel it",
        "canel it pls",
        "还是取消吧",
        "算了 退了吧",
        "直接取消",
    ):
        assert cancel.asks_for_it(text), text
    for text in ("dont cancel it", "别取消了", "cancel the express", "取消加急", "nah leave it"):
        assert not cancel.asks_for_it(text), text
