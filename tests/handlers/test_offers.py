"""A short reply is read against what the bot just offered; follow-ups keep their subject."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from crm_memory import Case, ChannelIdentity
from handlers import context
from handlers.acts import ActReader, ActScore, shipped_acts
from handlers.dialogue import Asked, Dialogue, Outcome, Question
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps, Turn
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


async def test_a_yes_that_names_the_person_takes_the_person_of_two_offers(
    anna: Say, deps: Deps
) -> None:
    (late,) = await anna("where's my air fryer, A-1005")
    assert "late" in late.text and {"opencase", "human"} <= {b.payload for b in late.buttons}
    await anna("ok fine, just put me through to someone")
    (case,) = await _cases(deps, "100")
    assert case.escalated_at is not None and case.reason == "late order"


async def test_a_yes_that_names_the_case_opens_it_for_the_offered_order(
    anna: Say, deps: Deps
) -> None:
    await anna("A-1005 was due days ago")
    replies = await anna("yeah go on open a ticket for it")
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in _text(replies) and "A-1005" in case.summary
    assert case.escalated_at is None


async def test_chinese_yes_naming_the_transfer_hands_over(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("我的A-1005咋还没到")
    await wang("行吧 那帮我转过去")
    (case,) = await _cases(deps, "200")
    assert case.escalated_at is not None


async def test_a_no_drops_the_offer_and_a_later_yes_takes_nothing(anna: Say, deps: Deps) -> None:
    await anna("A-1005 still hasnt come")
    declined = _text(await anna("nah its alright ill give it till friday"))
    assert "#" not in declined
    await anna("ok")
    assert await _cases(deps, "100") == []


async def test_why_an_order_was_cancelled_offers_a_person_to_find_out(
    anna: Say, deps: Deps
) -> None:
    (why,) = await anna("why did you cancel A-1004?? i never asked for that")
    assert "human" in [b.payload for b in why.buttons]
    await anna("yes please")
    (case,) = await _cases(deps, "100")
    assert case.escalated_at is not None


async def test_a_why_after_a_wallet_answer_stays_on_the_refund(anna: Say) -> None:
    await anna("how long do refunds take")
    await anna("i paid with alipay btw")  # the wallet answer: a payment topic
    why = _text(await anna("how come it takes that long"))
    assert "working days" in why and "warranty" not in why and "deliver" not in why.lower()


def test_the_offer_and_what_else_it_offered_survive_the_store() -> None:
    asked = Asked(Question.OPEN_CASE, order="A-1005", turn=2, also=(Question.HUMAN,))
    again = Dialogue.from_json(Dialogue(turn=2, asked=asked).to_json()).asked
    assert again == asked and again.offers(Question.HUMAN) and not again.offers(Question.FOLLOW_UP)


def test_what_a_reply_names_of_the_offers() -> None:
    assert context.offered_thing("ok fine get me a person") is Question.HUMAN
    assert context.offered_thing("行 转吧") is Question.HUMAN
    assert context.offered_thing("好 开个工单") is Question.OPEN_CASE
    assert context.offered_thing("yes please") is None
    assert context.offered_thing("转账失败了") is None  # a bank transfer is no hand-over


class _Counting(ActReader):
    """The shipped act model, counting how often a text is classified."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def score(self, text: str) -> ActScore:
        self.calls += 1
        return shipped_acts().score(text)


def test_one_message_is_classified_once_however_many_places_ask() -> None:
    counting = _Counting()
    text = "hmm so whats going on with it then"
    turn = cast(
        Turn,
        SimpleNamespace(
            deps=SimpleNamespace(acts=counting),
            outcome=Outcome(),
            message=SimpleNamespace(text=text),
        ),
    )
    first = context.read_act(turn, text)
    context.about_the_case(turn)  # asks what the same message does
    assert context.read_act(turn, text) is first and counting.calls == 1


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


def test_a_question_that_starts_with_ok_takes_no_offer() -> None:
    offer = Asked(Question.OPEN_CASE, order="A-1005", also=(Question.HUMAN,))
    take = context._answer_to_offer("行吧 那帮我转过去", "nlu_fallback", act=None, asked=offer)
    assert take == context.Reading("request_human", accepted=True)
    # "ok, when does your team start work?" asks about the team; it takes nothing.
    ask = context._answer_to_offer("好的 客服几点上班", "ask_opening_hours", act=None, asked=offer)
    assert ask is None
