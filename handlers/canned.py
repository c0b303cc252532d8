"""Canned replies filled in for a case's customer and sent as the agent's words."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from crm_memory import Case, Customer, NotFound, StoreUnavailable
from crm_memory.canned import CannedReply, CannedStore, MissingValue, fill
from crm_memory.media import Attachment
from handlers import dialogue
from handlers.agents import AgentError, AgentService, display_name
from handlers.turn import Deps

logger = logging.getLogger(__name__)

ORDER = "order_number"


class UnknownCanned(AgentError):
    """There is no canned reply with that name."""


@dataclass(frozen=True, slots=True)
class Filled:
    """A canned reply made ready for one case: the text the customer would get."""

    name: str
    language: str
    text: str
    attachment: Attachment | None


class CannedService:
    """Fills canned replies for a case's customer and sends them through AgentService.

    Args:
        deps: the stores (customers, facts, conversation state).
        store: where canned replies are kept.
        agents: sends the filled text as the agent's reply (recorded in history).
    """

    def __init__(self, *, deps: Deps, store: CannedStore, agents: AgentService) -> None:
        self._deps = deps
        self._store = store
        self._agents = agents

    async def all(self, query: str = "") -> list[CannedReply]:
        """Canned replies by name, those matching ``query`` (name or text) when given."""
        return await self._store.all(query=query)

    async def get(self, name: str) -> CannedReply:
        """One canned reply, or UnknownCanned naming what to try instead."""
        try:
            return await self._store.get(name)
        except NotFound:
            raise UnknownCanned(f"no canned reply {name!r}; /c lists them") from None

    async def fill(self, name: str, number: int, agent: str) -> Filled:
        """The canned reply in the case customer's language (else English, else any), its
        placeholders filled. AgentError (MissingValue's message) when one has no value."""
        canned = await self.get(name)
        case = await self._agents.case(number)
        customer = await self._deps.customers.get(case.customer_id)
        if customer.erased:
            raise AgentError(f"the customer of case #{number} was erased")
        language, text = canned.variant(customer.language)
        values = {
            "name": _name(customer),
            "order": await self._order(case),
            "case": f"#{case.number}",
            "agent": display_name(agent),
        }
        try:
            filled = fill(text, values)
        except MissingValue as exc:
            raise AgentError(
                f"{canned.name} needs {{{exc.placeholder}}} and case #{number} has none "
                f"({exc.reason})"
            ) from None
        return Filled(canned.name, language, filled, canned.attachment)

    async def send(self, name: str, number: int, agent: str) -> Filled:
        """Fill the canned reply and send it to the customer as the agent's message, then its
        photo or document natively (by its Telegram file id), recorded as the agent's media."""
        filled = await self.fill(name, number, agent)
        await self._agents.reply(number, agent, filled.text)
        if filled.attachment is not None:
            await self._agents.send_media(number, agent, filled.attachment)
        return filled

    async def send_attachment(self, name: str, number: int, agent: str) -> Attachment | None:
        """Only the canned reply's photo or document, natively (the desk sends the text the
        agent edited, then this); None when it has none."""
        canned = await self.get(name)
        if canned.attachment is not None:
            await self._agents.send_media(number, agent, canned.attachment)
        return canned.attachment

    async def _order(self, case: Case) -> str | None:
        """The order in play in the customer's chat, else the last order number they gave."""
        try:
            identity = await self._agents.identity(case)
            state = await dialogue.load(self._deps.state, str(identity))
        except (AgentError, StoreUnavailable):
            state = dialogue.Dialogue()
        slot = state.slot(ORDER)
        if slot is not None:
            return slot.value
        facts = [f for f in await self._deps.customers.facts(case.customer_id) if f.kind == ORDER]
        return max(facts, key=lambda f: f.learned_at).value if facts else None


def _name(customer: Customer) -> str | None:
    """How to address the customer; None when all we have is a number (a Telegram id)."""
    name = customer.display_name.strip()
    return None if not name or name.isdigit() else name
