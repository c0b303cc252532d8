"""A real dispatcher on SQLite, the in-process state and the trained built-in engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from crm_memory import MemoryConversationState, ResilientConversationState, SqlDatabase
from handlers.catalogue import SAMPLE_CATALOGUE, CsvCatalogue
from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.orders import SAMPLE_ORDERS, CsvOrderLookup
from handlers.responses import Responses
from handlers.segments import Segmenter, SegmentRules
from handlers.turn import Deps
from handlers.types import ContentKind, InboundMessage, Reply
from nlu import BuiltinEngine

Say = Callable[..., Awaitable[list[Reply]]]


@pytest.fixture
def deps(sqlite_db: SqlDatabase) -> Deps:
    return Deps(
        customers=sqlite_db.customers,
        messages=sqlite_db.messages,
        cases=sqlite_db.cases,
        feedback=sqlite_db.feedback,
        surveys=sqlite_db.surveys,
        state=ResilientConversationState(MemoryConversationState(), owners=sqlite_db.owners),
        responses=Responses.load(),
        knowledge=KnowledgeBase.load(),
        orders=CsvOrderLookup(SAMPLE_ORDERS),
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
