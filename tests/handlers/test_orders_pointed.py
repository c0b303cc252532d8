"""Orders pointed at by position in the list the customer named, or by their date."""

from __future__ import annotations

import handlers.dispatcher  # noqa: F401  (imports the handlers in their working order)
from handlers import followups
from handlers.dialogue import Dialogue
from handlers.turn import Deps
from nlu import ParseResult


def _listed(*numbers: str) -> Dialogue:
    state = Dialogue(turn=1)
    for number in numbers:
        state = state.with_slot("order_number", number)
    state = state.with_slot(followups.LISTED, "|".join(numbers))
    # The second was talked about again since: positions still count in the list.
    return Dialogue(turn=2, slots=state.slots).with_slot("order_number", numbers[1])


def test_positions_count_in_the_list_as_named() -> None:
    state = _listed("A-1001", "A-1002", "B-2231")
    assert followups.pointed_order("and the last one?", state) == "B-2231"
    assert followups.pointed_order("最后一个呢", state) == "B-2231"
    assert followups.pointed_order("the first one", state) == "A-1001"
    assert followups.pointed_order("第三个", state) == "B-2231"
    assert followups.pointed_order("the 2nd one", state) == "A-1002"


async def test_the_newest_and_the_oldest_by_how_far_along(deps: Deps) -> None:
    state = _listed("A-1003", "A-1005", "C-7781")  # delivered, shipped, processing

    async def meant(text: str) -> str | None:
        parse = ParseResult(
            text=text,
            intent="ask_order_status",
            confidence=0.9,
            ranking=(),
            entities=(),
            sentiment=0.0,
            language="zh" if text[0] > "~" else "en",
        )
        found = (await followups.with_order_by_date(parse, state, deps)).entity("order_number")
        return found.value if found is not None else None

    assert await meant("whats the newest one") == "C-7781"
    assert await meant("最新那个呢") == "C-7781"
    assert await meant("the oldest order?") == "A-1003"
    assert await meant("any latest news") is None
    assert await meant("有最新消息吗") is None
