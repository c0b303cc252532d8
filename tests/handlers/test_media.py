"""Which case a customer's photo goes with while the bot has the chat (no Telegram objects)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from crm_memory import Attachment, MediaKind, use_clock
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import ContentKind, InboundMessage
from nlu import BuiltinEngine
from tests.handlers.conftest import FakeDesk
from tests.handlers.test_cases import TUESDAY, Clock


def _photo(user: str, number: int, *, caption: str = "") -> InboundMessage:
    return InboundMessage(
        channel="telegram",
        user_id=user,
        text=caption,
        display_name="Wang",
        language_code="zh",
        message_id=f"{user}:{number}",
        kind=ContentKind.TEXT if caption else ContentKind.PHOTO,
        media=Attachment(MediaKind.PHOTO, file_id=f"ph{number}", source=f"{user}:{number}"),
    )


async def test_a_photo_long_after_a_complaint_is_kept_but_not_attached(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, clock=clock), nlu=engine)
    with use_clock(clock):
        await dispatcher.handle(
            InboundMessage(
                "telegram",
                "700",
                "the kettle from order A-1003 is not what i ordered, wrong model",
                "Wang",
                "en",
                "700:1",
            )
        )
        (case,) = await deps.cases.for_customer(1)
        assert case.escalated_at is None  # a complaint the bot handles
        clock.now += timedelta(hours=3)
        (answer,) = await dispatcher.handle(_photo("700", 2))
    assert answer.text.startswith("Thanks, I've kept your photo.")
    assert [m.case_number for m in await deps.media.for_customer(1)] == [None]  # type: ignore[union-attr]


async def test_the_attach_window_is_the_configured_one(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(TUESDAY)
    # media.attach_window_minutes: 240, so a photo three hours after the complaint goes with it.
    dispatcher = Dispatcher(
        deps=replace(deps, clock=clock, media_attach_window=timedelta(hours=4)), nlu=engine
    )
    with use_clock(clock):
        await dispatcher.handle(
            InboundMessage(
                "telegram",
                "702",
                "the kettle from order A-1003 is not what i ordered, wrong model",
                "Wang",
                "en",
                "702:1",
            )
        )
        (case,) = await deps.cases.for_customer(1)
        clock.now += timedelta(hours=3)
        (answer,) = await dispatcher.handle(_photo("702", 2))
    assert f"#{case.number}" in answer.text
    assert [m.case_number for m in await deps.media.for_customer(1)] == [case.number]  # type: ignore[union-attr]


async def test_a_case_waiting_for_agents_gets_the_photo_whenever_it_comes(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    desk = FakeDesk()
    dispatcher = Dispatcher(deps=replace(deps, clock=clock, desk=desk), nlu=engine)
    with use_clock(clock):
        await dispatcher.handle(
            InboundMessage("telegram", "701", "我要人工客服", "Wang", "zh", "701:1")
        )
        (handoff,) = desk.handoffs
        clock.now += timedelta(hours=3)
        (answer,) = await dispatcher.handle(_photo("701", 2))
    number = handoff.case.number
    assert f"#{number}" in answer.text
    # Shown to the agents at once, with the case, though nobody has taken it yet.
    assert [(n, m.attachment.file_id) for n, m in desk.media] == [(number, "ph2")]
