"""Feedback: which way it goes comes from the sentiment model; a negative remark during an
open case goes into the case."""

from __future__ import annotations

from crm_memory import CaseKind, ChannelIdentity, Priority
from handlers.turn import Deps
from tests.handlers.conftest import Say

ANNA = ChannelIdentity("telegram", "100")


async def _anna_id(deps: Deps) -> int:
    customer = await deps.customers.find(ANNA)
    assert customer is not None
    return customer.id


async def test_sarcastic_praise_is_stored_as_negative_feedback(anna: Say, deps: Deps) -> None:
    await anna("hi")
    await anna("oh wonderful, yet another chatbot. just fantastic.")
    (fb,) = await deps.feedback.all()
    assert fb.sentiment < 0


async def test_praise_is_stored_with_the_model_score(anna: Say, deps: Deps) -> None:
    await anna("hi")
    await anna("the new website is so much nicer to use, well done")
    (fb,) = await deps.feedback.all()
    assert fb.sentiment > 0.3


async def test_negative_remark_during_an_open_case_goes_into_the_case(
    anna: Say, deps: Deps
) -> None:
    await anna("hi")
    cid = await _anna_id(deps)
    case = await deps.cases.open(
        customer_id=cid,
        kind=CaseKind.COMPLAINT,
        priority=Priority.NORMAL,
        reason="parcel damaged",
        summary="parcel damaged",
        topic="delivery",
    )
    # The intent classifier reads this as praise (feedback_positive); it is neither praise
    # nor a new topic, so the person on the case reads it there.
    replies = await anna("wow, great service as always. not.")
    assert any(f"#{case.number}" in r.text for r in replies)
    assert "great service as always" in (await deps.cases.get(case.number)).summary
    assert await deps.feedback.all() == []
