"""What a long-running process remembers per website visitor shrinks again after they leave:
topics of closed sockets, expired rate counters, visitors linked to their customer."""

from __future__ import annotations

import asyncio

from bot.web.widget import SocketCounts
from bot.web_channel import Visitor, WebChannel, visitor_key
from crm_memory import MemoryConversationState, SqlDatabase
from crm_memory.state import SWEEP_SECONDS
from handlers.dispatcher import Dispatcher
from tests.bot import test_widget
from tests.bot.test_widget import Widget, _next

widget = test_widget.widget  # the same served widget fixture


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _channel(dispatcher: Dispatcher, db: SqlDatabase, state: MemoryConversationState) -> WebChannel:
    return WebChannel(
        dispatcher=dispatcher,
        inbox=db.inbox,
        customers=db.customers,
        messages=db.messages,
        state=state,
        linked_max=3,
    )


async def test_topics_and_counters_of_gone_visitors_are_dropped(
    dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    clock = Clock()
    state = MemoryConversationState(clock=clock)
    channel = _channel(dispatcher, sqlite_db, state)
    visitors = [Visitor(visitor_key(f"token-{n}")) for n in range(50)]
    sockets = [channel.events(v) for v in visitors]
    waiting = [asyncio.ensure_future(anext(s)) for s in sockets]
    await asyncio.sleep(0)
    for visitor in visitors:
        assert await channel.allow(f"v:{visitor.key}", 20)
    assert len(state._subscribers) == 50 and len(state._counters) == 50
    # The visitors leave: their sockets close.
    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)
    for socket in sockets:
        await socket.aclose()  # type: ignore[attr-defined]
    assert state._subscribers == {}
    # A minute later the next visitor's message sweeps the expired counters.
    clock.now += max(60.0, SWEEP_SECONDS) + 1
    assert await channel.allow("v:newcomer", 20)
    assert list(state._counters) == ["widget:rate:v:newcomer"]


async def test_linked_visitors_are_remembered_up_to_a_bound(
    dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel = _channel(dispatcher, sqlite_db, MemoryConversationState())
    for n in range(10):
        user = f"shop-{n}"
        await channel.link(Visitor(f"u:{user}", user_id=user))
    assert list(channel._linked) == ["u:shop-7", "u:shop-8", "u:shop-9"]
    # One forgotten comes back: the same customer, found again, not a new one.
    again = await channel.link(Visitor("u:shop-0", user_id="shop-0"))
    assert again is not None
    assert len(await sqlite_db.customers.all_customers()) == 10


async def test_sockets_are_capped_per_visitor_and_address_and_counts_drop_to_nothing(
    widget: Widget,
) -> None:
    first = await widget.open({"token": None})
    token = (await _next(first, "ready"))["token"]
    # The same visitor in many tabs: up to the cap (10), then told why.
    tabs = [first]
    for _ in range(9):
        tab = await widget.open({"token": token})
        await _next(tab, "ready")
        tabs.append(tab)
    extra = await widget.open({"token": token})
    refused = await _next(extra, "error")
    assert refused["code"] == "sockets"
    await extra.close()
    # Another visitor from the same address still gets in (the address cap is 50).
    other = await widget.open({"token": None})
    await _next(other, "ready")
    tabs.append(other)
    for tab in tabs:
        await tab.close()
    counts = await _counts(widget)
    assert counts.by_visitor == {} and counts.by_address == {}


async def _counts(widget: Widget) -> SocketCounts:
    """The widget's socket counts once the server has seen every close."""
    for _ in range(100):
        counts = widget.sockets
        if not counts.by_visitor and not counts.by_address:
            return counts
        await asyncio.sleep(0.05)
    return widget.sockets
