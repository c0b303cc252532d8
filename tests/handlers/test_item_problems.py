"""Item problems with an order: a missing part, the customer's choice of remedy and changes
of mind, the replacement's timing, a damaged item in hand, a new address for a shipped order."""

from __future__ import annotations

import pytest

from crm_memory import Case, ChannelIdentity
from handlers.cases import CHOICE_NOTE
from handlers.context import DEFECT, states_preference
from handlers.dispatcher import Dispatcher
from handlers.greeting import only_missing, problem_kind
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say

# --- a missing part: nothing to send back ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "order 61007 came but the mouse is missing from the box",
        "hey so A-5120 arrived but there was no charger in the box??",
        "the hdmi cable wasnt in the box",
        "desk came without the legs lol",
        "订单D-6620少了个键盘",
        "E-7781漏发了充电器 只有剃须刀",
        "书架到了 里面没有螺丝包",
    ],
)
def test_a_missing_part_is_missing_only(text: str) -> None:
    assert only_missing(text)


@pytest.mark.parametrize(
    "text",
    [
        "the charger is missing and the lid is cracked",
        "my earbuds wont charge",
        "the kettle leaks",
        "收到就是碎的",
    ],
)
def test_something_broken_is_not_missing_only(text: str) -> None:
    assert not only_missing(text)


def test_a_wrong_item_in_chinese_is_a_wrong_item_case() -> None:
    assert problem_kind("C-5531 我买的电饭锅 寄来的是个电水壶") == "wrong"


async def test_a_missing_item_gets_it_sent_not_a_return_label(anna: Say, deps: Deps) -> None:
    opened = _text(await anna("A-1003 came but one of the water bottles is missing from the box"))
    when = _text(await anna("when will you send it"))
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in opened and "nothing to send back" in opened.lower()
    assert "return label" not in opened and "return label" not in when
    assert "working days" in when and "faulty one" not in when


async def test_chinese_missing_item_is_sent_and_when(dispatcher: Dispatcher, deps: Deps) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    opened = _text(await chen("C-7781到了 少了个鼠标"))
    when = _text(await chen("啥时候补发"))
    assert "补发" in opened and "退货面单" not in opened
    assert "工作日" in when and "揽收" not in when and "退货面单" not in when


# --- the customer's choice of remedy; the latest one stands --------------------------------


async def test_a_change_of_mind_replaces_the_earlier_choice(anna: Say, deps: Deps) -> None:
    await anna("A-1003 came but one of the water bottles is missing")
    refund = _text(await anna("actually just refund the bottle i dont need it anymore"))
    resend = _text(await anna("no wait send me the bottle, i do need it sorry"))
    (case,) = await _cases(deps, "100")
    choices = [
        n.text for n in await deps.cases.notes(case.number) if n.text.startswith(CHOICE_NOTE)
    ]
    assert choices[-1].startswith(f"{CHOICE_NOTE}replacement") and "refund" in choices[-1]
    assert "refund" in refund.lower() and "return label" not in refund
    assert "refund" in resend.lower() and "missing part" in resend and "anything else" not in resend


# --- the replacement's timing; the options again -------------------------------------------


async def test_how_long_for_the_replacement_of_a_missing_part(anna: Say) -> None:
    await anna("A-1003 came but one of the water bottles is missing")
    replies = _text(await anna("ok and how long for the replacement"))
    assert "working days" in replies and "faulty one" not in replies
    assert "return label" not in replies


