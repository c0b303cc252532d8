"""Remarks, moods and declines read as what they are (issue #15): sarcasm after an answer
that did not help gets an apology and the next step, good news told as an aside closes what
was open, a laugh is a nod and "呵呵" displeasure, "is it always like this" is a complaint
acknowledged, "leave it as is" a no (an independent run thanked sarcasm as praise, added
"it turned up btw" to the case, made small talk of "lol ok" and asked "as described above")."""

from __future__ import annotations

import pytest

from crm_memory import CaseStatus
from handlers.agents import AgentService
from handlers.declined import says_no
from handlers.dispatcher import Dispatcher
from handlers.remarks import (
    keeps_happening,
    knocks_service,
    laughs_it_off,
    scoffs,
    tells_arrived,
)
from handlers.sarcasm import praise_for_no_help
from tests.handlers.conftest import FakeDesk, make_say, rated_case


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lol ok", True),
        ("haha fine", True),
        ("lmao fair enough", True),
        ("哈哈行吧", True),
        ("哈哈哈 好的", True),
        ("呵呵", False),  # a scoff, not a laugh
        ("lol where is my order", False),
        ("haha the kettle broke", False),
    ],
)
def test_a_laugh_and_a_shrug(text: str, expected: bool) -> None:
    assert laughs_it_off(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("呵呵", True), ("呵呵呵", True), ("呵呵 行吧", True), ("呵呵 订单到哪了", False)],
)
def test_a_scoff(text: str, expected: bool) -> None:
    assert scoffs(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is it always like this with you", True),
        ("every single time", True),
        ("你们东西一直这样吗", True),
        ("老是这样", True),
        ("typical", True),
        ("is it always delivered by DHL? i need to know for the office reception desk", False),
        ("the lid cracks every time i open it", False),  # a fault: the complaint's readings
    ],
)
def test_a_rhetorical_complaint(text: str, expected: bool) -> None:
    assert keeps_happening(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("so basically nothing. great. brilliant service", True),
        ("太棒了 啥也解决不了", True),
        ("服务真好啊 一点用没有", True),
        ("真是谢谢你了哈", True),
        ("great thanks", False),
        ("brilliant, it works now", False),
        ("nothing wrong with it, great service thanks", False),
        ("太好了 解决不了的话我再找你", False),
    ],
)
def test_praise_for_an_answer_that_did_not_help(text: str, expected: bool) -> None:
    assert praise_for_no_help(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nah thats fine leave it as is", True),
        ("no need, keep the normal shipping", True),
        ("不用了 就这样吧", True),
        ("普通的就行 不用改", True),
        ("keep the normal shipping but send it to my office at 4 High St please", False),
        ("can i keep the normal shipping?", False),
    ],
)
def test_a_no_to_a_change(text: str, expected: bool) -> None:
    assert says_no(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it turned up this afternoon btw", True),
        ("fyi the rug arrived this morning", True),
        ("found it, was at the neighbours", True),
        ("已经收到了 不用管了", True),
        ("今天下午到了 没事了", True),
        ("it still hasnt arrived", False),
        ("it arrived but the lid is cracked", False),
        ("tracking says it arrived", False),
        ("has it arrived yet?", False),
        ("还没收到", False),
        ("收到了 但是坏了", False),
    ],
)
def test_news_that_the_parcel_came(text: str, expected: bool) -> None:
    assert tells_arrived(text) is expected


def _text(replies: list) -> str:  # type: ignore[type-arg]
    return " ".join(r.text for r in replies)


async def test_sarcasm_after_an_answer_gets_an_apology_not_thanks(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5601", "Priya")
    await say("can u gift wrap it and add a card for my mum")
    text = _text(await say("so basically nothing. great. brilliant service"))
    assert "sorry" in text.lower() and "thank you so much" not in text.lower(), text
    stored = await dispatcher.deps.feedback.all()
    assert stored and stored[-1].sentiment < 0, stored


async def test_turned_up_btw_closes_the_late_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5602", "Tom")
    await say("where is A-1005")
    await say("yes open a case")
    text = _text(await say("it turned up this afternoon btw"))
    assert "glad" in text.lower() and "sorry" not in text.lower(), text
    case = await dispatcher.deps.cases.get(1)
    assert case.status is CaseStatus.CLOSED, case


async def test_zh_received_closes_the_late_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5603", "小王", "zh")
    await say("A-1005到哪了")
    await say("开个工单吧")
    text = _text(await say("已经收到了 不用管了"))
    assert "#1" in text and "抱歉" not in text and "补充" not in text, text
    case = await dispatcher.deps.cases.get(1)
    assert case.status is CaseStatus.CLOSED, case


async def test_arrived_news_leaves_a_broken_items_case_open(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5604", "Ana")
    await say("the coffee machine from A-1003 wont turn on")
    await say("the replacement arrived today")
    case = await dispatcher.deps.cases.get(1)
    assert case.status is not CaseStatus.CLOSED, case


async def test_a_laugh_is_a_nod_not_small_talk(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5605", "Ben")
    await say("how long does delivery take")
    text = _text(await say("lol ok")).lower()
    assert "thanks for asking" not in text and "doing well" not in text, text


async def test_heh_and_always_like_this_go_on_the_open_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5606", "老李", "zh")
    await say("A-1003的咖啡机坏了 开不了机")
    text = _text(await say("呵呵"))
    assert "#1" in text and "挺好" not in text, text
    text = _text(await say("你们东西一直这样吗"))
    assert "#1" in text and "决定" not in text, text
    notes = await dispatcher.deps.cases.notes(1)
    assert any("一直这样" in n.text for n in notes), notes


async def test_leave_it_as_is_after_the_express_answer_is_a_no(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5607", "Kim")
    await say("is there express delivery? how much")
    text = _text(await say("nah thats fine leave it as is"))
    assert "described above" not in text and "can't change" not in text, text


async def test_found_after_a_low_rating_is_glad_not_sorry(
    dispatcher_with_desk: Dispatcher, agents: AgentService, desk: FakeDesk
) -> None:
    say = await rated_case(dispatcher_with_desk, agents, desk, "5608", zh=False, stars=1)
    text = _text(await say("oh actually found it, was at the neighbours the whole time"))
    assert "glad" in text.lower() and "sorry" not in text.lower(), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is this how you treat customers", True),
        ("terrible service honestly", True),
        ("seriously? thats your service?", True),
        ("so this is the service i get", True),
        ("is that really the best you can do", True),
        ("你们就这服务？", True),
        ("你们客服就这水平？", True),
        ("你们对顾客就这态度", True),
        ("就这？", True),
        ("服务太差了", True),
        ("the service was fine, where is my order", False),
        ("服务不错", False),
        ("terrible service, the kettle is broken again", False),  # a fault: more for the case
    ],
)
def test_the_service_knocked(text: str, expected: bool) -> None:
    assert knocks_service(text) is expected


async def test_service_knocked_with_a_case_open_gets_sorry_and_the_case(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "5611", "Ben")
    await say("the coffee machine from A-1003 arrived with a cracked water tank")
    text = _text(await say("is this how you treat customers"))
    assert "#1" in text and "sorry" in text.lower() and "@" not in text, text
    text = _text(await say("great service guys"))
    assert "#1" in text and "thank you so much" not in text.lower(), text


async def test_jiu_zhe_fuwu_with_a_case_open_is_no_question_for_the_team(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "5612", "老王", "zh")
    await say("A-1003的咖啡机水箱裂了")
    text = _text(await say("你们就这服务？"))
    assert "#1" in text and "决定" not in text and ("抱歉" in text or "对不起" in text), text
