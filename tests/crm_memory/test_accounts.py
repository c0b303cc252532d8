"""AccountStore and the audit log on every SQL backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import AlreadyExists, InvalidInput, NotFound, Role, SqlDatabase


class TestAccountStore:
    async def test_agents(self, db: SqlDatabase) -> None:
        maria = await db.accounts.add_agent("maria", password_hash="h1", role=Role.LEAD)
        with pytest.raises(AlreadyExists):
            await db.accounts.add_agent("maria", password_hash="h2", role=Role.AGENT)
        found = await db.accounts.agent("maria")
        assert found == (maria, "h1") and maria.role is Role.LEAD and maria.active
        assert await db.accounts.agent("nobody") is None
        await db.accounts.set_password("maria", "h3")
        assert (await db.accounts.agent("maria")) == (maria, "h3")
        with pytest.raises(NotFound):
            await db.accounts.set_password("nobody", "h")
        with pytest.raises(NotFound):
            await db.accounts.deactivate("nobody")

    @pytest.mark.parametrize("bad", ["   ", "li\x00wei", "li\nwei", "\u200b", "x" * 101])
    async def test_a_blank_or_odd_name_is_refused_and_finds_no_one(
        self, db: SqlDatabase, bad: str
    ) -> None:
        # PostgreSQL refuses NUL in text: the same InvalidInput on both, never a driver error.
        with pytest.raises(InvalidInput) as refused:
            await db.accounts.add_agent(bad, password_hash="h", role=Role.AGENT)
        assert refused.value.field == "name"
        with pytest.raises(InvalidInput):
            await db.accounts.add_token(bad, token_hash="t", scope="read")
        assert await db.accounts.agent(bad) is None
        assert await db.accounts.agents() == []

    async def test_names_are_normalised_once(self, db: SqlDatabase) -> None:
        li = await db.accounts.add_agent("  Li \u3000 Wei ", password_hash="h", role=Role.AGENT)
        assert li.name == "Li Wei"
        found = await db.accounts.agent("Li  Wei ")
        assert found is not None and found[0].id == li.id
        with pytest.raises(AlreadyExists):
            await db.accounts.add_agent("Li Wei", password_hash="h", role=Role.AGENT)
        # One form of the same letters: an é typed as e + accent is the é stored.
        rene = await db.accounts.add_agent("Rene\u0301", password_hash="h", role=Role.AGENT)
        assert rene.name == "René" and await db.accounts.agent("René") is not None
        fullwidth = await db.accounts.agent("Ｌｉ　Ｗｅｉ")  # typed with a Chinese IME
        assert fullwidth is not None and fullwidth[0].id == li.id
        await db.accounts.deactivate(" Li Wei")
        assert [a.active for a in await db.accounts.agents() if a.name == "Li Wei"] == [False]

    async def test_sessions_end_on_expiry_and_deactivation(self, db: SqlDatabase) -> None:
        maria = await db.accounts.add_agent("maria", password_hash="h", role=Role.AGENT)
        later = datetime.now(UTC) + timedelta(hours=1)
        await db.accounts.start_session(maria.id, token_hash="s1", csrf="c1", expires_at=later)
        past = datetime.now(UTC) - timedelta(seconds=1)
        await db.accounts.start_session(maria.id, token_hash="s2", csrf="c2", expires_at=past)
        assert await db.accounts.session("s1") == (maria, "c1")
        assert await db.accounts.session("s2") is None
        assert await db.accounts.session("unknown") is None
        await db.accounts.end_session("s1")
        assert await db.accounts.session("s1") is None
        await db.accounts.start_session(maria.id, token_hash="s3", csrf="c3", expires_at=later)
        await db.accounts.deactivate("maria")
        assert await db.accounts.session("s3") is None

    async def test_tokens(self, db: SqlDatabase) -> None:
        token = await db.accounts.add_token("shop", token_hash="t1", scope="write")
        used = await db.accounts.token("t1")
        assert used is not None and used.scope == "write" and used.last_used_at is not None
        assert await db.accounts.token("t2") is None
        await db.accounts.revoke_token(token.id)
        await db.accounts.revoke_token(token.id)  # twice is fine
        assert await db.accounts.token("t1") is None
        assert (await db.accounts.tokens())[0].revoked_at is not None
        with pytest.raises(NotFound):
            await db.accounts.revoke_token(999)


async def test_audit_log_newest_first_and_by_customer(db: SqlDatabase) -> None:
    await db.audit.write(actor="maria", action="view", customer_id=1, detail="profile")
    await db.audit.write(actor="lee", action="export", customer_id=2)
    await db.audit.write(actor="ada", action="erase", customer_id=1, detail="x" * 500)
    entries = await db.audit.entries()
    assert [(e.actor, e.action) for e in entries] == [
        ("ada", "erase"),
        ("lee", "export"),
        ("maria", "view"),
    ]
    assert len(entries[0].detail) == 300
    assert [e.action for e in await db.audit.entries(customer_id=1)] == ["erase", "view"]
    assert len(await db.audit.entries(limit=1)) == 1
