"""Two orders in play: a follow-up that points at one of them ("the frist one i mean",
"我说的是前面那个") or at both ("when do both arrive", "两个都啥时候到") is about those."""

from __future__ import annotations

from handlers import followups
from handlers.dialogue import Dialogue, Slot
from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _two_orders() -> Dialogue:
    return Dialogue(
        turn=3, slots=(Slot("order_number", "A-1002", 1), Slot("order_number", "B-2231", 2))
    )


def test_ordinals_with_typos_and_kouyu_point_at_one_order() -> None:
    dialogue = _two_orders()
    assert followups.pointed_orders("no the frist one i mean", dialogue) == ["A-1002"]
    assert followups.pointed_orders("the secnd order?", dialogue) == ["B-2231"]
    assert followups.pointed_orders("and the othr one?", dialogue) == ["A-1002"]
    assert followups.pointed_orders("不是 我说的是前面那个", dialogue) == ["A-1002"]
    assert followups.pointed_orders("后面那单呢", dialogue) == ["B-2231"]
    assert followups.pointed_orders("另外那个呢", dialogue) == ["A-1002"]


def test_both_points_at_the_two_orders() -> None:
    dialogue = _two_orders()
    for said in ("so when do both of them arrive", "are the two orders shipped", "两个都啥时候到",
                 "俩单都发了没"):  # fmt: skip
        assert followups.pointed_orders(said, dialogue) == ["A-1002", "B-2231"], said
    one = Dialogue(turn=2, slots=(Slot("order_number", "A-1002", 1),))
    assert followups.pointed_orders("when do both arrive", one) == []


async def test_when_do_both_arrive_answers_each(anna: Say) -> None:
    await anna("where's A-1002")
    await anna("and B-2231?")
    reply = _text(await anna("ok when do both of them arrive"))
    assert "A-1002" in reply and "B-2231" in reply and "order number" not in reply


async def test_liangge_dou_answers_each(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1001发了没")
    await wang("还有B-2231")
    reply = _text(await wang("那两个都啥时候能到啊"))
    assert "A-1001" in reply and "B-2231" in reply and "订单号是" not in reply


async def test_an_item_of_the_order_in_play_is_answered_as_on_it(anna: Say) -> None:
    await anna("where is C-7781")
    reply = _text(await anna("the mouse is in there too right?"))
    assert "mouse" in reply.lower() and "C-7781" in reply and "noted" not in reply


async def test_shuibei_ye_yiqi_dao_le_is_the_bottle_of_that_order(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1003到了吗")
    reply = _text(await wang("那水杯也一起到了吧"))
    assert "水杯" in reply and "A-1003" in reply


async def test_send_both_together_is_combining_not_two_statuses(anna: Say) -> None:
    await anna("where is A-1002")
    await anna("and C-7781?")
    reply = _text(await anna("can you send both together"))
    assert "one parcel" in reply and "being prepared in our warehouse" not in reply


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)
