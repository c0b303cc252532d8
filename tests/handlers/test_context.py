"""The pieces that read a message in context: order numbers, requests, the dialogue state."""

from __future__ import annotations

from datetime import date

import pytest

from handlers import context
from handlers.clauses import clauses, is_rant, strip_greeting
from handlers.dialogue import Asked, Dialogue, Purpose, Question
from handlers.orders import Order, OrderNumbers, resolve_eta
from handlers.responses import Responses, ResponsesError


@pytest.mark.parametrize(
    ("text", "expected", "found"),
    [
        ("where is my order 88231", False, ["88231"]),
        ("order no. 5530012 pls", False, ["5530012"]),
        ("my order # 88231", False, ["88231"]),
        ("订单号 1234567890123", False, ["1234567890123"]),
        ("单号88231怎么还没到", False, ["88231"]),
        ("112-1234567-1234567 never came", False, ["112-1234567-1234567"]),
        ("is the RTX4090 in stock", False, []),  # only the shape: not certain, checked later
        ("call me on 5551234567", False, []),  # digits without order words are not orders
        ("5551234567", True, ["5551234567"]),  # unless the bot asked for the number
        ("it's a1001", True, ["A1001"]),
    ],
)
def test_order_numbers_as_shops_write_them(text: str, expected: bool, found: list[str]) -> None:
    mentions = OrderNumbers().mentions(text, expected=expected)
    assert [m.value for m in mentions if m.certain] == found


def test_the_shops_own_pattern_and_a_bad_one() -> None:
    assert [m.value for m in OrderNumbers([r"SO-\d{6}"]).mentions("SO-123456 pls")] == ["SO-123456"]
    with pytest.raises(ValueError, match="order pattern"):
        OrderNumbers(["SO-(\\d"])


def test_late_orders_and_relative_etas() -> None:
    today = date(2026, 11, 23)
    assert resolve_eta("-2d", today) == "2026-11-21" and resolve_eta("+3d", today) == "2026-11-26"
    # Unsigned days are days ahead, and 0d is today (not the text "0d" shown to customers).
    assert resolve_eta("0d", today) == "2026-11-23" and resolve_eta("2d", today) == "2026-11-25"
    assert Order("A", "shipped", eta="2026-11-21").is_late(today)
    assert Order("A", "processing", eta="2026-11-22").is_late(today)
    assert not Order("A", "delivered", eta="2026-11-21").is_late(today)
    assert not Order("A", "shipped", eta="2026-11-23").is_late(today)
    assert not Order("A", "shipped", eta="soon").is_late(today)


@pytest.mark.parametrize(
    ("text", "greeted", "parts"),
    [
        ("亲 在吗 我想问下支持7天无理由退货吗", True, ["我想问下支持7天无理由退货吗"]),
        (
            "I want to return the headphones and when do I get my refund for order A-1004",
            False,
            ["I want to return the headphones", "when do I get my refund for order A-1004"],
        ),
        ("运费多少 还有几天能到", False, ["运费多少", "几天能到"]),
        (
            "hi! where is my order? also how much is shipping",
            True,
            ["where is my order?", "how much is shipping"],
        ),
        (
            "Mr. Smith here, order no. 5530012 pls",
            False,
            ["Mr. Smith here, order no. 5530012 pls"],  # abbreviations do not end a sentence
        ),
        ("hello", False, ["hello"]),
        # Chinese with a space for a comma, and a second question straight after a first.
        ("我想取消A-1002这个单 还没发货吧", False, ["我想取消A-1002这个单", "还没发货吧"]),
        ("帮我看下B-2231到哪了能改地址吗", False, ["帮我看下B-2231到哪了", "能改地址吗"]),
        ("行 我等着", False, ["行 我等着"]),  # a one-character "ok" is not a clause
        # Run-ons with no connector and no punctuation: a clause ended, a new question.
        (
            "can i send it back how long does the refund take",
            False,
            ["can i send it back", "how long does the refund take"],
        ),
        (
            "where is order 88231 can i still pay by card",
            False,
            ["where is order 88231", "can i still pay by card"],
        ),
        ("i want to know how long it takes", False, ["i want to know how long it takes"]),
        ("能换货吗运费谁出", False, ["能换货吗", "运费谁出"]),
        ("我的快递到哪了另外发票怎么开", False, ["我的快递到哪了", "发票怎么开"]),
        (
            "is this a bot and whats the return window",
            False,
            ["is this a bot", "whats the return window"],
        ),
        # Run-ons of two kinds of request with no punctuation (conv13).
        (
            "where is my order A-1002 i need to change the delivery address",
            False,
            ["where is my order A-1002", "i need to change the delivery address"],
        ),
        (
            "do u ship to ireland the kettle from order A-1001 is leaking",
            False,
            ["do u ship to ireland", "the kettle from order A-1001 is leaking"],
        ),
        ("A-1002到哪了我想改个收货地址", False, ["A-1002到哪了", "我想改个收货地址"]),
        (
            "the kettle from order A-1001 is leaking",
            False,
            ["the kettle from order A-1001 is leaking"],
        ),
    ],
)
def test_a_message_split_into_its_requests(text: str, greeted: bool, parts: list[str]) -> None:
    was_greeted, rest = strip_greeting(text)
    assert was_greeted is greeted
    assert clauses(rest) == parts


def test_venting_is_tone_not_a_request() -> None:
    assert is_rant("this is ridiculous, terrible, awful!!!") and is_rant("太差了 无语")
    assert not is_rant("the delivery guy was rude") and not is_rant("my kettle leaks")


def test_the_dialogue_survives_its_store() -> None:
    dialogue = (
        Dialogue(
            turn=3,
            topic="ask_order_status",
            asked=Asked(Question.ORDER_NUMBER, purpose=Purpose.COMPLAINT, case=7, turn=3),
            case=7,
            misses=1,
            conversation=12,
        )
        .with_slot("order_number", "A-1001")
        .with_said("greet_again", 2)
    )
    again = Dialogue.from_json(dialogue.to_json())
    assert again == dialogue
    assert again.slot("order_number") is not None and again.variant("greet_again") == 2
    # Entities from long ago are no longer in play.
    assert Dialogue(turn=20, slots=dialogue.slots).slot("order_number") is None


def test_several_wordings_per_reply_with_the_same_fields() -> None:
    responses = Responses({"hi": {"en": ["Hi {name}", "Hello {name}"], "zh": "你好{name}"}})
    assert responses.wordings("hi", "en") == 2 and responses.wordings("hi", "zh") == 1
    assert responses.render("hi", "en", variant=1, name="A") == "Hello A"
    with pytest.raises(ResponsesError, match="different fields"):
        Responses({"hi": {"en": ["Hi {name}", "Hello"], "zh": "你好{name}"}})


def test_a_greeting_word_inside_a_word_is_not_a_greeting() -> None:
    # "yo" in "you're", "hi" in "history": the message stays whole.
    assert strip_greeting("you're actually not bad") == (False, "you're actually not bad")
    assert strip_greeting("history of my order") == (False, "history of my order")
    assert strip_greeting("yo where is my order") == (True, "where is my order")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("几天能到", True),
        ("我十几天前就寄回去了", False),  # "ten-odd days", not "how many"
        ("都好几天了", False),
        ("几十块钱的东西", False),
        ("when does it come", True),
        ("sent it back last week", False),
    ],
)
def test_a_number_word_is_not_a_question(text: str, asks: bool) -> None:
    assert context.is_question(text) is asks
