"""The website widget with two workers behind Debian's nginx (deploy/nginx.conf, round robin),
started as deploy/bot@.service starts them, on PostgreSQL and Redis: a visitor's socket and
their second tab's requests land on either worker, yet each message is stored once and
answered once, in order, by one worker at a time; an agent's reply from the desk API of
either worker reaches the socket live; a kill -9 of the worker answering the visitor loses
nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import WebSocketException

from bot.web.auth import new_token, token_hash
from crm_memory import ChannelIdentity, Direction, SqlDatabase
from crm_memory import Message as StoredMessage
from tests.conftest import PG_URL, REDIS_URL, _fresh_postgres
from tests.ports import free_port
from tests.telegram.deployment import NGINX_SITE, ROOT, Nginx, nginx_binary, site_for, worker_env
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_health import ready_state

pytestmark = pytest.mark.skipif(
    not (PG_URL and REDIS_URL) or nginx_binary() is None,
    reason="the widget with several workers behind nginx: set TEST_DATABASE_URL and "
    "TEST_REDIS_URL (e.g. eval \"$(bench/services.sh start /tmp/svc)\") and install Debian's "
    "nginx (CI does all three)",
)

SHOP = "https://shop.example"
LEASE = 3  # seconds: the killed worker's visitor waits this long for the other one
# (channel, text): "s" the visitor's socket, "t" their second tab (HTTP, round robin over the
# workers). How people write, in English and Chinese; none asks for a person until PERSON.
BEFORE: list[tuple[str, str]] = [
    ("s", "hi"),
    ("s", "what time do u open tomorrow"),
    ("t", "do you ship to canada"),
    ("s", "how long does shipping take"),
    ("s", "运费多少钱啊"),
    ("t", "可以退货吗"),
]
PERSON = "I want to talk to a human please"
# Written across the kill -9 of the worker holding the visitor.
ACROSS: list[tuple[str, str]] = [
    ("s", "你们几点开门"),
    ("s", "周末也营业吗"),
    ("t", "whats ur return policy"),
    ("s", "do u sell kettles"),
    ("s", "how much is the kettle"),
    ("t", "ok thx"),
]


class Socket:
    """The visitor's page on a WebSocket through nginx, as widget.js keeps it: every message
    kept until acknowledged, and resent after a reconnect (to whichever worker nginx picks)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.token: str | None = None
        self.visitor = ""
        self.connections = 0
        self.live: list[dict[str, Any]] = []  # frames pushed after "ready", every connection
        self.refused: list[dict[str, Any]] = []
        self._unacked: dict[str, str] = {}
        self._acked: dict[str, asyncio.Event] = {}
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        # Held while a new connection resends what was not acknowledged: a message written
        # meanwhile goes after them, in the order written.
        self._sending = asyncio.Lock()

    async def open(self, within: float = 60.0) -> None:
        deadline = time.monotonic() + within
        while True:
            try:
                ws = await websockets.connect(self.url, origin=SHOP, open_timeout=5)  # type: ignore[arg-type]
                await ws.send(json.dumps({"token": self.token, "lang": "en"}))
                async with asyncio.timeout(15):
                    while True:
                        frame = json.loads(await ws.recv())
                        if frame["type"] == "ready":
                            break
                        self.live.append(frame)
                break
            except (OSError, WebSocketException, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        self.token, self.visitor = frame["token"], frame["visitor"]
        self.connections += 1
        async with self._sending:
            self._ws = ws
            for client_id, text in list(self._unacked.items()):  # as the page does
                with contextlib.suppress(WebSocketException, OSError):
                    await ws.send(json.dumps(self._frame_of(client_id, text)))

    def start(self) -> None:
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            assert self._ws is not None
            with contextlib.suppress(WebSocketException, OSError):
                async for raw in self._ws:
                    self._frame(json.loads(raw))
            await self.open()  # dropped (its worker was killed): reconnect through nginx

    def _frame(self, frame: dict[str, Any]) -> None:
        if frame["type"] == "ack":
            self._unacked.pop(frame["client_id"], None)
            self._acked[frame["client_id"]].set()
        elif frame["type"] == "refused":
            if frame["reason"] != "unavailable":
                self.refused.append(frame)
            else:  # not stored: sent again shortly, as the page does
                asyncio.get_running_loop().call_later(
                    0.5, lambda: asyncio.ensure_future(self._send(frame["client_id"]))
                )
        else:
            self.live.append(frame)

    @staticmethod
    def _frame_of(client_id: str, text: str) -> dict[str, str]:
        return {"type": "message", "client_id": client_id, "text": text}

    async def _send(self, client_id: str, text: str | None = None) -> None:
        async with self._sending:
            text = self._unacked.get(client_id) if text is None else text
            if text is None or self._ws is None:
                return
            with contextlib.suppress(WebSocketException, OSError):
                # Lost with the socket: resent when it is open again.
                await self._ws.send(json.dumps(self._frame_of(client_id, text)))

    async def say(self, client_id: str, text: str) -> None:
        """Send without waiting for anything (the visitor types fast)."""
        self._unacked[client_id] = text
        self._acked[client_id] = asyncio.Event()
        await self._send(client_id, text)

    async def acked(self, client_id: str, within: float = 60.0) -> None:
        async with asyncio.timeout(within):
            await self._acked[client_id].wait()

    def messages(self, sender: str) -> list[dict[str, Any]]:
        return [f for f in self.live if f["type"] == "message" and f["from"] == sender]

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._ws is not None:
            await self._ws.close()


class Tab:
    """The visitor's second tab: HTTP through nginx (each request to either worker), sending
    with the same retries as the page and long-polling the history."""

    def __init__(self, base: str, token: str) -> None:
        headers = {"X-Widget-Token": token, "Origin": SHOP}
        self.client = httpx.AsyncClient(base_url=base, headers=headers, timeout=30)
        self.seen: dict[int, dict[str, Any]] = {}

    async def say(self, client_id: str, text: str) -> None:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                answer = await self.client.post(
                    "/widget/api/messages", json={"client_id": client_id, "text": text}
                )
                if answer.status_code == 200:
                    assert answer.json()["type"] == "ack", answer.text
                    return
                assert answer.status_code in (502, 503, 504), answer.text
            await asyncio.sleep(0.2)
        raise AssertionError(f"{client_id} never acknowledged")

    async def long_poll(self) -> None:
        after = 0
        while True:
            try:
                answer = await self.client.get(
                    "/widget/api/history", params={"after": after, "wait": 5}
                )
            except httpx.TransportError:
                await asyncio.sleep(0.2)
                continue
            if answer.status_code != 200:
                await asyncio.sleep(0.2)
                continue
            for message in answer.json()["messages"]:
                self.seen[message["id"]] = message
                after = max(after, message["id"])


async def _worker(
    instance: int, api: BotApiStandIn, tmp_path: Path, hook: int, web: int
) -> asyncio.subprocess.Process:
    command, env = worker_env(
        instance,
        hook=hook,
        web=web,
        CRMBOT_TELEGRAM__TOKEN=api.token,
        CRMBOT_TELEGRAM__BASE_URL=api.base_url,
        CRMBOT_TELEGRAM__WEBHOOK_SECRET="widget-scale-secret",
        CRMBOT_TELEGRAM__SENT_JOURNAL=str(tmp_path / "sent-journal"),
        CRMBOT_STORAGE__DATABASE_URL=PG_URL,
        CRMBOT_STORAGE__REDIS_URL=REDIS_URL,
        CRMBOT_CONVERSATION__FLOOD_LIMIT="100000",
        CRMBOT_SCALE__LEASE_SECONDS=str(LEASE),
        CRMBOT_WEB__ENABLED="true",
        CRMBOT_WIDGET__ENABLED="true",
        CRMBOT_WIDGET__ALLOWED_ORIGINS=json.dumps([SHOP]),
        CRMBOT_WIDGET__VISITOR_MESSAGES_PER_MINUTE="1000",
        # One key for the visitors' tokens on every worker (README): a token one worker
        # issued is the same visitor on the other.
        CRMBOT_WIDGET__TOKEN_SECRET="widget-scale-token-secret",
        CRMBOT_MEDIA__CACHE_DIR=str(tmp_path / "media"),
        CRMBOT_LOGGING__LEVEL="INFO",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=open(tmp_path / f"worker{instance}.log", "wb"),  # noqa: SIM115, ASYNC230
    )


async def _until(done: Callable[[], bool], *, within: float) -> None:
    deadline = time.monotonic() + within
    while not done():
        assert time.monotonic() < deadline, "not in time"
        await asyncio.sleep(0.05)


async def _history(db: SqlDatabase, visitor: str) -> list[StoredMessage]:
    customer = await db.customers.find(ChannelIdentity("web", visitor))
    assert customer is not None
    return await db.messages.history(customer.id, limit=500)


async def _settled(db: SqlDatabase, visitor: str, inbound: int, within: float = 120.0) -> None:
    """Every stored message answered, every recorded reply published and marked sent."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        work = await db.workload.workload()
        if work.inbox_pending == 0 and not await db.messages.unsent():
            history = await _history(db, visitor)
            if sum(m.direction is Direction.IN for m in history) >= inbound:
                return
        await asyncio.sleep(0.3)
    raise AssertionError("the workers did not answer the visitor in time")


async def _holder(db: SqlDatabase, visitor: str, within: float = 5.0) -> int | None:
    """The pid of the worker holding the visitor's lease now (its name is host:pid:...);
    None when none is seen (nothing pending any more, or no leases at all)."""
    from sqlalchemy import text

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        async with db.connection() as c:
            row = (
                await c.execute(
                    text(
                        "SELECT holder FROM inbox_leases WHERE channel = 'web' AND chat = :chat"
                        " AND holder IS NOT NULL AND expires_at > now()"
                    ),
                    {"chat": visitor},
                )
            ).first()
        if row is not None:
            return int(str(row.holder).split(":")[1])
        await asyncio.sleep(0.01)
    return None


def test_the_shipped_site_upgrades_the_widget_socket() -> None:
    """The WebSocket goes through nginx only with the upgrade headers (the test below uses
    this very block)."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    block = re.search(r"location = /widget/ws \{(.*?)\}", site, re.S)
    assert block is not None
    body = block.group(1)
    assert "proxy_http_version 1.1;" in body
    assert "proxy_set_header Upgrade $http_upgrade;" in body
    assert re.search(r'proxy_set_header Connection "upgrade";', body)


async def test_a_visitor_on_two_workers_is_answered_once_in_order_through_a_kill_9(
    tmp_path: Path,
) -> None:
    db = await _fresh_postgres()
    import redis.asyncio as redis

    client_redis = redis.Redis.from_url(REDIS_URL)
    await client_redis.flushdb()
    await client_redis.aclose()
    api = BotApiStandIn()
    await api.start()
    hooks, webs = [free_port(), free_port()], [free_port(), free_port()]
    workers = [await _worker(i + 1, api, tmp_path, hooks[i], webs[i]) for i in range(2)]
    nginx = Nginx(tmp_path / "nginx")
    front = free_port()
    socket = Socket(f"ws://127.0.0.1:{front}/widget/ws")
    tab: Tab | None = None
    polling: asyncio.Task[None] | None = None
    try:
        for port in webs:
            await ready_state(f"http://127.0.0.1:{port}/readyz", want=200, within=300)
        nginx.start(site_for(hooks, webs, front), front)
        await socket.open()
        socket.start()
        tab = Tab(f"http://127.0.0.1:{front}", str(socket.token))
        polling = asyncio.create_task(tab.long_poll())
        visitor = socket.visitor
        ids = iter(f"m{n}" for n in range(1, 1000))

        async def write(lines: list[tuple[str, str]]) -> None:
            """Fast: socket messages back to back, a tab's message once the socket's before
            it are stored (so the order they were stored in is the order written)."""
            assert tab is not None
            sent: list[str] = []
            for where, text in lines:
                client_id = next(ids)
                if where == "s":
                    await socket.say(client_id, text)
                    sent.append(client_id)
                else:
                    for earlier in sent:
                        await socket.acked(earlier)
                    await tab.say(client_id, text)
            for earlier in sent:
                await socket.acked(earlier)

        # 1. Written fast from both tabs: answered once each, in order, replies live.
        await write(BEFORE)
        await _settled(db, visitor, len(BEFORE))
        await asyncio.sleep(1.0)
        history = await _history(db, visitor)
        replies = [m for m in history if m.direction is Direction.OUT]
        live_ids = {f["id"] for f in socket.messages("bot")}
        # Every reply reached the socket live, whichever worker answered (Redis pub/sub).
        assert {m.id for m in replies} <= live_ids, (
            [m.text for m in replies if m.id not in live_ids],
            (tmp_path / "worker1.log").read_text()[-3000:],
        )
        assert socket.connections == 1

        # 2. An agent answers from the desk API of each worker in turn: one of them is not
        # the worker holding the socket, and its reply (and "typing") reaches it live.
        await write([("s", PERSON)])
        await _settled(db, visitor, len(BEFORE) + 1)
        token = new_token("crm_")
        await db.accounts.add_token("Maria", token_hash=token_hash(token), scope="write")
        bearer = {"authorization": f"Bearer {token}"}
        (case,) = [
            c
            for c in await db.cases.all()
            if c.customer_id == (await _history(db, visitor))[0].customer_id
        ]
        for n, port in enumerate(webs, start=1):
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", headers=bearer, timeout=30
            ) as desk:
                if n == 1:
                    taken = await desk.post(f"/api/cases/{case.number}/take")
                    assert taken.status_code == 200, taken.text
                typing = await desk.post(f"/api/cases/{case.number}/typing")
                assert typing.status_code == 204, typing.text
                said = await desk.post(
                    f"/api/cases/{case.number}/reply", json={"text": f"Maria here ({n}) 您好"}
                )
                assert said.status_code == 200, said.text
        await _until(lambda: len(socket.messages("agent")) >= 2, within=15)
        assert [f["text"] for f in socket.messages("agent")] == [
            "Maria here (1) 您好",
            "Maria here (2) 您好",
        ]
        typing_frames = [f for f in socket.live if f["type"] == "typing" and f["from"] == "agent"]
        assert len(typing_frames) == 2, typing_frames
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{webs[1]}", headers=bearer, timeout=30
        ) as desk:
            handed = await desk.post(f"/api/cases/{case.number}/handback")
            assert handed.status_code == 200, handed.text

        # 3. The worker answering the visitor is killed (-9) while they write: the other
        # one continues once its lease expires; nothing lost, nothing twice, in order.
        before_kill = sum(m.direction is Direction.IN for m in await _history(db, visitor))
        first = [next(ids), next(ids)]
        for client_id, (_, text) in zip(first, ACROSS[:2], strict=True):
            await socket.say(client_id, text)
        pid = await _holder(db, visitor)
        victim = next((w for w in workers if w.pid == pid), workers[0])
        victim.send_signal(signal.SIGKILL)  # mid-stream: with the visitor's messages in hand
        for client_id in first:
            await socket.acked(client_id)
        await write(ACROSS[2:])
        total = before_kill + len(ACROSS)
        await _settled(db, visitor, total, within=120)
        await asyncio.sleep(1.5)  # a second answer, or a reply published twice, lands now
        assert victim.returncode in (None, -9)
        survivor = next(w for w in workers if w is not victim)
        assert survivor.returncode is None

        history = await _history(db, visitor)
        inbound = [m.text for m in history if m.direction is Direction.IN]
        expected = [t for _, t in BEFORE] + [PERSON] + [t for _, t in ACROSS]
        assert inbound == expected  # every message stored once, in the order written
        # Answered one at a time, in order: each message's replies before the next message
        # was handled (the agent's words follow the request for a person).
        kinds = "".join("i" if m.direction is Direction.IN else "o" for m in history)
        assert kinds.startswith("i") and "ii" not in kinds and kinds.endswith("o"), kinds
        work = await db.workload.workload()
        assert work.inbox_pending == 0 and work.inbox_failed == 0
        assert socket.refused == []
        # The long-polling tab saw every message of the conversation.
        everything = {m.id for m in history}
        await _until(lambda: everything <= set(tab.seen), within=15)
    finally:
        if polling is not None:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
        if tab is not None:
            await tab.client.aclose()
        await socket.close()
        for worker in workers:
            if worker.returncode is None:
                worker.terminate()
        for worker in workers:
            await worker.wait()
        nginx.stop()
        await api.stop()
        await db.dispose()

