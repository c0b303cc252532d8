"""A turn cut before its closing write (a worker killed, a lease lost) runs again for the same
message: everything it wrote the first time is found, nothing is written twice, and the
customer gets the answer the first run would have given."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from crm_memory import (
    CaseKind,
    CaseStatus,
    ChannelIdentity,
    Customer,
    DeskPost,
    Direction,
    MemoryConversationState,
    Message,
    Priority,
    ResilientConversationState,
    SqlDatabase,
    answering,
)
from crm_memory.sql.stores import SqlMessageStore
from handlers.dispatcher import Dispatcher
from handlers.instructions import REASON
from handlers.survey import BOT_RATE
from handlers.turn import Deps
from handlers.types import ContentKind, Handoff, InboundMessage, Reply
from nlu import BuiltinEngine


class Killed(Exception):
    """The worker died here."""


class CutOnce(SqlMessageStore):
    """The real store; the next ``cuts`` closing writes never happen (the worker died just
    before them, after the turn's other writes)."""

    cuts = 0

    async def record_replies(self, **kwargs: Any) -> list[Message]:
        if self.cuts > 0:
            self.cuts -= 1
            raise Killed("killed before the turn's closing write")
        return await super().record_replies(**kwargs)


class PostingDesk:
    """Posts to the agents' chat as the Telegram desk does: it asks the posts store before
    each post about a customer and remembers each one made (``fail``: the next card is cut
    before it goes out)."""

    def __init__(self, db: SqlDatabase) -> None:
        self._posts = db.posts
        self._cases = db.cases
        self.cards: list[int] = []
        self.alerts: list[str] = []
        self.fail = False

    async def _post(self, customer_id: int, case_number: int | None) -> bool:
        if await self._posts.already_posted(case_number):
            return False
        await self._posts.add(DeskPost(customer_id, -100, 1, case_number, None))
        return True

    async def case_escalated(self, handoff: Handoff) -> None:
        if self.fail:
            self.fail = False
            raise Killed("killed before the card went out")
        if await self._post(handoff.customer.id, handoff.case.number):
            self.cards.append(handoff.case.number)

    async def customer_wrote(self, **kwargs: Any) -> None:
        raise AssertionError("no agent owns these chats")

    async def customer_media(self, **kwargs: Any) -> None:
        raise AssertionError("no media here")

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        assert case_number is not None
        case = await self._cases.get(case_number)
        if await self._post(case.customer_id, case_number):
            self.alerts.append(text)

    async def erase(self, posts: Any) -> int:
        return 0


@pytest.fixture
def cut(db: SqlDatabase) -> CutOnce:
    return CutOnce(db, conversation_gap=timedelta(minutes=30))


@pytest.fixture
def desk(db: SqlDatabase) -> PostingDesk:
    return PostingDesk(db)


@pytest.fixture
def repeated(
    deps: Deps, db: SqlDatabase, cut: CutOnce, desk: PostingDesk, engine: BuiltinEngine
) -> Dispatcher:
    """A dispatcher on ``db`` (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) whose
    closing write can be cut."""
    on_db = replace(
        deps,
        customers=db.customers,
        messages=cut,
        cases=db.cases,
        feedback=db.feedback,
        surveys=db.surveys,
        posts=db.posts,
        media=db.media,
        segments=None,
        state=ResilientConversationState(MemoryConversationState(), owners=db.owners),
    )
    dispatcher = Dispatcher(deps=on_db, nlu=engine)
    dispatcher.attach_desk(desk)
    return dispatcher


class Chat:
    """One customer writing; ``twice`` runs a message's turn, cut before its closing write,
    then again (the inbox hands the same message over again)."""

    def __init__(self, dispatcher: Dispatcher, cut: CutOnce, user: str = "501") -> None:
        self.dispatcher = dispatcher
        self.cut = cut
        self.user = user
        self.count = 0

    def message(self, text: str, kind: ContentKind = ContentKind.TEXT) -> InboundMessage:
        self.count += 1
        return InboundMessage(
            channel="telegram",
            user_id=self.user,
            text=text,
            display_name="Anna",
            language_code="en",
            message_id=f"{self.user}:{self.count}",
            kind=kind,
        )

    async def say(self, text: str, kind: ContentKind = ContentKind.TEXT) -> list[Reply]:
        return await self.dispatcher.handle(self.message(text, kind))

    async def twice(self, text: str, kind: ContentKind = ContentKind.TEXT) -> list[Reply]:
        message = self.message(text, kind)
        self.cut.cuts = 1
        with pytest.raises(Killed):
            await self.dispatcher.handle(message)
        replies = await self.dispatcher.handle(message)
        assert replies, "the repeated turn answers"
        return replies

    async def customer(self) -> Customer:
        found = await self.dispatcher.deps.customers.find(ChannelIdentity("telegram", self.user))
        assert found is not None
        return found


@pytest.fixture
def anna(repeated: Dispatcher, cut: CutOnce) -> Chat:
    return Chat(repeated, cut)


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def test_a_complaint_opens_one_case_and_the_repeat_answers_with_it(
    anna: Chat, db: SqlDatabase
) -> None:
    replies = await anna.twice("the kettle I got is broken and leaking, this is useless")
    (case,) = await db.cases.for_customer((await anna.customer()).id)
    assert f"#{case.number}" in _text(replies)
    # It says it opened the case, as the first run would have: not "added to your case".
    assert case.summary.count("leaking") == 1
    said = [m for m in await db.messages.all_for(case.customer_id) if m.direction is Direction.OUT]
    assert [m.text for m in said] == [r.text for r in replies]  # recorded once, by the repeat


async def test_a_line_added_to_an_open_case_is_added_once(anna: Chat, db: SqlDatabase) -> None:
    await anna.say("the kettle I got is broken and leaking, this is useless")
    await anna.twice("also the lid is cracked")
    (case,) = await db.cases.for_customer((await anna.customer()).id)
    assert case.summary.count("lid is cracked") == 1


async def test_a_delivery_instruction_opens_one_case_and_a_second_adds_one_line(
    anna: Chat, db: SqlDatabase
) -> None:
    first = await anna.twice("order A-1002, leave it with next door if im out")
    (case,) = await db.cases.for_customer((await anna.customer()).id)
    assert case.reason == REASON and f"#{case.number}" in _text(first)
    await anna.twice("actually put it in the locker instead")
    (again,) = await db.cases.for_customer((await anna.customer()).id)
    assert again.number == case.number
    assert again.summary.count("next door") == 1 and again.summary.count("locker") == 1


async def test_feedback_is_stored_once(anna: Chat, db: SqlDatabase) -> None:
    await anna.say("hi")
    replies = await anna.twice("the new website is so much nicer to use, well done")
    assert len(await db.feedback.for_customer((await anna.customer()).id)) == 1
    assert "thank" in _text(replies).lower()


async def test_a_case_rating_is_stored_once_and_answered_again(
    anna: Chat, db: SqlDatabase, desk: PostingDesk
) -> None:
    await anna.say("the kettle I got is broken and leaking, this is useless")
    customer = await anna.customer()
    (case,) = await db.cases.for_customer(customer.id)
    await db.cases.close(case.number)
    # A low rating: the agents are alerted, once.
    replies = await anna.twice(f"rate:{case.number}:2", ContentKind.BUTTON)
    assert len(await db.surveys.for_customer(customer.id)) == 1
    assert (await db.cases.get(case.number)).csat == 2
    assert replies  # asked what went wrong, not silence
    assert len(desk.alerts) == 1


async def test_a_rating_of_the_bot_is_stored_once_and_thanked(
    anna: Chat, db: SqlDatabase
) -> None:
    await anna.say("hi")
    replies = await anna.twice(f"{BOT_RATE}:4", ContentKind.BUTTON)
    (rating,) = await db.surveys.for_customer((await anna.customer()).id)
    assert rating.rating == 4 and replies
    # Another press is still a second press: not let through by the repeat rule.
    assert await anna.say(f"{BOT_RATE}:5", ContentKind.BUTTON) == []


async def test_a_fact_is_remembered_once(anna: Chat, db: SqlDatabase) -> None:
    await anna.twice("where is my order A-1002")
    facts = await db.customers.facts((await anna.customer()).id)
    assert [(f.kind, f.value) for f in facts] == [("order_number", "A-1002")]


async def test_the_agents_card_goes_out_once(
    anna: Chat, db: SqlDatabase, desk: PostingDesk
) -> None:
    replies = await anna.twice("I want to talk to a real person")
    (case,) = await db.cases.for_customer((await anna.customer()).id)
    assert case.escalated_at is not None and f"#{case.number}" in _text(replies)
    assert desk.cards == [case.number]


async def test_a_card_not_sent_before_the_cut_is_sent_by_the_repeat(
    anna: Chat, db: SqlDatabase, desk: PostingDesk
) -> None:
    message = anna.message("I want to talk to a real person")
    desk.fail = True  # handed over in the database, killed before the card went out
    with pytest.raises(Killed):
        await anna.dispatcher.handle(message)
    replies = await anna.dispatcher.handle(message)
    (case,) = await db.cases.for_customer((await anna.customer()).id)
    assert desk.cards == [case.number]
    # Told it was handed over, as the first run would have: not "already with the team".
    assert replies and "already" not in _text(replies).lower()


async def test_writes_outside_a_repeat_are_not_taken_for_one(db: SqlDatabase) -> None:
    """Two messages each write their own rows; writes outside a turn are never deduplicated."""
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity("telegram", "9"), display_name="B"
    )
    for message_id in (1, 2):
        with answering(message_id):
            await db.feedback.add(customer_id=customer.id, text="meh", sentiment=-0.3)
            await db.cases.open(
                customer_id=customer.id,
                kind=CaseKind.COMPLAINT,
                priority=Priority.NORMAL,
                reason="x",
            )
    await db.feedback.add(customer_id=customer.id, text="meh", sentiment=-0.3)
    await db.feedback.add(customer_id=customer.id, text="meh", sentiment=-0.3)
    assert len(await db.feedback.for_customer(customer.id)) == 4
    assert len(await db.cases.for_customer(customer.id)) == 2
    assert all(c.status is CaseStatus.OPEN for c in await db.cases.for_customer(customer.id))


async def test_a_repeated_message_counts_once_towards_the_flood_limit(
    repeated: Dispatcher, cut: CutOnce
) -> None:
    """Three messages each run twice (cut before the closing write, then repeated) are three
    messages, within a limit of three: all answered; the fourth gets the 'slow down'."""
    repeated.deps = replace(repeated.deps, flood_limit=3, flood_window=60)
    anna = Chat(repeated, cut)
    for text in ("hi there", "what are your opening hours", "how much is shipping"):
        replies = await anna.twice(text)
        assert "faster than I can answer" not in _text(replies), text
    assert "faster than I can answer" in _text(await anna.say("hello??"))
