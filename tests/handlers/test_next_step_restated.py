""""and?", "然后呢" after an answer whose entry names no next step: what the customer can do,
restated short, never "say it another way" (issue #15). Held-out wordings."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "first", "bare", "present"),
    [
        ("en", "do you take paypal", "and then what", "PayPal"),
        ("en", "i cant remember my password", "and?", "password"),
        ("zh", "登录密码忘了", "然后嘞", "密码"),
    ],
)
async def test_a_bare_continuation_restates_what_the_customer_can_do(
    dispatcher: Dispatcher, language: str, first: str, bare: str, present: str
) -> None:
    say = make_say(dispatcher, "5911", "Kim", language)
    await say(first)
    text = " ".join(r.text for r in await say(bare))
    assert present in text, text
    assert "another way" not in text and "换个说法" not in text and "没理解" not in text, text


async def test_what_now_after_a_redirect_answer_is_the_couriers_page(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "5912", "Kim", "en")
    await say("can i change the address on A-1005")
    text = " ".join(r.text for r in await say("and what now"))
    assert "15501234567890" in text and "e-mail" in text and "neighbour" not in text, text
