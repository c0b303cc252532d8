"""A real dispatcher on SQLite, the in-process state and the trained built-in engine."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.conversation_tests import DEFAULT_START
from crm_memory import (
    ChannelIdentity,
    Customer,
    Media,
    MemoryConversationState,
    ResilientConversationState,
    SqlDatabase,
    use_clock,
)
from handlers.acts import ActReader
from handlers.agents import AgentService
from handlers.catalogue import SAMPLE_CATALOGUE, CsvCatalogue
from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.orders import SAMPLE_ORDERS, CsvOrderLookup
from handlers.responses import Responses
from handlers.segments import Segmenter, SegmentRules
from handlers.turn import Deps
from handlers.types import ContentKind, Handoff, InboundMessage, Reply
from nlu import BuiltinEngine

Say = Callable[..., Awaitable[list[Reply]]]


class WeekClock:
    """The handler tests' time: a fixed Monday morning (the conversation files' start) that
    runs on at the real pace. Orders' relative dates count from the same day, so a reply that
    names a weekday is the same whatever day the suite runs (on a Thursday, A-1001's date fell
    on a Saturday and "saturday too?" read as balking at it)."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self.start = start
        self._began = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._began)


class RealClock(WeekClock):
    """The real clock, for suites that borrow these fixtures and run against real time (the
    desk, the API, the Telegram channel: tokens, leases and timers on the wall clock)."""

    def __init__(self) -> None:
        super().__init__(datetime.now(UTC))

    def __call__(self) -> datetime:
        return datetime.now(UTC)


@pytest.fixture
def week_clock() -> Iterator[WeekClock]:
    """The bot's clock and CRM memory's stamps both on the tests' week."""
    clock = WeekClock()
    with use_clock(clock):
        yield clock


@pytest.fixture
def deps(sqlite_db: SqlDatabase, acts: ActReader, week_clock: WeekClock) -> Deps:
    return Deps(
        clock=week_clock,
        acts=acts,
        customers=sqlite_db.customers,
        messages=sqlite_db.messages,
        cases=sqlite_db.cases,
        feedback=sqlite_db.feedback,
        surveys=sqlite_db.surveys,
        state=ResilientConversationState(MemoryConversationState(), owners=sqlite_db.owners),
        responses=Responses.load(),
        knowledge=KnowledgeBase.load(),
        orders=CsvOrderLookup(SAMPLE_ORDERS, today=week_clock.start.date()),
        catalogue=CsvCatalogue(SAMPLE_CATALOGUE),
        company="Acme Home",
        posts=sqlite_db.posts,
        audit=sqlite_db.audit,
        media=sqlite_db.media,
        segments=Segmenter(sqlite_db.customers, SegmentRules()),
    )


@pytest.fixture
def dispatcher(deps: Deps, engine: BuiltinEngine) -> Dispatcher:
    return Dispatcher(deps=deps, nlu=engine)


def make_say(dispatcher: Dispatcher, user: str, name: str, language: str | None = "en") -> Say:
    counter = iter(range(1, 10_000))

    async def say(text: str, kind: ContentKind = ContentKind.TEXT) -> list[Reply]:
        return await dispatcher.handle(
            InboundMessage(
                channel="telegram",
                user_id=user,
                text=text,
                display_name=name,
                language_code=language,
                message_id=f"{user}:{next(counter)}",
                kind=kind,
            )
        )

    return say


@pytest.fixture
def anna(dispatcher: Dispatcher) -> Say:
    return make_say(dispatcher, "100", "Anna")


# --- agents at work: a desk and an outbox that record, an agent service over them ----------


class FakeDesk:
    """Records what the dispatcher hands to agents."""

    def __init__(self) -> None:
        self.handoffs: list[Handoff] = []
        self.relayed: list[tuple[int | None, str]] = []
        self.alerts: list[str] = []
        self.media: list[tuple[int | None, Media]] = []

    async def case_escalated(self, handoff: Handoff) -> None:
        self.handoffs.append(handoff)

    async def customer_wrote(
        self, *, case_number: int | None, customer: Customer, identity: ChannelIdentity, text: str
    ) -> None:
        self.relayed.append((case_number, text))

    async def customer_media(
        self,
        *,
        case_number: int | None,
        customer: Customer,
        identity: ChannelIdentity,
        media: Media,
    ) -> None:
        self.media.append((case_number, media))

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        self.alerts.append(text)


class FakeOutbox:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.delivered: list[tuple[ChannelIdentity, Reply]] = []

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        self.delivered.append((identity, reply))
        if reply.record_id is not None:
            await self.deps.messages.mark_sent(reply.record_id)


@pytest.fixture
def desk() -> FakeDesk:
    return FakeDesk()


@pytest.fixture
def dispatcher_with_desk(deps: Deps, engine: BuiltinEngine, desk: FakeDesk) -> Dispatcher:
    return Dispatcher(deps=replace(deps, desk=desk), nlu=engine)


@pytest.fixture
def say(dispatcher_with_desk: Dispatcher) -> Say:
    """Anna (telegram:100) talking, with the recording desk attached."""
    return make_say(dispatcher_with_desk, "100", "Anna")


@pytest.fixture
def outbox(deps: Deps) -> FakeOutbox:
    return FakeOutbox(deps)


@pytest.fixture
def agents(dispatcher_with_desk: Dispatcher, outbox: FakeOutbox) -> AgentService:
    return AgentService(deps=dispatcher_with_desk.deps, outbox=outbox)


async def rated_case(
    dispatcher: Dispatcher,
    agents: AgentService,
    desk: FakeDesk,
    user: str,
    *,
    zh: bool,
    stars: int,
) -> Say:
    """A customer whose case was handed to a person, closed and rated ``stars``: what they
    write next is read against the survey (a comment, or a new request)."""
    say = make_say(dispatcher, user, "小安" if zh else "Ana", "zh" if zh else "en")
    await say(
        "订单A-1003的咖啡机漏水 转人工"
        if zh
        else "the coffee machine from A-1003 leaks, get me a person"
    )
    number = desk.handoffs[-1].case.number
    await agents.close(number, "Maria")
    await say(f"rate:{number}:{stars}", ContentKind.BUTTON)
    return say


class Clock:
    """A clock a test sets (``clock.now = ...``) and the bot reads (``Deps.clock``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
