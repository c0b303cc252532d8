"""The conversation flow every channel shares: record, remember, understand, answer, record."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from crm_memory import ChatOwner, Customer, Direction, Media, Message, Sender, answering
from crm_memory.types import Annotation
from handlers import (
    advice,
    agent_said,
    attributes,
    basket,
    cancel,
    cancelled,
    care,
    case_questions,
    cases,
    combine,
    confirms,
    contact,
    context,
    corrected,
    courier,
    declined,
    delivery_options,
    dialogue,
    difference,
    escalation,
    feedback,
    followups,
    greeting,
    hazard,
    hurry,
    inquiry,
    instructions,
    invoice,
    lost_parcel,
    meanwhile,
    media,
    next_step,
    number_later,
    order_arrival,
    order_change,
    other_item,
    other_way,
    owned_chat,
    pair,
    parts,
    pay_trouble,
    pay_ways,
    photos,
    privacy,
    products,
    proposals,
    quantity,
    questions,
    reach_back,
    readings,
    refund_route,
    refund_wait,
    remarks,
    remedy,
    resigned,
    return_label,
    returns,
    sarcasm,
    saved_address,
    security,
    service,
    shop_offers,
    store_pickup,
    supposed,
    survey,
    timing,
    too_slow,
)
from handlers import complaint as complaints
from handlers.agents import RATE, handed_back
from handlers.clauses import strip_greeting
from handlers.desk import AgentDesk
from handlers.dialogue import Asked, Dialogue, Outcome, Purpose, Question
from handlers.orders import TurnOrders
from handlers.requests import SMALL_TALK, split_requests, substantial, with_orders
from handlers.turn import DISMISS, HUMAN, URGENT, Deps, Turn
from handlers.types import Button, ContentKind, InboundMessage, Reply
from nlu import FALLBACK, IntentScore, NluEngine, ParseResult
from nlu.language import detect_language, is_cjk
from nlu.sentiment import analyse

logger = logging.getLogger(__name__)

Behaviour = Callable[[Turn], Awaitable[list[Reply]]]

LANGUAGES = ("en", "zh")
REMEMBERED = ("order_number", "email", "phone", "product")

ROUTES: dict[str, Behaviour] = {
    "greet": greeting.greet,
    "goodbye": greeting.goodbye,
    "thanks": greeting.thanks,
    "affirm": greeting.acknowledge,
    "deny": greeting.deny,
    "ask_order_status": inquiry.order_status,
    **dict.fromkeys(inquiry.ANSWERED, inquiry.answer),
    products.INTENT: products.availability,
    products.PRODUCT_INFO: products.info,
    "complaint": complaints.complaint,
    "feedback_positive": complaints.remark,
    "feedback_negative": complaints.remark,
    "request_human": escalation.request_human,
    "out_of_scope": escalation.out_of_scope,
    "ask_my_data": privacy.my_data,
    "rate": survey.rate,
    "forget_request": privacy.forget_request,
    "rate_bot": survey.rate_bot,
    context.CASE_STATUS: cases.case_status,
    case_questions.INTENT: case_questions.answer,
    other_way.INTENT: other_way.acknowledge,
    context.BOT_IDENTITY: cases.bot_identity,
    context.CHITCHAT: greeting.chitchat,
    context.WHAT_I_DO: greeting.what_i_do,
    context.DETAIL: greeting.detail_after_answer,
    context.NEW_ADDRESS: escalation.new_address,
    cancel.INTENT: cancel.cancel_order,
    context.CHANGE_ORDER: order_change.answer,
    cases.CLOSE: cases.close_on_request,
    cases.HURRY: cases.hurry,
    cases.NOTIFY: cases.notify,
    greeting.LANGUAGE: greeting.switch_language,
    resigned.INTENT: resigned.acknowledge,
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
    HUMAN: lambda turn: escalation.request_human(turn, reason=_human_reason(turn)),
    feedback.FOLLOW_UP: lambda turn: escalation.request_human(turn, reason="feedback follow-up"),
    inquiry.OPEN_CASE: lambda turn: complaints.accept_case_offer(turn, _offered_order(turn)),
    DISMISS: greeting.deny,
    URGENT: cases.hurry,
    privacy.FORGET: privacy.forget,
}


def _offer_again(turn: Turn, asked: Asked) -> Reply:
    """The customer neither took nor refused what the bot offered: sorry, and the offer again."""
    turn.ask(replace(asked, turn=0))
    if asked.question is Question.OPEN_CASE:
        return turn.reply(
            "offer_again_case",
            Button(turn.say("button_open_case"), inquiry.OPEN_CASE),
            Button(turn.say("button_person"), HUMAN),
        )
    payload = feedback.FOLLOW_UP if asked.question is Question.FOLLOW_UP else HUMAN
    return turn.reply(
        "offer_again_human", turn.button("button_yes", payload), turn.button("button_no", DISMISS)
    )


def _human_reason(turn: Turn) -> str:
    if turn.dialogue.misses >= 2:
        return "not understood twice"
    asked = turn.dialogue.asked
    if asked is not None and asked.question is Question.OPEN_CASE:
        return "late order"
    return "asked for a human"


def _offered_order(turn: Turn) -> str | None:
    asked = turn.dialogue.asked
    return asked.order if asked is not None and asked.order else turn.order_in_play


def language_code(code: str | None) -> str | None:
    """``zh-hans`` -> ``zh``; unsupported languages -> None."""
    if not code:
        return None
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def written_language(text: str) -> str | None:
    """The language of the text when it tells clearly: any Chinese, or a few English words.
    Chat shorthand everyone types ("ok thx", "kk", "lol") tells none: "ok thx" in a Chinese
    conversation is answered in Chinese; nor does the name of a way to pay ("paypal")."""
    if any(is_cjk(c) for c in text):
        return "zh"
    letters = sum(1 for c in text if c.isascii() and c.isalpha())
    if letters < 4 or _SHORTHAND.fullmatch(text.strip()) is not None:
        return None
    if pay_ways.only_ways(text):
        return None  # "paypal" in a Chinese conversation: a name, answered in Chinese
    return detect_language(text)


# Latin shorthand typed in any language's chat: "ok", "okk", "kk", "thx", "tks", "ty", "lol"
# and a bare greeting ("hello??", "hi", "hey there": Chinese customers greet so too; a
# customer switching to English says more than hello) - not "bye" or words that say more.
# Possessive (``*+``), as only the whole run of non-letters can come before a word: with
# backtracking, "okay!!!…!x" (4000 characters) took seconds of CPU to be told it is not
# shorthand. Anchored, so a ``search`` is as cheap as the ``fullmatch`` it is used with.
_SHORTHAND = re.compile(
    r"\A(?:\W*+\b(?:o+k+a*y*|k+|okie|oki|thx+|thnx|tks|tx|ty|tysm|thanks|thank\s*(?:you|u)|lol|"
    r"haha+|hehe+|np|hell?o+|hii*|hey+|hallo|there)\b\W*+){1,3}",
    re.IGNORECASE,
)


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

        The message is recorded before the chat is locked or its state read, so it is kept
        even when the conversation state store is away. A message whose channel id was
        already recorded gets no second answer, unless nothing was recorded for the customer
        after it: then the worker stopped mid-turn, and the redelivered message is answered now.
        """
        deps = self.deps
        text = message.text.strip()
        # Recorded first, before anything touches the conversation state: SQL is the source
        # of truth, and the message is kept whatever happens to Redis or to the turn. The
        # customer is looked up (or created) in the same call: one connection, not two.
        customer, created, stored, fresh = await deps.messages.record_inbound(
            message.identity,
            display_name=message.display_name or message.user_id,
            language=language_code(message.language_code),
            # Nothing is lost: media as "[photo] caption" (and its own row), blanks as a marker.
            text=media.history_text(message, text),
            external_id=message.message_id,
        )
        kept = await media.keep(deps, stored, message)
        # Everything the turn writes is idempotent on the stored message: a turn repeated
        # (cut before its closing write) finds what it wrote, and writes nothing twice.
        with answering(stored.id):
            return await self._answer_stored(message, customer, created, stored, fresh, kept)

    async def _answer_stored(
        self,
        message: InboundMessage,
        customer: Customer,
        created: bool,
        stored: Message,
        fresh: bool,
        kept: Media | None,
    ) -> list[Reply]:
        """``handle`` once the message is stored: one run of its turn."""
        deps = self.deps
        chat = str(message.identity)
        async with deps.state.lock(chat):
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
            back: list[Reply] = []
            if not owner.is_bot:
                held = await self._owned(message, customer, stored, kept, owner)
                if held is not None:
                    return held
                # The agent has been away too long: the bot answers again, and says why.
                text = owned_chat.back_text(deps, owner, self._language(message, customer))
                back = [Reply(text)]
                owner = ChatOwner()
            turn, annotation, facts, new_facts = await self._turn(
                message, stored, customer, created, owner
            )
            replies = _not_said_twice(turn, await self._answer(turn)) + back
            news, told = await feedback.closing_the_loop(turn)
            replies = await media.after_turn(turn, kept, replies + news)
            if turn.outcome.erased:
                annotation, facts, new_facts = None, [], []  # nothing more of theirs is kept
            # The turn's closing write: replies, what NLU understood, facts told again, the
            # news told. Nothing the turn decided is kept before it (the dialogue is saved
            # after it): a turn cut before it (a crash, a lost lease) is repeated whole.
            kept_replies = [reply for reply in replies if not reply.ephemeral]
            records = iter(
                await deps.messages.record_replies(
                    customer_id=customer.id,
                    channel=message.channel,
                    conversation_id=stored.conversation_id,
                    texts=[reply.text for reply in kept_replies],
                    annotate=annotation,
                    facts=facts,
                    new_facts=new_facts,
                    notified=told,
                )
            )
            if not turn.outcome.erased:
                # After the replies: cut between the two, the repeated message finds its
                # answer recorded (sent from there) and the dialogue one turn behind, rather
                # than a dialogue that says it was answered and no answer.
                await dialogue.save(
                    deps.state, chat, _next_dialogue(turn), ttl=deps.conversation_ttl
                )
            return [
                reply if reply.ephemeral else reply.recorded_as(next(records)) for reply in replies
            ]

    async def _owned(
        self,
        message: InboundMessage,
        customer: Customer,
        stored: Message,
        kept: Media | None,
        owner: ChatOwner,
    ) -> list[Reply] | None:
        """A message in a chat an agent owns (handlers/owned_chat.py): the agent sees it; the
        bot keeps quiet, or says once that the message is with them (returned, recorded), or
        gives the chat back to the bot (None: answer it as a turn)."""
        deps = self.deps
        chat = str(message.identity)
        text = media.history_text(message, message.text.strip())
        quiet = await owned_chat.silence(deps, owner, customer, stored)
        verdict = owned_chat.verdict(deps, quiet)
        if verdict is owned_chat.Verdict.BACK:
            await deps.state.release(chat)
            if deps.desk is not None:
                note = owned_chat.desk_note(owner, quiet, verdict, customer, text)
                await deps.desk.alert(note, case_number=owner.case_number)
            return None
        # Media with a caption is shown once, as the copy captioned with the case and the
        # name; a sticker or a location also needs the line that says whose it is.
        shown = kept is not None and kept.attachment.kind.has_caption
        if deps.desk is not None and not shown:
            await deps.desk.customer_wrote(
                case_number=owner.case_number,
                customer=customer,
                identity=message.identity,
                text=text,
            )
        await media.to_agent(
            deps, kept, case_number=owner.case_number, customer=customer, message=message
        )
        if verdict is owned_chat.Verdict.QUIET:
            return []
        if deps.desk is not None:
            note = owned_chat.desk_note(owner, quiet, verdict, customer, text)
            await deps.desk.alert(note, case_number=owner.case_number)
        holding = owned_chat.holding_text(deps, owner, self._language(message, customer))
        return [await self._record(customer.id, message.channel, Reply(holding))]

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
        notice = Reply(deps.responses.render("slow_down", self._language(message, customer)))
        return [await self._record(customer.id, message.channel, notice)]

    def _language(self, message: InboundMessage, customer: Customer) -> str:
        """The language to answer in outside a turn: the message's, else the customer's."""
        return written_language(message.text) or customer.language or self._default_language

    def attach_desk(self, desk: AgentDesk) -> None:
        """Where escalations go; set by the wiring once the channel that hosts it exists."""
        self.deps = replace(self.deps, desk=desk)
        if self.deps.router is not None:
            self.deps.router.desk = desk

    def apology(self, message: InboundMessage) -> str:
        """What a channel says when handling failed: in the customer's language if known."""
        language = written_language(message.text) or language_code(message.language_code)
        return self.deps.responses.render("error", language or self._default_language)

    async def mark_sent(self, reply: Reply, *, external_id: str | None = None) -> None:
        """The channel delivered a reply."""
        if reply.record_id is not None:
            await self.deps.messages.mark_sent(reply.record_id, external_id=external_id)

    async def mark_sent_many(self, sent: Sequence[tuple[Reply, str | None]]) -> None:
        """The channel delivered several replies (a turn's), as (reply, external id): one
        write for them all."""
        await self.deps.messages.mark_sent_many(
            [
                (reply.record_id, external_id)
                for reply, external_id in sent
                if reply.record_id is not None
            ]
        )

    async def _turn(
        self,
        message: InboundMessage,
        stored: Message,
        customer: Customer,
        created: bool,
        owner: ChatOwner,
    ) -> tuple[Turn, Annotation | None, list[tuple[str, str]], list[tuple[str, str]]]:
        """The turn, with what NLU understood of the message and the facts it told (known
        already, and new): all written with the replies at the end of the turn."""
        deps = self.deps
        if deps.orders is not None:
            # Each order asked of the shop once a turn, however many places look it up.
            deps = replace(deps, orders=TurnOrders(deps.orders))
        text = message.text.strip()
        chat = str(message.identity)
        so_far = await dialogue.load(deps.state, chat)
        if so_far.conversation not in (None, stored.conversation_id):
            so_far = Dialogue()  # the customer went quiet: a new conversation starts afresh
        if message.kind is ContentKind.TEXT and text:
            parse = await self._nlu.parse(text)
            asked = so_far.asked
            expected = asked is not None and asked.question is Question.ORDER_NUMBER
            parse = await with_orders(parse, deps, expected=expected)
            # "what about the first one": the order meant, when two were named earlier.
            parse = followups.with_pointed_order(parse, so_far)
            # "the newest one", "最新那个": the order meant by its date, of those named.
            parse = await followups.with_order_by_date(parse, so_far, deps)
            # "oops, 1003 not 1001": the numbers as the shop writes them (A-1003, A-1001).
            parse = await corrected.with_prefixed_correction(parse, so_far, deps)
            # "oops it's A-1005 not A-1003": only the corrected number is in play.
            parse = corrected.with_corrected_order(parse)
            # "the dishwasher one", "那台灯呢": the order holding that item, of those named.
            parse = await followups.with_order_by_item(parse, so_far, deps)
        else:
            parse = _synthetic(text, self._intent_for(message))
        written = written_language(text) if message.kind is ContentKind.TEXT else None
        if written is not None:
            # "can you speak chinese": the language asked for, not the one it is written in.
            written = greeting.requested_language(text) or written
        if written is not None and written != customer.language:
            customer = await deps.customers.update(customer.id, language=written)
        now = deps.clock()
        annotation = (
            Annotation(stored.id, parse.intent, parse.confidence)
            if parse.intent and message.kind is ContentKind.TEXT
            else None
        )
        facts = [(e.kind, e.value) for e in parse.entities if e.kind in REMEMBERED]
        # The context with the customer's activity, read on one connection, no write: the
        # profile is the one just read, seen as of this message; what NLU understood and the
        # facts told (new or known) are written with the replies, in the turn's one closing
        # transaction, so are shown here as they will be.
        context = await deps.customers.context(
            customer.id,
            facts=facts,
            activity_since=deps.segments.since(now) if deps.segments is not None else None,
            customer=replace(customer, last_seen_at=stored.created_at),
            defer_facts=True,
        )
        if annotation is not None:
            context = replace(
                context,
                recent=tuple(
                    replace(m, intent=annotation.intent, confidence=annotation.confidence)
                    if m.id == stored.id
                    else m
                    for m in context.recent
                ),
            )
        if deps.segments is not None and context.activity is not None:
            # Stage and tier as of this message: handlers pick priority and tone from them.
            updated = await deps.segments.apply(context.customer, context.activity, now=now)
            context = replace(context, customer=updated)
        context = replace(context, owner=owner, is_new=created)
        if message.kind is ContentKind.TEXT and parse.entity("order_number") is None:
            # "what about the other one", "it's the kettle one", "is the lamp on its way yet": of
            # the orders the customer told us in earlier conversations too, the one meant.
            known = [
                f.value
                for f in sorted(context.facts, key=lambda f: f.learned_at)
                if f.kind == "order_number"
            ]
            parse = followups.with_pointed_order(parse, so_far, known=known)
            parse = await followups.with_order_by_date(parse, so_far, deps, known=known)
            parse = await followups.with_order_by_item(
                parse,
                so_far,
                deps,
                known=known,
                cases=[c.summary for c in context.open_cases],
            )
        language = written or customer.language or self._default_language
        given_back = frozenset(
            [c.number for c in context.open_cases if await handed_back(deps, c)]
        )
        turn = Turn(
            message=message,
            context=context,
            parse=parse,
            language=language,
            deps=deps,
            dialogue=replace(so_far, turn=so_far.turn + 1, conversation=stored.conversation_id),
            message_record=stored.id,
            conversation_id=stored.conversation_id,
            handed_back=given_back,
        )
        return turn, annotation, list(context.told_again), list(context.told_new)

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
            turn.outcome.intents.append(intent)
            return await behaviour(turn) if behaviour else [turn.reply("help")]
        rated = await survey.typed(turn)
        if rated is not None:
            return rated
        commented = await survey.comment(turn)
        if commented is not None:
            return commented
        reopened = await survey.reopen_on_protest(turn)
        if reopened is not None:
            return reopened
        if turn.message.kind is not ContentKind.TEXT:
            turn.outcome.intents.append(intent)
            return await self._act(turn, context.Reading(intent))
        # The parcel marked delivered, looked for or found ("邻居家也问了 都说没看到",
        # "找到了 在快递柜里 不好意思"): one story, never a remark nor split into clauses.
        parcel = lost_parcel.about_the_parcel(turn)
        remark = None if parcel else _remark(turn)
        # A remark is one piece of feedback, answered once, however many clauses it has.
        # A question about using the product ("空气炸锅有股味道 是不是坏了") is one question,
        # not what it does told apart from whether that is normal.
        whole = remark or parcel or await care.asks_whole(turn)
        requests = [turn] if whole else await split_requests(turn, self._nlu)
        # Owned up to before the answers, so a case's status does not apologise twice.
        missed = await self._missed_promises(turn)
        answers = []
        before = {c.number for c in turn.context.open_cases}
        for request in requests:
            request = await _after_handover(turn, request)
            request = _with_product_before(turn, request)
            has_open_case = bool(request.context.open_cases)
            if remark is not None:
                reading, read_by = remark, REMARK
            else:
                reading, read_by = await readings.read(request, has_open_case=has_open_case)
            turn.outcome.intents.append(reading.intent)
            turn.outcome.readings.append(read_by)
            answers.append(await self._act(request, reading))
            proposals.remember(turn, request, reading, before=before)
        answers.extend(await self._asked_for_too(turn, requests))
        not_unhappy = bool(turn.outcome.readings) and NOT_UNHAPPY.issuperset(
            turn.outcome.readings
        )
        if not HANDED_OVER.intersection(turn.outcome.intents) and not not_unhappy:
            # A very unhappy customer goes to people, once per message whatever it asked.
            # (Not one who dislikes what they bought and asks to return it, "手表不太喜欢
            # 能退不": the gloomy words are about the item, and the return answers them.)
            answers.append(await escalation.strongly_negative(turn))
        answers = [a for a in answers if a]
        if answers and missed:
            # The first reply of a new conversation owns up to a time we told them that has
            # passed with nobody answering, first thing after the welcome back ("hi" the next day).
            first = answers[0][0]
            answers[0] = [replace(first, text=f"{missed}\n{first.text}"), *answers[0][1:]]
        greeted = requests[0] is not turn and strip_greeting(turn.message.text.strip())[0]
        # "did the address change go through" the next day: back to ask after the case.
        asks_case = turn.outcome.intents[:1] == [context.CASE_STATUS]
        if (
            answers
            and (greeted or asks_case)
            and greeting.is_returning(turn)
            and not greeting.in_conversation(turn)
        ):
            # "hi, any news?" from a returning customer: welcomed back, then answered.
            first = answers[0][0]
            hello = turn.say("greet_back", name=turn.name)
            answers[0] = [replace(first, text=f"{hello}\n{first.text}"), *answers[0][1:]]
        if len(answers) <= 1:
            return answers[0] if answers else []
        # Several requests: one reply answering each in order.
        texts = list(dict.fromkeys(r.text for replies in answers for r in replies))
        buttons = tuple(b for replies in answers for r in replies for b in r.buttons)
        return [Reply("\n\n".join(texts), buttons=_unique(buttons))]

    async def _asked_for_too(self, turn: Turn, requests: list[Turn]) -> list[list[Reply]]:
        """The other requests an order number was asked for in one message ("charged twice,
        and chase the courier"), each done for the number sent ("55121"), after the first."""
        asked = turn.dialogue.asked
        if (
            asked is None
            or asked.question is not Question.ORDER_NUMBER
            or not asked.then
            or len(requests) != 1
            or len(turn.parse.orders) != 1
            or not context.only_order(turn, turn.message.text)
        ):
            return []
        answers = []
        for purpose in asked.then:
            # Read as if the number had been asked for this one: its own path, all the same.
            alone = replace(asked, purpose=purpose, then=())
            request = replace(requests[0], dialogue=replace(turn.dialogue, asked=alone))
            reading = context.purpose_reading(purpose)
            turn.outcome.intents.append(reading.intent)
            turn.outcome.readings.append(ASKED_FOR_TOO)
            answers.append(await self._act(request, reading))
        return answers

    async def _missed_promises(self, turn: Turn) -> str:
        """The apology for each open case's promised time that passed unanswered, on the
        first message of a new conversation (``cases.missed_promise``); "" when none."""
        if not greeting.is_returning(turn) or greeting.in_conversation(turn):
            return ""
        lines = []
        for case in turn.context.open_cases:
            line = await cases.missed_promise(turn, case)
            if line:
                turn.outcome.owned_up.add(case.number)
                lines.append(line)
        return "\n".join(lines)

    async def _corrected(self, turn: Turn, reading: context.Reading) -> list[Reply] | None:
        """A corrected order number: on the open case that had the wrong one, in its place;
        else None, and what the bot was doing is done for the new number."""
        wrong = corrected.wrong_order(turn)
        right = turn.order_in_play
        number = None if wrong is None else corrected.case_with(turn, wrong)
        if wrong is None or right is None or number is None:
            return None
        return await corrected.on_case(turn, number, wrong, right)

    async def _act(self, turn: Turn, reading: context.Reading) -> list[Reply]:
        """Run the behaviour for what the message means in its context."""
        intent = reading.intent
        asked = turn.dialogue.asked
        if intent == "deny" and declined.offered(turn):
            declined.remember(turn)  # not offered again in the next few messages
        if reading.accepted and asked is not None:
            if asked.question is Question.OPEN_CASE and intent == "complaint":
                if complaints.no_order_payment(turn.message.text):
                    # "payment failed, no order number, open a case" after a refund's case
                    # was offered: a case about that payment, not the offered order's.
                    return await complaints.complaint(turn)
                order = _offered_order(turn)
                if asked.purpose is Purpose.NOT_RECEIVED and order is not None:
                    # "我压根没收到 怎么就签收了": the case, not the delivered status again.
                    turn.outcome.statused.add(order)
                return await complaints.accept_case_offer(turn, order)
            reason = "feedback follow-up" if asked.question is Question.FOLLOW_UP else None
            return await escalation.request_human(turn, reason=reason or _human_reason(turn))
        if reading.detail == corrected.DETAIL:
            replies = await self._corrected(turn, reading)
            if replies is not None:
                return replies
        if reading.detail == corrected.ITEM:
            return await corrected.item_on_case(turn)
        if reading.detail == corrected.OTHER_FOR_CASE:
            return corrected.ask_right_order(turn)
        if reading.detail == corrected.PRODUCT:
            return await corrected.product_again(turn)
        if reading.detail == cases.WITHDRAWN:
            return await cases.withdraw_just_opened(turn)
        if reading.detail == cases.SOLVED:
            return await cases.close_solved(turn)
        if reading.detail == cases.MONEY_NOW:
            return await cases.money_now(turn)
        if reading.detail == hurry.DETAIL:
            return await hurry.answer(turn)
        if reading.detail == saved_address.DETAIL:
            return await saved_address.answer(turn)
        if reading.detail == reach_back.IDENTIFIED:
            return await reach_back.identified(turn)
        if reading.detail == supposed.DETAIL:
            return await supposed.answer(turn)
        if reading.detail == supposed.ANY:
            return supposed.answer_any(turn)
        if reading.detail == cancelled.DISPUTED:
            return await cancelled.answer_disputed(turn)
        if reading.detail == cancelled.CHARGED:
            return await cancelled.answer_money(turn)
        if reading.detail == number_later.LATER:
            return await number_later.wait_for_it(turn)
        if reading.detail == number_later.ITEM:
            return await number_later.wait_for_item(turn)
        if reading.detail == photos.LATER:
            return await photos.kept_waiting(turn)
        if reading.detail == return_label.DETAIL:
            return await return_label.answer(turn)
        if reading.detail == declined.HESITATE:
            return [declined.kept_open(turn)]
        if reading.detail == cases.NOTIFIED:
            return await cases.notify(turn, how=True)
        if reading.detail == remarks.ARRIVED:
            # What came is what the next question is about ("is the pot dishwasher safe").
            arrived = await care.product_of(turn)
            if arrived is not None:
                turn.outcome.slots["product"] = arrived.name
                turn.outcome.intents[-1:] = [products.PRODUCT_INFO]
            return remarks.glad_arrived(turn)
        if reading.detail in privacy.ERASE_DETAILS:
            return await privacy.erase_answered(turn, reading.detail)
        if reading.detail == security.DETAIL:
            return await security.answer(turn)
        if reading.detail == security.MORE:
            return await security.more(turn)
        if reading.detail == sarcasm.BESIDE:
            return await sarcasm.beside(turn)
        if reading.detail in (sarcasm.DETAIL, remarks.DISPLEASED):
            on_case = await sarcasm.on_case(turn, mood=reading.detail)
            if on_case is not None:
                return on_case
            if asked is not None and declined.offered(turn):
                # Sorry, and what the bot offered to do about it (a case, a person), again.
                await sarcasm.store(turn)
                return [_offer_again(turn, asked)]
            return await sarcasm.answer(turn)
        if reading.detail == resigned.CASE_NOD:
            return await resigned.nodded(turn)
        if reading.detail == resigned.SOUR:
            return await resigned.acknowledge(turn)
        if reading.detail == next_step.DETAIL:
            return await next_step.answer(turn)
        if reading.detail == followups.PUSHBACK:
            return await followups.pushback(turn)
        if reading.detail == agent_said.DETAIL:
            return await agent_said.answer(turn)
        if reading.detail == followups.STILL_FAILING:
            return await followups.still_failing(turn)
        if reading.detail == complaints.CASE_MORE:
            return await complaints.more_while_asked(turn)
        if reading.detail == complaints.CASE_ORDER:
            number = complaints.waits_for_order(turn)
            if number is not None and turn.order_in_play is not None:
                return await complaints.attach_order(turn, number, turn.order_in_play)
        if reading.detail == products.AFTER_RESTOCK:
            return await products.after_restock(turn)
        if reading.detail == timing.REPLACEMENT:
            return await timing.replacement(turn)
        if reading.detail == timing.REPAIR:
            return await timing.repair(turn)
        if reading.detail == other_item.DETAIL:
            return await other_item.answer(turn)
        if reading.detail == courier.DAY:
            return await courier.delivery_day(turn)
        if reading.detail == courier.PAGE:
            return await courier.on_courier_page(turn)
        if reading.detail == escalation.SAME_ADDRESS:
            return await escalation.same_address_too(turn)
        if reading.detail == followups.OTHER_ORDER:
            return followups.other_order(turn)
        if reading.detail == followups.EXACT_DAY:
            return await followups.exact_day(turn)
        if reading.detail == followups.ARRIVAL:
            return await followups.arrival(turn)
        if reading.detail == difference.ORDER:
            dropped = await difference.for_order(turn)
            if dropped is not None:
                return dropped
        if reading.detail == shop_offers.DETAIL and reading.entry is not None:
            return await shop_offers.answer(turn, reading.entry)
        if reading.detail == followups.WHY and reading.entry is not None:
            return await followups.why(turn, reading.entry)
        if reading.detail == contact.WEEKEND:
            return contact.weekend_answer(turn)
        if reading.detail == followups.SAID and reading.entry is not None:
            return await followups.said_again(turn, reading.entry)
        if reading.detail == confirms.DETAIL and reading.entry is not None:
            return await confirms.answer(turn, reading.entry)
        if reading.entry is not None:
            return await followups.answer_on_the_subject(turn, reading.entry)
        if intent == context.OFFER_AGAIN and asked is not None:
            return [_offer_again(turn, asked)]
        if intent == context.NO_ORDER:
            if asked is not None and asked.purpose is Purpose.ORDER_STATUS:
                return await inquiry.no_order_number(turn)
            return await complaints.without_order(turn, asked.case if asked else None)
        if reading.detail == context.TAKE_OFFER and asked is not None:
            return await self._take_offer(turn, asked)
        if reading.detail == complaints.WHY_CASE:
            return await complaints.why_on_case(turn)
        if reading.detail == complaints.VENTED:
            return await complaints.vented(turn)
        if reading.detail == followups.WHY_SHIPPED:
            return await followups.why_shipped(turn)
        if reading.detail == proposals.DETAIL:
            return await proposals.withdraw(turn)
        if reading.detail == proposals.TO_REFUND:
            return await proposals.to_refund(turn)
        if reading.detail == proposals.AGAIN:
            return await proposals.again(turn)
        if reading.detail == cancel.WITHDRAW:
            return await cancel.withdraw(turn)
        if reading.detail == cancel.PARTIAL:
            return await cancel.drop_item(turn)
        if reading.detail == cancel.WHOLE_AGAIN:
            return await cancel.cancel_whole_again(turn)
        if reading.detail == order_change.DETAIL:
            return await order_change.answer(turn)
        if reading.detail == context.CANCEL_REFUND:
            return await cancel.refund_when(turn)
        if reading.detail == inquiry.FREE_EXPRESS:
            return await inquiry.free_express(turn)
        if reading.detail == invoice.CORRECTION:
            return invoice.correction(turn)
        if reading.detail == hazard.SAFE_TO_USE:
            return hazard.still_safe(turn)
        if reading.detail == context.REMEDY:
            return await remedy.record_choice(turn)
        if reading.detail == refund_wait.PARCEL:
            return await refund_wait.parcel(turn)
        if reading.detail == refund_wait.WAITED:
            return await refund_wait.waited(turn)
        if reading.detail == refund_wait.STATUS:
            return await refund_wait.status(turn)
        if reading.detail == instructions.WITHDRAWN:
            return await instructions.withdraw(turn)
        if reading.detail in (remedy.SENT_YET, remedy.KEEP_OR_SEND):
            return await remedy.remedy_state(turn, reading.detail)
        if reading.detail == remedy.ITEM_BACK:
            return await remedy.item_back(turn)
        if reading.detail == remedy.POSTAGE:
            return await remedy.postage_on_case(turn)
        if reading.detail == remedy.WHY:
            return await remedy.why(turn)
        if reading.detail == remedy.GO_AHEAD:
            return await remedy.go_ahead(turn)
        if reading.detail == feedback.SUGGESTION:
            return await feedback.suggestion(turn)
        if reading.detail == feedback.SURVEY_DOUBT:
            return await feedback.survey_doubted(turn)
        if reading.detail == lost_parcel.DETAIL:
            return await lost_parcel.refund(turn)
        if reading.detail == lost_parcel.IF_LOST:
            return await lost_parcel.record_if_lost(turn)
        if reading.detail == lost_parcel.NOTHING_BACK:
            return await lost_parcel.nothing_back(turn)
        if reading.detail == lost_parcel.WHEN:
            return await lost_parcel.refund_when(turn)
        if reading.detail == reach_back.DETAIL:
            return await reach_back.note(turn)
        if reading.detail == lost_parcel.CHASE:
            return await lost_parcel.chase(turn)
        if reading.detail == lost_parcel.DELIVERED:
            # ("neighbour's out too, what now": the news on the case, then what to do.)
            return await meanwhile.with_advice(turn, await lost_parcel.delivered_missing(turn))
        if reading.detail == meanwhile.DETAIL:
            return await meanwhile.answer(turn)
        if reading.detail == case_questions.ALREADY_SENT:
            return await case_questions.already_sent(turn)
        if reading.detail == lost_parcel.FOUND:
            return await lost_parcel.found_after_all(turn)
        if reading.detail == refund_route.DETAIL:
            return await refund_route.answer(turn)
        if reading.detail == pay_trouble.POSTED and pay_trouble.charge_case(turn) is None:
            # "不是预授权 已经入账了", "its not pending its been taken": the case for the
            # payments team, now, with the customer's words (amount, date); the order is
            # asked for to go on it when none is in play.
            if turn.order_in_play is not None:
                return await self._payment_case(turn, turn.order_in_play)
            line = f"{turn.say('case_payment_posted')}: {turn.message.text.strip()}"
            return await complaints.complaint(turn, line=line, posted=True)
        if reading.detail in pay_trouble.DETAILS:
            return await pay_trouble.answer(turn, reading.detail)
        if reading.detail == pay_ways.INSTALMENTS_FOLLOW_UP:
            return await pay_ways.follow_up(turn)
        if reading.detail == pay_ways.LACKS_WAY:
            return await pay_ways.other_ways(turn)
        if reading.detail == returns.DETAIL:
            return await returns.answer(turn)
        if reading.detail == returns.CITED:
            return returns.window_cited(turn)
        if reading.detail == returns.GIFT_ORDER:
            return await returns.gift_answer(turn)
        if reading.detail == returns.GIFT_NO_NUMBER:
            return [turn.offer_human("gift_return_no_number")]
        if reading.detail == returns.KEEPS:
            return returns.kept(turn)
        if reading.detail == pair.DETAIL:
            return await pair.compare(turn)
        if reading.detail == advice.DETAIL:
            return await advice.answer(turn)
        if reading.detail == products.DESCRIBE:
            return await products.describe(turn)
        if reading.detail == parts.DETAIL:
            return await parts.answer(turn)
        if reading.detail == care.DETAIL:
            return await care.answer(turn)
        if reading.detail == quantity.DETAIL:
            return await quantity.answer(turn)
        if reading.detail == basket.DETAIL:
            return await basket.answer(turn)
        if reading.detail == basket.AMOUNT:
            return await basket.amount_answer(turn)
        if reading.detail == attributes.DETAIL:
            return await attributes.answer(turn)
        if reading.detail == attributes.EXPRESS:
            return await attributes.express_for_case(turn)
        if reading.detail == combine.DETAIL:
            return await combine.answer(turn)
        if reading.detail == escalation.WITHDRAWN:
            return await escalation.withdraw_handover(turn)
        if reading.detail == escalation.WAIT_TILL_BACK:
            return await escalation.wait_till_back(turn)
        if reading.detail == pair.CHOICE:
            return await pair.choose(turn)
        if reading.detail == instructions.DETAIL:
            return await instructions.add_detail(turn)
        if reading.detail == instructions.WHEN_OUT:
            turn.outcome.intents[-1:] = ["ask_delivery"]
            return await instructions.when_out(turn)
        if reading.detail == followups.ITEM_ON_ORDER:
            return await followups.item_on_order(turn)
        if reading.detail == invoice.DETAIL:
            return await invoice.note_tax_number(turn)
        if reading.detail == too_slow.DETAIL:
            return await too_slow.answer(turn)
        if reading.detail == delivery_options.TO_LOCKER:
            return await delivery_options.answer_to_locker(turn)
        if reading.detail == store_pickup.DETAIL:
            return await store_pickup.answer(turn)
        if reading.detail == order_arrival.WHEN:
            return await order_arrival.arrival(turn)
        if reading.detail == order_arrival.ON_TIME:
            return await order_arrival.on_time_after_change(turn)
        if reading.detail == order_arrival.NOW:
            return await order_arrival.now(turn)
        if reading.detail == order_arrival.OVERDUE:
            return await order_arrival.overdue(turn)
        if reading.detail == order_arrival.NUMBER_FOR_DATE:
            return await order_arrival.number_for_date(turn)
        if reading.detail == order_arrival.BY_DAY:
            return await order_arrival.by_their_day(turn)
        if (
            asked is not None
            and asked.question is Question.ORDER_NUMBER
            and asked.case is not None
            and intent in ("complaint", "ask_order_status")
            and turn.parse.entity("order_number") is not None
            and turn.order_in_play is not None
        ):
            if asked.order is not None and asked.order != turn.order_in_play:
                # Asked for in place of the order said to be wrong: that one replaced.
                return await corrected.on_case(turn, asked.case, asked.order, turn.order_in_play)
            # The order number we asked for to go on a case: put it there.
            return await complaints.attach_order(turn, asked.case, turn.order_in_play)
        if (
            asked is not None
            and asked.purpose is Purpose.PAYMENT
            and asked.case is None
            and turn.order_in_play is not None
            and intent == "complaint"
        ):
            # The order number the payment answer asked for: a case for the payments team.
            return await self._payment_case(turn, turn.order_in_play)
        if (
            # (A complaint about it opens its case on the complaint's own path, priority and all.)
            intent in ("ask_payment", "ask_order_status", FALLBACK)
            and turn.parse.orders
            and turn.order_in_play is not None
            and context.charge_to_check(turn.message.text)
            and (asked is None or asked.case is None)
        ):
            # "charged twice for order A-1001": the number is here, so the case for the
            # payments team at once, not the answer that asks for the number.
            turn.outcome.intents[-1:] = ["ask_payment"]
            return await self._payment_case(turn, turn.order_in_play)
        if await instructions.applies(turn, intent):
            # "leave it with next door" about an order: noted on a case, not the FAQ text.
            turn.outcome.intents[-1:] = ["ask_delivery"]
            return await instructions.record(turn)
        if reading.detail == context.CARRIER:
            return await inquiry.carrier(turn)
        if reading.detail == context.ORDERED_RECENTLY:
            return await inquiry.ordered_recently(turn)
        if reading.detail == context.LATE_REFUND:
            return await complaints.late_refund(turn)
        if reading.question is not None:
            return await inquiry.answer(turn, asked=reading.question, intent=reading.intent)
        if intent == "ask_order_status" and reading.follow_up:
            return await inquiry.order_status(turn, follow_up=True)
        case = await cases.current_case(turn)
        if case is not None and intent == FALLBACK and substantial(turn.message.text):
            # Not understood, but a case is open: a question is about it, anything else is
            # more for it. Either beats "I didn't get that".
            if context.about_the_case(turn):
                turn.outcome.intents[-1] = context.CASE_STATUS
                return await cases.case_status(turn)
            entry = turn.deps.knowledge.find(turn.message.text)
            if entry is not None and questions.is_question(turn.message.text):
                # "运费谁出" while a case is open: the FAQ knows, the case needn't.
                turn.outcome.intents[-1] = entry.intent
                return [Reply(entry.answer(turn.language))]
            if resigned.nods(turn):
                # "ok no worries cheers": the case stays open, nothing to add to it.
                turn.outcome.intents[-1] = resigned.INTENT
                return await resigned.acknowledge(turn)
            turn.outcome.intents[-1] = "complaint"  # more detail for the case
            return await complaints.add_detail(turn, case)
        if (
            case is not None
            and intent == "complaint"
            and questions.is_question(turn.message.text)
            and turn.parse.entity("order_number") is None
            and not context.DEFECT.search(turn.message.text)
            and not context.asks_for_a_case(turn.message.text)
            and context.states_preference(turn.message.text) is None
            and not context.about_the_case(turn)
        ):
            entry = turn.deps.knowledge.find(turn.message.text)
            if entry is not None:
                # "do I pay to send it back?" while a case is open: answered, not noted.
                turn.outcome.intents[-1] = entry.intent
                return await inquiry.answer(turn, intent=entry.intent)
        if (
            case is not None
            and intent == "request_human"
            and case.escalated_at is not None
            and (turn.parse.entity("order_number") or context.DEFECT.search(turn.message.text))
        ):
            # Already with the team, and the customer says more: it goes on the case too.
            added = await complaints.add_detail(turn, case)
            return [*added[1:], *await escalation.request_human(turn)]
        if (
            case is None
            and intent == "request_human"
            and context.DEFECT.search(turn.message.text)
            and escalation.asks_for_person(turn.message.text)
        ):
            # "i want a real person, the coffee machine stopped working": a complaint, with its
            # apology and remedy path, handed to the person asked for (``complaints.complaint``).
            turn.outcome.intents[-1:] = ["complaint"]
            return await complaints.complaint(turn)
        if intent in inquiry.ANSWERED and intent != turn.parse.intent:
            # Read in context as another topic than the engine's ("那我钱呢" after a status).
            return await inquiry.answer(turn, intent=intent)
        if intent == FALLBACK and complaints.bitter(turn):
            # "good job guys, sent me someone else's order": not understood word for word,
            # but a problem said bitterly is a complaint.
            turn.outcome.intents[-1:] = ["complaint"]
            return await complaints.complaint(turn)
        if intent == "complaint" and complaints.sarcastic_remark(turn):
            # "oh brilliant, another bot.": bitter, but no problem to open a case about.
            turn.outcome.intents[-1:] = ["feedback_negative"]
            return await complaints.remark(turn)
        if intent == "complaint" and complaints.plain_praise(turn):
            # "you lot are brilliant, parcel came next day": praise, thanked, no case.
            turn.outcome.intents[-1:] = ["feedback_positive"]
            return await complaints.remark(turn)
        behaviour = ROUTES.get(intent)
        if behaviour is None:
            # An intent from custom training data: answered from the knowledge base, if it can.
            behaviour = inquiry.answer if inquiry.knows(turn, intent) else escalation.fallback
        return await behaviour(turn)

    async def _take_offer(self, turn: Turn, asked: Asked) -> list[Reply]:
        """ "ok please check it" to the bot's offer that needs an order number: done with the
        order in play, else the number asked for again (the question stays open)."""
        if turn.order_in_play is None:
            turn.ask(replace(asked, turn=0))
            return [turn.reply("offer_needs_order")]
        if asked.purpose is Purpose.CANCEL:
            turn.outcome.intents[-1:] = [cancel.INTENT]
            return await cancel.cancel_order(turn)
        if asked.purpose is Purpose.REFUND:
            turn.outcome.intents[-1:] = ["ask_returns_refunds"]
            return await complaints.late_refund(turn)
        return await self._payment_case(turn, turn.order_in_play)

    async def _payment_case(self, turn: Turn, order: str) -> list[Reply]:
        """A case for the payments team about the order the payment answer asked for, and
        what they do with it."""
        line = turn.say("case_payment_check", order=order)
        replies = await complaints.complaint(turn, line=line, order=order)
        # "how long till the money is back" next is about this charge, not the queue.
        turn.answered_from(complaints.PAYMENT_ENTRY, shown=False, case=turn.outcome.case)
        return [*replies, turn.reply("payment_check_next")]

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
        return reply.recorded_as(stored)


