"""One turn of a conversation, and what every behaviour may use to answer it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from crm_memory import CustomerContext, MediaStore, Priority
from crm_memory.protocols import (
    AuditLog,
    CaseStore,
    ConversationState,
    CustomerStore,
    DeskPostStore,
    FeedbackStore,
    MessageStore,
    SurveyStore,
)
from handlers.acts import ActReader, shipped_acts
from handlers.arrival import ShippingTimes
from handlers.assignment import Router
from handlers.catalogue import Catalogue
from handlers.desk import AgentDesk, MediaFiles
from handlers.dialogue import Asked, Dialogue, Outcome, Question, Subject, Told
from handlers.hours import BusinessHours
from handlers.knowledge import KnowledgeBase
from handlers.orders import OrderLookup, OrderNumbers
from handlers.regions import DeliveryList
from handlers.responses import Responses
from handlers.segments import Segmenter
from handlers.sla import SlaPolicy, default_policy
from handlers.types import Button, InboundMessage, Reply
from handlers.wording import ANOTHER_ORDER, ONE_OF_THEM
from nlu import ParseResult

# Button payloads: bring in a person, or leave it; flag the open case urgent.
HUMAN = "human"
DISMISS = "dismiss"
URGENT = "urgent"


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
    # The team's first-reply and resolution targets (``agents.sla``): what a customer asking
    # "how long" with a case waiting for people is told to expect.
    sla: SlaPolicy = field(default_factory=default_policy)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    posts: DeskPostStore | None = None
    # Where reads, exports and erasures of customers' data are recorded (None: nowhere).
    audit: AuditLog | None = None
    segments: Segmenter | None = None
    # How long a quiet conversation keeps its context (the conversation gap).
    conversation_ttl: float = 1800.0
    order_numbers: OrderNumbers = field(default_factory=OrderNumbers)
    # Products, prices and stock for "do you sell ..." / "how much is ...".
    catalogue: Catalogue | None = None
    # The countries the shop delivers to ("do you ship to australia?").
    delivery: DeliveryList = field(default_factory=DeliveryList)
    # Cut-off and delivery days, for "if i order tonight will it come by friday".
    shipping: ShippingTimes = field(default_factory=ShippingTimes)
    # Attachments of messages (photos, files, voice notes); None: recorded as text markers only.
    media: MediaStore | None = None
    # Cached copies of those files, deleted when a customer is erased.
    media_files: MediaFiles | None = None
    # Media sent this soon after a case was opened goes with it (a photo of the broken kettle
    # right after the complaint); ``media.attach_window_minutes``.
    media_attach_window: timedelta = timedelta(minutes=15)
    # Gives escalated cases out to agents (None: whoever takes a case has it).
    router: Router | None = None
    # A chat an agent owns (handlers/owned_chat.py): a customer who heard nothing from anyone
    # for this long gets one holding reply (``agents.holding_reply_minutes``); after this long
    # without the agent's word the bot answers again (``agents.return_to_bot_hours``). Zero:
    # never.
    holding_after: timedelta = timedelta(minutes=20)
    return_to_bot_after: timedelta = timedelta(hours=24)
    # What a message does in the conversation ("how long?", a yes, "然后呢"): the dialogue
    # acts classifier, trained on handlers/data/acts (bot/app.py gives a cached one).
    acts: ActReader = field(default_factory=shipped_acts)


@dataclass(frozen=True, slots=True)
class Turn:
    """A customer's message with everything known about them, ready for a behaviour.

    ``dialogue`` is the conversation so far (read it); what a behaviour decides for the next
    turn (a question asked, a case used, a problem left unsolved) goes into ``outcome``.
    """

    message: InboundMessage
    context: CustomerContext
    parse: ParseResult
    language: str
    deps: Deps
    dialogue: Dialogue = field(default_factory=Dialogue)
    outcome: Outcome = field(default_factory=Outcome)
    # The recorded message's row and the conversation it belongs to.
    message_record: int | None = None
    conversation_id: int | None = None
    # The open cases an agent had and handed back to the bot (``agents.handed_back``): no
    # one on the team is on them now, whatever their owner says.
    handed_back: frozenset[int] = frozenset()

    @property
    def chat(self) -> str:
        """The key of this customer's chat in conversation state."""
        return str(self.message.identity)

    @property
    def customer_id(self) -> int:
        return self.context.customer.id

    @property
    def name(self) -> str:
        """How to address the customer: their name, never a key standing in for one (an
        anonymous website visitor's ``v7dd0d9...``, kept as the display name when the channel
        gave no name; a shop's user number; an e-mail address). The console's user is named
        by their user id on purpose and keeps it."""
        name = self.context.customer.display_name.strip()
        keyed = not self.message.display_name and name == self.message.user_id
        if keyed or "@" in name or not any(c.isalpha() for c in name):
            name = ""
        return name or ("朋友" if self.language == "zh" else "there")

    def say(self, key: str, /, **values: object) -> str:
        """A template in the customer's language, in a different wording from last time."""
        responses = self.deps.responses
        count = responses.wordings(key, self.language)
        index = 0
        if count > 1:
            last = self.outcome.said.get(key, self.dialogue.variant(key))
            index = 0 if last is None else (last + 1) % count
            self.outcome.said[key] = index
        return responses.render(key, self.language, variant=index, **values)

    def offer_human(self, key: str, /, **values: object) -> Reply:
        """A reply that offers a person, with yes/no buttons; a typed "yes" accepts it too."""
        self.ask(Asked(Question.HUMAN))
        return self.reply(
            key, self.button("button_yes", HUMAN), self.button("button_no", DISMISS), **values
        )

    def answered_from(self, entry: str, /, *, shown: bool = True, case: int | None = None) -> None:
        """This turn answers about a knowledge-base entry: its text (``shown``; the
        conversation does not repeat it), or what it describes done (a cancellation asked
        for, a charge on ``case`` for the payments team). A short follow-up is read against
        it next (handlers/followups.py)."""
        if shown:
            self.outcome.said[f"faq:{entry}"] = self.dialogue.turn
        self.outcome.subject = Subject(entry=entry, shown=shown, case=case, turn=self.dialogue.turn)

    def explained(self, told: Told, /) -> None:
        """This turn explains something no knowledge-base entry holds (the refund of the
        order just cancelled): a short follow-up next ("要几天") is about it."""
        self.outcome.subject = Subject(told=told, turn=self.dialogue.turn)

    def ask(self, asked: Asked) -> None:
        """The bot asks the customer something; the next message is read against it.

        Of a person offered after a case's order number was asked in the same reply (a
        second request of the message the FAQ cannot answer), the order number stays the
        question: the number sent next goes on the case (the offer's button still works).
        An order number asked again for another request of the message ("charged twice, and
        chase the courier"): one question, the number then used for each (``Asked.then``)."""
        current = self.outcome.asked
        if (
            asked.question is Question.ORDER_NUMBER
            and current is not None
            and current.question is Question.ORDER_NUMBER
            and current.case is None
            and asked.case is None
            and current.order is None
            and asked.purpose is not None
            and current.purpose is not None
            and asked.purpose not in (current.purpose, *current.then)
        ):
            self.outcome.asked = replace(current, then=(*current.then, asked.purpose))
            return
        if (
            asked.question is Question.HUMAN
            and current is not None
            and current.question is Question.ORDER_NUMBER
            and current.case is not None
        ):
            return
        self.outcome.asked = asked

    @property
    def order_in_play(self) -> str | None:
        """An order number from this message or the last few turns of the conversation; none
        when the message speaks of another order than those, not naming it ("i want to return
        something from another order", "我另一个订单呢"), or of one of several named together
        without saying which ("one of them arrived broken", "其中一个坏了")."""
        entity = self.parse.entity("order_number")
        if entity is not None:
            return entity.value
        if ANOTHER_ORDER.search(self.message.text):
            return None
        if (
            ONE_OF_THEM.search(self.message.text)
            and len(self.dialogue.named_together("order_number")) > 1
        ):
            return None  # "one of them arrived broken" after two orders: which one is asked
        slot = self.dialogue.slot("order_number")
        return slot.value if slot is not None else None

    def is_order_number(self, written: str, /) -> bool:
        """True when a number in the message is an order number: one this message names as
        an order (said with order words, known to the shop, or given when the bot asked for
        an order number), whatever its shape: "2026112300457" is no phone or tax number."""
        digits = "".join(c for c in written if c.isalnum()).upper()
        named = ("".join(c for c in e.value if c.isalnum()).upper() for e in self.parse.orders)
        asked = self.dialogue.asked
        return any(digits == n for n in named) or (
            asked is not None and asked.question is Question.ORDER_NUMBER
        )

    def reply(self, key: str, /, *buttons: Button, **values: object) -> Reply:
        """A reply from one template, with optional buttons."""
        return Reply(self.say(key, **values), buttons=buttons)

    def button(self, key: str, payload: str, /) -> Button:
        """A button labelled by a template."""
        return Button(self.say(key), payload)
