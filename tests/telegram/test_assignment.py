"""Three agents with capacities and languages receive seven escalations through the Bot API
stand-in: who gets what, the queue, priority, capacity freed by a close, a transfer.

Wired by bot.app.build_telegram exactly as `python -m bot run` wires it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.app import Services, Stores, build_deps, build_sla, build_telegram
from bot.config import Settings
from bot.telegram_channel import TelegramChannel
from crm_memory import CaseStatus, Priority, SqlDatabase
from crm_memory.assignment import AgentStatus
from handlers.dispatcher import Dispatcher
from handlers.sla import SlaWatch
from tests.telegram.standin import BotApiStandIn, Sent

MARIA, LEE, ZHANG, STRANGER = 9001, 9002, 9003, 9004
AGENTS = -100500
# Customers 601..607: English, Chinese, English, Chinese, English, English, Chinese.
CUSTOMERS = [
    (601, "Anna", "en", "I want to talk to a human please"),
    (602, "王芳", "zh", "我要人工客服"),
    (603, "Ben", "en", "can i speak to a real person"),
    (604, "李雷", "zh", "转人工"),
    (605, "Cleo", "en", "let me talk to an agent pls"),
    (606, "Dev", "en", "get me a human now"),
    (607, "张伟", "zh", "我要找人工，机器人听不懂"),
]


@pytest.fixture
async def channel(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> AsyncIterator[TelegramChannel]:
    settings = Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_url},
        agents={"chat_id": AGENTS, "user_ids": [MARIA, LEE, ZHANG, STRANGER], "capacity": 2},
    )
    store = sqlite_db.assignment
    # Set by a lead: `python -m bot agents set maria --skills en --telegram 9001`, ...
    await store.set_profile("maria", skills=("en",), telegram_user_id=MARIA)
    await store.set_profile("lee", capacity=1, skills=("en",), telegram_user_id=LEE)
    await store.set_profile("zhang", skills=("zh", "en"), telegram_user_id=ZHANG)
    deps = dispatcher.deps
    # The handlers' fixture has no router: wire the one bot.app builds from the settings.
    built = build_deps(settings, Stores(db=sqlite_db, state=deps.state))
    dispatcher.deps = replace(deps, router=built.router)
    services = Services(stores=Stores(db=sqlite_db, state=deps.state), dispatcher=dispatcher)
    ch = build_telegram(settings, services, poll_timeout=0)
    await ch.start()
    yield ch
    await ch.stop()


def _post_of(api: BotApiStandIn, number: int) -> Sent:
    (post,) = [s for s in api.to(AGENTS) if s.text.startswith(f"🆘 Case #{number} ")]
    return post


async def test_seven_escalations_three_agents(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    cases, store = sqlite_db.cases, sqlite_db.assignment

    async def owners() -> dict[int, str | None]:
        return {c.number: c.owner for c in await cases.all() if c.status is not CaseStatus.CLOSED}

    # A member whose Telegram account no lead linked is told how, and nothing changes.
    api.agent_says(STRANGER, AGENTS, "/online", name="Sam")
    await channel.poll_once()
    assert api.to(AGENTS)[-1].text == (
        "⚠️ your Telegram account is not linked to an agent: a lead runs "
        f"`python -m bot agents set NAME --telegram {STRANGER}`"
    )
    assert len(await store.profiles()) == 3
    api.agent_says(MARIA, AGENTS, "/online", name="Maria")
    api.agent_says(ZHANG, AGENTS, "/online", name="Zhang")
    await channel.poll_once()
    assert api.to(AGENTS)[-2].text == "maria is online."  # named as her linked account
    assert (await store.profile("lee")).status is AgentStatus.OFFLINE  # type: ignore[union-attr]

    for user, name, language, text in CUSTOMERS:
        api.customer_says(user, text, name=name, language=language)
        await channel.poll_once()
    numbers = sorted(c.number for c in await cases.all())
    assert len(numbers) == 7, [s.text for s in api.sent]
    e1, e2, e3, e4, e5, e6, e7 = numbers

    # Round robin by language within capacity 2: Maria (en) and Zhang (zh, en) fill up.
    assert await owners() == {
        e1: "maria",
        e2: "zhang",
        e3: "maria",
        e4: "zhang",
        e5: None,
        e6: None,
        e7: None,
    }
    group = [s.text for s in api.to(AGENTS)]
    assert f"👤 #{e1} is assigned to maria (auto)." in group
    assert f"👤 #{e2} is assigned to zhang (auto)." in group
    # Each in its case's thread: a reply to the case post, after it.
    for number, name in ((e1, "maria"), (e2, "zhang")):
        (named,) = [
            s for s in api.to(AGENTS) if s.text == f"👤 #{number} is assigned to {name} (auto)."
        ]
        post = _post_of(api, number)
        assert named.params["reply_parameters"]["message_id"] == post.message_id
        assert named.message_id > post.message_id
    assert f"⏳ #{e5} waits in the queue: no online agent who speaks en has room." in group
    assert f"⏳ #{e7} waits in the queue: no online agent who speaks zh has room." in group
    assert (await store.waiting()) and len(await store.waiting()) == 3

    # A lead raises #6: when Lee (en, capacity 1) comes online he gets it before the older #5.
    await cases.update(e6, priority=Priority.HIGH)
    api.agent_says(LEE, AGENTS, "/online", name="Lee")
    await channel.poll_once()
    assert (await owners())[e6] == "lee" and (await owners())[e5] is None

    # Maria answers and closes #1: her freed slot goes to the waiting English case #5.
    api.agent_says(
        MARIA, AGENTS, "Hi Anna, Maria here, how can I help?", reply_to=_post_of(api, e1)
    )
    api.agent_says(MARIA, AGENTS, "/close", reply_to=_post_of(api, e1))
    await channel.poll_once()
    assert api.to(601)[-2].text == "Hi Anna, Maria here, how can I help?"
    assert (await owners())[e5] == "maria"
    assert (await owners())[e7] is None  # Chinese: still waiting for Zhang

    # Zhang answers #4, then transfers it to Maria: the customer hears who joined, and Zhang's
    # freed slot goes to the waiting Chinese case #7.
    api.agent_says(ZHANG, AGENTS, "您好，我是小张", reply_to=_post_of(api, e4))
    await channel.poll_once()
    api.agent_says(ZHANG, AGENTS, "/transfer Maria", reply_to=_post_of(api, e4))
    await channel.poll_once()
    assert (await owners())[e4] == "maria" and (await owners())[e7] == "zhang"
    group = [s.text for s in api.to(AGENTS)]
    assert f"🔀 #{e4} transferred to maria by zhang." in group
    assert f"👤 #{e7} is assigned to zhang (auto)." in group
    assert "Maria" in api.to(604)[-1].text  # the join notice, in Chinese
    # A name nobody has is refused with the agents one can name.
    api.agent_says(ZHANG, AGENTS, "/transfer bob", reply_to=_post_of(api, e2))
    await channel.poll_once()
    assert api.to(AGENTS)[-1].text.startswith("⚠️ no agent named 'bob'; agents: lee, maria")

    # Every change of hands is on record: who, by whom, why.
    record = await store.assignments(e4)
    assert [(a.agent, a.assigned_by, a.reason) for a in record] == [
        ("zhang", "auto", "auto"),
        ("maria", "zhang", "transfer"),
    ]
    record = await store.assignments(e1)
    assert [(a.agent, a.assigned_by, a.reason) for a in record] == [
        ("maria", "auto", "auto"),
        (None, "maria", "closed"),
    ]
    assert await store.load() == {"maria": 3, "lee": 1, "zhang": 2}


async def test_sla_warning_and_breach_reach_the_group_once(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase, dispatcher: Dispatcher
) -> None:
    api.customer_says(602, "我要人工客服", name="王芳", language="zh")
    await channel.poll_once()
    (case,) = await sqlite_db.cases.all()
    assert case.escalated_at is not None
    now = [case.escalated_at]
    settings = Settings(agents={"chat_id": AGENTS})  # default SLA: normal, 60 min first answer
    watch = build_sla(settings, Services(Stores(sqlite_db, dispatcher.deps.state), dispatcher))
    watch = SlaWatch(
        store=sqlite_db.assignment,
        policy=watch.policy,
        hours=None,  # always open: the default agents.hours
        clock=lambda: now[0],
    )
    desk = dispatcher.deps.desk
    assert desk is not None

    async def at(minutes: int) -> list[str]:
        now[0] = case.escalated_at + timedelta(minutes=minutes)  # type: ignore[operator]
        await watch.check(desk)
        return [s.text for s in api.to(AGENTS) if "SLA" in s.text]

    assert await at(47) == []
    warned = await at(48)
    assert warned == [
        f"⚠️ SLA: #{case.number} (normal) first response due in 12 working min (48 of 60 used)"
        " · unassigned"
    ]
    assert await at(59) == warned
    breached = await at(60)
    assert breached[1].startswith(f"🚨 SLA breached: #{case.number} (normal) first response")
    assert await at(90) == breached
