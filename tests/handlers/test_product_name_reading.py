"""Which words of a product question are the product's name (handlers/catalogue.py): never a
count, the start of a size or a question's words; a name in Latin letters inside Chinese is
one; and among products of one name, the size the words give picks one."""

from __future__ import annotations

import pytest

from handlers.catalogue import (
    SAMPLE_CATALOGUE,
    CsvCatalogue,
    head_of,
    of_size_named,
    product_phrase,
    without_sizes,
)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # A decimal point inside a size is no end of the name.
        ("is the 3.5l slow cooker available", "3.5l slow cooker"),
        ("how much is the 1.5 litre blender", "1.5 litre blender"),
        # A size alone is of the product in play: no product of its own.
        ("and the 7.5L one, in stock?", None),
        # A count before the name is the quantity's.
        ("how much for 4 of the toasters", "toasters"),
        ("do you have 20 of the 1.5l blenders", "1.5l blenders"),
        ("do you have 3x robot vacuums", "robot vacuums"),
        # ... but a number that is the size stays with the name.
        ("do you have the 6 litre slow cooker", "6 litre slow cooker"),
        # A stock question ending a longer sentence.
        ("we loved it at my mum's, still got the toaster?", "toaster"),
        ("my neighbour asked where i got it. do you still have the blender", "blender"),
        # A name in Latin letters inside Chinese, sizes and all.
        ("toaster多少钱", "toaster"),
        ("亲 rice cooker还有货吗", "rice cooker"),
        ("air fryer 6.5L有现货吗", "air fryer 6.5l"),
        # The clause before a space is no part of the name; "有没有" at the end asks for it.
        ("搬新家了 想添一个 电炖锅还有现货吗", "电炖锅"),
        ("无线鼠标还有没有", "无线鼠标"),
        ("空气炸锅 4升有货吗", "空气炸锅 4升"),
        ("电饭煲有没有保温功能", None),
        # A question's words are never a name.
        ("那这两个有什么不一样", None),
        ("有什么区别", None),
        ("两款有啥不同", None),
        # Latin words that are no goods stay out.
        ("order多少钱", None),
        # An article the pattern let go before "price" is no name.
        ("and the price?", None),
        ("ok and your prices", None),
        ("and the kettle, price?", "kettle"),
    ],
)
def test_the_name_is_read_from_the_right_words(text: str, phrase: str | None) -> None:
    assert product_phrase(text) == phrase


def test_a_size_is_not_the_head_of_a_name() -> None:
    assert head_of("air fryer 6.5l") == "fryer"
    assert head_of("5升的电饭煲") == "煲"
    assert without_sizes("电炖锅3升") == "电炖锅"


async def test_the_size_named_picks_among_products_of_one_name() -> None:
    catalogue = CsvCatalogue(SAMPLE_CATALOGUE)
    assert [p.sku for p in await catalogue.search("slow cooker 6L")] == ["SC-160"]
    assert [p.sku for p in await catalogue.search("3.5升的电炖锅")] == ["SC-130"]
    # A size none of them has picks none: both, for the caller to say it is not sold.
    both = await catalogue.search("slow cooker")
    assert [p.sku for p in of_size_named("the 9l slow cooker", both)] == ["SC-130", "SC-160"]
    # One product of another size stays what the name finds.
    assert [p.sku for p in await catalogue.search("7l air fryer")] == ["AF-500"]
