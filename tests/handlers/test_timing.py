"""A when / how long question is about the thing it names, else the last answer's: the
invoice, the replacement, the exchange, an order's dispatch; the order's delivery date only
for the parcel itself (issue #15, C39)."""

from __future__ import annotations

from handlers import timing
from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


# --- which subject a time question names -----------------------------------------------


def test_names_the_subject_in_either_language_and_beside_chinese() -> None:
    assert timing.named("ok and when is the invoice issued") is timing.Timed.INVOICE
    assert timing.named("那invoice啥时候能下") is timing.Timed.INVOICE
    assert timing.named("发票多久能出") is timing.Timed.INVOICE
    assert timing.named("when does the new one ship") is timing.Timed.REPLACEMENT
    assert timing.named("新的啥时候能发") is timing.Timed.REPLACEMENT
    assert timing.named("那大概啥时候发货") is timing.Timed.DISPATCH
    assert timing.named("so when does it actually ship") is timing.Timed.DISPATCH
    assert timing.named("how long does an exchange take") is timing.Timed.EXCHANGE
    assert timing.named("退货寄出了 退款多久到") is timing.Timed.REFUND


def test_sending_it_back_is_no_dispatch() -> None:
    assert timing.named("when should i ship it back") is None


# --- named: the thing's own time, not the parcel's date ----------------------------------


async def test_invoice_after_an_order_status_is_the_invoices_time(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1001到哪了")
    reply = _text(await wang("那invoice啥时候能下"))
    assert "发票" in reply and "24 小时" in reply
    assert "JD014600003828" not in reply


async def test_dispatch_of_an_unshipped_order_is_its_ship_by_day(anna: Say) -> None:
    await anna("where is A-1002")
    await anna("if i cancel how long does the refund take")
    reply = _text(await anna("ok and when does it actually ship"))
    assert "A-1002" in reply and "ship" in reply
    assert "5 working days" not in reply


async def test_exchange_named_after_the_refund_is_the_exchange(anna: Say) -> None:
    await anna("how long do refunds take")
    reply = _text(await anna("and exchanges, how long do those take"))
    assert "exchange" in reply.lower()


# --- in hand: the replacement just talked about ------------------------------------------


async def test_how_long_after_the_replacement_is_the_replacement(anna: Say) -> None:
    await anna("the kettle from A-1003 wont turn on at all")
    await anna("replacement pls")
    reply = _text(await anna("how long after that"))
    assert "working days" in reply and "waited" not in reply


async def test_chinese_new_one_when_is_the_replacement(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1003的咖啡机烧不开水 底座一直闪红灯")
    await wang("给我换个新的吧")
    reply = _text(await wang("新的啥时候能发"))
    assert "揽收" in reply or "寄回" in reply
    assert "已等待" not in reply


def test_shipping_times_in_general_are_no_dispatch() -> None:
    assert timing.named("how long does shipping take") is None


# --- the corrected invoice: its own day, not a first invoice's (C54) ----------------------


def test_a_corrected_invoice_is_named_apart_from_the_first_one() -> None:
    assert timing.named("how long does the corrected invoice take") is timing.Timed.INVOICE_FIX
    assert timing.named("when will the invoice be reissued") is timing.Timed.INVOICE_FIX
    assert timing.named("改好的发票多久能出") is timing.Timed.INVOICE_FIX
    assert timing.named("重开发票要几天") is timing.Timed.INVOICE_FIX
    assert timing.named("when is the invoice issued") is timing.Timed.INVOICE


async def test_how_long_after_asking_the_invoice_fixed_is_the_corrected_invoice(
    anna: Say, dispatcher: Dispatcher
) -> None:
    await anna("the name on my invoice is wrong can u correct it")
    reply = _text(await anna("how long"))
    assert "1 working day" in reply and "24 hours" not in reply
    wang = make_say(dispatcher, "254", "小王", "zh")
    await wang("发票抬头写错了 帮我改一下")
    reply = _text(await wang("要几天"))
    assert "1 个工作日" in reply and "24 小时" not in reply


async def test_how_long_after_asking_for_an_invoice_is_still_the_first_invoice(
    anna: Say,
) -> None:
    await anna("i need an invoice for my order")
    reply = _text(await anna("how long does that take"))
    assert "24 hours" in reply


async def test_when_a_company_invoice_is_issued_is_the_first_invoices_day(
    anna: Say, dispatcher: Dispatcher
) -> None:
    # The company's name is the kind of invoice, not a correction: issued on dispatch.
    await anna("need an invoice for my order with my company name on it")
    reply = _text(await anna("when is it issued"))
    assert "24 hours" in reply and "reissued" not in reply, reply
    wang = make_say(dispatcher, "255", "小王", "zh")
    await wang("要开公司抬头的发票")
    reply = _text(await wang("多久能开"))
    assert "24 小时" in reply, reply
