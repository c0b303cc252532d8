""" "How long" with a case open answers the step asked after (the carrier check, the refund)
by policy; a wait past a working day gets an apology; "when will someone get back to me"
out of hours ties the team's return to the case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import use_clock
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("opener", "question", "language", "expected"),
    [
        (
            "tracking says A-1003 was delivered but i never got anything",
            "ok how long will that take",
            "en",
            "2 working days",
        ),
        ("A-1003 显示已签收 可是我根本没收到", "那查件要几天啊", "zh", "2 个工作日"),
        (
            "the coffee machine from A-1003 is cracked, i just want a refund",
            "and how long till i actually get the money",
            "en",
            "3-5 working days after the item",
        ),
        ("A-1003 咖啡机裂了 我要退款", "多久能退", "zh", "3-5 个工作日"),
    ],
)
async def test_how_long_answers_the_step_not_the_queue(
    dispatcher: Dispatcher, opener: str, question: str, language: str, expected: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(opener)
    replies = await say(question)
    text = " ".join(r.text for r in replies)
    assert expected in text and "#1" in text
    assert "queue" not in text and "队列" not in text


async def test_a_wait_past_a_working_day_gets_an_apology_and_a_note(
    deps: Deps, engine: BuiltinEngine
) -> None:
    now = [datetime(2026, 11, 23, 10, 0, tzinfo=UTC)]
    dispatcher = Dispatcher(deps=replace(deps, clock=lambda: now[0]), nlu=engine)
    say = make_say(dispatcher, "100", "Anna")
    with use_clock(lambda: now[0]):
        await say("the kettle from order A-1003 leaks, I want a person")
        now[0] += timedelta(days=2)
        (reply,) = await say("when will someone actually contact me")
    assert "sorry" in reply.text.lower() and "2 days" in reply.text and "#1" in reply.text
    assert any("waited 2 days" in n.text for n in await deps.cases.notes(1))


async def test_when_someone_answers_out_of_hours_names_the_case_and_the_return(
    deps: Deps, engine: BuiltinEngine
) -> None:
    evening = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 21:00 in Shanghai
    hours = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "Asia/Shanghai")
    dispatcher = Dispatcher(deps=replace(deps, hours=hours, clock=lambda: evening), nlu=engine)
    say = make_say(dispatcher, "100", "Anna", "zh")
    with use_clock(lambda: evening):  # the case opened this evening, not days ago
        await say("A-1003 咖啡机坏了 煮出来是凉的")
        replies = await say("明天几点有人回我")
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "回来" in text and "09:00" in text
