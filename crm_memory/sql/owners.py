"""Who answers each chat, in SQL: the bot process, the desk process and a Redis restart agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from crm_memory.sql._models import ChatOwnerRow, now
from crm_memory.types import ChatOwner

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase


# Read once per turn: built once, run on the driver (crm_memory.sql.hot).
_OWNER = select(ChatOwnerRow.agent, ChatOwnerRow.case_number, ChatOwnerRow.claimed_at).where(
    ChatOwnerRow.chat == bindparam("chat")
)


class SqlChatOwnerStore:
    """Chat owners as rows: a row names the agent and case; no row means the bot answers."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def owner(self, chat: str) -> ChatOwner:
        async with self._db.connection() as s:
            row = await self._db.hot.first(s, _OWNER, {"chat": chat})
        if row is None:
            return ChatOwner()
        return ChatOwner(agent=row[0], case_number=row[1], since=row[2])

    async def claim(self, chat: str, owner: ChatOwner, *, force: bool = False) -> bool:
        if owner.agent is None:
            raise ValueError("claim a chat for an agent; use release() to give it to the bot")
        values = {
            "agent": owner.agent,
            "case_number": owner.case_number,
            "claimed_at": owner.since or now(),
        }
        async with self._db.connection() as s:
            if force:
                changed = await s.execute(
                    update(ChatOwnerRow).where(ChatOwnerRow.chat == chat).values(**values)
                )
                if changed.rowcount:
                    await s.commit()
                    return True
            try:
                await s.execute(insert(ChatOwnerRow).values(chat=chat, **values))
                await s.commit()
            except IntegrityError:
                # Someone claimed it first (without force), or at the same moment (with it).
                await s.rollback()
                if not force:
                    return False
                await s.execute(
                    update(ChatOwnerRow).where(ChatOwnerRow.chat == chat).values(**values)
                )
                await s.commit()
            return True

    async def release(self, chat: str) -> None:
        async with self._db.connection() as s:
            await s.execute(delete(ChatOwnerRow).where(ChatOwnerRow.chat == chat))
            await s.commit()
