"""Live desk updates: what the bot and agents do becomes an event every desk page hears."""

from __future__ import annotations

import json
from collections.abc import Sequence

from crm_memory import ChannelIdentity, Customer, DeskPost, Media
from crm_memory.protocols import ConversationState
from handlers.types import Handoff

TOPIC = "desk"


class WebDesk:
    """The browser desk's side of AgentDesk: each call is published to every desk instance
    (through Redis when it is configured, so bot workers and desk servers can be apart)."""

    def __init__(self, state: ConversationState) -> None:
        self._state = state

    async def event(
        self, kind: str, *, case: int | None = None, customer: int | None = None
    ) -> None:
        """Tell every open desk page that something changed; pages fetch what they show."""
        await self._state.publish(
            TOPIC, json.dumps({"type": kind, "case": case, "customer": customer})
        )

    async def case_escalated(self, handoff: Handoff) -> None:
        await self.event("case", case=handoff.case.number, customer=handoff.customer.id)

    async def customer_wrote(
        self, *, case_number: int | None, customer: Customer, identity: ChannelIdentity, text: str
    ) -> None:
        await self.event("message", case=case_number, customer=customer.id)

    async def customer_media(
        self,
        *,
        case_number: int | None,
        customer: Customer,
        identity: ChannelIdentity,
        media: Media,
    ) -> None:
        await self.event("message", case=case_number, customer=customer.id)

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        await self.event("alert", case=case_number)

    async def erase(self, posts: Sequence[DeskPost]) -> int:
        return 0  # pages show what the store holds, which erasure already changed
