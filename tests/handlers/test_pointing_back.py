"""Follow-ups that point back: an order by its place ("the first one", "第一个呢"), the exact
day of a date just given, and an answer the customer says did not help."""

from __future__ import annotations

from datetime import date

from crm_memory import Case, ChannelIdentity
from handlers import followups
from handlers.dialogue import Dialogue, Slot
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _two_orders() -> Dialogue:
    return Dialogue(
        turn=3, slots=(Slot("order_number", "A-1002", 1), Slot("order_number", "B-2231", 2))
    )


def test_an_order_pointed_at_by_its_place() -> None:
    dialogue = _two_orders()
    assert followups.pointed_order("what about the first one", dialogue) == "A-1002"
    assert followups.pointed_order("and the other one?", dialogue) == "A-1002"
    assert followups.pointed_order("the second order?", dialogue) == "B-2231"
    assert followups.pointed_order("第一个呢", dialogue) == "A-1002"
    assert followups.pointed_order("第二个还没到", dialogue) == "B-2231"
    # The one asked about is the last one named in the message.
    said = "the first one came, what about the second one"
    assert followups.pointed_order(said, dialogue) == "B-2231"
    # One order in play: nothing to choose between.
    one = Dialogue(turn=2, slots=(Slot("order_number", "A-1002", 1),))
    assert followups.pointed_order("the other one", one) is None


async def test_the_first_one_and_the_other_one_are_the_orders_meant(anna: Say, deps: Deps) -> None:
    await anna("where's A-1002")
    await anna("and B-2231?")
    first = _text(await anna("what about the first one, has it shipped yet"))
    assert "A-1002" in first and "B-2231" not in first and "order number" not in first
    other = _text(await anna("ok and the other one?"))
    assert "B-2231" in other and "order number" not in other
    assert await _cases(deps, "100") == []


async def test_chinese_diyige_ne_is_the_first_order(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("帮我查下A-1001到哪了")
    await wang("还有B-2231呢")
    reply = _text(await wang("那第一个呢 明天能到不"))
    assert "A-1001" in reply and "B-2231" not in reply


async def test_what_day_exactly_gives_the_weekday(anna: Say, deps: Deps) -> None:
    await anna("is A-1001 coming soon")
    reply = _text(await anna("what day is that exactly"))
    eta = (await _order_eta(deps, "A-1001")).strftime("%A")
    assert eta in reply and "A-1001" in reply and "didn't" not in reply


async def test_chinese_juti_natian_gives_the_weekday(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("B-2231啥时候到")
    reply = _text(await wang("具体哪天啊"))
    day = await _order_eta(deps, "B-2231")
    assert f"{day.month}月{day.day}日" in reply and "周" in reply


async def test_doesnt_help_after_an_answer_says_sorry_and_offers_a_person(anna: Say) -> None:
    (policy,) = await anna("whats your returns policy")
    (reply,) = await anna("doesnt really help me does it")
    assert "sorry" in reply.text.lower() and reply.text not in policy.text
    assert "30 days" not in reply.text and "human" in [b.payload for b in reply.buttons]


async def test_chinese_feihua_says_sorry_and_offers_a_person(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("你们退货政策是啥")
    (reply,) = await wang("你这不是废话吗")
    assert "抱歉" in reply.text and "30 天" not in reply.text
    assert "human" in [b.payload for b in reply.buttons]


async def test_doesnt_help_with_a_case_open_names_the_case(anna: Say, deps: Deps) -> None:
    await anna("the kettle from A-1001 leaks everywhere")
    (case,) = await _cases(deps, "100")
    await anna("whats your returns policy")
    reply = _text(await anna("that doesnt help me at all"))
    assert f"#{case.number}" in reply and len(await _cases(deps, "100")) == 1


async def _order_eta(deps: Deps, number: str) -> date:
    assert deps.orders is not None
    order = await deps.orders.find(number)
    assert order is not None and order.eta_date() is not None
    eta = order.eta_date()
    assert eta is not None
    return eta


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


def test_the_other_one_is_an_order_remembered_when_two_are_known() -> None:
    # One order named in this conversation, one remembered from an earlier one.
    one = Dialogue(turn=2, slots=(Slot("order_number", "B-2231", 1),))
    assert followups.known_orders(one, ["A-1002", "B-2231"]) == ["A-1002", "B-2231"]
    assert followups.pointed_order("what about the other one", one, known=["A-1002"]) == "A-1002"
    assert followups.pointed_order("另外那个呢", one, known=["A-1002"]) == "A-1002"
    # Among several remembered, which one is "the other" is not known.
    many = ["A-1001", "A-1002", "A-1003"]
    assert followups.pointed_order("what about the other one", one, known=many) is None


async def test_a_product_asked_after_picks_the_order_holding_it(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("帮我查下A-1002和C-7781")
    await wang("好的谢谢")
    # Whatever the last answer was: the product names the order, not the catalogue's stock,
    # nor the order named last.
    reply = _text(await wang("耳机到哪了"))
    assert "A-1002" in reply and "C-7781" not in reply and "$" not in reply
