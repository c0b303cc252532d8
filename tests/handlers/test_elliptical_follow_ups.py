"""Short follow-ups that keep their subject: a new question about the thing in play
("when will the replacment come" after a replacement), or the question in play about a new
thing ("and the air fryer?" after a courier, "what about sundays" after weekend delivery,
"那运费呢" after returns); and the subject kept in one place (``Dialogue.subject``)."""

from __future__ import annotations

from crm_memory import ChannelIdentity
from handlers import dialogue
from handlers.dialogue import CARRIER, Dialogue, Matter, Subject, Told
from handlers.dispatcher import Dispatcher
from handlers.hours import days_named
from handlers.orders import OrderNumbers
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _dialogue(deps: Deps, user: str = "100") -> Dialogue:
    return await dialogue.load(deps.state, str(ChannelIdentity("telegram", user)))


# --- one record of what the conversation is about ------------------------------------------


def test_what_was_told_and_the_matter_survive_the_json_round_trip() -> None:
    kept = Dialogue(
        turn=3,
        subject=Subject(
            orders=("A-1001",),
            detail=CARRIER,
            told=Told.CANCEL_REFUND,
            turn=3,
            matter=Matter.REFUND,
            named=2,
        ),
    )
    assert Dialogue.from_json(kept.to_json()) == kept


def test_what_was_told_holds_for_the_next_turn_only() -> None:
    told = Subject(told=Told.UNSHIPPED_REFUND, turn=4)
    assert Dialogue(turn=5, subject=told).told_just_now(Told.UNSHIPPED_REFUND)
    assert not Dialogue(turn=5, subject=told).told_just_now(Told.CANCEL_REFUND)
    assert not Dialogue(turn=6, subject=told).told_just_now(Told.UNSHIPPED_REFUND)


def test_the_matter_outlives_its_answer_for_two_turns_and_is_no_subject_alone() -> None:
    matter = Subject(turn=4, matter=Matter.REFUND, named=4)
    assert Dialogue(turn=6, subject=matter).recent_matter() is Matter.REFUND
    assert Dialogue(turn=7, subject=matter).recent_matter() is None
    # Only the customer's matter: no answer to read a follow-up against.
    assert Dialogue(turn=5, subject=matter).subject_in_play() is None


async def test_a_refund_named_is_kept_beside_the_next_answers_subject(
    anna: Say, deps: Deps
) -> None:
    await anna("paid with paypal, will the refund go back there?")
    assert (await _dialogue(deps)).recent_matter() is Matter.REFUND
    await anna("can i get an invoice")
    kept = await _dialogue(deps)
    assert kept.subject is not None and kept.subject.entry == "invoice"
    assert kept.recent_matter() is Matter.REFUND


# --- a new question about the thing in play -----------------------------------------------


async def test_the_replacement_asked_after_with_a_typo_is_its_way_not_the_queue(
    anna: Say,
) -> None:
    await anna("the coffee machine from order A-1003 arrived with the glass jug cracked")
    await anna("a replacement please")
    reply = _text(await anna("cool when will the replacment come"))
    assert "2-4" in reply and "waited" not in reply


async def test_chinese_sha_shihou_gei_wo_fa_after_a_replacement(dispatcher: Dispatcher) -> None:
    lin = make_say(dispatcher, "300", "小林", "zh")
    await lin("订单A-1003的咖啡机收到就裂了")
    await lin("换个新的吧")
    reply = _text(await lin("那啥时候给我发"))
    assert "揽收" in reply and "已等待" not in reply


# --- the question in play about a new thing -----------------------------------------------


async def test_and_shipping_after_returns_is_the_return_postage(anna: Say) -> None:
    await anna("how do i return something")
    reply = _text(await anna("and shipping?"))
    assert "free" in reply and "4.90" not in reply


async def test_chinese_na_yunfei_ne_after_returns(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("怎么退货啊")
    reply = _text(await wang("那运费呢"))
    assert "免费" in reply and "4.90" not in reply


async def test_what_about_sundays_after_weekend_delivery_stays_on_delivery(anna: Say) -> None:
    await anna("do you deliver on saturdays")
    reply = _text(await anna("what about sundays"))
    assert "no Sunday delivery" in reply and "Our team is here" not in reply


async def test_a_locker_after_a_delivery_answer_is_delivery_not_a_return(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("下单后几天能到")
    reply = _text(await wang("能放快递柜吗"))
    assert "快递柜" in reply and "退货" not in reply and "面单" not in reply


async def test_the_order_picked_by_its_item_answers_the_question_asked(anna: Say) -> None:
    await anna("where are orders 88231 and A-1001")
    # The blender's order is the first named, not the last (the order in play).
    reply = _text(await anna("the blender one yeah, when does it come"))
    assert "88231" in reply and "A-1001" not in reply and "in stock" not in reply


async def test_and_the_item_after_a_courier_asks_its_orders_courier(anna: Say) -> None:
    await anna("has order A-1005 shipped")
    await anna("ok which courier is order A-1001 with")
    reply = _text(await anna("and the air fryer?"))
    assert "DPD" in reply and "A-1005" in reply and "in stock" not in reply
    # Its courier, as asked of the kettle's order, not its status (late, and when).
    assert "late" not in reply and "arrive" not in reply


async def test_chinese_item_na_ge_dan_ne_is_one_question_about_its_order(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("订单88231到哪了")
    await wang("订单A-1001是哪家快递")
    reply = _text(await wang("搅拌机那个单呢 也是这家吗"))
    assert "Royal Mail" in reply and "88231" in reply and "售价" not in reply


async def test_a_product_question_about_an_item_ordered_stays_a_product_question(
    anna: Say,
) -> None:
    await anna("where are orders A-1001 and 88231")
    reply = _text(await anna("how much is the blender"))
    assert "$" in reply


# --- the words that carry these follow-ups ------------------------------------------------


def test_orders_listed_after_the_first_are_orders_too() -> None:
    numbers = OrderNumbers()
    found = [m.value for m in numbers.mentions("where are my orders 82311 and 82312")]
    assert found == ["82311", "82312"]
    assert [m.value for m in numbers.mentions("帮我查下订单92301和92302到哪了")] == [
        "92301",
        "92302",
    ]
    assert [m.value for m in numbers.mentions("order 88231 and 2 kettles")] == ["88231"]


def test_a_weekday_with_a_typo_is_still_that_day() -> None:
    assert days_named("and saterday?") == (5,)
    assert days_named("open on wensday") == (2,)
    assert days_named("what about thurday") == (3,)


# --- a day offered back after an answer that gives days (issue #15) ------------------------


async def test_a_day_asked_if_it_will_do_keeps_the_collection_answer(deps: Deps, anna: Say) -> None:
    first = _text(await anna("can u guys pick up the return from my flat? dont have a car"))
    assert "Collection" in first, first
    saturday = _text(await anna("saturday ok?"))
    assert "Monday to Saturday" in saturday and "10:00-14:00" not in saturday, saturday
    sunday = _text(await anna("and sunday"))
    assert "Monday to Saturday" in sunday and "10:00-14:00" not in sunday, sunday


async def test_zh_a_day_asked_if_it_will_do_keeps_the_collection_answer(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "2301", "小周", "zh")
    await say("退货能上门来取吗")
    saturday = _text(await say("周六可以吗"))
    assert "周一至周六" in saturday and "10:00-14:00" not in saturday, saturday
