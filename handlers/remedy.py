"""A customer's choice of replacement or refund for a faulty item, recorded on their case."""

from __future__ import annotations

from handlers.cases import current_case
from handlers.complaint import complaint
from handlers.context import chosen_remedy
from handlers.orders import with_order
from handlers.turn import Turn
from handlers.types import Reply

# Who the note with the customer's choice is from, in the desk and the agents' group card.
AUTHOR = "bot"


async def record_choice(turn: Turn) -> list[Reply]:
    """ "yes a replacement please" / "换个新的吧" after the bot gave the choice: on the open case
    (the customer's words with the others, and a note agents see at a glance), and what
    happens next."""
    choice = chosen_remedy(turn.message.text) or "replacement"
    case = await current_case(turn)
    if case is None:
        return await complaint(turn)  # closed meanwhile: the choice opens a case of its own
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    await turn.deps.cases.update(
        case.number, summary=with_order(f"{case.summary}\n{line}".strip(), turn.order_in_play)
    )
    # A note of its own (author, time), never parsed back out of the summary.
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"Customer's choice: {choice} (said in the chat)"
    )
    return [
        turn.reply(
            "remedy_noted",
            number=case.number,
            choice=turn.say(f"choice_{choice}"),
            next=turn.say(f"remedy_next_{choice}"),
        )
    ]
