"""Cases opened, escalated or described wrongly (brief C33, issue #15): a circumstance told
inside a return is no complaint, a wish about a problem is no second answer, a question with
no subject of its own goes with the clause before, someone senior asked for is noted, and a
case that is no complaint is named by what it is."""

from __future__ import annotations

import pytest

from crm_memory import Case, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import make_say


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else await deps.cases.for_customer(customer.id)


@pytest.mark.parametrize(
    ("language", "told", "words"),
    [
        ("en", "i lost the receipt", ["receipt", "Orders → Return"]),
        ("en", "cant find the reciept anymore", ["receipt"]),
        ("en", "i already used it once", ["unused", "faulty"]),
        ("zh", "小票丢了", ["小票"]),
        ("zh", "收据找不到了", ["小票"]),
        ("zh", "用过一次了 还能退吗", ["未使用", "质量问题"]),
    ],
)
async def test_a_circumstance_told_in_a_return_is_answered_not_filed(
    dispatcher: Dispatcher, deps: Deps, language: str, told: str, words: list[str]
) -> None:
    user = f"3301-{language}-{len(told)}"
    say = make_say(dispatcher, user, "Ola", language)
    await say("how do returns work" if language == "en" else "怎么退货")
    answer = _text(await say(told))
    assert all(w in answer for w in words), answer
    assert "#" not in answer and await _cases(deps, user) == [], answer


@pytest.mark.parametrize(
    ("language", "text", "not_words"),
    [
        ("en", "i was charged twice for A-1001 and i want the extra money back",
         ["warehouse", "Refunds always"]),
        ("zh", "A-1001扣了我两次钱 多扣的要退回来", ["寄回的运费", "退货面单"]),
    ],
)  # fmt: skip
async def test_a_wish_about_the_problem_is_not_a_second_answer(
    dispatcher: Dispatcher, deps: Deps, language: str, text: str, not_words: list[str]
) -> None:
    user = f"3302-{language}"
    answer = _text(await make_say(dispatcher, user, "Ola", language)(text))
    (case,) = await _cases(deps, user)
    assert f"#{case.number}" in answer, answer
    assert not any(w in answer for w in not_words), answer


@pytest.mark.parametrize(
    ("language", "problem", "ask", "word"),
    [
        ("en", "the air fryer from A-1005 is broken, trips the power", "get me your manager",
         "manager"),
        ("en", "the air fryer from A-1005 is broken, trips the power",
         "i want to speak to a supervisor", "supervisor"),
        ("zh", "A-1005的空气炸锅坏了 一开就跳闸", "叫你们负责人来", "负责人"),
    ],
)  # fmt: skip
async def test_someone_senior_asked_for_is_noted_and_said(
    dispatcher: Dispatcher, deps: Deps, language: str, problem: str, ask: str, word: str
) -> None:
    user = f"3303-{language}-{len(ask)}"
    say = make_say(dispatcher, user, "Ola", language)
    await say(problem)
    first = _text(await say(ask))
    (case,) = await _cases(deps, user)
    assert f"#{case.number}" in first and word in first, first
    notes = [n.text for n in await deps.cases.notes(case.number)]
    assert any("manager or supervisor" in n for n in notes), notes
    # Asked again with the case already with people: still said, not only "with our team".
    again = _text(await say(ask))
    assert word in again, again


@pytest.mark.parametrize(
    ("language", "word", "not_word"),
    [("en", "address change", "complaint"), ("zh", "改地址", "反映的问题")],
)
async def test_an_address_change_case_is_named_as_one(
    dispatcher: Dispatcher, language: str, word: str, not_word: str
) -> None:
    say = make_say(dispatcher, f"3304-{language}", "Ola", language)
    if language == "en":
        await say("i need to change the delivery address for A-1002")
        await say("12 Oak Road, Leeds LS1 4AB")
        status = _text(await say("any update on my case?"))
    else:
        await say("A-1002 想改一下收货地址")
        await say("北京市朝阳区建国路88号 3单元502")
        status = _text(await say("我的工单怎么样了"))
    assert word in status and not_word not in status, status


