"""`python -m bot web` (the desk alone) and website visitors: their sockets are `run`'s, so a
reply reaches them only through Redis; without it the reply waits, never marked sent unseen."""

from __future__ import annotations

import pytest

from bot.app import Services, Stores, build_widget, desk_outbox
from bot.config import Settings
from bot.web_channel import Visitor, visitor_key
from crm_memory import SqlDatabase
from handlers.agents import AgentService, NotSent
from handlers.dispatcher import Dispatcher


@pytest.mark.parametrize("redis", [False, True])
async def test_a_desk_reply_to_a_visitor_is_marked_sent_only_when_it_can_reach_them(
    dispatcher: Dispatcher, sqlite_db: SqlDatabase, redis: bool
) -> None:
    # The URL is only read to wire the outbox; the state here stays the in-process one.
    storage = {"redis_url": "redis://127.0.0.1:6379/0"} if redis else {}
    settings = Settings(storage=storage, widget={"enabled": True})
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    web = build_widget(settings, services)
    agents = AgentService(deps=dispatcher.deps, outbox=desk_outbox(settings, web))
    visitor = Visitor(visitor_key("a-visitors-token"))
    await web.receive(visitor, client_id="1", text="I want to talk to a human please")
    await web.idle()
    case = (await sqlite_db.cases.all())[0]
    if redis:
        await agents.reply(case.number, "Li", "Hi, Li here.")
    else:
        with pytest.raises(NotSent):
            await agents.reply(case.number, "Li", "Hi, Li here.")
    unsent = [m.text for m in await sqlite_db.messages.unsent() if m.channel == "web"]
    if redis:
        assert unsent == []
    else:
        assert unsent  # stored, waiting for `run` (the visitor reads it in their history)
