"""Issue #15: cases asked after by what they are about, the product in play, feedback remarks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import CaseStatus, ChannelIdentity, use_clock
from handlers.dispatcher import Dispatcher
from handlers.feedback import is_remark, topic_of
from handlers.turn import Deps
from handlers.types import Reply
from nlu import BuiltinEngine
from tests.handlers.conftest import Clock, Say, make_say

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _say(deps: Deps, engine: BuiltinEngine, clock: Clock, user: str, name: str) -> Say:
    dispatcher = Dispatcher(deps=replace(deps, clock=clock), nlu=engine)
    return make_say(dispatcher, user, name, "zh" if not name.isascii() else "en")


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


# --- a case asked after by what it is about -------------------------------------------------


async def test_a_case_asked_after_by_its_description_gets_its_status(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "700", "Priya")
    with use_clock(clock):
        await say("the coffee machine from A-1003 is leaking from underneath")
        clock.now += timedelta(days=3)
        replies = await say("hiya, any news about the leaking machine?")
    text = _text(replies)
    # The case's status and age, not more words added to the case.
    assert "#1" in text and "3 days" in text
    assert "added" not in text.lower() and "noted" not in text.lower()
    (case,) = await deps.cases.for_customer(await _customer(deps, "700"))
    assert "any news" not in case.summary


async def test_a_chinese_description_finds_the_case(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "701", "林姐")
    with use_clock(clock):
        await say("A-1001买的电水壶 用了两天底下一直漏水")
        clock.now += timedelta(days=2)
        replies = await say("那个漏水的壶怎么样了")
    text = _text(replies)
    assert "#1" in text and "已创建" in text
    assert "补充" not in text and "记录到" not in text


async def test_of_two_cases_the_one_described_is_answered_even_closed(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "702", "Marcus")
    with use_clock(clock):
        await say("blender from order 88231 came with a cracked jug")
        await deps.cases.close(1)
        clock.now += timedelta(days=2)
        await say("now the air fryer from A-1005 stopped heating after 3 uses")
        clock.now += timedelta(days=1)
        replies = await say("what happened with the broken blender thing")
        other = await say("and the air fryer one?")
    text = _text(replies)
    assert "#1" in text and "closed" in text.lower() and "#2" not in text
    assert "#2" in _text(other) and "A-1005" in _text(other)
    cases = await deps.cases.for_customer(await _customer(deps, "702"))
    assert [c.status for c in sorted(cases, key=lambda c: c.number)] == [
        CaseStatus.CLOSED,
        CaseStatus.OPEN,
    ]


async def test_a_description_no_case_matches_is_told_with_the_case_they_have(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "703", "Dee")
    with use_clock(clock):
        await say("the air fryer from A-1005 stopped heating")
        clock.now += timedelta(days=2)
        replies = await say("hey whats happening with my headphones complaint")
    text = _text(replies)
    assert ("can't find" in text or "None of your cases" in text) and "#1" in text
    assert "A-1005" in text


async def test_news_of_an_order_stays_about_the_order(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "704", "Ola")
    with use_clock(clock):
        await say("the kettle from A-1003 arrived with a cracked lid")
        replies = await say("any news on my order B-2231?")
    assert "SF1234567890" in _text(replies)


async def _customer(deps: Deps, user: str) -> int:
    found = await deps.customers.find(ChannelIdentity("telegram", user))
    assert found is not None
    return found.id


# --- the product in play --------------------------------------------------------------------


async def test_when_is_it_back_after_sold_out_gives_that_products_date(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "710", "Ola")
    with use_clock(clock):
        await say("do you have the cordless vacuum")
        back = await say("ugh ok so when's it back")
        await say("whatever. got a toaster?")
        again = await say("will it be restocked soon or")
    assert "2026-12-10" in _text(back)
    assert "2026-12-05" in _text(again) and "2026-12-10" not in _text(again)


async def test_chinese_will_it_come_back_after_sold_out(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "711", "阿强")
    with use_clock(clock):
        await say("吸尘器有货没")
        await say("那烤面包机呢")
        replies = await say("还会有吗")
    assert "2026-12-05" in _text(replies)


async def test_how_much_after_a_product_we_do_not_sell_never_quotes_the_one_before(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "712", "Sal")
    with use_clock(clock):
        first = await say("how much is the kettle?")
        await say("do you sell milk frothers")
        replies = await say("how much")
    assert "$39" in _text(first)
    assert "$39" not in _text(replies) and "kettle" not in _text(replies).lower()


# --- feedback remarks -----------------------------------------------------------------------


async def test_a_remark_gets_one_reply_thanks_and_no_case(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "720", "Gwen")
    with use_clock(clock):
        replies = await say("the packaging was a bit flimsy tbh")
    assert len(replies) == 1 and "thank" in replies[0].text.lower()
    assert "not sure" not in replies[0].text and "didn't" not in replies[0].text
    assert await deps.cases.for_customer(await _customer(deps, "720")) == []
    (stored,) = await deps.feedback.for_customer(await _customer(deps, "720"))
    assert stored.topic == "product"


@pytest.mark.parametrize(
    ("user", "name", "text", "thanks"),
    [
        ("730", "Kit", "box was kinda battered but whatever", "thank"),
        ("731", "Lou", "the courier was friendly, took ages though", "thank"),
        ("732", "小林", "物流有点慢 其他都还行", "谢"),
        ("733", "小陈", "价格有点贵 质量还行", "谢"),
        ("734", "阿梅", "发货速度一般般吧", "谢"),
    ],
)
async def test_remarks_the_engine_cannot_read_are_thanked_once_without_a_case(
    deps: Deps, engine: BuiltinEngine, user: str, name: str, text: str, thanks: str
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, user, name)
    with use_clock(clock):
        replies = await say(text)
    assert len(replies) == 1 and thanks in replies[0].text.lower()
    for confused in ("not sure", "didn't", "没太明白", "没理解", "订单号", "order number"):
        assert confused not in replies[0].text
    customer = await _customer(deps, user)
    assert await deps.cases.for_customer(customer) == []
    assert len(await deps.feedback.for_customer(customer)) == 1


async def test_a_chinese_remark_in_two_clauses_is_one_reply(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "721", "王女士")
    with use_clock(clock):
        replies = await say("客服态度还行 就是发货慢")
    assert len(replies) == 1 and "谢" in replies[0].text
    assert "没太明白" not in replies[0].text and "没理解" not in replies[0].text
    assert len(await deps.feedback.for_customer(await _customer(deps, "721"))) == 1


async def test_an_unhappy_remark_while_a_case_is_open_goes_on_the_case(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(MONDAY)
    say = _say(deps, engine, clock, "722", "Bram")
    with use_clock(clock):
        await say("the kettle from A-1001 showed up with a cracked lid")
        replies = await say("honestly the whole experience has been pretty disappointing")
    assert len(replies) == 1 and "#1" in replies[0].text
    (case,) = await deps.cases.for_customer(await _customer(deps, "722"))
    assert "pretty disappointing" in case.summary


def test_what_is_a_remark_and_what_is_not() -> None:
    remarks = [
        "the packaging was a bit flimsy tbh",
        "delivery guy was really nice tho",
        "客服态度还行 就是发货慢",
        "包装有点简陋",
        "ur website is kinda confusing ngl",
    ]
    not_remarks = [
        "the packaging was flimsy and the kettle is broken",
        "why is delivery so slow?",
        "发货太慢了 我要退款",
        "delivery was slow, order A-1001",
        "客服态度怎么样",
        "i want to return it, the quality is poor",
        # "一般" is "usually" here, and it is a question.
        "你们家发货一般走什么快递",
        "快递一般几天到",
    ]
    assert all(is_remark(t) for t in remarks)
    assert not any(is_remark(t, names_order="A-1001" in t) for t in not_remarks)


def test_a_topic_word_inside_another_word_names_no_topic() -> None:
    # "disappointing" has "app" in it: a remark about the experience, not the app.
    assert topic_of("honestly the whole experience has been disappointing") is None
    assert topic_of("your app keeps crashing") == "app"
    assert topic_of("the apps are slow") == "app"
    assert topic_of("快递太慢") == "delivery"
