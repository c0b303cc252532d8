"""With a case open about a wrong or faulty item, "can you just send the right one" / "能不能
直接给我补发一个" is the replacement asked for (on the case), and "do i need to send the pink
one back" / "错的那个要寄回去吗" is answered from the case (its label from the team), never an
order status nor the change-of-mind returns rules (issue #15, brief C55)."""

from __future__ import annotations

import pytest

from handlers.context import WRONG_ITEM
from handlers.dispatcher import Dispatcher
from handlers.remedy import _ASKS_TO_SEND, _ITEM_BACK
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    "text",
    [
        "can you just send the right one",
        "could u send me the mouse pls",
        "cant you just send another one",
        "能不能直接给我补发一个",
        "可以给我重新发一个吗",
    ],
)
def test_asks_to_send(text: str) -> None:
    assert _ASKS_TO_SEND.search(text)


@pytest.mark.parametrize(
    "text", ["can i just keep it and get a new tray sent as well", "can you send me the label"]
)
def test_not_asked_to_send_the_item(text: str) -> None:
    assert not _ASKS_TO_SEND.search(text) or "label" in text


@pytest.mark.parametrize(
    "text",
    [
        "do i need to send the pink one back",
        "do i have to return it",
        "what do i do with the wrong one",
        "错的那个要寄回去吗",
        "发错的怎么处理",
    ],
)
def test_asks_item_back(text: str) -> None:
    assert _ITEM_BACK.search(text)


@pytest.mark.parametrize("text", ["钱什么时候退回来", "when do i get my money back"])
def test_money_back_is_not_the_item_back(text: str) -> None:
    assert not _ITEM_BACK.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "they sent me a pink mouse, i ordered the black one",
        "the mouse is pink, i ordered black",
        "got a red one but i wanted blue",
    ],
)
def test_wrong_item_said_the_other_way_round(text: str) -> None:
    assert WRONG_ITEM.search(text)


@pytest.mark.parametrize(
    ("problem", "ask", "back", "language"),
    [
        (
            "C-7781 came today but the mouse is pink, i ordered black",
            "can you just send the right one",
            "do i need to send the pink one back",
            "en",
        ),
        (
            "C-7781 到了 但是鼠标发错了 我要黑色的 来的是粉色",
            "能不能直接给我补发一个",
            "错的那个要寄回去吗",
            "zh",
        ),
    ],
)
async def test_on_the_case(
    dispatcher: Dispatcher, problem: str, ask: str, back: str, language: str
) -> None:
    say = make_say(dispatcher, "5504", "Kim", language)
    opened = " ".join(r.text for r in await say(problem))
    assert "#1" in opened, opened
    asked = " ".join(r.text for r in await say(ask))
    assert "#1" in asked and ("replacement" in asked or "换货" in asked), asked
    answered = " ".join(r.text for r in await say(back))
    assert "#1" in answered and "30" not in answered, answered


@pytest.mark.parametrize(
    ("language", "first", "ask", "words"),
    [
        (
            "en",
            "the coffee machine from A-1003 arrived with a cracked water tank",
            "can you refund it",
            "refund",
        ),
        ("zh", "A-1003的咖啡机水箱裂了", "能退款吗", "退款"),
    ],
)
async def test_a_refund_asked_of_us_on_a_defect_case_goes_on_it(
    dispatcher: Dispatcher, language: str, first: str, ask: str, words: str
) -> None:
    say = make_say(dispatcher, "5801", "Ben", language)
    await say(first)
    text = " ".join(r.text for r in await say(ask))
    assert "#1" in text and words in text, text
    notes = await dispatcher.deps.cases.notes(1)
    assert any("refund" in n.text.lower() for n in notes), notes
