"""A kind's range asked ("how many kinds of kettle", "空气炸锅有几款") names the kind, never a
question word, and a capacity alone ("5升的", "the 6l one") is a size, not a product."""

from __future__ import annotations

import pytest

from handlers.catalogue import kind_asked, only_a_size, product_phrase, sizes_asked


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("how many kinds of kettle do you have", "kettle"),
        ("what models of vacuum", "vacuum"),
        ("which kettles do you carry", "kettles"),
        ("what kinds of headphones have you got", "headphones"),
        ("do you have other kinds of air fryers", "air fryers"),
        ("你们吹风机有哪些", "吹风机"),
        ("空气炸锅有几款", "空气炸锅"),
        ("亲 电饭煲有几个型号", "电饭煲"),
        ("有哪些吸尘器", "吸尘器"),
        ("耳机都有啥", "耳机"),
    ],
)
def test_the_kind_is_named_not_the_question_word(text: str, kind: str) -> None:
    assert kind_asked(text) == kind
    assert product_phrase(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "what colours do you have",
        "what sizes do you have",
        "how many do you have left",
        "what time do you close",
        "吸尘器有什么区别",
        "有什么优惠吗",
        "how much is the kettle",
        "what type of plug does it have",
        "what kind of coffee is it",
        "which address do you have for me",
    ],
)
def test_no_kind_in_other_questions(text: str) -> None:
    assert kind_asked(text) is None


def test_a_capacity_alone_is_a_size_not_a_product() -> None:
    assert [n for _, n in sizes_asked("whats the difference between the 4l and 6l")] == [
        4000.0,
        6000.0,
    ]
    assert sizes_asked("那个5L的呢") == [("5L", 5000.0)]
    assert only_a_size("5升") and only_a_size("the 6l one")
    assert not only_a_size("6l air fryer")
    assert product_phrase("有没有5升的") is None
