"""The bot addresses customers by their name, never by a key the CRM keeps in its place: an
anonymous website visitor's ``v7dd0d9...`` (a visitor has no name until the shop signs them
in), a shop's user number or an e-mail address (found by trying the widget as a visitor)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say

COMPLAINT = "the kettle from order A-1002 arrived with a cracked lid, really not happy"


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("v7dd0d9f81fe4c2a9", ""),  # an anonymous website visitor: no name given
        ("web-77", "4711"),  # a shop's user number as the display name
        ("web-78", "jane.doe@example.com"),
    ],
)
async def test_a_key_standing_in_for_a_name_is_not_used_as_one(
    dispatcher: Dispatcher, user: str, name: str
) -> None:
    replies = await make_say(dispatcher, user, name)(COMPLAINT)
    text = " ".join(r.text for r in replies)
    assert "there" in text, text  # addressed, generically
    assert user not in text and (not name or name not in text), text


async def test_a_real_name_is_used(dispatcher: Dispatcher) -> None:
    replies = await make_say(dispatcher, "5501", "Wanjiru")(COMPLAINT)
    assert "Wanjiru" in " ".join(r.text for r in replies)
    zh = await make_say(dispatcher, "5502", "王芳", "zh")("A-1002 的水壶盖子裂了 很不满意")
    assert "王芳" in " ".join(r.text for r in zh)
