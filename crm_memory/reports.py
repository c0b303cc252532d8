"""What the support lead reads: the report's records, free of SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Durations:
    """How long something took over a set of cases, in seconds."""

    count: int
    median_seconds: float | None
    p90_seconds: float | None


@dataclass(frozen=True, slots=True)
class Csat:
    """Satisfaction ratings (1-5): average, how many, and how they spread."""

    average: float | None
    responses: int
    distribution: dict[int, int]


@dataclass(frozen=True, slots=True)
class DayCsat:
    """One day's ratings, for the CSAT-over-time chart."""

    day: str
    average: float
    responses: int


@dataclass(frozen=True, slots=True)
class TopicSentiment:
    """Feedback on one topic: how much and how it felt on average (-1..1)."""

    topic: str
    count: int
    average_sentiment: float


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """Feedback given in the period, by sentiment and topic."""

    count: int
    average_sentiment: float | None
    positive: int
    negative: int
    neutral: int
    topics: tuple[TopicSentiment, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `crm report` shows for a period ``[since, until)`` (None: unbounded).

    Containment: of the conversations started in the period, the share that no person
    handled, i.e. none of its cases was handed to people during it and no agent wrote in it.
    """

    since: datetime | None
    until: datetime | None
    conversations: int
    contained_conversations: int
    containment_rate: float | None
    escalated_conversations: int
    escalation_rate: float | None
    escalations: int
    escalation_reasons: dict[str, int]
    customers: int
    messages: int
    messages_by_sender: dict[str, int]
    cases_opened: int
    cases_by_kind: dict[str, int]
    cases_by_status: dict[str, int]
    cases_by_priority: dict[str, int]
    first_response: Durations
    resolution: Durations
    csat_average: float | None
    csat_responses: int
    csat_distribution: dict[int, int]
    csat_surveys_sent: int
    csat_response_rate: float | None
    csat_bot: Csat
    csat_human: Csat
    csat_by_agent: dict[str, Csat]
    csat_by_day: tuple[DayCsat, ...]
    top_intents: dict[str, int]
    understood_messages: int
    fallback_rate: float | None
    complaint_topics: dict[str, int]
    feedback: FeedbackSummary
    segments: dict[str, int] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=dict)
