"""Issue #15's remaining kinds, through the real Dispatcher in English and Chinese: a product
named beside its sibling, two FAQ requests in one message, a grumble before a case is asked
for, a complaint about the manual, a late order that already has a case, and "cheers" after
a rating. Held-out wordings, not lines from nlu/data."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers.agents import AgentService
from handlers.catalogue import SAMPLE_CATALOGUE, CsvCatalogue
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import ContentKind, Reply
from tests.handlers.conftest import FakeDesk, FakeOutbox, Say, make_say

VACUUMS = ["Robot vacuum", "Cordless", "?"]


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


@pytest.mark.parametrize(
    ("query", "skus"),
    [
        ("vacuum", ["VC-700", "RV-710"]),  # both are vacuums: ask which
        ("robotic vacuums", ["RV-710"]),
        ("the vacuum robot", ["RV-710"]),
        ("robot vacuum cleaner", ["RV-710"]),
        ("cordless vacuum", ["VC-700"]),
        ("扫地的", ["RV-710"]),
        ("耳机", ["HP-800", "EB-810"]),
        ("无线蓝牙耳机", ["EB-810"]),
        ("kettle", ["KT-100"]),
    ],
)
async def test_the_catalogue_prefers_the_product_whose_own_words_were_used(
    query: str, skus: list[str]
) -> None:
    found = await CsvCatalogue(SAMPLE_CATALOGUE).search(query)
    assert [p.sku for p in found] == skus


@pytest.mark.parametrize(
    ("language", "first", "asks", "pick", "price", "not_price"),
    [
        (
            "en",
            "whats a vacuum cost",
            ["Robot vacuum", "Cordless", "?"],
            "robot pls",
            "$279",
            "$199",
        ),
        (
            "en",
            "whats a vacuum cost",
            ["Robot vacuum", "Cordless", "?"],
            "the cordless",
            "$199",
            "$279",
        ),
        ("zh", "耳机卖多少", ["无线耳机", "蓝牙耳机", "还是"], "蓝牙的", "$49", "$79"),
    ],
)
async def test_an_ambiguous_name_asks_which_and_the_answer_picks_it(
    dispatcher: Dispatcher,
    language: str,
    first: str,
    asks: list[str],
    pick: str,
    price: str,
    not_price: str,
) -> None:
    say = make_say(dispatcher, "801", "Jo", language)
    asked = _text(await say(first))
    for word in asks:
        assert word in asked, asked
    picked = _text(await say(pick))
    assert price in picked and not_price not in picked, picked


async def test_the_robot_one_after_the_cordless_one_is_the_robot(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "802", "Jo", "en")
    await say("how much is the cordless vacuum")
    answer = _text(await say("and the robot one?"))
    assert "$279" in answer and "$199" not in answer, answer


@pytest.mark.parametrize(
    ("language", "message", "words"),
    [
        ("en", "need an invoice for A-1003 and my discount code wont apply", ["Invoice", "code"]),
        ("zh", "A-1003的发票帮我开一下，还有优惠码输进去没反应", ["发票", "优惠码"]),
    ],
)
async def test_two_faq_statements_of_one_topic_get_both_answers(
    dispatcher: Dispatcher, language: str, message: str, words: list[str]
) -> None:
    answer = _text(await make_say(dispatcher, "803", "Lu", language)(message))
    for word in words:
        assert word in answer, answer


@pytest.mark.parametrize(
    ("language", "message", "thanks"),
    [
        ("en", "this is taking forever. open a ticket for me", "Thank you for telling us"),
        ("zh", "也太慢了 给我开个工单", "谢谢您的反馈"),
    ],
)
async def test_a_grumble_before_asking_for_a_case_is_the_cases_reason(
    dispatcher: Dispatcher, deps: Deps, language: str, message: str, thanks: str
) -> None:
    answer = _text(await make_say(dispatcher, "804", "Bo", language)(message))
    assert thanks not in answer, answer
    assert "#1" in answer, answer


@pytest.mark.parametrize(
    ("language", "praise", "complaint", "sorry"),
    [
        (
            "en",
            "love the toaster, works a treat",
            "shame the instructions are only in french",
            "sorry",
        ),
        ("zh", "烤面包机很好用", "就是使用说明全是英文的 老人看不懂", "抱歉"),
    ],
)
async def test_a_complaint_about_the_manual_gets_sorry_not_the_praise_thanks(
    dispatcher: Dispatcher, language: str, praise: str, complaint: str, sorry: str
) -> None:
    say = make_say(dispatcher, "805", "Mo", language)
    thanked = _text(await say(praise))
    answer = _text(await say(complaint))
    assert sorry in answer.lower(), answer
    assert answer != thanked
    assert ("manual" in answer) if language == "en" else ("说明书" in answer)


async def test_a_late_order_with_its_case_open_names_the_case_not_a_new_offer(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "806", "Ed", "en")
    await say("A-1005 is late, open a case please")
    replies = await say("any sign of A-1005?")
    answer = _text(replies)
    assert "#1" in answer and "late" in answer, answer
    assert not any(b.payload == "opencase" for r in replies for b in r.buttons), answer


async def test_cheers_after_rating_is_a_goodbye_not_a_comment_nor_another_rating(
    say: Say, agents: AgentService, outbox: FakeOutbox, desk: FakeDesk, deps: Deps
) -> None:
    await say("I need to talk to a person about order A-1001")
    number = desk.handoffs[0].case.number
    await agents.close(number, "Maria")
    await say(f"rate:{number}:5", ContentKind.BUTTON)
    bye = _text(await say("cheers"))
    assert "Anna" in bye and "comment" not in bye, bye
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    (rating,) = await deps.surveys.for_customer(customer.id)
    assert (rating.rating, rating.comment) == (5, None)
    later = await say("thx")
    assert not any(b.payload.startswith(("rate", "botrate")) for r in later for b in r.buttons)