async def _after_handover(turn: Turn, request: Turn) -> Turn:
    """A request about an order read after this message handed a case to people ("i need to
    talk to someone, order 64310 still hasn't come"): read with that case open, so the order's
    news goes with it (no case or person offered beside the hand-over)."""
    number = turn.outcome.case
    if number is None or "request_human" not in turn.outcome.intents or not request.parse.orders:
        # (An order not named yet is asked for, as it would be: "which order is it?".)
        return request
    if any(c.number == number for c in request.context.open_cases):
        return request
    case = await turn.deps.cases.get(number)
    opened = (case, *request.context.open_cases)
    return replace(request, context=replace(request.context, open_cases=opened))


# The reading's name for a request the order number was asked for besides the first.
ASKED_FOR_TOO = "asked_for_too"
# The reading's name for a remark about the shop (one piece of feedback for the whole message).
REMARK = "remark"
# What the engine reads that a remark about the shop does not overrule.
_NOT_REMARKS = {"request_human", context.CASE_STATUS, "forget_request", "ask_my_data", "goodbye"}


def _with_product_before(turn: Turn, request: Turn) -> Turn:
    """The request with the product an earlier request of the same message named or was
    answered about in play ("扫地机器人能拖地吗？电池能用多久": the battery is the robot
    vacuum's); as it was when none did. (A product the request names of its own still
    wins, as over any product in play.)"""
    named = turn.outcome.slots.get("product")
    if named is None or request is turn:
        return request
    return replace(request, dialogue=request.dialogue.with_slot("product", named))


