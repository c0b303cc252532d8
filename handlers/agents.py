"""What agents do with cases — take, reply, note, hand back, close — on any desk."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from crm_memory import (
    Attachment,
    Case,
    CaseNote,
    CaseStatus,
    ChannelIdentity,
    ChatOwner,
    Direction,
    Media,
    NotFound,
    Sender,
)
from crm_memory.assignment import HANDED_BACK
from handlers.assignment import AssignmentError
from handlers.desk import AgentDesk, Outbox
from handlers.turn import Deps
from handlers.types import Button, Reply

logger = logging.getLogger(__name__)

RATE = "rate"


class AgentError(Exception):
    """An agent's action cannot be done; the message says why, for the agent to read."""


class UnknownCase(AgentError):
    """There is no case with that number."""


class NotSent(AgentError):
    """Recorded, not delivered yet: no channel reaches the customer from this process (a
    desk running without Telegram); the bot sends it when it starts."""


def survey_buttons(number: int) -> tuple[Button, ...]:
    """1-5 buttons whose payload names the case: ``rate:<case>:<rating>``."""
    return tuple(Button(f"{'⭐' * r}", f"{RATE}:{number}:{r}") for r in range(1, 6))


async def close_for_rating(deps: Deps, number: int, *, by: str) -> tuple[Case, tuple[Button, ...]]:
    """The step shared by every close of a case, an agent's or the customer's: the case is
    closed and its assignment released; returns it and the buttons that ask for a rating
    (the customer's close answers with them in its turn, an agent's sends them through
    the outbox)."""
    closed = await deps.cases.close(number)
    if deps.router is not None:
        await deps.router.released(number, by=by, reason="closed")
    return closed, survey_buttons(number)


def display_name(agent: str | None) -> str:
    """How the customer sees an agent's name: ``maria`` -> ``Maria``, ``@lena_k`` -> ``Lena_k``;
    a case nobody owns (``None``) is "A colleague"."""
    name = (agent or "").strip().lstrip("@")
    return name[:1].upper() + name[1:] if name else "A colleague"


async def handed_back(deps: Deps, case: Case) -> bool:
    """True for an open case an agent had and gave back to the bot: the bot answers the
    customer again, and no one on the team is on the case now (until the customer asks for
    a person again). Without a router only a take gives a case to an agent, and a take owns
    the chat, so an agent's case the bot is answering about was given back; with one, its
    record says whether the agent handed it back or was given it and has not written yet."""
    if case.status is not CaseStatus.ASSIGNED or not case.owner:
        return False
    if deps.router is None:
        return True
    return await deps.router.handed_back(case.number)


