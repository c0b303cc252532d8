"""The customer's own phone or e-mail, and a call back asked for, noted on their open case
and confirmed: never the shop's phone line, a person handed over, or the account's settings."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from handlers.reach_back import EMAIL_NOTE, PHONE_NOTE, email_in, phone_in
from handlers.turn import Deps
from tests.handlers.conftest import make_say


def test_phone_and_email_as_written() -> None:
    assert phone_in("btw my number is 07700 900456 if u need it") == "07700 900456"
    assert phone_in("我手机号是138 0013 8000") == "138 0013 8000"
    assert phone_in("我电话是13800138000 有事打我") == "13800138000"
    assert phone_in("where is order 61001") is None  # an order number is no phone
    assert email_in("邮箱是chenjing88@qq.com") == "chenjing88@qq.com"
    assert email_in("is it support@acme-home.example?") is None  # the shop's own


async def test_number_in_passing_goes_on_the_case(dispatcher: Dispatcher, deps: Deps) -> None:
    say = make_say(dispatcher, "4501", "Farah")
    await say("the coffee machine from A-1003 leaks from the bottom")
    (reply,) = await say("btw my number is 07700 900456 if u need it")
    assert "#1" in reply.text and "07700 900456" in reply.text, reply.text
    assert "+44 20" not in reply.text, reply.text  # not the shop's line
    notes = [n.text for n in await deps.cases.notes(1)]
    assert f"{PHONE_NOTE} 07700 900456" in notes, notes
    assert "07700 900456" in (await deps.cases.get(1)).summary


async def test_zh_call_back_with_number_one_request(dispatcher: Dispatcher, deps: Deps) -> None:
    say = make_say(dispatcher, "4502", "王芳", "zh")
    await say("订单A-1003的咖啡机收到就坏了 插上电没反应")
    replies = await say("给我回个电话吧 我手机号是138 0013 8000")
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "138 0013 8000" in text and "回电" in text, text
    assert "账户" not in text, text  # not the account's settings
    (later,) = await say("打电话给我")
    assert "138 0013 8000" in later.text and "订单号" not in later.text, later.text


async def test_call_back_without_number_then_bare_number(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "4503", "Jo")
    await say("the coffee machine from A-1003 came with a cracked side")
    (asked,) = await say("can someone just give me a call about this")
    assert "#1" in asked.text and "number" in asked.text, asked.text
    (noted,) = await say("07700 900777")
    assert "07700 900777" in noted.text and "Monday to Friday" in noted.text, noted.text


async def test_email_in_passing_zh(dispatcher: Dispatcher, deps: Deps) -> None:
    say = make_say(dispatcher, "4504", "陈静", "zh")
    await say("A-1003的咖啡机底下漏水")
    (reply,) = await say("邮箱是chenjing88@qq.com")
    assert "chenjing88@qq.com" in reply.text and "#1" in reply.text, reply.text
    notes = [n.text for n in await deps.cases.notes(1)]
    assert f"{EMAIL_NOTE} chenjing88@qq.com" in notes, notes


async def test_courier_to_ring_first_is_no_call_back(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4505", "小李", "zh")
    await say("订单A-1003的咖啡机收到就坏了")
    replies = await say("到了先打我电话")
    assert not any("回电" in r.text for r in replies), replies


async def test_redirect_with_the_address_is_the_new_address(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4506", "Ivo")
    await say("has A-1002 shipped yet")
    replies = await say("actually send it to 12 Park Rd, Bristol BS1 4DJ instead")
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "A-1002" in text, text
    assert "send me the new address" not in text.lower(), text
