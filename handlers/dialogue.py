"""The conversation state of one chat: topic, the open question, entities in play, wordings used."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from crm_memory import StoreUnavailable
from crm_memory.protocols import ConversationState
from handlers.acts import Act

logger = logging.getLogger(__name__)

KEY = "dialogue"
# Entities older than this many turns are no longer "in play" (still remembered as facts).
ENTITY_TURNS = 8
# A follow-up leans on the subject of an answer given this many turns ago at most ("i paid
# with paypal" right after the refund answer; "ok" in between does not move it on).
SUBJECT_TURNS = 2
# What the customer's messages were about (a refund, a delivery) holds this many turns: a
# short "why so long?" two messages later is still about that money.
MATTER_TURNS = 2


# What an answer said of its orders beyond their status: their courier and tracking.
CARRIER = "carrier"


class Told(StrEnum):
    """What the bot explained that no knowledge-base entry holds: a short follow-up right
    after it ("要几天", "how long?") is about the same thing."""

    CANCEL_REFUND = "cancel_refund"  # the refund of the order just cancelled
    UNSHIPPED_REFUND = "unshipped_refund"  # the refund of an order not shipped yet
    LOST_PARCEL_REFUND = "lost_parcel_refund"  # the refund of a parcel that never came
    CANCEL_WITHDRAWN = "cancel_withdrawn"  # a cancellation taken back: the order goes ahead
    # Something refused because the order is with the carrier (cancel, express, address).
    SHIPPED_REFUSAL = "shipped_refusal"
    # The replacement chosen on a case, or when it comes: "how long?" next is about it.
    REPLACEMENT = "replacement"
    # The refund chosen on a case: "why?" next asks why it waits for the item's return.
    REFUND = "refund_chosen"
    # An order number put on the open case: a nod next is a nod, not a go-ahead.
    CASE_ORDER = "case_order"
    # When the case's money comes, wanted today: "how long?" next is about that money.
    CASE_MONEY = "case_money"


class Matter(StrEnum):
    """What the customer's own words were about, whatever the answer's topic."""

    REFUND = "refund"
    DELIVERY = "delivery"


class Question(StrEnum):
    """What the bot asked and is waiting for an answer to."""

    ORDER_NUMBER = "order_number"  # ``purpose`` says what the number is for
    HUMAN = "human"  # shall I bring in a person?
    OPEN_CASE = "open_case"  # shall I open a case (about ``order``)?
    COMMENT = "comment"  # a rating's comment; ``survey`` is the response id
    FOLLOW_UP = "follow_up"  # negative feedback: shall someone follow up?
    ADDRESS = "address"  # the new delivery address for ``order`` (not shipped yet)
    ERASE = "erase"  # erase everything we store about the customer? (a typed yes does it)


class Purpose(StrEnum):
    """What an order number the bot asked for, or the person it offered, is for."""

    ORDER_STATUS = "order_status"
    COMPLAINT = "complaint"  # attach to ``case``
    PAYMENT = "payment"
    RETURN = "return"
    REFUND = "refund"  # a case offered to trace a refund that has not come
    CANCEL = "cancel"  # the order the customer wants cancelled
    ADDRESS = "address"  # the order of the new address on ``case``
    # "delivered on ...; if it didn't reach you, tell me": a case if they say they never got
    # it (a plain yes is no such thing: "yes got it thanks")
    NOT_RECEIVED = "not_received"
    # After the express answer with no order in play: the order to say express for. On the
    # offer of a person (HUMAN): the person is to switch ``order`` to express.
    EXPRESS = "express"
    # "same for my other order" right after a new address: the other order, to take it too.
    ADDRESS_TOO = "address_too"
    # "can you chase the courier" with no order in play: the order whose carrier to chase.
    CHASE = "chase"
    # The order to change (another size, colour or quantity) before it ships.
    CHANGE = "change"


class Proposal(StrEnum):
    """What the bot took up or set going for the customer, which a change of mind takes back."""

    CANCEL = "cancel"  # a cancellation taken (on its case)
    EXCHANGE = "exchange"  # an exchange or a replacement: the item swapped for another
    RETURN = "return"  # a return, or the refund chosen for the item
    CHASE = "chase"  # the courier chased (on a case)


@dataclass(frozen=True, slots=True)
class Proposed:
    """The last thing proposed or set going in this conversation: its ``kind``, the ``order``
    it is for, the ``case`` it is on (``opened``: that case was opened for it), and the
    ``turn`` it came in. "actually keep it" takes this one back, not an earlier one."""

    kind: Proposal
    order: str | None = None
    case: int | None = None
    opened: bool = False
    turn: int = 0


@dataclass(frozen=True, slots=True)
class Asked:
    """The question the bot is waiting on, and what the answer is for.

    For an offer (HUMAN, OPEN_CASE, FOLLOW_UP) it is what the bot would do on a yes:
    ``question`` the first thing offered, ``also`` the other things offered in the same
    breath ("shall I open a case, or bring in a person?"), ``order`` and ``purpose`` what it
    is about. A yes that names one of them ("行 转吧", "yes get someone") takes that one.
    An order number asked for several requests of one message ("charged twice, and chase
    the courier"): ``purpose`` the first, ``then`` the others, each done for the number.
    """

    question: Question
    purpose: Purpose | None = None
    case: int | None = None
    order: str | None = None
    survey: int | None = None
    turn: int = 0
    also: tuple[Question, ...] = ()
    then: tuple[Purpose, ...] = ()

    def offers(self, question: Question) -> bool:
        """True when ``question`` is among what the bot offered."""
        return question is self.question or question in self.also


@dataclass(frozen=True, slots=True)
class Slot:
    """An entity in play: what it is, its value and the turn it came from."""

    kind: str
    value: str
    turn: int


@dataclass(frozen=True, slots=True)
class Subject:
    """What the bot's last answer was about: what a short follow-up is first read against.

    ``entry`` the knowledge-base entry it answered from, or the one about what it did (the
    cancellation asked for, the charge sent to the payments team); ``shown`` whether that
    entry's own text was the answer; ``case`` the case it opened or spoke of; ``orders`` the
    orders whose status it gave; ``told`` what it explained that no entry holds; ``detail``
    what it said of its orders when not their status (their courier); ``turn`` the turn
    it was given in. ``matter`` is what the customer's messages were about (a
    refund, a delivery), named in turn ``named``: it outlives the answer it came with for
    ``MATTER_TURNS`` turns.
    """

    entry: str | None = None
    shown: bool = False
    case: int | None = None
    orders: tuple[str, ...] = ()
    told: Told | None = None
    detail: str | None = None
    turn: int = 0
    matter: Matter | None = None
    named: int = 0

    @property
    def answered(self) -> bool:
        """True when an answer was about it (not only the customer's matter)."""
        return bool(self.entry or self.case is not None or self.orders or self.told)


@dataclass(frozen=True, slots=True)
class Dialogue:
    """Everything the bot keeps about the conversation going on in one chat.

    ``turn`` counts the customer's messages in this conversation (0 before the first);
    ``topic`` is the intent last answered; ``said`` the wording index last used per reply key;
    ``misses`` the messages not understood in a row; ``unresolved`` a problem left unsolved
    in this conversation (no rating is offered then); ``intents`` what the last turn answered,
    ``readings`` which reading (handlers/readings.py) read each of its requests;
    ``conversation`` the recorded conversation it belongs to (a new one starts afresh);
    ``subject`` what the last answer was about (replaced by each answer, kept over an "ok");
    ``proposed`` the last thing proposed or set going (an exchange, a cancellation), until
    the customer takes it back.
    """

    turn: int = 0
    topic: str | None = None
    asked: Asked | None = None
    slots: tuple[Slot, ...] = ()
    case: int | None = None
    said: tuple[tuple[str, int], ...] = ()
    misses: int = 0
    unresolved: bool = False
    intents: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    language: str | None = None
    conversation: int | None = None
    subject: Subject | None = None
    proposed: Proposed | None = None

    def subject_in_play(self) -> Subject | None:
        """The subject of an answer of the last turns, if one is still in play."""
        subject = self.subject
        if subject is None or not subject.answered:
            return None
        if not 0 < self.turn - subject.turn <= SUBJECT_TURNS:
            return None
        return subject

    def told_just_now(self, told: Told) -> bool:
        """True when the bot's answer of the turn before explained ``told``."""
        subject = self.subject
        return subject is not None and subject.told is told and subject.turn == self.turn - 1

    def recent_matter(self) -> Matter | None:
        """What the customer's messages of the last turns were about, if they named it."""
        subject = self.subject
        if subject is None or subject.matter is None or subject.named < self.turn - MATTER_TURNS:
            return None
        return subject.matter

    def slot(self, kind: str) -> Slot | None:
        """The most recent entity of a kind still in play."""
        found = [s for s in self.slots if s.kind == kind and self.turn - s.turn <= ENTITY_TURNS]
        return found[-1] if found else None

    def named_together(self, kind: str) -> list[str]:
        """The entities of a kind put in play by the latest turn that named any (two orders
        asked after in one message), in the order they were named."""
        latest = self.slot(kind)
        if latest is None:
            return []
        return [s.value for s in self.slots if s.kind == kind and s.turn == latest.turn]

    def with_slot(self, kind: str, value: str) -> Dialogue:
        """This dialogue with an entity put in play at the current turn."""
        kept = tuple(s for s in self.slots if not (s.kind == kind and s.value == value))
        return replace(self, slots=(*kept, Slot(kind, value, self.turn))[-12:])

    def variant(self, key: str) -> int | None:
        """The wording index last used for a reply key, if any."""
        return next((i for k, i in self.said if k == key), None)

    def with_said(self, key: str, index: int) -> Dialogue:
        kept = tuple((k, i) for k, i in self.said if k != key)
        return replace(self, said=(*kept, (key, index))[-40:])

    def to_json(self) -> str:
        # The encoder asks _fields for each dataclass it meets (this one, Asked, Slot,
        # Subject): the JSON asdict gave, without asdict's deep copy of every value (a
        # quarter of the time, measured), once a turn.
        return json.dumps(self, default=_fields, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Dialogue:
        data = json.loads(raw)
        asked = data.get("asked")
        subject = data.get("subject")
        proposed = data.get("proposed")
        return cls(
            turn=int(data.get("turn", 0)),
            topic=data.get("topic"),
            asked=_asked(asked) if isinstance(asked, dict) else None,
            slots=tuple(
                Slot(str(s["kind"]), str(s["value"]), int(s["turn"])) for s in data.get("slots", ())
            ),
            case=data.get("case"),
            said=tuple((str(k), int(i)) for k, i in data.get("said", ())),
            misses=int(data.get("misses", 0)),
            unresolved=bool(data.get("unresolved", False)),
            intents=tuple(str(i) for i in data.get("intents", ())),
            readings=tuple(str(r) for r in data.get("readings", ())),
            language=data.get("language"),
            conversation=_int(data.get("conversation")),
            subject=_subject(subject) if isinstance(subject, dict) else None,
            proposed=_proposed(proposed) if isinstance(proposed, dict) else None,
        )


def _fields(value: object) -> dict[str, object]:
    """A dataclass's fields by name, in order (as ``asdict`` gives them, one level deep)."""
    return {f.name: getattr(value, f.name) for f in fields(value)}  # type: ignore[arg-type]


def _subject(data: dict[str, object]) -> Subject:
    return Subject(
        entry=str(data["entry"]) if data.get("entry") else None,
        shown=bool(data.get("shown", False)),
        case=_int(data.get("case")),
        orders=tuple(str(o) for o in _list(data.get("orders"))),
        told=Told(str(data["told"])) if data.get("told") else None,
        detail=str(data["detail"]) if data.get("detail") else None,
        turn=_int(data.get("turn")) or 0,
        matter=Matter(str(data["matter"])) if data.get("matter") else None,
        named=_int(data.get("named")) or 0,
    )


def _proposed(data: dict[str, object]) -> Proposed:
    return Proposed(
        kind=Proposal(str(data["kind"])),
        order=str(data["order"]) if data.get("order") else None,
        case=_int(data.get("case")),
        opened=bool(data.get("opened", False)),
        turn=_int(data.get("turn")) or 0,
    )


def _asked(data: dict[str, object]) -> Asked:
    purpose = data.get("purpose")
    return Asked(
        question=Question(str(data["question"])),
        purpose=Purpose(str(purpose)) if purpose else None,
        case=_int(data.get("case")),
        order=str(data["order"]) if data.get("order") else None,
        survey=_int(data.get("survey")),
        turn=_int(data.get("turn")) or 0,
        also=tuple(Question(str(q)) for q in _list(data.get("also"))),
        then=tuple(Purpose(str(p)) for p in _list(data.get("then"))),
    )


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


@dataclass(slots=True)
class Outcome:
    """What behaviours decide during one turn, folded into the next Dialogue by the dispatcher.

    Behaviours set ``asked`` when they ask the customer something, ``case`` when a case is
    opened or used, ``unresolved`` when the customer's problem is left unsolved, ``erased``
    when the customer was erased (then no state is kept).
    """

    asked: Asked | None = None
    case: int | None = None
    unresolved: bool | None = None
    intents: list[str] = field(default_factory=list)
    # Beside each intent, the reading that read its request (handlers/readings.py).
    readings: list[str] = field(default_factory=list)
    said: dict[str, int] = field(default_factory=dict)
    erased: bool = False
    # Orders whose status this turn already gave: one message, one status per order.
    statused: set[str] = field(default_factory=set)
    # Entities a behaviour found in the words, beyond the NLU engine's (a product the
    # catalogue knows by the name the customer wrote): put in play for the next turns.
    slots: dict[str, str] = field(default_factory=dict)
    # The dialogue act of each text read this turn: several places ask what one message
    # does (the reading, "is it about the case?"); the classifier runs once per text.
    acts: dict[str, Act | None] = field(default_factory=dict)
    # What this turn's answer was about (``Subject``; its turn is set with the dialogue):
    # the knowledge-base entry answered from, the case opened. Orders whose status was given
    # (``statused``) are the subject when nothing else is.
    subject: Subject | None = None
    # What the customer's words were about this turn (a refund, a delivery): kept with the
    # subject for the next turns.
    matter: Matter | None = None
    # Cases whose missed promised time this turn owned up to (``cases.missed_promise``):
    # their status says no second "longer than we aim for" beside that apology.
    owned_up: set[int] = field(default_factory=set)
    # What this turn proposed or set going (``Proposed``; its turn is set with the dialogue),
    # or ``withdrawn``: the one in play taken back by the customer.
    proposed: Proposed | None = None
    withdrawn: bool = False


async def load(state: ConversationState, chat: str) -> Dialogue:
    """The chat's dialogue; a fresh one when none is kept, it expired, or the store is away."""
    try:
        raw = await state.get(chat, KEY)
    except StoreUnavailable:
        logger.debug("conversation state unavailable: starting the turn without context")
        return Dialogue()
    if raw is None:
        return Dialogue()
    try:
        return Dialogue.from_json(raw)
    except (ValueError, KeyError, TypeError, AssertionError):
        logger.warning("unreadable dialogue state for a chat; starting afresh")
        return Dialogue()


async def save(state: ConversationState, chat: str, dialogue: Dialogue, *, ttl: float) -> None:
    """Keep the dialogue until the conversation goes quiet for ``ttl`` seconds."""
    try:
        await state.set(chat, KEY, dialogue.to_json(), ttl=ttl)
    except StoreUnavailable:
        logger.debug("conversation state unavailable: this turn's context is not kept")
