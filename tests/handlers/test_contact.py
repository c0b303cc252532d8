"""How to reach the shop: its phone line, e-mail and this chat, answered from the knowledge
base (not the account's settings, not a person brought in unasked), and "what about email
then" after that answer stays on contact."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_phone_then_email_follow_up(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3601", "Jo")
    (phone,) = await say("whats the phone number")
    assert "+44" in phone.text and "/agent" in phone.text, phone.text
    (email,) = await say("ok what about email then")
    assert "support@" in email.text, email.text
    assert "Account" not in email.text and "Settings" not in email.text, email.text


async def test_zh_call_is_the_phone_line_not_a_person(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3602", "小林", "zh")
    replies = await say("能打电话吗")
    text = " ".join(r.text for r in replies)
    assert "电话" in text and "9:00-18:00" in text, text
    assert "工单" not in text, text  # no case opened, no person brought in
    (email,) = await say("邮箱呢")
    assert "support@" in email.text and "修改" not in email.text, email.text


async def test_shop_email_is_not_the_account_email(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3603", "Max")
    (shop,) = await say("do u have an email adress")
    assert "support@" in shop.text, shop.text
    other = make_say(dispatcher, "3604", "Max")
    (account,) = await other("how do i change my email address")
    assert "support@" not in account.text, account.text
