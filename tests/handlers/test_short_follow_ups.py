"""What a short follow-up says on its own words: a closing, a cleaner, a wait refused, a price
drop, praise passed on (the conversations under tests/conversations/*/conv88-* read them in
context)."""

from __future__ import annotations

import pytest

import handlers.dispatcher  # noqa: F401  (imports the handlers in their working order)
from handlers import care, difference, feedback, greeting, hurry


@pytest.mark.parametrize(
    "text",
    [
        "great that's all :)",
        "perfect, that's everything thank u",
        "thats it for now thanks",
        "好嘞 就这些了 没别的了",
        "明白了 没事了 谢谢亲",
    ],
)
def test_a_closing_alone_is_done(text: str) -> None:
    assert greeting.only_done(text)


@pytest.mark.parametrize(
    "text",
    [
        "that's all?",
        "nah that's all, cancel it",
        "ok that's all for the blender, what about the kettle",
        "就这些了 订单号是多少",
    ],
)
def test_a_closing_with_more_in_it_is_not(text: str) -> None:
    assert not greeting.only_done(text)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("would vinegar work instead?", True),
        ("柠檬酸可以吗", True),
        ("用白醋行不行", True),
        ("do you sell descaler", False),
        ("where can i buy citric acid", False),
        ("it stopped working after the vinegar", False),
    ],
)
def test_a_cleaner_named(text: str, named: bool) -> None:
    assert care.cleaner_asked(text) is named


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("I'm not waiting a week", True),
        ("can't wait that long", True),
        ("我可等不了一个星期", True),
        ("不想等那么久", True),
        ("its been a week of waiting", False),
        ("ok i'll wait", False),
    ],
)
def test_a_wait_refused(text: str, refused: bool) -> None:
    assert hurry.wont_wait(text) is refused


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("order 88101 is cheaper now, can i get the difference", True),
        ("订单88111 现在便宜了 能退差价吗", True),
        ("if i swap for the dearer one do i pay the difference", False),
        ("换贵的要补差价吗", False),
    ],
)
def test_a_price_drop_is_no_exchange(text: str, dropped: bool) -> None:
    assert difference.drops(text) is dropped


def test_praise_pointed_at_her_is_staff_praise() -> None:
    assert feedback.praises_staff("想表扬一下她")
    assert not feedback.praises_staff("想问一下她什么时候回复")
