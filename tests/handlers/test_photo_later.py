"""A photo of the problem promised for later ("ill send a photo later", "等下拍给你") with a
faulty item's case open: the case kept open and waiting for it, never a no nor a remedy."""

from __future__ import annotations

from crm_memory import Case, CaseStatus, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


async def test_photo_later_keeps_the_case_waiting_for_it(anna: Say, deps: Deps) -> None:
    await anna("the coffee machine from A-1003 arrived with a cracked water tank")
    reply = _text(await anna("ill send a photo later"))
    (case,) = await _cases(deps, "100")
    assert case.status is not CaseStatus.CLOSED
    assert f"#{case.number}" in reply and "photo" in reply
    assert "anything else" not in reply.lower() and "replacement" not in reply.lower()
    notes = await deps.cases.notes(case.number)
    assert any("Photo to follow" in n.text for n in notes)


async def test_no_pic_right_now_is_no_no(anna: Say, deps: Deps) -> None:
    await anna("B-2232 came and the backpack zip is broken")
    reply = _text(await anna("don't have a pic rn"))
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in reply and "anything else" not in reply.lower()


async def test_chinese_photo_later(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1003的咖啡机水箱裂了")
    reply = _text(await wang("手机没电了 明天发照片行吗"))
    (case,) = await _cases(deps, "200")
    assert f"#{case.number}" in reply and "照片" in reply


async def test_photo_later_without_a_case_is_not_read_as_such(anna: Say, deps: Deps) -> None:
    await anna("whats your returns policy")
    reply = _text(await anna("ill send a photo later"))
    assert await _cases(deps, "100") == []
    assert "stays open" not in reply


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))
