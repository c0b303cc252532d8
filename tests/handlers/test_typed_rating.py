"""A rating typed in answer to the survey is stored as the buttons would store it, and a
customer who says they are done gets a goodbye with no question back."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from handlers.greeting import says_done
from handlers.survey import typed_rating
from handlers.turn import Deps
from tests.handlers.conftest import FakeDesk, Say, make_say

ANNA = ChannelIdentity("telegram", "100")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 thanks", (5, "thanks")),
        ("3/5 ok i guess, took ages", (3, "ok i guess, took ages")),
        ("4 - fine but slow", (4, "fine but slow")),
        ("1 star, useless", (1, "useless")),
        ("i'd give it a 4", (4, "")),
        ("4 还行吧 就是慢了点", (4, "还行吧 就是慢了点")),
        ("五星 谢谢", (5, "谢谢")),
        ("给4分吧", (4, "")),
        ("三星", (3, "")),
        # after an "ok", or marked as a rating anywhere in the answer
        ("ok 4", (4, "")),
        ("well 3 stars i guess, nice agent but it dragged on", (3, "nice agent but it dragged on")),
        ("friendly but slow, 2/5", (2, "friendly but slow")),
        ("嗯 4分", (4, "")),
        ("客服态度还行 给个3星吧", (3, "客服态度还行")),
    ],
)
def test_a_rating_opening_the_message_is_read(text: str, expected: tuple[int, str]) -> None:
    assert typed_rating(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2 more questions",
        "3 days and nothing",
        "3天了还没人理",
        "5-6 days",
        "4.5",
        "10/10",
        "A-1001",
        "2x water bottle",
        "一直没人回",
        "我等了3分钟",
        "waited 5 hours for an answer",
        "4.5 stars",
    ],
)
def test_a_number_that_counts_something_is_no_rating(text: str) -> None:
    assert typed_rating(text) is None


async def _closed_case(say: Say, agents: AgentService, desk: FakeDesk) -> int:
    await say("the kettle from order A-1003 leaks, I want a person")
    number = desk.handoffs[-1].case.number
    await agents.close(number, "Maria")
    return number


async def test_a_typed_rating_and_comment_are_stored_as_the_buttons_would(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    number = await _closed_case(say, agents, desk)
    (reply,) = await say("3/5 ok i guess, took ages")
    assert "sorry" in reply.text.lower()  # "took ages": an apology with the thanks
    assert (await deps.cases.get(number)).csat == 3
    customer = await deps.customers.find(ANNA)
    assert customer is not None
    (rating,) = await deps.surveys.for_customer(customer.id)
    assert (rating.rating, rating.case_number, rating.comment) == (
        3,
        number,
        "ok i guess, took ages",
    )


async def test_a_low_typed_rating_alerts_the_lead_and_asks_nothing_more_when_it_says_why(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    number = await _closed_case(say, agents, desk)
    (reply,) = await say("2 nobody called me back")
    assert "?" not in reply.text
    assert desk.alerts == [f"⚠️ Case #{number} was rated 2/5 by Anna"]
    assert (await deps.cases.get(number)).csat == 2


async def test_a_number_is_no_rating_once_the_customer_has_moved_on(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    number = await _closed_case(say, agents, desk)
    await say("where is order A-1001")
    await say("5")
    assert (await deps.cases.get(number)).csat is None


async def test_another_customers_closed_case_is_not_rated(
    say: Say, agents: AgentService, desk: FakeDesk, dispatcher_with_desk: Dispatcher, deps: Deps
) -> None:
    number = await _closed_case(say, agents, desk)
    bob = make_say(dispatcher_with_desk, "200", "Bob")
    await bob("5 thanks")
    assert (await deps.cases.get(number)).csat is None


@pytest.mark.parametrize(
    "text",
    [
        "thats all cheers",
        "nothing else thanks",
        "im good thanks",
        "没了 谢谢",
        "没别的了 谢谢哈",
        "好的 就这些 谢谢",
    ],
)
def test_done_is_read(text: str) -> None:
    assert says_done(text)


@pytest.mark.parametrize("text", ["thanks", "thank you so much", "谢谢", "is that all?", "多谢"])
def test_plain_thanks_is_not_done(text: str) -> None:
    assert not says_done(text)


@pytest.mark.parametrize(("text", "language"), [("thats all cheers", "en"), ("没了 谢谢", "zh")])
async def test_done_with_a_case_open_closes_warmly_with_the_case(
    dispatcher_with_desk: Dispatcher, text: str, language: str
) -> None:
    say = make_say(dispatcher_with_desk, "300", "Kai", language)
    opener = "the kettle from order A-1003 leaks" if language == "en" else "A-1003的水壶漏水"
    await say(opener)
    replies = await say(text)
    joined = " ".join(r.text for r in replies)
    assert "#" in joined
    assert "?" not in joined and "？" not in joined
    assert not any(b.payload.startswith("botrate") for r in replies for b in r.buttons)
