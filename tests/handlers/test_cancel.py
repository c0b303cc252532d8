"""Cancelling an order, follow-ups after it, offers taken in plain words, the remedy chosen."""

from __future__ import annotations

from crm_memory import Case, ChannelIdentity
from handlers import context
from handlers.dispatcher import Dispatcher
from handlers.orders import OrderNumbers
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import FakeDesk, Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


async def test_an_order_not_shipped_goes_on_a_case_for_the_team_to_cancel(
    say: Say, deps: Deps, desk: FakeDesk
) -> None:
    text = _text(await say("can u cancel my order A-1002 i ordered by mistake"))
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in text and "A-1002" in text and "cancel" in text.lower()
    # Honest: the bot cannot cancel it itself; people do, and they have it now.
    assert "can't cancel it myself" in text
    assert "order: A-1002" in case.summary and case.escalated_at is not None
    assert [h.case.number for h in desk.handoffs] == [case.number]
    assert "5 working days" in _text(await say("how long til i see my money"))
    assert len(await _cases(deps, "100")) == 1


async def test_chinese_cancel_of_the_order_in_play(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1002到哪了")
    text = _text(await wang("不想要了 帮我把单取消了"))
    (case,) = await _cases(deps, "200")
    assert f"#{case.number}" in text and "取消" in text and "order: A-1002" in case.summary
    money = _text(await wang("那钱什么时候退回来"))
    assert "5 个工作日" in money and "A-1002" in money


async def test_a_shipped_order_is_refused_or_returned_not_cancelled(anna: Say, deps: Deps) -> None:
    text = _text(await anna("i need to cancel A-1001 pls"))
    assert "refuse" in text and "return" in text and "DHL" in text
    assert await _cases(deps, "100") == []


async def test_a_cancelled_order_is_said_so_with_its_money(anna: Say, deps: Deps) -> None:
    text = _text(await anna("cancel A-1004 please"))
    assert "already" in text and "5 working days" in text
    assert await _cases(deps, "100") == []


async def test_no_order_number_asks_for_it_and_the_number_is_read_as_the_cancel(
    anna: Say, deps: Deps
) -> None:
    assert "order number" in _text(await anna("hi can i cancel my order? got the wrong size"))
    text = _text(await anna("A-1002"))
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in text and "order: A-1002" in case.summary


def test_why_it_was_cancelled_is_no_request_to_cancel() -> None:
    assert context._WAS_CANCELLED.search("why did you cancel A-1004")
    assert context._WAS_CANCELLED.search("我的订单为什么被取消了")
    assert context._CANCEL.search("can u cancel my order A-1004")
    assert context._CANCEL.search("帮我把单取消了")
    assert context._CANCEL.search("actually cancel it")


async def test_plain_words_take_the_offer_to_check_a_charge(anna: Say, deps: Deps) -> None:
    await anna("why is my card showing 2 payments for the same order")
    asked = _text(await anna("ok please check it"))
    assert "order number" in asked and "anything else" not in asked.lower()
    text = _text(await anna("A-1003"))
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in text and "order: A-1003" in case.summary


async def test_yeah_do_that_opens_the_offered_case(anna: Say, deps: Deps) -> None:
    await anna("my air fryer A-1005 still hasnt shown up")
    await anna("yeah do that")
    (case,) = await _cases(deps, "100")
    assert "A-1005" in case.summary


def test_what_takes_an_offer_in_plain_words() -> None:
    taken = ("ok please check it", "yeah do that", "麻烦查一下", "可以 帮我弄一下", "go for it")
    for text in taken:
        assert context.takes_it(text), text
    for text in ("ok", "check my order", "我再看看", "do you ship to spain"):
        assert not context.takes_it(text), text


async def test_the_other_order_gets_its_status_not_the_case(anna: Say, deps: Deps) -> None:
    await anna("the kettle from order A-1001 leaks everywhere")
    (before,) = await _cases(deps, "100")
    text = _text(await anna("and the other one? B-2231"))
    (after,) = await _cases(deps, "100")
    assert "SF Express" in text and "B-2231" not in after.summary
    assert after.summary == before.summary


def test_a_number_given_as_the_other_one_is_an_order() -> None:
    (en,) = OrderNumbers().mentions("and the other one? 88411")
    (zh,) = OrderNumbers().mentions("那另一个呢 88521")
    assert (en.value, zh.value, en.certain, zh.certain) == ("88411", "88521", True, True)
    # Not called an order: only a candidate the shop must confirm (it knows no 88411).
    assert [m.certain for m in OrderNumbers().mentions("i have 88411 points")] == [False]


async def test_a_replacement_chosen_goes_on_the_case_as_a_note(anna: Say, deps: Deps) -> None:
    await anna("the kettle from order A-1001 leaks all over the counter")
    text = _text(await anna("yes a replacement please"))
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in text and "replacement" in text and "return label" in text
    notes = await deps.cases.notes(case.number)
    assert [n.text for n in notes] == ["Customer's choice: replacement (said in the chat)"]


def test_the_remedy_a_reply_picks() -> None:
    assert context.chosen_remedy("yes a replacement please") == "replacement"
    assert context.chosen_remedy("换个新的吧") == "replacement"
    assert context.chosen_remedy("just refund me") == "refund"
    assert context.chosen_remedy("ok thanks") is None


def test_the_remedy_turned_down_in_the_same_breath_is_not_the_choice() -> None:
    # The word said last is the one refused: "not a refund" was read as a refund.
    for text in ("i want a new one not a refund", "a new one instead of a refund please"):
        assert context.chosen_remedy(text) == "replacement", text
    assert context.chosen_remedy("我要换个新的 不要退款") == "replacement"
    assert context.chosen_remedy("not a replacement, just refund me") == "refund"
    assert context.chosen_remedy("我要退款 不要换") == "refund"


def test_the_exchange_called_off_for_the_money_is_a_refund() -> None:
    for text in (
        "changed my mind, cancel the exchange and refund me",
        "forget the replacement, refund instead pls",
        "还是退款吧 换货取消",
        "取消换货 直接退钱",
    ):
        assert context.chosen_remedy(text) == "refund", text
    assert context.chosen_remedy("cancel the exchange") is None  # no other remedy named


async def test_a_new_one_not_a_refund_goes_on_the_case_as_a_replacement(
    anna: Say, deps: Deps
) -> None:
    await anna("the kettle from order A-1001 leaks all over the counter")
    text = _text(await anna("i want a new one not a refund"))
    (case,) = await _cases(deps, "100")
    assert "replacement" in text
    notes = await deps.cases.notes(case.number)
    assert [n.text for n in notes] == ["Customer's choice: replacement (said in the chat)"]
