"""Suggestions: stored as feedback of kind suggestion and thanked as one (issue #15)."""

from __future__ import annotations

import pytest

from crm_memory import FeedbackKind
from handlers.dispatcher import Dispatcher
from handlers.feedback import suggests
from handlers.turn import Deps
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "text", "thanks"),
    [
        ("en", "you should really add a dark mode to the app, my eyes at night lol", "suggestion"),
        ("en", "wish you had pickup points in smaller towns tbh", "suggestion"),
        ("zh", "能不能加个发货短信提醒 每次都要自己去查", "建议"),
        ("zh", "要是有个微信小程序就好了", "建议"),
    ],
)
async def test_a_suggestion_is_stored_as_one_and_thanked_without_a_case(
    dispatcher: Dispatcher, deps: Deps, language: str, text: str, thanks: str
) -> None:
    say = make_say(dispatcher, f"1520-{len(text)}", "Lin", language)
    (reply,) = await say(text)
    assert thanks in reply.text
    assert not reply.buttons  # nothing went wrong: no follow-up call offered
    (stored,) = await deps.feedback.all()
    assert stored.kind is FeedbackKind.SUGGESTION and stored.text == text
    assert await deps.cases.for_customer(stored.customer_id) == []


@pytest.mark.parametrize(
    "text",
    [
        "you should have sent it on time",
        "i wish you had told me it was late",
        "can you add my order to the case",
        "能不能加急",
        "能不能加个备注 放门卫",
        "can you suggest a good kettle",
        "能不能支持货到付款",
        "the kettle you sent leaks, you should add a warning or replace it",
    ],
)
def test_a_complaint_or_a_question_is_no_suggestion(text: str) -> None:
    assert not suggests(text)
