"""Customer segments: a lifecycle stage from how contact goes, and a value tier by rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crm_memory import Customer
from crm_memory.protocols import CustomerStore
from crm_memory.types import Activity

NEW = "new"
ACTIVE = "active"
AT_RISK = "at-risk"
CHURNED = "churned"
STAGES = (NEW, ACTIVE, AT_RISK, CHURNED)


@dataclass(frozen=True, slots=True)
class TierRule:
    """A customer gets ``tier`` when their lifetime value reaches ``min_lifetime_value``
    and, if ``tag`` is set, they carry that tag."""

    tier: str
    min_lifetime_value: float | None = None
    tag: str | None = None

    def matches(self, customer: Customer) -> bool:
        if self.min_lifetime_value is not None and (
            customer.lifetime_value is None or customer.lifetime_value < self.min_lifetime_value
        ):
            return False
        return self.tag is None or self.tag in customer.tags


@dataclass(frozen=True, slots=True)
class SegmentRules:
    """When a customer counts as new, at risk or churned, and the value tiers, first match wins.

    Args:
        new_days: first contact at most this long ago, with at most ``new_conversations``
            conversations: new.
        recent_days: the window in which complaints, low ratings and negative feedback
            make a customer at risk.
        quiet_days: no contact for this long: at risk.
        churned_days: no contact for this long: churned.
        tiers: value tier rules; a tier set by import or by hand is kept.
    """

    new_days: int = 14
    new_conversations: int = 2
    recent_days: int = 30
    quiet_days: int = 45
    churned_days: int = 90
    tiers: tuple[TierRule, ...] = field(default_factory=tuple)


def lifecycle(activity: Activity, *, now: datetime, rules: SegmentRules) -> str:
    """The lifecycle stage: churned, at-risk, new or active, in that order of precedence.

    - churned: no contact for ``churned_days``;
    - at-risk: an open complaint, two complaints or a rating of 1-2 or negative feedback in
      ``recent_days``, or no contact for ``quiet_days``;
    - new: first contact within ``new_days`` and few conversations;
    - active: everyone else.
    """
    last = activity.last_seen or activity.first_seen
    if last is not None and now - last >= timedelta(days=rules.churned_days):
        return CHURNED
    unhappy = (
        activity.open_complaints > 0
        or activity.recent_complaints >= 2
        or activity.recent_low_ratings > 0
        or activity.recent_negative_feedback > 0
    )
    quiet = last is not None and now - last >= timedelta(days=rules.quiet_days)
    if unhappy or quiet:
        return AT_RISK
    first = activity.first_seen
    if (
        first is not None
        and now - first < timedelta(days=rules.new_days)
        and activity.conversations <= rules.new_conversations
    ):
        return NEW
    return ACTIVE


def tier_for(customer: Customer, rules: Sequence[TierRule]) -> str | None:
    """The tier the rules give, or None to leave the customer's tier as it is."""
    if customer.tier_source != "rule":
        return None
    return next((r.tier for r in rules if r.matches(customer)), "standard" if rules else None)


class Segmenter:
    """Recomputes customers' lifecycle stage and tier from their stored activity.

    Args:
        customers: where activity is read and segments are written.
        rules: the thresholds and tier rules (``crm.segments`` in config.yml).
    """

    def __init__(self, customers: CustomerStore, rules: SegmentRules) -> None:
        self._customers = customers
        self.rules = rules

    def since(self, now: datetime) -> datetime:
        """The start of the window recent complaints, ratings and feedback count in."""
        return now - timedelta(days=self.rules.recent_days)

    async def refresh(self, customer: Customer, *, now: datetime) -> Customer:
        """Recompute one customer (on each exchange); writes only when something changed."""
        activity = await self._customers.activity(customer.id, since=self.since(now))
        return await self.apply(customer, activity, now=now)

    async def apply(self, customer: Customer, activity: Activity, *, now: datetime) -> Customer:
        """Store the stage and tier this activity gives, when they differ from the stored."""
        stage = lifecycle(activity, now=now, rules=self.rules)
        tier = tier_for(customer, self.rules.tiers)
        if stage == customer.segment and (tier is None or tier == customer.tier):
            return customer
        return await self._customers.update(
            customer.id, segment=stage, tier=tier, tier_source="rule"
        )

    async def recompute_all(self, *, now: datetime) -> dict[str, int]:
        """Recompute every customer; returns how many are in each stage afterwards."""
        counts = dict.fromkeys(STAGES, 0)
        activities = await self._customers.activities(since=self.since(now))
        for customer in await self._customers.all_customers():
            activity = activities.get(customer.id) or Activity(
                customer_id=customer.id,
                first_seen=customer.created_at,
                last_seen=customer.last_seen_at,
                conversations=0,
                recent_conversations=0,
                open_complaints=0,
                recent_complaints=0,
                recent_low_ratings=0,
                recent_negative_feedback=0,
            )
            updated = await self.apply(customer, activity, now=now)
            counts[updated.segment] = counts.get(updated.segment, 0) + 1
        return counts
