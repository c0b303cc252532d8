"""What customers ask of a case or of the chat itself, in so many words: a double charge with
its order number, "make it urgent", "能说中文吗" (issue #15). Held-out wordings."""

from __future__ import annotations

import pytest

from crm_memory import Case, ChannelIdentity, Priority
from handlers.dispatcher import Dispatcher
from handlers.greeting import only_asks_language, requested_language
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


# --- a double charge with the order number: the payments team's case at once -------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "got billed two times for order A-1002, can someone check"),
        ("en", "theres a duplicate payment for A-1001 on my card"),
        ("zh", "A-1001 付了款但是订单没生成"),
        ("zh", "A-1001 同一单扣了两次钱 怎么回事"),
    ],
)
async def test_a_double_charge_with_its_order_opens_the_payment_case(
    dispatcher: Dispatcher, deps: Deps, language: str, said: str
) -> None:
    say = make_say(dispatcher, "510", "Dana", language)
    text = _text(await say(said))
    (case,) = await _cases(deps, "510")
    order = "A-1001" if "A-1001" in said else "A-1002"
    assert order in case.summary and f"#{case.number}" in text
    assert "order number" not in text and "订单号" not in text


async def test_a_failed_payment_is_no_case(dispatcher: Dispatcher, deps: Deps) -> None:
    # The bank's decline is the bank's: the answer, no case for the payments team.
    say = make_say(dispatcher, "511", "Ola")
    await say("my card got declined when paying for A-1001")
    assert await _cases(deps, "511") == []


# --- "make it urgent": the open case's priority ---------------------------------------------


async def test_make_it_urgent_raises_the_open_case(anna: Say, deps: Deps) -> None:
    await anna("the kettle from A-1001 leaks all over the counter")
    (before,) = await _cases(deps, "100")
    text = _text(await anna("can you please make this urgent, i have guests this weekend"))
    (after,) = await _cases(deps, "100")
    assert after.priority.rank > before.priority.rank
    assert after.priority.rank >= Priority.HIGH.rank
    assert f"#{after.number}" in text and "refund" not in text
    notes = await deps.cases.notes(after.number)
    assert any("guests" in note.text for note in notes)


async def test_chinese_hurry_raises_the_open_case(dispatcher: Dispatcher, deps: Deps) -> None:
    chen = make_say(dispatcher, "512", "陈姐", "zh")
    await chen("A-1002 的锅收到就是坏的 把手掉了")
    await chen("能不能帮我催一下 加急处理 很急用")
    (case,) = await _cases(deps, "512")
    assert case.priority.rank >= Priority.HIGH.rank


async def test_hurry_without_an_open_case_opens_nothing_by_itself(
    anna: Say, deps: Deps
) -> None:
    text = _text(await anna("please make it urgent"))
    assert await _cases(deps, "100") == []
    assert "priority" not in text


# --- "能说中文吗": answered in the language asked for -----------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "alone"),
    [
        ("可以说中文吗", "zh", True),
        ("hi there, do u speak chinese?", "zh", True),
        ("能用英文交流吗", "en", True),
        ("english pls", "en", True),
        ("能说中文吗 A-1001到哪了", "zh", False),
        ("the manual is only in chinese", None, False),
        ("用英文写的说明书看不懂", None, False),
        ("my wife speaks chinese, she ordered it", None, False),
    ],
)
def test_the_language_asked_for(text: str, language: str | None, alone: bool) -> None:
    assert requested_language(text) == language
    assert only_asks_language(text) is alone


async def test_asked_for_chinese_in_english_the_bot_answers_in_chinese(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wei = make_say(dispatcher, "513", "Wei", "en")
    await wei("hello")
    text = _text(await wei("can you speak chinese?"))
    assert "中文" in text
    customer = await deps.customers.find(ChannelIdentity("telegram", "513"))
    assert customer is not None and customer.language == "zh"
