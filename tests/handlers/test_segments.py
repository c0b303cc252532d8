"""Lifecycle stages and value tiers: the rules alone, stored activity, and what handlers do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from crm_memory import CaseKind, ChannelIdentity, Priority, SqlDatabase, use_clock
from crm_memory.sql._models import CustomerRow
from crm_memory.types import Activity, Customer
from handlers.complaint import complaint_priority
from handlers.segments import (
    ACTIVE,
    AT_RISK,
    CHURNED,
    NEW,
    Segmenter,
    SegmentRules,
    TierRule,
    lifecycle,
    tier_for,
)
from handlers.turn import Deps
from tests.handlers.conftest import Say

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
RULES = SegmentRules()


def _activity(**changes: object) -> Activity:
    base = Activity(
        customer_id=1,
        first_seen=NOW - timedelta(days=100),
        last_seen=NOW - timedelta(days=1),
        conversations=5,
        recent_conversations=2,
        open_complaints=0,
        recent_complaints=0,
        recent_low_ratings=0,
        recent_negative_feedback=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "stage"),
    [
        ({}, ACTIVE),
        ({"first_seen": NOW - timedelta(days=3), "conversations": 1}, NEW),
        # Many conversations in the first days: no longer "new".
        ({"first_seen": NOW - timedelta(days=3), "conversations": 3}, ACTIVE),
        ({"open_complaints": 1}, AT_RISK),
        ({"recent_complaints": 2}, AT_RISK),
        ({"recent_complaints": 1}, ACTIVE),
        ({"recent_low_ratings": 1}, AT_RISK),
        ({"recent_negative_feedback": 1}, AT_RISK),
        ({"last_seen": NOW - timedelta(days=45)}, AT_RISK),
        ({"last_seen": NOW - timedelta(days=90)}, CHURNED),
        # Churned wins over everything else; a new customer with a complaint is at risk.
        ({"last_seen": NOW - timedelta(days=200), "open_complaints": 1}, CHURNED),
        (
            {"first_seen": NOW - timedelta(days=1), "conversations": 1, "open_complaints": 1},
            AT_RISK,
        ),
        # Imported, never wrote: judged from when they were created.
        ({"last_seen": None, "first_seen": NOW - timedelta(days=400)}, CHURNED),
    ],
)
def test_lifecycle_rules(changes: dict[str, object], stage: str) -> None:
    assert lifecycle(_activity(**changes), now=NOW, rules=RULES) == stage


def _customer(**changes: object) -> Customer:
    base = Customer(
        id=1,
        display_name="A",
        language=None,
        tags=(),
        segment=NEW,
        tier="standard",
        email=None,
        external_ref=None,
        unreachable=False,
        created_at=NOW,
        last_seen_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_tier_rules_first_match_and_imported_tiers_kept() -> None:
    rules = (
        TierRule("platinum", min_lifetime_value=5000),
        TierRule("gold", min_lifetime_value=1000),
        TierRule("vip", tag="vip"),
    )
    assert tier_for(_customer(lifetime_value=7000.0), rules) == "platinum"
    assert tier_for(_customer(lifetime_value=1000.0), rules) == "gold"
    assert tier_for(_customer(lifetime_value=10.0, tags=("vip",)), rules) == "vip"
    assert tier_for(_customer(lifetime_value=10.0), rules) == "standard"
    assert tier_for(_customer(), rules) == "standard"
    assert tier_for(_customer(lifetime_value=9000.0, tier_source="import"), rules) is None
    assert tier_for(_customer(lifetime_value=9000.0), ()) is None  # no rules: leave it


async def test_activity_is_read_from_the_stores(db: SqlDatabase) -> None:
    identity = ChannelIdentity("telegram", "1")
    customer, _ = await db.customers.get_or_create(identity, display_name="A")
    since = datetime.now(UTC) - timedelta(days=30)
    await db.cases.open(
        customer_id=customer.id, kind=CaseKind.COMPLAINT, priority=Priority.NORMAL, reason="r"
    )
    closed = await db.cases.open(
        customer_id=customer.id, kind=CaseKind.COMPLAINT, priority=Priority.NORMAL, reason="r"
    )
    await db.cases.close(closed.number)
    await db.surveys.rate(customer_id=customer.id, rating=1, case_number=closed.number)
    await db.feedback.add(customer_id=customer.id, text="bad", sentiment=-0.5)
    activity = await db.customers.activity(customer.id, since=since)
    assert (activity.open_complaints, activity.recent_complaints) == (1, 2)
    assert (activity.recent_low_ratings, activity.recent_negative_feedback) == (1, 1)
    assert (await db.customers.activities(since=since))[customer.id] == activity

    segmenter = Segmenter(db.customers, SegmentRules(tiers=(TierRule("gold", tag="big"),)))
    await db.customers.update(customer.id, tags=["big"])
    refreshed = await segmenter.refresh(await db.customers.get(customer.id), now=datetime.now(UTC))
    assert (refreshed.segment, refreshed.tier, refreshed.tier_source) == (AT_RISK, "gold", "rule")


async def test_recompute_all_moves_quiet_customers_along(db: SqlDatabase) -> None:
    for user in ("1", "2", "3"):
        await db.customers.get_or_create(ChannelIdentity("telegram", user), display_name=user)
    async with db.engine.begin() as conn:
        for user, days in (("1", 1), ("2", 50), ("3", 120)):
            await conn.execute(
                update(CustomerRow)
                .where(CustomerRow.display_name == user)
                .values(
                    created_at=NOW - timedelta(days=200),
                    last_seen_at=NOW - timedelta(days=days),
                )
            )
    counts = await Segmenter(db.customers, RULES).recompute_all(now=NOW)
    assert counts == {NEW: 0, ACTIVE: 1, AT_RISK: 1, CHURNED: 1}
    assert [c.segment for c in await db.customers.all_customers()] == [ACTIVE, AT_RISK, CHURNED]


def test_at_risk_raises_a_complaints_priority() -> None:
    kwargs = {"text": "the lid is loose", "sentiment": -0.2, "repeat": False, "tier": "standard"}
    assert complaint_priority(**kwargs) is Priority.NORMAL  # type: ignore[arg-type]
    assert complaint_priority(**kwargs, segment=AT_RISK) is Priority.HIGH  # type: ignore[arg-type]


async def test_each_exchange_updates_the_stage_and_the_tone(anna: Say, deps: Deps) -> None:
    await anna("hi")
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None and customer.segment == NEW
    await anna("my kettle arrived broken, order A-1001")
    with use_clock(lambda: datetime.now(UTC) + timedelta(hours=2)):  # a new conversation
        (welcome,) = await anna("hello")
    # An open complaint: at risk, welcomed back more gently.
    customer = await deps.customers.get(customer.id)
    assert customer.segment == AT_RISK
    assert "not gone smoothly" in welcome.text