class AgentService:
    """Agents' actions on cases, the same from the Telegram group or any other desk.

    Args:
        deps: the stores and templates.
        outbox: delivers agents' words and surveys to the customer's channel.
    """

    def __init__(self, *, deps: Deps, outbox: Outbox) -> None:
        self._deps = deps
        self._outbox = outbox

    async def case(self, number: int) -> Case:
        """A case, or an AgentError naming the number."""
        try:
            return await self._deps.cases.get(number)
        except NotFound as exc:
            raise UnknownCase(f"there is no case #{number}") from exc

    async def notes(self, number: int) -> list[CaseNote]:
        """A case's internal notes, oldest first, each with its author and time."""
        await self.case(number)
        return await self._deps.cases.notes(number)

    async def identity(self, case: Case) -> ChannelIdentity:
        """Where the customer of a case is reached: the channel they last wrote on."""
        identities = await self._deps.customers.identities(case.customer_id)
        if not identities:
            raise AgentError(f"case #{case.number} has no reachable customer")
        last = await self._deps.messages.history(case.customer_id, limit=1)
        channel = last[0].channel if last else identities[0].channel
        return next((i for i in identities if i.channel == channel), identities[0])

    async def _open(self, number: int) -> Case:
        case = await self.case(number)
        if case.status is CaseStatus.CLOSED:
            raise AgentError(f"case #{number} is closed")
        return case

    async def take(self, number: int, agent: str) -> Case:
        """The agent owns the case and the customer's chat; the bot goes quiet there, and the
        customer is told who joined (once: not again when the same agent already has it)."""
        case = await self._open(number)
        identity = await self.identity(case)
        chat = str(identity)
        before = await self._deps.state.owner(chat)
        await self._deps.state.claim(chat, ChatOwner(agent=agent, case_number=number), force=True)
        taken = await self._deps.cases.assign(number, agent)
        if self._deps.router is not None:
            await self._deps.router.took(number, agent)
        if before.agent != agent and ":" not in agent:
            # A person joined (an API client, "api:shop", is no one to introduce).
            await self._tell(case, identity, "agent_joined", agent=display_name(agent))
        return taken

    async def reply(self, number: int, agent: str, text: str) -> Case:
        """Send the agent's words to the customer (taking the case first if needed)."""
        if not text.strip():
            raise AgentError("nothing to send")
        case = await self._open(number)
        identity = await self.identity(case)
        owner = await self._deps.state.owner(str(identity))
        if case.owner != agent or owner.agent != agent:
            case = await self.take(number, agent)
        await self._send(case, identity, Reply(text.strip()), agent=agent)
        return await self._deps.cases.record_response(number)

    async def send_media(
        self,
        number: int,
        agent: str,
        attachment: Attachment,
        *,
        upload: bytes | None = None,
        stored: Callable[[Media], Awaitable[None]] | None = None,
    ) -> Media | None:
        """Send the agent's photo, file or voice note to the customer natively (taking the
        case first if needed), its caption as the agent's words; recorded as agent media
        (returned; None when no media store is configured).

        ``stored`` is called with the media once it is recorded, before it is delivered (the
        desk keeps an upload's bytes there, so a delivery that fails or waits loses nothing).
        """
        case = await self._open(number)
        identity = await self.identity(case)
        owner = await self._deps.state.owner(str(identity))
        if case.owner != agent or owner.agent != agent:
            try:
                case = await self.take(number, agent)
            except NotSent:
                # Taken; "Maria joined" waits to be sent, and the file goes with it.
                case = await self.case(number)
        reply = Reply(attachment.caption.strip(), media=attachment, upload=upload)
        kept = await self._send(case, identity, reply, agent=agent, stored=stored)
        await self._deps.cases.record_response(number)
        return kept

    async def note(self, number: int, agent: str, text: str) -> Case:
        """An internal note on the case, stored as its own record with the agent and the time
        (never appended to the summary, which holds the customer's words); the customer
        never sees it."""
        if not text.strip():
            raise AgentError("write the note after /note")
        case = await self.case(number)
        await self._deps.cases.add_note(number, author=agent, text=text)
        return case

    async def handback(self, number: int, agent: str) -> Case:
        """The bot answers the customer again; the case stays open."""
        case = await self._open(number)
        identity = await self.identity(case)
        await self._deps.state.release(str(identity))
        await self._tell(case, identity, "handed_back")
        if self._deps.router is not None:
            await self._deps.router.released(number, by=agent, reason=HANDED_BACK)
        return case

    async def close(self, number: int, agent: str) -> Case:
        """Close the case, give the chat back to the bot, and ask the customer for a rating."""
        case = await self.case(number)
        if case.status is CaseStatus.CLOSED:
            raise AgentError(f"case #{number} is already closed")
        identity = await self.identity(case)
        closed, rating = await close_for_rating(self._deps, number, by=agent)
        await self._deps.state.release(str(identity))
        await self._tell(case, identity, "survey", buttons=rating)
        return closed

    async def transfer(self, number: int, to: str, *, by: str) -> Case:
        """Give the case to another agent; when an agent was talking with the customer, the
        new one takes the chat over and the customer is told who joined."""
        if self._deps.router is None:
            raise AgentError("assignment is not set up here")
        case = await self._open(number)
        try:
            moved = await self._deps.router.transfer(number, to, by=by)
        except AssignmentError as exc:
            raise AgentError(str(exc)) from exc
        identity = await self.identity(case)
        owner = await self._deps.state.owner(str(identity))
        if owner.agent is not None and owner.agent != moved.owner and moved.owner is not None:
            await self._deps.state.claim(
                str(identity), ChatOwner(agent=moved.owner, case_number=number), force=True
            )
            await self._tell(case, identity, "agent_joined", agent=display_name(moved.owner))
        return moved

    async def unanswered(self, *, waiting: timedelta) -> list[Case]:
        """Escalated, still open cases no agent has answered for at least ``waiting``."""
        cutoff = self._deps.clock() - waiting
        return [
            c
            for c in await self._deps.cases.all(status=CaseStatus.OPEN)
            if c.escalated_at is not None
            and c.first_response_at is None
            and c.escalated_at <= cutoff
        ]

    async def remind(self, desk: AgentDesk, *, waiting: timedelta) -> list[int]:
        """Alert the desk once about each case left unanswered, during business hours."""
        hours = self._deps.hours
        now = self._deps.clock()
        if hours is not None and not hours.is_open(now):
            return []
        reminded = []
        for case in await self.unanswered(waiting=waiting):
            if not await self._deps.state.first_time(f"reminded:{case.number}", ttl=86400):
                continue
            assert case.escalated_at is not None
            minutes = int((now - case.escalated_at).total_seconds() // 60)
            await desk.alert(
                f"⏰ Case #{case.number} ({case.escalation_reason}) has waited {minutes} min "
                "without an answer",
                case_number=case.number,
            )
            reminded.append(case.number)
        return reminded

    async def queue(self) -> list[Case]:
        """Open and assigned cases, most urgent first, oldest first within a priority."""
        cases = [
            c
            for status in (CaseStatus.OPEN, CaseStatus.ASSIGNED)
            for c in await self._deps.cases.all(status=status)
        ]
        return sorted(cases, key=lambda c: (-c.priority.rank, c.opened_at))

    async def _tell(
        self,
        case: Case,
        identity: ChannelIdentity,
        key: str,
        *,
        buttons: tuple[Button, ...] = (),
        agent: str = "",
    ) -> None:
        customer = await self._deps.customers.get(case.customer_id)
        text = self._deps.responses.render(
            key,
            customer.language or self._deps.responses.default_language,
            number=case.number,
            agent=agent,
        )
        await self._send(case, identity, Reply(text, buttons=buttons))

    async def _send(
        self,
        case: Case,
        identity: ChannelIdentity,
        reply: Reply,
        *,
        agent: str | None = None,
        stored: Callable[[Media], Awaitable[None]] | None = None,
    ) -> Media | None:
        """Record the message in the customer's history (its media too), then deliver it."""
        recorded, _ = await self._deps.messages.record(
            customer_id=case.customer_id,
            channel=identity.channel,
            direction=Direction.OUT,
            sender=Sender.AGENT if agent else Sender.BOT,
            agent=agent,
            text=reply.media.marker() if reply.media is not None else reply.text,
        )
        media = None
        if reply.media is not None and self._deps.media is not None:
            media = await self._deps.media.add(
                message_id=recorded.id,
                customer_id=case.customer_id,
                attachment=reply.media,
                case_number=case.number,
            )
            if stored is not None:
                await stored(media)
        await self._outbox.deliver(identity, reply.recorded_as(recorded))
        return media
