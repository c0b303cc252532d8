"""An item that is fine but not as the shop showed it ("i like it but the colour is off",
"颜色跟图片不一样") is answered with the free exchange or return, not the product's specs nor
a thank-you for feedback (issue #15)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.products import not_as_shown
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    "text",
    [
        "i like it but the colour is off",
        "the color is a bit different tbh",
        "doesnt look like the photo at all",
        "not as pictured",
        "颜色跟图片不一样",
        "色差有点大",
        "实物和图片差很多",
    ],
)
def test_not_as_shown(text: str) -> None:
    assert not_as_shown(text)


@pytest.mark.parametrize(
    "text",
    [
        "what colours does the kettle come in",
        "the photo was blurry",
        "有什么颜色",
        "图片加载不出来",
    ],
)
def test_not_a_statement_about_the_item(text: str) -> None:
    assert not not_as_shown(text)


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("i like it but the colour is off, not what the photo showed", "en", "Exchange"),
        ("双肩包挺好看的 就是颜色跟图片不一样", "zh", "换货"),
    ],
)
async def test_the_exchange_is_offered(
    dispatcher: Dispatcher, text: str, language: str, word: str
) -> None:
    say = make_say(dispatcher, "2401", "Ana", language)
    reply = " ".join(r.text for r in await say(text))
    assert word in reply, reply
