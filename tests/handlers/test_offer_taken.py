"""What the customer accepts is done: the switch to express the bot offered, taken in so many
words or with a plain yes, becomes a request on a case with its price (issue #15, conv42)."""

from __future__ import annotations

from crm_memory import Case, CaseKind, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.greeting import case_kind
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


async def test_yes_to_the_express_offer_asks_the_team_for_the_switch(
    anna: Say, deps: Deps
) -> None:
    await anna("has A-1002 shipped yet")
    await anna("can u send it express")
    text = _text(await anna("ok yes switch it to express please"))
    (case,) = await _cases(deps, "100")
    # A request for the team on that order, said back with express's price: not a bare
    # "a person will take over".
    assert case.kind is CaseKind.INQUIRY and "A-1002" in case.summary
    assert case_kind(case) == "express"
    assert f"#{case.number}" in text and "express" in text and "$9.90" in text


async def test_haode_to_the_express_offer_in_chinese(dispatcher: Dispatcher, deps: Deps) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1002 能快点发吗")
    text = _text(await lin("好 就这么办"))
    (case,) = await _cases(deps, "101")
    assert "A-1002" in case.summary and case_kind(case) == "express"
    assert f"#{case.number}" in text and "加急" in text and "9.90 美元" in text


async def test_a_person_asked_for_with_no_express_offer_is_a_plain_hand_off(
    anna: Say, deps: Deps
) -> None:
    await anna("has A-1002 shipped yet")
    text = _text(await anna("get me a real person please"))
    (case,) = await _cases(deps, "100")
    assert case_kind(case) != "express" and "$9.90" not in text


async def test_needed_by_a_day_gets_the_date_and_express_and_a_yes_takes_it(
    anna: Say, deps: Deps
) -> None:
    text = _text(await anna("A-1002 - make sure it comes this week, its a birthday present"))
    # When it arrives against their day, and express offered: no complaint case.
    assert "A-1002" in text and "express" in text and "$9.90" in text
    assert await _cases(deps, "100") == []
    text = _text(await anna("sure go ahead"))
    (case,) = await _cases(deps, "100")
    assert case_kind(case) == "express" and "A-1002" in case.summary
    assert f"#{case.number}" in text


async def test_express_asked_with_the_order_is_offered_not_the_status(
    anna: Say, deps: Deps
) -> None:
    replies = await anna("can my order A-1002 go express? its slow")
    text = _text(replies)
    assert "A-1002" in text and "$9.90" in text
    assert "human" in [b.payload for r in replies for b in r.buttons]
    await anna("sure go ahead")
    (case,) = await _cases(deps, "100")
    assert case_kind(case) == "express"


async def test_the_switch_goes_on_the_case_already_open_about_the_order(
    anna: Say, deps: Deps
) -> None:
    await anna("wheres A-1002 its taking forever")
    await anna("i want to talk to a person about it")
    (handed,) = await _cases(deps, "100")
    await anna("can u send it express instead")
    text = _text(await anna("ok yes do that please"))
    # One case: the switch is noted on the one the person was asked for, never a second.
    (case,) = await _cases(deps, "100")
    assert case.number == handed.number and f"#{case.number}" in text and "$9.90" in text
    notes = await deps.cases.notes(case.number)
    assert any("express" in n.text.lower() and "A-1002" in n.text for n in notes)


async def test_gai_jiaji_with_a_case_open_is_the_switch_not_the_case_hurried(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1002 咋还没发货 我要转人工")
    # "能改加急吗" about an order still with us: express offered with its price (the case is
    # not just raised), and the yes puts the switch on that same case.
    text = _text(await lin("能改加急吗"))
    assert "加急" in text and "9.90" in text, text
    text = _text(await lin("行 帮我改加急吧"))
    (case,) = await _cases(deps, "101")
    assert f"#{case.number}" in text and "9.90" in text
