"""The MediaStore in SQL: messages' attachments, and how erasure and retention forget them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Update

from crm_memory.errors import NotFound
from crm_memory.media import Attachment, Media, MediaKind
from crm_memory.sql._models import MediaRow, MessageRow

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase

# What identifies the file or repeats the customer's words; kind, size and mime type stay
# (the shape of the history, like a message's time and intent).
_FORGET: dict[str, object] = {
    "file_id": "",
    "file_unique_id": "",
    "file_name": None,
    "caption": "",
    "details": {},
    "source": None,
    "forgotten": True,
}


def forget_customer(customer_id: int) -> Update:
    """The statement erasure runs in its transaction: a customer's media forgotten."""
    return update(MediaRow).where(MediaRow.customer_id == customer_id).values(_FORGET)


def forget_older_than(older_than: datetime) -> Update:
    """The statement retention runs: media older than the limit forgotten."""
    return (
        update(MediaRow)
        .where(MediaRow.created_at < older_than, MediaRow.forgotten.is_(False))
        .values(_FORGET)
    )


def _media(row: MediaRow) -> Media:
    return Media(
        id=row.id,
        message_id=row.message_id,
        customer_id=row.customer_id,
        case_number=row.case_number,
        created_at=row.created_at,
        forgotten=row.forgotten,
        attachment=Attachment(
            kind=MediaKind(row.kind),
            file_id=row.file_id,
            file_unique_id=row.file_unique_id,
            mime_type=row.mime_type,
            size=row.size,
            file_name=row.file_name,
            caption=row.caption,
            details=dict(row.details or {}),
            source=row.source,
        ),
    )


class SqlMediaStore:
    """The MediaStore over one SqlDatabase."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def add(
        self, *, message_id: int, customer_id: int, attachment: Attachment, case_number: int | None
    ) -> Media:
        async with self._db.session() as s:
            existing = await self._by_message(s, message_id)
            if existing is not None:
                return _media(existing)
            if await s.get(MessageRow, message_id) is None:
                raise NotFound(f"no message {message_id}")
            row = MediaRow(
                message_id=message_id,
                customer_id=customer_id,
                case_number=case_number,
                kind=attachment.kind.value,
                file_id=attachment.file_id,
                file_unique_id=attachment.file_unique_id,
                mime_type=attachment.mime_type,
                size=attachment.size,
                file_name=attachment.file_name,
                caption=attachment.caption,
                details=dict(attachment.details),
                source=attachment.source,
            )
            s.add(row)
            try:
                await s.commit()
            except IntegrityError:
                # The same message handled twice at once: the first one's row stays.
                await s.rollback()
                existing = await self._by_message(s, message_id)
                if existing is None:
                    raise
                return _media(existing)
            return _media(row)

    @staticmethod
    async def _by_message(s: AsyncSession, message_id: int) -> MediaRow | None:
        found: MediaRow | None = await s.scalar(
            select(MediaRow).where(MediaRow.message_id == message_id)
        )
        return found

    async def get(self, media_id: int) -> Media:
        async with self._db.session() as s:
            row = await s.get(MediaRow, media_id)
            if row is None:
                raise NotFound(f"no media {media_id}")
            return _media(row)

    async def for_message(self, message_id: int) -> Media | None:
        async with self._db.session() as s:
            row = await self._by_message(s, message_id)
            return _media(row) if row is not None else None

    async def for_customer(self, customer_id: int) -> list[Media]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(MediaRow).where(MediaRow.customer_id == customer_id).order_by(MediaRow.id)
            )
            return [_media(r) for r in rows]

    async def for_case(self, case_number: int) -> list[Media]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(MediaRow).where(MediaRow.case_number == case_number).order_by(MediaRow.id)
            )
            return [_media(r) for r in rows]

    async def record_file(self, media_id: int, *, file_id: str, file_unique_id: str) -> Media:
        async with self._db.session() as s:
            row = await s.get(MediaRow, media_id)
            if row is None:
                raise NotFound(f"no media {media_id}")
            if not row.forgotten:
                row.file_id, row.file_unique_id = file_id, file_unique_id
                await s.commit()
            return _media(row)

    async def attach(self, media_id: int, case_number: int) -> Media:
        async with self._db.session() as s:
            row = await s.get(MediaRow, media_id)
            if row is None:
                raise NotFound(f"no media {media_id}")
            row.case_number = case_number
            await s.commit()
            return _media(row)
