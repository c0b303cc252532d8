"""After the conv and shopper branches both added FAQ answers and intents: one entry per
question, "是不是…" about a product is a defect not a bot question, and short follow-ups
("how much is that", "那运费谁出", "back to my paypal") take the answer of the topic in play.

The customers' lines are held-out paraphrases, not sentences from nlu/data (checked below).
"""

from __future__ import annotations

import re

import pytest

from crm_memory import Case, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.turn import Deps
from handlers.types import Reply
from nlu import BuiltinEngine, load_training_data
from tests.handlers.conftest import Say, make_say

# A product that "is it ...?" / "是不是…" asks about: a defect, never "are you a bot?".
DEFECT_QUESTIONS = [
    "A-1003的咖啡机一煮就咯噔咯噔响 是不是有毛病啊",
    "A-1005的空气炸锅按键老失灵 是不是坏了呀",
    "the coffee machine from A-1003 squeaks when it grinds, is it defective or what",
]
PRICE_AFTER_EXPRESS = [
    ("en", "can you send it to me any quicker", "and how much is that", "9.90"),
    ("zh", "急着用 能快一点送到吗", "那要多少钱", "9.90"),
]
HELD_OUT = [
    *DEFECT_QUESTIONS,
    *(line for _, first, then, _ in PRICE_AFTER_EXPRESS for line in (first, then)),
    "will the money land back on my paypal account",
    "退的钱会回到我支付宝里吗",
    "东西不想要了 怎么退货呀",
    "那邮费是谁出",
    "and who pays the postage",
]


def test_held_out_lines_are_not_training_data() -> None:
    trained = {" ".join(e.text.lower().split()) for e in load_training_data().examples}
    leaked = [t for t in HELD_OUT if " ".join(t.lower().split()) in trained]
    assert not leaked, f"held-out lines found in nlu/data: {leaked}"


def test_every_question_and_id_belongs_to_one_faq_entry() -> None:
    # Two entries answering the same question compete, and the wrong one wins by a hair.
    entries = KnowledgeBase.load().entries
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    owner: dict[str, str] = {}
    shared = []
    for entry in entries:
        for question in entry.questions:
            key = re.sub(r"[\s?？!.,，]+", " ", question.lower()).strip()
            if owner.setdefault(key, entry.id) != entry.id:
                shared.append(f"{question!r}: {owner[key]} and {entry.id}")
    assert not shared, shared


@pytest.mark.parametrize("text", DEFECT_QUESTIONS)
def test_a_defect_question_is_not_a_bot_identity_question(engine: BuiltinEngine, text: str) -> None:
    assert engine.parse_sync(text).intent != "ask_bot_identity"


@pytest.mark.parametrize("text", DEFECT_QUESTIONS)
async def test_a_defect_question_opens_a_case_with_its_order(
    anna: Say, deps: Deps, text: str
) -> None:
    replies = await anna(text)
    assert "bot" not in _text(replies) and "机器人" not in _text(replies)
    (case,) = await _cases(deps)
    order = re.search(r"A-100[35]", text)
    assert order is not None and order.group() in case.summary + case.reason, case


@pytest.mark.parametrize(("language", "first", "then", "price"), PRICE_AFTER_EXPRESS)
async def test_how_much_after_the_express_answer_is_the_express_price(
    dispatcher: Dispatcher, language: str, first: str, then: str, price: str
) -> None:
    say = make_say(dispatcher, "601", "Dana", language)
    assert price in _text(await say(first))  # the express answer, with its price
    answer = _text(await say(then))
    assert price in answer, answer
    assert "air fryer" not in answer and "空气炸锅" not in answer  # no "name the product"


async def test_how_much_with_a_product_in_play_is_the_products_price(anna: Say) -> None:
    await anna("does the air fryer come with a warranty")
    answer = _text(await anna("how much is that"))
    assert "$89.00" in answer, answer


async def test_refund_back_to_the_wallet_is_the_refund_answer(anna: Say) -> None:
    assert "way you paid" in _text(await anna("will the money land back on my paypal account"))
    assert "原路退回" in _text(await anna("退的钱会回到我支付宝里吗"))


async def test_who_pays_postage_after_a_returns_answer_is_the_return_postage(anna: Say) -> None:
    first = _text(await anna("东西不想要了 怎么退货呀"))
    assert "30 天" in first, first
    then = _text(await anna("那邮费是谁出"))
    assert "承担" in then, then


async def test_who_pays_postage_after_a_returns_answer_in_english(anna: Say) -> None:
    assert "30 days" in _text(await anna("hi how do returns work"))
    # The engine reads this as a delivery question; after a returns answer it is the return's.
    then = _text(await anna("and who pays the postage"))
    assert "costs you nothing" in then and "$4.90" not in then, then


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps) -> list[Case]:
    """Anna's cases (``anna`` is the fixture that writes as her)."""
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))
