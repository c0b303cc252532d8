"""Resigned remarks ("fine whatever works", "行吧 随便") are acceptance without enthusiasm:
acknowledged briefly with what happens next, never thanked, no new offer, no feedback stored
(an independent run thanked them as praise or made a new offer)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.resigned import is_resigned
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fine whatever works", True),
        ("whatever ill wait", True),
        ("ok i guess", True),
        ("meh fine then", True),
        ("行吧 随便", True),
        ("算了 等吧", True),
        ("那就这样吧", True),
        ("好吧 也只能这样了", True),
        # A plain yes, thanks, or a new question are not resigned.
        ("ok", False),
        ("thanks", False),
        ("whatever, where is my order", False),
        ("好吧 那退款多久到", False),
        ("i guess the kettle is broken", False),
    ],
)
def test_a_resigned_remark(text: str, expected: bool) -> None:
    assert is_resigned(text) is expected


async def test_fine_whatever_with_a_case_open_is_acknowledged_not_thanked(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1341", "Raj")
    await say("the kettle from A-1001 leaks everywhere")
    replies = await say("fine whatever works")
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "thank" not in text.lower(), text
    assert not [b for r in replies for b in r.buttons], replies
    stored = await dispatcher.deps.feedback.all()
    assert stored == [], stored


async def test_zh_xingba_suibian_is_acknowledged_with_the_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1342", "老赵", "zh")
    await say("A-1003的咖啡机坏了 开不了机")
    text = " ".join(r.text for r in await say("行吧 随便"))
    assert "#1" in text and "谢谢" not in text and "感谢" not in text, text


async def test_a_friendly_close_with_a_case_open_is_not_put_on_the_case(
    dispatcher: Dispatcher,
) -> None:
    # "ok no worries cheers" was "added to your case #1"; a "no" that says more still is.
    say = make_say(dispatcher, "1343", "Tess")
    await say("the kettle from A-1001 leaks everywhere")
    (case,) = await dispatcher.deps.cases.all()
    said = " ".join(r.text for r in await say("ok no worries cheers"))
    # (What happens next: the case with the team, every wording says so.)
    assert f"#{case.number}" in said and "team" in said and "added" not in said, said
    said = " ".join(r.text for r in await say("all good thanks, cheers"))
    assert "added" not in said, said
    (unchanged,) = await dispatcher.deps.cases.all()
    assert unchanged.summary == case.summary
    said = " ".join(r.text for r in await say("no its still leaking even after i dried it"))
    (more,) = await dispatcher.deps.cases.all()
    assert "still leaking" in more.summary, said
