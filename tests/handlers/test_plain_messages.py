"""Plain messages read right (issue #15): praise of a wait is sarcasm, the reason inside a
return does not hide the return, a failed payment offers a person without bringing one in,
and a fact told about the order in hand is answered with the order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import Priority, use_clock
from handlers.dispatcher import Dispatcher
from handlers.sarcasm import ironic_praise, praise_about_wait
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import Clock, make_say

TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "sarcastic"),
    [
        ("great, still waiting", True),
        ("wonderful, day 3 and nothing", True),
        ("so nobody has looked at it yet?? great", True),
        ("brilliant, 5 days now and not a word", True),
        ("真棒 还是没人理", True),
        ("可以啊 三天了没动静", True),
        # Thanks for being told to wait, praise with no wait: not this.
        ("thanks, ill wait then", False),
        ("great thanks", False),
        ("太好了 谢谢", False),
        # A fault with praise is the complaint readings'.
        ("great, still waiting and now its leaking too", False),
    ],
)
def test_praise_of_a_wait_is_sarcasm(text: str, sarcastic: bool) -> None:
    assert praise_about_wait(text) is sarcastic


@pytest.mark.parametrize(
    ("text", "ironic"),
    [
        ("lovely service as always", True),
        ("great job as usual", True),
        ("服务一如既往的好啊", True),
        ("lovely, thank you", False),
        ("服务很好", False),
    ],
)
def test_praise_as_always_is_ironic(text: str, ironic: bool) -> None:
    assert ironic_praise(text) is ironic


async def test_sarcasm_days_on_is_sorry_and_the_case_raised(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4301", "Tom")
    with use_clock(clock):
        await say("the coffee machine from A-1003 wont turn on at all")
        clock.now += timedelta(days=3)
        replies = await say("wonderful, day 3 and nothing")
    text = " ".join(r.text for r in replies)
    assert "sorry" in text.lower() and "#1" in text, text
    assert "thank" not in text.lower(), text
    case = await deps.cases.get(1)
    assert case is not None and case.priority.rank >= Priority.HIGH.rank
    assert len(await deps.cases.for_customer(1)) == 1
    feedback = await deps.feedback.for_customer(1)
    assert all(f.sentiment <= 0 for f in feedback)


async def test_sarcasm_the_same_day_is_sorry_not_thanks(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4302", "Mia")
    await say("the coffee machine from A-1003 came with a cracked jug")
    replies = await say("lovely service as always")
    text = " ".join(r.text for r in replies)
    assert "sorry" in text.lower() and "#1" in text, text
    assert "thank you so much" not in text.lower(), text


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("i want to send back the headphones they hurt my ears", "en", "30 days"),
        ("returning the blender its too loud", "en", "30 days"),
        ("can i return these trainers, they rub my heel", "en", "30 days"),
        ("想退 穿着不舒服", "zh", "30 天"),
        ("这个鞋子有点挤脚 退了吧", "zh", "30 天"),
        # Opened packaging: opened is fine, not the answer for a box thrown away.
        ("i opened the box and tore the plastic wrap, can i still return it", "en", "Opened"),
        ("盒子还在 就是膜撕了 还能退不", "zh", "拆封"),
        # A "broken" seal is the packaging, not a fault: no case.
        ("the seal is broken since i opened it, can it still go back?", "en", "Opened"),
        ("包装膜破了 东西是好的 还能退吗", "zh", "拆封"),
    ],
)
async def test_a_return_with_its_reason(
    dispatcher: Dispatcher, text: str, language: str, words: str
) -> None:
    say = make_say(dispatcher, "4303", "Sam", language)
    replies = await say(text)
    said = " ".join(r.text for r in replies)
    assert words in said, said
    assert "without the original box" not in said and "没有原包装也可以" not in said, said
    assert not await dispatcher.deps.cases.for_customer(1)


@pytest.mark.parametrize(
    ("failing", "language", "card", "amex"),
    [
        ("hi trying to pay with alipay and it keeps failing??", "en",
         "ill use my card. do u take amex", "American Express"),
        ("花呗付不了", "zh", "那我刷信用卡吧 运通卡收吗", "美国运通"),
    ],
)
async def test_a_failed_payment_offers_a_person_and_opens_nothing(
    dispatcher: Dispatcher, failing: str, language: str, card: str, amex: str
) -> None:
    say = make_say(dispatcher, "4304", "Lee", language)
    (failed,) = await say(failing)
    assert "human" in [b.payload for b in failed.buttons], failed
    assert not await dispatcher.deps.cases.for_customer(1)
    replies = await say(card)
    said = " ".join(r.text for r in replies)
    assert amex in said, said
    assert not await dispatcher.deps.cases.for_customer(1)


async def test_a_fact_told_about_the_order_in_hand(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4305", "Ravi")
    await say("where is my order A-1001")
    replies = await say("it shipped yesterday i think")
    said = " ".join(r.text for r in replies)
    assert "A-1001" in said and "DHL" in said, said
