"""Days someone is in (or not) said as plain words: a note for the courier, said back."""

from __future__ import annotations

import pytest

import handlers.dispatcher  # noqa: F401  (imports the handlers in their working order)
from crm_memory import ChannelIdentity
from handlers import dialogue, instructions
from handlers.turn import Deps
from tests.handlers.conftest import Say


@pytest.mark.parametrize(
    "text",
    [
        "only open mondays",
        "nobody home on tuesday",
        "we're closed on weekends btw",
        "im out all day wednesdays",
        "just home in the evenings",
        "not home on fridays",
        "周二家里没人",
        "只有周一开门哈",
        "白天家里没人",
        "周末不在家",
    ],
)
def test_days_in_or_out_are_a_note(text: str) -> None:
    assert instructions.tells_when_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "nobody was home on tuesday so they took it back",  # a missed delivery, told
        "what if nobody is home on friday",  # asks how it works
        "周二没人 结果快递退回去了",
        "the kettle is only 39",  # no day
        "nobody answers the phone",
    ],
)
def test_other_words_are_no_note(text: str) -> None:
    assert not instructions.tells_when_in(text)


def test_the_note_is_said_back_in_our_words() -> None:
    assert instructions.when_in_gist("only open mondays", "en") == (
        "come only on Monday, when someone is there"
    )
    assert instructions.when_in_gist("nobody home on tuesday", "en") == (
        "not come on Tuesday, as nobody is in then"
    )
    assert instructions.when_in_gist("周二家里没人", "zh") == "周二别送（没人收）"
    assert instructions.when_in_gist("只有周一开门哈", "zh") == "只在周一送"
    assert instructions.when_in_gist("nobody home", "en") is None


async def test_after_an_orders_date_it_is_read_as_a_note(anna: Say, deps: Deps) -> None:
    await anna("when will A-1002 arrive")
    replies = await anna("nobody home on tuesday")
    state = await dialogue.load(deps.state, "telegram:100")
    assert state.readings == ("tells_when_in",)
    assert "Tuesday" in replies[-1].text and "A-1002" in replies[-1].text


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("what if nobody's home on friday", True),
        ("and what happens if im not in on saturday either", True),
        ("周五家里没人怎么办", True),
        ("礼拜五家里没人的话怎么办", True),
        ("要是周六也不在家呢", True),
        # Told, not asked; the team, not who takes the parcel; a delivery gone wrong.
        ("nobody home on tuesday", False),
        ("what if nobody answers till monday", False),
        ("nobody was home on tuesday so what now", False),
    ],
)
def test_what_if_nobody_is_in_is_asked(text: str, asked: bool) -> None:
    assert instructions.asks_when_out(text) is asked


async def test_with_the_orders_case_open_the_day_goes_on_that_case(
    anna: Say, deps: Deps
) -> None:
    await anna("order A-1001 is late, please open a case")
    replies = await anna("what if nobody's home on friday")
    text = " ".join(r.text for r in replies)
    assert "neighbour" in text and "DHL" in text and "A-1001" in text, text
    assert "waiting for our team" not in text, text
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    assert len(await deps.cases.for_customer(customer.id)) == 1
