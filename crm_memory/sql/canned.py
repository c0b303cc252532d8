"""Canned replies in SQL: one row per reply, one per language variant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from crm_memory.canned import (
    CannedReply,
    check_canned_name,
    check_language,
    check_template,
)
from crm_memory.errors import AlreadyExists, InvalidInput, NotFound
from crm_memory.media import Attachment, MediaKind
from crm_memory.sql._models import CannedReplyRow, CannedVariantRow, now
from crm_memory.validation import check_name, check_query

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from crm_memory.sql.database import SqlDatabase


def _variants(given: Mapping[str, str | None]) -> dict[str, str | None]:
    """Languages and texts checked (a text None means: remove that language)."""
    checked: dict[str, str | None] = {}
    for language, text in given.items():
        code = check_language(language)
        checked[code] = None if text is None else check_template(text, field=f"text ({code})")
    return checked


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlCannedStore:
    """Canned replies (see ``crm_memory.canned.CannedStore``)."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def _load(self, s: AsyncSession, rows: Sequence[CannedReplyRow]) -> list[CannedReply]:
        ids = [r.id for r in rows]
        texts: dict[int, dict[str, str]] = {i: {} for i in ids}
        if ids:
            found = await s.scalars(
                select(CannedVariantRow)
                .where(CannedVariantRow.canned_id.in_(ids))
                .order_by(CannedVariantRow.language)
            )
            for v in found:
                texts[v.canned_id][v.language] = v.text
        return [
            CannedReply(
                id=r.id,
                name=r.name,
                variants=texts[r.id],
                attachment=(
                    Attachment(MediaKind(r.attachment_kind), r.attachment_file_id)
                    if r.attachment_kind and r.attachment_file_id
                    else None
                ),
                created_at=r.created_at,
                updated_at=r.updated_at,
                updated_by=r.updated_by,
            )
            for r in rows
        ]

    async def _row(self, s: AsyncSession, name: str) -> CannedReplyRow:
        try:
            name = check_canned_name(name)
        except InvalidInput:
            raise NotFound(f"no canned reply named {name!r}") from None
        row = await s.scalar(select(CannedReplyRow).where(CannedReplyRow.name == name))
        if row is None:
            raise NotFound(f"no canned reply named {name!r}")
        return row

    async def all(self, *, query: str = "", limit: int = 200) -> list[CannedReply]:
        query = check_query(query)
        stmt = select(CannedReplyRow).order_by(CannedReplyRow.name).limit(limit)
        if query:
            pattern = f"%{_escape_like(query.lower())}%"
            texts = select(CannedVariantRow.canned_id).where(
                CannedVariantRow.text.ilike(pattern, escape="\\")
            )
            stmt = stmt.where(
                or_(
                    CannedReplyRow.name.like(pattern, escape="\\"),
                    CannedReplyRow.id.in_(texts),
                )
            )
        async with self._db.session() as s:
            return await self._load(s, list(await s.scalars(stmt)))

    async def get(self, name: str) -> CannedReply:
        async with self._db.session() as s:
            return (await self._load(s, [await self._row(s, name)]))[0]

    async def add(
        self,
        name: str,
        *,
        variants: Mapping[str, str],
        attachment: Attachment | None = None,
        author: str,
    ) -> CannedReply:
        name = check_canned_name(name)
        checked = _variants(variants)
        if not checked:
            raise InvalidInput("variants", "give the text in at least one language")
        author = check_name(author, field="author", max_length=120)
        at = now()
        async with self._db.session() as s:
            row = CannedReplyRow(
                name=name,
                attachment_kind=attachment.kind.value if attachment else None,
                attachment_file_id=attachment.file_id if attachment else None,
                created_at=at,
                updated_at=at,
                updated_by=author,
            )
            s.add(row)
            try:
                await s.flush()
            except IntegrityError:
                raise AlreadyExists(f"a canned reply named {name!r} exists already") from None
            s.add_all(
                CannedVariantRow(canned_id=row.id, language=code, text=text)
                for code, text in checked.items()
                if text is not None
            )
            await s.commit()
            return (await self._load(s, [row]))[0]

    async def update(
        self,
        name: str,
        *,
        variants: Mapping[str, str | None] | None = None,
        attachment: Attachment | None = None,
        drop_attachment: bool = False,
        author: str,
    ) -> CannedReply:
        checked = _variants(variants or {})
        author = check_name(author, field="author", max_length=120)
        async with self._db.session() as s:
            row = await self._row(s, name)
            current = {
                v.language: v
                for v in await s.scalars(
                    select(CannedVariantRow).where(CannedVariantRow.canned_id == row.id)
                )
            }
            left = {c for c in current if checked.get(c, "") is not None} | {
                c for c, t in checked.items() if t is not None
            }
            if not left:
                raise InvalidInput("variants", "a canned reply keeps at least one language")
            for code, text in checked.items():
                if text is None:
                    if code in current:
                        await s.delete(current[code])
                elif code in current:
                    current[code].text = text
                else:
                    s.add(CannedVariantRow(canned_id=row.id, language=code, text=text))
            if attachment is not None:
                row.attachment_kind = attachment.kind.value
                row.attachment_file_id = attachment.file_id
            elif drop_attachment:
                row.attachment_kind = row.attachment_file_id = None
            row.updated_at = now()
            row.updated_by = author
            await s.commit()
            return (await self._load(s, [row]))[0]

    async def remove(self, name: str) -> None:
        async with self._db.session() as s:
            row = await self._row(s, name)
            await s.execute(delete(CannedVariantRow).where(CannedVariantRow.canned_id == row.id))
            await s.delete(row)
            await s.commit()
