""""how come?" / "为啥" right after a change refused for a shipped order: the reason, once."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def test_why_not_after_a_shipped_cancel_is_the_reason(say: Say) -> None:
    refused = _text(await say("i need to cancel A-1001 pls"))
    assert "refuse" in refused
    why = _text(await say("why not?"))
    # The reason (with the carrier), not the refusal again and not a person.
    assert "shipped" in why and "DHL" in why and "refuse" not in why, why
    assert "person" not in why.lower()


async def test_zh_weisha_after_express_refused(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1001能加急吗")
    why = _text(await wang("为啥不行啊"))
    assert "已经发货" in why and "DHL" in why, why


async def test_why_without_a_refusal_is_not_the_shipped_reason(say: Say) -> None:
    await say("where is A-1002")
    why = _text(await say("how come?"))
    assert "in DHL's network" not in why and "network now" not in why, why


async def test_zenme_hui_zheyang_with_a_case_open_is_the_reason_not_the_case(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "201", "小王", "zh")
    await wang("A-1003的咖啡机水箱裂了")
    await wang("另一个订单A-1001帮我取消")
    why = _text(await wang("怎么会这样"))
    assert "已经发货" in why and "DHL" in why and "已创建" not in why, why
