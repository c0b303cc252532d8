"""A short follow-up read as a question about the subject of the last answer (issue #15,
brief C32): where / when / "still nothing" / a company name after the invoice, any wording
of postage after a returns answer, another day after a day's answer, "why" after a refusal,
and the arrival after an order's ship-by day."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def _zh(dispatcher: Dispatcher) -> Say:
    return make_say(dispatcher, "320", "小周", "zh")


# --- what a follow-up brings of its own --------------------------------------------------


def test_a_follow_up_brings_no_word_of_its_own_beyond_the_subject() -> None:
    knowledge = KnowledgeBase.load()
    invoice = ("invoice", "invoice-when")
    assert not knowledge.new_words("多久能开出来", invoice)
    assert not knowledge.new_words("那啥时候有", invoice)
    assert knowledge.new_words("and delivery?", invoice) == {"delivery"}


def test_entries_that_refuse_or_fail_say_why() -> None:
    knowledge = KnowledgeBase.load()
    for entry_id in ("card-declined", "payment-problem", "returns-policy", "delivery-weekend"):
        entry = knowledge.entry(entry_id)
        assert entry is not None and entry.why("en") and entry.why("zh")


# --- after the invoice ----------------------------------------------------------------------


async def test_still_nothing_after_the_invoice_is_when_it_is_issued(anna: Say) -> None:
    await anna("how do i get a vat invoice")
    reply = _text(await anna("still nothing"))
    assert "24 hours" in reply and "refund" not in reply


async def test_chinese_haishi_meiyou_after_the_invoice(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("发票怎么开啊")
    reply = _text(await zhou("还是没有啊"))
    assert "24 小时" in reply


async def test_chinese_na_sha_shihou_you_after_the_invoice(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("能开票吗")
    reply = _text(await zhou("那啥时候有"))
    assert "24 小时" in reply


async def test_a_company_name_after_the_invoice_is_the_company_invoice(anna: Say) -> None:
    await anna("i need a receipt for my order pls")
    reply = _text(await anna("can u put my company name on it"))
    assert "VAT number" in reply and "DHL" not in reply


async def test_chinese_taitou_gongsi_after_the_invoice(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("我要开发票")
    reply = _text(await zhou("抬头能改成公司吗"))
    assert "税号" in reply


# --- postage, in any wording ----------------------------------------------------------------


async def test_pay_to_ship_it_back_after_returns_is_the_return_postage(anna: Say) -> None:
    await anna("how do i return something")
    reply = _text(await anna("do i have to pay to ship it back"))
    assert "costs you nothing" in reply and "4.90" not in reply


async def test_chinese_kuaidifei_shui_fu_after_the_pick_up(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("可以上门取件吗")
    reply = _text(await zhou("快递费谁付"))
    assert "我们承担" in reply and "顺丰" not in reply


async def test_who_covers_that_after_the_delivery_price_stays_on_delivery(anna: Say) -> None:
    await anna("whats the shipping fee")
    reply = _text(await anna("who covers that"))
    assert "4.90" in reply and "wallet" not in reply


# --- another day ----------------------------------------------------------------------------


async def test_bank_holiday_after_weekend_delivery_stays_on_delivery(anna: Say) -> None:
    await anna("do you guys deliver on saturday")
    await anna("what about sunday")
    reply = _text(await anna("bank holiday?"))
    assert "public holidays" in reply and "Our team is here" not in reply


async def test_chinese_xingqitian_ne_after_the_opening_hours(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("你们客服几点上班")
    reply = _text(await zhou("星期天呢"))
    assert "周日" in reply and "派送" not in reply


# --- why ------------------------------------------------------------------------------------


async def test_how_come_after_no_sunday_delivery_is_the_reason(anna: Say) -> None:
    await anna("do u deliver on saturdays")
    reply = _text(await anna("how come?"))
    assert "don't run deliveries on Sundays" in reply and "not sure" not in reply


async def test_chinese_zenme_huishi_after_a_declined_card(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("卡被拒了付不了")
    reply = _text(await zhou("怎么回事啊"))
    assert "银行" in reply and "不太确定" not in reply


async def test_why_not_after_a_used_item_is_the_reason(anna: Say) -> None:
    await anna("can i return it if i already used it")
    reply = _text(await anna("why not"))
    assert "on sale as new" in reply and "unused" in reply


async def test_chinese_weishenme_buneng_tui_after_a_used_item(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("用过的东西能退吗")
    reply = _text(await zhou("为什么不能退"))
    assert "二次销售" in reply


# --- the arrival after a ship-by day --------------------------------------------------------


async def test_when_will_it_arrive_after_the_ship_by_day_is_the_arrival(anna: Say) -> None:
    await anna("where is my order A-1002")
    reply = _text(await anna("ok so when will it actually arrive"))
    assert "A-1002" in reply and "2-4 working days" in reply


async def test_chinese_sha_shihou_neng_dao_after_the_ship_by_day(dispatcher: Dispatcher) -> None:
    zhou = _zh(dispatcher)
    await zhou("我的订单A-1002到哪了")
    reply = _text(await zhou("啥时候能到"))
    assert "A-1002" in reply and "2-4 个工作日" in reply
