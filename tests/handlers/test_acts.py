"""The dialogue-act layer: short turns read by what they do, with the conversation in play."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from crm_memory import Case, ChannelIdentity
from handlers.acts import Act, ActReader, shipped_acts
from handlers.context import read_act
from handlers.dialogue import Outcome
from handlers.turn import Deps, Turn
from handlers.types import Reply
from tests.handlers.conftest import Say


def test_a_request_of_its_own_is_no_act() -> None:
    # Hard negatives: they look like a "why" or a "how long" but ask something new.
    reader = shipped_acts()
    assert reader.read("why do you charge postage for returns to scotland") is None
    assert reader.read("退货为啥要我自己出运费") is None
    assert reader.read("   ") is None


def test_under_the_threshold_nothing_is_read() -> None:
    sure = ActReader(threshold=1.01)
    sure._engine = shipped_acts().engine  # the same model, an impossible bar
    assert sure.read("yes please") is None
    assert shipped_acts().read("yes please") is Act.AFFIRM


async def test_not_having_the_order_number_said_any_way(anna: Say, deps: Deps) -> None:
    # None of these sentences is in the act data.
    for text in ("hmm its in my old inbox somewhere, no clue", "订单号在我妈手机上 我这没有"):
        await anna("can you check on my parcel")
        (reply,) = await anna(text)
        # Where to find it, and a person who can look it up: not the same question again.
        assert "human" in [b.payload for b in reply.buttons]
        assert "What's the order number" not in reply.text and "请发" not in reply.text


def test_a_part_of_a_long_message_carries_its_act() -> None:
    turn = cast(Turn, SimpleNamespace(deps=SimpleNamespace(acts=shipped_acts()), outcome=Outcome()))
    long = (
        "the kettle from order A-1001 has been leaking all over the counter since tuesday, "
        "i would really like to speak with a real human now"
    )
    assert read_act(turn, long) is Act.WANTS_PERSON
    # A parcel that never came, with a refund demanded: the missing parcel comes first.
    never = "fifth time writing, the parcel never turned up at all, just refund me already pls"
    assert read_act(turn, never) is Act.NEVER_DELIVERED


async def test_the_same_faq_paragraph_is_not_sent_twice(anna: Say) -> None:
    (first,) = await anna("how long do refunds take")
    await anna("ok and do you ship to ireland")
    again = _text(await anna("sorry how long did you say refunds take"))
    assert first.text not in again  # not the paragraph again
    assert "3-5 working days" in again  # its gist, in a line
    assert "As I mentioned" not in again


async def _cases(deps: Deps) -> list[Case]:
    """Anna's cases (``anna`` is the fixture that writes as her)."""
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)
