"""Order look-up from the CSV file and from a real local HTTP order API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crm_memory import ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.orders import (
    SAMPLE_ORDERS,
    CsvOrderLookup,
    HttpOrderLookup,
    Order,
    OrderLookupError,
    OrderNumbers,
    normalise_order_number,
)
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say

ORDERS = {"A-1001": {"status": "shipped", "carrier": "DHL", "tracking": "T1", "eta": "2026-12-01"}}


class _Api(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        number = self.path.rsplit("/", 1)[-1]
        if number == "SLOW":
            threading.Event().wait(2)
        if number == "BROKEN":
            body, status = b"<html>oops</html>", 200
        elif number in ORDERS:
            body, status = json.dumps(ORDERS[number]).encode(), 200
        else:
            body, status = b'{"error": "not found"}', 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/orders/{{order}}"
    server.shutdown()
    server.server_close()


async def test_csv_lookup() -> None:
    orders = CsvOrderLookup(SAMPLE_ORDERS)
    found = await orders.find("#a1001")
    assert found is not None and found.status == "shipped" and found.carrier == "DHL"
    assert await orders.find("Z-0000") is None


def test_csv_rejects_bad_rows(tmp_path: Path) -> None:
    bad = tmp_path / "o.csv"
    bad.write_text("order_number,status\nA-1,lost\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2: need order_number and a status"):
        CsvOrderLookup(bad)


async def test_http_lookup(api: str) -> None:
    orders = HttpOrderLookup(api, timeout=1)
    try:
        found = await orders.find("a-1001")
        assert found is not None
        assert (found.number, found.status, found.tracking) == ("A-1001", "shipped", "T1")
        assert await orders.find("A-9999") is None
        with pytest.raises(OrderLookupError, match="BROKEN"):
            await orders.find("BROKEN")
        with pytest.raises(OrderLookupError, match="SLOW"):
            await orders.find("SLOW")
    finally:
        await orders.close()


async def test_http_lookup_server_down() -> None:
    orders = HttpOrderLookup("http://127.0.0.1:1/orders/{order}", timeout=1)
    with pytest.raises(OrderLookupError):
        await orders.find("A-1001")
    await orders.close()


def test_template_needs_placeholder() -> None:
    with pytest.raises(ValueError, match=r"\{order\}"):
        HttpOrderLookup("http://shop/orders", timeout=1)


def test_normalise() -> None:
    assert normalise_order_number(" #a-1001 ") == "A-1001"


class _Counting:
    """The sample orders, counting what the shop is asked; ``down``: it cannot be reached."""

    def __init__(self, *, down: bool = False) -> None:
        self.asked: list[str] = []
        self._orders = CsvOrderLookup(SAMPLE_ORDERS)
        self._down = down

    async def find(self, number: str) -> Order | None:
        self.asked.append(number)
        if self._down:
            raise OrderLookupError("shop down")
        return await self._orders.find(number)


@pytest.mark.parametrize("down", [False, True])
async def test_a_turn_asks_the_shop_about_an_order_once(
    deps: Deps, engine: BuiltinEngine, down: bool
) -> None:
    # "A-1001" without the word order: reading the message asks the shop whether it is an
    # order, answering asks for its status; the shop hears it once either way.
    shop = _Counting(down=down)
    say = make_say(Dispatcher(deps=replace(deps, orders=shop), nlu=engine), "77", "Mia")
    replies = await say("hi, where is my A-1001 please?")
    assert shop.asked == ["A-1001"]
    text = " ".join(r.text for r in replies)
    # Down, the shop cannot confirm the number is an order: the customer is asked for it.
    assert ("JD014600003828" in text) is not down, text
    await say("and where is my A-1001 now?")
    assert shop.asked == ["A-1001", "A-1001"]  # once a turn: the next turn asks afresh


def test_order_numbers_in_dash_groups_and_named_after() -> None:
    numbers = OrderNumbers()
    # Asked for: "4471-22" as some shops print them; a date is no order number.
    assert [m.value for m in numbers.mentions("its 4471-22", expected=True)] == ["4471-22"]
    assert numbers.mentions("it came on 2026-11-20", expected=True) == []
    # Not asked for: a candidate the shop must know, not a certainty.
    assert [(m.value, m.certain) for m in numbers.mentions("its 4471-22")] == [("4471-22", False)]
    # Called an order after it, unasked: "77801这个单".
    assert [m.value for m in numbers.mentions("77801这个单咋还没到")] == ["77801"]


def test_a_lone_number_is_a_candidate_to_check() -> None:
    numbers = OrderNumbers()
    # Unasked and with no order word: a candidate the shop must confirm, not a certainty.
    (lone,) = numbers.mentions("tracking says delivered but i never got it. 55102")
    assert (lone.value, lone.certain) == ("55102", False)
    (zh,) = numbers.mentions("物流显示已签收 可我没收到 20451877")
    assert (zh.value, zh.certain) == ("20451877", False)
    # In dash groups, beside a complaint or a hazard: a candidate too.
    (grouped,) = numbers.mentions("the power bank from 7712-0042 is getting hot")
    assert (grouped.value, grouped.certain) == ("7712-0042", False)
    (grouped_zh,) = numbers.mentions("8830-1177 买的充电宝 充电的时候特别烫")
    assert (grouped_zh.value, grouped_zh.certain) == ("8830-1177", False)
    # A price, a capacity, a short number or a date are not candidates at all.
    assert numbers.mentions("is it $12000.50 or 10000 mah or 2026-11-20 or 123") == []
    # Counted in a list, "1.88231": the number after the list's "1." (not a decimal's digits).
    (listed,) = numbers.mentions("问几个事：1.88231到哪了 2.周六送货吗")
    assert (listed.value, listed.certain) == ("88231", False)
    assert numbers.mentions("it was $1.99999 or v2.12345 or 12.50000") == []


def test_order_numbers_said_in_words_spaced_or_hashed() -> None:
    numbers = OrderNumbers()

    def found(text: str, *, expected: bool = False) -> list[tuple[str, bool]]:
        return [(m.value, m.certain) for m in numbers.mentions(text, expected=expected)]

    # Said digit by digit, introduced by order words: certain; alone, a candidate.
    assert found("where is my order five five one two zero") == [("55120", True)]
    assert found("我的订单五五一二零到哪了") == [("55120", True)]
    assert found("五五一二零") == [("55120", False)]
    assert found("nine nine nine one one", expected=True) == [("99911", True)]
    # Typed in groups: an order number, not two short numbers.
    assert found("where is my order 55 120") == [("55120", True)]
    assert found("单号 55 120 到哪了") == [("55120", True)]
    # A hash before a letter-prefixed number.
    assert found("status of #A-7712 pls") == [("A-7712", True)]
    # Not a time, a phone number nor a mobile number in groups; a few number words are none.
    assert found("at 10 30 then") == []
    assert found("call me on 020 7946 0321") == []
    assert found("my number is 138 1234 5678") == []
    assert found("one two three") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("tracking says delivered but i never got it. 88231", "en"),
        ("物流显示已签收 可我压根没收到啊 88231", "zh"),
    ],
)
async def test_a_lone_number_the_shop_knows_goes_on_the_case(
    deps: Deps, engine: BuiltinEngine, text: str, language: str
) -> None:
    say = make_say(Dispatcher(deps=deps, nlu=engine), "78", "Mia", language)
    replies = " ".join(r.text for r in await say(text))
    customer = await deps.customers.find(ChannelIdentity("telegram", "78"))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert "88231" in case.summary, (case.summary, replies)
    assert "order number" not in replies and "订单号" not in replies


async def test_a_lone_number_the_shop_does_not_know_is_no_order(
    deps: Deps, engine: BuiltinEngine
) -> None:
    shop = _Counting()
    say = make_say(Dispatcher(deps=replace(deps, orders=shop), nlu=engine), "79", "Mia")
    replies = " ".join(r.text for r in await say("my parcel hasnt come, postcode 90210"))
    assert "90210" in shop.asked  # checked with the shop, which does not know it
    assert "order number" in replies  # so the order is still asked for


def test_a_short_number_said_as_the_orders_is_one() -> None:
    numbers = OrderNumbers()
    # Introduced by order words, a letter prefix with two or three digits is an order number.
    for text, value in [
        ("sent the toaster back 5 days ago order T-47 and the refund is still not here", "T-47"),
        ("烤面包机前几天退了 订单T-47 退款咋还没到", "T-47"),
        ("单号H52 钱还没到", "H52"),
    ]:
        assert [(m.value, m.certain) for m in numbers.mentions(text)] == [(value, True)], text
    # Not so introduced, it is no order number ("RTX40", "order in 2 days").
    assert numbers.mentions("is the RTX40 any good") == []
    assert numbers.mentions("my order in 2 days") == []
