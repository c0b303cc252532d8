"""Clear questions the bot used to misread (issue #17): public holidays, coupons, plain praise
and sarcasm, delivery instructions. Held-out paraphrases, not lines from nlu/data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crm_memory import CaseStatus, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours, holiday_named
from handlers.instructions import REASON, is_instruction
from handlers.orders import Order
from handlers.turn import Deps
from nlu import BuiltinEngine, load_training_data
from tests.handlers.conftest import make_say

# A Monday morning, team at work.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HOURS = BusinessHours.parse(["Mon-Fri 09:00-18:00", "Sat 10:00-14:00"], "Europe/London")

HOLIDAYS = [
    ("will anyone be around on christmas eve", "en", ["holiday", "closed"]),
    ("r u working easter monday", "en", ["holiday", "closed"]),
    ("春节期间客服上班吗", "zh", ["节假日", "休息"]),
    ("元旦那天有没有人", "zh", ["节假日", "休息"]),
]
COUPONS = [
    ("my voucher keeps saying its expired", "en", ["expired"]),
    ("where does the promo code go", "en", ["basket"]),
    ("领的优惠券结账时候用不上", "zh", ["优惠"]),
    ("这个折扣码提示已经失效了", "zh", ["过期"]),
]
PRAISE = [
    ("honestly brilliant service, parcel came the very next day", "en"),
    ("the blender is lovely and it arrived so fast, thank you", "en"),
    ("收到了 质量很好 物流也快 五星好评", "zh"),
]
SARCASM = [
    ("oh fantastic, the courier lost it again", "en"),
    ("good job guys, sent me someone else's order", "en"),
    ("真厉害 等了两周还没发货", "zh"),
]
LINES = [t for t, *_ in HOLIDAYS + COUPONS + PRAISE + SARCASM]


@pytest.fixture
def shop(deps: Deps, engine: BuiltinEngine) -> Dispatcher:
    return Dispatcher(deps=replace(deps, hours=HOURS, clock=lambda: NOW), nlu=engine)


def test_held_out_lines_are_not_training_data() -> None:
    trained = {" ".join(e.text.lower().split()) for e in load_training_data().examples}
    assert not [t for t in LINES if " ".join(t.lower().split()) in trained]


@pytest.mark.parametrize(("text", "language", "words"), HOLIDAYS)
async def test_public_holidays_are_answered_from_the_hours(
    shop: Dispatcher, text: str, language: str, words: list[str]
) -> None:
    assert holiday_named(text)
    replies = await make_say(shop, "701", "Tom", language)(text)
    answer = " ".join(r.text for r in replies).lower()
    for word in words:
        assert word in answer, answer
    assert "09:00-18:00" in answer  # the usual hours come from the configuration


async def test_a_named_day_is_not_taken_for_a_holiday(shop: Dispatcher) -> None:
    assert not holiday_named("open on sunday?")
    (reply,) = await make_say(shop, "702", "Tom", "en")("open on saturdays?")
    assert "10:00-14:00" in reply.text and "holiday" not in reply.text.lower()


@pytest.mark.parametrize(("text", "language", "words"), COUPONS)
async def test_coupon_questions_are_answered_from_the_knowledge_base(
    shop: Dispatcher, engine: BuiltinEngine, text: str, language: str, words: list[str]
) -> None:
    assert engine.parse_sync(text).intent == "ask_payment"
    replies = await make_say(shop, "703", "Lou", language)(text)
    answer = " ".join(r.text for r in replies)
    for word in words:
        assert word in answer, answer


@pytest.mark.parametrize(("text", "language"), PRAISE)
async def test_plain_praise_is_thanked_and_stored_positive(
    shop: Dispatcher, deps: Deps, text: str, language: str
) -> None:
    replies = await make_say(shop, "704", "Jo", language)(text)
    answer = " ".join(r.text for r in replies)
    assert ("thank" in answer.lower()) or ("谢" in answer), answer
    (fb,) = await deps.feedback.all()
    assert fb.sentiment > 0
    assert await deps.cases.for_customer(fb.customer_id) == []


@pytest.mark.parametrize(("text", "language"), SARCASM)
async def test_sarcasm_is_a_complaint_never_thanked(
    shop: Dispatcher, deps: Deps, text: str, language: str
) -> None:
    replies = await make_say(shop, "705", "Jo", language)(text)
    answer = " ".join(r.text for r in replies)
    assert "thank" not in answer.lower() and "谢" not in answer, answer
    assert not [f for f in await deps.feedback.all() if f.sentiment > 0]
    customer = await deps.customers.find(ChannelIdentity("telegram", "705"))
    assert customer is not None
    assert await deps.cases.for_customer(customer.id)  # a case, as for any complaint


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("pls leave it with next door if im out", True),
        ("put it in the parcel locker by the station", True),
        ("到了放门卫就行", True),
        ("放快递柜吧 我晚上拿", True),
        ("what if i'm not home when it comes", False),
        ("the driver left it outside and it got nicked", False),
        ("我的快递到哪了", False),
    ],
)
def test_what_counts_as_a_delivery_instruction(text: str, meant: bool) -> None:
    assert is_instruction(text) is meant


class Orders:
    """Two orders: one on its way with a courier, one still in the warehouse."""

    async def find(self, number: str) -> Order | None:
        orders = {
            "A-2201": Order(
                number="A-2201",
                status="shipped",
                carrier="DHL",
                tracking="JD2201",
                eta="2026-11-24",
            ),
            "B-3302": Order(number="B-3302", status="processing", eta="2026-11-27"),
        }
        return orders.get(number)


@pytest.fixture
def parcels(deps: Deps, engine: BuiltinEngine) -> Dispatcher:
    return Dispatcher(deps=replace(deps, orders=Orders(), clock=lambda: NOW), nlu=engine)


async def test_an_instruction_for_a_shipped_order_is_noted_and_the_carrier_named(
    parcels: Dispatcher, deps: Deps
) -> None:
    say = make_say(parcels, "706", "Sam", "en")
    (reply,) = await say("order A-2201, leave it with number 14 next door if im out")
    assert "A-2201" in reply.text and "DHL" in reply.text and "JD2201" in reply.text
    customer = await deps.customers.find(ChannelIdentity("telegram", "706"))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert case.reason == REASON and "next door" in case.summary and "A-2201" in case.summary
    assert f"#{case.number}" in reply.text
    # A second instruction for the same order goes on the same case.
    await say("actually put it in the locker instead")
    (again,) = await deps.cases.for_customer(customer.id)
    assert again.number == case.number and "locker" in again.summary
    assert again.status is not CaseStatus.CLOSED


async def test_an_instruction_before_dispatch_goes_on_the_label_in_chinese(
    parcels: Dispatcher, deps: Deps
) -> None:
    (reply,) = await make_say(parcels, "707", "王姐", "zh")("订单B-3302 到了放快递柜就行")
    assert "B-3302" in reply.text and "快递柜" in reply.text and "面单" in reply.text
    customer = await deps.customers.find(ChannelIdentity("telegram", "707"))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert case.reason == REASON


async def test_without_an_order_the_instruction_question_gets_the_faq(
    parcels: Dispatcher, deps: Deps
) -> None:
    replies = await make_say(parcels, "708", "Ann", "en")("can they leave it with a neighbour")
    assert "neighbour" in " ".join(r.text for r in replies)
    customer = await deps.customers.find(ChannelIdentity("telegram", "708"))
    assert customer is not None
    assert await deps.cases.for_customer(customer.id) == []
