"""Two products asked about one after the other, then "which is better", "有啥不同": both
compared from the catalogue, not warranty nor the last one alone (issue #15). Held-out
wordings."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "first", "second", "compare", "both"),
    [
        (
            "en",
            "how much is the air fryer",
            "and the blender",
            "whats the difference",
            ["Air fryer", "Blender"],
        ),
        ("en", "got any toasters?", "what about kettles", "which is better", ["Toaster", "kettle"]),
        ("zh", "台灯有货吗", "搅拌机呢", "有什么不同", ["台灯", "搅拌机"]),
    ],
)
async def test_two_products_in_a_row_are_compared_together(
    dispatcher: Dispatcher, language: str, first: str, second: str, compare: str, both: list[str]
) -> None:
    say = make_say(dispatcher, "5921", "Kim", language)
    await say(first)
    await say(second)
    text = " ".join(r.text for r in await say(compare))
    for name in both:
        assert name in text, text
    assert "warranty" not in text and "保修" not in text, text
