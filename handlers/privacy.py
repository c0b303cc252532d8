"""What we store about a customer: shown, exported and erased on request."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from crm_memory import CustomerExport
from handlers.desk import PostEraser
from handlers.turn import Deps, Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

FORGET = "forget:yes"


@dataclass(frozen=True, slots=True)
class Erasure:
    """What erasing a customer touched."""

    erased: bool
    chats: int
    posts: int
    posts_edited: int


async def export_customer(deps: Deps, customer_id: int) -> CustomerExport:
    """Everything stored about a customer. Raises NotFound."""
    customer = await deps.customers.get(customer_id)
    return CustomerExport(
        customer=customer,
        identities=tuple(await deps.customers.identities(customer_id)),
        facts=tuple(await deps.customers.facts(customer_id)),
        messages=tuple(await deps.messages.all_for(customer_id)),
        cases=tuple(await deps.cases.for_customer(customer_id)),
        ratings=tuple(await deps.surveys.for_customer(customer_id)),
        feedback=tuple(await deps.feedback.for_customer(customer_id)),
        notes=tuple(await deps.cases.notes_for_customer(customer_id)),
        media=tuple(await deps.media.for_customer(customer_id)) if deps.media else (),
    )


async def erase_customer(
    deps: Deps, customer_id: int, *, eraser: PostEraser | None = None
) -> Erasure:
    """Erase a customer from every store: the SQL rows (anonymised so reports keep their
    counts), each chat's conversation state, the agents' chat posts about them (copies of
    their photos and files deleted) and the desk's cached copies of their files."""
    identities = await deps.customers.identities(customer_id)
    posts = await deps.posts.for_customer(customer_id) if deps.posts is not None else []
    media = await deps.media.for_customer(customer_id) if deps.media is not None else []
    erased = await deps.customers.forget(customer_id)
    if deps.media_files is not None and media:
        # The file ids are forgotten with the rows; the desk's copies go too.
        deps.media_files.drop(m.id for m in media)
        deps.media_files.forget_files(m.attachment.file_id for m in media)
    for identity in identities:
        await deps.state.forget_chat(str(identity))
    edited = await eraser.erase(posts) if eraser is not None and posts else 0
    if edited < len(posts):
        logger.warning(
            "customer %s erased; %d of %d agents' chat posts could not be edited",
            customer_id,
            len(posts) - edited,
            len(posts),
        )
    return Erasure(erased=erased, chats=len(identities), posts=len(posts), posts_edited=edited)


async def my_data(turn: Turn) -> list[Reply]:
    """A summary of the profile, history, cases and remembered facts."""
    deps = turn.deps
    customer = turn.context.customer
    messages = await deps.messages.count(customer.id)
    cases = await deps.cases.for_customer(customer.id)
    facts = ", ".join(f"{f.kind} {f.value}" for f in turn.context.facts) or turn.say("nothing")
    summary = turn.say(
        "my_data_summary",
        messages=messages,
        since=customer.created_at.strftime("%Y-%m-%d"),
        language=customer.language or "-",
        cases=len(cases),
        facts=facts,
    )
    return [turn.reply("my_data", name=turn.name, summary=summary)]


async def forget_request(turn: Turn) -> list[Reply]:
    """Erasing is final: ask first."""
    return [
        turn.reply(
            "forget_confirm",
            turn.button("forget_button", FORGET),
            turn.button("button_no", "dismiss"),
        )
    ]


async def forget(turn: Turn) -> list[Reply]:
    """Erase the customer everywhere we store them: history, cases, ratings, state, posts."""
    await erase_customer(turn.deps, turn.customer_id, eraser=turn.deps.desk)
    if turn.deps.audit is not None:  # the customer, on their own request; no identity kept
        await turn.deps.audit.write(
            actor="customer", action="erase", customer_id=turn.customer_id, detail="/forget"
        )
    turn.outcome.erased = True  # nothing of this conversation is kept either
    return [replace(turn.reply("forgotten"), ephemeral=True)]
