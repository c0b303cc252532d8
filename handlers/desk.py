"""Where escalated cases go, and how agents' words reach customers: seams channels implement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from crm_memory import ChannelIdentity, Customer, DeskPost, Media
from handlers.types import Handoff, Reply


class PostEraser(Protocol):
    """Takes an erased customer out of what agents were shown."""

    async def erase(self, posts: Sequence[DeskPost]) -> int:
        """Replace the text of these posts with "[erased]"; returns how many were edited."""
        ...


class AgentDesk(PostEraser, Protocol):
    """Where agents work: the Telegram agents' group, later a browser desk."""

    async def case_escalated(self, handoff: Handoff) -> None:
        """Show agents a newly escalated case with its context."""
        ...

    async def customer_wrote(
        self, *, case_number: int | None, customer: Customer, identity: ChannelIdentity, text: str
    ) -> None:
        """Relay what a customer wrote while an agent owns the chat."""
        ...

    async def customer_media(
        self,
        *,
        case_number: int | None,
        customer: Customer,
        identity: ChannelIdentity,
        media: Media,
    ) -> None:
        """Show agents a customer's photo, file or voice note natively, with the case."""
        ...

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        """Tell agents something needs attention (a low rating, an unanswered case)."""
        ...


class MediaFiles(Protocol):
    """Copies of customers' files kept outside the database (the desk's cache)."""

    def drop(self, media_ids: Iterable[int]) -> int:
        """Delete the copies of these media (erasure); returns how many there were."""
        ...

    def forget_files(self, file_ids: Iterable[str]) -> int:
        """Delete files kept only here (a website visitor's uploads) by their media's file
        ids (erasure); returns how many there were."""
        ...


class Outbox(Protocol):
    """Delivers a message to a customer on their channel, outside a reply to them."""

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        """Send, then mark the recorded message sent."""
        ...


@runtime_checkable
class TypingIndicator(Protocol):
    """Shows a customer that an agent is writing to them (a channel that can)."""

    async def agent_typing(self, identity: ChannelIdentity, agent: str) -> None:
        """Tell the customer ``agent`` is typing now; shown for a few seconds."""
        ...


class Desks:
    """Several desks as one (the Telegram group and the browser desk): each hears everything."""

    def __init__(self, *desks: AgentDesk) -> None:
        self.desks = desks

    async def case_escalated(self, handoff: Handoff) -> None:
        for desk in self.desks:
            await desk.case_escalated(handoff)

    async def customer_wrote(
        self, *, case_number: int | None, customer: Customer, identity: ChannelIdentity, text: str
    ) -> None:
        for desk in self.desks:
            await desk.customer_wrote(
                case_number=case_number, customer=customer, identity=identity, text=text
            )

    async def customer_media(
        self,
        *,
        case_number: int | None,
        customer: Customer,
        identity: ChannelIdentity,
        media: Media,
    ) -> None:
        for desk in self.desks:
            await desk.customer_media(
                case_number=case_number, customer=customer, identity=identity, media=media
            )

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        for desk in self.desks:
            await desk.alert(text, case_number=case_number)

    async def erase(self, posts: Sequence[DeskPost]) -> int:
        return sum([await desk.erase(posts) for desk in self.desks])


class Outboxes:
    """Several channels' outboxes as one: each message goes out on its customer's channel
    (an agent's reply to a website visitor through the widget, to Telegram through Telegram)."""

    def __init__(self, by_channel: dict[str, Outbox], *, fallback: Outbox | None = None) -> None:
        self.by_channel = dict(by_channel)
        self.fallback = fallback  # for channels this process does not reach

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        outbox = self.by_channel.get(identity.channel, self.fallback)
        if outbox is None:
            raise LookupError(f"no channel here reaches {identity.channel} customers")
        await outbox.deliver(identity, reply)

    async def agent_typing(self, identity: ChannelIdentity, agent: str) -> None:
        """Through the customer's channel when it can show it; nothing otherwise."""
        outbox = self.by_channel.get(identity.channel, self.fallback)
        if isinstance(outbox, TypingIndicator):
            await outbox.agent_typing(identity, agent)
