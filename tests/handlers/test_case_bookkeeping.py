"""One case per problem, and the right things noted on it (issue #15)."""

from __future__ import annotations

import pytest

from crm_memory import Case, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import FakeDesk, make_say


@pytest.mark.parametrize(
    ("first", "again", "language", "due"),
    [
        ("i want to talk to a human", "human please", "en", "at the latest"),
        ("get me a real person", "let me talk to a person!!", "en", "at the latest"),
        ("我要转人工", "我要转人工！", "zh", "最晚"),
        ("给我转人工客服", "人工呢 找个真人", "zh", "最晚"),
    ],
)
async def test_a_person_asked_for_again_is_told_by_when(
    dispatcher_with_desk: Dispatcher,
    desk: FakeDesk,
    first: str,
    again: str,
    language: str,
    due: str,
) -> None:
    say = make_say(dispatcher_with_desk, "100", "Sam", language)
    await say(first)
    (reply,) = await say(again)
    number = desk.handoffs[0].case.number
    assert len(desk.handoffs) == 1
    assert f"#{number}" in reply.text and due in reply.text
    assert not any(b.payload == "human" for b in reply.buttons)
    assert "?" not in reply.text and "？" not in reply.text


async def _cases(deps: Deps) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    return await deps.cases.for_customer(customer.id)


@pytest.mark.parametrize(
    ("opening", "address", "change", "language", "place"),
    [
        (
            "i need to change the delivery address for A-1002",
            "14 Mill Lane, Bristol BS1 5TT",
            "actually can it go to a parcel locker instead",
            "en",
            "locker",
        ),
        (
            "wrong address on A-1002",
            "22 Park Road, Leeds LS6 2AB",
            "could my neighbour take it instead?",
            "en",
            "neighbour",
        ),
        ("订单A-1002地址写错了", "杭州市西湖区文三路100号", "能放快递柜吗", "zh", "快递柜"),
    ],
)
async def test_another_place_after_an_address_goes_on_its_case(
    dispatcher: Dispatcher,
    deps: Deps,
    opening: str,
    address: str,
    change: str,
    language: str,
    place: str,
) -> None:
    say = make_say(dispatcher, "100", "Sam", language)
    await say(opening)
    await say(address)
    (case,) = await _cases(deps)
    replies = await say(change)
    text = " ".join(r.text for r in replies)
    assert [c.number for c in await _cases(deps)] == [case.number]
    assert f"#{case.number}" in text and place in text
    assert place in (await deps.cases.get(case.number)).summary


async def test_a_corrected_order_stays_on_the_case(dispatcher: Dispatcher, deps: Deps) -> None:
    say = make_say(dispatcher, "100", "Sam", "en")
    await say("my coffee machine from A-1003 arrived cracked")
    await say("sorry wrong number, its B-2232")
    assert len(await _cases(deps)) == 1


@pytest.mark.parametrize(
    ("ask", "given", "tax", "language"),
    [
        ("can i get a company invoice for order A-1003", "vat no GB123456789", "GB123456789", "en"),
        ("A-1003想开个公司发票", "税号是91310000MA1FL2XQ3K", "91310000MA1FL2XQ3K", "zh"),
    ],
)
async def test_a_tax_number_goes_on_the_invoice_request(
    dispatcher: Dispatcher, deps: Deps, ask: str, given: str, tax: str, language: str
) -> None:
    say = make_say(dispatcher, "100", "Sam", language)
    await say(ask)
    replies = await say(given)
    text = " ".join(r.text for r in replies)
    (case,) = await _cases(deps)
    assert tax in text and f"#{case.number}" in text and "A-1003" in text
    assert any(tax in n.text for n in await deps.cases.notes(case.number))
    assert "?" not in text and "？" not in text
