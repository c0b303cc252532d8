"""A short follow-up keeps the delivery subject it follows (issue #15): a bare day after an
order's date is whether the courier comes then, "how do i change it on dpd" after a redirect
answer is where on the courier's page, and "when is it issued" about an order not shipped yet
is the day it ships. Held-out wordings, not lines of the conversation files."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crm_memory import use_clock
from handlers.dispatcher import Dispatcher
from handlers.orders import SAMPLE_ORDERS, CsvOrderLookup
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import WeekClock, make_say


def _text(replies: list[object]) -> str:
    return " ".join(getattr(r, "text", "") for r in replies)


@pytest.mark.parametrize(
    ("language", "first", "day", "present"),
    [
        ("en", "where's A-1001 at", "what about sundays", ["Sunday", "A-1001"]),
        ("en", "when is A-1001 coming", "saturday too?", ["Saturday", "A-1001"]),
        ("zh", "A-1001到哪了", "礼拜天呢", ["周日", "A-1001"]),
        ("zh", "A-1001 啥时候到", "周末送不送", ["周日", "A-1001"]),
    ],
)
async def test_a_bare_day_after_an_orders_date_is_the_couriers_day(
    dispatcher: Dispatcher, language: str, first: str, day: str, present: list[str]
) -> None:
    say = make_say(dispatcher, "5901", "Kim", language)
    await say(first)
    text = _text(await say(day))
    for word in present:
        assert word in text, text
    assert "14:00" not in text and "18:00" not in text, text  # not the team's hours


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize(
    ("language", "first", "day", "balks"),
    [
        ("en", "when is A-1001 coming", "saturday too?", False),
        ("zh", "A-1001 几号能到", "礼拜六也派送不", False),
        ("en", "when does C-7781 get here", "thursday?? you serious", True),
        ("zh", "C-7781啥时候能到", "周四？？开玩笑吧", True),
    ],
)
async def test_a_day_asked_about_is_asked_whatever_day_it_is(
    deps: Deps,
    engine: BuiltinEngine,
    weekday: int,
    language: str,
    first: str,
    day: str,
    balks: bool,
) -> None:
    # The order's date falls on another weekday each day of the week: "saturday too?" asks
    # whether the courier comes then even when the date given is that Saturday, and only
    # incredulity balks at the wait.
    clock = WeekClock(WeekClock().start + timedelta(days=weekday))
    dated = replace(
        deps, clock=clock, orders=CsvOrderLookup(SAMPLE_ORDERS, today=clock.start.date())
    )
    say = make_say(Dispatcher(deps=dated, nlu=engine), "5903", "Kim", language)
    with use_clock(clock):
        await say(first)
        text = _text(await say(day))
    sorry = "longer than" in text or "要久" in text
    assert sorry is balks, text


@pytest.mark.parametrize(
    ("language", "first", "day"),
    [("en", "what time are you open", "sunday?"), ("zh", "客服几点上班", "周日呢")],
)
async def test_after_the_hours_a_bare_day_stays_the_teams(
    dispatcher: Dispatcher, language: str, first: str, day: str
) -> None:
    say = make_say(dispatcher, "5902", "Kim", language)
    await say(first)
    text = _text(await say(day))
    assert "courier" not in text.lower() and "快递" not in text, text


@pytest.mark.parametrize(
    ("language", "first", "how", "present"),
    [
        (
            "en",
            "can i change the address on A-1005",
            "where do i do that on dpd",
            ["15501234567890", "e-mail"],
        ),
        ("zh", "A-1005 地址能改吗", "在DPD那边咋弄", ["15501234567890", "邮件"]),
    ],
)
async def test_how_to_on_the_couriers_page_after_a_redirect_answer(
    dispatcher: Dispatcher, language: str, first: str, how: str, present: list[str]
) -> None:
    say = make_say(dispatcher, "5903", "Kim", language)
    assert "15501234567890" in _text(await say(first))
    text = _text(await say(how))
    for word in present:
        assert word in text, text
    assert "can't be chosen" not in text and "不能指定" not in text, text


@pytest.mark.parametrize(
    ("language", "first", "when", "absent"),
    [
        ("en", "need an invoice for C-7781", "when do i get it", "corrected"),
        ("en", "where is C-7781", "and the invoice, when's that issued", "corrected"),
        ("zh", "C-7781 要开发票", "多久能开", "更正"),
    ],
)
async def test_the_invoice_of_an_order_not_shipped_comes_when_it_ships(
    dispatcher: Dispatcher, language: str, first: str, when: str, absent: str
) -> None:
    say = make_say(dispatcher, "5904", "Kim", language)
    await say(first)
    text = _text(await say(when))
    assert "C-7781" in text, text
    assert absent not in text, text


@pytest.mark.parametrize(
    ("language", "story", "question", "present", "absent"),
    [
        ("en", "A-1005 never showed up", "do i have to post anything back?", "nothing", "30 days"),
        ("en", "my parcel A-1005 didnt arrive", "need a return label or", "nothing", "30 days"),
        ("zh", "A-1005 压根没到", "东西要寄回去不", "不用寄回", "30 天"),
    ],
)
async def test_nothing_to_send_back_for_a_parcel_that_never_came(
    dispatcher: Dispatcher, language: str, story: str, question: str, present: str, absent: str
) -> None:
    say = make_say(dispatcher, "5905", "Kim", language)
    await say(story)
    text = _text(await say(question))
    assert present in text and absent not in text, text


async def test_a_faulty_item_still_goes_back_with_its_label(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5906", "Kim", "en")
    await say("the coffee machine from A-1003 is broken, wont turn on")
    text = _text(await say("do i have to send it back?"))
    assert "label" in text and "nothing to send" not in text.lower(), text


@pytest.mark.parametrize(
    ("language", "first", "asked", "present", "absent"),
    [
        (
            "en",
            "is the kettle on A-1001 returnable",
            "who is delivering it then",
            ["DHL", "JD014600003828"],
            "Refunds",
        ),
        (
            "en",
            "invoice for B-2231 please",
            "what courier is it with",
            ["SF Express", "SF1234567890"],
            "by destination",
        ),
        ("zh", "A-1001能退货吗", "哪家快递送的", ["DHL", "JD014600003828"], "欧洲和英国"),
        (
            "zh",
            "B-2231的发票怎么开",
            "用的哪家快递啊",
            ["SF Express", "SF1234567890"],
            "欧洲和英国",
        ),
    ],
)
async def test_the_courier_asked_after_any_talk_of_an_order_is_that_orders(
    dispatcher: Dispatcher, language: str, first: str, asked: str, present: list[str], absent: str
) -> None:
    say = make_say(dispatcher, "5911", "Kim", language)
    await say(first)
    text = _text(await say(asked))
    for word in present:
        assert word in text, text
    assert absent not in text, text
