"""Per-chat leases on the shared inbox and the poller's advisory lock, on real PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from crm_memory import ChannelIdentity, CrmError, SqlDatabase
from crm_memory.sql.leases import SqlInboxClaims
from tests.conftest import PG_URL, _fresh_postgres

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="leases need PostgreSQL: set TEST_DATABASE_URL (CI does)"
)

CH = "telegram"


@pytest.fixture
async def pg() -> AsyncIterator[SqlDatabase]:
    database = await _fresh_postgres()
    yield database
    await database.dispose()


async def _store(db: SqlDatabase, *rows: tuple[int, str]) -> None:
    for update_id, chat in rows:
        await db.inbox.put(CH, update_id, f'{{"n": {update_id}}}', sender=chat, chat=chat)


async def test_each_chat_goes_to_one_worker_oldest_first(pg: SqlDatabase) -> None:
    await _store(pg, (1, "anna"), (2, "boris"), (3, "anna"), (4, "chen"), (5, "dana"))
    a, b = pg.claims(lease_seconds=30), pg.claims(lease_seconds=30)
    first, second = await asyncio.gather(
        a.claim(CH, "w1", limit=2), b.claim(CH, "w2", limit=10)
    )
    chats1, chats2 = [c.chat for c in first], [c.chat for c in second]
    assert not set(chats1) & set(chats2)  # no chat to both
    assert sorted(chats1 + chats2) == ["anna", "boris", "chen", "dana"]
    # Nothing is left for a third worker while the leases last.
    assert await a.claim(CH, "w3", limit=10) == []
    # A worker sees only its own chats' rows, in inbox order.
    holder = "w1" if "anna" in chats1 else "w2"
    other = "w2" if holder == "w1" else "w1"
    assert [i.update_id for i in await a.pending(CH, "anna", holder)] == [1, 3]
    assert await a.pending(CH, "anna", other) == []


async def test_a_chat_is_released_only_when_nothing_of_it_is_pending(pg: SqlDatabase) -> None:
    await _store(pg, (1, "anna"))
    claims = pg.claims(lease_seconds=30)
    assert [c.chat for c in await claims.claim(CH, "w1", limit=5)] == ["anna"]
    await _store(pg, (2, "anna"))  # arrives while w1 works the chat
    await pg.inbox.done(CH, 1)
    assert await claims.release(CH, "anna", "w1") is False  # 2 is pending: keep going
    assert [i.update_id for i in await claims.pending(CH, "anna", "w1")] == [2]
    await pg.inbox.done(CH, 2)
    assert await claims.release(CH, "anna", "w1") is True
    await _store(pg, (3, "anna"))
    # Free again: another worker takes it, as a free chat (nobody's work to continue).
    claimed = await claims.claim(CH, "w2", limit=5)
    assert [(c.chat, c.taken_from) for c in claimed] == [("anna", None)]


async def test_a_dead_workers_chat_goes_to_another_after_its_lease(pg: SqlDatabase) -> None:
    await _store(pg, (1, "anna"), (2, "boris"))
    short = pg.claims(lease_seconds=1)
    assert {c.chat for c in await short.claim(CH, "dead", limit=5)} == {"anna", "boris"}
    assert await short.renew(CH, "dead", {"anna"}) == {"anna"}
    assert await short.claim(CH, "alive", limit=5) == []  # still leased
    await asyncio.sleep(1.3)
    claimed = await short.claim(CH, "alive", limit=5)
    assert sorted((c.chat, c.taken_from) for c in claimed) == [
        ("anna", "dead"),
        ("boris", "dead"),
    ]
    # The stalled worker, back, learns it lost them: no renewal, no rows, release is moot.
    assert await short.renew(CH, "dead", {"anna", "boris"}) == set()
    assert await short.pending(CH, "anna", "dead") == []
    assert await short.release(CH, "anna", "dead") is True
    assert [i.update_id for i in await short.pending(CH, "anna", "alive")] == [1]


async def test_a_gone_workers_leases_can_be_ended_at_once(pg: SqlDatabase) -> None:
    await _store(pg, (1, "anna"), (2, "boris"))
    claims = pg.claims(lease_seconds=600)
    await claims.claim(CH, "gone", limit=1)
    await claims.claim(CH, "live", limit=1)
    assert await claims.holders(CH) == {"gone", "live"}
    assert await claims.expire(CH, "gone") == 1
    (taken,) = await claims.claim(CH, "new", limit=5)
    assert taken.taken_from == "gone"
    assert await claims.claim(CH, "new2", limit=5) == []  # live's lease stands


async def test_claims_need_postgresql() -> None:
    db = SqlDatabase("sqlite+aiosqlite:///:memory:")
    try:
        with pytest.raises(CrmError, match="PostgreSQL"):
            SqlInboxClaims(db, lease_seconds=5)
    finally:
        await db.dispose()


async def test_one_poller_at_a_time_and_another_takes_over_when_it_dies(
    pg: SqlDatabase,
) -> None:
    other = SqlDatabase(PG_URL)
    try:
        first, second = pg.leader_lock(4242), other.leader_lock(4242)
        assert await first.acquire() is True
        assert await second.acquire() is False
        assert await first.acquire() is True and await first.held()
        # A standby keeps its one session between tries, and both sessions tell the server
        # to notice a vanished machine within seconds.
        standby = second._conn
        assert await second.acquire() is False and second._conn is standby is not None
        idle = await standby.scalar(text("SHOW tcp_keepalives_idle"))
        assert idle == "10"
        # The holder's connection dies (its process was killed): the server frees the lock.
        async with other.engine.begin() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = "
                    "'advisory' AND objid = 4242 AND granted AND pid <> pg_backend_pid()"
                )
            )
        assert await first.held() is False
        assert await second.acquire() is True
        assert await first.acquire() is False  # reconnected, and it is taken
        await second.release()
        assert await first.acquire() is True
        await first.release()
    finally:
        await other.dispose()


async def test_an_erased_customers_chat_leaves_no_lease_behind(pg: SqlDatabase) -> None:
    customer, _ = await pg.customers.get_or_create(
        ChannelIdentity(CH, "90001"), display_name="Quentin"
    )
    await _store(pg, (1, "90001"), (2, "90002"))
    claims = pg.claims(lease_seconds=30)
    assert {c.chat for c in await claims.claim(CH, "w1", limit=5)} == {"90001", "90002"}
    assert await pg.customers.forget(customer.id)
    # Their chat id is theirs: no lease row keeps it; the other chat's lease stays.
    assert await claims.renew(CH, "w1", {"90001", "90002"}) == {"90002"}
    assert await claims.holders(CH) == {"w1"}
    assert await claims.pending(CH, "90001", "w1") == []
