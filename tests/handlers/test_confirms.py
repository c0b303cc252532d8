"""A check of the answer just given, told from a question of its own (handlers/confirms.py)."""

from __future__ import annotations

import pytest

from handlers import confirms


@pytest.mark.parametrize(
    "text",
    [
        "so there's no receipt in the parcel, yeah?",
        "and it's free, right?",
        "so i dont pay for the return shipping right?",
        "so saturday is fine then?",
        "那就是不用我付运费吧",
        "不会收我钱吧",
        "所以周末也送对吧",
        "也就是说满50就包邮是吧",
    ],
)
def test_a_conclusion_put_as_a_question_is_a_check(text: str) -> None:
    assert confirms.is_check(text)


@pytest.mark.parametrize(
    "text",
    [
        "so when will it come then?",
        "so can you change it, right?",
        "那就退货吧",
        "那就这样吧",
        "所以要多久对吧",
        "is it free",
        # What to do next, checked: the answer's next step, not its sentences.
        "so i just wait, right?",
        "所以不用管它了是吧",
    ],
)
def test_a_question_request_or_decision_is_no_check(text: str) -> None:
    assert not confirms.is_check(text)