@pytest.mark.parametrize(
    ("language", "text", "words", "not_words"),
    [
        ("zh", "我想退个东西 怎么弄", ["30"], ["工单", "不太确定"]),
        ("zh", "这个水杯想退 可以吗", ["30"], ["工单", "不太确定"]),
        ("en", "i tried it already. can i still return it", ["unused"], ["#"]),
    ],
)
async def test_a_question_with_no_subject_goes_with_the_clause_before(
    dispatcher: Dispatcher, language: str, text: str, words: list[str], not_words: list[str]
) -> None:
    say = make_say(dispatcher, f"3305-{language}-{len(text)}", "Ola", language)
    answer = _text(await say(text))
    assert all(w in answer for w in words), answer
    assert not any(w in answer for w in not_words), answer


@pytest.mark.parametrize(
    ("language", "text", "words", "not_words"),
    [
        ("en", "fine ill use my card. do u take amex", ["American Express"], ["Refund", "#"]),
        ("zh", "行吧 那我用微信付 可以吧", ["微信支付"], ["退款", "人工"]),
    ],
)
async def test_an_unhappy_acceptance_is_answered_not_escalated(
    dispatcher: Dispatcher, deps: Deps, language: str, text: str, words: list[str],
    not_words: list[str],
) -> None:
    user = f"3306-{language}"
    say = make_say(dispatcher, user, "Ola", language)
    await say("can i pay with paypal" if language == "en" else "能用paypal付吗")
    answer = _text(await say(text))
    assert all(w in answer for w in words), answer
    assert not any(w in answer for w in not_words), answer
    assert await _cases(deps, user) == []


async def test_whatever_ill_wait_said_sourly_to_an_offer_is_a_no(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    user = "3307"
    say = make_say(dispatcher, user, "Ola")
    offer = _text(await say("where is A-1005"))
    assert "late" in offer, offer
    answer = _text(await say("ugh whatever ill just wait"))
    assert "person" not in answer and "#" not in answer, answer
    assert await _cases(deps, user) == []


@pytest.mark.parametrize(
    ("language", "problem", "nod"),
    [
        ("en", "the headphones i got are crackling in one ear", "kk"),
        ("zh", "耳机一边没声音 还有杂音", "好的"),
    ],
)
async def test_a_nod_while_the_cases_order_is_asked_keeps_the_question(
    dispatcher: Dispatcher, deps: Deps, language: str, problem: str, nod: str
) -> None:
    user = f"3308-{language}"
    say = make_say(dispatcher, user, "Ola", language)
    await say(problem)
    (case,) = await _cases(deps, user)
    answer = _text(await say(nod))
    assert f"#{case.number}" in answer and ("order number" in answer or "订单号" in answer)
    await say("A-1002")
    after = await deps.cases.get(case.number)
    assert "A-1002" in after.summary, after.summary


@pytest.mark.parametrize(
    ("language", "text", "word", "not_word"),
    [
        ("en", "can i get a copy of my receipt", "Orders → Invoice", "return"),
        ("en", "where do i see my past orders", "under Orders", "PayPal"),
        ("en", "is there a warranty on the kettle", "2-year warranty", "stock"),
        ("zh", "能补一张小票吗", "订单 → 发票", "退货"),
        # "给我开个…" opened a case (read as "open one for me"): a receipt is no case.
        ("zh", "能给我开个收据不", "订单 → 发票", "工单"),
    ],
)
async def test_plain_topics_are_answered_from_the_knowledge_base(
    dispatcher: Dispatcher, language: str, text: str, word: str, not_word: str
) -> None:
    say = make_say(dispatcher, f"3309-{language}-{len(text)}", "Ola", language)
    answer = _text(await say(text))
    assert word in answer and not_word not in answer, answer
