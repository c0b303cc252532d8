"""Round robin, skills and capacity, and the order of the queue (pure functions and the store)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import Case, CaseKind, CaseStatus, ChannelIdentity, Priority, SqlDatabase
from crm_memory.assignment import HANDED_BACK, AgentProfile, AgentStatus
from handlers.agents import handed_back
from handlers.assignment import AssignPolicy, Router, parse_skills, pick, queue_order
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import FakeDesk, make_say

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
POLICY = AssignPolicy(capacity=2)


def agent(
    name: str,
    *,
    skills: tuple[str, ...] = (),
    status: AgentStatus = AgentStatus.ONLINE,
    capacity: int | None = None,
    last: datetime | None = None,
) -> AgentProfile:
    return AgentProfile(name, status, capacity, skills, None, None, last)


def case(number: int, priority: Priority, minutes: int) -> Case:
    at = T0 + timedelta(minutes=minutes)
    return Case(
        number=number,
        customer_id=1,
        kind=CaseKind.ESCALATION,
        status=CaseStatus.OPEN,
        priority=priority,
        reason="",
        summary="",
        owner=None,
        opened_at=at,
        first_response_at=None,
        closed_at=None,
        csat=None,
        escalated_at=at,
    )


def test_round_robin_goes_to_whoever_was_given_a_case_longest_ago() -> None:
    team = [
        agent("lee", last=T0 + timedelta(minutes=5)),
        agent("maria", last=T0 + timedelta(minutes=1)),
        agent("zoe"),  # never given one: first
    ]
    chosen = pick(team, load={}, language="en", topic=None, policy=POLICY)
    assert chosen is not None and chosen.name == "zoe"
    team[2] = agent("zoe", last=T0 + timedelta(minutes=9))
    chosen = pick(team, load={}, language="en", topic=None, policy=POLICY)
    assert chosen is not None and chosen.name == "maria"


def test_only_online_agents_with_room_and_the_language() -> None:
    team = [
        agent("away", status=AgentStatus.AWAY),
        agent("full", capacity=1),
        agent("english", skills=("en",)),
        agent("chinese", skills=("zh", "en"), last=T0),
    ]
    load = {"full": 1}
    zh = pick(team, load=load, language="zh", topic=None, policy=POLICY)
    assert zh is not None and zh.name == "chinese"
    # zh-Hans-style codes match on the language itself.
    assert pick(team, load=load, language="zh-hans", topic=None, policy=POLICY) == zh
    load["chinese"] = 2  # at the default capacity of 2
    assert pick(team, load=load, language="zh", topic=None, policy=POLICY) is None
    # An agent without language skills takes anyone.
    team.append(agent("anyone"))
    anyone = pick(team, load=load, language="zh", topic=None, policy=POLICY)
    assert anyone is not None and anyone.name == "anyone"


def test_a_known_topic_prefers_agents_who_know_it() -> None:
    team = [agent("lee", skills=("en",)), agent("maria", skills=("en", "returns"), last=T0)]
    chosen = pick(team, load={}, language="en", topic="returns", policy=POLICY)
    assert chosen is not None and chosen.name == "maria"
    # Nobody knows the topic: any agent with the language.
    chosen = pick(team, load={}, language="en", topic="delivery", policy=POLICY)
    assert chosen is not None and chosen.name == "lee"


def test_queue_high_priority_first_then_oldest() -> None:
    waiting = [
        case(1, Priority.NORMAL, 0),
        case(2, Priority.HIGH, 10),
        case(3, Priority.URGENT, 20),
        case(4, Priority.HIGH, 5),
        case(5, Priority.LOW, -30),
    ]
    assert [c.number for c in queue_order(waiting)] == [3, 4, 2, 1, 5]


def test_skills_parsed_from_how_leads_type_them() -> None:
    assert parse_skills("zh, EN,returns  zh，delivery") == ("zh", "en", "returns", "delivery")
    assert parse_skills("") == ()


async def _escalated(db: SqlDatabase, customer_id: int, count: int) -> list[int]:
    """``count`` cases of the customer's, each escalated (waiting for an agent)."""
    numbers = []
    for _ in range(count):
        opened = await db.cases.open(
            customer_id=customer_id,
            kind=CaseKind.ESCALATION,
            priority=Priority.NORMAL,
            reason="asked",
            summary="",
        )
        await db.cases.escalate(opened.number, "asked for a human")
        numbers.append(opened.number)
    return numbers