async def test_what_now_after_a_wrong_item_gives_the_options(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    await chen("B-2232 我买的双肩包 寄来的是个手提包")
    replies = _text(await chen("咋整"))
    (case,) = await _cases(deps, "300")
    assert f"#{case.number}" in replies and "换货" in replies and "退款" in replies


# --- a damaged item in hand, the order named beside it -------------------------------------


async def test_chinese_complaint_with_order_gets_no_status_line(dispatcher: Dispatcher) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    replies = _text(await chen("我要投诉 搅拌机杯子是裂的 订单是88231"))
    assert "工单" in replies and "RM123456785GB" not in replies


# --- a new address for an order already shipped ---------------------------------------------


async def test_a_new_address_for_a_shipped_order_goes_on_a_case(anna: Say, deps: Deps) -> None:
    await anna("where is my order 88231")
    asked = _text(await anna("can i change the delivery address"))
    replies = _text(await anna("to my work address, 12 King St, Leeds LS1 2HL"))
    (case,) = await _cases(deps, "100")
    assert "new address" in asked.lower()
    assert "King St" in case.summary and "88231" in case.summary
    assert f"#{case.number}" in replies and "Royal Mail" in replies and "redirect" in replies


async def test_chinese_new_address_for_a_shipped_order(dispatcher: Dispatcher, deps: Deps) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    await chen("88231到哪了")
    await chen("可以改地址吗")
    replies = _text(await chen("改到公司 上海市浦东新区世纪大道88号"))
    (case,) = await _cases(deps, "300")
    assert "世纪大道" in case.summary and "改派" in replies and "账户" not in replies


async def test_a_wrong_item_after_its_order_number_opens_a_case(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    replies = _text(await chen("B-2232 我买的双肩包 寄来的是个手提包"))
    (case,) = await _cases(deps, "300")
    assert f"#{case.number}" in replies and "换货" in replies and "签收" not in replies


# --- the case offered, turned down with a question after it ---------------------------------


async def test_chinese_no_case_then_which_courier(dispatcher: Dispatcher, deps: Deps) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    await chen("A-1005到哪了")
    replies = _text(await chen("不用开工单了 哪家快递送的"))
    assert "DPD" in replies and await _cases(deps, "300") == []


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


# --- damage words: a product problem, not a question (brief C28) ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "air fryer arrived with a big dent on the side",
        "there are dents all over the lid",
        "it doesnt turn on",
        "the speaker won't power on at all",
        "baby monitor keeps cutting out",
        "the handle came bent",
        "空气炸锅侧面凹了一块",
        "盒子瘪了 锅也凹进去了",
        "音箱插上电一点反应都没有",
        "婴儿监视器老是断线",
        "平板开不开机",
        "the heater started smoking",
        "the charger burned my finger, its melting near the cable",
        "the lamp gave me a shock",
        "充电器一插上就冒火花 还有焦味",
        # Damage told with the order number (issue #15, C62).
        "basket came with a crack in it order 99015",
        "order 55120 - the lamp shade is torn",
        "the vase inside is chipped",
        "the handle snapped off",
        "椅子腿弯了 订单B-9920",
        "昨天收到80017 锅把手断了",
        "花瓶有个缺口",
    ],
)
def test_damage_words_are_a_product_problem(text: str) -> None:
    assert DEFECT.search(text) is not None


def test_bent_is_damage_only_of_the_item() -> None:
    assert DEFECT.search("i bent over to pick the box up, where is the manual") is None


# --- a change of mind said as one remedy and the other turned down (brief C28) -------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actually replacement pls not refund", "replacement"),
        ("hmm actually i'd prefer a replacement, not the refund", "replacement"),
        ("money back rather than a replacement", "refund"),
        ("退钱 不要换货", "refund"),
        ("换货 不要退款了", "replacement"),
        # A remedy that has not come is no choice.
        ("no replacement came yet, where is my refund", None),
        ("no refund yet", None),
    ],
)
def test_one_remedy_named_the_other_turned_down(text: str, expected: str | None) -> None:
    assert states_preference(text) == expected


async def test_refund_then_replacement_stays_on_one_case(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "2801", "Ola")
    await say("my kettle from A-1003 came with a cracked lid")
    await say("i want a refund")
    text = _text(await say("actually replacement pls not refund"))
    assert "#1" in text and "replacement" in text, text
    cases = await _cases(deps, "2801")
    assert len(cases) == 1
    assert await chosen_on_case(deps, 1) == "replacement"


async def chosen_on_case(deps: Deps, number: int) -> str | None:
    notes = [n.text for n in await deps.cases.notes(number) if n.text.startswith(CHOICE_NOTE)]
    return notes[-1].removeprefix(CHOICE_NOTE).split(" ", 1)[0] if notes else None