def _remark(turn: Turn) -> context.Reading | None:
    """Feedback when the message is a remark about the shop that asks for nothing ("the
    packaging was a bit flimsy tbh", "客服态度还行 就是发货慢"); a resigned acceptance
    ("fine whatever works", "行吧 随便"), acknowledged and never feedback; else None."""
    if cases.drops_just_opened(turn):
        return None  # "那算了" right after a case was opened: withdrawn (readings)
    if escalation.takes_wait_badly(turn):
        return None  # "great so nobody till monday": the wait taken badly (readings)
    if escalation.withdraws_handover(turn):
        return None  # "那算了" right after a person was asked for: withdrawn (readings)
    if resigned.accepts(turn):
        return context.Reading(resigned.INTENT)
    if returns.gift_asked(turn) is not None:
        return None  # "同事送我的礼物 不太喜欢能换吗": a gift to send back (readings)
    if service.complained(turn.message.text):
        return None  # "打客服电话 对方态度特别差": how we treated them, a complaint (readings)
    if not turn.parse.orders and feedback.praises_staff(turn.message.text):
        # "the agent Sara sorted it so fast, please tell her boss": one piece of praise for
        # one of our people, their name kept in it (never a case's status, nor split).
        return context.Reading("feedback_positive")
    if not turn.parse.orders and feedback.praises_in_harsh_words(turn.message.text):
        # "the kettle is terribly good, i'm shocked how fast it boils", "好用到离谱": praise.
        return context.Reading("feedback_positive")
    asked = turn.dialogue.asked
    if turn.parse.intent in _NOT_REMARKS or (
        asked is not None and asked.question is Question.ADDRESS
    ):
        return None
    if turn.parse.intent == "complaint" and turn.context.open_cases:
        return None  # more for the open case, as a complaint (a remark would go there too)
    if sarcasm.after_bad_news(turn, has_open_case=bool(turn.context.open_cases)):
        return None  # "lovely service as always" with a case open: sarcasm (readings)
    if sarcasm.praise_with_trouble(turn.message.text):
        return None  # "lovely. still stuck in transit. great job": the trouble, then sarcasm
    if remarks.displeased(turn):
        return None  # "great service guys" with a fault's case open: displeasure (readings)
    if products.not_as_shown(turn.message.text):
        return None  # "i like it but the colour is off": the exchange, not thanks (readings)
    names_order = turn.parse.entity("order_number") is not None
    if not feedback.is_remark(turn.message.text, names_order=names_order):
        return None
    praise = feedback.is_praise(turn.parse)
    return context.Reading("feedback_positive" if praise else "feedback_negative")


