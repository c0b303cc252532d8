"""Long messages (Telegram allows 4096 characters) read the same as short ones.

The patterns below were rewritten so their cost grows with the message's length, not its
square (``bench/long_message.py`` measures that); these tests pin that what they find did
not change: the words anywhere in the message, across lines, in either language.
"""

from __future__ import annotations

import pytest

from handlers.catalogue import product_phrase
from handlers.dispatcher import written_language
from handlers.wording import MANUAL_LANGUAGE

FILLER = "the parcel came on tuesday and my partner opened it while i was at work.\n" * 40


def test_the_manual_in_a_language_not_read_is_found_anywhere_in_a_long_message() -> None:
    assert MANUAL_LANGUAGE.search(FILLER + "the manual is only in german") is not None
    assert MANUAL_LANGUAGE.search("the manual is\nonly in german. " + FILLER) is not None
    chinese = "说明书\n" + "我昨天收到了快递 " * 200 + "全是德文 看不懂"
    assert MANUAL_LANGUAGE.search(chinese) is not None


def test_a_long_message_with_only_one_half_is_not_about_the_manual() -> None:
    assert MANUAL_LANGUAGE.search(FILLER + "where is the manual") is None
    assert MANUAL_LANGUAGE.search(FILLER + "i cannot read the label, it is only in german") is None


@pytest.mark.parametrize(
    "text",
    [
        *("ok thx", "kk", "okay?? thanks!!", "thank u :)", "ok" + "!" * 3000, "lol " + "~" * 500),
        # a bare greeting: Chinese customers greet with "hello??" too
        *("hello??", "hi", "hey there!"),
    ],
)
def test_shorthand_of_any_length_tells_no_language(text: str) -> None:
    assert written_language(text) is None


@pytest.mark.parametrize(
    "text",
    ["okay" + "!" * 3000 + "where is it", "ok thx but where is my order", "hello, where is it"],
)
def test_words_after_shorthand_tell_english(text: str) -> None:
    assert written_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("空气炸锅多少钱", "空气炸锅"),
        ("你们有没有卖洗碗机", "洗碗机"),
        ("do you sell air fryers", "air fryers"),
        (FILLER + "btw how much is the toaster", "toaster"),
    ],
)
def test_the_product_named_is_found_in_short_and_long_messages(text: str, phrase: str) -> None:
    assert product_phrase(text) == phrase
    assert product_phrase(text) == phrase  # asked again in the same turn: the same answer


def test_a_long_english_message_names_no_chinese_product() -> None:
    assert product_phrase(FILLER) is None
