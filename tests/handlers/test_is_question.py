"""What counts as a question, in Chinese as customers type it (no question mark)."""

from __future__ import annotations

import pytest

from handlers.questions import is_question


@pytest.mark.parametrize("text", ["功率多大", "电水壶有多重", "线有多长", "这个多贵啊"])
def test_how_big_heavy_long_asks(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize("text", ["没多大用", "其实也不多大", "用了很久了"])
def test_not_much_is_no_question(text: str) -> None:
    assert not is_question(text)
