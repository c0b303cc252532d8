"""Sarcasm and venting while a case is open: an apology and where the case stands (when the
team is back, out of hours), on the case, never thanked nor stored as praise."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crm_memory import ChannelIdentity
from handlers.cases import waited_said
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say

ANNA = ChannelIdentity("telegram", "100")
THANKED = ("thank you", "thanks for", "pass that on", "谢谢", "感谢", "转达")


@pytest.mark.parametrize(
    ("opener", "bitter", "language"),
    [
        ("the kettle from order A-1003 leaks", "brilliant. just brilliant. still waiting", "en"),
        ("the kettle from order A-1003 leaks", "great, still no reply from anyone", "en"),
        ("A-1003的咖啡机漏水", "服务真好啊 一个多礼拜了连个回复都木有", "zh"),
        ("A-1003的咖啡机漏水", "呵呵 谢谢你们啊 问题一点没解决", "zh"),
    ],
)
async def test_bitter_words_get_an_apology_on_the_case_not_thanks(
    dispatcher: Dispatcher, deps: Deps, opener: str, bitter: str, language: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(opener)
    replies = await say(bitter)
    text = " ".join(r.text for r in replies)
    assert "#1" in text
    assert ("sorry" in text.lower()) if language == "en" else ("抱歉" in text or "对不起" in text)
    assert not any(word in text.lower() for word in THANKED)
    customer = await deps.customers.find(ANNA)
    assert customer is not None
    assert all(f.sentiment <= 0 for f in await deps.feedback.for_customer(customer.id))
    # The complaint is noted on the case, in its summary or a note of its own.
    notes = [n.text for n in await deps.cases.notes(1)]
    assert bitter in (await deps.cases.get(1)).summary or any(bitter in n for n in notes)
    assert len(await deps.cases.for_customer(customer.id)) == 1


async def test_out_of_hours_the_apology_says_when_the_team_is_back(
    deps: Deps, engine: BuiltinEngine
) -> None:
    monday_evening = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)
    hours = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")
    closed = Dispatcher(deps=replace(deps, hours=hours, clock=lambda: monday_evening), nlu=engine)
    say = make_say(closed, "100", "Anna")
    await say("the kettle from order A-1003 leaks")
    (reply,) = await say("so nobody till tomorrow great")
    assert "sorry" in reply.text.lower() and "#1" in reply.text
    assert "back Tuesday 09:00" in reply.text
    assert "thank" not in reply.text.lower()


@pytest.mark.parametrize(
    ("text", "waited"),
    [
        ("服务真好啊 一个多礼拜了连个回复都木有", "一个多礼拜"),
        ("三天了还没人理我", "三天"),
        ("买了三天就坏了", None),
        ("才用了两天也坏了", None),
    ],
)
def test_a_wait_told_in_chinese_is_read_not_the_items_age(text: str, waited: str | None) -> None:
    assert waited_said(text) == waited