# Readings whose gloomy words are about the item or what might happen, not the customer's mood
# (a change-of-mind return, a supposition): no "very unhappy" escalation beside them.
NOT_UNHAPPY = frozenset(
    {
        readings.returns_order.__name__,
        readings.returns_no_order.__name__,
        readings.tried_not_liked.__name__,
        readings.not_a_fault.__name__,
        readings.not_as_shown.__name__,
        # "in case the box is all crushed when it comes": gloomy words about what might
        # happen, answered for the order, not a very unhappy customer.
        readings.supposes_about_order.__name__,
    }
)
# Requests that already bring people in, or say where the case stands.
# Negative feedback offers its own follow-up.
HANDED_OVER = {
    "complaint",
    # A question about the open case: the case is with people already.
    case_questions.INTENT,
    "request_human",
    context.CASE_STATUS,
    "feedback_negative",
    context.NEW_ADDRESS,
    # Goes to people when it must (not shipped); its words read gloomy without the customer
    # being upset ("got the wrong size", "ordered by mistake"): no hand-over for the tone.
    cancel.INTENT,
    # Closed at the customer's word: the problem is solved, nobody to bring in.
    cases.CLOSE,
    # The case is already with people; its priority was raised.
    cases.HURRY,
    # The case is already with people, who write when there is news.
    cases.NOTIFY,
    # "fine whatever works": acknowledged, no new offer (a person) for the sigh in it.
    resigned.INTENT,
}


