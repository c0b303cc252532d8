"""Issue #15/#17 (conv27): with bad news just given or a case open, bare praise is sarcasm
(an apology, stored as negative, on the case), a plain "ok" is acknowledged without a new
question, "what now" gets the next step of the subject and "any update" the status only."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers.cases import asks_for_update
from handlers.clauses import clauses
from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.next_step import asks
from handlers.sarcasm import ironic_praise
from handlers.turn import Deps
from tests.handlers.conftest import make_say

SAM = ChannelIdentity("telegram", "2701")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oh great, fantastic", True),
        ("wow thanks so helpful", True),
        ("perfect, just perfect", True),
        ("yeah thanks a lot", True),
        ("呵呵 真棒", True),
        ("行吧 你们真厉害", True),
        ("你们效率真高啊", True),
        # Said plainly, praise and thanks stay praise and thanks.
        ("great thanks", False),
        ("oh thanks", False),
        ("ok great", False),
        ("brilliant thanks", False),
        ("太好了 谢谢", False),
        ("行吧 谢谢", False),
        # Praise with a problem in it is the sentiment model's to read.
        ("wow amazing service, 3 weeks and nothing", False),
    ],
)
def test_ironic_praise_needs_praise_only_and_an_ironic_mark(text: str, expected: bool) -> None:
    assert ironic_praise(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("so what do i do now", True),
        ("ok now what", True),
        ("wat should i do", True),
        ("whats the next step", True),
        ("现在怎么办", True),
        ("那我该干嘛", True),
        ("接下来呢", True),
        ("my kettle leaks what do i do now, it is the second time this month", False),
        ("what do you sell", False),
    ],
)
def test_what_now_is_only_the_question_of_what_next(text: str, expected: bool) -> None:
    assert asks(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("so? any update", True),
        ("anything yet??", True),
        ("还没好吗", True),
        ("有进展吗", True),
        ("弄好了没", True),
        ("any update on the delivery times for express orders to canada and the us", False),
        ("how do i update my address", False),
        ("any news on my order?", False),
        ("我的快递有进展吗", False),
    ],
)
def test_asking_for_news_is_recognised(text: str, expected: bool) -> None:
    assert asks_for_update(text) is expected


def test_a_nudge_before_the_question_is_no_request_of_its_own() -> None:
    assert clauses("so? any update") == ["any update"]


def test_entries_carry_their_next_step_in_both_languages() -> None:
    knowledge = KnowledgeBase.load()
    entry = knowledge.entry("returns-policy")
    assert entry is not None
    assert "label" in (entry.next_step("en") or "")
    assert "面单" in (entry.next_step("zh") or "")
    no_box = knowledge.entry("returns-no-box")
    assert no_box is not None and no_box.named_in("box is already thrown away tho")
    assert no_box.named_in("盒子扔了咋办") and not no_box.named_in("the box arrived crushed")


@pytest.mark.parametrize(
    ("language", "complaint", "sarcasm", "sorry"),
    [
        ("en", "the kettle from A-1003 came with a cracked lid", "perfect, just perfect", "sorry"),
        ("zh", "A-1003的咖啡机收到就漏水", "行吧 你们真厉害", "对不起"),
    ],
)
async def test_sarcasm_with_a_case_open_goes_on_the_case_as_unhappy(
    dispatcher: Dispatcher, deps: Deps, language: str, complaint: str, sarcasm: str, sorry: str
) -> None:
    say = make_say(dispatcher, "2701", "Sam", language)
    await say(complaint)
    text = " ".join(r.text for r in await say(sarcasm))
    assert "#1" in text and ("抱歉" in text or sorry in text.lower()), text
    assert "thank" not in text.lower() and "感谢" not in text
    notes = [n.text for n in await deps.cases.notes(1)]
    assert any(sarcasm in n and "unhappy" in n for n in notes), notes
    customer = await deps.customers.find(SAM)
    assert customer is not None
    assert all(f.sentiment < 0 for f in await deps.feedback.for_customer(customer.id))


async def test_sarcasm_after_a_late_parcel_is_sorry_stored_negative_and_offers_again(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "2701", "Sam", "en")
    await say("where is my order A-1005")  # shipped, three days past its date
    replies = await say("oh great, fantastic")
    text = " ".join(r.text for r in replies)
    assert "sorry" in text.lower() and "thank" not in text.lower(), text
    assert any(b.payload == "human" for r in replies for b in r.buttons)
    customer = await deps.customers.find(SAM)
    assert customer is not None
    stored = await deps.feedback.for_customer(customer.id)
    assert stored and all(f.sentiment < 0 for f in stored)


@pytest.mark.parametrize(
    ("language", "complaint", "nod"),
    [
        ("en", "the kettle from A-1003 arrived with a cracked lid", "k thx"),
        ("en", "the kettle from A-1003 arrived with a cracked lid", "ok"),
        ("zh", "A-1003的咖啡机收到就漏水", "好的"),
        ("zh", "A-1003的咖啡机收到就漏水", "嗯嗯"),
    ],
)
async def test_a_nod_with_a_case_open_is_acknowledged_without_a_question(
    dispatcher: Dispatcher, deps: Deps, language: str, complaint: str, nod: str
) -> None:
    say = make_say(dispatcher, "2701", "Sam", language)
    await say(complaint)
    before = (await deps.cases.get(1)).summary
    text = " ".join(r.text for r in await say(nod))
    assert "#1" in text and "?" not in text and "？" not in text, text
    assert (await deps.cases.get(1)).summary == before


@pytest.mark.parametrize(
    ("language", "question", "what_now", "step"),
    [
        ("en", "how do i return something", "ok so what do i do now", "label"),
        ("zh", "怎么退货", "那现在怎么办", "面单"),
    ],
)
async def test_what_now_after_a_returns_answer_is_its_next_step(
    dispatcher: Dispatcher, language: str, question: str, what_now: str, step: str
) -> None:
    say = make_say(dispatcher, "2701", "Sam", language)
    await say(question)
    text = " ".join(r.text for r in await say(what_now))
    assert step in text.lower(), text
    assert "下一步" in text or "next step" in text.lower(), text


async def test_any_update_is_the_status_without_a_person_offered(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2701", "Sam", "zh")
    await say("A-1003的水瓶盖子裂了")  # a case waiting in the queue, not handed over yet
    replies = await say("还没好吗")
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "转人工" not in text, text
    assert not any(b.payload == "human" for r in replies for b in r.buttons)
