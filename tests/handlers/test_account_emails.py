"""An e-mail from us that never comes: what to check, then (spam checked) what the team
needs to confirm the account, then how the address is changed, locked out or not."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_reset_email_missing_then_spam_checked_then_another_address(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1721", "Dev")
    (first,) = await say("cant log in, password reset email never comes")
    assert "noreply@acme-home.example" in first.text, first.text
    (second,) = await say("already checked spam")
    assert "name on the account" in second.text and "noreply" not in second.text, second.text
    (third,) = await say("can i use a different email then")
    assert "can't sign in" in third.text and "Account → Settings" in third.text, third.text


async def test_zh_spam_checked_then_change_the_address(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1722", "小赵", "zh")
    (first,) = await say("登不上去 重置密码的邮件一直收不到")
    assert "noreply@acme-home.example" in first.text, first.text
    (second,) = await say("垃圾邮件里也没有")
    assert "姓名" in second.text and "noreply" not in second.text, second.text
    (third,) = await say("那我换个邮箱行不")
    assert "登录不了" in third.text and "不太确定" not in third.text, third.text
