"""What the last answer was about, and short follow-ups read against it first."""

from __future__ import annotations

from crm_memory import ChannelIdentity, MemoryConversationState
from handlers import dialogue
from handlers.dialogue import Dialogue, Subject
from handlers.dispatcher import Dispatcher
from handlers.followups import leads_to
from handlers.knowledge import KnowledgeBase
from handlers.turn import Deps
from tests.handlers.conftest import Say, make_say


async def _subject(deps: Deps, user: str = "100") -> Subject | None:
    kept = await dialogue.load(deps.state, str(ChannelIdentity("telegram", user)))
    return kept.subject


def test_the_subject_survives_the_json_round_trip() -> None:
    kept = Dialogue(turn=4, subject=Subject(entry="payment-problem", shown=False, case=7, turn=4))
    assert Dialogue.from_json(kept.to_json()) == kept
    orders = Dialogue(turn=2, subject=Subject(orders=("A-1002", "C-7781"), turn=2))
    assert Dialogue.from_json(orders.to_json()) == orders
    # State written before subjects existed reads as none.
    assert Dialogue.from_json('{"turn": 3}').subject is None


def test_the_subject_is_in_play_for_the_next_turns_only() -> None:
    subject = Subject(entry="invoice", shown=True, turn=4)
    assert Dialogue(turn=5, subject=subject).subject_in_play() == subject
    assert Dialogue(turn=6, subject=subject).subject_in_play() == subject
    assert Dialogue(turn=7, subject=subject).subject_in_play() is None
    assert Dialogue(turn=4, subject=subject).subject_in_play() is None  # not before it


async def test_the_subject_expires_with_the_dialogue() -> None:
    now = [0.0]
    state = MemoryConversationState(clock=lambda: now[0])
    kept = Dialogue(turn=1, subject=Subject(entry="invoice", shown=True, turn=1))
    await dialogue.save(state, "chat", kept, ttl=60)
    assert (await dialogue.load(state, "chat")).subject == kept.subject
    now[0] = 61.0
    assert (await dialogue.load(state, "chat")).subject is None


async def test_each_answer_replaces_the_subject_and_an_ok_keeps_it(anna: Say, deps: Deps) -> None:
    await anna("how long does a refund take")
    refund = await _subject(deps)
    assert refund is not None and refund.entry == "refund-timing" and refund.shown
    await anna("ok")
    assert await _subject(deps) == refund
    await anna("can i get an invoice")
    invoice = await _subject(deps)
    assert invoice is not None and invoice.entry == "invoice"
    await anna("where is A-1002")
    orders = await _subject(deps)
    assert orders is not None and orders.entry is None and orders.orders == ("A-1002",)
    await anna("and C-7781?")  # a run of status answers is about all their orders
    both = await _subject(deps)
    assert both is not None and both.orders == ("A-1002", "C-7781")


async def test_a_double_charge_case_is_the_subject_with_its_case(anna: Say, deps: Deps) -> None:
    await anna("i got charged twice for order A-1001")
    subject = await _subject(deps)
    (case,) = await deps.cases.for_customer((await _customer(deps)).id)
    assert subject is not None and subject.entry == "payment-problem"
    assert subject.case == case.number and not subject.shown


async def _customer(deps: Deps):  # type: ignore[no-untyped-def]
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    return customer


def test_what_a_subject_leads_to() -> None:
    knowledge = KnowledgeBase.load()
    ids, listed = leads_to(Subject(entry="refund-timing", shown=True, turn=1), knowledge)
    assert listed[:2] == ("refund-card", "refund-paypal") and ids[: len(listed)] == list(listed)
    assert "refund-timing" not in ids  # the answer just given is not its own follow-up
    # An entry whose text was not the answer (the charge sent to the team) is among them.
    ids, _ = leads_to(Subject(entry="payment-problem", shown=False, turn=1), knowledge)
    assert "payment-problem" in ids and ids[0] == "duplicate-charge-refund"
    # After two orders' status: the entries about several orders; after one, none.
    ids, listed = leads_to(Subject(orders=("A-1002", "C-7781"), turn=1), knowledge)
    assert ids == ["combine-orders"] and listed == ()
    assert leads_to(Subject(orders=("A-1002",), turn=1), knowledge) == ([], ())


async def test_a_payment_method_after_a_refund_answer_is_that_refund(
    anna: Say, dispatcher: Dispatcher
) -> None:
    await anna("how long does a refund take")
    (reply,) = await anna("i paid with paypal")
    assert "PayPal account" in reply.text
    # Said with no refund answer before it, it is about paying, not a refund's route.
    (fresh,) = await make_say(dispatcher, "200", "Bo")("i paid with paypal")
    assert "PayPal account" not in fresh.text


async def test_a_condition_after_the_returns_answer_in_chinese(dispatcher: Dispatcher) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("怎么退货")
    (reply,) = await lin("没有原来的箱子了")
    assert "结实的纸箱" in reply.text


async def test_how_long_after_a_double_charge_is_the_charges_time(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1001扣了两次钱")
    replies = await lin("多久能退回来")
    assert any("1 个工作日" in r.text for r in replies), replies
    assert not any("等待" in r.text for r in replies)  # not the queue time for people


async def test_how_long_after_the_invoice_is_when_it_is_issued(anna: Say) -> None:
    await anna("i need an invoice for my order")
    (reply,) = await anna("how long till its issued?")
    assert "24 hours" in reply.text and "working days" not in reply.text.split("24")[0]


async def test_two_orders_then_both_together(dispatcher: Dispatcher) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1002到哪了")
    await lin("C-7781呢")
    (reply,) = await lin("能不能两个一起发")
    assert "一起发" in reply.text


async def test_what_the_subject_does_not_cover_is_read_afresh(anna: Say) -> None:
    await anna("how long does a refund take")
    (reply,) = await anna("what are your opening hours")
    assert "Refunds" not in reply.text and "PayPal" not in reply.text
