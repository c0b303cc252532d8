"""One of the models in play picked by how it stands against the other ("the big one",
"便宜的那款"): handlers/picked.py."""

from __future__ import annotations

import pytest

from handlers import picked
from handlers.catalogue import BIGGER, CHEAPER, SMALLER
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "way"),
    [
        ("how much is the big one", BIGGER),
        ("does the smaller have a manual", SMALLER),
        ("is the cheaper one in stock", CHEAPER),
        ("ill take the pricier", "dearer"),
        ("大的那个配件多少钱", BIGGER),
        ("小号的有说明书吗", SMALLER),
        ("便宜的那款有货吗", CHEAPER),
        ("贵的那个运费多少", "dearer"),
        # Another model asked for, a size asked, a flaw: no pick.
        ("is there a bigger one", None),
        ("anything cheaper?", None),
        ("有没有大的", None),
        ("多大的", None),
        ("有个小的划痕", None),
        ("is it that big", None),
    ],
)
def test_way_of(text: str, way: str | None) -> None:
    assert picked.way_of(text) == way


@pytest.mark.parametrize(
    ("language", "listed", "asked", "meant", "other"),
    [
        (
            "en",
            "what slow cookers do you have",
            "is there a manual for the smaller one",
            "Slow cooker 3.5 L",
            "Slow cooker 6 L",
        ),
        (
            "en",
            "what slow cookers do you have",
            "how much is delivery for the big one",
            "Slow cooker 6 L",
            "Slow cooker 3.5 L",
        ),
        ("zh", "电炖锅有哪几款", "大的那个配件多少钱", "电炖锅 6 升", "电炖锅 3.5 升"),
        ("zh", "电炖锅有哪几款", "小号的有说明书吗", "电炖锅 3.5 升", "电炖锅 6 升"),
    ],
)
async def test_the_model_picked_is_the_one_answered(
    dispatcher: Dispatcher, language: str, listed: str, asked: str, meant: str, other: str
) -> None:
    say = make_say(dispatcher, "9401", "Kim", language)
    await say(listed)
    text = " ".join(r.text for r in await say(asked))
    assert meant in text and other not in text, text


async def test_a_product_named_since_ends_the_pick(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "9402", "Kim", "en")
    await say("what slow cookers do you have")
    await say("how much is the kettle")
    text = " ".join(r.text for r in await say("is the big one in stock"))
    assert "Slow cooker 6 L" not in text, text
