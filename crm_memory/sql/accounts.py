"""Desk accounts, API tokens, browser sessions and the audit log, in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from crm_memory.errors import AlreadyExists, InvalidInput, NotFound
from crm_memory.sql._models import AgentAccountRow, ApiTokenRow, AuditRow, WebSessionRow, now
from crm_memory.types import AgentAccount, ApiToken, AuditEntry, Role
from crm_memory.validation import check_name

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase


def _account(row: AgentAccountRow) -> AgentAccount:
    return AgentAccount(row.id, row.name, Role(row.role), row.active, row.created_at)


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(row.id, row.name, row.scope, row.created_at, row.revoked_at, row.last_used_at)


class SqlAccountStore:
    """Who may use the desk and the API, and their signed-in browsers."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def add_agent(self, name: str, *, password_hash: str, role: Role) -> AgentAccount:
        """Raises InvalidInput for a blank name or one with control characters (stored as
        ``normalise_name`` gives it), AlreadyExists when it is taken."""
        name = check_name(name)
        async with self._db.session() as s:
            row = AgentAccountRow(
                name=name,
                password_hash=password_hash,
                role=role.value,
                active=True,
                created_at=now(),
            )
            s.add(row)
            try:
                await s.commit()
            except IntegrityError:
                raise AlreadyExists(f"an agent named {name!r} exists already") from None
            return _account(row)

    async def agent(self, name: str) -> tuple[AgentAccount, str] | None:
        """The account and its password hash, or None (also for a name no account can have)."""
        try:
            name = check_name(name)
        except InvalidInput:
            return None
        async with self._db.session() as s:
            row = await s.scalar(select(AgentAccountRow).where(AgentAccountRow.name == name))
            return (_account(row), row.password_hash) if row is not None else None

    async def agents(self) -> list[AgentAccount]:
        async with self._db.session() as s:
            rows = await s.scalars(select(AgentAccountRow).order_by(AgentAccountRow.name))
            return [_account(r) for r in rows]

    async def set_password(self, name: str, password_hash: str) -> None:
        name = check_name(name)
        async with self._db.session() as s:
            result = await s.execute(
                update(AgentAccountRow)
                .where(AgentAccountRow.name == name)
                .values(password_hash=password_hash)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                raise NotFound(f"no agent named {name!r}")
            await s.commit()

    async def deactivate(self, name: str) -> None:
        """The agent can no longer sign in; their sessions end."""
        name = check_name(name)
        async with self._db.session() as s:
            row = await s.scalar(select(AgentAccountRow).where(AgentAccountRow.name == name))
            if row is None:
                raise NotFound(f"no agent named {name!r}")
            row.active = False
            await s.execute(delete(WebSessionRow).where(WebSessionRow.agent_id == row.id))
            await s.commit()

    async def add_token(self, name: str, *, token_hash: str, scope: str) -> ApiToken:
        name = check_name(name)
        async with self._db.session() as s:
            row = ApiTokenRow(name=name, token_hash=token_hash, scope=scope, created_at=now())
            s.add(row)
            await s.commit()
            return _token(row)

    async def token(self, token_hash: str) -> ApiToken | None:
        """The live (not revoked) token with this hash, noting its use."""
        async with self._db.session() as s:
            row = await s.scalar(
                select(ApiTokenRow).where(
                    ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None)
                )
            )
            if row is None:
                return None
            row.last_used_at = now()
            await s.commit()
            return _token(row)

    async def tokens(self) -> list[ApiToken]:
        async with self._db.session() as s:
            return [
                _token(r) for r in await s.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))
            ]

    async def revoke_token(self, token_id: int) -> None:
        async with self._db.session() as s:
            row = await s.get(ApiTokenRow, token_id)
            if row is None:
                raise NotFound(f"no token with id {token_id}")
            if row.revoked_at is None:
                row.revoked_at = now()
                await s.commit()

    async def start_session(
        self, agent_id: int, *, token_hash: str, csrf: str, expires_at: datetime
    ) -> None:
        async with self._db.session() as s:
            s.add(
                WebSessionRow(
                    token_hash=token_hash,
                    agent_id=agent_id,
                    csrf=csrf,
                    created_at=now(),
                    expires_at=expires_at,
                )
            )
            await s.commit()

    async def session(self, token_hash: str) -> tuple[AgentAccount, str] | None:
        """The signed-in account and the session's CSRF token; None when unknown or over."""
        async with self._db.session() as s:
            found = (
                await s.execute(
                    select(WebSessionRow, AgentAccountRow)
                    .join(AgentAccountRow, AgentAccountRow.id == WebSessionRow.agent_id)
                    .where(WebSessionRow.token_hash == token_hash)
                )
            ).one_or_none()
            if found is None:
                return None
            session, account = found
            if session.expires_at <= now() or not account.active:
                await s.delete(session)
                await s.commit()
                return None
            return _account(account), session.csrf

    async def end_session(self, token_hash: str) -> None:
        async with self._db.session() as s:
            await s.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))
            await s.commit()


class SqlAuditLog:
    """Append-only record of who saw, exported or erased which customer's data."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def write(
        self, *, actor: str, action: str, customer_id: int | None = None, detail: str = ""
    ) -> None:
        async with self._db.session() as s:
            s.add(
                AuditRow(
                    at=now(),
                    actor=actor,
                    action=action,
                    customer_id=customer_id,
                    detail=detail[:300],
                )
            )
            await s.commit()

    async def entries(
        self, *, customer_id: int | None = None, limit: int = 100
    ) -> list[AuditEntry]:
        """Newest first."""
        query = select(AuditRow)
        if customer_id is not None:
            query = query.where(AuditRow.customer_id == customer_id)
        async with self._db.session() as s:
            rows = await s.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
            return [
                AuditEntry(r.id, r.at, r.actor, r.action, r.customer_id, r.detail) for r in rows
            ]
