"""A request followed by who it is for ("...so i can tell my mum", "...帮我朋友问的") is
answered as the request alone, not with a second answer to the fragment (issue #15)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.requests import says_who_for
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "text", "wanted", "unwanted"),
    [
        (
            "en",
            "where is my order A-1001? so i can tell my mum when to be home",
            "JD014600003828",
            "neighbour",
        ),
        (
            "en",
            "can u send me the tracking for A-1001 so i can forward it to my mum",
            "DHL",
            "locker",
        ),
        ("zh", "空气炸锅有货吗 帮我朋友问的", "现货", "支付"),
    ],
)
async def test_who_a_request_is_for_gets_no_answer_of_its_own(
    dispatcher: Dispatcher, language: str, text: str, wanted: str, unwanted: str
) -> None:
    say = make_say(dispatcher, f"1530-{len(text)}", "Nia", language)
    replies = await say(text)
    joined = " ".join(r.text for r in replies)
    assert wanted in joined and unwanted not in joined.lower()


@pytest.mark.parametrize(
    ("text", "who_for"),
    [
        ("so i can forward it to my mum", True),
        ("asking for a friend", True),
        ("我截图给我朋友看", True),
        ("帮我妈问的", True),
        ("so when will it come", False),
        ("帮我查一下订单", False),
        ("给我退款", False),
    ],
)
def test_a_who_for_clause_is_told_from_a_request(text: str, who_for: bool) -> None:
    assert says_who_for(text) is who_for
