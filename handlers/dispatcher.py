"""The conversation flow every channel shares: record, remember, understand, answer, record."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from crm_memory import ChatOwner, Customer, Direction, Sender
from crm_memory.types import Annotation
from handlers import complaint as complaints
from handlers import escalation, feedback, greeting, inquiry, privacy, survey
from handlers.agents import RATE
from handlers.desk import AgentDesk
from handlers.orders import normalise_order_number
from handlers.turn import Deps, Turn
from handlers.types import ContentKind, InboundMessage, Reply
from nlu import FALLBACK, IntentScore, NluEngine, ParseResult
from nlu.language import detect_language, is_cjk
from nlu.sentiment import sentiment

logger = logging.getLogger(__name__)

Behaviour = Callable[[Turn], Awaitable[list[Reply]]]

LANGUAGES = ("en", "zh")
REMEMBERED = ("order_number", "email", "phone", "product")

ROUTES: dict[str, Behaviour] = {
    "greet": greeting.greet,
    "goodbye": greeting.goodbye,
    "thanks": greeting.thanks,
    "affirm": greeting.affirm,
    "deny": greeting.deny,
    "ask_order_status": inquiry.order_status,
    **dict.fromkeys(inquiry.ANSWERED, inquiry.answer),
    "complaint": complaints.complaint,
    "feedback_positive": feedback.feedback,
    "feedback_negative": feedback.feedback,
    "request_human": escalation.request_human,
    "out_of_scope": escalation.out_of_scope,
    "ask_my_data": privacy.my_data,
    "rate": survey.rate,
    "forget_request": privacy.forget_request,
    "rate_bot": survey.rate_bot,
    FALLBACK: escalation.fallback,
}
COMMANDS = {
    "/start": "greet",
    "/help": "help",
    "/mydata": "ask_my_data",
    "/agent": "request_human",
    "/forget": "forget_request",
}
BUTTONS: dict[str, Behaviour] = {
    escalation.HUMAN: lambda turn: escalation.request_human(turn, reason="not understood twice"),
    feedback.FOLLOW_UP: lambda turn: escalation.request_human(turn, reason="feedback follow-up"),
    "dismiss": greeting.deny,
    privacy.FORGET: privacy.forget,
}


def language_code(code: str | None) -> str | None:
    """``zh-hans`` -> ``zh``; unsupported languages -> None."""
    if not code:
        return None
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def written_language(text: str) -> str | None:
    """The language of the text when it tells clearly: any Chinese, or a few English words."""
    if any(is_cjk(c) for c in text):
        return "zh"
    letters = sum(1 for c in text if c.isascii() and c.isalpha())
    return detect_language(text) if letters >= 4 else None


class Dispatcher:
    """Turns one inbound message into the replies to send, recording both.

    Args:
        deps: the stores and services behaviours use.
        nlu: the engine that understands text.
        default_language: for customers whose language nothing tells.
    """

    def __init__(self, *, deps: Deps, nlu: NluEngine, default_language: str = "en") -> None:
        self.deps = deps
        self._nlu = nlu
        self._default_language = default_language

    async def handle(self, message: InboundMessage) -> list[Reply]:
        """Record the message, answer it unless an agent owns the chat, record the answers.

        A message whose channel id was already recorded gets no second answer, unless
        nothing was recorded for the customer after it: then the worker stopped mid-turn, and
        the redelivered message is answered now.
        """
        deps = self.deps
        customer, created = await deps.customers.get_or_create(
            message.identity,
            display_name=message.display_name or message.user_id,
            language=language_code(message.language_code),
        )
        chat = str(message.identity)
        async with deps.state.lock(chat):
            text = message.text.strip()
            stored, fresh = await deps.messages.record(
                customer_id=customer.id,
                channel=message.channel,
                direction=Direction.IN,
                sender=Sender.CUSTOMER,
                # Nothing is lost: stickers, photos and blanks are kept as a marker.
                text=text or f"[{'blank' if message.kind is ContentKind.TEXT else message.kind}]",
                external_id=message.message_id,
            )
            if not fresh:
                if await deps.messages.answered_after(stored):
                    logger.info("message %s on %s already handled", message.message_id, chat)
                    return []
                # Stored, then the worker stopped before it answered (a crash mid-turn): the
                # channel hands it over again, and this time it gets its answer.
                logger.info(
                    "message %s on %s was not answered: answering now", message.message_id, chat
                )
            flooding = await self._flooding(chat, message, customer)
            if flooding is not None:
                return flooding
            owner = await deps.state.owner(chat)
            if not owner.is_bot:
                # An agent has the chat: they see the message, the bot keeps quiet.
                if deps.desk is not None:
                    await deps.desk.customer_wrote(
                        case_number=owner.case_number,
                        customer=customer,
                        identity=message.identity,
                        text=text or f"[{message.kind}]",
                    )
                return []
            turn = await self._turn(message, stored.id, customer, created, owner)
            replies = await self._answer(turn) + await feedback.closing_the_loop(turn)
            return [await self._record(customer.id, message.channel, reply) for reply in replies]

    async def _flooding(
        self, chat: str, message: InboundMessage, customer: Customer
    ) -> list[Reply] | None:
        """None normally; past the limit, one 'slow down' and then silence for the window."""
        deps = self.deps
        count = await deps.state.hit(f"{chat}:flood", window=deps.flood_window)
        if count <= deps.flood_limit:
            return None
        if count > deps.flood_limit + 1:
            return []
        language = written_language(message.text) or customer.language or self._default_language
        notice = Reply(deps.responses.render("slow_down", language))
        return [await self._record(customer.id, message.channel, notice)]

    def attach_desk(self, desk: AgentDesk) -> None:
        """Where escalations go; set by the wiring once the channel that hosts it exists."""
        self.deps = replace(self.deps, desk=desk)

    def apology(self, message: InboundMessage) -> str:
        """What a channel says when handling failed: in the customer's language if known."""
        language = written_language(message.text) or language_code(message.language_code)
        return self.deps.responses.render("error", language or self._default_language)

    async def mark_sent(self, reply: Reply, *, external_id: str | None = None) -> None:
        """The channel delivered a reply."""
        if reply.record_id is not None:
            await self.deps.messages.mark_sent(reply.record_id, external_id=external_id)

    async def _turn(
        self,
        message: InboundMessage,
        stored_id: int,
        customer: Customer,
        created: bool,
        owner: ChatOwner,
    ) -> Turn:
        deps = self.deps
        text = message.text.strip()
        if message.kind is ContentKind.TEXT and text:
            parse = await self._nlu.parse(text)
        else:
            parse = _synthetic(text, self._intent_for(message))
        written = written_language(text) if message.kind is ContentKind.TEXT else None
        if written is not None and written != customer.language:
            customer = await deps.customers.update(customer.id, language=written)
        now = deps.clock()
        # One unit of work: what NLU understood, the facts to remember, and the context
        # with the customer's activity (profiling showed each in its own session dominated).
        context = await deps.customers.context(
            customer.id,
            annotate=(
                Annotation(stored_id, parse.intent, parse.confidence)
                if parse.intent and message.kind is ContentKind.TEXT
                else None
            ),
            facts=[
                (e.kind, normalise_order_number(e.value) if e.kind == "order_number" else e.value)
                for e in parse.entities
                if e.kind in REMEMBERED
            ],
            activity_since=deps.segments.since(now) if deps.segments is not None else None,
        )
        if deps.segments is not None and context.activity is not None:
            # Stage and tier as of this message: handlers pick priority and tone from them.
            updated = await deps.segments.apply(context.customer, context.activity, now=now)
            context = replace(context, customer=updated)
        context = replace(context, owner=owner, is_new=created)
        language = written or customer.language or self._default_language
        return Turn(message=message, context=context, parse=parse, language=language, deps=deps)

    def _intent_for(self, message: InboundMessage) -> str:
        text = message.text.strip()
        if message.kind is ContentKind.COMMAND:
            return COMMANDS.get(text.split()[0].split("@")[0].lower() if text else "", "help")
        if message.kind is ContentKind.BUTTON and text.startswith("intent:"):
            return text.removeprefix("intent:")
        if message.kind is ContentKind.BUTTON and text.startswith(f"{RATE}:"):
            return "rate"
        if message.kind is ContentKind.BUTTON and text.startswith(f"{survey.BOT_RATE}:"):
            return "rate_bot"
        if message.kind is ContentKind.BUTTON:
            return f"button:{text}"
        return "unsupported"

    async def _answer(self, turn: Turn) -> list[Reply]:
        intent = turn.parse.intent
        if intent == "unsupported":
            return [turn.reply("unsupported")]
        if intent == "help":
            return await greeting.help_(turn)
        if intent.startswith("button:"):
            behaviour = BUTTONS.get(intent.removeprefix("button:"))
            return await behaviour(turn) if behaviour else [turn.reply("help")]
        await escalation.understood(turn)
        commented = await survey.comment(turn)
        if commented is not None:
            return commented
        awaited = await self._awaited_order(turn)
        if awaited is not None:
            return awaited
        behaviour = ROUTES.get(intent)
        if behaviour is None:
            # An intent from custom training data: answered from the knowledge base, if it can.
            behaviour = inquiry.answer if inquiry.knows(turn, intent) else escalation.fallback
        replies = await behaviour(turn)
        if intent not in ("complaint", "request_human"):
            replies += await escalation.strongly_negative(turn)
        return replies

    async def _awaited_order(self, turn: Turn) -> list[Reply] | None:
        """An order number we asked for arrives: use it for what we asked it for."""
        entity = turn.parse.entity("order_number")
        if entity is None:
            return None
        waiting = await turn.deps.state.get(turn.chat, inquiry.AWAITING_ORDER)
        if waiting is None:
            return None
        await turn.deps.state.delete(turn.chat, inquiry.AWAITING_ORDER)
        if waiting.startswith("case:"):
            order = normalise_order_number(entity.value)
            return await complaints.attach_order(turn, int(waiting.removeprefix("case:")), order)
        if turn.parse.intent in ("complaint", "request_human"):
            return None
        return await inquiry.order_status(turn)

    async def _record(self, customer_id: int, channel: str, reply: Reply) -> Reply:
        """Record a bot reply before it is sent (ephemeral ones excepted)."""
        if reply.ephemeral:
            return reply
        stored, _ = await self.deps.messages.record(
            customer_id=customer_id,
            channel=channel,
            direction=Direction.OUT,
            sender=Sender.BOT,
            text=reply.text,
        )
        return replace(reply, record_id=stored.id)


def _synthetic(text: str, intent: str) -> ParseResult:
    """What a command or a button press means, without asking the NLU engine."""
    return ParseResult(
        text=text,
        intent=intent,
        confidence=1.0,
        ranking=(IntentScore(intent, 1.0),),
        entities=(),
        sentiment=sentiment(text),
        language="",
    )
