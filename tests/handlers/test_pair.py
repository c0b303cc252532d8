"""Two products compared by name ("whats the difference between the coffee machine and the
espresso one", "扫地机器人跟吸尘器哪个好") are answered side by side from the catalogue, and
"the cheaper one" next is that one (an independent run answered one product, and opened a
case for the Chinese one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.catalogue import CsvCatalogue
from handlers.dispatcher import Dispatcher
from handlers.pair import priced, sides
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "whats the diffrence between the coffee machine and the espresso one",
            ("coffee machine", "espresso"),
        ),
        ("robot vacuum vs cordless vacuum, which is better", ("robot vacuum", "cordless vacuum")),
        ("which is better, the headphones or the earbuds??", ("headphones", "earbuds")),
        ("compare the kettle with the blender", ("kettle", "blender")),
        ("扫地机器人跟吸尘器哪个好", ("扫地机器人", "吸尘器")),
        ("空气炸锅和微波炉有啥区别", ("空气炸锅", "微波炉")),
        # Two products asked about, not compared; a return of two things; two wishes.
        ("do you have the air fryer in black and how much is the kettle", None),
        ("i want to return the kettle and the blender", None),
        ("我想退货和退款", None),
        ("whats the difference in price anyway", None),
    ],
)
def test_the_two_sides_compared(text: str, expected: tuple[str, str] | None) -> None:
    assert sides(text) == expected


async def test_two_products_side_by_side_then_the_cheaper_one(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1701", "Marco")
    (compared,) = await say("whats the difference between the coffee machine and the espresso one")
    assert "$149.00" in compared.text and "$229.00" in compared.text, compared.text
    assert "$80.00" in compared.text, compared.text
    (price,) = await say("whats the difference in price anyway")
    assert "$80.00" in price.text, price.text
    (chosen,) = await say("ok ill get the cheaper one lol")
    assert "Coffee machine" in chosen.text and "Espresso" not in chosen.text, chosen.text
    assert "basket" in chosen.text, chosen.text


async def test_zh_compared_products_open_no_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1702", "小何", "zh")
    replies = await say("扫地机器人跟吸尘器哪个好")
    text = " ".join(r.text for r in replies)
    assert "$279.00" in text and "$199.00" in text and "工单" not in text, text
    (chosen,) = await say("那就贵的那个吧")
    assert "扫地机器人" in chosen.text and "购物车" in chosen.text, chosen.text


async def test_one_of_the_two_chosen_by_name(dispatcher: Dispatcher) -> None:
    """ "那就扫地机器人吧" after the two: that one, to buy (no person, no case, not the other)."""
    say = make_say(dispatcher, "1703", "小林", "zh")
    await say("无线吸尘器和扫地机器人有啥区别")
    (chosen,) = await say("那就扫地机器人吧")
    assert "扫地机器人" in chosen.text and "购物车" in chosen.text, chosen.text
    assert "无线吸尘器" not in chosen.text and "人工" not in chosen.text, chosen.text
    say = make_say(dispatcher, "1704", "Ann")
    await say("whats the difference between the coffee machine and the espresso one")
    (chosen,) = await say("ok the espresso one then")
    assert "Espresso" in chosen.text and "Coffee machine" not in chosen.text, chosen.text


async def test_a_product_then_its_restock_question_is_one_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1703", "小孙", "zh")
    await say("空气炸锅有货吗")
    replies = await say("吸尘器呢 啥时候补货")
    text = " ".join(r.text for r in replies)
    assert "2026-12-10" in text and "空气炸锅" not in text, text
    assert text.count("无线吸尘器") == 1, text


async def test_two_products_compared_on_what_the_catalogue_says(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2251", "Gus")
    (compared,) = await say("coffee machine vs espresso machine, whats the difference")
    assert "15-bar pump" in compared.text and "10 cups" in compared.text, compared.text
    assert "1450 W" in compared.text and "'Compare'" not in compared.text, compared.text
    zh = make_say(dispatcher, "2252", "小葛", "zh")
    replies = await zh("扫地机器人跟吸尘器哪个好啊")
    text = " ".join(r.text for r in replies)
    assert "扫拖一体" in text and "45 分钟" in text and "点“对比”" not in text, text


async def test_a_catalogue_without_spec_columns_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text("sku,name,price\nX-1,Kettle,10.00\n", encoding="utf-8")
    (kettle,) = await CsvCatalogue(path).search("kettle")
    assert kettle.specs("en") == "" and kettle.specs("zh") == ""


async def test_both_asked_for_then_free_shipping_for_that_one(dispatcher: Dispatcher) -> None:
    """ "do u have the air fryer and the desk lamp" answered the air fryer alone, so "is
    shipping free for that one" was the air fryer's; both now, and that one the last named."""
    say = make_say(dispatcher, "300", "Kim")
    both = "\n".join(r.text for r in await say("do u have the air fryer and the desk lamp"))
    assert "Air fryer" in both and "Desk lamp" in both, both
    ship = "\n".join(r.text for r in await say("is shipping free for that one"))
    assert "Desk lamp" in ship and "4.90" in ship and "Air fryer" not in ship, ship


async def test_zh_both_in_stock_then_baoyou(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "301", "小李", "zh")
    both = "\n".join(r.text for r in await say("空气炸锅和台灯都有货吗"))
    assert "空气炸锅" in both and "台灯" in both, both


@pytest.mark.parametrize(
    ("first", "then", "language", "words", "absent"),
    [
        (
            "tell me about the headphones and the earbuds",
            "whats the difference between them",
            "en",
            ["Wireless headphones", "Bluetooth earbuds", "noise"],
            ["warranty"],
        ),
        ("无线耳机和蓝牙耳机", "区别在哪", "zh", ["无线耳机", "蓝牙耳机", "降噪"], ["保修"]),
        ("介绍一下电饭煲跟空气炸锅", "哪个好", "zh", ["电饭煲", "空气炸锅"], ["保修"]),
    ],
)
async def test_two_products_named_together_then_them_is_that_pair(
    dispatcher: Dispatcher, first: str, then: str, language: str, words: list[str],
    absent: list[str],
) -> None:
    say = make_say(dispatcher, "540", "Sam", language)
    opening = " ".join(r.text for r in await say(first))
    assert all(w.split()[-1] in opening for w in words[:2]), opening  # both shown, not one
    text = " ".join(r.text for r in await say(then))
    for word in words:
        assert word.lower() in text.lower(), text
    for word in absent:
        assert word.lower() not in text.lower(), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell me about the headphones and the earbuds", ("headphones", "earbuds")),
        ("kettle n blender?", ("kettle", "blender")),
        ("无线耳机和蓝牙耳机", ("无线耳机", "蓝牙耳机")),
        ("how much is the kettle and the blender", ("kettle", "blender")),
        # a question with more in it than the two names is not this
        ("i want to return the kettle and the blender", None),
    ],
)
def test_two_products_named_together(text: str, expected: tuple[str, str] | None) -> None:
    assert priced(text) == expected


def test_which_of_them_in_an_attribute() -> None:
    from handlers.pair import compares_in_attribute

    for text in (
        "which one is quieter",
        "which has the longer battery?",
        "哪个声音小",
        "哪款更轻",
        "which one is better for 2 people",
    ):
        assert compares_in_attribute(text), text
    # Not "which" of them, or power (its figures are handlers/attributes.py's).
    for text in ("is it loud", "which one uses less power", "声音大吗"):
        assert not compares_in_attribute(text), text
