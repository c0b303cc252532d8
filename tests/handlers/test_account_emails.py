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


async def test_expired_link_asks_for_a_new_one_not_the_same_text(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2211", "Kai")
    (first,) = await say("forgot my password cant log in")
    assert "Forgot password" in first.text, first.text
    (expired,) = await say("i reset it already the link says expired")
    assert "new link" in expired.text and "straight away" in expired.text, expired.text
    zh = make_say(dispatcher, "2212", "小韩", "zh")
    await zh("密码忘了登不上")
    (guoqi,) = await zh("重置链接也过期了")
    assert "新的链接" in guoqi.text and "马上" in guoqi.text, guoqi.text


async def test_the_first_missing_email_answer_says_spam(dispatcher: Dispatcher) -> None:
    (en,) = await make_say(dispatcher, "2213", "Lu")("password reset email never comes")
    assert "spam" in en.text, en.text
    (zh,) = await make_say(dispatcher, "2214", "小陆", "zh")("找回密码的邮件一直收不到啊")
    assert "垃圾邮件" in zh.text, zh.text


async def test_a_different_email_is_the_accounts_not_a_delivery_address(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "2215", "Ana")
    replies = await say("the reset goes to my old work mail. send it to a different email?")
    text = " ".join(r.text for r in replies)
    assert "Account → Settings" in text and "not sure" not in text, text
