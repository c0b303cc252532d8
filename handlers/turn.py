"""One turn of a conversation, and what every behaviour may use to answer it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from crm_memory import CustomerContext, Priority
from crm_memory.protocols import (
    CaseStore,
    ConversationState,
    CustomerStore,
    DeskPostStore,
    FeedbackStore,
    MessageStore,
    SurveyStore,
)
from handlers.desk import AgentDesk
from handlers.hours import BusinessHours
from handlers.knowledge import KnowledgeBase
from handlers.orders import OrderLookup
from handlers.responses import Responses
from handlers.segments import Segmenter
from handlers.types import Button, InboundMessage, Reply
from nlu import ParseResult


@dataclass(frozen=True, slots=True)
class Deps:
    """The stores and services behaviours are built on (given by bot/app.py)."""

    customers: CustomerStore
    messages: MessageStore
    cases: CaseStore
    feedback: FeedbackStore
    surveys: SurveyStore
    state: ConversationState
    responses: Responses
    knowledge: KnowledgeBase
    orders: OrderLookup | None = None
    desk: AgentDesk | None = None
    company: str = "our shop"
    fallback_ttl: float = 600.0
    # Escalation thresholds: sentiment at or below this, complaints at or above this priority.
    negative_sentiment: float = -0.7
    escalate_priority: Priority = Priority.HIGH
    # More than flood_limit messages within flood_window seconds: recorded, not answered.
    flood_limit: int = 8
    flood_window: float = 10.0
    hours: BusinessHours | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    posts: DeskPostStore | None = None
    segments: Segmenter | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """A customer's message with everything known about them, ready for a behaviour."""

    message: InboundMessage
    context: CustomerContext
    parse: ParseResult
    language: str
    deps: Deps

    @property
    def chat(self) -> str:
        """The key of this customer's chat in conversation state."""
        return str(self.message.identity)

    @property
    def customer_id(self) -> int:
        return self.context.customer.id

    @property
    def name(self) -> str:
        """How to address the customer."""
        name = self.context.customer.display_name.strip()
        return name or ("朋友" if self.language == "zh" else "there")

    def say(self, key: str, /, **values: object) -> str:
        """A template in the customer's language."""
        return self.deps.responses.render(key, self.language, **values)

    def reply(self, key: str, /, *buttons: Button, **values: object) -> Reply:
        """A reply from one template, with optional buttons."""
        return Reply(self.say(key, **values), buttons=buttons)

    def button(self, key: str, payload: str, /) -> Button:
        """A button labelled by a template."""
        return Button(self.say(key), payload)