async def test_store_counts_load_keeps_the_record_and_the_queue(db: SqlDatabase) -> None:
    sqlite_db = db  # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    store = sqlite_db.assignment
    await store.set_profile("maria", capacity=2, skills=("en",), telegram_user_id=9001)
    with pytest.raises(Exception, match="linked to another agent"):
        await store.set_profile("lee", telegram_user_id=9001)
    customer, _ = await sqlite_db.customers.get_or_create(
        ChannelIdentity("telegram", "1"), display_name="Anna"
    )
    numbers = await _escalated(sqlite_db, customer.id, 3)
    assert [c.number for c in await store.waiting()] == numbers
    await store.assign(numbers[0], "maria", by="auto", reason="auto")
    await store.assign(numbers[1], "maria", by="lee", reason="transfer")
    assert await store.load() == {"maria": 2}
    assert [c.number for c in await store.waiting()] == [numbers[2]]
    # Handed back to the bot: off her hands, and not queued again.
    await store.assign(numbers[1], None, by="maria", reason="handed back")
    assert await store.load() == {"maria": 1}
    assert [c.number for c in await store.waiting()] == [numbers[2]]
    record = await store.assignments(numbers[1])
    assert [(a.agent, a.assigned_by, a.reason) for a in record] == [
        ("maria", "lee", "transfer"),
        (None, "maria", "handed back"),
    ]
    profile = await store.by_telegram(9001)
    assert profile is not None and profile.name == "maria" and profile.last_assigned_at
    assert await store.alert_once(numbers[0], "first_response_warning")
    assert not await store.alert_once(numbers[0], "first_response_warning")


@pytest.mark.parametrize("profiles", [False, True])
async def test_without_profiles_or_with_auto_off_whoever_takes_it_has_it(
    deps: Deps, engine: BuiltinEngine, sqlite_db: SqlDatabase, profiles: bool
) -> None:
    if profiles:
        await sqlite_db.assignment.set_profile("maria", status=AgentStatus.ONLINE)
    router = Router(
        store=sqlite_db.assignment,
        cases=sqlite_db.cases,
        customers=sqlite_db.customers,
        policy=AssignPolicy(auto=not profiles),  # profiles but agents.auto_assign false
    )
    desk = FakeDesk()
    dispatcher = Dispatcher(deps=replace(deps, router=router), nlu=engine)
    dispatcher.attach_desk(desk)
    await make_say(dispatcher, "100", "Anna")("I want to talk to a human")
    (case,) = await sqlite_db.cases.all()
    assert case.owner is None and case.escalated_at is not None
    assert len(desk.handoffs) == 1 and desk.alerts == []  # posted, not given out nor queued
    assert await sqlite_db.assignment.assignments() == []


async def test_two_workers_assigning_at_once_cannot_overfill_an_agent(db: SqlDatabase) -> None:
    """Two bot workers (each its own connections) give agents with room for one case a case
    each, several at the same instant: one gets through per agent, the rest are refused."""
    other = SqlDatabase(db.engine.url.render_as_string(hide_password=False))
    try:
        customer, _ = await db.customers.get_or_create(
            ChannelIdentity("telegram", "1"), display_name="Anna"
        )
        for round_ in range(3):
            name = f"agent{round_}"
            await db.assignment.set_profile(name, capacity=1, status=AgentStatus.ONLINE)
            numbers = await _escalated(db, customer.id, 6)
            workers = (db, other) * 3
            given = await asyncio.gather(
                *(
                    worker.assignment.assign_if_room(
                        number, name, capacity=1, by="auto", reason="auto"
                    )
                    for worker, number in zip(workers, numbers, strict=True)
                )
            )
            assert len([g for g in given if g is not None]) == 1, given
            assert (await db.assignment.load())[name] == 1
            # The ones refused still wait, unchanged.
            refused = [n for n, g in zip(numbers, given, strict=True) if g is None]
            assert set(refused) <= {c.number for c in await db.assignment.waiting()}
        # A case someone holds is not given to another.
        (held,) = [c for c in await db.cases.all() if c.owner == "agent0"]
        await db.assignment.set_profile("zoe", capacity=5, status=AgentStatus.ONLINE)
        taken = await other.assignment.assign_if_room(
            held.number, "zoe", capacity=5, by="auto", reason="auto"
        )
        assert taken is None and (await db.cases.get(held.number)).owner == "agent0"
    finally:
        await other.dispose()


async def test_a_case_handed_back_is_known_as_such_until_it_changes_hands(
    deps: Deps, sqlite_db: SqlDatabase
) -> None:
    router = Router(
        store=sqlite_db.assignment,
        cases=sqlite_db.cases,
        customers=sqlite_db.customers,
        policy=AssignPolicy(auto=False),
    )
    customer, _ = await sqlite_db.customers.get_or_create(
        ChannelIdentity("telegram", "7"), display_name="Anna"
    )
    (number,) = await _escalated(sqlite_db, customer.id, 1)
    taken = await sqlite_db.cases.assign(number, "maria")
    await router.took(number, "maria")
    with_router = replace(deps, router=router)
    assert not await router.handed_back(number)
    assert not await handed_back(with_router, taken)
    await router.released(number, by="maria", reason=HANDED_BACK)
    kept = await sqlite_db.cases.get(number)
    assert kept.owner == "maria"  # her name stays on it; she is not on it now
    assert await router.handed_back(number)
    assert await handed_back(with_router, kept)
    # Without a router only a take gives a case to an agent: the bot answering means given back.
    assert await handed_back(replace(deps, router=None), kept)
    queued = await sqlite_db.cases.requeue(number)
    assert not await handed_back(with_router, queued)
