"""The table of readings: each request is read by the first reading that answers, and the
conversation state says which one did (what `bot test conversations -v` shows)."""

from __future__ import annotations

import inspect

from handlers import dialogue, readings
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import Say, make_say


async def _read_by(deps: Deps, user: str = "100") -> tuple[tuple[str, ...], tuple[str, ...]]:
    state = await dialogue.load(deps.state, f"telegram:{user}")
    return state.intents, state.readings


async def test_each_request_names_the_reading_that_read_it(anna: Say, deps: Deps) -> None:
    await anna("where is my order A-1001")
    assert await _read_by(deps) == (("ask_order_status",), (readings.IN_CONTEXT,))
    await anna("what day is that exactly")
    assert (await _read_by(deps))[1] == ("exact_day",)
    await anna("you should add a dark mode and where is A-1002")
    intents, read_by = await _read_by(deps)
    assert read_by == ("suggestion", readings.IN_CONTEXT)
    assert intents[1] == "ask_order_status"


async def test_the_first_reading_in_the_table_wins(anna: Say, deps: Deps) -> None:
    # Both ask after the case (asks_about_case, later in the table) and ask to close it
    # (close_case, earlier): the earlier reading closes the case rather than giving its status.
    for text in (
        "any update? actually pls close my case its sorted",
        "投诉处理得怎么样了 算了 工单关了吧",
    ):
        await anna("the kettle from order A-1001 leaks")
        await anna(text)
        intents, read_by = await _read_by(deps)
        assert (intents, read_by) == (("close_case",), ("close_case",)), text


async def test_chinese_requests_are_read_by_the_same_table(anna: Say, deps: Deps) -> None:
    await anna("A-1001到哪了")
    await anna("具体哪天")
    assert (await _read_by(deps))[1] == ("exact_day",)
    await anna("能不能加个发货短信提醒")
    assert (await _read_by(deps))[1] == ("suggestion",)


def test_every_reading_is_documented_with_what_customers_write() -> None:
    # The table is read by people deciding where a new reading goes: each says, with an
    # example in quotes, what it reads.
    for rule in readings.READINGS:
        assert inspect.iscoroutinefunction(rule), rule.__name__
        doc = inspect.getdoc(rule) or ""
        assert '"' in doc, f"{rule.__name__} has no example of what it reads"
    names = [rule.__name__ for rule in readings.READINGS]
    assert len(set(names)) == len(names) and readings.IN_CONTEXT not in names


async def test_a_receipt_named_for_the_warranty_is_the_warranty_answer(
    dispatcher: Dispatcher,
) -> None:
    # asks_for_papers reads a receipt asked about as the invoice, unless an entry is named.
    say = make_say(dispatcher, "4601", "小林", "zh")
    (reply,) = await say("没小票了还能保修不")
    assert "保修" in reply.text and "不需要" in reply.text, reply.text


async def test_a_channel_named_in_a_story_of_how_we_treated_them_is_a_complaint(
    anna: Say, deps: Deps
) -> None:
    # "phone", "chat", "电话" inside the story are not the contact answer's to take.
    for text in ("the lady i phoned just hung up on me", "打客服电话 对方态度特别差"):
        await anna(text)
        assert await _read_by(deps) == (("complaint",), ("complains_of_service",)), text


async def test_the_case_number_asked_in_few_words_is_the_number(anna: Say, deps: Deps) -> None:
    await anna("the kettle from order A-1001 leaks")
    for text in ("wats the ticket no", "我那个案子号是多少来着"):
        await anna(text)
        assert await _read_by(deps) == (("ask_case_status",), ("asks_case_number",)), text