def _unique(buttons: tuple[Button, ...]) -> tuple[Button, ...]:
    unique: dict[str, Button] = {}
    for button in buttons:
        unique.setdefault(button.payload, button)
    return tuple(unique.values())


def _offer_stands(so_far: Dialogue, outcome: Outcome, *, opened: bool) -> bool:
    """True when the bot's offer of the turn before is still open after this one: the
    customer only added words to their case (no new question asked, nothing else done).
    ``opened``: this turn opened a case, which takes up an offer to open one ("open a case
    pls", "帮我催一下快递吧" to "shall I open a case, or bring in a person?"): a nod after it
    is a nod, not a yes to the offer again."""
    asked = so_far.asked
    if asked is None or so_far.turn - asked.turn > 1 or outcome.case is None:
        return False
    if opened and asked.question is Question.OPEN_CASE:
        return False
    offers = {asked.question, *asked.also}
    return (
        bool(offers & {Question.HUMAN, Question.OPEN_CASE})
        and bool(outcome.intents)
        and all(i in ("complaint", "feedback_negative") for i in outcome.intents)
    )


# Shorter than this, a reply said again is a nod ("Glad to help"), not an answer repeated.
_ANSWER_CHARS = 30


def _said_last(turn: Turn) -> set[str]:
    """The texts the bot sent in answer to the customer's message before this one."""
    said: list[str] = []
    for message in reversed(turn.context.recent):
        if message.id == turn.message_record or message.conversation_id != turn.conversation_id:
            continue
        if message.direction is Direction.IN:
            break
        if message.sender is Sender.BOT:
            said.append(message.text.strip())
    return set(said)


