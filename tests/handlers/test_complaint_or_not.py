"""What is a complaint and what is not (issue #15): a payment that failed before any order
gets what to try and the other ways, a charge with no order the holds that drop off (no case,
no order asked for); a change of mind after trying gets the used-item return rules; a defect
said sarcastically or casually is a case; a deadline vented with a case open goes on the
case, never the team's weekend hours."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity, Priority
from handlers import context, next_step
from handlers.dispatcher import Dispatcher
from handlers.returns import used_and_disliked, used_wants_return
from handlers.turn import Deps
from tests.handlers.conftest import make_say


async def _cases(deps: Deps, user: str) -> int:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return 0 if customer is None else len(await deps.cases.for_customer(customer.id))


@pytest.mark.parametrize(
    ("first", "more", "language", "words"),
    [
        ("card declined when i try to pay", "its a visa, tried twice", "en", "PayPal"),
        ("my payment keeps failing", "mastercard. tried like 3 times", "en", "billing address"),
        ("信用卡支付失败", "试了好几次了", "zh", "支付宝"),
    ],
)
async def test_more_about_a_failed_payment_is_its_checks_not_a_case(
    dispatcher: Dispatcher, deps: Deps, first: str, more: str, language: str, words: str
) -> None:
    say = make_say(dispatcher, "5101", "Tom", language)
    await say(first)
    replies = await say(more)
    text = " ".join(r.text for r in replies)
    assert words in text, text
    assert "order number" not in text and "订单号" not in text and "#" not in text, text
    assert await _cases(deps, "5101") == 0


@pytest.mark.parametrize(
    ("text", "language", "words", "why"),
    [
        ("i got charged twice but no order went through", "en", "3 working days", "why tho"),
        ("扣了两次钱但没下单成功", "zh", "3 个工作日", "为啥会扣两次"),
    ],
)
async def test_a_charge_with_no_order_is_the_holds_answer_without_an_order_asked(
    dispatcher: Dispatcher, deps: Deps, text: str, language: str, words: str, why: str
) -> None:
    say = make_say(dispatcher, "5102", "Maya", language)
    replies = await say(text)
    said = " ".join(r.text for r in replies)
    assert words in said, said
    assert "order number" not in said and "订单号" not in said, said
    # Not the refund-after-return text, nor a case.
    assert "return" not in said.lower() and "退货" not in said, said
    reason = " ".join(r.text for r in await say(why))
    assert "hold" in reason or "冻结" in reason, reason
    assert await _cases(deps, "5102") == 0


@pytest.mark.parametrize(
    ("money", "language"),
    [
        ("the money is gone twice, not a hold", "en"),
        ("it's not pending, it's been taken twice from my account", "en"),
        ("钱真的被扣走了两次 不是冻结", "zh"),
    ],
)
async def test_money_said_gone_with_a_payment_case_open_is_never_the_no_order_hold(
    dispatcher: Dispatcher, money: str, language: str
) -> None:
    # The hold's entry needs "no order" said (faq.yml needs): here there is a case on it.
    say = make_say(dispatcher, "5103", "Maya", language)
    await say("i got charged twice for my blender" if language == "en" else "搅拌机扣了我两次钱")
    said = " ".join(r.text for r in await say(money))
    assert "no money was taken" not in said and "钱就没有真的被扣走" not in said, said


@pytest.mark.parametrize(
    ("text", "check", "language", "words"),
    [
        ("i see 2 pending charges but no order", "so i just wait?", "en", "nothing to do"),
        ("charged twice, order didnt go through", "do i just leave it", "en", "nothing to do"),
        ("扣了两次钱但没下单成功", "那我就等着？", "zh", "等着就行"),
        ("扣款了但是订单没生成", "所以不用管它了是吧", "zh", "等着就行"),
    ],
)
async def test_just_wait_after_the_holds_answer_is_yes_and_for_how_long(
    dispatcher: Dispatcher, text: str, check: str, language: str, words: str
) -> None:
    # "so i just wait?" checks the answer's advice: the entry's next step, not a fallback
    # nor another topic's text.
    say = make_say(dispatcher, "5104", "Maya", language)
    await say(text)
    said = " ".join(r.text for r in await say(check))
    assert words in said and ("3 working days" in said or "3 个工作日" in said), said


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("so i just wait?", True),
        ("nothing for me to do then?", True),
        ("等着就行吗", True),
        ("ive been waiting for 2 weeks", False),
        ("i cant wait any longer", False),
        ("我等着你们回复", False),
    ],
)
def test_checking_that_nothing_is_to_be_done_asks_the_next_step(text: str, asked: bool) -> None:
    assert next_step.asks(text) is asked


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("tracking says my coffee machine was delivered tuesday but theres nothing here", True),
        ("app shows the parcel as delivered yesterday, no sign of it", True),
        ("says delivered but i cant find it anywhere", True),
        ("显示已签收 门口啥也没有", True),
        ("显示已签收 快递柜里也找不到", True),
        ("tracking says delivered, thanks got it", False),
        ("status says delivered, where do i return it", False),
    ],
)
def test_delivered_on_the_tracking_but_not_here_is_a_missing_parcel(
    text: str, missing: bool
) -> None:
    assert context.delivered_not_received(text) is missing


async def test_delivered_but_nothing_here_with_the_order_opens_the_missing_parcel_case(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "5105", "Priya", "en")
    said = " ".join(
        r.text
        for r in await say(
            "tracking says my coffee machine was delivered tuesday but theres nothing here. A-1003"
        )
    )
    assert "If it didn't reach you" not in said, said
    assert await _cases(deps, "5105") == 1


def test_the_no_order_hold_entry_needs_no_order_said(deps: Deps) -> None:
    entry = deps.knowledge.entry("charge-no-order")
    assert entry is not None
    assert entry.fits("charged twice but no order went through")
    assert entry.fits("扣了两次钱但没下单成功")
    assert not entry.fits("the money is gone twice, not a hold")
    assert deps.knowledge.find("the money is gone twice, not a hold") is not entry


@pytest.mark.parametrize(
    ("text", "tried"),
    [
        ("tried them on, dont like the sound", True),
        ("wore it once, not for me", True),
        ("就试戴了一下 音质不喜欢", True),
        ("试穿了 不太喜欢这个颜色", True),
        # A fault after trying is a complaint, not taste.
        ("tried them on and the left one doesnt work", False),
        ("试戴了一下 一边没声音", False),
        # Taste without use is the ordinary change of mind.
        ("dont like the colour", False),
    ],
)
def test_a_change_of_mind_after_trying(text: str, tried: bool) -> None:
    assert used_and_disliked(text) is tried


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("used it twice, can i still return it", True),
        ("wore the jacket once, can i send it back", True),
        ("i washed the sheets once, can they go back", True),
        ("tried the headphones for a week, want to return them", True),
        ("opened and used it, can i get a refund", True),
        ("戴过两次 想退", True),
        ("拆封用过了 还能退吗", True),
        ("洗过一次 还能退不", True),
        ("used it twice and it broke, can i return it", False),  # a fault: a case
        ("i already used the return label, where do i drop it", False),  # not the item
        ("用过优惠券了 还能退吗", False),
        ("used it twice, how long does a refund take", False),
    ],
)
def test_a_used_item_asked_back(text: str, expected: bool) -> None:
    assert used_wants_return(text) is expected


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("tried them on, dont like the sound tbh", "en", "unused"),
        ("就试戴了一下 音质不喜欢", "zh", "未使用"),
        ("wore the jacket once, can i send it back", "en", "unused"),
        ("戴过两次 想退", "zh", "未使用"),
        ("the colour looks different irl, dont want it", "en", "Exchange"),
        ("颜色和图上不太一样 不想要了", "zh", "换货"),
    ],
)
async def test_a_change_of_mind_gets_the_return_rules_and_no_case(
    dispatcher: Dispatcher, deps: Deps, text: str, language: str, words: str
) -> None:
    say = make_say(dispatcher, "5103", "Ben", language)
    replies = await say(text)
    said = " ".join(r.text for r in replies)
    assert words in said and "#" not in said, said
    assert await _cases(deps, "5103") == 0


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("great, left earbud died after 3 days, amazing quality", "en", "replacement"),
        ("好家伙 耳机用了三天就挂了 真行", "zh", "换货"),
    ],
)
async def test_a_sarcastic_defect_is_a_case_with_the_replacement_path(
    dispatcher: Dispatcher, deps: Deps, text: str, language: str, words: str
) -> None:
    say = make_say(dispatcher, "5104", "Kai", language)
    said = " ".join(r.text for r in await say(text))
    assert words in said and "#1" in said, said
    assert await _cases(deps, "5104") == 1


@pytest.mark.parametrize(
    ("vent", "language", "day"),
    [
        ("this is so annoying i needed it for the weekend", "en", "weekend"),
        ("烦死了 周末要用的", "zh", "周末"),
        # No venting word: the deadline alone is for the case, not the weekend hours.
        ("i needed it for the weekend", "en", "weekend"),
        ("周末要用的", "zh", "周末"),
    ],
)
async def test_a_deadline_vented_with_a_case_open_goes_on_the_case(
    dispatcher: Dispatcher, deps: Deps, vent: str, language: str, day: str
) -> None:
    say = make_say(dispatcher, "5105", "Lea", language)
    await say("the kettle from A-1003 leaks" if language == "en" else "A-1003的水壶漏水")
    said = " ".join(r.text for r in await say(vent))
    assert day in said and "#1" in said, said
    # Not the team's weekend hours.
    assert "10:00" not in said, said
    assert (await deps.cases.get(1)).priority.rank >= Priority.HIGH.rank
    assert any(day in n.text for n in await deps.cases.notes(1))


@pytest.mark.parametrize(
    ("opener", "why", "language", "words"),
    [
        # A late order: its carrier and how late, and the team finding out on the case.
        ("A-1005 is late, open a case please", "why is it late", "en", "DPD"),
        ("A-1005怎么还没到 给我开个工单", "为啥还没到", "zh", "DPD"),
        # A faulty item: honestly that the team is checking, with the case's state.
        ("the kettle from A-1003 leaks", "how come it broke so fast", "en", "team"),
    ],
)
async def test_why_with_a_case_open_is_the_cause_known_not_the_status_alone(
    dispatcher: Dispatcher, deps: Deps, opener: str, why: str, language: str, words: str
) -> None:
    say = make_say(dispatcher, "5106", "Lea", language)
    await say(opener)
    said = " ".join(r.text for r in await say(why))
    assert words in said and "#1" in said, said
    assert await _cases(deps, "5106") == 1
