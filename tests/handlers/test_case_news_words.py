"""Asking after a case by what it is about, in more words (issue #15, C62): "still waiting to
hear about the toaster", "did anyone look at my saucepan yet", "风扇的事有人管吗"."""

from __future__ import annotations

import pytest

from handlers.cases import asks_after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("still waiting to hear about the toaster", True),
        ("did anyone look at my saucepan yet", True),
        ("hello again, the vase - whats the latest", True),
        ("风扇的事有人管吗", True),
        ("面包机那事 现在啥情况", True),
        ("我那个锅盖的问题处理了没", True),
        ("the toaster is waiting for me at the post office", False),
        ("what's the latest model of the kettle", True),  # news asked; the product decides
        ("这个锅是什么材质", False),
        # The verdict asked for: "怎么说" at the end, "what's the story with".
        ("台灯那个怎么说", True),
        ("退款那事咋说了", True),
        ("whats the story with the kettle", True),
        ("这个用英文怎么说比较好", False),
        ("你怎么说话的", False),
    ],
)
def test_news_asked(text: str, expected: bool) -> None:
    assert asks_after(text) is expected
