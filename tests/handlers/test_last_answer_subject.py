"""A short follow-up answered on the subject of the bot's last answer: postage after the
returns or the delivery prices, "i don't see it" after the invoice, a public holiday after
the delivery days, and "never mind, I'll keep it" after a return (issue #15)."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


# --- postage: the return's after returns, delivery's after the delivery prices ------------


async def test_who_pays_postage_after_returns_is_the_free_return_label(anna: Say) -> None:
    await anna("hi how do returns work")
    reply = _text(await anna("who pays postage"))
    assert "free" in reply and "4.90" not in reply


async def test_postage_after_the_exchange_is_the_return_postage_it_leads_to(anna: Say) -> None:
    await anna("can i exchange it for another size")
    reply = _text(await anna("do i pay the postage?"))
    assert "free" in reply and "4.90" not in reply


async def test_postage_after_the_delivery_prices_stays_on_delivery(anna: Say) -> None:
    await anna("how much is delivery")
    reply = _text(await anna("and who pays postage on that"))
    assert "4.90" in reply and "return label" not in reply


async def test_chinese_postage_after_the_delivery_prices_stays_on_delivery(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("你们配送怎么收费")
    reply = _text(await wang("那运费谁出啊"))
    assert "4.90" in reply and "退货面单" not in reply


async def test_chinese_sending_back_postage_with_a_product_in_play_is_no_basket(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("耳机不想要了 怎么退啊")
    reply = _text(await wang("寄回来运费谁出"))
    assert "免费" in reply or "我们承担" in reply
    assert "满 $50.00" not in reply and "一共" not in reply


# --- the invoice: not seen is when it is issued, not the parcel -------------------------


async def test_i_dont_see_it_after_the_invoice_is_when_it_is_issued(anna: Say) -> None:
    await anna("can i get an invoice for order A-1001 please")
    reply = _text(await anna("i dont see it there tho"))
    assert "invoice" in reply.lower() and "ships" in reply
    assert "JD014600003828" not in reply


async def test_chinese_not_seen_after_the_invoice_is_the_invoice(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("订单A-1001能开发票吗")
    reply = _text(await wang("还没看到发票啊"))
    assert "发票" in reply and "JD014600003828" not in reply


async def test_a_parcel_not_found_after_the_invoice_is_still_the_parcel(anna: Say) -> None:
    await anna("can i get an invoice for order A-1001 please")
    reply = _text(await anna("i cant find my parcel"))
    assert "within 24 hours of dispatch" not in reply


# --- a public holiday after the delivery days ---------------------------------------------


async def test_bank_holidays_after_weekend_delivery_stays_on_delivery(anna: Say) -> None:
    await anna("do u deliver on saturdays")
    reply = _text(await anna("what about bank holidays"))
    assert "public holidays" in reply and "9:00-18:00" not in reply


async def test_chinese_holidays_after_the_teams_hours_stay_on_the_team(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("客服几点上班")
    reply = _text(await wang("节假日呢"))
    assert "派送" not in reply


# --- never mind, keeping it ---------------------------------------------------------------


async def test_keeping_it_after_a_return_is_understood_without_a_case(
    dispatcher: Dispatcher,
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("手表怎么退货")
    reply = _text(await wang("哎还是不退了 我自己留着用"))
    assert "留着" in reply and "面单" not in reply and "工单" not in reply


async def test_nevermind_ill_keep_it_is_nothing_to_send_back(anna: Say) -> None:
    await anna("how do i return the headphones")
    reply = _text(await anna("nevermind ill keep it"))
    assert "nothing to send back" in reply and "label" not in reply


async def test_asking_to_keep_it_is_a_question_not_a_return_called_off(anna: Say) -> None:
    await anna("how do i return the headphones")
    reply = _text(await anna("can i keep it and still get a refund?"))
    assert "nothing to send back" not in reply
