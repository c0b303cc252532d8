"""Media in a customer's history: what a photo, file or voice note is, and where it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class MediaKind(StrEnum):
    """What was sent, as Telegram tells it apart."""

    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    VIDEO = "video"
    AUDIO = "audio"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACT = "contact"
    ANIMATION = "animation"
    VIDEO_NOTE = "video_note"

    @property
    def has_file(self) -> bool:
        """Locations and contacts are data, not files: nothing to download."""
        return self not in (MediaKind.LOCATION, MediaKind.CONTACT)

    @property
    def has_caption(self) -> bool:
        """Stickers, round video messages, locations and contacts carry no caption: shown
        alone, they need a line of text to say whose and which case they are."""
        return self not in (
            MediaKind.STICKER,
            MediaKind.VIDEO_NOTE,
            MediaKind.LOCATION,
            MediaKind.CONTACT,
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """One piece of media as a channel received or sent it.

    ``file_id`` is the channel's handle to fetch or re-send the file (Telegram's file_id);
    ``details`` holds the fields of a location (``latitude``, ``longitude``) or a contact
    (``phone_number``, ``first_name``, ``last_name``).
    """

    kind: MediaKind
    file_id: str = ""
    file_unique_id: str = ""
    mime_type: str | None = None
    size: int | None = None
    file_name: str | None = None
    caption: str = ""
    details: dict[str, str] = field(default_factory=dict)
    # The channel's message that carries it ("chat:message" on Telegram), to copy it natively.
    source: str | None = None

    def marker(self) -> str:
        """How the message reads in history: ``[photo] the caption``, ``[location] 52.5,13.4``."""
        words = self.caption.strip()
        if not words and self.kind is MediaKind.LOCATION and self.details:
            words = f"{self.details.get('latitude', '')},{self.details.get('longitude', '')}"
        elif not words and self.kind is MediaKind.CONTACT and self.details:
            name = f"{self.details.get('first_name', '')} {self.details.get('last_name', '')}"
            words = f"{name.strip()} {self.details.get('phone_number', '')}".strip()
        elif not words and self.file_name:
            words = self.file_name
        return f"[{self.kind}] {words}".rstrip()


@dataclass(frozen=True, slots=True)
class Media:
    """Stored media: an attachment of one message in a customer's history.

    ``case_number`` is the case it was attached to (sent right after a complaint, or while an
    agent had the case). An erased or expired attachment keeps its kind and size, not the
    file id, name or caption (``forgotten``).
    """

    id: int
    message_id: int
    customer_id: int
    attachment: Attachment
    created_at: datetime
    case_number: int | None = None
    forgotten: bool = False


class MediaStore(Protocol):
    """Attachments of messages, by message, customer and case."""

    async def add(
        self, *, message_id: int, customer_id: int, attachment: Attachment, case_number: int | None
    ) -> Media:
        """Store a message's attachment (once: a second call for the message returns the
        first). Raises NotFound when the message does not exist."""
        ...

    async def get(self, media_id: int) -> Media:
        """One attachment; raises NotFound."""
        ...

    async def for_message(self, message_id: int) -> Media | None:
        """The attachment of a message, if it has one."""
        ...

    async def for_customer(self, customer_id: int) -> list[Media]:
        """A customer's attachments, oldest first."""
        ...

    async def for_case(self, case_number: int) -> list[Media]:
        """The attachments attached to a case, oldest first."""
        ...

    async def attach(self, media_id: int, case_number: int) -> Media:
        """Attach stored media to a case; raises NotFound."""
        ...

    async def record_file(self, media_id: int, *, file_id: str, file_unique_id: str) -> Media:
        """Keep the channel's handle of a file sent from its bytes (a desk upload), so it can
        be fetched again once no copy is cached. Forgotten (erased) media stays forgotten.
        Raises NotFound."""
        ...
