"""A sign-in code that has not come, told with how long it was waited for, is one request:
the code's checks and the next step, not a complaint case beside them."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("等了好几分钟了 登录验证码还是没来", "zh", "验证码"),
        ("验证码一直收不到 都等了十分钟了", "zh", "验证码"),
        ("been waiting like 5 minutes and the login code still hasnt come", "en", "code"),
    ],
)
async def test_the_wait_and_the_code_are_one_request(
    dispatcher: Dispatcher, deps: Deps, text: str, language: str, code: str
) -> None:
    say = make_say(dispatcher, "9606", "小安" if language == "zh" else "Ana", language)
    replies = await say(text)
    assert len(replies) == 1 and code in replies[0].text, replies
    customer = await deps.customers.find(ChannelIdentity("telegram", "9606"))
    assert customer is not None
    assert await deps.cases.for_customer(customer.id) == []
