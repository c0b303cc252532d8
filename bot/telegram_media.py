"""Telegram's media as CRM attachments, and how each kind is sent back natively."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot, Message
from telegram.error import TelegramError

from bot.media_cache import TooLarge, Unavailable
from crm_memory import Attachment, MediaKind

# Each kind of media sent by file id or bytes (copies keep their kind by themselves).
SENDERS = {
    MediaKind.PHOTO: "send_photo",
    MediaKind.DOCUMENT: "send_document",
    MediaKind.VOICE: "send_voice",
    MediaKind.AUDIO: "send_audio",
    MediaKind.VIDEO: "send_video",
    MediaKind.ANIMATION: "send_animation",
    MediaKind.STICKER: "send_sticker",
    MediaKind.VIDEO_NOTE: "send_video_note",
}


def attachment_of(message: Message) -> Attachment | None:
    """The photo, file, voice note, location or contact a Telegram message carries."""
    source = f"{message.chat.id}:{message.message_id}"
    caption = message.caption or ""
    # An animation (GIF) also comes as a document: asked first.
    files: tuple[tuple[MediaKind, Any], ...] = (
        (MediaKind.PHOTO, message.photo[-1] if message.photo else None),
        (MediaKind.ANIMATION, message.animation),
        (MediaKind.DOCUMENT, message.document),
        (MediaKind.VOICE, message.voice),
        (MediaKind.AUDIO, message.audio),
        (MediaKind.VIDEO, message.video),
        (MediaKind.VIDEO_NOTE, message.video_note),
        (MediaKind.STICKER, message.sticker),
    )
    for kind, file in files:
        if file is None:
            continue
        return Attachment(
            kind=kind,
            file_id=file.file_id,
            file_unique_id=file.file_unique_id,
            mime_type=getattr(file, "mime_type", None)
            or ("image/jpeg" if kind is MediaKind.PHOTO else None),
            size=file.file_size,
            file_name=getattr(file, "file_name", None),
            caption=caption,
            source=source,
        )
    if message.location is not None:
        where = message.location
        details = {"latitude": str(where.latitude), "longitude": str(where.longitude)}
        return Attachment(kind=MediaKind.LOCATION, details=details, source=source)
    if message.contact is not None:
        contact = message.contact
        details = {
            "phone_number": contact.phone_number,
            "first_name": contact.first_name,
            "last_name": contact.last_name or "",
        }
        return Attachment(kind=MediaKind.CONTACT, details=details, source=source)
    return None


class TelegramFiles:
    """Fetches files from the Bot API: ``getFile``, then the download (the media cache's
    Fetcher). Its own Bot, initialised at first use, so the desk needs no running channel."""

    def __init__(self, *, token: str, base_url: str, base_file_url: str) -> None:
        self._bot = Bot(token, base_url=base_url, base_file_url=base_file_url)
        self._ready = asyncio.Lock()
        self._initialised = False
        self.closed = False

    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes:
        async with self._ready:
            if not self._initialised:
                try:
                    await self._bot.initialize()
                except TelegramError as exc:
                    raise Unavailable(f"the Bot API did not answer: {exc}") from exc
                self._initialised = True
        try:
            file = await self._bot.get_file(file_id)
            if file.file_size is not None and file.file_size > max_bytes:
                raise TooLarge(f"the file is larger than {max_bytes // (1 << 20)} MB")
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise Unavailable(f"Telegram could not give the file: {exc}") from exc
        if len(data) > max_bytes:
            raise TooLarge(f"the file is larger than {max_bytes // (1 << 20)} MB")
        return data

    async def close(self) -> None:
        """Let go of the Bot's connections (a Bot that never started returns at once)."""
        async with self._ready:
            await self._bot.shutdown()
            self._initialised = False
            self.closed = True