def _not_said_twice(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """The customer asks again ("到底取消了没" after the same answer): a reply word for word the
    one they just had says first that it is the same answer, all we know now, rather than
    being sent again as if it were new."""
    said = _said_last(turn)
    pointed = any(
        e.kind == "order_number" and e.source == followups.POINTED for e in turn.parse.entities
    )
    if pointed and len(said) > 1:
        # "and the last one?" right after several orders' statuses: one of them picked out
        # to look at, not the same question asked again.
        return replies

    def repeated(reply: Reply) -> bool:
        # (Inside what was said too: the last answer may have owned up to a repeat first.)
        text = reply.text.strip()
        return len(text) >= _ANSWER_CHARS and any(text in before for before in said)

    return [
        replace(reply, text=f"{turn.say('said_again')}\n{reply.text}") if repeated(reply) else reply
        for reply in replies
    ]


def _next_dialogue(turn: Turn) -> Dialogue:
    """The conversation state after this turn: what it asked, its topic, entities in play."""
    so_far, outcome = turn.dialogue, turn.outcome
    topical = [i for i in outcome.intents if i not in SMALL_TALK and not i.startswith("button:")]
    topic = topical[-1] if topical else so_far.topic
    asked = outcome.asked
    if asked is None and so_far.asked is not None and outcome.intents == [FALLBACK]:
        # Not understood: the question still stands for one more message.
        asked = so_far.asked if so_far.turn - so_far.asked.turn <= 2 else None
    elif asked is None and _offer_stands(
        so_far, outcome, opened=outcome.case not in {c.number for c in turn.context.open_cases}
    ):
        # "shall I bring in a person?" - "its been nearly 2 weeks" (put on the case) - "yes
        # please": a remark for the case answers nothing, so the offer still stands.
        asked = so_far.asked
    if asked is not None and asked.turn == 0:
        asked = replace(asked, turn=so_far.turn)
    next_ = replace(
        so_far,
        topic=topic,
        asked=asked,
        case=outcome.case or so_far.case,
        misses=so_far.misses + 1 if escalation.missed(turn) else 0,
        unresolved=so_far.unresolved or bool(outcome.unresolved),
        intents=tuple(outcome.intents),
        readings=tuple(outcome.readings),
        language=turn.language,
        subject=_next_subject(turn, topical),
        proposed=_next_proposed(turn),
    )
    for entity in turn.parse.entities:
        if entity.kind == "product" and attributes.where_it_goes(
            turn.message.text, entity.start, entity.end
        ):
            continue  # "can the pot go in the dishwasher": no dishwasher to price next
        if entity.kind in ("order_number", "product", "email"):
            next_ = next_.with_slot(entity.kind, entity.value)
    named = [e.value for e in turn.parse.entities if e.kind == "order_number" and e.text]
    if len(dict.fromkeys(named)) > 1:
        # Several orders named in one message: "the second one", "the last one" count in them.
        next_ = next_.with_slot(followups.LISTED, "|".join(dict.fromkeys(named)))
    for kind, value in outcome.slots.items():
        next_ = next_.with_slot(kind, value)
    for key, index in outcome.said.items():
        next_ = next_.with_said(key, index)
    return next_


def _next_proposed(turn: Turn) -> dialogue.Proposed | None:
    """The last thing proposed or set going after this turn: this turn's, else the one
    before unless the customer took it back."""
    outcome = turn.outcome
    if outcome.proposed is not None:
        return replace(outcome.proposed, turn=turn.dialogue.turn)
    return None if outcome.withdrawn else turn.dialogue.proposed


def _next_subject(turn: Turn, topical: list[str]) -> dialogue.Subject | None:
    """What this turn's answer was about: what the behaviours said, else the orders whose
    status it gave (with those of the status answers just before: "where is A-1002" -
    "and C-7781?" is about both); an answer about something else replaces it, an "ok"
    keeps it."""
    subject = _answered_subject(turn, topical)
    outcome, now, before = turn.outcome, turn.dialogue.turn, turn.dialogue.subject
    # What the customer's words were about outlives the answer it came with (a refund named,
    # then "ok", then "why so long?"): the newest one named is kept beside the subject.
    if outcome.matter is not None:
        matter, named = outcome.matter, now
    elif before is not None and before.matter is not None:
        matter, named = before.matter, before.named
    else:
        return subject
    return replace(subject or dialogue.Subject(turn=now), matter=matter, named=named)


def _answered_subject(turn: Turn, topical: list[str]) -> dialogue.Subject | None:
    outcome, now = turn.outcome, turn.dialogue.turn
    if outcome.subject is not None:
        return replace(outcome.subject, turn=now)
    if outcome.statused:
        before = turn.dialogue.subject_in_play()
        earlier = before.orders if before is not None and before.entry is None else ()
        orders = (*earlier, *sorted(outcome.statused - set(earlier)))
        return dialogue.Subject(orders=orders, turn=now)
    if topical:
        return None
    kept = turn.dialogue.subject
    return kept if kept is not None and kept.answered else None


def _synthetic(text: str, intent: str) -> ParseResult:
    """What a command or a button press means, without asking the NLU engine."""
    mood = analyse(text)
    return ParseResult(
        text=text,
        intent=intent,
        confidence=1.0,
        ranking=(IntentScore(intent, 1.0),),
        entities=(),
        sentiment=mood.score,
        language="",
        sentiment_label=mood.label,
    )
