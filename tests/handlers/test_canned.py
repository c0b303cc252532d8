"""Canned replies filled for a case's customer and sent as the agent's words."""

from __future__ import annotations

import pytest

from crm_memory import Direction, Sender, SqlDatabase
from handlers.agents import AgentError, AgentService
from handlers.canned import CannedService, UnknownCanned
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import FakeDesk, FakeOutbox, Say, make_say

REFUND = {
    "en": "Hi {name}, the refund for order {order} ({case}) is on its way. — {agent}",
    "zh": "{name}您好，订单{order}的退款已经批了（工单{case}）。—— {agent}",
}

pytestmark = pytest.mark.usefixtures("refund_info")


@pytest.fixture
async def refund_info(sqlite_db: SqlDatabase) -> None:
    await sqlite_db.canned.add("refund_info", variants=REFUND, author="lee")
    await sqlite_db.canned.add("thanks", variants={"fr": "Merci {name}"}, author="lee")


@pytest.fixture
def canned(
    sqlite_db: SqlDatabase, dispatcher_with_desk: Dispatcher, agents: AgentService
) -> CannedService:
    return CannedService(deps=dispatcher_with_desk.deps, store=sqlite_db.canned, agents=agents)


async def test_filled_in_english_with_the_order_in_play_and_sent_as_the_agent(
    say: Say, canned: CannedService, desk: FakeDesk, outbox: FakeOutbox, deps: Deps
) -> None:
    await say("my kettle from order A-1001 arrived broken, I want to talk to a person")
    number = desk.handoffs[-1].case.number

    filled = await canned.send("refund_info", number, "maria")

    assert filled.language == "en"
    expected = f"Hi Anna, the refund for order A-1001 (#{number}) is on its way. — Maria"
    assert filled.text == expected
    assert outbox.delivered[-1][1].text == expected
    last = (await deps.messages.history(desk.handoffs[-1].customer.id, limit=1))[0]
    assert (last.direction, last.sender, last.agent, last.text) == (
        Direction.OUT,
        Sender.AGENT,
        "maria",
        expected,
    )


async def test_a_chinese_customer_gets_the_chinese_text_and_the_remembered_order(
    dispatcher_with_desk: Dispatcher, canned: CannedService, desk: FakeDesk, deps: Deps
) -> None:
    wang = make_say(dispatcher_with_desk, "200", "王伟", language="zh-hans")
    await wang("订单A-1002到现在还没到，都一个星期了，我要找人工客服")
    number = desk.handoffs[-1].case.number
    # The conversation state is gone (a restart, a quiet day): the order is remembered.
    await deps.state.delete("telegram:200", "dialogue")

    filled = await canned.fill("refund_info", number, "lee")

    assert filled.language == "zh"
    assert filled.text == f"王伟您好，订单A-1002的退款已经批了（工单#{number}）。—— Lee"


async def test_no_order_known_is_refused_with_a_message_not_sent_as_a_brace(
    say: Say, canned: CannedService, desk: FakeDesk, outbox: FakeOutbox
) -> None:
    await say("I want to speak to a human please")
    number = desk.handoffs[-1].case.number
    sent = len(outbox.delivered)

    with pytest.raises(AgentError, match=r"refund_info needs \{order\}"):
        await canned.send("refund_info", number, "maria")
    assert len(outbox.delivered) == sent


async def test_falls_back_to_any_language_and_unknown_names_are_named(
    say: Say, canned: CannedService, desk: FakeDesk
) -> None:
    await say("I want to speak to a human please")
    number = desk.handoffs[-1].case.number
    assert (await canned.fill("thanks", number, "maria")).text == "Merci Anna"
    with pytest.raises(UnknownCanned, match="'refund'"):
        await canned.fill("refund", number, "maria")
